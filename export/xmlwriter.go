package export

import (
	"bufio"
	"encoding/xml"
	"io"
)

// XMLWriter writes the graph formats' XML by hand, keeping the first
// error so that callers check once, at Close.
type XMLWriter struct {
	w   *bufio.Writer
	err error
}

// NewXMLWriter buffers writes to w.
func NewXMLWriter(w io.Writer) *XMLWriter { return &XMLWriter{w: bufio.NewWriterSize(w, 64<<10)} }

// Raw writes s as it is.
func (x *XMLWriter) Raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

// Esc writes s escaped for text or a double-quoted attribute.
func (x *XMLWriter) Esc(s string) {
	if x.err != nil {
		return
	}
	if plain(s) {
		// Nothing to escape: written as it is, without the copy to bytes
		// and the scan that EscapeText makes (most values are plain, and
		// a dataset's graph has millions of them).
		_, x.err = x.w.WriteString(s)
		return
	}
	x.err = xml.EscapeText(x.w, []byte(s))
}

// plain reports whether s is printable ASCII that XML text and attributes
// take as it is.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x7f, c == '"', c == '\'', c == '&', c == '<', c == '>':
			return false
		}
	}
	return true
}

// Close flushes and returns the first error.
func (x *XMLWriter) Close() error {
	if x.err == nil {
		x.err = x.w.Flush()
	}
	return x.err
}
