package gexf_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"testing"

	"github.com/faultline-osint/faultline/export"
	"github.com/faultline-osint/faultline/export/gexf"
)

// FuzzWellFormed writes names and labels taken from hostile documents
// (control characters, markup, invalid UTF-8) and checks the output is
// still well-formed XML.
func FuzzWellFormed(f *testing.F) {
	for _, s := range []string{"ISKP", "<b>&amp;\"'</b>", "\x00\x1b]0;", "\xff\xfe", "]]>", "Al-Qa'ida & \"friends\""} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, label, alias string) {
		n := &export.Network{
			Nodes: []export.Node{{ID: label, Kind: export.EntityNode, Label: label, Type: "armed_group", Aliases: []string{alias}},
				{ID: "b", Kind: export.EntityNode, Label: alias}},
			Edges: []export.Edge{{ID: alias, Kind: export.RelationEdge, Source: label, Target: "b", Label: label, Modality: alias}},
		}
		var buf bytes.Buffer
		if err := gexf.Write(&buf, n); err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(&buf)
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("not well-formed for %q, %q: %v", label, alias, err)
			}
		}
	})
}
