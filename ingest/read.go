// Package ingest reads documents (plain text, Markdown, HTML, PDF) into
// faultline.Document values and runs the ingest pipeline: read and extract
// in parallel, store one document per transaction in input order.
//
// Readers never panic on bad input and never return text that is not valid
// UTF-8; every failure is a *faultline.Error with code EINVALID whose message
// starts with the file name and says what is wrong with the file.
package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/extract"
)

// DefaultMaxBytes is the size limit of one input file when ReadOptions
// leaves it unset: 50 MB is far above any report and far below what would
// hurt a laptop.
const DefaultMaxBytes int64 = 50 << 20

// Formats, as stored in Document.Format and Source.Format.
const (
	FormatText     = "txt"
	FormatMarkdown = "md"
	FormatHTML     = "html"
	FormatPDF      = "pdf"
)

// ReadOptions tunes the readers.
type ReadOptions struct {
	// MaxBytes is the largest file accepted; 0 means DefaultMaxBytes.
	MaxBytes int64
}

func (o ReadOptions) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

// Stdin is the name under which a document read from standard input is
// reported.
const Stdin = "-"

// ReadFile reads the file at path ("-" for standard input) and returns it
// as a document. The format comes from the extension, or is sniffed from
// the content when the extension is unknown or missing.
func ReadFile(ctx context.Context, path string, opt ReadOptions) (faultline.Document, error) {
	if err := ctx.Err(); err != nil {
		return faultline.Document{}, err
	}
	if path == Stdin {
		return ReadFrom(Stdin, os.Stdin, opt)
	}
	max := opt.maxBytes()
	fi, err := os.Stat(path)
	if err != nil {
		return faultline.Document{}, pathError(path, err)
	}
	if fi.IsDir() {
		return faultline.Document{}, faultline.Errorf(faultline.EINVALID, "%s: is a directory", path)
	}
	if fi.Mode().IsRegular() && fi.Size() > max {
		return faultline.Document{}, tooLarge(path, fmt.Sprintf("%d bytes", fi.Size()), max)
	}
	f, err := os.Open(path)
	if err != nil {
		return faultline.Document{}, pathError(path, err)
	}
	defer f.Close()
	return ReadFrom(path, f, opt)
}

// ReadFrom reads a document from r, named name; it stops reading one byte
// past the size limit, so a stream cannot exhaust memory.
func ReadFrom(name string, r io.Reader, opt ReadOptions) (faultline.Document, error) {
	max := opt.maxBytes()
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return faultline.Document{}, pathError(name, err)
	}
	if int64(len(data)) > max {
		return faultline.Document{}, tooLarge(name, fmt.Sprintf("more than %d bytes", max), max)
	}
	return ReadBytes(name, data, opt)
}

// ReadBytes turns the raw bytes of a file (or an upload, or standard input
// as name "-") into a document. name decides the format by its extension;
// an unknown extension is sniffed: PDF magic, then HTML tags, then text.
func ReadBytes(name string, data []byte, opt ReadOptions) (doc faultline.Document, err error) {
	max := opt.maxBytes()
	if int64(len(data)) > max {
		return faultline.Document{}, tooLarge(name, fmt.Sprintf("%d bytes", len(data)), max)
	}
	if len(data) == 0 {
		return faultline.Document{}, faultline.Errorf(faultline.EINVALID, "%s: empty file", name)
	}
	format := detectFormat(name, data)
	// The readers below sit on third-party parsers fed with untrusted
	// bytes; a panic there is a bad file, not a reason to stop a batch.
	defer func() {
		if r := recover(); r != nil {
			doc = faultline.Document{}
			err = faultline.Errorf(faultline.EINVALID, "%s: cannot read %s: parser failure: %v", name, format, r)
		}
	}()
	switch format {
	case FormatPDF:
		doc, err = readPDF(name, data)
	case FormatHTML:
		doc, err = readHTML(name, data)
	case FormatMarkdown:
		doc, err = readMarkdown(name, data)
	default:
		doc, err = readText(name, data)
	}
	if err != nil {
		return faultline.Document{}, err
	}
	sum := sha256.Sum256(data)
	doc.SHA256 = hex.EncodeToString(sum[:])
	doc.Path = name
	doc.Format = format
	return doc, nil
}

// Supported reports whether a file name has an extension the readers know.
// Directory walks take only such files.
func Supported(name string) bool {
	_, ok := extFormats[strings.ToLower(filepath.Ext(name))]
	return ok
}

var extFormats = map[string]string{
	".txt":      FormatText,
	".text":     FormatText,
	".md":       FormatMarkdown,
	".markdown": FormatMarkdown,
	".html":     FormatHTML,
	".htm":      FormatHTML,
	".pdf":      FormatPDF,
}

// detectFormat returns the format for name, or for data when the name's
// extension is unknown: PDF magic in the first KiB, then HTML tags at the
// start, then text (which decodeText still checks for binary content).
func detectFormat(name string, data []byte) string {
	if f, ok := extFormats[strings.ToLower(filepath.Ext(name))]; ok && name != Stdin {
		return f
	}
	head := data[:min(len(data), 1024)]
	if bytes.Contains(head, []byte("%PDF-")) {
		return FormatPDF
	}
	if looksLikeHTML(head) {
		return FormatHTML
	}
	return FormatText
}

var htmlMarkers = [][]byte{
	[]byte("<!doctype html"), []byte("<html"), []byte("<head"), []byte("<body"),
	[]byte("<title"), []byte("<meta"), []byte("<article"), []byte("<div"), []byte("<p>"),
}

func looksLikeHTML(head []byte) bool {
	head = bytes.TrimPrefix(head, utf8BOM)
	head = bytes.TrimLeft(head, " \t\r\n\f")
	if len(head) == 0 || head[0] != '<' {
		return false
	}
	lower := bytes.ToLower(head)
	for _, m := range htmlMarkers {
		if bytes.Contains(lower, m) {
			return true
		}
	}
	return false
}

// pathError turns an error from the file system into an EINVALID error that
// names the path once and keeps the cause for errors.Is.
func pathError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return faultline.Errorf(faultline.EINVALID, "%s: %w", path, pe.Err)
	}
	return faultline.Errorf(faultline.EINVALID, "%s: %w", path, err)
}

func tooLarge(name, size string, max int64) error {
	return faultline.Errorf(faultline.EINVALID, "%s: %s exceeds the %s limit; raise it with --max-size", name, size, formatSize(max))
}

func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// firstLine returns the first line of s that is prose rather than website
// chrome (text saved from a page often opens with menu lines: "-",
// "CENTRES", "Location"), trimmed and cut to a title's length; failing
// that, the first non-empty line.
func firstLine(s string) string {
	first := ""
	for line := range strings.Lines(s) {
		t := strings.TrimSpace(line)
		if t == "" {
			continue
		}
		if first == "" {
			first = t
		}
		if !extract.IsChrome(t) && strings.IndexFunc(t, unicode.IsLetter) >= 0 {
			return clipTitle(t)
		}
	}
	return clipTitle(first)
}

const maxTitle = 200

// clipTitle collapses white space and cuts a title to maxTitle runes, at a
// word boundary when there is one.
func clipTitle(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= maxTitle {
		return s
	}
	r := []rune(s)[:maxTitle]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > maxTitle/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
