package faultline

import (
	"context"
	"slices"
	"sort"
	"time"
)

// SnapshotFilter says which part of the database an export may see.
type SnapshotFilter struct {
	// MaxTLP keeps only what comes from sources marked at most this
	// restrictively; empty keeps everything. Records above it never enter
	// the snapshot: their claims, the relations and events only they
	// support, the entities only they mention and the aliases only they
	// use.
	MaxTLP TLP
	// Since, a partial ISO date, keeps the sources ingested or published
	// on or after its first day, and what they support.
	Since string
	// IncludeUnsourced keeps the entities no source mentions and no claim
	// names (reference entities from dictionaries or lists). They carry no
	// marking, so they are public; they are left out when Since is set.
	IncludeUnsourced bool
}

// Validate checks the marking and the date.
func (f *SnapshotFilter) Validate() error {
	if f.MaxTLP != "" && f.MaxTLP.Level() < 0 {
		return Errorf(EINVALID, "tlp %q: want clear, green, amber, amber+strict or red", f.MaxTLP)
	}
	if f.Since != "" {
		if _, err := ParseDate(f.Since); err != nil {
			return Errorf(EINVALID, "since: %w", err)
		}
	}
	return nil
}

// Restricted reports whether the filter hides anything: a marking below
// red or a date.
func (f *SnapshotFilter) Restricted() bool {
	return f.MaxTLP != "" && f.MaxTLP != TLPRed || f.Since != ""
}

// SinceKeeps reports whether a source passes the Since bound: ingested on
// or after its first day, or published on a date that reaches it.
func (f *SnapshotFilter) SinceKeeps(s *Source) bool {
	if f.Since == "" {
		return true
	}
	d, err := ParseDate(f.Since)
	if err != nil {
		return false
	}
	first := d.FirstDay()
	if !s.IngestedAt.IsZero() && s.IngestedAt.UTC().Format(time.DateOnly) >= first {
		return true
	}
	p, err := ParseDate(s.Published)
	return err == nil && p.LastDay() >= first
}

// Snapshot is a consistent view of the graph for an export, taken in one
// read transaction: the sources the filter keeps (without their text), the
// claims they hold (rejected ones left out, entity ids final after merges,
// with evidence and participants), the relations and events aggregated
// from those claims alone, the records of the event datasets they hold,
// and the entities they name or mention.
type Snapshot struct {
	// Sources are ordered by id.
	Sources []Source `json:"sources"`
	// Entities are the final entities, ordered by id. Their aliases
	// include the names and aliases of the entities merged into them.
	Entities []Entity `json:"entities"`
	// Claims are ordered by source, then id.
	Claims []Claim `json:"claims"`
	// Relations and Events name their entities (EntityRef filled in).
	// Events holds both the events aggregated from claims and the records
	// of the kept dataset files (UCDP GED, ACLED), each an event of its
	// own with Record set, its words included: exporters take them as
	// events like any other, and a record's file is its one source.
	Relations []Relation `json:"relations"`
	Events    []Event    `json:"events"`
	// Mentions lists, for each entity, the sources that mention it, by
	// id; a dataset file mentions the entities its records name.
	Mentions map[string][]int64 `json:"mentions"`
}

// SnapshotService gives exports a filtered, consistent view of the graph.
type SnapshotService interface {
	// Snapshot reads what the filter keeps. It fails with EINVALID for a
	// bad filter.
	Snapshot(ctx context.Context, f SnapshotFilter) (*Snapshot, error)
}

// Index maps ids to the records of a snapshot.
type Index struct {
	Source map[int64]*Source
	Entity map[string]*Entity
	Claim  map[string]*Claim
}

// Index builds the maps from ids to records; the pointers point into s.
func (s *Snapshot) Index() Index {
	ix := Index{
		Source: make(map[int64]*Source, len(s.Sources)),
		Entity: make(map[string]*Entity, len(s.Entities)),
		Claim:  make(map[string]*Claim, len(s.Claims)),
	}
	for i := range s.Sources {
		ix.Source[s.Sources[i].ID] = &s.Sources[i]
	}
	for i := range s.Entities {
		ix.Entity[s.Entities[i].ID] = &s.Entities[i]
	}
	for i := range s.Claims {
		ix.Claim[s.Claims[i].ID] = &s.Claims[i]
	}
	return ix
}

// Neighbourhood returns the part of the snapshot within hops of the entity
// id: the entities reachable through at most hops relations (either
// direction) or shared events (an event joins its participants and its
// place), the relations and events among them, the claims of those, the
// sources of the claims and the files of the dataset records among the
// events, and the entities the claims attribute statements to. It fails
// with ENOTFOUND when the entity is not in the snapshot.
func (s *Snapshot) Neighbourhood(id string, hops int) (*Snapshot, error) {
	ix := s.Index()
	if ix.Entity[id] == nil {
		return nil, Errorf(ENOTFOUND, "entity %s is not in the export (above the TLP limit, before --since, or without claims)", id)
	}
	adj := map[string][]string{}
	link := func(a, b string) {
		if a != b {
			adj[a] = append(adj[a], b)
			adj[b] = append(adj[b], a)
		}
	}
	for _, r := range s.Relations {
		link(r.Subject.ID, r.Object.ID)
	}
	for _, e := range s.Events {
		ids := eventEntities(&e)
		for i := range ids {
			for j := i + 1; j < len(ids); j++ {
				link(ids[i], ids[j])
			}
		}
	}
	dist := map[string]int{id: 0}
	queue := []string{id}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if dist[n] == hops {
			continue
		}
		for _, m := range adj[n] {
			if _, ok := dist[m]; !ok {
				dist[m] = dist[n] + 1
				queue = append(queue, m)
			}
		}
	}
	in := func(ids ...string) bool {
		for _, x := range ids {
			if _, ok := dist[x]; !ok {
				return false
			}
		}
		return true
	}
	out := &Snapshot{Mentions: map[string][]int64{}}
	claims := map[string]bool{}
	for _, r := range s.Relations {
		if in(r.Subject.ID, r.Object.ID) {
			out.Relations = append(out.Relations, r)
			for _, c := range r.ClaimIDs {
				claims[c] = true
			}
		}
	}
	srcs := map[int64]bool{}
	for _, e := range s.Events {
		if in(eventEntities(&e)...) {
			out.Events = append(out.Events, e)
			if e.Record != nil {
				// A dataset record's file is its source; it has no
				// claims.
				srcs[e.Record.SourceID] = true
				continue
			}
			for _, c := range e.ClaimIDs {
				claims[c] = true
			}
		}
	}
	ents := map[string]bool{}
	for x := range dist {
		ents[x] = true
	}
	for _, c := range s.Claims {
		if claims[c.ID] {
			out.Claims = append(out.Claims, c)
			srcs[c.SourceID] = true
			if c.AttributedTo != "" {
				ents[c.AttributedTo] = true
			}
		}
	}
	for _, src := range s.Sources {
		if srcs[src.ID] {
			out.Sources = append(out.Sources, src)
		}
	}
	for _, e := range s.Entities {
		if ents[e.ID] {
			out.Entities = append(out.Entities, e)
			for _, sid := range s.Mentions[e.ID] {
				if srcs[sid] {
					out.Mentions[e.ID] = append(out.Mentions[e.ID], sid)
				}
			}
		}
	}
	return out, nil
}

// eventEntities lists the entities an event names: its place and its
// participants.
func eventEntities(e *Event) []string {
	var ids []string
	if e.Location != nil {
		ids = append(ids, e.Location.ID)
	}
	for _, p := range e.Participants {
		if !slices.Contains(ids, p.ID) {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

// SortSnapshot puts the records of a snapshot in their documented order:
// sources by id, entities by id, claims by source then id, relations and
// events as SortRelations and SortEvents order them.
func SortSnapshot(s *Snapshot) {
	sort.Slice(s.Sources, func(i, j int) bool { return s.Sources[i].ID < s.Sources[j].ID })
	sort.Slice(s.Entities, func(i, j int) bool { return s.Entities[i].ID < s.Entities[j].ID })
	sort.Slice(s.Claims, func(i, j int) bool {
		a, b := &s.Claims[i], &s.Claims[j]
		if a.SourceID != b.SourceID {
			return a.SourceID < b.SourceID
		}
		return a.ID < b.ID
	})
	SortRelations(s.Relations)
	SortEvents(s.Events)
}
