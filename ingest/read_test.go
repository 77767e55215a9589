package ingest_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/ingest"
)

const pdfPage1 = "Ceasefire Monitoring Report\nThe monitoring mission recorded eleven violations in May.\nMost were reported near the river crossing."
const pdfPage2 = "Annex: the mission visited four villages.\nNo casualties were confirmed."

// writePDF writes a generated text PDF into a temporary directory.
func writePDF(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadFile(t *testing.T) {
	pdfPath := writePDF(t, "monitoring.pdf", makePDF("Ceasefire Monitoring Report, May", pdfPage1, pdfPage2))
	noTitlePDF := writePDF(t, "untitled.pdf", makePDF("", pdfPage1))

	tests := []struct {
		name      string
		path      string
		format    string
		title     string
		author    string
		url       string
		published string
		contains  []string
		absent    []string
	}{
		{
			name: "text", path: "testdata/report.txt", format: "txt",
			title:    "Militia Realignment in the Northern Highlands",
			contains: []string{"The Highland Defence Front announced on 12 March 2024", "\n\nOfficials in the district capital"},
		},
		{
			name: "markdown", path: "testdata/brief.md", format: "md",
			title:    "Border Crossings Under Pressure",
			contains: []string{"# Border Crossings Under Pressure\n", "**allegedly** members of the Valley Brigades", "- The crossing reopened in January."},
		},
		{
			name: "html", path: "testdata/article.html", format: "html",
			title:     "Drone Strikes Reshape the Lake District Front",
			author:    "Ines Kovač",
			url:       "https://meridian.example.org/2024/05/lake-district-front",
			published: "2024-05-14",
			contains: []string{
				"For most of last year the fighting around the Lake District moved slowly",
				// paragraphs stay paragraphs
				"at night.\n\nResidents of Port Amsel",
				"Neither side has said whether it will send a delegation.",
			},
			absent: []string{"Home", "Subscribe", "Sign in", "Share on", "Email this article", "Photo credit",
				"Jane Placeholder", "Most read", "Weather outlook", "All rights reserved", "Cookie", "<p>", "&amp;"},
		},
		{
			name: "pdf", path: pdfPath, format: "pdf",
			title: "Ceasefire Monitoring Report, May", author: "Faultline Test Desk",
			contains: []string{"The monitoring mission recorded eleven violations in May.", "Annex: the mission visited four villages."},
		},
		{
			name: "pdf without metadata title", path: noTitlePDF, format: "pdf",
			title:    "Ceasefire Monitoring Report",
			contains: []string{"Most were reported near the river crossing."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ingest.ReadFile(context.Background(), tt.path, ingest.ReadOptions{})
			if err != nil {
				t.Fatalf("ReadFile: %v", err)
			}
			raw, err := os.ReadFile(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(raw)
			if got, want := doc.SHA256, hex.EncodeToString(sum[:]); got != want {
				t.Errorf("sha256 = %s, want %s", got, want)
			}
			if doc.Path != tt.path {
				t.Errorf("path = %q, want %q", doc.Path, tt.path)
			}
			if doc.Format != tt.format {
				t.Errorf("format = %q, want %q", doc.Format, tt.format)
			}
			if doc.Title != tt.title {
				t.Errorf("title = %q, want %q", doc.Title, tt.title)
			}
			if doc.Author != tt.author {
				t.Errorf("author = %q, want %q", doc.Author, tt.author)
			}
			if doc.URL != tt.url {
				t.Errorf("url = %q, want %q", doc.URL, tt.url)
			}
			if doc.Published != tt.published {
				t.Errorf("published = %q, want %q", doc.Published, tt.published)
			}
			if !utf8.ValidString(doc.Text) {
				t.Error("text is not valid UTF-8")
			}
			if strings.Contains(doc.Text, "\r") {
				t.Error("text holds a carriage return")
			}
			for _, s := range tt.contains {
				if !strings.Contains(doc.Text, s) {
					t.Errorf("text lacks %q; text:\n%s", s, doc.Text)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(doc.Text, s) {
					t.Errorf("text holds chrome %q; text:\n%s", s, doc.Text)
				}
			}
		})
	}
}

func TestReadBytes(t *testing.T) {
	article, err := os.ReadFile("testdata/article.html")
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("word ", 100)
	tests := []struct {
		name   string
		file   string
		data   []byte
		format string
		title  string
		text   string // exact text, when set
		has    string // substring of the text, when set
	}{
		{name: "crlf", file: "a.txt", data: []byte("Title line\r\nsecond\r\nthird\rfourth"), format: "txt",
			title: "Title line", text: "Title line\nsecond\nthird\nfourth"},
		{name: "bom", file: "a.txt", data: []byte("\xef\xbb\xbfReport\nbody"), format: "txt", title: "Report", text: "Report\nbody"},
		{name: "utf16 le", file: "a.txt", data: []byte("\xff\xfeR\x00a\x00p\x00\n\x00x\x00"), format: "txt", title: "Rap", text: "Rap\nx"},
		{name: "utf16 be", file: "a.txt", data: []byte("\xfe\xff\x00R\x00a\x00p"), format: "txt", title: "Rap", text: "Rap"},
		{name: "text extension", file: "notes.TEXT", data: []byte("Notes\n"), format: "txt", title: "Notes"},
		{name: "long title clipped", file: "a.txt", data: []byte(long), format: "txt",
			title: strings.TrimSpace(strings.Repeat("word ", 40)) + "…"},
		{name: "markdown setext", file: "b.markdown", data: []byte("Border Report\n=============\n\nText."), format: "md", title: "Border Report"},
		{name: "markdown first h1 after intro", file: "b.md", data: []byte("<!-- draft -->\n\n# Real Title\n\nText."), format: "md", title: "Real Title"},
		{name: "markdown no heading", file: "b.md", data: []byte("> Quoted opening line\n\nText."), format: "md", title: "Quoted opening line"},
		{name: "markdown front matter", file: "b.md",
			data:   []byte("---\ntitle: \"Front Title\"\nauthor: A. Writer\ndate: 2024-02-01\n---\n# Heading\n"),
			format: "md", title: "Front Title"},
		{name: "stdin sniffed html", file: "-", data: article, format: "html",
			title: "Drone Strikes Reshape the Lake District Front", has: "Residents of Port Amsel"},
		{name: "unknown extension sniffed html", file: "page.aspx", data: article, format: "html", has: "Port Amsel"},
		{name: "unknown extension sniffed pdf", file: "upload.bin", data: makePDF("", "Sniffed PDF text"), format: "pdf",
			title: "Sniffed PDF text", text: "Sniffed PDF text"},
		{name: "stdin sniffed text", file: "-", data: []byte("Plain words\nfrom stdin\n"), format: "txt", title: "Plain words"},
		{name: "no extension text", file: "README", data: []byte("Read me\n"), format: "txt", title: "Read me"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ingest.ReadBytes(tt.file, tt.data, ingest.ReadOptions{})
			if err != nil {
				t.Fatalf("ReadBytes: %v", err)
			}
			if doc.Format != tt.format {
				t.Errorf("format = %q, want %q", doc.Format, tt.format)
			}
			if tt.title != "" && doc.Title != tt.title {
				t.Errorf("title = %q, want %q", doc.Title, tt.title)
			}
			if tt.text != "" && doc.Text != tt.text {
				t.Errorf("text = %q, want %q", doc.Text, tt.text)
			}
			if tt.has != "" && !strings.Contains(doc.Text, tt.has) {
				t.Errorf("text lacks %q", tt.has)
			}
			sum := sha256.Sum256(tt.data)
			if got, want := doc.SHA256, hex.EncodeToString(sum[:]); got != want {
				t.Errorf("sha256 = %s, want %s (of the raw bytes)", got, want)
			}
		})
	}
}

func TestReadMarkdownFrontMatter(t *testing.T) {
	doc, err := ingest.ReadBytes("b.md", []byte("---\ntitle: Front Title\nauthor: A. Writer\ndate: 2024-02-01\nurl: https://example.org/b\n---\n# Heading\n"), ingest.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Author != "A. Writer" || doc.Published != "2024-02-01" || doc.URL != "https://example.org/b" {
		t.Errorf("front matter: got author %q, published %q, url %q", doc.Author, doc.Published, doc.URL)
	}
}

func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := filepath.Join(dir, "big.txt")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, ingest.DefaultMaxBytes+1); err != nil { // sparse: costs no disk
		t.Fatal(err)
	}
	valid := makePDF("T", pdfPage1)

	tests := []struct {
		name string
		path string
		opt  ingest.ReadOptions
		want string // the message after "path: "
		is   error
	}{
		{name: "empty", path: write("empty.txt", nil), want: "empty file"},
		{name: "white space only", path: write("blank.md", []byte(" \n\t\n")), want: "no text (only white space)"},
		{name: "binary NUL sniffed", path: write("image.bin", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")), want: "binary file (not text)"},
		{name: "binary control chars sniffed", path: write("blob", []byte("\x01\x02\x03\x04\x05abcdef")), want: "binary file (not text)"},
		{name: "NUL in txt", path: write("nul.txt", []byte("text\x00more")), want: "binary file (not text)"},
		{name: "invalid UTF-8", path: write("latin1.txt", []byte("caf\xe9 au lait")), want: "invalid UTF-8 at byte 3"},
		{name: "invalid UTF-8 in markdown", path: write("bad.md", []byte("# ok\n\xff")), want: "invalid UTF-8 at byte 5"},
		{name: "over the default limit", path: big,
			want: "52428801 bytes exceeds the 50 MB limit; raise it with --max-size"},
		{name: "over a set limit", path: write("small.txt", []byte("0123456789abcdef")), opt: ingest.ReadOptions{MaxBytes: 10},
			want: "16 bytes exceeds the 10 bytes limit; raise it with --max-size"},
		{name: "missing", path: filepath.Join(dir, "nope.txt"), want: "no such file or directory", is: fs.ErrNotExist},
		{name: "directory", path: dir, want: "is a directory"},
		{name: "corrupt PDF", path: write("corrupt.pdf", []byte("%PDF-1.4\nthis is not a pdf at all\n%%EOF\n")), want: "corrupt PDF"},
		{name: "truncated PDF", path: write("truncated.pdf", valid[:len(valid)/2]), want: "corrupt PDF"},
		// The PDF library loops for ever on these (a stream that ends
		// inside a hex string); the reader must turn them away.
		{name: "PDF that hangs the parser (hex string)", path: "testdata/corrupt/hang-hexstring.pdf", want: "corrupt PDF: page 1: a stream ends inside a hex string"},
		{name: "PDF that hangs the parser (hex pair)", path: "testdata/corrupt/hang-hexpair.pdf", want: "corrupt PDF: page 1: a stream ends inside a hex string"},
		{name: "scanned PDF", path: write("scan.pdf", makePDF("Scan", "", "")), want: "no text layer (scanned PDF?)"},
		{name: "html without content", path: write("empty.html", []byte("<html><head><title>x</title></head><body><script>var a=1;</script></body></html>")), want: "no readable content"},
		{name: "html with chrome only", path: write("nav.htm", []byte("<html><body><nav><a href=/>Home</a> <a href=/world>World</a></nav><footer>(c) Site</footer></body></html>")), want: "no readable content (only navigation or boilerplate)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ingest.ReadFile(context.Background(), tt.path, tt.opt)
			if err == nil {
				t.Fatal("no error")
			}
			if got := faultline.ErrorCode(err); got != faultline.EINVALID {
				t.Errorf("code = %q, want %q", got, faultline.EINVALID)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tt.path+": ") {
				t.Errorf("error %q does not start with the path", msg)
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error = %q, want it to contain %q", msg, tt.want)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error %q spans lines", msg)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
		})
	}
}

func TestReadFromLimit(t *testing.T) {
	_, err := ingest.ReadFrom("-", strings.NewReader(strings.Repeat("x", 100)), ingest.ReadOptions{MaxBytes: 64})
	if want := "-: more than 64 bytes exceeds the 64 bytes limit; raise it with --max-size"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
	_, err = ingest.ReadBytes("up.txt", make([]byte, 2048), ingest.ReadOptions{MaxBytes: 1024})
	if want := "up.txt: 2048 bytes exceeds the 1 KB limit; raise it with --max-size"; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

func TestReadFileCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ingest.ReadFile(ctx, "testdata/report.txt", ingest.ReadOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

func TestCollect(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{
		"b/2.md", "b/1.txt", "a.html", "c/d/e.pdf", "c/skip.png", "c/.hidden.txt",
		".git/config.txt", "z.htm", "notes.TXT",
	} {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	single := filepath.Join(dir, "c", "skip.png") // named explicitly: taken
	missing := filepath.Join(dir, "missing.txt")
	files, errs := ingest.Collect([]string{dir, "-", single, missing})
	want := []string{
		filepath.Join(dir, "a.html"),
		filepath.Join(dir, "b/1.txt"),
		filepath.Join(dir, "b/2.md"),
		filepath.Join(dir, "c/d/e.pdf"),
		filepath.Join(dir, "notes.TXT"),
		filepath.Join(dir, "z.htm"),
		"-",
		single,
	}
	if strings.Join(files, "\n") != strings.Join(want, "\n") {
		t.Errorf("files:\n got %q\nwant %q", files, want)
	}
	if len(errs) != 1 {
		t.Fatalf("errors = %v, want one", errs)
	}
	var fe ingest.FileError
	if !errors.As(errs[0], &fe) || fe.Path != missing || !errors.Is(errs[0], fs.ErrNotExist) {
		t.Errorf("error = %#v, want a FileError for %s wrapping fs.ErrNotExist", errs[0], missing)
	}
	if got, want := errs[0].Error(), missing+": no such file or directory"; got != want {
		t.Errorf("error text = %q, want %q", got, want)
	}
}

func TestReadPDFWatchdog(t *testing.T) {
	restore := ingest.SetPDFTimeout(time.Microsecond)
	defer restore()
	pages := make([]string, 300)
	for i := range pages {
		pages[i] = pdfPage1
	}
	_, err := ingest.ReadBytes("slow.pdf", makePDF("", pages...), ingest.ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), "slow.pdf: corrupt PDF: the parser did not finish in 1µs") {
		t.Errorf("error = %v, want the watchdog's", err)
	}
}
