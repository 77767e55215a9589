// Package gexf writes a Faultline network as GEXF 1.2 (gexf.net), Gephi's
// own format, with time intervals so that Gephi's timeline can play the
// graph through time.
//
// Nodes and edges are those of export.Network, with the same attributes as
// the GraphML export. The graph is dynamic (timeformat "date"): an edge
// carries start and end attributes (inclusive days) from the relation's
// valid_from and valid_to, or, when the claims give no validity, from the
// first publication (or ingest) of its sources, left open at the end; an
// event and its links last the days the event's date covers. Entities
// carry no interval: they are present throughout. Edge weight is the number
// of independent sources, left out (Gephi's default 1) when only denials
// support it. The document is written by hand, streaming, in a fixed
// order: the same snapshot gives the same bytes.
package gexf

import (
	"bufio"
	"encoding/xml"
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
	{"fatalities_is_lower_bound", "boolean"},
}

var edgeAttrs = []attr{
	{"kind", "string"}, {"predicate", "string"}, {"symmetric", "boolean"}, {"modality", "string"},
	{"sources", "integer"}, {"claims", "integer"}, {"denials", "integer"}, {"accepted", "boolean"},
	{"valid_from", "string"}, {"valid_to", "string"}, {"first_reported", "string"}, {"last_reported", "string"},
}

// Write writes the network as one GEXF document.
func Write(w io.Writer, n *export.Network) error {
	x := &writer{w: bufio.NewWriterSize(w, 64<<10)}
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.raw(`<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">` + "\n")
	x.raw("  <meta><creator>Faultline</creator><description>Sourced knowledge graph: entities, events, relations</description></meta>\n")
	x.raw(`  <graph mode="dynamic" defaultedgetype="directed" timeformat="date">` + "\n")
	declare := func(class string, as []attr) {
		x.raw(`    <attributes class="` + class + `" mode="static">` + "\n")
		for i, a := range as {
			x.raw(`      <attribute id="` + class[:1] + strconv.Itoa(i) + `" title="` + a.title + `" type="` + a.typ + `"/>` + "\n")
		}
		x.raw("    </attributes>\n")
	}
	declare("node", nodeAttrs)
	declare("edge", edgeAttrs)
	x.raw("    <nodes>\n")
	for _, nd := range n.Nodes {
		x.raw(`      <node id="`)
		x.esc(nd.ID)
		x.raw(`" label="`)
		x.esc(nd.Label)
		x.raw(`"`)
		x.interval(nd.Start, nd.End)
		x.raw(`><attvalues>`)
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
		x.raw("</attvalues></node>\n")
	}
	x.raw("    </nodes>\n    <edges>\n")
	for _, e := range n.Edges {
		x.raw(`      <edge id="`)
		x.esc(e.ID)
		x.raw(`" source="`)
		x.esc(e.Source)
		x.raw(`" target="`)
		x.esc(e.Target)
		x.raw(`" label="`)
		x.esc(e.Label)
		x.raw(`"`)
		if e.Sources > 0 {
			x.raw(` weight="` + strconv.Itoa(e.Sources) + `"`)
		}
		x.interval(e.Start, e.End)
		x.raw(`><attvalues>`)
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
		x.raw("</attvalues></edge>\n")
	}
	x.raw("    </edges>\n  </graph>\n</gexf>\n")
	if x.err == nil {
		x.err = x.w.Flush()
	}
	if x.err != nil {
		return fmt.Errorf("write gexf: %w", x.err)
	}
	return nil
}

// writer writes XML, keeping the first error.
type writer struct {
	w   *bufio.Writer
	err error
}

func (x *writer) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

func (x *writer) esc(s string) {
	if x.err == nil {
		x.err = xml.EscapeText(x.w, []byte(s))
	}
}

// interval writes start and end attributes, each only when known.
func (x *writer) interval(start, end string) {
	if start != "" {
		x.raw(` start="` + start + `"`)
	}
	if end != "" {
		x.raw(` end="` + end + `"`)
	}
}

// val writes an attvalue, or nothing for an empty value.
func (x *writer) val(id, v string) {
	if v == "" {
		return
	}
	x.raw(`<attvalue for="` + id + `" value="`)
	x.esc(v)
	x.raw(`"/>`)
}

func (x *writer) float(id string, f *float64) {
	if f != nil {
		x.val(id, strconv.FormatFloat(*f, 'f', -1, 64))
	}
}
