// Package graphml writes a Faultline network as GraphML
// (graphml.graphdrawing.org), which Gephi, yEd, Cytoscape, igraph and
// networkx read.
//
// Nodes are entities and events (attribute kind; a dataset record's event
// also carries record, its id, and sub_type); edges are relations
// (kind "relation", label the predicate) and events' links to their
// participants (kind "participant", label the role) and places (kind
// "location"). The graph is directed: a symmetric predicate (allied_with,
// affiliated_with, hostile_to) is one edge from the smaller id to the
// larger with symmetric=true, as the store folds it. Parallel edges (two
// predicates between the same pair) carry distinct ids. A value that is
// unknown is left out rather than written empty, so readers do not take ""
// or 0 for data. The document is written by hand, streaming, in a fixed
// order: the same snapshot gives the same bytes.
package graphml

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/faultline-osint/faultline/export"
)

// key is one GraphML attribute declaration.
type key struct {
	id, for_, name, typ string
}

var keys = []key{
	{"n_kind", "node", "kind", "string"},
	{"n_label", "node", "label", "string"},
	{"n_type", "node", "type", "string"},
	{"n_aliases", "node", "aliases", "string"},
	{"n_lat", "node", "lat", "double"},
	{"n_lon", "node", "lon", "double"},
	{"n_sources", "node", "sources", "int"},
	{"n_date", "node", "date", "string"},
	{"n_modality", "node", "modality", "string"},
	{"n_fatalities", "node", "fatalities", "int"},
	{"n_fatalities_low", "node", "fatalities_is_lower_bound", "boolean"},
	{"n_start", "node", "start", "string"},
	{"n_end", "node", "end", "string"},
	{"n_record", "node", "record", "string"},
	{"n_sub_type", "node", "sub_type", "string"},
	{"e_kind", "edge", "kind", "string"},
	{"e_label", "edge", "label", "string"},
	{"e_symmetric", "edge", "symmetric", "boolean"},
	{"e_modality", "edge", "modality", "string"},
	{"e_sources", "edge", "sources", "int"},
	{"e_claims", "edge", "claims", "int"},
	{"e_denials", "edge", "denials", "int"},
	{"e_accepted", "edge", "accepted", "boolean"},
	{"e_valid_from", "edge", "valid_from", "string"},
	{"e_valid_to", "edge", "valid_to", "string"},
	{"e_first_reported", "edge", "first_reported", "string"},
	{"e_last_reported", "edge", "last_reported", "string"},
	{"e_start", "edge", "start", "string"},
	{"e_end", "edge", "end", "string"},
}

// Write writes the network as one GraphML document.
func Write(w io.Writer, n *export.Network) error {
	x := writer{export.NewXMLWriter(w)}
	x.Raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.Raw(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	for _, k := range keys {
		x.Raw(`  <key id="` + k.id + `" for="` + k.for_ + `" attr.name="` + k.name + `" attr.type="` + k.typ + `"/>` + "\n")
	}
	x.Raw(`  <graph id="faultline" edgedefault="directed">` + "\n")
	for _, nd := range n.Nodes {
		x.Raw(`    <node id="`)
		x.Esc(nd.ID)
		x.Raw(`">`)
		x.data("n_kind", nd.Kind)
		x.data("n_label", nd.Label)
		x.data("n_type", nd.Type)
		x.data("n_aliases", strings.Join(nd.Aliases, "; "))
		x.float("n_lat", nd.Lat)
		x.float("n_lon", nd.Lon)
		x.data("n_sources", strconv.Itoa(nd.Sources))
		x.data("n_date", nd.Date)
		x.data("n_modality", nd.Modality)
		if nd.Fatalities != nil {
			x.data("n_fatalities", strconv.Itoa(*nd.Fatalities))
			x.data("n_fatalities_low", strconv.FormatBool(nd.FatalitiesLow))
		}
		x.data("n_start", nd.Start)
		x.data("n_end", nd.End)
		x.data("n_record", nd.Record)
		x.data("n_sub_type", nd.SubType)
		x.Raw("</node>\n")
	}
	for _, e := range n.Edges {
		x.Raw(`    <edge id="`)
		x.Esc(e.ID)
		x.Raw(`" source="`)
		x.Esc(e.Source)
		x.Raw(`" target="`)
		x.Esc(e.Target)
		x.Raw(`">`)
		x.data("e_kind", e.Kind)
		x.data("e_label", e.Label)
		x.data("e_symmetric", strconv.FormatBool(e.Symmetric))
		x.data("e_modality", e.Modality)
		x.data("e_sources", strconv.Itoa(e.Sources))
		x.data("e_claims", strconv.Itoa(e.Claims))
		x.data("e_denials", strconv.Itoa(e.Denials))
		x.data("e_accepted", strconv.FormatBool(e.Accepted))
		x.data("e_valid_from", e.ValidFrom)
		x.data("e_valid_to", e.ValidTo)
		x.data("e_first_reported", e.FirstReported)
		x.data("e_last_reported", e.LastReported)
		x.data("e_start", e.Start)
		x.data("e_end", e.End)
		x.Raw("</edge>\n")
	}
	x.Raw("  </graph>\n</graphml>\n")
	if err := x.Close(); err != nil {
		return fmt.Errorf("write graphml: %w", err)
	}
	return nil
}

// writer adds the format's own elements to the shared XML writer.
type writer struct{ *export.XMLWriter }

// data writes a <data> element, or nothing for an empty value.
func (x writer) data(key, v string) {
	if v == "" {
		return
	}
	x.Raw(`<data key="` + key + `">`)
	x.Esc(v)
	x.Raw(`</data>`)
}

func (x writer) float(key string, f *float64) {
	if f != nil {
		x.data(key, strconv.FormatFloat(*f, 'f', -1, 64))
	}
}
