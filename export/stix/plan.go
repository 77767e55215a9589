package stix

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/faultline-osint/faultline"
)

// An export of a dataset holds millions of objects, and their JSON is
// several times the size of the snapshot they come from. So an Export
// plans first — each object's id, times and marking, what each report
// lists, every check that can fail — in a compact entry per object, and
// encodes an object only when it is written: the bundle goes out object by
// object, and the TAXII server encodes the objects of one page.

// typeCode is an object's type, numbered in bundle order.
type typeCode uint8

const (
	tMarking typeCode = iota
	tExtension
	tIdentity
	tThreatActor
	tLocation
	tEvent
	tRelationship
	tReport
	tNote
)

// typeNames are the STIX types of the codes. None is a prefix of another,
// so ordering ids by (type name, the rest) orders them as strings.
var typeNames = [...]string{"marking-definition", "extension-definition", "identity", "threat-actor", "location", EventType,
	"relationship", "report", "note"}

// kind says how an entry's object is encoded, and what idx and sub point
// to.
type kind uint8

const (
	kProducer kind = iota
	// The extension definitions.
	kEventExtension
	kPropertyExtension
	kMarking   // idx: TLP level
	kEntity    // idx: Snapshot.Entities
	kRelation  // idx: Snapshot.Relations
	kEvent     // idx: Snapshot.Events, from claims or a dataset record
	kEventLink // idx: Snapshot.Events, sub: the link (see link)
	kNote      // idx: Snapshot.Claims
	kPublisher // idx: Snapshot.Sources, the first of the publisher
	kReport    // idx: Snapshot.Sources
)

// entry is one planned object.
type entry struct {
	// key is the id after "type--"; an id whose rest is not a canonical
	// UUID (an entity id from elsewhere) is in Export.odd instead.
	key uuid.UUID
	// created and modified in Unix milliseconds, the precision of STIX
	// timestamps here; a marking definition's modified is its created.
	created, modified int64
	idx, sub          int32
	kind              kind
	typ               typeCode
	level             uint8 // the TLP level of its marking
	odd               bool
}

// Export is the STIX objects of a snapshot, planned but not encoded. It
// reads the snapshot as it encodes, so the snapshot must not change; it is
// safe for concurrent use.
type Export struct {
	s       *faultline.Snapshot
	ix      faultline.Index
	o       Options
	entries []entry
	// order lists the entries in bundle order: by type, then id.
	order []int32
	// rank numbers the entries in the order of their ids as strings.
	rank []int32
	odd  map[int32]string
	// entity maps entity ids to their entries.
	entity map[string]int32
	// militant holds the roles (sorted) of the people who act as militants.
	militant map[string][]string
	// within maps a place to the place a located_in relation puts it in.
	within map[string]string
	// refs holds each source's report object_refs, by source id, sorted
	// as strings.
	refs map[int64][]int32
	// noteTarget maps claim ids to the relationship or event a note of
	// the claim refers to.
	noteTarget map[string]int32
	tlps       uint8 // a bit per TLP level marking some object
}

// New plans the objects of a snapshot. It fails when the snapshot names an
// entity or source it does not hold, so that a bundle is never cut off by
// an error halfway.
func New(s *faultline.Snapshot, o Options) (*Export, error) {
	x := &Export{s: s, ix: s.Index(), o: o, odd: map[int32]string{}, entity: make(map[string]int32, len(s.Entities)),
		militant: map[string][]string{}, within: map[string]string{}, refs: map[int64][]int32{}, noteTarget: make(map[string]int32, len(s.Claims))}
	// Sized up front, as growing it would copy millions of entries: at
	// most the fixed objects and markings, an object per entity,
	// relation, event, event link, claim, report and publisher.
	n := 3 + len(tlpByLevel) + len(s.Entities) + len(s.Relations) + len(s.Events) + len(s.Claims) + 2*len(s.Sources)
	for i := range s.Events {
		n += numLinks(&s.Events[i])
	}
	x.entries = make([]entry, 0, n)
	if err := x.plan(); err != nil {
		return nil, err
	}
	x.order = make([]int32, len(x.entries))
	for i := range x.order {
		x.order[i] = int32(i)
	}
	slices.SortFunc(x.order, func(a, b int32) int {
		if c := cmp.Compare(x.entries[a].typ, x.entries[b].typ); c != 0 {
			return c
		}
		if c := x.compareRest(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	x.rankIDs()
	for sid, refs := range x.refs {
		slices.SortFunc(refs, func(a, b int32) int { return cmp.Compare(x.rank[a], x.rank[b]) })
		x.refs[sid] = slices.CompactFunc(refs, func(a, b int32) bool { return x.compareID(a, b) == 0 })
	}
	return x, nil
}

// typesByName are the type codes in the order of their names.
var typesByName = func() []typeCode {
	codes := make([]typeCode, len(typeNames))
	for i := range codes {
		codes[i] = typeCode(i)
	}
	slices.SortFunc(codes, func(a, b typeCode) int { return strings.Compare(typeNames[a], typeNames[b]) })
	return codes
}()

// rankIDs numbers the entries in the order of their ids as strings, so
// that sorting millions of them by id compares numbers. Bundle order
// holds each type's entries together, in id order, so the types' runs
// taken by type name give that order.
func (x *Export) rankIDs() {
	var runs [len(typeNames)][2]int
	for k := 0; k < len(x.order); {
		t, start := x.entries[x.order[k]].typ, k
		for k < len(x.order) && x.entries[x.order[k]].typ == t {
			k++
		}
		runs[t] = [2]int{start, k}
	}
	x.rank = make([]int32, len(x.entries))
	r := int32(0)
	for _, t := range typesByName {
		for _, i := range x.order[runs[t][0]:runs[t][1]] {
			x.rank[i] = r
			r++
		}
	}
}

// DateOrder returns the positions of the objects in bundle order sorted by
// version, then id as a string, ties in bundle order: the order TAXII
// lists them in, by date added.
func (x *Export) DateOrder() []int32 {
	type key struct {
		version int64
		rank    int32
		pos     int32
	}
	keys := make([]key, len(x.order))
	for p, i := range x.order {
		keys[p] = key{x.entries[i].modified, x.rank[i], int32(p)}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := cmp.Compare(a.version, b.version); c != 0 {
			return c
		}
		return cmp.Compare(a.rank, b.rank)
	})
	order := make([]int32, len(keys))
	for k := range keys {
		order[k] = keys[k].pos
	}
	return order
}

// Fixed times, in Unix milliseconds.
var (
	fixedMS              = mustMillis(fixedTime)
	eventModifiedMS      = mustMillis(eventModified)
	propertiesModifiedMS = mustMillis(propertiesModified)
	markingCreatedMS     = mustMillis(markingCreated)
)

func mustMillis(ts string) int64 {
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		panic(err)
	}
	return t.UnixMilli()
}

// millis returns created and modified; the fixed date for an empty span.
func (s *span) millis() (int64, int64) {
	if s.first.IsZero() {
		return fixedMS, fixedMS
	}
	// UnixMilli floors, as Timestamp truncates.
	return s.first.UnixMilli(), s.last.UnixMilli()
}

// level returns the TLP level a span's objects are marked with: clear for
// none.
func level(l int) uint8 { return uint8(max(l, 0)) }

// add appends an entry with a derived key and returns its index.
func (x *Export) add(e entry) int32 {
	x.tlps |= 1 << e.level
	x.entries = append(x.entries, e)
	return int32(len(x.entries) - 1)
}

// addID appends an entry whose id ends in rest (an entity's or an event's
// id).
func (x *Export) addID(e entry, rest string) int32 {
	var buf [36]byte
	u, err := uuid.Parse(rest)
	if err == nil && string(appendUUID(buf[:0], u)) == rest {
		e.key = u
	} else {
		e.odd = true
	}
	i := x.add(e)
	if e.odd {
		x.odd[i] = rest
	}
	return i
}

// withSpan sets an entry's times and marking from the sources behind it;
// hi chooses the most restrictive marking over the least.
func withSpan(e entry, sp *span, hi bool) entry {
	e.created, e.modified = sp.millis()
	if hi {
		e.level = level(sp.hi)
	} else {
		e.level = level(sp.lo)
	}
	return e
}

// ref records that a source supports an object: its report lists it.
func (x *Export) ref(sourceID int64, i int32) {
	x.refs[sourceID] = append(x.refs[sourceID], i)
}

// key derives an id's UUIDv5 in the package namespace from the
// concatenated parts, as uuid.NewSHA1 does but without its allocations:
// a dataset has millions of relationships.
func key(parts ...string) uuid.UUID {
	var buf [256]byte
	b := append(buf[:0], namespace[:]...)
	for _, p := range parts {
		b = append(b, p...)
	}
	return v5(b)
}

// v5 makes a UUIDv5 of the SHA-1 of b, the namespace and the name.
func v5(b []byte) uuid.UUID {
	sum := sha1.Sum(b)
	var u uuid.UUID
	copy(u[:], sum[:])
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u
}

// appendUUID appends u in its canonical form.
func appendUUID(dst []byte, u uuid.UUID) []byte {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return append(dst, b[:]...)
}

// appendID appends entry i's id.
func (x *Export) appendID(dst []byte, i int32) []byte {
	e := &x.entries[i]
	dst = append(append(dst, typeNames[e.typ]...), "--"...)
	if e.odd {
		return append(dst, x.odd[i]...)
	}
	return appendUUID(dst, e.key)
}

// id returns entry i's id.
func (x *Export) id(i int32) string { return string(x.appendID(make([]byte, 0, 56), i)) }

// compareRest orders two ids of the same type.
func (x *Export) compareRest(a, b int32) int {
	ea, eb := &x.entries[a], &x.entries[b]
	if !ea.odd && !eb.odd {
		// Byte order is the order of the canonical hex.
		if c := cmp.Compare(binary.BigEndian.Uint64(ea.key[:8]), binary.BigEndian.Uint64(eb.key[:8])); c != 0 {
			return c
		}
		return cmp.Compare(binary.BigEndian.Uint64(ea.key[8:]), binary.BigEndian.Uint64(eb.key[8:]))
	}
	var ba, bb [128]byte
	return bytes.Compare(x.appendID(ba[:0], a), x.appendID(bb[:0], b))
}

// compareID orders two entries by id, as strings.
func (x *Export) compareID(a, b int32) int {
	if c := cmp.Compare(typeNames[x.entries[a].typ], typeNames[x.entries[b].typ]); c != 0 {
		return c
	}
	return x.compareRest(a, b)
}

// entityID returns the object id of an entity, "" when it is not in the
// snapshot.
func (x *Export) entityID(id string) string {
	i, ok := x.entity[id]
	if !ok {
		return ""
	}
	return x.id(i)
}

// timestamp formats Unix milliseconds as a STIX timestamp.
func timestamp(ms int64) string { return Timestamp(time.UnixMilli(ms)) }

// plan makes the entries, in the order the objects are derived.
func (x *Export) plan() error {
	s, ix := x.s, x.ix
	x.addID(entry{kind: kProducer, typ: tIdentity, created: fixedMS, modified: fixedMS}, ProducerID[len("identity--"):])
	x.addID(entry{kind: kEventExtension, typ: tExtension, created: fixedMS, modified: eventModifiedMS},
		EventExtensionID[len("extension-definition--"):])
	x.addID(entry{kind: kPropertyExtension, typ: tExtension, created: fixedMS, modified: propertiesModifiedMS},
		PropertyExtensionID[len("extension-definition--"):])
	// Which people act as militants.
	for _, r := range s.Relations {
		if r.Modality == faultline.Denied || r.Subject.Type != faultline.Person || r.Object.Type != faultline.ArmedGroup {
			continue
		}
		switch r.Predicate {
		case faultline.Leads:
			x.militant[r.Subject.ID] = append(x.militant[r.Subject.ID], "director")
		case faultline.MemberOf:
			x.militant[r.Subject.ID] = append(x.militant[r.Subject.ID], "agent")
		}
	}
	for id, roles := range x.militant {
		slices.Sort(roles)
		x.militant[id] = slices.Compact(roles)
	}
	for _, r := range s.Relations {
		if r.Predicate == faultline.LocatedIn && r.Modality != faultline.Denied {
			if _, ok := x.within[r.Subject.ID]; !ok {
				x.within[r.Subject.ID] = r.Object.ID
			}
		}
	}
	// Entity spans: the sources that mention or claim about each entity.
	spans := map[string]*span{}
	spanOf := func(id string) *span {
		sp := spans[id]
		if sp == nil {
			s := newSpan()
			sp = &s
			spans[id] = sp
		}
		return sp
	}
	for id, srcs := range s.Mentions {
		for _, sid := range srcs {
			spanOf(id).add(ix.Source[sid])
		}
	}
	for i := range s.Claims {
		c := &s.Claims[i]
		src := ix.Source[c.SourceID]
		for _, id := range claimEntities(c) {
			spanOf(id).add(src)
		}
	}
	for i := range s.Entities {
		e := &s.Entities[i]
		if !finite(e.Lat) || !finite(e.Lon) {
			return fmt.Errorf("stix: entity %s has coordinates that are not numbers", e.ID)
		}
		typ := tIdentity
		switch stixType(e, x.militant) {
		case "threat-actor":
			typ = tThreatActor
		case "location":
			typ = tLocation
		}
		x.entity[e.ID] = x.addID(withSpan(entry{kind: kEntity, typ: typ, idx: int32(i)}, spanOf(e.ID), false), e.ID)
	}
	for id, srcs := range s.Mentions {
		if i, ok := x.entity[id]; ok {
			for _, sid := range srcs {
				x.ref(sid, i)
			}
		}
	}
	for i := range s.Relations {
		if err := x.planRelation(int32(i)); err != nil {
			return err
		}
	}
	for i := range s.Events {
		var err error
		if s.Events[i].Record != nil {
			err = x.planRecord(int32(i)) // see dataset.go
		} else {
			err = x.planEvent(int32(i))
		}
		if err != nil {
			return err
		}
	}
	for i := range s.Claims {
		if err := x.planNote(int32(i)); err != nil {
			return err
		}
	}
	x.planReports()
	for l, t := range tlpByLevel {
		if x.tlps&(1<<l) != 0 {
			x.addID(entry{kind: kMarking, typ: tMarking, idx: int32(l), created: markingCreatedMS, modified: markingCreatedMS},
				tlpIDs[t][len("marking-definition--"):])
		}
	}
	return nil
}

// finite reports whether a coordinate can be written as JSON.
func finite(f *float64) bool { return f == nil || !math.IsNaN(*f) && !math.IsInf(*f, 0) }

func (x *Export) planRelation(i int32) error {
	r := &x.s.Relations[i]
	if _, ok := x.entity[r.Subject.ID]; !ok {
		return fmt.Errorf("stix: relation %s %s %s names an entity outside the snapshot", r.Subject.ID, r.Predicate, r.Object.ID)
	}
	if _, ok := x.entity[r.Object.ID]; !ok {
		return fmt.Errorf("stix: relation %s %s %s names an entity outside the snapshot", r.Subject.ID, r.Predicate, r.Object.ID)
	}
	self := int32(len(x.entries))
	sp := newSpan()
	for _, cid := range r.ClaimIDs {
		if c := x.ix.Claim[cid]; c != nil {
			sp.add(x.ix.Source[c.SourceID])
			x.ref(c.SourceID, self)
			x.noteTarget[cid] = self
		}
	}
	x.add(withSpan(entry{kind: kRelation, typ: tRelationship, idx: i,
		key: key("relation:", r.Subject.ID, ":", string(r.Predicate), ":", r.Object.ID)}, &sp, true))
	return nil
}

// link is one of an event's relationships: to its place or a participant.
type link struct {
	typ, role string
	target    int32 // the entity's entry, -1 when it is not in the snapshot
}

// numLinks counts an event's links: its place, then its participants.
func numLinks(e *faultline.Event) int {
	n := len(e.Participants)
	if e.Location != nil {
		n++
	}
	return n
}

// link returns an event's k-th link.
func (x *Export) link(e *faultline.Event, k int) link {
	target := func(id string) int32 {
		if i, ok := x.entity[id]; ok {
			return i
		}
		return -1
	}
	if e.Location != nil {
		if k == 0 {
			return link{"located-at", "location", target(e.Location.ID)}
		}
		k--
	}
	p := e.Participants[k]
	typ := "related-to"
	switch p.Role {
	case faultline.RoleAgent:
		typ = "attributed-to"
	case faultline.RoleTarget:
		typ = "targets"
	}
	return link{typ, string(p.Role), target(p.ID)}
}

// linkKey derives the id of an event's relationship to an entity.
func (x *Export) linkKey(e *faultline.Event, l link) uuid.UUID {
	var buf [256]byte
	b := append(append(append(buf[:0], namespace[:]...), "event:"...), e.ID...)
	b = append(append(append(b, ':'), l.role...), ':')
	return v5(x.appendID(b, l.target))
}

func (x *Export) planEvent(i int32) error {
	e := &x.s.Events[i]
	self := int32(len(x.entries))
	sp := newSpan()
	for _, cid := range e.ClaimIDs {
		if c := x.ix.Claim[cid]; c != nil {
			sp.add(x.ix.Source[c.SourceID])
			x.ref(c.SourceID, self)
			x.noteTarget[cid] = self
		}
	}
	x.addID(withSpan(entry{kind: kEvent, typ: tEvent, idx: i}, &sp, true), e.ID)
	for k := range numLinks(e) {
		l := x.link(e, k)
		if l.target < 0 {
			return fmt.Errorf("stix: event %s names an entity outside the snapshot", e.ID)
		}
		rel := x.add(withSpan(entry{kind: kEventLink, typ: tRelationship, idx: i, sub: int32(k), key: x.linkKey(e, l)}, &sp, true))
		for _, cid := range e.ClaimIDs {
			if c := x.ix.Claim[cid]; c != nil {
				x.ref(c.SourceID, rel)
			}
		}
	}
	return nil
}

func (x *Export) planNote(i int32) error {
	c := &x.s.Claims[i]
	if _, ok := x.noteTarget[c.ID]; !ok {
		return nil // a claim the aggregates left out (none today)
	}
	if c.Kind == faultline.EventClaim {
		if _, ok := x.entity[c.Location]; c.Location != "" && !ok {
			return fmt.Errorf("stix: claim %s names a location outside the snapshot", c.ID)
		}
		for _, p := range c.Participants {
			if _, ok := x.entity[p.Entity]; !ok {
				return fmt.Errorf("stix: claim %s names a participant outside the snapshot", c.ID)
			}
		}
	}
	sp := newSpan()
	sp.add(x.ix.Source[c.SourceID])
	note := x.add(withSpan(entry{kind: kNote, typ: tNote, idx: i, key: key("claim:", c.ID)}, &sp, true))
	x.ref(c.SourceID, note)
	if at, ok := x.entity[c.AttributedTo]; ok {
		x.ref(c.SourceID, at)
	}
	return nil
}

// planReports plans each source's report and its publisher's identity.
func (x *Export) planReports() {
	type pub struct {
		first int32
		sp    span
	}
	var order []uuid.UUID
	pubs := map[uuid.UUID]*pub{}
	for i := range x.s.Sources {
		src := &x.s.Sources[i]
		if src.Publisher == "" {
			continue
		}
		k := publisherKey(src.Publisher)
		p := pubs[k]
		if p == nil {
			p = &pub{first: int32(i), sp: newSpan()}
			pubs[k] = p
			order = append(order, k)
		}
		p.sp.add(src)
	}
	entries := map[uuid.UUID]int32{}
	for _, k := range order {
		p := pubs[k]
		entries[k] = x.add(withSpan(entry{kind: kPublisher, typ: tIdentity, idx: p.first, key: k}, &p.sp, false))
	}
	for i := range x.s.Sources {
		src := &x.s.Sources[i]
		sp := newSpan()
		sp.add(src)
		e := withSpan(entry{kind: kReport, typ: tReport, idx: int32(i), key: key("source:", src.SHA256)}, &sp, true)
		e.level = level(src.TLP.Level())
		x.add(e)
		if src.Publisher != "" {
			x.ref(src.ID, entries[publisherKey(src.Publisher)])
		}
	}
}

func publisherKey(name string) uuid.UUID { return key("publisher:", faultline.NormalizeName(name)) }

// Len returns the number of objects.
func (x *Export) Len() int { return len(x.order) }

// ID returns the id of the i-th object in bundle order.
func (x *Export) ID(i int) string { return x.id(x.order[i]) }

// AppendID appends the i-th object's id to dst, for callers that compare
// ids of millions of objects without making strings of them.
func (x *Export) AppendID(dst []byte, i int) []byte { return x.appendID(dst, x.order[i]) }

// CompareID orders the i-th and j-th objects by id, as strings.
func (x *Export) CompareID(i, j int) int { return x.compareID(x.order[i], x.order[j]) }

// Lookup returns the positions [lo, hi) in bundle order of the objects
// with the given id: none (lo == hi) or one, unless the snapshot names one
// event link twice.
func (x *Export) Lookup(id string) (lo, hi int) {
	typ, rest, ok := strings.Cut(id, "--")
	code := slices.Index(typeNames[:], typ)
	if !ok || code < 0 {
		return 0, 0
	}
	// Bundle order is by type, then the rest of the id as a string.
	var buf [128]byte
	compare := func(k int) int {
		e := &x.entries[x.order[k]]
		if c := cmp.Compare(e.typ, typeCode(code)); c != 0 {
			return c
		}
		b := x.appendID(buf[:0], x.order[k])
		return strings.Compare(string(b[len(typ)+2:]), rest)
	}
	lo = sort.Search(len(x.order), func(k int) bool { return compare(k) >= 0 })
	hi = lo
	for hi < len(x.order) && compare(hi) == 0 {
		hi++
	}
	return lo, hi
}

// Type returns the i-th object's type.
func (x *Export) Type(i int) string { return typeNames[x.entries[x.order[i]].typ] }

// VersionTime returns the i-th object's version (see Object.Version) as a
// time, to the millisecond.
func (x *Export) VersionTime(i int) time.Time {
	return time.UnixMilli(x.entries[x.order[i]].modified).UTC()
}

// Version returns the i-th object's version as a STIX timestamp.
func (x *Export) Version(i int) string { return timestamp(x.entries[x.order[i]].modified) }

// Object returns the i-th object, encoded.
func (x *Export) Object(i int) (Object, error) {
	e := &x.entries[x.order[i]]
	o := Object{ID: x.ID(i), Type: typeNames[e.typ], Created: timestamp(e.created), Modified: timestamp(e.modified), TLP: tlpByLevel[e.level]}
	if e.kind == kMarking {
		o.Modified, o.TLP = "", faultline.TLPClear
	}
	var buf bytes.Buffer
	if err := x.newEncoder().object(&buf, x.order[i]); err != nil {
		return Object{}, err
	}
	o.JSON = buf.Bytes()
	return o, nil
}

// Encode returns the i-th object's JSON.
func (x *Export) Encode(i int) (json.RawMessage, error) {
	var buf bytes.Buffer
	if err := x.newEncoder().object(&buf, x.order[i]); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteBundle writes the objects as one bundle, one object per line,
// encoding each as it goes: the same bytes as WriteBundle of Objects.
func (x *Export) WriteBundle(w io.Writer) error {
	// The bundle id comes first and covers every object's id and version.
	h := sha256.New()
	var line []byte
	for _, i := range x.order {
		line = append(x.appendID(line[:0], i), 0x1f)
		line = append(time.UnixMilli(x.entries[i].modified).UTC().AppendFormat(line, timestampLayout), '\n')
		h.Write(line)
	}
	id := "bundle--" + uuid.NewSHA1(namespace, h.Sum(nil)).String()
	bw := bufio.NewWriterSize(w, 256<<10)
	bw.WriteString(`{"type":"bundle","id":"` + id + `","objects":[`)
	enc := x.newEncoder()
	for k, i := range x.order {
		if k > 0 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
		if err := enc.object(bw, i); err != nil {
			return fmt.Errorf("write stix bundle: %w", err)
		}
	}
	bw.WriteString("\n]}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write stix bundle: %w", err)
	}
	return nil
}
