package server

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/pathfind"
)

// Building the read model: one pass over the rows the store streams
// (faultline.ModelSource), folded into the model's compact tables as they
// come, then ordered and indexed.

// buildModel reads and indexes everything, in one pass over the store.
// The fingerprint is read first, so that a write during the build makes
// the model look stale at the next poll rather than hide.
func buildModel(ctx context.Context, st Store, log *slog.Logger) (*model, error) {
	md := &model{built: time.Now(), cache: newRespCache(cacheLimit)}
	var err error
	if md.fingerprint, err = st.Fingerprint(ctx); err != nil {
		return nil, err
	}
	b := newModelBuilder(md, log)
	if err := st.ScanModel(ctx, b.visitor()); err != nil {
		return nil, err
	}
	if err := b.finish(); err != nil {
		return nil, err
	}
	b.lap("path network")
	md.net = pathfind.New(st, b.netNodes(), b.netTies())
	b.lap("")
	md.took = time.Since(md.built)
	return md, nil
}

// mentionScan collects the mention counts, which come by entity id, in a
// run per entity; finish then gives each run to its entity.
type mentionScan struct {
	md    *model
	last  []byte   // the id of the rows being read
	cur   int32    // its entity, -1 for one the model does not hold
	ents  []int32  // the entity of each run
	start []uint32 // run k is sm[start[k]:start[k+1]]
	sm    []srcCount
}

func (m *mentionScan) add(id []byte, sourceID int64, n int) error {
	md := m.md
	if m.ents == nil || string(id) != string(m.last) {
		m.end()
		m.last = append(m.last[:0], id...)
		m.cur = -1
		if e, ok := md.idIndex.findBytes(&md.ids, id); ok && md.known(e) {
			m.cur = e
		}
		m.ents = append(m.ents, m.cur)
		m.start = append(m.start, uint32(len(m.sm)))
	}
	if s := md.source(sourceID); s >= 0 && m.cur >= 0 {
		m.sm = append(m.sm, srcCount{s, int32(min(n, math.MaxInt32))})
	}
	return nil
}

// end sorts the last run, most mentions first.
func (m *mentionScan) end() {
	if k := len(m.start); k > 0 {
		m.md.sortSources(m.sm[m.start[k-1]:])
	}
}

// place gives each run to its entity.
func (m *mentionScan) place() error {
	md := m.md
	m.end()
	md.sm = shrink(m.sm)
	for k, e := range m.ents {
		end := uint32(len(md.sm))
		if k+1 < len(m.start) {
			end = m.start[k+1]
		}
		if e < 0 || end == m.start[k] {
			continue
		}
		if md.smEnd[e] != 0 {
			return fmt.Errorf("read model: mentions of %s not together", md.ids.get(e))
		}
		md.smOff[e], md.smEnd[e] = m.start[k], end
		for _, sm := range md.sm[m.start[k]:end] {
			md.mentions[e] += sm.n
		}
	}
	return nil
}

// modelBuilder folds the rows of a scan into a model.
type modelBuilder struct {
	md    *model
	log   *slog.Logger
	phase time.Time
	what  string // the phase under way

	srcRely   []uint8 // by source: its reliability's letter
	srcPub    []int32 // by source: its publication date, in dateDict
	srcShared map[string]int32

	dateAt   map[string]int32 // raw date → dateDict
	dateDict []rawDate
	outAt    map[string]int32 // date as answers give it → md.dates
	predAt   map[string]uint16
	evTypeAt map[string]uint16
	modAt    map[string]uint8

	mentions mentionScan

	// Relations, as they accumulate: one acc per relation key, its
	// claims chained in the order they came.
	relAt    map[relKey]int32
	accs     []rel
	strength []int8 // of the supporting claims; -1 while there is none
	head     []int32
	tail     []int32
	pending  []pendClaim
	pendIDs  ids16
	extras   map[int32]*relExtra

	// Events, in the order aggregated, with their participants and claims.
	evs       []evt
	evIDs     ids16
	evParts   []part
	evPartAt  [][2]int32 // range in evParts
	evClaims  [][2]int32 // range in evCIDs
	evCIDs    ids16
	records   map[int32]*faultline.EventRecord
	srcOfTemp map[string]int64

	// The path network's numbering of entities.
	nodeOf []int32 // entity → node, -1
	entOf  []int32 // node → entity
}

// rawDate is a date as claims and sources give it, parsed once.
type rawDate struct {
	d           faultline.Date
	ok          bool
	first, last string // FirstDay, LastDay
	out         int32  // d.String() in md.dates
}

type relKey struct {
	s, o int32
	p    uint16
}

// pendClaim is a relation claim read, before its relation is placed.
type pendClaim struct {
	next int32 // the relation's next claim, -1
	src  int32 // source index; a denial is -(index+1)
}

func newModelBuilder(md *model, log *slog.Logger) *modelBuilder {
	b := &modelBuilder{md: md, log: log, phase: time.Now(), what: "sources",
		dateAt: map[string]int32{"": 0}, dateDict: []rawDate{{}}, outAt: map[string]int32{"": 0},
		predAt: map[string]uint16{}, evTypeAt: map[string]uint16{}, modAt: map[string]uint8{},
		relAt: map[relKey]int32{}, extras: map[int32]*relExtra{}, records: map[int32]*faultline.EventRecord{},
		srcShared: map[string]int32{}}
	b.mentions = mentionScan{md: md}
	md.srcText = newStrtab(1024)
	md.dates = []string{""}
	md.ids, md.names, md.idIndex = newStrtab(1024), newStrtab(1024), newStrIndex()
	md.names.add(nil)
	md.entTypes = append([]faultline.EntityType{""}, faultline.EntityTypes...)
	md.aliases, md.extIDs, md.members = map[int32][]string{}, map[int32][]faultline.ExternalID{}, map[int32][]int32{}
	md.extras = []relExtra{{}}
	for _, p := range faultline.Predicates {
		b.pred([]byte(p))
	}
	for i, m := range faultline.Modalities {
		b.modAt[string(m)] = uint8(i)
	}
	return b
}

// lap logs how long a phase took and starts the next.
func (b *modelBuilder) lap(next string) {
	b.log.Debug("read model", "phase", b.what, "duration", time.Since(b.phase).Round(time.Millisecond))
	b.phase, b.what = time.Now(), next
}

func (b *modelBuilder) visitor() *faultline.ModelVisitor {
	return &faultline.ModelVisitor{
		Source:        b.source,
		Entity:        b.entity,
		Alias:         b.alias,
		ExternalID:    b.externalID,
		Mentions:      b.mention,
		RelationClaim: b.relationClaim,
		EventClaims:   b.eventClaims,
		DatasetEvents: b.datasetEvents,
	}
}

func (b *modelBuilder) source(s *faultline.Source) error {
	md := b.md
	if n := len(md.srcIDs); n > 0 && md.srcIDs[n-1] >= s.ID {
		return fmt.Errorf("read model: sources out of order (%d after %d)", s.ID, md.srcIDs[n-1])
	}
	var f [srcFieldCount]int32
	for k, v := range [srcFieldCount]string{s.SHA256, s.Title, s.URL, s.Publisher, s.Author, s.Published, s.Path, s.Format,
		string(s.Reliability), string(s.TLP)} {
		if k == srcTitle || k == srcSHA || k == srcURL || k == srcPath {
			f[k] = md.srcText.addString(v) // as good as unique
			continue
		}
		x, ok := b.srcShared[v]
		if !ok {
			x = md.srcText.addString(v)
			b.srcShared[v] = x
		}
		f[k] = x
	}
	md.srcFields = append(md.srcFields, f)
	md.srcChars = append(md.srcChars, s.Chars)
	md.srcAt = append(md.srcAt, s.IngestedAt)
	md.srcIDs = append(md.srcIDs, s.ID)
	var r uint8
	if s.Reliability.Valid() {
		r = s.Reliability[0]
	}
	b.srcRely = append(b.srcRely, r)
	b.srcPub = append(b.srcPub, b.date([]byte(s.Published)))
	return nil
}

// intern returns the number of an entity id, adding it as a phantom when
// the model does not have it yet.
func (b *modelBuilder) intern(id []byte) int32 {
	md := b.md
	if e, ok := md.idIndex.findBytes(&md.ids, id); ok {
		return e
	}
	e := md.ids.add(id)
	md.idIndex.insert(&md.ids, e)
	md.nameOf = append(md.nameOf, 0)
	md.types = append(md.types, 0)
	md.lat, md.lon = append(md.lat, math.NaN()), append(md.lon, math.NaN())
	md.merged = append(md.merged, phantom)
	md.smOff, md.smEnd = append(md.smOff, 0), append(md.smEnd, 0)
	md.mentions = append(md.mentions, 0)
	return e
}

func (b *modelBuilder) internString(id string) int32 {
	if e, ok := b.md.idIndex.find(&b.md.ids, id); ok {
		return e
	}
	return b.intern([]byte(id))
}

func (b *modelBuilder) entity(r *faultline.EntityRow) error {
	if b.what != "entities" {
		b.lap("entities")
	}
	md := b.md
	e := b.intern(r.ID)
	if md.merged[e] != phantom {
		return fmt.Errorf("read model: entity %s given twice", r.ID)
	}
	md.entities++
	md.nameOf[e] = md.names.add(r.Name)
	md.types[e] = b.entityType(r.Type)
	if r.HasCoords {
		md.lat[e], md.lon[e] = r.Lat, r.Lon
	}
	md.merged[e] = notMerged
	if len(r.MergedInto) > 0 {
		// The target may come later: a phantom until it does.
		md.merged[e] = b.intern(r.MergedInto)
	}
	if len(r.Key) > 0 {
		md.extIDs[e] = []faultline.ExternalID{{Scheme: r.KeyScheme, Value: string(r.Key)}}
	}
	return nil
}

func (b *modelBuilder) entityType(t []byte) uint8 {
	md := b.md
	for i, x := range md.entTypes {
		if string(x) == string(t) {
			return uint8(i)
		}
	}
	// Not in the vocabulary (the store checks it is): kept as it is.
	if len(md.entTypes) == math.MaxUint8 {
		return 0
	}
	md.entTypes = append(md.entTypes, faultline.EntityType(t))
	return uint8(len(md.entTypes) - 1)
}

func (b *modelBuilder) alias(id, alias []byte) error {
	if e, ok := b.md.idIndex.findBytes(&b.md.ids, id); ok && b.md.known(e) {
		b.md.aliases[e] = append(b.md.aliases[e], string(alias))
	}
	return nil
}

func (b *modelBuilder) externalID(id, scheme, value []byte) error {
	if e, ok := b.md.idIndex.findBytes(&b.md.ids, id); ok && b.md.known(e) {
		b.md.extIDs[e] = append(b.md.extIDs[e], faultline.ExternalID{Scheme: string(scheme), Value: string(value)})
	}
	return nil
}

func (b *modelBuilder) mention(id []byte, sourceID int64, n int) error {
	if b.what != "mentions" {
		b.lap("mentions")
	}
	return b.mentions.add(id, sourceID, n)
}

// date returns the dateDict entry of a raw date.
func (b *modelBuilder) date(raw []byte) int32 {
	if k, ok := b.dateAt[string(raw)]; ok {
		return k
	}
	r := rawDate{}
	d, err := faultline.ParseDate(string(raw))
	if err == nil {
		r = rawDate{d: d, ok: true, first: d.FirstDay(), last: d.LastDay(), out: b.out(d.String())}
	}
	k := int32(len(b.dateDict))
	b.dateDict = append(b.dateDict, r)
	b.dateAt[string(raw)] = k
	return k
}

// out returns the index of a date as answers give it in md.dates.
func (b *modelBuilder) out(s string) int32 {
	if k, ok := b.outAt[s]; ok {
		return k
	}
	k := int32(len(b.md.dates))
	b.md.dates = append(b.md.dates, s)
	b.outAt[s] = k
	return k
}

func (b *modelBuilder) pred(p []byte) uint16 {
	if k, ok := b.predAt[string(p)]; ok {
		return k
	}
	k := uint16(len(b.md.preds))
	b.md.preds = append(b.md.preds, faultline.Predicate(p))
	b.predAt[string(p)] = k
	return k
}

// relationClaim folds a relation claim into its relation, as
// faultline.AggregateRelations does.
func (b *modelBuilder) relationClaim(c *faultline.RelationClaimRow) error {
	if b.what != "relations" {
		b.lap("relations")
	}
	md := b.md
	si := md.source(c.SourceID)
	if si < 0 {
		return nil // its source is gone: as Relations, which joins them
	}
	k := relKey{s: b.intern(c.Subject), o: b.intern(c.Object), p: b.pred(c.Predicate)}
	if md.preds[k.p].Symmetric() && md.ids.get(k.o) < md.ids.get(k.s) {
		k.s, k.o = k.o, k.s
	}
	a, ok := b.relAt[k]
	if !ok {
		if len(b.accs) == math.MaxInt32 {
			return fmt.Errorf("read model: more than %d relations", math.MaxInt32)
		}
		a = int32(len(b.accs))
		b.relAt[k] = a
		b.accs = append(b.accs, rel{subj: k.s, obj: k.o, pred: k.p})
		b.strength = append(b.strength, -1)
		b.head, b.tail = append(b.head, -1), append(b.tail, -1)
	}
	r := &b.accs[a]
	s := si
	p := int32(len(b.pending))
	if b.tail[a] >= 0 {
		b.pending[b.tail[a]].next = p
	} else {
		b.head[a] = p
	}
	b.tail[a] = p
	r.claims++
	if string(c.Status) == string(faultline.StatusAccepted) {
		r.accepted = true
	}
	// Looked up rather than converted: a conversion would allocate.
	if m, ok := b.modAt[string(c.Modality)]; ok && faultline.Modalities[m] == faultline.Denied {
		r.denials++
		s = -(s + 1)
	} else {
		strength := 0 // of a modality outside the vocabulary, as Strength gives it
		if ok {
			strength = faultline.Modalities[m].Strength()
		}
		b.strength[a] = max(b.strength[a], int8(strength))
	}
	b.pending = append(b.pending, pendClaim{next: -1, src: s})
	b.pendIDs.add(c.ID)
	if len(c.Role) > 0 || len(c.SupportKind) > 0 {
		x := b.extras[a]
		if x == nil {
			x = &relExtra{}
			b.extras[a] = x
		}
		if role := string(c.Role); role != "" && !slices.Contains(x.roles, role) {
			x.roles = append(x.roles, role)
		}
		if kind := string(c.SupportKind); kind != "" && !slices.Contains(x.kinds, kind) {
			x.kinds = append(x.kinds, kind)
		}
	}
	if d := b.date(c.ValidFrom); b.dateDict[d].ok && (b.zero(r.validFrom) || b.earlier(d, r.validFrom)) {
		r.validFrom = d
	}
	if d := b.date(c.ValidTo); b.dateDict[d].ok && (b.zero(r.validTo) || b.later(d, r.validTo)) {
		r.validTo = d
	}
	if d := b.srcPub[si]; b.dateDict[d].ok {
		if b.zero(r.firstRep) || b.earlier(d, r.firstRep) {
			r.firstRep = d
		}
		if b.zero(r.lastRep) || b.later(d, r.lastRep) {
			r.lastRep = d
		}
	}
	return nil
}

// zero, earlier and later compare dateDict entries as faultline's
// aggregation compares dates.
func (b *modelBuilder) zero(k int32) bool { return b.dateDict[k].d.IsZero() }

func (b *modelBuilder) earlier(x, y int32) bool {
	a, c := &b.dateDict[x], &b.dateDict[y]
	return a.first < c.first || a.first == c.first && a.d.Precision() > c.d.Precision()
}

func (b *modelBuilder) later(x, y int32) bool {
	a, c := &b.dateDict[x], &b.dateDict[y]
	return a.last > c.last || a.last == c.last && a.d.Precision() > c.d.Precision()
}

// eventClaims aggregates the claims of one event type and keeps the
// events.
func (b *modelBuilder) eventClaims(claims []faultline.Claim) error {
	if b.what != "events" {
		b.lap("events")
	}
	if b.srcOfTemp == nil {
		b.srcOfTemp = map[string]int64{}
	}
	clear(b.srcOfTemp)
	for i := range claims {
		b.srcOfTemp[claims[i].ID] = claims[i].SourceID
	}
	for _, e := range faultline.AggregateEvents(claims) {
		rely := uint8(0)
		for _, c := range e.ClaimIDs {
			if s := b.md.source(b.srcOfTemp[c]); s >= 0 && b.srcRely[s] != 0 && (rely == 0 || b.srcRely[s] < rely) {
				rely = b.srcRely[s]
			}
		}
		if err := b.addEvent(&e, rely); err != nil {
			return err
		}
	}
	return nil
}

// datasetEvents keeps the records of event datasets. Their claim ids are
// record ids, which no claim's source gives a reliability.
func (b *modelBuilder) datasetEvents(events []faultline.Event) error {
	if b.what != "datasets" {
		b.lap("datasets")
	}
	for i := range events {
		if events[i].Record != nil {
			b.records[int32(len(b.evs))] = events[i].Record
		}
		if err := b.addEvent(&events[i], 0); err != nil {
			return err
		}
	}
	return nil
}

func (b *modelBuilder) addEvent(e *faultline.Event, rely uint8) error {
	if len(b.evs) == math.MaxInt32 {
		return fmt.Errorf("read model: more than %d events", math.MaxInt32)
	}
	x := evt{loc: -1, date: b.out(e.Date), sources: int32(e.Sources), denials: int32(e.Denials), rely: rely}
	if e.Location != nil {
		x.loc = b.internString(e.Location.ID)
	}
	k, ok := b.evTypeAt[string(e.Type)]
	if !ok {
		k = uint16(len(b.md.evTypes))
		b.md.evTypes = append(b.md.evTypes, e.Type)
		b.evTypeAt[string(e.Type)] = k
	}
	x.typ = k
	m, ok := b.modAt[string(e.Modality)]
	if !ok {
		return fmt.Errorf("read model: event %s: modality %q", e.ID, e.Modality)
	}
	x.mod = m
	if e.Accepted {
		x.flags |= evAccepted
	}
	if e.Fatalities != nil {
		x.fatalities, x.flags = int32(min(max(*e.Fatalities, math.MinInt32), math.MaxInt32)), x.flags|evFatalities
		if e.FatalitiesLow {
			x.flags |= evFatalitiesLow
		}
	}
	pfrom := int32(len(b.evParts))
	for _, p := range e.Participants {
		r := slices.Index(roles, p.Role)
		if r < 0 {
			return fmt.Errorf("read model: event %s: participant role %q", e.ID, p.Role)
		}
		b.evParts = append(b.evParts, part{ent: b.internString(p.ID), role: uint8(r)})
	}
	from := int32(len(b.evCIDs.u))
	for _, c := range e.ClaimIDs {
		b.evCIDs.addString(c)
	}
	b.evs = append(b.evs, x)
	b.evIDs.addString(e.ID)
	b.evPartAt = append(b.evPartAt, [2]int32{pfrom, int32(len(b.evParts))})
	b.evClaims = append(b.evClaims, [2]int32{from, int32(len(b.evCIDs.u))})
	return nil
}

// finish places the relations and events in their order and builds the
// indexes.
func (b *modelBuilder) finish() error {
	md := b.md
	if err := b.mentions.place(); err != nil {
		return err
	}
	b.mentions = mentionScan{}
	md.srcText.clip()
	md.srcIDs, md.srcFields, md.srcChars, md.srcAt = shrink(md.srcIDs), shrink(md.srcFields), shrink(md.srcChars), shrink(md.srcAt)
	b.srcShared = nil
	b.lap("relation order")
	b.finishRelations()
	b.lap("event order")
	b.finishEvents()
	b.lap("indexes")
	b.indexes()
	return nil
}

// finishRelations counts each relation's sources and finds their best
// reliability, then orders the relations as faultline.SortRelations does
// and lays out their claims in that order.
func (b *modelBuilder) finishRelations() {
	md := b.md
	b.relAt = nil
	var scratch []int32
	for a := range b.accs {
		r := &b.accs[a]
		scratch = scratch[:0]
		rely := uint8(0)
		for p := b.head[a]; p >= 0; p = b.pending[p].next {
			s := b.pending[p].src
			if s < 0 {
				s = -s - 1
			} else {
				scratch = append(scratch, s)
			}
			if x := b.srcRely[s]; x != 0 && (rely == 0 || x < rely) {
				rely = x
			}
		}
		r.rely = rely
		if len(scratch) > 1 {
			slices.Sort(scratch)
			scratch = slices.Compact(scratch)
		}
		r.sources = int32(len(scratch))
		if st := b.strength[a]; st < 0 {
			r.mod = b.modAt[string(faultline.Denied)]
		} else {
			r.mod = b.modAt[string(faultline.ModalityOfStrength(int(st)))]
		}
		r.validFrom, r.validTo = b.dateDict[r.validFrom].out, b.dateDict[r.validTo].out
		r.firstRep, r.lastRep = b.dateDict[r.firstRep].out, b.dateDict[r.lastRep].out
		if x := b.extras[int32(a)]; x != nil {
			sort.Strings(x.roles)
			sort.Strings(x.kinds)
			r.extra = int32(len(md.extras))
			md.extras = append(md.extras, *x)
		}
	}
	b.extras = nil
	// Entities ranked by id, so that comparing two is comparing numbers.
	rank := make([]int32, md.ids.len())
	for i := range rank {
		rank[i] = int32(i)
	}
	slices.SortFunc(rank, func(x, y int32) int { return strings.Compare(md.ids.get(x), md.ids.get(y)) })
	byRank := rank
	rank = make([]int32, len(byRank))
	for r, e := range byRank {
		rank[e] = int32(r)
	}
	byRank = nil
	order := make([]int32, len(b.accs))
	for i := range order {
		order[i] = int32(i)
	}
	vocab := uint16(len(faultline.Predicates))
	slices.SortFunc(order, func(x, y int32) int {
		a, c := &b.accs[x], &b.accs[y]
		if pa, pc := min(a.pred, vocab), min(c.pred, vocab); pa != pc {
			return int(pa) - int(pc)
		}
		if sa, sc := faultline.Modalities[a.mod].Strength(), faultline.Modalities[c.mod].Strength(); sa != sc {
			return sc - sa
		}
		if a.sources != c.sources {
			return int(c.sources - a.sources)
		}
		if a.claims != c.claims {
			return int(c.claims - a.claims)
		}
		if a.subj != c.subj {
			return int(rank[a.subj] - rank[c.subj])
		}
		if a.obj != c.obj {
			return int(rank[a.obj] - rank[c.obj])
		}
		return int(x - y) // as a stable sort would
	})
	// Relation i is accs[order[i]]: permuted in place, cycle by cycle,
	// rather than copied, which at a million entities would hold every
	// relation twice.
	done := make([]bool, len(order))
	for j := range order {
		if done[j] {
			continue
		}
		first := b.accs[j]
		for k := int32(j); ; {
			done[k] = true
			from := order[k]
			if from == int32(j) {
				b.accs[k] = first
				break
			}
			b.accs[k] = b.accs[from]
			k = from
		}
	}
	done = nil
	md.relClaims = make([]uint32, 1, len(order)+1)
	md.claimIDs.u = make([][16]byte, 0, len(b.pending))
	for _, a := range order {
		for p := b.head[a]; p >= 0; p = b.pending[p].next {
			md.claimIDs.addFrom(&b.pendIDs, p)
		}
		md.relClaims = append(md.relClaims, uint32(len(md.claimIDs.u)))
	}
	accs := b.accs
	b.accs, b.strength, b.head, b.tail, b.pending, b.pendIDs = nil, nil, nil, nil, nil, ids16{}
	md.rels = shrink(accs)
}

// shrink returns s, or a copy of it without the spare capacity that
// appending left, when that is more than an eighth: the model keeps its
// arrays for its life.
func shrink[T any](s []T) []T {
	if cap(s)-len(s) <= len(s)/8 {
		return s
	}
	return append(make([]T, 0, len(s)), s...)
}

// finishEvents orders the events as faultline.SortEvents does.
func (b *modelBuilder) finishEvents() {
	md := b.md
	type key struct {
		first, prec int // the first day as YYYYMMDD, 0 undated
		i           int32
	}
	keys := make([]key, len(b.evs))
	for i := range b.evs {
		keys[i].i = int32(i)
		if d, err := faultline.ParseDate(md.dates[b.evs[i].date]); err == nil {
			keys[i].first, keys[i].prec = d.Year*10000+max(d.Month, 1)*100+max(d.Day, 1), d.Precision()
		}
	}
	slices.SortFunc(keys, func(a, c key) int {
		if (a.first == 0) != (c.first == 0) {
			if a.first == 0 {
				return 1
			}
			return -1
		}
		if a.first != c.first {
			return a.first - c.first
		}
		if a.prec != c.prec {
			return a.prec - c.prec
		}
		ea, ec := &b.evs[a.i], &b.evs[c.i]
		if s := strings.Compare(string(md.evTypes[ea.typ]), string(md.evTypes[ec.typ])); s != 0 {
			return s
		}
		if s := b.evIDs.compare(a.i, c.i); s != 0 {
			return s
		}
		return int(a.i - c.i)
	})
	md.events = make([]evt, len(keys))
	md.partOff = make([]uint32, 1, len(keys)+1)
	md.evClaimOff = make([]uint32, 1, len(keys)+1)
	md.records = map[int32]*faultline.EventRecord{}
	md.partItems = make([]part, 0, len(b.evParts))
	md.eventIDs.u = make([][16]byte, 0, len(keys))
	md.evClaimIDs.u = make([][16]byte, 0, len(b.evCIDs.u))
	for j, k := range keys {
		md.events[j] = b.evs[k.i]
		md.eventIDs.addFrom(&b.evIDs, k.i)
		at := b.evPartAt[k.i]
		md.partItems = append(md.partItems, b.evParts[at[0]:at[1]]...)
		md.partOff = append(md.partOff, uint32(len(md.partItems)))
		for c := b.evClaims[k.i][0]; c < b.evClaims[k.i][1]; c++ {
			md.evClaimIDs.addFrom(&b.evCIDs, c)
		}
		md.evClaimOff = append(md.evClaimOff, uint32(len(md.evClaimIDs.u)))
		if r := b.records[k.i]; r != nil {
			md.records[int32(j)] = r
		}
	}
	b.evs, b.evIDs, b.evParts, b.evPartAt, b.evClaims, b.evCIDs, b.records, b.srcOfTemp = nil, ids16{}, nil, nil, nil, ids16{}, nil, nil
}

// indexes builds the entity indexes over relations and events, the merge
// groups, and the path network's numbering.
func (b *modelBuilder) indexes() {
	md := b.md
	n := md.ids.len()
	md.ids.clip()
	md.names.clip()
	rb := newCSRBuilder(n)
	for i := range md.rels {
		r := &md.rels[i]
		rb.count(r.subj)
		if r.obj != r.subj {
			rb.count(r.obj)
		}
	}
	rb.start()
	for i := range md.rels {
		r := &md.rels[i]
		rb.put(r.subj, int32(i))
		if r.obj != r.subj {
			rb.put(r.obj, int32(i))
		}
	}
	md.relsOf = rb.done()
	md.hubs = map[int32][]pairRel{}
	for e := range int32(n) {
		rs := md.relsOf.list(e)
		if len(rs) <= hubDegree {
			continue
		}
		h := make([]pairRel, len(rs))
		for k, i := range rs {
			other := md.rels[i].obj
			if other == e {
				other = md.rels[i].subj
			}
			h[k] = pairRel{other, i}
		}
		slices.SortFunc(h, func(a, c pairRel) int {
			if a.other != c.other {
				return int(a.other - c.other)
			}
			return int(a.rel - c.rel)
		})
		md.hubs[e] = h
	}

	eb := newCSRBuilder(n)
	var seen []int32
	each := func(i int32, fn func(int32)) {
		seen = seen[:0]
		if l := md.events[i].loc; l >= 0 {
			seen = append(seen, l)
			fn(l)
		}
		for _, p := range md.parts(i) {
			if !slices.Contains(seen, p.ent) {
				seen = append(seen, p.ent)
				fn(p.ent)
			}
		}
	}
	for i := range md.events {
		each(int32(i), eb.count)
	}
	eb.start()
	for i := range md.events {
		each(int32(i), func(e int32) { eb.put(e, int32(i)) })
	}
	md.eventsOf = eb.done()

	for e := range int32(n) {
		if md.known(e) && md.merged[e] >= 0 {
			if f := md.finalOf(e); f != e {
				md.members[f] = append(md.members[f], e)
			}
		}
	}
	for _, ms := range md.members {
		slices.SortFunc(ms, func(x, y int32) int { return strings.Compare(md.ids.get(x), md.ids.get(y)) })
	}

	// The network numbers entities as they first appear in its ties, in
	// the order of the relations: the order equally good paths come in
	// depends on it.
	b.nodeOf = make([]int32, n)
	for i := range b.nodeOf {
		b.nodeOf[i] = -1
	}
	node := func(e int32) {
		if b.nodeOf[e] < 0 {
			b.nodeOf[e] = int32(len(b.entOf))
			b.entOf = append(b.entOf, e)
		}
	}
	for i := range md.rels {
		r := &md.rels[i]
		if r.subj != r.obj && pathfind.Keeps(md.preds[r.pred], faultline.Modalities[r.mod], int(r.sources)) {
			node(r.subj)
			node(r.obj)
		}
	}
}

// netNodes names the path network's nodes by the model's entity table.
func (b *modelBuilder) netNodes() pathfind.Nodes {
	return &netNodes{md: b.md, nodeOf: b.nodeOf, entOf: slices.Clip(b.entOf)}
}

// netTies gives the path network the relations, in order.
func (b *modelBuilder) netTies() func(yield func(pathfind.Tie) bool) {
	md := b.md
	return func(yield func(pathfind.Tie) bool) {
		for i := range md.rels {
			r := &md.rels[i]
			if r.subj == r.obj || b.nodeOf[r.subj] < 0 {
				continue
			}
			if !yield(pathfind.Tie{Subject: b.nodeOf[r.subj], Object: b.nodeOf[r.obj], Predicate: md.preds[r.pred],
				Modality: faultline.Modalities[r.mod], Sources: int(r.sources)}) {
				return
			}
		}
	}
}

// netNodes is the path network's view of the entity table.
type netNodes struct {
	md     *model
	nodeOf []int32
	entOf  []int32
}

func (n *netNodes) Node(id string) (int32, bool) {
	e := n.md.entity(id)
	if e < 0 || n.nodeOf[e] < 0 {
		return -1, false
	}
	return n.nodeOf[e], true
}

func (n *netNodes) ID(node int32) string { return n.md.ids.get(n.entOf[node]) }

func (n *netNodes) Len() int { return len(n.entOf) }
