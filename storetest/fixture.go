package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/faultline-osint/faultline"
)

// Ent describes an entity of a test document. Every occurrence in the text
// of its name and aliases (or of Forms, when set) becomes a mention.
type Ent struct {
	ID      string
	Name    string
	Type    faultline.EntityType
	Key     string
	Aliases []string
	Forms   []string
	ExtIDs  []faultline.ExternalID
}

// Doc describes a test document and what was extracted from it.
type Doc struct {
	Title     string
	Text      string
	Publisher string
	Published string // the source's publication date, partial ISO
	TLP       faultline.TLP
	Ents      []Ent
	Relations []faultline.ExtractedRelation
	Events    []faultline.ExtractedEvent
}

// Build turns a Doc into a source and an extraction, with mention offsets
// counted in code points as the extraction format requires.
func Build(t testing.TB, d Doc) (*faultline.Source, *faultline.Extraction) {
	t.Helper()
	sum := sha256.Sum256([]byte(d.Text))
	sha := hex.EncodeToString(sum[:])
	tlp := d.TLP
	if tlp == "" {
		tlp = faultline.TLPClear
	}
	src := &faultline.Source{
		SHA256: sha, Title: d.Title, Publisher: d.Publisher, Published: d.Published, Path: strings.ToLower(strings.ReplaceAll(d.Title, " ", "-")) + ".txt",
		Format: "txt", Reliability: "B", TLP: tlp, Text: d.Text,
	}
	ext := faultline.NewExtraction(faultline.ExtractionDocument{Path: src.Path, SHA256: sha, Title: d.Title, Chars: len([]rune(d.Text))})
	for _, e := range d.Ents {
		forms := e.Forms
		if forms == nil {
			forms = append([]string{e.Name}, e.Aliases...)
		}
		x := faultline.ExtractedEntity{ID: e.ID, Name: e.Name, Type: e.Type, Key: e.Key, Aliases: e.Aliases, ExternalIDs: e.ExtIDs, Mentions: []faultline.Mention{}, Rule: "test"}
		if x.Aliases == nil {
			x.Aliases = []string{}
		}
		for _, f := range forms {
			for _, s := range Spans(d.Text, f) {
				x.Mentions = append(x.Mentions, faultline.Mention{Span: s, Rule: "test.mention"})
			}
		}
		ext.Entities = append(ext.Entities, x)
	}
	ext.Relations = append(ext.Relations, d.Relations...)
	ext.Events = append(ext.Events, d.Events...)
	return src, ext
}

// Spans returns every occurrence of sub in text as code-point spans, not
// overlapping, each bounded by characters that are not ASCII letters.
func Spans(text, sub string) []faultline.Span {
	var out []faultline.Span
	if sub == "" {
		return out
	}
	subRunes := utf8.RuneCountInString(sub)
	isLetter := func(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
	runes, counted := 0, 0 // code points in text[:counted]
	for from := 0; from <= len(text)-len(sub); {
		i := strings.Index(text[from:], sub)
		if i < 0 {
			break
		}
		i += from
		j := i + len(sub)
		if (i > 0 && isLetter(text[i-1])) || (j < len(text) && isLetter(text[j])) {
			from = i + 1
			continue
		}
		runes += utf8.RuneCountInString(text[counted:i])
		counted = i
		out = append(out, faultline.Span{Start: runes, End: runes + subRunes, Text: sub})
		from = j
	}
	return out
}

// Span returns the first occurrence of sub in text, failing the test when
// there is none.
func Span(t testing.TB, text, sub string) faultline.Span {
	t.Helper()
	rt, rs := []rune(text), []rune(sub)
	for i := 0; i+len(rs) <= len(rt); i++ {
		if string(rt[i:i+len(rs)]) == sub {
			return faultline.Span{Start: i, End: i + len(rs), Text: sub}
		}
	}
	t.Fatalf("%q not found in the text", sub)
	return faultline.Span{}
}

// MustIngest builds and ingests a Doc, failing the test on error.
func MustIngest(t testing.TB, s faultline.Store, d Doc) faultline.IngestResult {
	t.Helper()
	src, ext := Build(t, d)
	res, err := s.IngestDocument(context.Background(), src, ext)
	if err != nil {
		t.Fatalf("ingest %q: %v", d.Title, err)
	}
	if res.Duplicate {
		t.Fatalf("ingest %q: unexpectedly a duplicate", d.Title)
	}
	return res
}

// MustFind resolves a reference, failing the test on error.
func MustFind(t testing.TB, s faultline.Store, ref string) *faultline.Entity {
	t.Helper()
	e, err := s.FindEntity(context.Background(), ref)
	if err != nil {
		t.Fatalf("FindEntity(%q): %v", ref, err)
	}
	return e
}

// wantCode fails the test unless err carries the faultline error code.
func wantCode(t testing.TB, what string, err error, code string) {
	t.Helper()
	if got := faultline.ErrorCode(err); got != code {
		t.Fatalf("%s: error code = %q (err %v), want %q", what, got, err, code)
	}
}

func str(s string) *string { return &s }

func intp(n int) *int { return &n }

// pause separates ingest times so that newest-first order is strict on
// backends with coarse clocks.
func pause() { time.Sleep(2 * time.Millisecond) }
