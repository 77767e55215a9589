package faultline

// Document is a report read from a file or stdin and ready for extraction:
// plain text (after HTML or PDF text extraction) plus what the reader learnt
// about it. Offsets in an Extraction are code-point offsets into Text.
type Document struct {
	Path      string
	Format    string // txt, md, html, pdf
	Title     string
	Author    string
	URL       string
	Published string // ISO 8601 with the precision known, or ""
	Text      string
	SHA256    string // of the raw bytes read, hex
}

// Extractor turns a document into an extraction. Implementations are pure:
// no I/O, safe for concurrent use.
type Extractor interface {
	Extract(doc Document) *Extraction
}
