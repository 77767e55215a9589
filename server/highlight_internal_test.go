package server

import (
	"strings"
	"testing"
)

// TestHighlight: overlapping spans cut the text into segments, each
// listing every annotation over it; the text survives whole, in code
// points; the focused claim is anchored once.
func TestHighlight(t *testing.T) {
	text := "Ünïcode: ISKP attacked Kabul. Then more."
	anns := []annotation{
		{key: "c-1", class: "rel", start: 0, end: 29},
		{key: "m0", class: "mention t-armed_group", start: 9, end: 13},
		{key: "m1", class: "mention t-location", start: 23, end: 28},
		{key: "c-2", class: "evt", start: 9, end: 29},
		{key: "bad", class: "x", start: 35, end: 99}, // past the end: clipped
		{key: "empty", class: "x", start: 5, end: 5},
	}
	segs := highlight(text, anns, "2")
	var b strings.Builder
	anchors := 0
	for _, s := range segs {
		b.WriteString(s.Text)
		if s.Anchor {
			anchors++
		}
	}
	if b.String() != text {
		t.Fatalf("segments rebuild %q", b.String())
	}
	if anchors != 1 {
		t.Errorf("%d anchors, want 1", anchors)
	}
	find := func(s string) segment {
		for _, g := range segs {
			if g.Text == s {
				return g
			}
		}
		t.Fatalf("no segment %q in %+v", s, segs)
		return segment{}
	}
	if g := find("ISKP"); g.Keys != "c-1 m0 c-2" || !strings.Contains(g.Classes, "focus") || !strings.Contains(g.Classes, "t-armed_group") {
		t.Errorf("ISKP: %+v", g)
	}
	if g := find("Ünïcode: "); g.Keys != "c-1" || strings.Contains(g.Classes, "focus") {
		t.Errorf("prefix: %+v", g)
	}
	if g := find(" attacked "); g.Keys != "c-1 c-2" {
		t.Errorf("between: %+v", g)
	}
}
