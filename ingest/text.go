package ingest

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/faultline-osint/faultline"
	"golang.org/x/text/encoding/unicode"
)

var (
	utf8BOM    = []byte{0xEF, 0xBB, 0xBF}
	utf16LEBOM = []byte{0xFF, 0xFE}
	utf16BEBOM = []byte{0xFE, 0xFF}
)

// decodeText turns the bytes of a text file into a string: UTF-16 with a
// byte-order mark is converted, a UTF-8 BOM dropped, line ends normalised
// to LF. Binary content and invalid UTF-8 are errors.
func decodeText(name string, data []byte) (string, error) {
	if bytes.HasPrefix(data, utf16LEBOM) || bytes.HasPrefix(data, utf16BEBOM) {
		// Windows tools still write UTF-16 "Unicode" text; the BOM makes it
		// unambiguous, and without the conversion it would look binary.
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return "", faultline.Errorf(faultline.EINVALID, "%s: invalid UTF-16: %w", name, err)
		}
		data = out
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if isBinary(data) {
		return "", faultline.Errorf(faultline.EINVALID, "%s: binary file (not text)", name)
	}
	if n := invalidUTF8(data); n >= 0 {
		return "", faultline.Errorf(faultline.EINVALID, "%s: invalid UTF-8 at byte %d", name, n)
	}
	return normalizeNewlines(string(data)), nil
}

// isBinary reports whether data holds a NUL byte anywhere, or more than one
// non-text control character in a hundred among its first 8 KiB. Text files
// do carry the odd form feed or escape; executables and images carry many.
func isBinary(data []byte) bool {
	if bytes.IndexByte(data, 0) >= 0 {
		return true
	}
	head := data[:min(len(data), 8<<10)]
	n := 0
	for _, c := range head {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b) || c == 0x7f {
			n++
		}
	}
	return n > 0 && n*100 >= len(head)
}

// invalidUTF8 returns the byte offset of the first invalid UTF-8 sequence
// in data, or -1.
func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

func normalizeNewlines(s string) string {
	s = strings.TrimPrefix(s, "\uFEFF")
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// cleanExtracted makes text from a parser (HTML, PDF) safe to store: valid
// UTF-8, LF line ends, no control characters but tab and newline, no
// trailing blanks, at most one empty line in a row.
func cleanExtracted(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = normalizeNewlines(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\u00a0':
			return ' '
		case r < 0x20 || r == 0x7f || r == '\uFEFF':
			return -1
		}
		return r
	}, s)
	var b strings.Builder
	b.Grow(len(s))
	blank := 0
	for line := range strings.Lines(s) {
		line = strings.TrimRight(line, " \t\n")
		if line == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			if blank > 0 {
				b.WriteString("\n\n")
			} else {
				b.WriteByte('\n')
			}
		}
		blank = 0
		b.WriteString(line)
	}
	return b.String()
}

// readText reads a plain-text file; its text is the file's text.
func readText(name string, data []byte) (faultline.Document, error) {
	text, err := decodeText(name, data)
	if err != nil {
		return faultline.Document{}, err
	}
	if strings.TrimSpace(text) == "" {
		return faultline.Document{}, faultline.Errorf(faultline.EINVALID, "%s: no text (only white space)", name)
	}
	return faultline.Document{Title: firstLine(text), Text: text}, nil
}

// readMarkdown reads a Markdown file. The text is kept as written, markup
// included: it is what extraction offsets point into, and what an analyst
// sees as provenance. The title is the front matter's title, else the
// document's leading heading, else its first H1, else its first line.
func readMarkdown(name string, data []byte) (faultline.Document, error) {
	text, err := decodeText(name, data)
	if err != nil {
		return faultline.Document{}, err
	}
	if strings.TrimSpace(text) == "" {
		return faultline.Document{}, faultline.Errorf(faultline.EINVALID, "%s: no text (only white space)", name)
	}
	doc := faultline.Document{Text: text}
	body := text
	if fm, rest, ok := frontMatter(text); ok {
		body = rest
		doc.Title = clipTitle(unquote(fm["title"]))
		doc.Author = unquote(fm["author"])
		doc.URL = unquote(fm["url"])
		doc.Published = unquote(fm["date"])
		if doc.Published == "" {
			doc.Published = unquote(fm["published"])
		}
	}
	if doc.Title == "" {
		doc.Title = markdownTitle(body)
	}
	return doc, nil
}

// frontMatter splits YAML front matter ("---" lines around key: value
// pairs) from the start of a Markdown text. Only flat string keys are read.
func frontMatter(text string) (map[string]string, string, bool) {
	if !strings.HasPrefix(text, "---\n") {
		return nil, text, false
	}
	rest := text[4:]
	end := strings.Index(rest, "\n---")
	if end < 0 {
		return nil, text, false
	}
	fm := map[string]string{}
	for line := range strings.Lines(rest[:end]) {
		k, v, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(k, " ") {
			continue
		}
		fm[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	body := rest[end+4:]
	if i := strings.IndexByte(body, '\n'); i >= 0 {
		body = body[i+1:]
	} else {
		body = ""
	}
	return fm, body, true
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		s = s[1 : len(s)-1]
	}
	return s
}

var (
	atxHeading    = regexp.MustCompile(`^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$`)
	setextRule    = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	leadingMarkup = regexp.MustCompile(`^(?:>\s*|[*+-]\s+|\d+[.)]\s+)+`)
)

// markdownTitle picks a title from Markdown text: the first non-empty line
// if it is a heading (ATX or setext), else the first level-one heading
// outside code fences, else the first non-empty line without its markup.
func markdownTitle(text string) string {
	lines := strings.Split(text, "\n")
	first := -1
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			first = i
			break
		}
	}
	if first < 0 {
		return ""
	}
	if m := atxHeading.FindStringSubmatch(lines[first]); m != nil && strings.TrimSpace(m[2]) != "" {
		return clipTitle(stripInline(m[2]))
	}
	if first+1 < len(lines) && setextRule.MatchString(lines[first+1]) {
		return clipTitle(stripInline(lines[first]))
	}
	fence := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = !fence
			continue
		}
		if fence {
			continue
		}
		if m := atxHeading.FindStringSubmatch(l); m != nil && m[1] == "#" && strings.TrimSpace(m[2]) != "" {
			return clipTitle(stripInline(m[2]))
		}
	}
	return clipTitle(stripInline(leadingMarkup.ReplaceAllString(strings.TrimSpace(lines[first]), "")))
}

// stripInline removes the emphasis and code marks around a title.
func stripInline(s string) string {
	return strings.Trim(strings.TrimSpace(s), "*_` ")
}
