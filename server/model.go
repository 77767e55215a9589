package server

import (
	"context"
	"log/slog"
	"math"
	"slices"
	"sort"
	"strconv"
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
//
// It is compact (see table.go): entities are numbered, and relations,
// events and the indexes over them refer to entities by number, in flat
// arrays without pointers; answers materialise the faultline types they
// return from it. At 100,000 entities it keeps a quarter of the memory
// that the aggregates as faultline values took, and the garbage collector
// has next to nothing in it to mark. It is built in one pass over rows
// the store streams (see modelbuild.go).

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

// rel is a relation in the model.
type rel struct {
	subj, obj                int32 // entities
	sources, claims, denials int32
	// Dates, as indexes in model.dates (0 is none).
	validFrom, validTo, firstRep, lastRep int32
	extra                                 int32  // roles and support kinds: index in model.extras, 0 for none
	pred                                  uint16 // index in model.preds
	mod                                   uint8  // index in faultline.Modalities
	rely                                  uint8  // best reliability, a letter; 0 for none
	accepted                              bool
}

// relExtra is what few relations have: roles and support kinds, sorted.
type relExtra struct{ roles, kinds []string }

// evt is an event in the model.
type evt struct {
	loc              int32 // entity, -1 for none
	date             int32 // index in model.dates
	fatalities       int32
	sources, denials int32
	typ              uint16 // index in model.evTypes
	mod, rely        uint8
	flags            uint8
}

const (
	evAccepted = 1 << iota
	evFatalities
	evFatalitiesLow
)

// part is an event's participant.
type part struct {
	ent  int32
	role uint8 // index in roles
}

var roles = []faultline.ParticipantRole{faultline.RoleAgent, faultline.RoleTarget, faultline.RoleDestination, faultline.RoleOther}

// srcCount is how often a source (an index in model.srcIDs) mentions an
// entity.
type srcCount struct{ src, n int32 }

// merged values beyond entity numbers.
const (
	notMerged = -1
	phantom   = -2 // named by a claim, unknown to the store's entities
)

// model is one consistent read model.
type model struct {
	fingerprint string
	built       time.Time
	took        time.Duration // how long the build took
	cache       *respCache    // encoded answers from this model

	// Entities, numbered in the order the store gave them, then the
	// phantoms.
	ids      strtab
	idIndex  strIndex
	names    strtab
	nameOf   []int32 // entity → its name in names; 0 is ""
	types    []uint8 // index in entTypes
	entTypes []faultline.EntityType
	lat, lon []float64 // NaN for none
	merged   []int32   // the entity merged into, notMerged or phantom
	aliases  map[int32][]string
	extIDs   map[int32][]faultline.ExternalID
	smOff    []uint32 // entity e's sources are sm[smOff[e]:smEnd[e]], most mentions first
	smEnd    []uint32
	sm       []srcCount
	mentions []int32
	entities int               // of the store, merged ones included
	members  map[int32][]int32 // final entity → the entities merged into it, by id

	// Sources, by id, without text: their strings in srcText, each
	// source's at srcFields (repeated values, as publishers, once).
	srcIDs    []int64
	srcFields [][srcFieldCount]int32
	srcText   strtab
	srcChars  []int
	srcAt     []time.Time

	rels      []rel // by predicate, strength, sources
	relClaims []uint32
	claimIDs  ids16 // of relations: relation i's are relClaims[i]:relClaims[i+1]
	relsOf    csr   // entity → relations it is in, ascending
	// For hubs (entities in more than hubDegree relations): the other
	// end of each relation in relsOf, sorted, so that the relations
	// between a hub and another entity are a binary search away.
	hubs map[int32][]pairRel

	events     []evt // by date
	eventIDs   ids16
	partItems  []part // event i's participants are partItems[partOff[i]:partOff[i+1]]
	partOff    []uint32
	evClaimOff []uint32
	evClaimIDs ids16
	records    map[int32]*faultline.EventRecord // dataset events' records
	eventsOf   csr                              // entity → events it takes part in or hosts, by date

	dates   []string // dates as answers give them; 0 is ""
	preds   []faultline.Predicate
	evTypes []faultline.EventType
	extras  []relExtra

	childrenOnce sync.Once
	children     map[int32][]int32 // place → places located in it

	net *pathfind.Network

	statsOnce sync.Once
	stats     faultline.Stats
	statsErr  error
}

// pairRel is a relation of a hub, known by its other end.
type pairRel struct{ other, rel int32 }

// hubDegree is the degree above which an entity's relations are indexed
// by their other end; below it, scanning them is as quick.
const hubDegree = 32

// storeStats counts what the store holds, once per model: counting a
// large database takes a good part of a second.
func (md *model) storeStats(ctx context.Context, st Store) (faultline.Stats, error) {
	// Not the request's context: a client that goes away must not leave an
	// error here for the model's life.
	md.statsOnce.Do(func() { md.stats, md.statsErr = st.Stats(context.WithoutCancel(ctx)) })
	return md.stats, md.statsErr
}

// models holds the current model and rebuilds it when stale. A model
// that builds quickly is rebuilt before the next answer, so that an
// analyst's change shows at once; one that takes longer than syncBuild
// (a database of 100,000 entities takes some 10 seconds) is rebuilt in
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
	m.log.Info("read model built", "relations", len(md.rels), "events", len(md.events), "entities", md.entities,
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

// Entities.

// entity returns the number of an entity id, or -1.
func (md *model) entity(id string) int32 {
	e, _ := md.idIndex.find(&md.ids, id)
	return e
}

// known reports whether e is an entity of the store (not a phantom).
func (md *model) known(e int32) bool { return e >= 0 && md.merged[e] != phantom }

// has reports whether the model holds the entity id.
func (md *model) has(id string) bool { return md.known(md.entity(id)) }

func (md *model) id(e int32) string { return md.ids.get(e) }

// coords returns pointers to an entity's coordinates, or nils.
func (md *model) coords(e int32) (lat, lon *float64) {
	if math.IsNaN(md.lat[e]) {
		return nil, nil
	}
	return &md.lat[e], &md.lon[e]
}

// ref returns an entity's reference: a phantom's names its id only.
func (md *model) ref(e int32) faultline.EntityRef {
	r := faultline.EntityRef{ID: md.ids.get(e), Name: md.names.get(md.nameOf[e]), Type: md.entTypes[md.types[e]]}
	r.Lat, r.Lon = md.coords(e)
	return r
}

// ent returns an entity of the store as faultline gives it.
func (md *model) ent(e int32) faultline.Entity {
	x := faultline.Entity{ID: md.ids.get(e), Name: md.names.get(md.nameOf[e]), Type: md.entTypes[md.types[e]], Aliases: []string{}}
	if a := md.aliases[e]; a != nil {
		x.Aliases = a
	}
	x.ExternalIDs = md.extIDs[e]
	x.Lat, x.Lon = md.coords(e)
	if m := md.merged[e]; m >= 0 {
		x.MergedInto = md.ids.get(m)
	}
	return x
}

// final follows merges from id to the entity no merge absorbed.
func (md *model) final(id string) string {
	e := md.entity(id)
	if !md.known(e) {
		return id
	}
	return md.ids.get(md.finalOf(e))
}

func (md *model) finalOf(e int32) int32 {
	for range 64 {
		if !md.known(e) || md.merged[e] < 0 {
			return e
		}
		e = md.merged[e]
	}
	return e
}

// inRefs reports whether an entity is named by a relation or an event.
func (md *model) inRefs(e int32) bool {
	return len(md.relsOf.list(e)) > 0 || len(md.eventsOf.list(e)) > 0
}

// refOf returns the reference of an entity named by a relation or an
// event, else the zero reference.
func (md *model) refOf(id string) faultline.EntityRef {
	if e := md.entity(id); e >= 0 && md.inRefs(e) {
		return md.ref(e)
	}
	return faultline.EntityRef{}
}

// relsOfID returns the relations an entity id is in, ascending.
func (md *model) relsOfID(id string) []int32 { return md.relsOf.list(md.entity(id)) }

// eventsOfID returns the events an entity id takes part in or hosts.
func (md *model) eventsOfID(id string) []int32 { return md.eventsOf.list(md.entity(id)) }

// sources returns an entity's sources, most mentions first.
func (md *model) sources(e int32) []srcCount { return md.sm[md.smOff[e]:md.smEnd[e]] }

// source returns the index of a source id in md.srcIDs, or -1.
func (md *model) source(id int64) int32 {
	// Source ids are mostly 1, 2, 3, …: try that first.
	if id >= 1 && id <= int64(len(md.srcIDs)) && md.srcIDs[id-1] == id {
		return int32(id - 1)
	}
	i, ok := slices.BinarySearch(md.srcIDs, id)
	if !ok {
		return -1
	}
	return int32(i)
}

// The strings of a source, in model.srcFields.
const (
	srcSHA = iota
	srcTitle
	srcURL
	srcPublisher
	srcAuthor
	srcPublished
	srcPath
	srcFormat
	srcReliability
	srcTLP
	srcFieldCount
)

// sourceAt returns source i, without its text.
func (md *model) sourceAt(i int32) faultline.Source {
	f := &md.srcFields[i]
	t := &md.srcText
	return faultline.Source{ID: md.srcIDs[i], SHA256: t.get(f[srcSHA]), Title: t.get(f[srcTitle]), URL: t.get(f[srcURL]),
		Publisher: t.get(f[srcPublisher]), Author: t.get(f[srcAuthor]), Published: t.get(f[srcPublished]), Path: t.get(f[srcPath]),
		Format: t.get(f[srcFormat]), Reliability: faultline.Reliability(t.get(f[srcReliability])), TLP: faultline.TLP(t.get(f[srcTLP])),
		Chars: md.srcChars[i], IngestedAt: md.srcAt[i]}
}

// card builds an entity's card from the model: the entity with the
// aliases of its merge group, the entities merged into it, and the
// sources that mention the group, at most sourceLimit of them.
func (md *model) card(id string, sourceLimit int) *faultline.EntityCard {
	ei := md.entity(id)
	if !md.known(ei) {
		return nil
	}
	e := md.ent(ei)
	srcs := md.sources(ei)
	c := &faultline.EntityCard{Entity: e, Sources: []faultline.SourceCount{}, Mentions: int(md.mentions[ei]), SourceTotal: len(srcs)}
	c.ExternalIDs = slices.Clone(e.ExternalIDs)
	if ms := md.members[ei]; len(ms) > 0 {
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
		counts := map[int32]int32{}
		for _, sm := range srcs {
			counts[sm.src] += sm.n
		}
		for _, mi := range ms {
			m := md.ent(mi)
			c.Merged = append(c.Merged, m)
			add(m.Name)
			add(m.Aliases...)
			c.Mentions += int(md.mentions[mi])
			for _, sm := range md.sources(mi) {
				counts[sm.src] += sm.n
			}
		}
		sort.Strings(aliases)
		c.Aliases = aliases
		srcs = make([]srcCount, 0, len(counts))
		for s, n := range counts {
			srcs = append(srcs, srcCount{s, n})
		}
		md.sortSources(srcs)
		c.SourceTotal = len(srcs)
	} else {
		c.Aliases = slices.Clone(e.Aliases)
	}
	for _, sm := range srcs {
		if len(c.Sources) == sourceLimit {
			break
		}
		c.Sources = append(c.Sources, faultline.SourceCount{Source: md.sourceAt(sm.src), Mentions: int(sm.n)})
	}
	return c
}

// sortSources orders an entity's sources by mentions, most first, then
// by id (sources are numbered by id).
func (md *model) sortSources(ss []srcCount) {
	slices.SortFunc(ss, func(a, b srcCount) int {
		if a.n != b.n {
			return int(b.n - a.n)
		}
		return int(a.src - b.src)
	})
}

// placesWithin returns place and every place located in it, transitively.
func (md *model) placesWithin(place string) map[int32]bool {
	md.childrenOnce.Do(func() {
		// Rarely asked, so built on first use.
		md.children = map[int32][]int32{}
		for i := range md.rels {
			r := &md.rels[i]
			if md.preds[r.pred] == faultline.LocatedIn && faultline.Modalities[r.mod] != faultline.Denied {
				md.children[r.obj] = append(md.children[r.obj], r.subj)
			}
		}
	})
	p := md.entity(place)
	if p < 0 {
		// Known to no relation or event: nothing is located there.
		return map[int32]bool{}
	}
	in := map[int32]bool{p: true}
	queue := []int32{p}
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

// Relations.

// span returns the time a relation covers: its validity, else the dates
// of the sources that report it.
func (md *model) span(r *rel) (from, to string) {
	from, to = md.dates[r.validFrom], md.dates[r.validTo]
	if from == "" && to == "" {
		from, to = md.dates[r.firstRep], md.dates[r.lastRep]
	}
	return from, to
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

// relation materialises relation i.
func (md *model) relation(i int32) relation {
	r := &md.rels[i]
	out := relation{Relation: faultline.Relation{
		Subject: md.ref(r.subj), Predicate: md.preds[r.pred], Object: md.ref(r.obj), Modality: faultline.Modalities[r.mod],
		Sources: int(r.sources), Claims: int(r.claims), Denials: int(r.denials), Accepted: r.accepted,
		ValidFrom: md.dates[r.validFrom], ValidTo: md.dates[r.validTo], FirstReported: md.dates[r.firstRep], LastReported: md.dates[r.lastRep],
		ClaimIDs: make([]string, 0, md.relClaims[i+1]-md.relClaims[i]),
	}, Reliability: relyOf(r.rely)}
	if r.extra != 0 {
		out.Roles, out.SupportKinds = md.extras[r.extra].roles, md.extras[r.extra].kinds
	}
	for c := md.relClaims[i]; c < md.relClaims[i+1]; c++ {
		out.ClaimIDs = append(out.ClaimIDs, md.claimIDs.get(int32(c)))
	}
	return out
}

// reliabilities gives a grade's letter as a Reliability without
// allocating.
var reliabilities = func() (t [256]faultline.Reliability) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = faultline.Reliability(string(c))
	}
	return t
}()

func relyOf(b uint8) faultline.Reliability { return reliabilities[b] }

// relationFilter is what the API filters relations by.
type relationFilter struct {
	entity, other  string
	predicates     map[faultline.Predicate]bool
	types          map[faultline.EntityType]bool
	minModality    faultline.Modality
	minReliability faultline.Reliability
	lo, hi         string // inclusive day range, "" open
	ent, oth       int32  // entity and other as numbers, set by relations
}

func (md *model) keep(f *relationFilter, r *rel) bool {
	switch {
	case f.entity != "" && r.subj != f.ent && r.obj != f.ent:
	case f.other != "" && r.subj != f.oth && r.obj != f.oth:
	case len(f.predicates) > 0 && !f.predicates[md.preds[r.pred]]:
	case len(f.types) > 0 && !f.types[md.entTypes[md.types[r.subj]]] && !f.types[md.entTypes[md.types[r.obj]]]:
	case f.minModality != "" && faultline.Modalities[r.mod].Strength() < f.minModality.Strength():
	case f.minReliability != "" && (r.rely == 0 || relyOf(r.rely) > f.minReliability):
	default:
		if f.lo == "" && f.hi == "" {
			return true
		}
		from, to := md.span(r)
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
	f.ent, f.oth = -1, -1
	if f.entity != "" {
		f.ent = md.entity(f.entity)
	}
	if f.other != "" {
		f.oth = md.entity(f.other)
	}
	var out []int32
	if f.entity != "" || f.other != "" {
		idx := md.relsOf.list(f.ent)
		if f.entity == "" {
			idx = md.relsOf.list(f.oth)
		}
		for _, i := range idx {
			if md.keep(f, &md.rels[i]) {
				out = append(out, i)
			}
		}
		return out
	}
	for i := range md.rels {
		if md.keep(f, &md.rels[i]) {
			out = append(out, int32(i))
		}
	}
	return out
}

// Events.

// event materialises event i.
func (md *model) event(i int32) event {
	e := &md.events[i]
	out := event{Event: faultline.Event{
		ID: md.eventIDs.get(i), Type: md.evTypes[e.typ], Date: md.dates[e.date], Modality: faultline.Modalities[e.mod],
		Sources: int(e.sources), Denials: int(e.denials), Accepted: e.flags&evAccepted != 0, Record: md.records[i],
		Participants: make([]faultline.EventParticipant, 0, md.partOff[i+1]-md.partOff[i]),
		ClaimIDs:     make([]string, 0, md.evClaimOff[i+1]-md.evClaimOff[i]),
	}, Reliability: relyOf(e.rely)}
	if e.loc >= 0 {
		l := md.ref(e.loc)
		out.Location = &l
	}
	for _, p := range md.partItems[md.partOff[i]:md.partOff[i+1]] {
		out.Participants = append(out.Participants, faultline.EventParticipant{EntityRef: md.ref(p.ent), Role: roles[p.role]})
	}
	for c := md.evClaimOff[i]; c < md.evClaimOff[i+1]; c++ {
		out.ClaimIDs = append(out.ClaimIDs, md.evClaimIDs.get(int32(c)))
	}
	if e.flags&evFatalities != 0 {
		n := int(e.fatalities)
		out.Fatalities, out.FatalitiesLow = &n, e.flags&evFatalitiesLow != 0
	}
	return out
}

func (md *model) parts(i int32) []part { return md.partItems[md.partOff[i]:md.partOff[i+1]] }

// eventFilter is what the API filters events by.
type eventFilter struct {
	actor          string
	places         map[int32]bool
	types          map[faultline.EventType]bool
	minModality    faultline.Modality
	minReliability faultline.Reliability
	lo, hi         string
	act            int32 // actor as a number, set by eventsMatching
}

func (md *model) keepEvent(f *eventFilter, i int32) bool {
	e := &md.events[i]
	switch {
	case f.actor != "" && !md.hasParticipant(i, f.act):
	case f.places != nil && (e.loc < 0 || !f.places[e.loc]):
	case len(f.types) > 0 && !f.types[md.evTypes[e.typ]]:
	case f.minModality != "" && faultline.Modalities[e.mod].Strength() < f.minModality.Strength():
	case f.minReliability != "" && (e.rely == 0 || relyOf(e.rely) > f.minReliability):
	case !faultline.DateOverlaps(md.dates[e.date], f.lo, f.hi):
	default:
		return true
	}
	return false
}

func (md *model) hasParticipant(i, ent int32) bool {
	for _, p := range md.parts(i) {
		if p.ent == ent {
			return true
		}
	}
	return false
}

// eventsMatching returns the indexes of the events passing f, by date.
func (md *model) eventsMatching(f *eventFilter) []int32 {
	var out []int32
	if f.actor != "" {
		f.act = md.entity(f.actor)
		for _, i := range md.eventsOf.list(f.act) {
			if md.keepEvent(f, i) {
				out = append(out, i)
			}
		}
		return out
	}
	for i := range md.events {
		if md.keepEvent(f, int32(i)) {
			out = append(out, int32(i))
		}
	}
	return out
}

// Neighbourhoods.

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
	w := md.walk(center, hops, maxNodes, maxEdges, f)
	out := &neighbourhood{Center: center, Nodes: make([]graphNode, 0, len(w.order)), Edges: make([]graphEdge, 0, len(w.edges)),
		Truncated: w.truncated}
	for k, e := range w.order {
		out.Nodes = append(out.Nodes, graphNode{EntityRef: w.ref(md, center, k), Degree: len(md.relsOf.list(e)), Hop: int(w.hop[e])})
	}
	for _, i := range w.edges {
		r := &md.rels[i]
		from, to := md.span(r)
		out.Edges = append(out.Edges, graphEdge{ID: i, Subject: md.ids.get(r.subj), Object: md.ids.get(r.obj), Predicate: md.preds[r.pred],
			Modality: faultline.Modalities[r.mod], Sources: int(r.sources), Reliability: relyOf(r.rely), From: from, To: to})
	}
	return out
}

// appendNeighbourhood appends the neighbourhood answer as
// appendNeighbourhood(b, md.neighbourhood(…)) would, without making the
// answer's nodes and edges first.
func (md *model) appendNeighbourhood(b []byte, center faultline.EntityRef, hops, maxNodes, maxEdges int, f *relationFilter) []byte {
	w := md.walk(center, hops, maxNodes, maxEdges, f)
	b = append(b, `{"center":{`...)
	b = appendRef(b, &center)
	b = append(b, `},"nodes":[`...)
	for k, e := range w.order {
		if k > 0 {
			b = append(b, ',')
		}
		ref := w.ref(md, center, k)
		b = appendNode(b, &ref, len(md.relsOf.list(e)), int(w.hop[e]))
	}
	b = append(b, `],"edges":[`...)
	for k, i := range w.edges {
		if k > 0 {
			b = append(b, ',')
		}
		r := &md.rels[i]
		from, to := md.span(r)
		b = appendEdge(b, i, md.ids.get(r.subj), md.ids.get(r.obj), md.preds[r.pred], faultline.Modalities[r.mod], int(r.sources), relyOf(r.rely), from, to)
	}
	b = append(b, `],"truncated":`...)
	b = strconv.AppendBool(b, w.truncated)
	return append(b, "}\n"...)
}

// nbWalk is a neighbourhood as the walk finds it: its nodes in order
// with their hops, and the relations among them, ascending.
type nbWalk struct {
	order     []int32 // entities; -1 for a center newer than the model
	hop       map[int32]int32
	edges     []int32
	truncated bool
}

// ref returns node k's reference: the center's as the caller resolved
// it.
func (w *nbWalk) ref(md *model, center faultline.EntityRef, k int) faultline.EntityRef {
	if k == 0 {
		return center
	}
	return md.ref(w.order[k])
}

func (md *model) walk(center faultline.EntityRef, hops, maxNodes, maxEdges int, f *relationFilter) *nbWalk {
	w := &nbWalk{}
	c := md.entity(center.ID)
	if c < 0 {
		// Newer than the model: alone.
		w.order = []int32{-1}
		return w
	}
	size := min(maxNodes, len(md.relsOf.list(c))+1)
	if hops > 1 {
		size = maxNodes
	}
	size = min(size, 4096)
	hop := make(map[int32]int32, size)
	hop[c] = 0
	order := make([]int32, 1, size)
	order[0] = c
	frontier := []int32{c}
	for h := int32(1); int(h) <= hops && len(frontier) > 0 && !w.truncated; h++ {
		var next []int32
		for _, id := range frontier {
			for _, i := range md.relsOf.list(id) {
				r := &md.rels[i]
				if !md.keep(f, r) {
					continue
				}
				other := r.obj
				if other == id {
					other = r.subj
				}
				if _, ok := hop[other]; ok {
					continue
				}
				if len(order) >= maxNodes {
					w.truncated = true
					break
				}
				hop[other] = h
				order = append(order, other)
				next = append(next, other)
			}
			if w.truncated {
				break
			}
		}
		frontier = next
	}
	w.order, w.hop = order, hop
	// Edges among the nodes: from each node's relations, or, for a node
	// with more relations than there are nodes (a hub), from the
	// relations between it and each other node, so that a hub costs what
	// the neighbourhood holds.
	w.edges = make([]int32, 0, min(maxEdges, 2*len(order)))
	seen := make(map[int32]bool, min(maxEdges, 2*len(order)))
	addEdge := func(i int32) bool {
		if seen[i] {
			return true
		}
		r := &md.rels[i]
		_, s := hop[r.subj]
		_, o := hop[r.obj]
		if !s || !o || !md.keep(f, r) {
			return true
		}
		seen[i] = true
		if len(w.edges) >= maxEdges {
			w.truncated = true
			return false
		}
		w.edges = append(w.edges, i)
		return true
	}
	var between []int32
edges:
	for k, id := range order {
		if rs := md.relsOf.list(id); len(rs) <= len(order) {
			for _, i := range rs {
				if !addEdge(i) {
					break edges
				}
			}
			continue
		}
		for _, other := range order[k:] {
			between = md.between(id, other, between[:0])
			for _, i := range between {
				if !addEdge(i) {
					break edges
				}
			}
		}
	}
	slices.Sort(w.edges)
	return w
}

// between appends to buf the relations between entities a and b,
// ascending.
func (md *model) between(a, b int32, buf []int32) []int32 {
	if h, ok := md.hubs[a]; ok {
		k, _ := slices.BinarySearchFunc(h, b, func(p pairRel, b int32) int { return int(p.other - b) })
		for ; k < len(h) && h[k].other == b; k++ {
			buf = append(buf, h[k].rel)
		}
		return buf
	}
	for _, i := range md.relsOf.list(a) {
		r := &md.rels[i]
		if r.subj == a && r.obj == b || r.subj == b && r.obj == a {
			buf = append(buf, i)
		}
	}
	return buf
}
