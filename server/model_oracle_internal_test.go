package server

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
	"github.com/faultline-osint/faultline/extract"
	"github.com/faultline-osint/faultline/importer"
	"github.com/faultline-osint/faultline/ingest"
	"github.com/faultline-osint/faultline/internal/synth"
	"github.com/faultline-osint/faultline/pathfind"
	"github.com/faultline-osint/faultline/sqlite"
)

// The read model is compact and built in one pass over rows the store
// streams; these tests check it against an oracle: the straightforward
// model, built from the store's own aggregates (Relations, Events,
// ClaimSources, EntityIndex, Sources) as faultline values keyed by entity
// id, with the answers computed from it as the server first computed
// them. Every relation, event, card, index, neighbourhood and path must
// come out the same.

// TestModelMatchesStore checks the model of a database holding the
// example briefs, a synthetic corpus, a dataset import, merges (one of
// them chained), rejected, accepted and edited claims.
func TestModelMatchesStore(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d, err := dictionary.Default()
	if err != nil {
		t.Fatal(err)
	}
	ex, err := extract.New(extract.Options{Dictionary: d})
	if err != nil {
		t.Fatal(err)
	}
	paths, _ := filepath.Glob("../examples/*.txt")
	mds, _ := filepath.Glob("../examples/*.md")
	if _, err := ingest.Run(ctx, db, ex, append(paths, mds...), ingest.Options{Meta: ingest.SourceMeta{Publisher: "P", Reliability: "B", Published: "2024-05"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := synth.Build(ctx, db, synth.Options{Entities: 400, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := importer.Import(ctx, db, "acled", "../importer/testdata/acled-synthetic.csv", importer.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, m := range [][2]string{{"Jamaat-ul-Ahrar", "TTP"}, {"TTP", "Haqqani Network"}} {
		if err := db.Merge(ctx, m[0], m[1], "t"); err != nil {
			t.Fatal(err)
		}
	}
	pg, err := db.ClaimPage(ctx, faultline.ClaimPageFilter{ClaimFilter: faultline.ClaimFilter{Limit: 400}})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range pg.Claims {
		switch i % 7 {
		case 1:
			err = db.SetClaimStatus(ctx, c.ID, faultline.StatusRejected, "t")
		case 2:
			err = db.SetClaimStatus(ctx, c.ID, faultline.StatusAccepted, "t")
		case 3:
			if c.Kind == faultline.RelationClaim {
				from, to := "2019", "2023-02"
				err = db.EditClaim(ctx, c.ID, faultline.ClaimEdit{Modality: faultline.Denied, ValidFrom: &from, ValidTo: &to}, "t")
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	checkModel(t, db, true)
}

// TestModelMatchesStoreDB checks the model of $FAULTLINE_MODEL_CHECK_DB
// (a synthetic database, say), answers sampled; it skips without one.
// The oracle takes as long and as much memory as the server once did.
func TestModelMatchesStoreDB(t *testing.T) {
	path := os.Getenv("FAULTLINE_MODEL_CHECK_DB")
	if path == "" {
		t.Skip("set FAULTLINE_MODEL_CHECK_DB to check the read model of a database")
	}
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checkModel(t, db, false)
}

func checkModel(t *testing.T, db *sqlite.DB, all bool) {
	ctx := context.Background()
	md, err := buildModel(ctx, db, discard())
	if err != nil {
		t.Fatal(err)
	}
	o, err := buildOracle(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if all && (len(o.events) == 0 || len(o.rels) == 0 || len(o.members) == 0) {
		t.Fatalf("the fixture lacks variety: %d relations, %d events, %d merge groups", len(o.rels), len(o.events), len(o.members))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	sample := func(n int) func(int) bool {
		if all {
			return func(int) bool { return true }
		}
		return func(int) bool { return rng.IntN(n) == 0 }
	}

	if len(md.rels) != len(o.rels) {
		t.Fatalf("%d relations, want %d", len(md.rels), len(o.rels))
	}
	for i := range o.rels {
		if got := md.relation(int32(i)); !reflect.DeepEqual(got, o.rels[i]) {
			t.Fatalf("relation %d:\n got %+v\nwant %+v", i, got, o.rels[i])
		}
	}
	if len(md.events) != len(o.events) {
		t.Fatalf("%d events, want %d", len(md.events), len(o.events))
	}
	for i := range o.events {
		if got := md.event(int32(i)); !reflect.DeepEqual(got, o.events[i]) {
			t.Fatalf("event %d:\n got %+v\nwant %+v", i, got, o.events[i])
		}
	}

	ids := make([]string, 0, len(o.ents))
	for id := range o.ents {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if md.entities != len(ids) {
		t.Fatalf("%d entities, want %d", md.entities, len(ids))
	}
	keep := sample(100)
	for n, id := range ids {
		if !md.has(id) || md.final(id) != o.final(id) {
			t.Fatalf("entity %s: has %v, final %s, want %s", id, md.has(id), md.final(id), o.final(id))
		}
		if !slices.Equal(md.relsOfID(id), o.relsOf[id]) || !slices.Equal(md.eventsOfID(id), o.eventsOf[id]) {
			t.Fatalf("entity %s: relations %v events %v, want %v %v", id, md.relsOfID(id), md.eventsOfID(id), o.relsOf[id], o.eventsOf[id])
		}
		if got, want := md.refOf(id), o.refs[id]; !reflect.DeepEqual(got, want) {
			t.Fatalf("reference of %s: got %+v, want %+v", id, got, want)
		}
		if !keep(n) {
			continue
		}
		for _, limit := range []int{1000, 3} {
			if got, want := md.card(id, limit), o.card(id, limit); !reflect.DeepEqual(got, want) {
				t.Fatalf("card of %s (%d sources):\n got %+v\nwant %+v", id, limit, got, want)
			}
		}
	}
	inRefs := 0
	for e := range int32(len(md.merged)) {
		if md.inRefs(e) {
			inRefs++
		}
	}
	if inRefs != len(o.refs) {
		t.Fatalf("%d entities in relations and events, want %d", inRefs, len(o.refs))
	}

	// Neighbourhoods of every final entity in relations, at several
	// bounds (tight ones truncate and make hubs of most nodes) and
	// filters.
	filters := []*relationFilter{{}, {predicates: map[faultline.Predicate]bool{faultline.Supports: true, faultline.HostileTo: true}},
		{minModality: faultline.Reported, minReliability: "C"}, {lo: "2020-01-01", hi: "2024-12-31"},
		{types: map[faultline.EntityType]bool{faultline.ArmedGroup: true}}}
	bounds := [][3]int{{1, 200, 2000}, {2, 6, 4}, {3, 60, 50}, {2, 500, 100000}}
	keep = sample(200)
	for n, id := range ids {
		if o.ents[id].MergedInto != "" || len(o.relsOf[id]) == 0 || !keep(n) {
			continue
		}
		e := md.ref(md.entity(id))
		for _, b := range bounds {
			for _, f := range filters {
				got, want := md.neighbourhood(e, b[0], b[1], b[2], f), o.neighbourhood(e, b[0], b[1], b[2], f)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("neighbourhood of %s %v %+v:\n got %+v\nwant %+v", id, b, f, got, want)
				}
			}
		}
		for _, f := range filters {
			for _, other := range []string{"", id} {
				g, w := *f, *f
				g.entity, w.entity, g.other, w.other = id, id, other, other
				if got, want := md.relations(&g), o.relations(&w); !slices.Equal(got, want) {
					t.Fatalf("relations of %s %+v: got %v, want %v", id, f, got, want)
				}
			}
		}
		ef := eventFilter{actor: id}
		if got, want := md.eventsMatching(&ef), o.eventsMatching(&oEventFilter{actor: id}); !slices.Equal(got, want) {
			t.Fatalf("events of %s: got %v, want %v", id, got, want)
		}
	}
	for _, f := range filters {
		g, w := *f, *f
		if got, want := md.relations(&g), o.relations(&w); !slices.Equal(got, want) {
			t.Fatalf("relations %+v: got %d, want %d", f, len(got), len(want))
		}
	}
	for _, f := range []oEventFilter{{}, {lo: "2023-01-01", hi: "2023-06-30"}, {minModality: faultline.Reported, minReliability: "B"},
		{types: map[faultline.EventType]bool{faultline.Attack: true}}} {
		ef := eventFilter{types: f.types, minModality: f.minModality, minReliability: f.minReliability, lo: f.lo, hi: f.hi}
		if got, want := md.eventsMatching(&ef), o.eventsMatching(&f); !slices.Equal(got, want) {
			t.Fatalf("events %+v: got %d, want %d", f, len(got), len(want))
		}
	}
	for _, id := range ids {
		if len(o.children[id]) == 0 {
			continue
		}
		got := map[string]bool{}
		for e := range md.placesWithin(id) {
			got[md.id(e)] = true
		}
		if want := o.placesWithin(id); !reflect.DeepEqual(got, want) {
			t.Fatalf("places within %s: got %v, want %v", id, got, want)
		}
	}

	// Paths: the network must number and order ties as the oracle's.
	net, err := pathfind.Load(ctx, oracleTies{Store: db, rels: o.rels}, faultline.TieFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if md.net.Nodes() != net.Nodes() || md.net.Ties() != net.Ties() {
		t.Fatalf("network of %d nodes and %d ties, want %d and %d", md.net.Nodes(), md.net.Ties(), net.Nodes(), net.Ties())
	}
	var tied []string
	for _, id := range ids {
		if o.ents[id].MergedInto == "" && len(o.relsOf[id]) > 0 {
			tied = append(tied, id)
		}
	}
	for range 40 {
		q := pathfind.Query{From: tied[rng.IntN(len(tied))], To: tied[rng.IntN(len(tied))], K: 3, MaxHops: 4}
		if q.From == q.To {
			continue
		}
		got, err1 := md.net.Paths(ctx, q)
		want, err2 := net.Paths(ctx, q)
		if fmt.Sprint(err1) != fmt.Sprint(err2) || !reflect.DeepEqual(got, want) {
			t.Fatalf("paths %s → %s:\n got %+v %v\nwant %+v %v", q.From, q.To, got, err1, want, err2)
		}
	}
}

// oracle is the read model as faultline values keyed by entity id.
type oracle struct {
	rels     []relation
	events   []event
	relsOf   map[string][]int32
	eventsOf map[string][]int32
	refs     map[string]faultline.EntityRef
	children map[string][]string
	ents     map[string]*oEnt
	members  map[string][]string
	sources  map[int64]*faultline.Source
	pairs    map[[2]string][]int32
}

type oEnt struct {
	faultline.Entity
	sources  []faultline.SourceMentions
	mentions int
}

func pairOf(x, y string) [2]string {
	if y < x {
		x, y = y, x
	}
	return [2]string{x, y}
}

func buildOracle(ctx context.Context, st Store) (*oracle, error) {
	o := &oracle{relsOf: map[string][]int32{}, eventsOf: map[string][]int32{}, refs: map[string]faultline.EntityRef{},
		children: map[string][]string{}, ents: map[string]*oEnt{}, members: map[string][]string{},
		sources: map[int64]*faultline.Source{}, pairs: map[[2]string][]int32{}}
	rels, err := st.Relations(ctx, faultline.RelationFilter{})
	if err != nil {
		return nil, err
	}
	evs, err := st.Events(ctx, faultline.EventFilter{})
	if err != nil {
		return nil, err
	}
	owner := map[string]int32{}
	for i := range rels {
		o.rels = append(o.rels, relation{Relation: rels[i]})
		for _, c := range rels[i].ClaimIDs {
			owner[c] = int32(i + 1)
		}
	}
	for i := range evs {
		o.events = append(o.events, event{Event: evs[i]})
		for _, c := range evs[i].ClaimIDs {
			owner[c] = -int32(i + 1)
		}
	}
	err = st.ClaimSources(ctx, func(cs faultline.ClaimSource) error {
		w, ok := owner[cs.ClaimID]
		if !ok {
			return nil
		}
		var p *faultline.Reliability
		if w > 0 {
			p = &o.rels[w-1].Reliability
		} else {
			p = &o.events[-w-1].Reliability
		}
		if *p == "" || cs.Reliability < *p {
			*p = cs.Reliability
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range o.rels {
		r := &o.rels[i]
		o.refs[r.Subject.ID], o.refs[r.Object.ID] = r.Subject, r.Object
		o.relsOf[r.Subject.ID] = append(o.relsOf[r.Subject.ID], int32(i))
		if r.Object.ID != r.Subject.ID {
			o.relsOf[r.Object.ID] = append(o.relsOf[r.Object.ID], int32(i))
		}
		k := pairOf(r.Subject.ID, r.Object.ID)
		o.pairs[k] = append(o.pairs[k], int32(i))
		if r.Predicate == faultline.LocatedIn && r.Modality != faultline.Denied {
			o.children[r.Object.ID] = append(o.children[r.Object.ID], r.Subject.ID)
		}
	}
	for i := range o.events {
		e := &o.events[i]
		seen := map[string]bool{}
		add := func(ref faultline.EntityRef) {
			o.refs[ref.ID] = ref
			if !seen[ref.ID] {
				seen[ref.ID] = true
				o.eventsOf[ref.ID] = append(o.eventsOf[ref.ID], int32(i))
			}
		}
		if e.Location != nil {
			add(*e.Location)
		}
		for _, p := range e.Participants {
			add(p.EntityRef)
		}
	}
	err = st.EntityIndex(ctx, func(e faultline.EntityIndexEntry) error {
		info := &oEnt{Entity: e.Entity, sources: e.Sources}
		for _, sm := range e.Sources {
			info.mentions += sm.Mentions
		}
		sort.Slice(info.sources, func(i, j int) bool {
			a, b := info.sources[i], info.sources[j]
			if a.Mentions != b.Mentions {
				return a.Mentions > b.Mentions
			}
			return a.SourceID < b.SourceID
		})
		o.ents[e.ID] = info
		return nil
	})
	if err != nil {
		return nil, err
	}
	for id, e := range o.ents {
		if e.MergedInto != "" {
			if f := o.final(id); f != id {
				o.members[f] = append(o.members[f], id)
			}
		}
	}
	for _, ms := range o.members {
		sort.Strings(ms)
	}
	srcs, err := st.Sources(ctx, faultline.SourceFilter{})
	if err != nil {
		return nil, err
	}
	for i := range srcs {
		o.sources[srcs[i].ID] = &srcs[i]
	}
	return o, nil
}

func (o *oracle) final(id string) string {
	for range 64 {
		e := o.ents[id]
		if e == nil || e.MergedInto == "" {
			return id
		}
		id = e.MergedInto
	}
	return id
}

func (o *oracle) card(id string, sourceLimit int) *faultline.EntityCard {
	e := o.ents[id]
	if e == nil {
		return nil
	}
	c := &faultline.EntityCard{Entity: e.Entity, Sources: []faultline.SourceCount{}, Mentions: e.mentions, SourceTotal: len(e.sources)}
	c.ExternalIDs = slices.Clone(e.ExternalIDs)
	srcs := e.sources
	if ms := o.members[id]; len(ms) > 0 {
		seen := map[string]bool{faultline.NormalizeName(e.Name): true}
		aliases := []string{}
		add := func(names ...string) {
			for _, a := range names {
				if n := faultline.NormalizeName(a); !seen[n] {
					seen[n] = true
					aliases = append(aliases, a)
				}
			}
		}
		add(e.Aliases...)
		counts := map[int64]int{}
		for _, sm := range e.sources {
			counts[sm.SourceID] += sm.Mentions
		}
		for _, mid := range ms {
			m := o.ents[mid]
			c.Merged = append(c.Merged, m.Entity)
			add(m.Name)
			add(m.Aliases...)
			c.Mentions += m.mentions
			for _, sm := range m.sources {
				counts[sm.SourceID] += sm.Mentions
			}
		}
		sort.Strings(aliases)
		c.Aliases = aliases
		srcs = nil
		for sid, n := range counts {
			srcs = append(srcs, faultline.SourceMentions{SourceID: sid, Mentions: n})
		}
		sort.Slice(srcs, func(i, j int) bool {
			if srcs[i].Mentions != srcs[j].Mentions {
				return srcs[i].Mentions > srcs[j].Mentions
			}
			return srcs[i].SourceID < srcs[j].SourceID
		})
		c.SourceTotal = len(srcs)
	} else {
		c.Aliases = slices.Clone(e.Aliases)
	}
	for _, sm := range srcs {
		if len(c.Sources) == sourceLimit {
			break
		}
		if s := o.sources[sm.SourceID]; s != nil {
			c.Sources = append(c.Sources, faultline.SourceCount{Source: *s, Mentions: sm.Mentions})
		}
	}
	return c
}

func (o *oracle) placesWithin(place string) map[string]bool {
	in := map[string]bool{place: true}
	queue := []string{place}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range o.children[p] {
			if !in[c] {
				in[c] = true
				queue = append(queue, c)
			}
		}
	}
	return in
}

func (o *oracle) keep(f *relationFilter, r *relation) bool {
	switch {
	case f.entity != "" && r.Subject.ID != f.entity && r.Object.ID != f.entity:
	case f.other != "" && r.Subject.ID != f.other && r.Object.ID != f.other:
	case len(f.predicates) > 0 && !f.predicates[r.Predicate]:
	case len(f.types) > 0 && !f.types[r.Subject.Type] && !f.types[r.Object.Type]:
	case f.minModality != "" && r.Modality.Strength() < f.minModality.Strength():
	case f.minReliability != "" && (r.Reliability == "" || r.Reliability > f.minReliability):
	default:
		if f.lo == "" && f.hi == "" {
			return true
		}
		from, to := r.span()
		if from == "" && to == "" {
			return false
		}
		return (f.lo == "" || to == "" || dayOf(to, true) >= f.lo) && (f.hi == "" || from == "" || dayOf(from, false) <= f.hi)
	}
	return false
}

func (o *oracle) relations(f *relationFilter) []int32 {
	var idx []int32
	if f.entity != "" {
		idx = o.relsOf[f.entity]
	} else if f.other != "" {
		idx = o.relsOf[f.other]
	}
	var out []int32
	if idx != nil || f.entity != "" || f.other != "" {
		for _, i := range idx {
			if o.keep(f, &o.rels[i]) {
				out = append(out, i)
			}
		}
		sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
		return out
	}
	for i := range o.rels {
		if o.keep(f, &o.rels[i]) {
			out = append(out, int32(i))
		}
	}
	return out
}

type oEventFilter struct {
	actor          string
	types          map[faultline.EventType]bool
	minModality    faultline.Modality
	minReliability faultline.Reliability
	lo, hi         string
}

func (o *oracle) eventsMatching(f *oEventFilter) []int32 {
	keep := func(e *event) bool {
		switch {
		case f.actor != "" && !slices.ContainsFunc(e.Participants, func(p faultline.EventParticipant) bool { return p.ID == f.actor }):
		case len(f.types) > 0 && !f.types[e.Type]:
		case f.minModality != "" && e.Modality.Strength() < f.minModality.Strength():
		case f.minReliability != "" && (e.Reliability == "" || e.Reliability > f.minReliability):
		case !faultline.DateOverlaps(e.Date, f.lo, f.hi):
		default:
			return true
		}
		return false
	}
	var out []int32
	if f.actor != "" {
		for _, i := range o.eventsOf[f.actor] {
			if keep(&o.events[i]) {
				out = append(out, i)
			}
		}
		return out
	}
	for i := range o.events {
		if keep(&o.events[i]) {
			out = append(out, int32(i))
		}
	}
	return out
}

func (o *oracle) neighbourhood(center faultline.EntityRef, hops, maxNodes, maxEdges int, f *relationFilter) *neighbourhood {
	out := &neighbourhood{Center: center}
	hop := map[string]int{center.ID: 0}
	order := []string{center.ID}
	frontier := []string{center.ID}
	for h := 1; h <= hops && len(frontier) > 0 && !out.Truncated; h++ {
		var next []string
		for _, id := range frontier {
			for _, i := range o.relsOf[id] {
				r := &o.rels[i]
				if !o.keep(f, r) {
					continue
				}
				other := r.Object.ID
				if other == id {
					other = r.Subject.ID
				}
				if _, ok := hop[other]; ok {
					continue
				}
				if len(order) >= maxNodes {
					out.Truncated = true
					break
				}
				hop[other] = h
				order = append(order, other)
				next = append(next, other)
			}
			if out.Truncated {
				break
			}
		}
		frontier = next
	}
	out.Nodes = make([]graphNode, 0, len(order))
	out.Edges = make([]graphEdge, 0, min(maxEdges, 2*len(order)))
	for _, id := range order {
		ref, ok := o.refs[id]
		if !ok {
			ref = faultline.EntityRef{ID: id}
		}
		if id == center.ID {
			ref = center
		}
		out.Nodes = append(out.Nodes, graphNode{EntityRef: ref, Degree: len(o.relsOf[id]), Hop: hop[id]})
	}
	seen := map[int32]bool{}
	addEdge := func(i int32) bool {
		if seen[i] {
			return true
		}
		r := &o.rels[i]
		_, s := hop[r.Subject.ID]
		_, ob := hop[r.Object.ID]
		if !s || !ob || !o.keep(f, r) {
			return true
		}
		seen[i] = true
		if len(out.Edges) >= maxEdges {
			out.Truncated = true
			return false
		}
		from, to := r.span()
		out.Edges = append(out.Edges, graphEdge{ID: i, Subject: r.Subject.ID, Object: r.Object.ID, Predicate: r.Predicate,
			Modality: r.Modality, Sources: r.Sources, Reliability: r.Reliability, From: from, To: to})
		return true
	}
edges:
	for k, id := range order {
		if rs := o.relsOf[id]; len(rs) <= len(order) {
			for _, i := range rs {
				if !addEdge(i) {
					break edges
				}
			}
			continue
		}
		for _, other := range order[k:] {
			for _, i := range o.pairs[pairOf(id, other)] {
				if !addEdge(i) {
					break edges
				}
			}
		}
	}
	sort.Slice(out.Edges, func(i, j int) bool { return out.Edges[i].ID < out.Edges[j].ID })
	return out
}

// oracleTies serves pathfind the oracle's relations, in its order.
type oracleTies struct {
	Store
	rels []relation
}

func (t oracleTies) Ties(ctx context.Context, f faultline.TieFilter, fn func(faultline.Tie) error) error {
	for _, r := range t.rels {
		if err := fn(faultline.Tie{Subject: r.Subject.ID, Object: r.Object.ID, Predicate: r.Predicate, Modality: r.Modality, Sources: r.Sources}); err != nil {
			return err
		}
	}
	return nil
}
