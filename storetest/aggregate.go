package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/faultline-osint/faultline"
)

// The aggregate cases share a pool of entities with dictionary keys, so
// that every small document resolves them to the same stored entities.
var pool = map[string]Ent{
	"isi":         {ID: "isi", Name: "Inter-Services Intelligence", Type: faultline.GovernmentBody, Key: "actor:isi", Aliases: []string{"ISI"}},
	"let":         {ID: "let", Name: "Lashkar-e-Taiba", Type: faultline.ArmedGroup, Key: "actor:let"},
	"jud":         {ID: "jud", Name: "Jamaat-ud-Dawa", Type: faultline.ArmedGroup, Key: "actor:jud"},
	"ttp":         {ID: "ttp", Name: "Tehrik-i-Taliban Pakistan", Type: faultline.ArmedGroup, Key: "actor:ttp"},
	"taliban":     {ID: "taliban", Name: "Afghan Taliban", Type: faultline.ArmedGroup, Key: "actor:taliban"},
	"iskp":        {ID: "iskp", Name: "Islamic State Khorasan Province", Type: faultline.ArmedGroup, Key: "actor:iskp"},
	"forces":      {ID: "forces", Name: "Pakistani forces", Type: faultline.GovernmentBody, Key: "actor:pakforces"},
	"pakistan":    {ID: "pakistan", Name: "Pakistan", Type: faultline.Country, Key: "iso:PK"},
	"mastung":     {ID: "mastung", Name: "Mastung", Type: faultline.Location, Key: "place:mastung"},
	"quetta":      {ID: "quetta", Name: "Quetta", Type: faultline.Location, Key: "place:quetta"},
	"balochistan": {ID: "balochistan", Name: "Balochistan", Type: faultline.Location, Key: "place:balochistan"},
}

// relSpec is a relation claim of a small test document: the sentence is both
// the document's text and the claim's evidence.
type relSpec struct {
	S, P, O  string
	Modality faultline.Modality
	From, To string
	Role     string
	Kind     string
}

// relDoc builds a one-sentence document holding one relation claim
// between entities of the pool.
func relDoc(t testing.TB, title, published, sentence string, r relSpec) Doc {
	t.Helper()
	rel := faultline.ExtractedRelation{Subject: r.S, Predicate: faultline.Predicate(r.P), Object: r.O, Modality: r.Modality,
		Evidence: []faultline.Span{Span(t, sentence, sentence)}, Rule: "test.rel"}
	if r.From != "" {
		rel.ValidFrom = str(r.From)
	}
	if r.To != "" {
		rel.ValidTo = str(r.To)
	}
	if r.Role != "" {
		rel.Role = str(r.Role)
	}
	if r.Kind != "" {
		rel.Kind = str(r.Kind)
	}
	return Doc{Title: title, Published: published, Text: sentence, Ents: []Ent{pool[r.S], pool[r.O]},
		Relations: []faultline.ExtractedRelation{rel}}
}

// eventSpec is an event claim of a small test document.
type eventSpec struct {
	Type       faultline.EventType
	Date       string
	Location   string
	Agents     []string
	Targets    []string
	Fatalities int // -1: none given
	Low        bool
	Modality   faultline.Modality
}

// eventDoc builds a one-sentence document holding one event claim.
func eventDoc(t testing.TB, title, sentence string, e eventSpec) Doc {
	t.Helper()
	v := faultline.ExtractedEvent{ID: "v1", Type: e.Type, Participants: []faultline.Participant{}, Modality: e.Modality,
		Evidence: []faultline.Span{Span(t, sentence, sentence)}, Rule: "test.event", FatalitiesLow: e.Low}
	ents := map[string]bool{}
	if e.Date != "" {
		v.Date = str(e.Date)
	}
	if e.Location != "" {
		v.Location = str(e.Location)
		ents[e.Location] = true
	}
	for _, a := range e.Agents {
		v.Participants = append(v.Participants, faultline.Participant{Entity: a, Role: faultline.RoleAgent})
		ents[a] = true
	}
	for _, a := range e.Targets {
		v.Participants = append(v.Participants, faultline.Participant{Entity: a, Role: faultline.RoleTarget})
		ents[a] = true
	}
	if e.Fatalities >= 0 {
		v.Fatalities = intp(e.Fatalities)
	}
	d := Doc{Title: title, Text: sentence, Events: []faultline.ExtractedEvent{v}}
	for _, id := range sortedKeys(ents) {
		d.Ents = append(d.Ents, pool[id])
	}
	return d
}

func sortedKeys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// mustRelations lists relations, failing the test on error.
func mustRelations(t testing.TB, st faultline.Store, f faultline.RelationFilter) []faultline.Relation {
	t.Helper()
	rs, err := st.Relations(context.Background(), f)
	if err != nil {
		t.Fatalf("Relations(%+v): %v", f, err)
	}
	return rs
}

// mustTies collects the ties, failing the test on error.
func mustTies(t testing.TB, st faultline.Store, f faultline.TieFilter) map[faultline.RelationKey]faultline.Tie {
	t.Helper()
	out := map[faultline.RelationKey]faultline.Tie{}
	err := st.Ties(context.Background(), f, func(tie faultline.Tie) error {
		k := faultline.RelationKey{Subject: tie.Subject, Predicate: tie.Predicate, Object: tie.Object}
		if _, dup := out[k]; dup {
			return fmt.Errorf("tie %v streamed twice", k)
		}
		out[k] = tie
		return nil
	})
	if err != nil {
		t.Fatalf("Ties: %v", err)
	}
	return out
}

// checkTiesAgree checks that Ties streams exactly the relations Relations
// lists, with the same modality and source count.
func checkTiesAgree(t testing.TB, st faultline.Store) {
	t.Helper()
	rels := mustRelations(t, st, faultline.RelationFilter{})
	ties := mustTies(t, st, faultline.TieFilter{})
	if len(ties) != len(rels) {
		t.Errorf("%d ties, %d relations; want the same aggregates", len(ties), len(rels))
	}
	for _, r := range rels {
		tie, ok := ties[r.Key()]
		if !ok {
			t.Errorf("relation %v has no tie", r.Key())
			continue
		}
		if tie.Modality != r.Modality || tie.Sources != r.Sources {
			t.Errorf("tie %v = %s/%d sources, relation says %s/%d", r.Key(), tie.Modality, tie.Sources, r.Modality, r.Sources)
		}
	}
}

// relClaim returns the id of the one relation claim of a source.
func relClaim(t testing.TB, st faultline.Store, source int64) string {
	t.Helper()
	cs, err := st.Claims(context.Background(), faultline.ClaimFilter{SourceID: source, Kind: faultline.RelationClaim})
	if err != nil || len(cs) != 1 {
		t.Fatalf("claims of source %d: %d, %v; want 1", source, len(cs), err)
	}
	return cs[0].ID
}

// testRelationsAggregate: claims of one relation from two sources make one
// aggregate with two sources, the strongest modality, the widest time span
// and every role and kind; a denial from a third source is counted apart
// and is no support; a relation only denied stays visible as denied.
func (s *suite) testRelationsAggregate(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	a := MustIngest(t, *st, relDoc(t, "A", "2024-05", "ISI supports Lashkar-e-Taiba with money.",
		relSpec{S: "isi", P: "supports", O: "let", Modality: faultline.Reported, From: "2001", To: "2019", Kind: "material"}))
	b := MustIngest(t, *st, relDoc(t, "B", "2025-02-03", "Inter-Services Intelligence trains Lashkar-e-Taiba.",
		relSpec{S: "isi", P: "supports", O: "let", Modality: faultline.Asserted, From: "1998-06", To: "2019-03", Kind: "training"}))
	// The same source claiming it twice is still one source.
	b2 := MustIngest(t, *st, relDoc(t, "B2", "", "ISI has long supported Lashkar-e-Taiba, and still does so.",
		relSpec{S: "isi", P: "supports", O: "let", Modality: faultline.Possible}))
	c := MustIngest(t, *st, relDoc(t, "C", "2023", "ISI denied supporting Lashkar-e-Taiba.",
		relSpec{S: "isi", P: "supports", O: "let", Modality: faultline.Denied}))
	MustIngest(t, *st, relDoc(t, "D", "", "Pakistan denied backing the TTP: Tehrik-i-Taliban Pakistan.",
		relSpec{S: "pakistan", P: "supports", O: "ttp", Modality: faultline.Denied}))
	isi, let := MustFind(t, *st, "ISI"), MustFind(t, *st, "Lashkar-e-Taiba")

	rs := mustRelations(t, *st, faultline.RelationFilter{EntityID: "ISI"})
	if len(rs) != 1 {
		t.Fatalf("relations of ISI = %+v, want one aggregate", rs)
	}
	r := rs[0]
	if r.Subject.ID != isi.ID || r.Subject.Name != "Inter-Services Intelligence" || r.Subject.Type != faultline.GovernmentBody ||
		r.Object.ID != let.ID || r.Object.Name != "Lashkar-e-Taiba" || r.Predicate != faultline.Supports {
		t.Errorf("relation = %+v, want ISI supports Lashkar-e-Taiba named in full", r)
	}
	if r.Sources != 3 || r.Claims != 4 || r.Denials != 1 || r.Modality != faultline.Asserted {
		t.Errorf("sources %d claims %d denials %d modality %s; want 3, 4, 1, asserted", r.Sources, r.Claims, r.Denials, r.Modality)
	}
	if r.ValidFrom != "1998-06" || r.ValidTo != "2019" {
		t.Errorf("valid %s..%s, want 1998-06..2019 (a year ends after a month of it)", r.ValidFrom, r.ValidTo)
	}
	if r.FirstReported != "2023" || r.LastReported != "2025-02-03" {
		t.Errorf("reported %s..%s, want 2023..2025-02-03", r.FirstReported, r.LastReported)
	}
	if !slices.Equal(r.SupportKinds, []string{"material", "training"}) {
		t.Errorf("support kinds %v, want material and training", r.SupportKinds)
	}
	want := []string{relClaim(t, *st, a.SourceID), relClaim(t, *st, b.SourceID), relClaim(t, *st, b2.SourceID), relClaim(t, *st, c.SourceID)}
	if got := slices.Sorted(slices.Values(r.ClaimIDs)); !slices.Equal(got, slices.Sorted(slices.Values(want))) {
		t.Errorf("claim ids %v, want %v", r.ClaimIDs, want)
	}
	if r.Accepted {
		t.Errorf("accepted without any review")
	}

	// Evidence: the sentence and source of every claim, supporting first.
	ev, err := (*st).Evidence(ctx, append(r.ClaimIDs, "no-such-claim"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ev) != 4 {
		t.Fatalf("evidence = %+v, want 4", ev)
	}
	if ev[0].Modality != faultline.Asserted || ev[0].SourceTitle != "B" || ev[0].Text() != "Inter-Services Intelligence trains Lashkar-e-Taiba." ||
		ev[0].SourceID != b.SourceID || ev[0].Reliability != "B" {
		t.Errorf("first evidence = %+v, want the asserted claim of B with its sentence", ev[0])
	}
	if ev[3].Modality != faultline.Denied || ev[3].SourceTitle != "C" {
		t.Errorf("last evidence = %+v, want the denial", ev[3])
	}

	// A relation only denied: visible as denied with no source.
	rs = mustRelations(t, *st, faultline.RelationFilter{EntityID: "Pakistan"})
	if len(rs) != 1 || rs[0].Modality != faultline.Denied || rs[0].Sources != 0 || rs[0].Denials != 1 {
		t.Errorf("Pakistan's relations = %+v, want one denied, no sources", rs)
	}
	if rs := mustRelations(t, *st, faultline.RelationFilter{EntityID: "Pakistan", MinModality: faultline.Possible}); len(rs) != 0 {
		t.Errorf("min modality possible kept a denial: %+v", rs)
	}
	checkTiesAgree(t, *st)
}

// testRelationsSymmetric: a symmetric predicate claimed in both directions
// is one aggregate; an asymmetric one stays two.
func (s *suite) testRelationsSymmetric(t *testing.T) {
	st := s.open(t)
	MustIngest(t, *st, relDoc(t, "A", "", "Tehrik-i-Taliban Pakistan is allied with the Afghan Taliban.",
		relSpec{S: "ttp", P: "allied_with", O: "taliban", Modality: faultline.Asserted}))
	MustIngest(t, *st, relDoc(t, "B", "", "The Afghan Taliban are allied with Tehrik-i-Taliban Pakistan.",
		relSpec{S: "taliban", P: "allied_with", O: "ttp", Modality: faultline.Reported}))
	MustIngest(t, *st, relDoc(t, "C", "", "The Afghan Taliban shelter Tehrik-i-Taliban Pakistan.",
		relSpec{S: "taliban", P: "supports", O: "ttp", Modality: faultline.Asserted}))
	MustIngest(t, *st, relDoc(t, "D", "", "Tehrik-i-Taliban Pakistan funds the Afghan Taliban.",
		relSpec{S: "ttp", P: "supports", O: "taliban", Modality: faultline.Alleged}))
	ttp, tal := MustFind(t, *st, "actor:ttp"), MustFind(t, *st, "actor:taliban")

	rs := mustRelations(t, *st, faultline.RelationFilter{EntityID: "actor:ttp"})
	var allied, supports []faultline.Relation
	for _, r := range rs {
		switch r.Predicate {
		case faultline.AlliedWith:
			allied = append(allied, r)
		case faultline.Supports:
			supports = append(supports, r)
		}
	}
	if len(allied) != 1 || allied[0].Sources != 2 || allied[0].Modality != faultline.Asserted {
		t.Errorf("allied_with = %+v, want one aggregate of 2 sources", allied)
	}
	if len(allied) == 1 && allied[0].Subject.ID > allied[0].Object.ID {
		t.Errorf("symmetric relation not folded to the smaller id first: %s, %s", allied[0].Subject.ID, allied[0].Object.ID)
	}
	if len(supports) != 2 {
		t.Fatalf("supports = %+v, want both directions kept apart", supports)
	}
	for _, r := range supports {
		switch {
		case r.Subject.ID == tal.ID && r.Object.ID == ttp.ID && r.Modality == faultline.Asserted:
		case r.Subject.ID == ttp.ID && r.Object.ID == tal.ID && r.Modality == faultline.Alleged:
		default:
			t.Errorf("unexpected supports aggregate %+v", r)
		}
	}
	checkTiesAgree(t, *st)
}

// testRelationsRejected: a rejected claim leaves the aggregates (Relations
// and Ties) and stays rejected when its document is ingested again, as a
// duplicate or after its source was deleted; an accepted claim flags its
// aggregate.
func (s *suite) testRelationsRejected(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	docA := relDoc(t, "A", "", "ISI supports Lashkar-e-Taiba.", relSpec{S: "isi", P: "supports", O: "let", Modality: faultline.Asserted})
	docB := relDoc(t, "B", "", "ISI reportedly backs Lashkar-e-Taiba.", relSpec{S: "isi", P: "supports", O: "let", Modality: faultline.Reported})
	a := MustIngest(t, *st, docA)
	b := MustIngest(t, *st, docB)
	idA, idB := relClaim(t, *st, a.SourceID), relClaim(t, *st, b.SourceID)

	check := func(stage string, sources int, modality faultline.Modality, accepted bool) {
		t.Helper()
		rs := mustRelations(t, *st, faultline.RelationFilter{EntityID: "ISI"})
		if sources == 0 {
			if len(rs) != 0 {
				t.Errorf("%s: relations = %+v, want none", stage, rs)
			}
		} else if len(rs) != 1 || rs[0].Sources != sources || rs[0].Modality != modality || rs[0].Accepted != accepted ||
			slices.Contains(rs[0].ClaimIDs, idA) {
			t.Errorf("%s: relations = %+v, want one of %d sources, %s, accepted %v, without claim %s", stage, rs, sources, modality, accepted, idA)
		}
		checkTiesAgree(t, *st)
	}
	if err := (*st).SetClaimStatus(ctx, idA, faultline.StatusRejected, "ana"); err != nil {
		t.Fatal(err)
	}
	check("after reject", 1, faultline.Reported, false)
	s.reopen(t, st)
	check("after reopen", 1, faultline.Reported, false)

	src, ext := Build(t, docA)
	if res, err := (*st).IngestDocument(ctx, src, ext); err != nil || !res.Duplicate {
		t.Fatalf("duplicate ingest: %+v, %v", res, err)
	}
	check("after duplicate ingest", 1, faultline.Reported, false)

	if del, ok := (*st).(SourceDeleter); ok {
		if err := del.DeleteSource(ctx, a.SourceID); err != nil {
			t.Fatal(err)
		}
		a2 := MustIngest(t, *st, docA)
		if got := relClaim(t, *st, a2.SourceID); got != idA {
			t.Fatalf("re-ingested claim id %s, want the same id %s", got, idA)
		}
		check("after delete and re-ingest", 1, faultline.Reported, false)
		cs, err := (*st).Claims(ctx, faultline.ClaimFilter{Status: faultline.StatusRejected})
		if err != nil || len(cs) != 1 || cs[0].ID != idA {
			t.Errorf("rejected claims after re-ingest = %+v, %v; want %s", cs, err, idA)
		}
	} else {
		t.Log("store has no DeleteSource; skipping the delete-and-re-ingest check")
	}

	if err := (*st).SetClaimStatus(ctx, idB, faultline.StatusAccepted, "ana"); err != nil {
		t.Fatal(err)
	}
	check("after accept", 1, faultline.Reported, true)
	if err := (*st).SetClaimStatus(ctx, idB, faultline.StatusRejected, "ana"); err != nil {
		t.Fatal(err)
	}
	check("all rejected", 0, "", false)
}

// testRelationsMerge: merging two entities folds their aggregates, also
// when the merge makes two directions of a symmetric relation one, and
// unmerging splits them again.
func (s *suite) testRelationsMerge(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	MustIngest(t, *st, relDoc(t, "A", "", "ISI supports Lashkar-e-Taiba.", relSpec{S: "isi", P: "supports", O: "let", Modality: faultline.Reported}))
	MustIngest(t, *st, relDoc(t, "B", "", "ISI supports Jamaat-ud-Dawa.", relSpec{S: "isi", P: "supports", O: "jud", Modality: faultline.Asserted}))
	MustIngest(t, *st, relDoc(t, "C", "", "Jamaat-ud-Dawa is allied with Tehrik-i-Taliban Pakistan.", relSpec{S: "jud", P: "allied_with", O: "ttp", Modality: faultline.Asserted}))
	MustIngest(t, *st, relDoc(t, "D", "", "Tehrik-i-Taliban Pakistan is allied with Lashkar-e-Taiba.", relSpec{S: "ttp", P: "allied_with", O: "let", Modality: faultline.Asserted}))
	let := MustFind(t, *st, "Lashkar-e-Taiba")
	if n := len(mustRelations(t, *st, faultline.RelationFilter{})); n != 4 {
		t.Fatalf("%d relations before the merge, want 4", n)
	}
	if err := (*st).Merge(ctx, "Jamaat-ud-Dawa", "Lashkar-e-Taiba", "ana"); err != nil {
		t.Fatal(err)
	}
	rs := mustRelations(t, *st, faultline.RelationFilter{})
	if len(rs) != 2 {
		t.Fatalf("relations after merge = %+v, want 2", rs)
	}
	for _, r := range rs {
		if r.Sources != 2 || r.Modality != faultline.Asserted || (r.Subject.ID != let.ID && r.Object.ID != let.ID) {
			t.Errorf("after merge: %+v, want 2 sources, asserted, naming %s", r, let.ID)
		}
	}
	// Queried through the merged name, the same aggregates.
	if rs := mustRelations(t, *st, faultline.RelationFilter{EntityID: "Jamaat-ud-Dawa"}); len(rs) != 2 {
		t.Errorf("relations of the merged name = %d, want 2", len(rs))
	}
	checkTiesAgree(t, *st)
	if err := (*st).Unmerge(ctx, "Jamaat-ud-Dawa", "ana"); err != nil {
		t.Fatal(err)
	}
	if n := len(mustRelations(t, *st, faultline.RelationFilter{})); n != 4 {
		t.Errorf("%d relations after unmerge, want 4", n)
	}
	checkTiesAgree(t, *st)
}

// testRelationsFilter: entity on either side, predicates, minimum
// modality, the other entity, limit; bad filters fail clearly.
func (s *suite) testRelationsFilter(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	MustIngest(t, *st, relDoc(t, "A", "", "ISI supports Lashkar-e-Taiba.", relSpec{S: "isi", P: "supports", O: "let", Modality: faultline.Asserted}))
	MustIngest(t, *st, relDoc(t, "B", "", "ISI may back Tehrik-i-Taliban Pakistan.", relSpec{S: "isi", P: "supports", O: "ttp", Modality: faultline.Possible}))
	MustIngest(t, *st, relDoc(t, "C", "", "Tehrik-i-Taliban Pakistan is hostile to ISI.", relSpec{S: "ttp", P: "hostile_to", O: "isi", Modality: faultline.Reported}))
	MustIngest(t, *st, relDoc(t, "D", "", "Lashkar-e-Taiba is based in Pakistan.", relSpec{S: "let", P: "based_in", O: "pakistan", Modality: faultline.Asserted}))
	tests := []struct {
		name string
		f    faultline.RelationFilter
		want int
	}{
		{"all", faultline.RelationFilter{}, 4},
		{"entity either side", faultline.RelationFilter{EntityID: "ISI"}, 3},
		{"entity as object", faultline.RelationFilter{EntityID: "Pakistan"}, 1},
		{"predicate", faultline.RelationFilter{EntityID: "ISI", Predicates: []faultline.Predicate{faultline.Supports}}, 2},
		{"predicates", faultline.RelationFilter{Predicates: []faultline.Predicate{faultline.HostileTo, faultline.BasedIn}}, 2},
		{"min modality", faultline.RelationFilter{EntityID: "ISI", MinModality: faultline.Reported}, 2},
		{"between two", faultline.RelationFilter{EntityID: "ISI", OtherID: "Tehrik-i-Taliban Pakistan"}, 2},
		{"limit", faultline.RelationFilter{EntityID: "ISI", Limit: 1}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(mustRelations(t, *st, tt.f)); got != tt.want {
				t.Errorf("Relations(%+v) = %d, want %d", tt.f, got, tt.want)
			}
		})
	}
	// Ordered by predicate as the vocabulary lists them, then firmest.
	rs := mustRelations(t, *st, faultline.RelationFilter{EntityID: "ISI"})
	if len(rs) == 3 && (rs[0].Predicate != faultline.Supports || rs[0].Modality != faultline.Asserted || rs[2].Predicate != faultline.HostileTo) {
		t.Errorf("order = %+v", rs)
	}
	ties := mustTies(t, *st, faultline.TieFilter{MinModality: faultline.Reported})
	if len(ties) != 3 {
		t.Errorf("ties at least reported = %d, want 3", len(ties))
	}
	ties = mustTies(t, *st, faultline.TieFilter{Predicates: []faultline.Predicate{faultline.Supports}})
	if len(ties) != 2 {
		t.Errorf("supports ties = %d, want 2", len(ties))
	}
	_, err := (*st).Relations(ctx, faultline.RelationFilter{Predicates: []faultline.Predicate{"funds"}})
	wantCode(t, "unknown predicate", err, faultline.EINVALID)
	_, err = (*st).Relations(ctx, faultline.RelationFilter{MinModality: "certain"})
	wantCode(t, "unknown modality", err, faultline.EINVALID)
	_, err = (*st).Relations(ctx, faultline.RelationFilter{EntityID: "No Such Group"})
	wantCode(t, "unknown entity", err, faultline.ENOTFOUND)
	wantCode(t, "ties with unknown predicate", (*st).Ties(ctx, faultline.TieFilter{Predicates: []faultline.Predicate{"funds"}},
		func(faultline.Tie) error { return nil }), faultline.EINVALID)
}

// mustEvents lists events, failing the test on error.
func mustEvents(t testing.TB, st faultline.Store, f faultline.EventFilter) []faultline.Event {
	t.Helper()
	es, err := st.Events(context.Background(), f)
	if err != nil {
		t.Fatalf("Events(%+v): %v", f, err)
	}
	return es
}

// testEventsAggregate: event claims from several sources fold into one
// event when type, date (at any precision) and location or a participant
// agree; a different day, type or place stays apart, and an undated claim
// joins only the one event it matches strongly.
func (s *suite) testEventsAggregate(t *testing.T) {
	st := s.open(t)
	none := -1
	docs := []Doc{
		// The Mastung raid of 11 March, told four ways.
		eventDoc(t, "S1", "In March 2025 Pakistani forces raided an Islamic State Khorasan Province camp in Mastung, killing 30.",
			eventSpec{Type: faultline.Raid, Date: "2025-03", Location: "mastung", Agents: []string{"forces"}, Targets: []string{"iskp"}, Fatalities: 30, Modality: faultline.Asserted}),
		eventDoc(t, "S2", "Officials said 28 Islamic State Khorasan Province fighters died when Pakistani forces raided Mastung on 11 March 2025.",
			eventSpec{Type: faultline.Raid, Date: "2025-03-11", Location: "mastung", Agents: []string{"forces"}, Targets: []string{"iskp"}, Fatalities: 28, Modality: faultline.Reported}),
		// No place: it shares more participants with the Mastung raid
		// than with the Quetta raid of the same day.
		eventDoc(t, "S3", "Pakistani forces allegedly killed at least 25 Islamic State Khorasan Province fighters in a raid on 11 March 2025.",
			eventSpec{Type: faultline.Raid, Date: "2025-03-11", Agents: []string{"forces"}, Targets: []string{"iskp"}, Fatalities: 25, Low: true, Modality: faultline.Alleged}),
		eventDoc(t, "S8", "Pakistani forces raided Mastung.",
			eventSpec{Type: faultline.Raid, Location: "mastung", Agents: []string{"forces"}, Fatalities: none, Modality: faultline.Asserted}),
		// Another day, same place: another raid.
		eventDoc(t, "S4", "On 20 March 2025 a raid in Mastung targeted Islamic State Khorasan Province.",
			eventSpec{Type: faultline.Raid, Date: "2025-03-20", Location: "mastung", Targets: []string{"iskp"}, Fatalities: none, Modality: faultline.Asserted}),
		// Same day and place, another type.
		eventDoc(t, "S5", "Islamic State Khorasan Province attacked Mastung on 11 March 2025.",
			eventSpec{Type: faultline.Attack, Date: "2025-03-11", Location: "mastung", Agents: []string{"iskp"}, Fatalities: none, Modality: faultline.Asserted}),
		// Same day and target, another place.
		eventDoc(t, "S6", "A raid in Quetta on 11 March 2025 killed at least 54 Islamic State Khorasan Province fighters.",
			eventSpec{Type: faultline.Raid, Date: "2025-03-11", Location: "quetta", Targets: []string{"iskp"}, Fatalities: 54, Low: true, Modality: faultline.Asserted}),
		// Undated, matching both Mastung raids equally: stands alone.
		eventDoc(t, "S7", "Islamic State Khorasan Province was raided in Mastung.",
			eventSpec{Type: faultline.Raid, Location: "mastung", Targets: []string{"iskp"}, Fatalities: none, Modality: faultline.Asserted}),
	}
	src := map[string]int64{}
	for _, d := range docs {
		src[d.Title] = MustIngest(t, *st, d).SourceID
	}
	claimsOf := func(titles ...string) []string {
		var ids []string
		for _, title := range titles {
			cs, err := (*st).Claims(context.Background(), faultline.ClaimFilter{SourceID: src[title]})
			if err != nil || len(cs) != 1 {
				t.Fatalf("claims of %s: %+v, %v", title, cs, err)
			}
			ids = append(ids, cs[0].ID)
		}
		slices.Sort(ids)
		return ids
	}
	es := mustEvents(t, *st, faultline.EventFilter{})
	byClaims := map[string]faultline.Event{}
	for _, e := range es {
		byClaims[fmt.Sprint(slices.Sorted(slices.Values(e.ClaimIDs)))] = e
	}
	if len(es) != 5 {
		for _, e := range es {
			t.Logf("event %s %s %v", e.Type, e.Date, e.ClaimIDs)
		}
		t.Fatalf("%d events, want 5", len(es))
	}
	main, ok := byClaims[fmt.Sprint(claimsOf("S1", "S2", "S3", "S8"))]
	if !ok {
		t.Fatalf("no event of S1, S2, S3 and S8 among %+v", es)
	}
	forces, iskp, mastung := MustFind(t, *st, "actor:pakforces"), MustFind(t, *st, "actor:iskp"), MustFind(t, *st, "place:mastung")
	if main.Date != "2025-03-11" || main.Type != faultline.Raid || main.Sources != 4 || main.Modality != faultline.Asserted {
		t.Errorf("main event = %+v, want the raid of 2025-03-11, 4 sources, asserted", main)
	}
	if main.Location == nil || main.Location.ID != mastung.ID || main.Location.Name != "Mastung" {
		t.Errorf("main location = %+v, want Mastung", main.Location)
	}
	if main.Fatalities == nil || *main.Fatalities != 30 || main.FatalitiesLow {
		t.Errorf("main fatalities = %v low %v, want exactly 30 (the largest exact count beats a lower bound of 25)", main.Fatalities, main.FatalitiesLow)
	}
	wantParts := []faultline.EventParticipant{
		{EntityRef: faultline.EntityRef{ID: forces.ID, Name: "Pakistani forces", Type: faultline.GovernmentBody}, Role: faultline.RoleAgent},
		{EntityRef: faultline.EntityRef{ID: iskp.ID, Name: "Islamic State Khorasan Province", Type: faultline.ArmedGroup}, Role: faultline.RoleTarget},
	}
	if !slices.EqualFunc(main.Participants, wantParts, func(a, b faultline.EventParticipant) bool {
		return a.ID == b.ID && a.Name == b.Name && a.Type == b.Type && a.Role == b.Role
	}) {
		t.Errorf("participants = %+v, want %+v", main.Participants, wantParts)
	}
	if main.ID != faultline.EventID(main.ClaimIDs) || main.ID == "" {
		t.Errorf("event id %q is not derived from its claims", main.ID)
	}
	quetta, ok := byClaims[fmt.Sprint(claimsOf("S6"))]
	if !ok || quetta.Fatalities == nil || *quetta.Fatalities != 54 || !quetta.FatalitiesLow {
		t.Errorf("Quetta raid = %+v, want its own event with at least 54 dead", quetta)
	}
	for _, alone := range []string{"S4", "S5", "S7"} {
		if _, ok := byClaims[fmt.Sprint(claimsOf(alone))]; !ok {
			t.Errorf("%s should be an event of its own", alone)
		}
	}
	// By date: the three of 11 March (attack before raids), 20 March, undated.
	if es[0].Type != faultline.Attack || es[3].Date != "2025-03-20" || es[4].Date != "" {
		for _, e := range es {
			t.Logf("event %s %s", e.Date, e.Type)
		}
		t.Errorf("events out of order")
	}
	// Stable: the same ids on a second read.
	again := mustEvents(t, *st, faultline.EventFilter{})
	for i := range es {
		if again[i].ID != es[i].ID {
			t.Errorf("event %d id %s then %s", i, es[i].ID, again[i].ID)
		}
	}
	// A rejected claim leaves its event; an accepted one flags it.
	if err := (*st).SetClaimStatus(context.Background(), claimsOf("S1")[0], faultline.StatusRejected, "ana"); err != nil {
		t.Fatal(err)
	}
	if err := (*st).SetClaimStatus(context.Background(), claimsOf("S2")[0], faultline.StatusAccepted, "ana"); err != nil {
		t.Fatal(err)
	}
	after := mustEvents(t, *st, faultline.EventFilter{Types: []faultline.EventType{faultline.Raid}, Place: "Mastung", From: "2025-03-11", To: "2025-03-11"})
	if len(after) != 1 {
		t.Fatalf("Mastung raids on 2025-03-11 after review = %+v, want 1", after)
	}
	for _, e := range after {
		if e.Sources != 3 || slices.Contains(e.ClaimIDs, claimsOf("S1")[0]) || !e.Accepted || *e.Fatalities != 28 {
			t.Errorf("after rejecting S1: %+v, want 3 sources, accepted, 28 dead", e)
		}
	}
}

// testEventsFilter: the timeline's date range takes partial dates at both
// ends, inclusive; actor, place (with the places within it), type and
// limit filters; bad filters fail clearly.
func (s *suite) testEventsFilter(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	none := -1
	dates := []string{"2023-12-31", "2024-01-01", "2024-06", "2025", "2025-12-31", "2026-01-01", "2023"}
	for i, d := range dates {
		typ := faultline.Attack
		if i%2 == 1 || i == 6 {
			typ = faultline.Clash
		}
		place := "quetta"
		if i == 2 {
			place = "mastung"
		}
		MustIngest(t, *st, eventDoc(t, fmt.Sprintf("E%d", i), fmt.Sprintf("Event %d: Tehrik-i-Taliban Pakistan struck Quetta and Mastung.", i),
			eventSpec{Type: typ, Date: d, Location: place, Agents: []string{"ttp"}, Fatalities: none, Modality: faultline.Asserted}))
	}
	MustIngest(t, *st, eventDoc(t, "U", "Islamic State Khorasan Province struck Mastung.",
		eventSpec{Type: faultline.Attack, Location: "mastung", Agents: []string{"iskp"}, Fatalities: none, Modality: faultline.Asserted}))
	MustIngest(t, *st, relDoc(t, "Geo", "", "Mastung lies in Balochistan.", relSpec{S: "mastung", P: "located_in", O: "balochistan", Modality: faultline.Asserted}))

	dateSet := func(es []faultline.Event) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.Date)
		}
		return out
	}
	tests := []struct {
		name string
		f    faultline.EventFilter
		want []string
	}{
		{"all, undated last", faultline.EventFilter{}, []string{"2023", "2023-12-31", "2024-01-01", "2024-06", "2025", "2025-12-31", "2026-01-01", ""}},
		{"2024 to 2025", faultline.EventFilter{From: "2024", To: "2025"}, []string{"2024-01-01", "2024-06", "2025", "2025-12-31"}},
		{"from a month", faultline.EventFilter{From: "2025-12"}, []string{"2025", "2025-12-31", "2026-01-01"}},
		{"to a day", faultline.EventFilter{To: "2023-12-31"}, []string{"2023", "2023-12-31"}},
		{"within a year: coarser dates overlap", faultline.EventFilter{From: "2025-06", To: "2025-06"}, []string{"2025"}},
		{"type", faultline.EventFilter{Types: []faultline.EventType{faultline.Clash}}, []string{"2023", "2024-01-01", "2025", "2026-01-01"}},
		{"actor", faultline.EventFilter{Actor: "Islamic State Khorasan Province"}, []string{""}},
		{"place exact", faultline.EventFilter{Place: "Mastung"}, []string{"2024-06", ""}},
		{"place within", faultline.EventFilter{Place: "Balochistan"}, []string{"2024-06", ""}},
		{"actor and range and limit", faultline.EventFilter{Actor: "actor:ttp", From: "2024", Limit: 2}, []string{"2024-01-01", "2024-06"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dateSet(mustEvents(t, *st, tt.f)); !slices.Equal(got, tt.want) {
				t.Errorf("Events(%+v) dates = %q, want %q", tt.f, got, tt.want)
			}
		})
	}
	for _, f := range []faultline.EventFilter{{From: "2024-13"}, {To: "last year"}, {From: "2025", To: "2024"}, {Types: []faultline.EventType{"riot"}}} {
		_, err := (*st).Events(ctx, f)
		wantCode(t, fmt.Sprintf("Events(%+v)", f), err, faultline.EINVALID)
	}
	_, err := (*st).Events(ctx, faultline.EventFilter{Actor: "No Such Group"})
	wantCode(t, "unknown actor", err, faultline.ENOTFOUND)
	_, err = (*st).Events(ctx, faultline.EventFilter{Place: "Atlantis"})
	wantCode(t, "unknown place", err, faultline.ENOTFOUND)
}
