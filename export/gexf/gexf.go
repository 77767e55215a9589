// Package gexf writes a Faultline network as GEXF 1.2 (gexf.net), Gephi's
// own format, with time intervals so that Gephi's timeline can play the
// graph through time.
//
// Nodes and edges are those of export.Network, with the same attributes as
// the GraphML export. The graph is dynamic (timeformat "date"): an edge
// carries start and end attributes (inclusive days) from the relation's
// valid_from and valid_to, or, when the claims give no validity, from the
// first publication (or ingest) of its sources, left open at the end; an
// event and its links last the days the event's date covers (a dataset
// record's, the period the record allows). Entities
// carry no interval: they are present throughout. Edge weight is the number
// of independent sources, left out (Gephi's default 1) when only denials
// support it. The document is written by hand, streaming, in a fixed
// order: the same snapshot gives the same bytes.
package gexf

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/faultline-osint/faultline/export"
)

// attr is one GEXF attribute declaration; the id is its index.
type attr struct{ title, typ string }

var nodeAttrs = []attr{
	{"kind", "string"}, {"type", "string"}, {"aliases", "string"}, {"lat", "double"}, {"lon", "double"},
	{"sources", "integer"}, {"date", "string"}, {"modality", "string"}, {"fatalities", "integer"},
	{"fatalities_is_lower_bound", "boolean"}, {"record", "string"}, {"sub_type", "string"},
}

var edgeAttrs = []attr{
	{"kind", "string"}, {"predicate", "string"}, {"symmetric", "boolean"}, {"modality", "string"},
	{"sources", "integer"}, {"claims", "integer"}, {"denials", "integer"}, {"accepted", "boolean"},
	{"valid_from", "string"}, {"valid_to", "string"}, {"first_reported", "string"}, {"last_reported", "string"},
}

// Write writes the network as one GEXF document.
func Write(w io.Writer, n *export.Network) error {
	x := writer{export.NewXMLWriter(w)}
	x.Raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.Raw(`<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">` + "\n")
	x.Raw("  <meta><creator>Faultline</creator><description>Sourced knowledge graph: entities, events, relations</description></meta>\n")
	x.Raw(`  <graph mode="dynamic" defaultedgetype="directed" timeformat="date">` + "\n")
	declare := func(class string, as []attr) {
		x.Raw(`    <attributes class="` + class + `" mode="static">` + "\n")
		for i, a := range as {
			x.Raw(`      <attribute id="` + class[:1] + strconv.Itoa(i) + `" title="` + a.title + `" type="` + a.typ + `"/>` + "\n")
		}
		x.Raw("    </attributes>\n")
	}
	declare("node", nodeAttrs)
	declare("edge", edgeAttrs)
	x.Raw("    <nodes>\n")
	for _, nd := range n.Nodes {
		x.Raw(`      <node id="`)
		x.Esc(nd.ID)
		x.Raw(`" label="`)
		x.Esc(nd.Label)
		x.Raw(`"`)
		x.interval(nd.Start, nd.End)
		x.Raw(`><attvalues>`)
		x.val("n0", nd.Kind)
		x.val("n1", nd.Type)
		x.val("n2", strings.Join(nd.Aliases, "; "))
		x.float("n3", nd.Lat)
		x.float("n4", nd.Lon)
		x.val("n5", strconv.Itoa(nd.Sources))
		x.val("n6", nd.Date)
		x.val("n7", nd.Modality)
		if nd.Fatalities != nil {
			x.val("n8", strconv.Itoa(*nd.Fatalities))
			x.val("n9", strconv.FormatBool(nd.FatalitiesLow))
		}
		x.val("n10", nd.Record)
		x.val("n11", nd.SubType)
		x.Raw("</attvalues></node>\n")
	}
	x.Raw("    </nodes>\n    <edges>\n")
	for _, e := range n.Edges {
		x.Raw(`      <edge id="`)
		x.Esc(e.ID)
		x.Raw(`" source="`)
		x.Esc(e.Source)
		x.Raw(`" target="`)
		x.Esc(e.Target)
		x.Raw(`" label="`)
		x.Esc(e.Label)
		x.Raw(`"`)
		if e.Sources > 0 {
			x.Raw(` weight="` + strconv.Itoa(e.Sources) + `"`)
		}
		x.interval(e.Start, e.End)
		x.Raw(`><attvalues>`)
		x.val("e0", e.Kind)
		x.val("e1", e.Label)
		x.val("e2", strconv.FormatBool(e.Symmetric))
		x.val("e3", e.Modality)
		x.val("e4", strconv.Itoa(e.Sources))
		x.val("e5", strconv.Itoa(e.Claims))
		x.val("e6", strconv.Itoa(e.Denials))
		x.val("e7", strconv.FormatBool(e.Accepted))
		x.val("e8", e.ValidFrom)
		x.val("e9", e.ValidTo)
		x.val("e10", e.FirstReported)
		x.val("e11", e.LastReported)
		x.Raw("</attvalues></edge>\n")
	}
	x.Raw("    </edges>\n  </graph>\n</gexf>\n")
	if err := x.Close(); err != nil {
		return fmt.Errorf("write gexf: %w", err)
	}
	return nil
}

// writer adds the format's own elements to the shared XML writer.
type writer struct{ *export.XMLWriter }

// interval writes start and end attributes, each only when known.
func (x writer) interval(start, end string) {
	if start != "" {
		x.Raw(` start="` + start + `"`)
	}
	if end != "" {
		x.Raw(` end="` + end + `"`)
	}
}

// val writes an attvalue, or nothing for an empty value.
func (x writer) val(id, v string) {
	if v == "" {
		return
	}
	x.Raw(`<attvalue for="` + id + `" value="`)
	x.Esc(v)
	x.Raw(`"/>`)
}

func (x writer) float(id string, f *float64) {
	if f != nil {
		x.val(id, strconv.FormatFloat(*f, 'f', -1, 64))
	}
}
