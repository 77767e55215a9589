// Package export turns a faultline.Snapshot into the files analysts take
// elsewhere. This package holds what the formats share — the neutral
// network of nodes and edges that the graph formats draw, the dates they
// need — and the two tabular formats, CSV (a folder of tables) and GeoJSON
// (places and located events). STIX 2.1, GraphML and GEXF have packages of
// their own under it.
//
// Every writer is a pure function of the snapshot: the same database and
// filter give byte-identical files. What the snapshot holds has already
// passed the TLP and date filters (see faultline.SnapshotFilter): nothing
// here filters again, so nothing here can leak.
package export

import (
	"slices"
	"strings"
	"time"

	"github.com/faultline-osint/faultline"
)

// Node kinds.
const (
	EntityNode = "entity"
	EventNode  = "event"
)

// Edge kinds.
const (
	RelationEdge    = "relation"    // a relation aggregate, subject → object
	ParticipantEdge = "participant" // an entity → the event it takes part in
	LocationEdge    = "location"    // an event → its place
)

// Node is an entity or an event of the network.
type Node struct {
	ID      string
	Kind    string // EntityNode or EventNode
	Label   string
	Type    string // the entity or event type
	Aliases []string
	// Lat and Lon are an entity's coordinates or an event's: a dataset
	// record's own, else its place's.
	Lat, Lon *float64
	// Sources counts the sources that mention an entity or support an
	// event.
	Sources int
	// Events only.
	Date          string
	Modality      string
	Fatalities    *int
	FatalitiesLow bool
	// Record is a dataset record's id ("ucdp:59553") and SubType the
	// dataset's kind of event; empty for events from claims.
	Record, SubType string
	// Start and End bound the node's time spell, as YYYY-MM-DD (inclusive);
	// empty for an open end. Entities have none: they are always there.
	Start, End string
}

// Edge is a relation or an event's link to a participant or place.
type Edge struct {
	ID     string
	Kind   string // RelationEdge, ParticipantEdge or LocationEdge
	Source string
	Target string
	// Label is the predicate, the participant's role, or "located_at".
	Label     string
	Symmetric bool
	Modality  string
	Sources   int
	Claims    int
	Denials   int
	Accepted  bool
	// ValidFrom and ValidTo are the claims' own validity; FirstReported
	// and LastReported the publication dates of their sources.
	ValidFrom, ValidTo          string
	FirstReported, LastReported string
	// Start and End bound the edge's time spell (YYYY-MM-DD, inclusive,
	// empty for open): from valid_from, else from the first report or
	// ingest; until valid_to, else open.
	Start, End string
}

// Network is the snapshot as a graph: entities and events as nodes,
// relations and event links as edges, both ordered by id.
type Network struct {
	Nodes []Node
	Edges []Edge
}

// NewNetwork builds the network of a snapshot. Edge ids are stable: a
// relation's is "r:" and its key, an event link's "e:" with the event, role
// and entity.
func NewNetwork(s *faultline.Snapshot) *Network {
	ix := s.Index()
	// Sized up front: a dataset's network has millions of edges, and
	// growing the slices would copy them again and again.
	edges := len(s.Relations)
	for i := range s.Events {
		edges += len(s.Events[i].Participants) + 1
	}
	n := &Network{Nodes: make([]Node, 0, len(s.Entities)+len(s.Events)), Edges: make([]Edge, 0, edges)}
	for _, e := range s.Entities {
		n.Nodes = append(n.Nodes, Node{
			ID: e.ID, Kind: EntityNode, Label: e.Name, Type: string(e.Type), Aliases: e.Aliases,
			Lat: e.Lat, Lon: e.Lon, Sources: len(s.Mentions[e.ID]),
		})
	}
	for _, r := range s.Relations {
		start := r.ValidFrom
		if start == "" {
			start = r.FirstReported
		}
		if start == "" {
			start = FirstIngested(ix, r.ClaimIDs)
		}
		end := lastDay(r.ValidTo)
		if start = firstDay(start); end != "" && start > end {
			// Ended before it was first reported: the start is unknown.
			start = ""
		}
		n.Edges = append(n.Edges, Edge{
			ID: "r:" + r.Subject.ID + ":" + string(r.Predicate) + ":" + r.Object.ID, Kind: RelationEdge,
			Source: r.Subject.ID, Target: r.Object.ID, Label: string(r.Predicate), Symmetric: r.Predicate.Symmetric(),
			Modality: string(r.Modality), Sources: r.Sources, Claims: r.Claims, Denials: r.Denials, Accepted: r.Accepted,
			ValidFrom: r.ValidFrom, ValidTo: r.ValidTo, FirstReported: r.FirstReported, LastReported: r.LastReported,
			Start: start, End: end,
		})
	}
	for _, e := range s.Events {
		node := Node{
			ID: e.ID, Kind: EventNode, Label: EventLabel(&e), Type: string(e.Type), Sources: e.Sources,
			Date: e.Date, Modality: string(e.Modality), Fatalities: e.Fatalities, FatalitiesLow: e.FatalitiesLow,
			Start: firstDay(e.Date), End: lastDay(e.Date),
		}
		if e.Location != nil {
			node.Lat, node.Lon = e.Location.Lat, e.Location.Lon
		}
		if r := e.Record; r != nil {
			// A record is where and when it says: its own point and the
			// period it allows (a week, for some ACLED rows).
			node.Record, node.SubType = r.ID, r.SubType
			if r.Lat != nil && r.Lon != nil {
				node.Lat, node.Lon = r.Lat, r.Lon
			}
			if start, end := firstDay(r.DateStart), lastDay(r.DateEnd); start != "" && end != "" && start <= end {
				node.Start, node.End = start, end
			}
		}
		n.Nodes = append(n.Nodes, node)
		link := func(kind, from, to, label string) {
			n.Edges = append(n.Edges, Edge{
				ID: "e:" + e.ID + ":" + label + ":" + from + ":" + to, Kind: kind, Source: from, Target: to, Label: label,
				Modality: string(e.Modality), Sources: e.Sources, Claims: len(e.ClaimIDs), Denials: e.Denials, Accepted: e.Accepted,
				Start: node.Start, End: node.End,
			})
		}
		for _, p := range e.Participants {
			link(ParticipantEdge, p.ID, e.ID, string(p.Role))
		}
		if e.Location != nil {
			link(LocationEdge, e.ID, e.Location.ID, "located_at")
		}
	}
	sortByID(n.Nodes, func(x *Node) string { return x.ID })
	sortByID(n.Edges, func(x *Edge) string { return x.ID })
	n.Edges = slices.CompactFunc(n.Edges, func(a, b Edge) bool { return a.ID == b.ID })
	return n
}

// sortByID orders xs by id, ties in their order. It sorts the positions
// and then moves each record once, cycle by cycle, rather than swapping
// records of some hundred bytes at every step of the sort: a dataset's
// network has millions of them.
func sortByID[T any](xs []T, id func(*T) string) {
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := strings.Compare(id(&xs[a]), id(&xs[b])); c != 0 {
			return c
		}
		return a - b
	})
	done := make([]bool, len(xs))
	for j := range order {
		if done[j] {
			continue
		}
		first := xs[j]
		for k := j; ; {
			done[k] = true
			from := order[k]
			if from == j {
				xs[k] = first
				break
			}
			xs[k] = xs[from]
			k = from
		}
	}
}

// EventLabel names an event for people: "raid, Mastung, 2025-03"; a
// dataset record's label ends with its id, "clash, Mir Ali, 2024-03-11
// (ucdp:59553)", as a dataset holds many records alike.
func EventLabel(e *faultline.Event) string {
	parts := []string{strings.ReplaceAll(string(e.Type), "_", " ")}
	if e.Location != nil && e.Location.Name != "" {
		parts = append(parts, e.Location.Name)
	}
	if e.Date != "" {
		parts = append(parts, e.Date)
	}
	label := strings.Join(parts, ", ")
	if e.Record != nil {
		label += " (" + e.Record.ID + ")"
	}
	return label
}

// FirstIngested returns the day (YYYY-MM-DD) the earliest source of the
// claims was ingested, "" when none is known.
func FirstIngested(ix faultline.Index, claimIDs []string) string {
	var first time.Time
	for _, id := range claimIDs {
		c := ix.Claim[id]
		if c == nil {
			continue
		}
		if s := ix.Source[c.SourceID]; s != nil && !s.IngestedAt.IsZero() && (first.IsZero() || s.IngestedAt.Before(first)) {
			first = s.IngestedAt
		}
	}
	if first.IsZero() {
		return ""
	}
	return first.UTC().Format(time.DateOnly)
}

// firstDay is the first day a partial date covers, "" for none.
func firstDay(date string) string {
	d, err := faultline.ParseDate(date)
	if err != nil {
		return ""
	}
	return d.FirstDay()
}

// lastDay is the last day a partial date covers, "" for none.
func lastDay(date string) string {
	d, err := faultline.ParseDate(date)
	if err != nil {
		return ""
	}
	return d.LastDay()
}
