package faultline

import (
	"cmp"
	"crypto/sha1"
	"slices"
	"sort"
	"strings"

	"github.com/google/uuid"
)

// The aggregates: claims from many sources folded into relations and
// events. Backends fetch the claims (entity ids already mapped through
// merges, rejected claims left out) and hand them to AggregateRelations and
// AggregateEvents, so that every backend folds them by the same rules.

// EntityRef names an entity in an aggregate: enough to print it or link to
// it without loading its profile.
type EntityRef struct {
	ID   string     `json:"id"`
	Name string     `json:"name"`
	Type EntityType `json:"type"`
	Lat  *float64   `json:"lat,omitempty"`
	Lon  *float64   `json:"lon,omitempty"`
}

// RelationKey identifies a relation aggregate: final entity ids (after
// merges) and the predicate, a symmetric predicate folded so that Subject
// is the smaller id.
type RelationKey struct {
	Subject   string    `json:"subject"`
	Predicate Predicate `json:"predicate"`
	Object    string    `json:"object"`
}

// NewRelationKey returns the key of a claim's relation, folding a
// symmetric predicate into one direction.
func NewRelationKey(subject string, p Predicate, object string) RelationKey {
	if p.Symmetric() && object < subject {
		subject, object = object, subject
	}
	return RelationKey{Subject: subject, Predicate: p, Object: object}
}

// Relation is the aggregate of the claims, from any number of sources, that
// one entity stands in one relation to another.
type Relation struct {
	Subject   EntityRef `json:"subject"`
	Predicate Predicate `json:"predicate"`
	Object    EntityRef `json:"object"`
	// Modality is the strongest modality of the supporting claims, or
	// denied when every claim is a denial.
	Modality Modality `json:"modality"`
	// Sources counts the distinct sources with a supporting claim; a
	// denial never counts as support.
	Sources int `json:"sources"`
	// Claims counts every claim, denials included; Denials the denials.
	Claims  int `json:"claims"`
	Denials int `json:"denials"`
	// Accepted is set when an analyst accepted at least one of the claims.
	Accepted bool `json:"accepted"`
	// ValidFrom is the earliest valid_from and ValidTo the latest valid_to
	// of the claims (partial ISO dates), when any claim gives them.
	ValidFrom string `json:"valid_from,omitempty"`
	ValidTo   string `json:"valid_to,omitempty"`
	// FirstReported and LastReported are the earliest and latest
	// publication dates of the sources, when known.
	FirstReported string   `json:"first_reported,omitempty"`
	LastReported  string   `json:"last_reported,omitempty"`
	Roles         []string `json:"roles,omitempty"`
	SupportKinds  []string `json:"support_kinds,omitempty"`
	// ClaimIDs lists the claims, by source, for opening the evidence.
	ClaimIDs []string `json:"claim_ids"`
}

// Key returns the relation's key.
func (r *Relation) Key() RelationKey {
	return RelationKey{Subject: r.Subject.ID, Predicate: r.Predicate, Object: r.Object.ID}
}

// RelationFilter narrows a listing of relation aggregates.
type RelationFilter struct {
	// EntityID keeps relations with the entity on either side; any
	// reference FindEntity accepts.
	EntityID string
	// OtherID, with EntityID, keeps only the relations between the two.
	OtherID    string
	Predicates []Predicate
	// MinModality keeps relations whose strongest modality is at least
	// this strong; empty keeps all, denials included.
	MinModality Modality
	// MaxTLP aggregates only the claims of sources marked at most this
	// restrictively; empty: no limit.
	MaxTLP TLP
	Limit  int
}

// Validate checks the predicates, the modality and the marking.
func (f *RelationFilter) Validate() error {
	if err := validPredicates(f.Predicates); err != nil {
		return err
	}
	if err := validMaxTLP(f.MaxTLP); err != nil {
		return err
	}
	if f.MinModality != "" && !f.MinModality.Valid() {
		return Errorf(EINVALID, "modality %q: want %s", f.MinModality, modalityList())
	}
	if f.OtherID != "" && f.EntityID == "" {
		return Errorf(EINVALID, "relation filter: other entity %q without an entity", f.OtherID)
	}
	return nil
}

// Tie is a relation aggregate reduced to what a graph of millions of them
// needs: final entity ids, predicate, strongest modality and source count.
type Tie struct {
	Subject   string
	Object    string
	Predicate Predicate
	// Modality is the strongest supporting modality, or denied when every
	// claim is a denial.
	Modality Modality
	Sources  int
}

// TieFilter narrows the ties a store streams.
type TieFilter struct {
	Predicates []Predicate
	// MinModality drops ties weaker than this; empty keeps all.
	MinModality Modality
}

// Validate checks the predicates and the modality.
func (f *TieFilter) Validate() error {
	rf := RelationFilter{Predicates: f.Predicates, MinModality: f.MinModality}
	return rf.Validate()
}

// ClaimEvidence is what an analyst reads to judge a claim: the evidence
// spans and the source they come from.
type ClaimEvidence struct {
	ClaimID     string       `json:"claim_id"`
	SourceID    int64        `json:"source_id"`
	SourceTitle string       `json:"source_title"`
	Published   string       `json:"published,omitempty"`
	Reliability Reliability  `json:"reliability"`
	Modality    Modality     `json:"modality"`
	Status      ReviewStatus `json:"status"`
	Spans       []Span       `json:"spans"`
}

// Text returns the evidence text: the spans joined by " … ".
func (e *ClaimEvidence) Text() string {
	parts := make([]string, len(e.Spans))
	for i, s := range e.Spans {
		parts[i] = s.Text
	}
	return strings.Join(parts, " … ")
}

// SortEvidence orders evidence for display: supporting claims before
// denials, firmer modality, more reliable source, then by source and claim.
func SortEvidence(ev []ClaimEvidence) {
	sort.SliceStable(ev, func(i, j int) bool {
		a, b := ev[i], ev[j]
		if (a.Modality == Denied) != (b.Modality == Denied) {
			return b.Modality == Denied
		}
		if a.Modality.Strength() != b.Modality.Strength() {
			return a.Modality.Strength() > b.Modality.Strength()
		}
		if a.Reliability != b.Reliability {
			return a.Reliability < b.Reliability
		}
		if a.SourceID != b.SourceID {
			return a.SourceID < b.SourceID
		}
		return a.ClaimID < b.ClaimID
	})
}

// EventParticipant is an entity's part in an aggregated event.
type EventParticipant struct {
	EntityRef
	Role ParticipantRole `json:"role"`
}

// Event is the aggregate of the event claims, from any number of sources,
// that describe one event.
type Event struct {
	// ID is derived from the event's claims (see EventID): it stays the
	// same as sources are added unless a claim with a smaller id joins.
	ID   string    `json:"id"`
	Type EventType `json:"type"`
	// Date is the most precise date of the claims, "" when none is dated.
	Date         string             `json:"date,omitempty"`
	Location     *EntityRef         `json:"location,omitempty"`
	Participants []EventParticipant `json:"participants"`
	// Fatalities is the largest exact count; a lower bound ("at least
	// 54") larger than every exact count is kept with FatalitiesLow set.
	Fatalities    *int     `json:"fatalities,omitempty"`
	FatalitiesLow bool     `json:"fatalities_is_lower_bound,omitempty"`
	Modality      Modality `json:"modality"`
	Sources       int      `json:"sources"`
	Denials       int      `json:"denials"`
	Accepted      bool     `json:"accepted"`
	// ClaimIDs lists the claims, for opening the evidence; for an event
	// from a dataset, the record's id, which Evidence answers too.
	ClaimIDs []string `json:"claim_ids"`
	// Record is set on an event read from an event dataset (UCDP GED,
	// ACLED): the record it is. A dataset record is an event of its own,
	// asserted by one source (the file), and is not folded with claims
	// from prose: a dataset codes each event once, its dates and places
	// are coarser than a report's, and its counts are estimates whose
	// provenance differs from a sentence's; an analyst comparing the two
	// sees both side by side on the timeline.
	Record *EventRecord `json:"record,omitempty"`
}

// EventRecord is the dataset record behind an event: where it is (the
// file, as a source, and the line) and what the record says beyond the
// event's common fields. The record's words (its own sources, its notes)
// are left out of timelines, as a timeline of a whole dataset would carry
// them for every row: Evidence of the record's id gives them. A snapshot
// carries them, since an export must give the record back whole.
type EventRecord struct {
	ID          string      `json:"id"` // "ucdp:59553", "acled:PAK1234"
	SourceID    int64       `json:"source_id"`
	SourceTitle string      `json:"source_title"`
	Reliability Reliability `json:"reliability"`
	TLP         TLP         `json:"tlp"`
	Line        int         `json:"line"`
	SubType     string      `json:"sub_type,omitempty"`
	// DatePrec is the dataset's precision code; DateStart and DateEnd
	// the period the record allows.
	DatePrec  int      `json:"date_prec,omitempty"`
	DateStart string   `json:"date_start,omitempty"`
	DateEnd   string   `json:"date_end,omitempty"`
	Place     string   `json:"place,omitempty"`
	PlacePrec int      `json:"place_prec,omitempty"`
	Lat       *float64 `json:"lat,omitempty"`
	Lon       *float64 `json:"lon,omitempty"`
	// DeathsLow and DeathsHigh are the dataset's range around the event's
	// Fatalities, where it gives one.
	DeathsLow  *int `json:"deaths_low,omitempty"`
	DeathsHigh *int `json:"deaths_high,omitempty"`
	// SourceText and Notes are the record's words (see DatasetEvent); set
	// in snapshots only.
	SourceText string `json:"source_text,omitempty"`
	Notes      string `json:"notes,omitempty"`
}

// EventFilter narrows a timeline.
type EventFilter struct {
	// Actor keeps events the entity takes part in; any reference
	// FindEntity accepts.
	Actor string
	// Place keeps events located at the place or at a place a
	// located_in relation puts within it.
	Place string
	// From and To are partial ISO dates bounding the timeline, inclusive:
	// from "2024" to "2025" is 2024-01-01 to 2025-12-31. An event is kept
	// when its date overlaps the range; undated events are dropped when
	// either is set.
	From, To string
	Types    []EventType
	// MaxTLP aggregates only the claims of sources marked at most this
	// restrictively; empty: no limit.
	MaxTLP TLP
	Limit  int
}

// Validate checks the dates, the event types and the marking.
func (f *EventFilter) Validate() error {
	if _, _, err := ParseDateRange(f.From, f.To); err != nil {
		return err
	}
	if err := validMaxTLP(f.MaxTLP); err != nil {
		return err
	}
	for _, t := range f.Types {
		if !t.Valid() {
			return Errorf(EINVALID, "event type %q: want one of %s", t, eventTypeList())
		}
	}
	return nil
}

// validMaxTLP checks a filter's marking limit; empty is no limit.
func validMaxTLP(t TLP) error {
	if t != "" && t.Level() < 0 {
		return Errorf(EINVALID, "tlp %q: want clear, green, amber, amber+strict or red", t)
	}
	return nil
}

func validPredicates(ps []Predicate) error {
	for _, p := range ps {
		if !p.Valid() {
			return Errorf(EINVALID, "predicate %q: want one of %s", p, predicateList())
		}
	}
	return nil
}

func predicateList() string {
	s := make([]string, len(Predicates))
	for i, p := range Predicates {
		s[i] = string(p)
	}
	return strings.Join(s, ", ")
}

func eventTypeList() string {
	s := make([]string, len(EventTypes))
	for i, t := range EventTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

func modalityList() string {
	return "asserted, reported, alleged, possible or denied"
}

// Modalities lists the modalities from firmest to weakest.
var Modalities = []Modality{Asserted, Reported, Alleged, Possible, Denied}

// ModalityOfStrength is the inverse of Modality.Strength.
func ModalityOfStrength(n int) Modality {
	for _, m := range Modalities {
		if m.Strength() == n {
			return m
		}
	}
	return Denied
}

// predicateRank orders predicates as Predicates lists them.
func predicateRank(p Predicate) int {
	if i := slices.Index(Predicates, p); i >= 0 {
		return i
	}
	return len(Predicates)
}

// relationAcc accumulates one relation aggregate.
type relationAcc struct {
	rel      Relation
	strength int // of the supporting claims; -1 while there is none
	sources  map[int64]bool
	from, to Date // parsed ValidFrom, ValidTo
	first    Date // parsed FirstReported
	last     Date
}

// AggregateRelations folds relation claims into relation aggregates. The
// claims' entity ids must already be final (merges followed); claims with
// status rejected and claims of other kinds are skipped. published gives
// the publication date of each source, if known. The aggregates name their
// entities by id only and come ordered by predicate, then strongest
// modality, sources and claims (descending), then ids.
func AggregateRelations(claims []Claim, published map[int64]string) []Relation {
	accs := map[RelationKey]*relationAcc{}
	var order []RelationKey
	for i := range claims {
		c := &claims[i]
		if c.Kind != RelationClaim || c.Status == StatusRejected {
			continue
		}
		k := NewRelationKey(c.Subject, c.Predicate, c.Object)
		a := accs[k]
		if a == nil {
			a = &relationAcc{
				rel: Relation{
					Subject: EntityRef{ID: k.Subject}, Predicate: k.Predicate, Object: EntityRef{ID: k.Object},
					ClaimIDs: []string{},
				},
				strength: -1,
				sources:  map[int64]bool{},
			}
			accs[k] = a
			order = append(order, k)
		}
		a.add(c, published[c.SourceID])
	}
	out := make([]Relation, 0, len(order))
	for _, k := range order {
		out = append(out, accs[k].finish())
	}
	SortRelations(out)
	return out
}

func (a *relationAcc) add(c *Claim, published string) {
	r := &a.rel
	r.Claims++
	r.ClaimIDs = append(r.ClaimIDs, c.ID)
	if c.Status == StatusAccepted {
		r.Accepted = true
	}
	if c.Modality == Denied {
		r.Denials++
	} else {
		a.sources[c.SourceID] = true
		a.strength = max(a.strength, c.Modality.Strength())
	}
	if c.Role != "" && !slices.Contains(r.Roles, c.Role) {
		r.Roles = append(r.Roles, c.Role)
	}
	if c.SupportKind != "" && !slices.Contains(r.SupportKinds, c.SupportKind) {
		r.SupportKinds = append(r.SupportKinds, c.SupportKind)
	}
	if d, err := ParseDate(c.ValidFrom); err == nil && (a.from.IsZero() || earlier(d, a.from)) {
		a.from = d
	}
	if d, err := ParseDate(c.ValidTo); err == nil && (a.to.IsZero() || later(d, a.to)) {
		a.to = d
	}
	if d, err := ParseDate(published); err == nil {
		if a.first.IsZero() || earlier(d, a.first) {
			a.first = d
		}
		if a.last.IsZero() || later(d, a.last) {
			a.last = d
		}
	}
}

func (a *relationAcc) finish() Relation {
	r := a.rel
	r.Sources = len(a.sources)
	if a.strength < 0 {
		r.Modality = Denied
	} else {
		r.Modality = ModalityOfStrength(a.strength)
	}
	r.ValidFrom, r.ValidTo = a.from.String(), a.to.String()
	r.FirstReported, r.LastReported = a.first.String(), a.last.String()
	sort.Strings(r.Roles)
	sort.Strings(r.SupportKinds)
	return r
}

// earlier reports whether a starts before b, or starts with it and is more
// precise.
func earlier(a, b Date) bool {
	fa, fb := a.FirstDay(), b.FirstDay()
	return fa < fb || fa == fb && a.Precision() > b.Precision()
}

// later reports whether a ends after b, or ends with it and is more
// precise.
func later(a, b Date) bool {
	la, lb := a.LastDay(), b.LastDay()
	return la > lb || la == lb && a.Precision() > b.Precision()
}

// SortRelations orders relations by predicate, then strongest modality,
// sources and claims (descending), then subject and object ids.
func SortRelations(rs []Relation) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := &rs[i], &rs[j]
		if pa, pb := predicateRank(a.Predicate), predicateRank(b.Predicate); pa != pb {
			return pa < pb
		}
		if sa, sb := a.Modality.Strength(), b.Modality.Strength(); sa != sb {
			return sa > sb
		}
		if a.Sources != b.Sources {
			return a.Sources > b.Sources
		}
		if a.Claims != b.Claims {
			return a.Claims > b.Claims
		}
		if a.Subject.ID != b.Subject.ID {
			return a.Subject.ID < b.Subject.ID
		}
		return a.Object.ID < b.Object.ID
	})
}

// eventNamespace is the UUIDv5 namespace of event ids. It is fixed
// forever: changing it changes every event id.
var eventNamespace = uuid.MustParse("2f0c9a4e-8d1b-5e37-b6a2-7c3e1d9f0b58")

// EventID derives an event's id from its claims: from the smallest claim
// id, so that it is the same in every database holding the same claims and
// stays put as sources are added, unless a claim with a smaller id joins.
func EventID(claimIDs []string) string {
	if len(claimIDs) == 0 {
		return ""
	}
	// uuid.NewSHA1 without its allocations (a hash state, the sum, a copy
	// of the id): a snapshot derives the id of every dataset record, and
	// a dataset holds hundreds of thousands.
	var buf [128]byte
	sum := sha1.Sum(append(append(buf[:0], eventNamespace[:]...), slices.Min(claimIDs)...))
	var u uuid.UUID
	copy(u[:], sum[:])
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	return u.String()
}

// eventCluster is an event being assembled.
type eventCluster struct {
	typ      EventType
	date     Date
	rawDate  string // the date as the claims give it when it is not a date
	location string
	parts    map[string]bool
	claims   []*Claim
}

// clusterKey indexes clusters for candidate lookup: by type, year (0 for
// the index of every year) and an entity (a location or a participant).
type clusterKey struct {
	typ    EventType
	year   int
	entity string
}

// AggregateEvents groups event claims that describe the same event. Two
// claims match when they have the same type, compatible dates (one is the
// other at a coarser precision: "2025-03" and "2025-03-11"), no conflicting
// locations, and the same location or a shared participant. An undated
// claim joins an event only on a strong match: the same location and a
// shared participant. The claims' entity ids must already be final; claims
// with status rejected and claims of other kinds are skipped.
//
// Claims are taken most specific first (precise dates, a place, more
// participants), so that vague claims join the precise events they may
// belong to; a claim that matches two events
// equally well joins neither and stands alone, rather than risk fusing two
// events. The result names entities by id only and is ordered as
// SortEvents orders it.
func AggregateEvents(claims []Claim) []Event {
	type item struct {
		c    *Claim
		date Date
		ok   bool // the date parsed
	}
	items := make([]item, 0, len(claims))
	for i := range claims {
		c := &claims[i]
		if c.Kind != EventClaim || c.Status == StatusRejected {
			continue
		}
		d, err := ParseDate(c.EventDate)
		items = append(items, item{c: c, date: d, ok: err == nil})
	}
	// Most specific first: precise dates, then claims with a place, then
	// those with more participants, so that events form around their
	// fullest accounts and vaguer claims are matched against those.
	sort.Slice(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if pa, pb := a.date.Precision(), b.date.Precision(); pa != pb {
			return pa > pb
		}
		if la, lb := a.c.Location != "", b.c.Location != ""; la != lb {
			return la
		}
		if na, nb := len(a.c.Participants), len(b.c.Participants); na != nb {
			return na > nb
		}
		return a.c.ID < b.c.ID
	})

	var clusters []*eventCluster
	index := map[clusterKey][]int{}
	addIndex := func(k int, entity string) {
		cl := clusters[k]
		for _, y := range []int{0, cl.date.Year} {
			key := clusterKey{cl.typ, y, entity}
			if l := index[key]; len(l) == 0 || l[len(l)-1] != k {
				index[key] = append(l, k)
			}
		}
	}
	for _, it := range items {
		c := it.c
		year := 0
		if it.ok {
			year = it.date.Year
		}
		// Candidates: clusters of the type and year sharing the location
		// or a participant.
		seen := map[int]bool{}
		var cands []int
		look := func(entity string) {
			if entity == "" {
				return
			}
			for _, k := range index[clusterKey{c.EventType, year, entity}] {
				if !seen[k] {
					seen[k] = true
					cands = append(cands, k)
				}
			}
		}
		look(c.Location)
		for _, p := range c.Participants {
			look(p.Entity)
		}
		best, bestScore, tie := -1, 0, false
		for _, k := range cands {
			s := clusters[k].score(c, it.date, it.ok)
			switch {
			case s <= 0:
			case s > bestScore:
				best, bestScore, tie = k, s, false
			case s == bestScore:
				tie = true
			}
		}
		if best < 0 || tie {
			cl := &eventCluster{typ: c.EventType, parts: map[string]bool{}}
			if it.ok {
				cl.date = it.date
			} else {
				cl.rawDate = c.EventDate
			}
			clusters = append(clusters, cl)
			best = len(clusters) - 1
		}
		cl := clusters[best]
		cl.claims = append(cl.claims, c)
		if cl.location == "" && c.Location != "" {
			cl.location = c.Location
			addIndex(best, c.Location)
		}
		for _, p := range c.Participants {
			if !cl.parts[p.Entity] {
				cl.parts[p.Entity] = true
				addIndex(best, p.Entity)
			}
		}
	}
	out := make([]Event, 0, len(clusters))
	for _, cl := range clusters {
		out = append(out, cl.event())
	}
	SortEvents(out)
	return out
}

// score rates how well claim c (dated d when ok) matches the cluster: 0
// for no match, else higher for a closer match.
func (cl *eventCluster) score(c *Claim, d Date, ok bool) int {
	if c.EventType != cl.typ {
		return 0
	}
	dated := ok && !cl.date.IsZero()
	switch {
	case dated:
		if !cl.date.Covers(d) && !d.Covers(cl.date) {
			return 0
		}
	case ok || !cl.date.IsZero():
		// One is dated, the other not: only an undated claim joining a
		// dated event, on a strong match below.
		if ok {
			return 0
		}
	default:
		if c.EventDate != cl.rawDate {
			return 0
		}
	}
	if c.Location != "" && cl.location != "" && c.Location != cl.location {
		return 0
	}
	sameLoc := c.Location != "" && c.Location == cl.location
	shared := 0
	for _, p := range c.Participants {
		if cl.parts[p.Entity] {
			shared++
		}
	}
	if !dated {
		if !sameLoc || shared == 0 {
			return 0
		}
	} else if !sameLoc && shared == 0 {
		return 0
	}
	s := shared
	if sameLoc {
		s += 2
	}
	if dated && d.Precision() == cl.date.Precision() {
		s++
	}
	return s
}

// event builds the aggregate of a cluster.
func (cl *eventCluster) event() Event {
	e := Event{Type: cl.typ, Date: cl.date.String(), Participants: []EventParticipant{}, ClaimIDs: []string{}}
	if cl.date.IsZero() {
		e.Date = cl.rawDate
	}
	if cl.location != "" {
		e.Location = &EntityRef{ID: cl.location}
	}
	sort.Slice(cl.claims, func(i, j int) bool {
		a, b := cl.claims[i], cl.claims[j]
		if a.SourceID != b.SourceID {
			return a.SourceID < b.SourceID
		}
		return a.ID < b.ID
	})
	strength := -1
	sources := map[int64]bool{}
	exact, low := -1, -1
	type pr struct {
		id   string
		role ParticipantRole
	}
	seen := map[pr]bool{}
	for _, c := range cl.claims {
		e.ClaimIDs = append(e.ClaimIDs, c.ID)
		if c.Status == StatusAccepted {
			e.Accepted = true
		}
		if c.Modality == Denied {
			e.Denials++
		} else {
			sources[c.SourceID] = true
			strength = max(strength, c.Modality.Strength())
		}
		if c.Fatalities != nil {
			if c.FatalitiesLow {
				low = max(low, *c.Fatalities)
			} else {
				exact = max(exact, *c.Fatalities)
			}
		}
		for _, p := range c.Participants {
			k := pr{p.Entity, p.Role}
			if !seen[k] {
				seen[k] = true
				e.Participants = append(e.Participants, EventParticipant{EntityRef: EntityRef{ID: p.Entity}, Role: p.Role})
			}
		}
	}
	e.ID = EventID(e.ClaimIDs)
	e.Sources = len(sources)
	if strength < 0 {
		e.Modality = Denied
	} else {
		e.Modality = ModalityOfStrength(strength)
	}
	switch {
	case exact >= 0 && exact >= low:
		e.Fatalities = &exact
	case low >= 0:
		e.Fatalities, e.FatalitiesLow = &low, true
	}
	sort.SliceStable(e.Participants, func(i, j int) bool {
		return roleRank(e.Participants[i].Role) < roleRank(e.Participants[j].Role)
	})
	return e
}

func roleRank(r ParticipantRole) int {
	switch r {
	case RoleAgent:
		return 0
	case RoleTarget:
		return 1
	case RoleDestination:
		return 2
	}
	return 3
}

// SortEvents orders events by date, undated (and unreadable dates) last;
// events starting the same day go coarser first ("2025-03" before
// "2025-03-01"), then by type and id. The keys are computed once and an
// index sorted, so that a timeline of hundreds of thousands of dataset
// records sorts in a fraction of a second.
func SortEvents(es []Event) {
	type key struct {
		first int // the first day the date covers as YYYYMMDD; 0 undated
		prec  int
		i     int
	}
	keys := make([]key, len(es))
	for i := range es {
		keys[i].i = i
		if d, err := ParseDate(es[i].Date); err == nil {
			keys[i].first, keys[i].prec = d.Year*10000+max(d.Month, 1)*100+max(d.Day, 1), d.Precision()
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if (a.first == 0) != (b.first == 0) {
			if a.first == 0 {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(a.first, b.first); c != 0 {
			return c
		}
		if c := cmp.Compare(a.prec, b.prec); c != 0 {
			return c
		}
		ea, eb := &es[a.i], &es[b.i]
		if c := strings.Compare(string(ea.Type), string(eb.Type)); c != 0 {
			return c
		}
		if c := strings.Compare(ea.ID, eb.ID); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i) // as a stable sort would
	})
	// Event j of the order is es[keys[j].i]: the permutation is applied
	// in place, cycle by cycle, rather than through a sorted copy, which
	// for a snapshot of a large dataset would be another copy of every
	// event.
	done := make([]bool, len(es))
	for j := range keys {
		if done[j] {
			continue
		}
		first := es[j]
		for k := j; ; {
			done[k] = true
			from := keys[k].i
			if from == j {
				es[k] = first
				break
			}
			es[k] = es[from]
			k = from
		}
	}
}
