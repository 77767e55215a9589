package server

import (
	"context"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/pathfind"
)

// The read model: every relation and event aggregated once, indexed by
// entity, and the path-finding network, so that a profile, a
// neighbourhood, a path, the timeline and the map cost what they return
// rather than an aggregation over the whole database. It is rebuilt after
// this server writes, and when the store's fingerprint shows that another
// process (a CLI ingest) wrote; readers wait for the rebuild rather than
// see an answer that contradicts what they just did.

// relation is an aggregated relation with the best reliability of the
// sources supporting it.
type relation struct {
	faultline.Relation
	Reliability faultline.Reliability `json:"best_reliability"`
}

// event is an aggregated event with the best reliability of its sources.
type event struct {
	faultline.Event
	Reliability faultline.Reliability `json:"best_reliability"`
}

// model is one consistent read model.
type model struct {
	fingerprint string
	built       time.Time
	rels        []relation
	events      []event
	relsOf      map[string][]int32 // entity → relations it is in
	eventsOf    map[string][]int32 // entity → events it takes part in or hosts
	refs        map[string]faultline.EntityRef
	children    map[string][]string // place → places located in it
	net         *pathfind.Network
	ents        map[string]*entInfo         // every entity, merged ones included
	members     map[string][]string         // final entity → the entities merged into it
	sources     map[int64]*faultline.Source // without text
	pairs       map[pair][]int32            // unordered pair of entities → relations between them
	took        time.Duration               // how long the build took
	cache       *respCache                  // encoded answers from this model
	statsOnce   sync.Once
	stats       faultline.Stats
	statsErr    error
}

// storeStats counts what the store holds, once per model: counting a
// large database takes a good part of a second.
func (md *model) storeStats(ctx context.Context, st Store) (faultline.Stats, error) {
	// Not the request's context: a client that goes away must not leave an
	// error here for the model's life.
	md.statsOnce.Do(func() { md.stats, md.statsErr = st.Stats(context.WithoutCancel(ctx)) })
	return md.stats, md.statsErr
}

// entInfo is an entity with where it is mentioned, most mentions first.
type entInfo struct {
	faultline.Entity
	sources  []faultline.SourceMentions
	mentions int
}

// pair is an unordered pair of entity ids, smaller first.
type pair struct{ a, b string }

func pairOf(x, y string) pair {
	if y < x {
		x, y = y, x
	}
	return pair{x, y}
}

// models holds the current model and rebuilds it when stale. A model
// that builds quickly is rebuilt before the next answer, so that an
// analyst's change shows at once; one that takes longer than syncBuild
// (a database of 100,000 entities takes some 30 seconds) is rebuilt in
// the background while the last one keeps serving, and pages say that
// figures may lag.
type models struct {
	st      Store
	log     *slog.Logger
	cur     atomic.Pointer[model]
	stale   atomic.Bool
	running atomic.Bool // a background rebuild is under way
	mu      sync.Mutex  // serialises builds
}

// syncBuild is the longest build a reader waits for after a write; a
// variable so that a test can make every build count as long.
var syncBuild = 2 * time.Second

func newModels(st Store, log *slog.Logger) *models {
	return &models{st: st, log: log}
}

// invalidate marks the model stale.
func (m *models) invalidate() { m.stale.Store(true) }

// get returns the model to answer from.
func (m *models) get(ctx context.Context) (*model, error) {
	cur := m.cur.Load()
	if cur == nil {
		return m.build(ctx)
	}
	if m.stale.Load() {
		if cur.took < syncBuild {
			return m.build(ctx)
		}
		m.kick()
	}
	return cur, nil
}

// fresh returns the model if it is built and not stale, without building
// or waiting: nil otherwise.
func (m *models) fresh() *model {
	cur := m.cur.Load()
	if cur == nil || m.stale.Load() {
		return nil
	}
	return cur
}

// lagging reports whether answers may not yet show the latest writes.
func (m *models) lagging() bool {
	cur := m.cur.Load()
	return cur != nil && cur.took >= syncBuild && (m.stale.Load() || m.running.Load())
}

// build builds a model now unless another build already made a fresh
// one.
func (m *models) build(ctx context.Context) (*model, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if cur := m.cur.Load(); cur != nil && !m.stale.Load() {
		return cur, nil
	}
	m.stale.Store(false)
	md, err := buildModel(ctx, m.st, m.log)
	if err != nil {
		m.stale.Store(true)
		return nil, err
	}
	m.cur.Store(md)
	m.log.Info("read model built", "relations", len(md.rels), "events", len(md.events), "entities", len(md.ents),
		"duration", md.took.Round(time.Millisecond))
	return md, nil
}

// kick starts a background rebuild unless one is running; it rebuilds
// until the model is no longer stale.
func (m *models) kick() {
	if !m.running.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer m.running.Store(false)
		for m.stale.Load() {
			if _, err := m.build(context.Background()); err != nil {
				m.log.Error("read model rebuild failed", "err", err)
				return
			}
		}
	}()
}

// poll compares the store's fingerprint with the model's every interval
// and marks the model stale when another process wrote. It returns a
// function that stops it.
func (m *models) poll(ctx context.Context, every time.Duration) func() {
	if every < 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				cur := m.cur.Load()
				if cur == nil || m.stale.Load() {
					continue
				}
				fp, err := m.st.Fingerprint(ctx)
				if err == nil && fp != cur.fingerprint {
					m.log.Info("database changed; the read model will be rebuilt")
					m.invalidate()
				}
			}
		}
	}()
	return cancel
}

// tieStore serves pathfind the model's ties from memory and everything
// else from the store.
type tieStore struct {
	Store
	rels []relation
}

func (t tieStore) Ties(ctx context.Context, f faultline.TieFilter, fn func(faultline.Tie) error) error {
	for _, r := range t.rels {
		if err := fn(faultline.Tie{Subject: r.Subject.ID, Object: r.Object.ID, Predicate: r.Predicate, Modality: r.Modality, Sources: r.Sources}); err != nil {
			return err
		}
	}
	return nil
}

// buildModel reads and indexes everything. The fingerprint is read first,
// so that a write during the build makes the model look stale at the next
// poll rather than hide.
func buildModel(ctx context.Context, st Store, log *slog.Logger) (*model, error) {
	md := &model{built: time.Now(), relsOf: map[string][]int32{}, eventsOf: map[string][]int32{},
		refs: map[string]faultline.EntityRef{}, children: map[string][]string{}, ents: map[string]*entInfo{},
		members: map[string][]string{}, sources: map[int64]*faultline.Source{}, pairs: map[pair][]int32{},
		cache: newRespCache(cacheLimit)}
	phase := time.Now()
	lap := func(what string) {
		log.Debug("read model", "phase", what, "duration", time.Since(phase).Round(time.Millisecond))
		phase = time.Now()
	}
	var err error
	if md.fingerprint, err = st.Fingerprint(ctx); err != nil {
		return nil, err
	}
	rels, err := st.Relations(ctx, faultline.RelationFilter{})
	if err != nil {
		return nil, err
	}
	lap("relations")
	evs, err := st.Events(ctx, faultline.EventFilter{})
	if err != nil {
		return nil, err
	}
	lap("events")
	// Which aggregate each claim belongs to, for the reliability of the
	// sources behind it: relations as i+1, events as -(i+1).
	owner := make(map[string]int32, len(rels)*2)
	md.rels = make([]relation, len(rels))
	for i := range rels {
		md.rels[i] = relation{Relation: rels[i]}
		for _, c := range rels[i].ClaimIDs {
			owner[c] = int32(i + 1)
		}
	}
	rels = nil
	md.events = make([]event, len(evs))
	for i := range evs {
		md.events[i] = event{Event: evs[i]}
		for _, c := range evs[i].ClaimIDs {
			owner[c] = -int32(i + 1)
		}
	}
	evs = nil
	err = st.ClaimSources(ctx, func(cs faultline.ClaimSource) error {
		o, ok := owner[cs.ClaimID]
		if !ok {
			return nil
		}
		var p *faultline.Reliability
		if o > 0 {
			p = &md.rels[o-1].Reliability
		} else {
			p = &md.events[-o-1].Reliability
		}
		if *p == "" || cs.Reliability < *p {
			*p = cs.Reliability
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	owner = nil
	lap("claim sources")
	for i := range md.rels {
		r := &md.rels[i]
		md.refs[r.Subject.ID], md.refs[r.Object.ID] = r.Subject, r.Object
		md.relsOf[r.Subject.ID] = append(md.relsOf[r.Subject.ID], int32(i))
		if r.Object.ID != r.Subject.ID {
			md.relsOf[r.Object.ID] = append(md.relsOf[r.Object.ID], int32(i))
		}
		k := pairOf(r.Subject.ID, r.Object.ID)
		md.pairs[k] = append(md.pairs[k], int32(i))
		if r.Predicate == faultline.LocatedIn && r.Modality != faultline.Denied {
			md.children[r.Object.ID] = append(md.children[r.Object.ID], r.Subject.ID)
		}
	}
	for i := range md.events {
		e := &md.events[i]
		seen := map[string]bool{}
		add := func(ref faultline.EntityRef) {
			md.refs[ref.ID] = ref
			if !seen[ref.ID] {
				seen[ref.ID] = true
				md.eventsOf[ref.ID] = append(md.eventsOf[ref.ID], int32(i))
			}
		}
		if e.Location != nil {
			add(*e.Location)
		}
		for _, p := range e.Participants {
			add(p.EntityRef)
		}
	}
	lap("indexes")
	if md.net, err = pathfind.Load(ctx, tieStore{Store: st, rels: md.rels}, faultline.TieFilter{}); err != nil {
		return nil, err
	}
	lap("path network")
	err = st.EntityIndex(ctx, func(e faultline.EntityIndexEntry) error {
		info := &entInfo{Entity: e.Entity, sources: e.Sources}
		for _, sm := range e.Sources {
			info.mentions += sm.Mentions
		}
		sortSources(info.sources)
		md.ents[e.ID] = info
		return nil
	})
	if err != nil {
		return nil, err
	}
	for id, e := range md.ents {
		if e.MergedInto != "" {
			if f := md.final(id); f != id {
				md.members[f] = append(md.members[f], id)
			}
		}
	}
	for _, ms := range md.members {
		sort.Strings(ms)
	}
	lap("entities")
	srcs, err := st.Sources(ctx, faultline.SourceFilter{})
	if err != nil {
		return nil, err
	}
	for i := range srcs {
		md.sources[srcs[i].ID] = &srcs[i]
	}
	lap("sources")
	md.took = time.Since(md.built)
	return md, nil
}

// sortSources orders an entity's sources by mentions, most first, then
// by id.
func sortSources(ss []faultline.SourceMentions) {
	sort.Slice(ss, func(i, j int) bool {
		if ss[i].Mentions != ss[j].Mentions {
			return ss[i].Mentions > ss[j].Mentions
		}
		return ss[i].SourceID < ss[j].SourceID
	})
}

// final follows merges from id to the entity no merge absorbed.
func (md *model) final(id string) string {
	for range 64 {
		e := md.ents[id]
		if e == nil || e.MergedInto == "" {
			return id
		}
		id = e.MergedInto
	}
	return id
}

// card builds an entity's card from the model: the entity with the
// aliases of its merge group, the entities merged into it, and the
// sources that mention the group, at most sourceLimit of them.
func (md *model) card(id string, sourceLimit int) *faultline.EntityCard {
	e := md.ents[id]
	if e == nil {
		return nil
	}
	c := &faultline.EntityCard{Entity: e.Entity, Sources: []faultline.SourceCount{}, Mentions: e.mentions, SourceTotal: len(e.sources)}
	c.ExternalIDs = slices.Clone(e.ExternalIDs)
	srcs := e.sources
	if ms := md.members[id]; len(ms) > 0 {
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
			m := md.ents[mid]
			if m == nil {
				continue
			}
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
		srcs = make([]faultline.SourceMentions, 0, len(counts))
		for sid, n := range counts {
			srcs = append(srcs, faultline.SourceMentions{SourceID: sid, Mentions: n})
		}
		sortSources(srcs)
		c.SourceTotal = len(srcs)
	} else {
		c.Aliases = slices.Clone(e.Aliases)
	}
	for _, sm := range srcs {
		if len(c.Sources) == sourceLimit {
			break
		}
		if s := md.sources[sm.SourceID]; s != nil {
			c.Sources = append(c.Sources, faultline.SourceCount{Source: *s, Mentions: sm.Mentions})
		}
	}
	return c
}

// placesWithin returns place and every place located in it, transitively.
func (md *model) placesWithin(place string) map[string]bool {
	in := map[string]bool{place: true}
	queue := []string{place}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range md.children[p] {
			if !in[c] {
				in[c] = true
				queue = append(queue, c)
			}
		}
	}
	return in
}

// span returns the time a relation covers: its validity, else the dates
// of the sources that report it.
func (r *relation) span() (from, to string) {
	from, to = r.ValidFrom, r.ValidTo
	if from == "" && to == "" {
		from, to = r.FirstReported, r.LastReported
	}
	return from, to
}

// relationFilter is what the API filters relations by.
type relationFilter struct {
	entity, other  string
	predicates     map[faultline.Predicate]bool
	types          map[faultline.EntityType]bool
	minModality    faultline.Modality
	minReliability faultline.Reliability
	lo, hi         string // inclusive day range, "" open
}

func (f *relationFilter) keep(r *relation) bool {
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

// dayOf returns the last (or first) day a partial date covers, "" when it
// is not a date.
func dayOf(d string, last bool) string {
	x, err := faultline.ParseDate(d)
	if err != nil {
		return ""
	}
	if last {
		return x.LastDay()
	}
	return x.FirstDay()
}

// relations returns the indexes of the relations passing f, in the
// model's order (by predicate, strength, sources).
func (md *model) relations(f *relationFilter) []int32 {
	var idx []int32
	if f.entity != "" {
		idx = md.relsOf[f.entity]
	} else if f.other != "" {
		idx = md.relsOf[f.other]
	}
	var out []int32
	if idx != nil || f.entity != "" || f.other != "" {
		for _, i := range idx {
			if f.keep(&md.rels[i]) {
				out = append(out, i)
			}
		}
		sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
		return out
	}
	for i := range md.rels {
		if f.keep(&md.rels[i]) {
			out = append(out, int32(i))
		}
	}
	return out
}

// eventFilter is what the API filters events by.
type eventFilter struct {
	actor          string
	places         map[string]bool
	types          map[faultline.EventType]bool
	minModality    faultline.Modality
	minReliability faultline.Reliability
	lo, hi         string
}

func (f *eventFilter) keep(e *event) bool {
	switch {
	case f.actor != "" && !hasParticipant(&e.Event, f.actor):
	case f.places != nil && (e.Location == nil || !f.places[e.Location.ID]):
	case len(f.types) > 0 && !f.types[e.Type]:
	case f.minModality != "" && e.Modality.Strength() < f.minModality.Strength():
	case f.minReliability != "" && (e.Reliability == "" || e.Reliability > f.minReliability):
	case !faultline.DateOverlaps(e.Date, f.lo, f.hi):
	default:
		return true
	}
	return false
}

func hasParticipant(e *faultline.Event, id string) bool {
	for _, p := range e.Participants {
		if p.ID == id {
			return true
		}
	}
	return false
}

// eventsMatching returns the indexes of the events passing f, by date.
func (md *model) eventsMatching(f *eventFilter) []int32 {
	var out []int32
	if f.actor != "" {
		for _, i := range md.eventsOf[f.actor] {
			if f.keep(&md.events[i]) {
				out = append(out, i)
			}
		}
		return out
	}
	for i := range md.events {
		if f.keep(&md.events[i]) {
			out = append(out, int32(i))
		}
	}
	return out
}

// graphNode and graphEdge are what the network view draws.
type graphNode struct {
	faultline.EntityRef
	Degree int `json:"degree"`
	Hop    int `json:"hop"`
}

type graphEdge struct {
	ID          int32                 `json:"id"`
	Subject     string                `json:"subject"`
	Object      string                `json:"object"`
	Predicate   faultline.Predicate   `json:"predicate"`
	Modality    faultline.Modality    `json:"modality"`
	Sources     int                   `json:"sources"`
	Reliability faultline.Reliability `json:"best_reliability,omitempty"`
	From        string                `json:"from,omitempty"`
	To          string                `json:"to,omitempty"`
}

// neighbourhood is the answer of the neighbourhood endpoint.
type neighbourhood struct {
	Center    faultline.EntityRef `json:"center"`
	Nodes     []graphNode         `json:"nodes"`
	Edges     []graphEdge         `json:"edges"`
	Truncated bool                `json:"truncated"`
}

// neighbourhood walks breadth-first from center over the relations that
// pass f, up to hops ties away, keeping at most maxNodes nodes (nearest
// first, then the best-connected) and maxEdges edges among them.
func (md *model) neighbourhood(center faultline.EntityRef, hops, maxNodes, maxEdges int, f *relationFilter) *neighbourhood {
	out := &neighbourhood{Center: center}
	size := min(maxNodes, len(md.relsOf[center.ID])+1)
	if hops > 1 {
		size = maxNodes
	}
	size = min(size, 4096)
	hop := make(map[string]int, size)
	hop[center.ID] = 0
	order := make([]string, 1, size)
	order[0] = center.ID
	frontier := []string{center.ID}
	for h := 1; h <= hops && len(frontier) > 0 && !out.Truncated; h++ {
		var next []string
		for _, id := range frontier {
			for _, i := range md.relsOf[id] {
				r := &md.rels[i]
				if !f.keep(r) {
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
		ref, ok := md.refs[id]
		if !ok {
			ref = faultline.EntityRef{ID: id}
		}
		if id == center.ID {
			ref = center
		}
		out.Nodes = append(out.Nodes, graphNode{EntityRef: ref, Degree: len(md.relsOf[id]), Hop: hop[id]})
	}
	// Edges among the nodes: from each node's relations, or, for a node
	// with more relations than there are nodes (a hub), from the pair
	// index, so that a hub costs what the neighbourhood holds.
	seen := map[int32]bool{}
	addEdge := func(i int32) bool {
		if seen[i] {
			return true
		}
		r := &md.rels[i]
		_, s := hop[r.Subject.ID]
		_, o := hop[r.Object.ID]
		if !s || !o || !f.keep(r) {
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
		if rs := md.relsOf[id]; len(rs) <= len(order) {
			for _, i := range rs {
				if !addEdge(i) {
					break edges
				}
			}
			continue
		}
		for _, other := range order[k:] {
			for _, i := range md.pairs[pairOf(id, other)] {
				if !addEdge(i) {
					break edges
				}
			}
		}
	}
	sort.Slice(out.Edges, func(i, j int) bool { return out.Edges[i].ID < out.Edges[j].ID })
	return out
}
