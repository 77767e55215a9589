package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/faultline-osint/faultline"
	"github.com/ledongthuc/pdf"
)

// pdfTimeout bounds the PDF library's work on one file: a base plus a
// margin per megabyte. Tests shorten it.
var pdfTimeout = func(size int) time.Duration {
	return 30*time.Second + time.Duration(size>>20)*2*time.Second
}

// readPDF runs readPDFText under a watchdog. checkPageStreams turns away
// the inputs known to make the library loop; the watchdog is the backstop
// for unknown ones, so that one file cannot stall a batch. A parser that
// overruns is abandoned: its goroutine cannot be stopped and ends with the
// process.
func readPDF(name string, data []byte) (faultline.Document, error) {
	type result struct {
		doc faultline.Document
		err error
	}
	done := make(chan result, 1)
	go func() {
		doc, err := readPDFText(name, data)
		done <- result{doc, err}
	}()
	limit := pdfTimeout(len(data))
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.doc, r.err
	case <-timer.C:
		return faultline.Document{}, faultline.Errorf(faultline.EINVALID, "%s: corrupt PDF: the parser did not finish in %s", name, limit)
	}
}

// readPDFText extracts the text layer of a PDF, page by page, pages joined by a
// newline. Headers, footers and page numbers stay: a PDF has no markup that
// tells them from the body. A PDF without a text layer (a scan) is an error
// rather than an empty document, so that the analyst knows to OCR it.
func readPDFText(name string, data []byte) (doc faultline.Document, err error) {
	// The PDF library panics on some corrupt input (and recovers only part
	// of it itself); a corrupt file must cost one FileError, not the batch.
	defer func() {
		if r := recover(); r != nil {
			doc = faultline.Document{}
			err = faultline.Errorf(faultline.EINVALID, "%s: corrupt PDF: %v", name, r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if errors.Is(err, pdf.ErrInvalidPassword) {
			return faultline.Document{}, faultline.Errorf(faultline.EINVALID, "%s: encrypted PDF (password protected)", name)
		}
		return faultline.Document{}, faultline.Errorf(faultline.EINVALID, "%s: corrupt PDF: %w", name, err)
	}
	var (
		pages   []string
		pageErr error
	)
	n := r.NumPage()
	for i := 1; i <= n; i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		if err := checkPageStreams(p); err != nil {
			return faultline.Document{}, faultline.Errorf(faultline.EINVALID, "%s: corrupt PDF: page %d: %w", name, i, err)
		}
		t, err := p.GetPlainText(nil)
		if err != nil {
			if pageErr == nil {
				pageErr = err
			}
			continue
		}
		if t = cleanExtracted(t); t != "" {
			pages = append(pages, t)
		}
	}
	text := strings.Join(pages, "\n")
	if strings.TrimSpace(text) == "" {
		if pageErr != nil {
			return faultline.Document{}, faultline.Errorf(faultline.EINVALID, "%s: corrupt PDF: %w", name, pageErr)
		}
		return faultline.Document{}, faultline.Errorf(faultline.EINVALID, "%s: no text layer (scanned PDF?)", name)
	}
	doc = faultline.Document{Text: text}
	info := r.Trailer().Key("Info")
	doc.Title = clipTitle(cleanExtracted(info.Key("Title").Text()))
	doc.Author = strings.TrimSpace(cleanExtracted(info.Key("Author").Text()))
	if doc.Title == "" {
		doc.Title = firstLine(text)
	}
	return doc, nil
}

// maxStreamBytes bounds one decoded content or CMap stream: a few kilobytes
// of flate can inflate to gigabytes.
const maxStreamBytes = 64 << 20

// checkPageStreams reads the decoded content streams of a page and the
// ToUnicode maps of its fonts, and rejects what would make the PDF library
// hang or exhaust memory: a stream that inflates past maxStreamBytes, or
// one that ends inside a hex string ("<3a4" then end of stream), on which
// the library's lexer loops for ever.
func checkPageStreams(p pdf.Page) error {
	var streams []pdf.Value
	c := p.V.Key("Contents")
	if c.Kind() == pdf.Array {
		// The library reads an array of streams as one concatenation.
		var all []io.Reader
		for i := range c.Len() {
			all = append(all, c.Index(i).Reader())
		}
		if err := checkStream(io.MultiReader(all...)); err != nil {
			return err
		}
	} else if c.Kind() == pdf.Stream {
		streams = append(streams, c)
	}
	for _, f := range p.Fonts() {
		if tu := p.Font(f).V.Key("ToUnicode"); tu.Kind() == pdf.Stream {
			streams = append(streams, tu)
		}
	}
	for _, s := range streams {
		if err := checkStream(s.Reader()); err != nil {
			return err
		}
	}
	return nil
}

func checkStream(r io.Reader) error {
	if rc, ok := r.(io.Closer); ok {
		defer rc.Close()
	}
	data, err := io.ReadAll(io.LimitReader(r, maxStreamBytes+1))
	if err != nil {
		return fmt.Errorf("unreadable stream: %w", err)
	}
	if len(data) > maxStreamBytes {
		return fmt.Errorf("a stream inflates past %s", formatSize(maxStreamBytes))
	}
	if unterminatedHex(data) {
		return errors.New("a stream ends inside a hex string")
	}
	return nil
}

// unterminatedHex reports whether a PostScript-like stream ends inside a
// hex string, skipping comments and literal strings as the lexer does.
func unterminatedHex(data []byte) bool {
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '%':
			for i < len(data) && data[i] != '\n' && data[i] != '\r' {
				i++
			}
		case '(':
			depth := 1
			for i++; i < len(data) && depth > 0; i++ {
				switch data[i] {
				case '\\':
					i++
				case '(':
					depth++
				case ')':
					depth--
				}
			}
			i--
		case '<':
			if i+1 < len(data) && data[i+1] == '<' {
				i++
				continue
			}
			// Mirror the lexer: pairs of non-space bytes up to '>'. It
			// panics on a pair that is not hex (and may resume after it,
			// so the scan goes on there), but waits for ever when the
			// stream ends before a pair is whole.
			j := i + 1
		pairs:
			for {
				c, ok := nextNonSpace(data, &j)
				if !ok {
					return true
				}
				if c == '>' {
					break pairs
				}
				c2, ok := nextNonSpace(data, &j)
				if !ok {
					return true
				}
				if !isHexDigit(c) || !isHexDigit(c2) {
					break pairs
				}
			}
			i = j - 1
		}
	}
	return false
}

// nextNonSpace returns the byte at *j after any white space and moves *j
// past it; ok is false at the end of data.
func nextNonSpace(data []byte, j *int) (c byte, ok bool) {
	for *j < len(data) && isPDFSpace(data[*j]) {
		*j++
	}
	if *j >= len(data) {
		return 0, false
	}
	c = data[*j]
	*j++
	return c, true
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isPDFSpace(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}
