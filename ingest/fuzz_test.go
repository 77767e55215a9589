package ingest_test

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/ingest"
)

// fuzzRead feeds data to the reader chosen by name and checks the contract
// every reader keeps: no panic, an EINVALID *faultline.Error naming the
// file on failure, valid UTF-8 without carriage returns on success.
func fuzzRead(t *testing.T, name string, data []byte) {
	doc, err := ingest.ReadBytes(name, data, ingest.ReadOptions{MaxBytes: 1 << 20})
	if err != nil {
		if faultline.ErrorCode(err) != faultline.EINVALID {
			t.Fatalf("error %v has code %q, want %q", err, faultline.ErrorCode(err), faultline.EINVALID)
		}
		if !strings.HasPrefix(err.Error(), name+": ") {
			t.Fatalf("error %q does not name the file", err)
		}
		return
	}
	for field, s := range map[string]string{"text": doc.Text, "title": doc.Title, "author": doc.Author, "url": doc.URL, "published": doc.Published} {
		if !utf8.ValidString(s) {
			t.Fatalf("%s is not valid UTF-8: %q", field, s)
		}
	}
	if strings.Contains(doc.Text, "\r") {
		t.Fatalf("text holds a carriage return: %q", doc.Text)
	}
	if strings.TrimSpace(doc.Text) == "" {
		t.Fatal("no error, yet no text")
	}
	if utf8.RuneCountInString(doc.Title) > 201 {
		t.Fatalf("title of %d runes", utf8.RuneCountInString(doc.Title))
	}
	if len(doc.SHA256) != 64 {
		t.Fatalf("sha256 %q", doc.SHA256)
	}
}

func seedFile(f *testing.F, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
}

func FuzzReadText(f *testing.F) {
	seedFile(f, "testdata/report.txt")
	for _, s := range []string{"", "a", "\xef\xbb\xbfx\r\ny", "\xff\xfea\x00", "\xfe\xff\x00a\x00", "caf\xe9", "\x00", "\x01\x02\x03", "  \n\t"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "fuzz.txt", data) })
}

func FuzzReadMarkdown(f *testing.F) {
	seedFile(f, "testdata/brief.md")
	for _, s := range []string{"# T", "---\ntitle: x\n---\n", "---\n", "T\n===", "```\n# x\n```", "> - 1. x", "#\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "fuzz.md", data) })
}

func FuzzReadHTML(f *testing.F) {
	seedFile(f, "testdata/article.html")
	for _, s := range []string{
		"<html>", "<p>x</p>", "<title>\xff</title><p>" + strings.Repeat("words and more words ", 20) + "</p>",
		`<meta charset="windows-1252"><p>caf` + "\xe9" + ` au lait</p>`,
		`<link rel=canonical href="http://a/b"><article><p>text</p></article>`,
		"<figure><figcaption>credit</figcaption></figure>", "\x00<html>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "fuzz.html", data) })
}

func FuzzReadPDF(f *testing.F) {
	valid := makePDF("Title (with) parens", pdfPage1, pdfPage2)
	f.Add(valid)
	f.Add(valid[:len(valid)-40])
	f.Add(makePDF("", "", ""))
	f.Add(makePDF("", "one line"))
	f.Add([]byte("%PDF-1.4\n%%EOF\n"))
	f.Add([]byte("%PDF-"))
	seedFile(f, "testdata/corrupt/hang-hexstring.pdf")
	seedFile(f, "testdata/corrupt/hang-hexpair.pdf")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "fuzz.pdf", data) })
}
