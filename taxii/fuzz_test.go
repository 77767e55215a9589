package taxii

import (
	"net/url"
	"testing"
)

// FuzzParseFilter feeds raw query strings, what any client controls, to
// the objects filter parser: it must never panic, must keep limit within
// 1..max, and a next token it accepts must come back from encode as is.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		"", "limit=10", "limit=0", "limit=99999999999999999999", "added_after=2025-04-02T09:00:00.000Z",
		"added_after=2025-04-02T09:00:00Z&match[type]=report,note", "match[id]=report--1,note--2&match[version]=last,first",
		"match[version]=2025-01-01T00:00:00.5Z", "match[spec_version]=2.0", "next=" + cursor{"2025-04-02T09:00:00.000Z", "note--x"}.encode(),
		"next=%%%", "match[colour]=red", "added_after=yesterday", "limit=-1&limit=5",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt, err := parseFilter(q, 50)
		if err != nil {
			return
		}
		if flt.limit < 1 || flt.limit > 50 {
			t.Fatalf("limit %d out of 1..50 for %q", flt.limit, raw)
		}
		if flt.after.added != "" {
			c, err := parseCursor(flt.after.encode())
			if err != nil || c != flt.after {
				t.Fatalf("cursor %+v does not round-trip: %+v, %v", flt.after, c, err)
			}
		}
	})
}

// FuzzAcceptable checks the Accept header parser never panics.
func FuzzAcceptable(f *testing.F) {
	for _, s := range []string{"", "*/*", TAXIIMediaType, "application/taxii+json; version=2.0", "text/html,application/xhtml+xml;q=0.9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { acceptable(s) })
}
