package storetest

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/faultline-osint/faultline"
)

// tlpDocs returns three documents, green, amber and red, for the marking
// cases. The green and amber documents both say the ISI supports
// Lashkar-e-Taiba; only the amber one says the TTP is hostile to Pakistan;
// only the red one names the "Falcon Cell", calls the ISI "Directorate S",
// and reports a raid.
func tlpDocs(t testing.TB) []Doc {
	isi := Ent{ID: "isi", Name: "Inter-Services Intelligence", Type: faultline.GovernmentBody, Key: "actor:isi"}
	let := pool["let"]
	green := "The Inter-Services Intelligence supports Lashkar-e-Taiba."
	amber := "The Inter-Services Intelligence backs Lashkar-e-Taiba, and Tehrik-i-Taliban Pakistan fights Pakistan."
	red := "Directorate S runs the Falcon Cell. In May 2025 the Falcon Cell raided Quetta."
	rel := func(text, s, p, o, ev string, m faultline.Modality) faultline.ExtractedRelation {
		return faultline.ExtractedRelation{Subject: s, Predicate: faultline.Predicate(p), Object: o, Modality: m,
			Evidence: []faultline.Span{Span(t, text, ev)}, Rule: "test.rel"}
	}
	isiRed := isi
	isiRed.Aliases, isiRed.Forms = []string{"Directorate S"}, []string{"Directorate S"}
	falcon := Ent{ID: "falcon", Name: "Falcon Cell", Type: faultline.ArmedGroup}
	return []Doc{
		{Title: "Green", Text: green, TLP: faultline.TLPGreen, Published: "2025-01", Ents: []Ent{isi, let},
			Relations: []faultline.ExtractedRelation{rel(green, "isi", "supports", "let", green, faultline.Asserted)}},
		{Title: "Amber", Text: amber, TLP: faultline.TLPAmber, Ents: []Ent{isi, let, pool["ttp"], pool["pakistan"]},
			Relations: []faultline.ExtractedRelation{
				rel(amber, "isi", "supports", "let", "The Inter-Services Intelligence backs Lashkar-e-Taiba", faultline.Reported),
				rel(amber, "ttp", "hostile_to", "pakistan", "Tehrik-i-Taliban Pakistan fights Pakistan", faultline.Asserted),
			}},
		{Title: "Red", Text: red, TLP: faultline.TLPRed, Ents: []Ent{isiRed, falcon, pool["quetta"]},
			Relations: []faultline.ExtractedRelation{rel(red, "isi", "supports", "falcon", "Directorate S runs the Falcon Cell.", faultline.Asserted)},
			Events: []faultline.ExtractedEvent{{ID: "v1", Type: faultline.Raid, Date: str("2025-05"), Location: str("quetta"),
				Participants: []faultline.Participant{{Entity: "falcon", Role: faultline.RoleAgent}},
				Modality:     faultline.Asserted, Evidence: []faultline.Span{Span(t, red, "In May 2025 the Falcon Cell raided Quetta.")}, Rule: "test.event"}}},
	}
}

// testSnapshotTLP checks that nothing above the marking limit enters a
// snapshot or an aggregate: claims, relations only they support, events,
// sources, entities only they mention, aliases only they use.
func (s *suite) testSnapshotTLP(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	ids := map[faultline.TLP]int64{}
	for _, d := range tlpDocs(t) {
		ids[d.TLP] = MustIngest(t, *st, d).SourceID
		pause()
	}
	snap, err := (*st).Snapshot(ctx, faultline.SnapshotFilter{MaxTLP: faultline.TLPGreen})
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	if len(snap.Sources) != 1 || snap.Sources[0].ID != ids[faultline.TLPGreen] {
		t.Errorf("sources = %+v, want only the green one", snap.Sources)
	}
	for _, c := range snap.Claims {
		if c.SourceID != ids[faultline.TLPGreen] {
			t.Errorf("claim %s of source %d leaked into a green snapshot", c.ID, c.SourceID)
		}
		if len(c.Evidence) == 0 {
			t.Errorf("claim %s has no evidence", c.ID)
		}
	}
	if got := len(snap.Claims); got != 1 {
		t.Errorf("claims = %d, want 1", got)
	}
	if len(snap.Relations) != 1 || snap.Relations[0].Predicate != faultline.Supports || snap.Relations[0].Sources != 1 ||
		snap.Relations[0].Subject.Name != "Inter-Services Intelligence" {
		t.Errorf("relations = %+v, want supports from one source, named", snap.Relations)
	}
	if len(snap.Events) != 0 {
		t.Errorf("events = %+v, want none (the raid is red)", snap.Events)
	}
	var names []string
	for _, e := range snap.Entities {
		names = append(names, e.Name)
		if slices.Contains(e.Aliases, "Directorate S") {
			t.Errorf("entity %s keeps the red alias Directorate S", e.Name)
		}
		if got := snap.Mentions[e.ID]; !slices.Equal(got, []int64{ids[faultline.TLPGreen]}) {
			t.Errorf("mentions of %s = %v, want the green source", e.Name, got)
		}
	}
	slices.Sort(names)
	if want := []string{"Inter-Services Intelligence", "Lashkar-e-Taiba"}; !slices.Equal(names, want) {
		t.Errorf("entities = %v, want %v", names, want)
	}

	// The whole database, for contrast.
	all, err := (*st).Snapshot(ctx, faultline.SnapshotFilter{})
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	if len(all.Sources) != 3 || len(all.Events) != 1 || len(all.Relations) != 3 {
		t.Errorf("unrestricted snapshot: %d sources, %d relations, %d events; want 3, 3, 1", len(all.Sources), len(all.Relations), len(all.Events))
	}
	isi := MustFind(t, *st, "actor:isi")
	for _, e := range all.Entities {
		if e.ID == isi.ID && !slices.Contains(e.Aliases, "Directorate S") {
			t.Errorf("unrestricted: ISI aliases = %v, want Directorate S among them", e.Aliases)
		}
	}

	// The aggregate services take the same limit.
	rs, err := (*st).Relations(ctx, faultline.RelationFilter{MaxTLP: faultline.TLPGreen})
	if err != nil {
		t.Fatalf("Relations: %v", err)
	}
	if len(rs) != 1 || rs[0].Sources != 1 || rs[0].Modality != faultline.Asserted {
		t.Errorf("Relations(max green) = %+v, want one relation from one source", rs)
	}
	rs, err = (*st).Relations(ctx, faultline.RelationFilter{MaxTLP: faultline.TLPAmber})
	if err != nil {
		t.Fatalf("Relations: %v", err)
	}
	if len(rs) != 2 {
		t.Errorf("Relations(max amber) = %d relations, want 2", len(rs))
	}
	es, err := (*st).Events(ctx, faultline.EventFilter{MaxTLP: faultline.TLPAmberStrict})
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	if len(es) != 0 {
		t.Errorf("Events(max amber+strict) = %+v, want none", es)
	}
	if es, err = (*st).Events(ctx, faultline.EventFilter{MaxTLP: faultline.TLPRed}); err != nil || len(es) != 1 {
		t.Errorf("Events(max red) = %d, %v; want 1", len(es), err)
	}
	cs, err := (*st).Claims(ctx, faultline.ClaimFilter{MaxTLP: faultline.TLPGreen})
	if err != nil {
		t.Fatalf("Claims: %v", err)
	}
	if len(cs) != 1 || cs[0].SourceID != ids[faultline.TLPGreen] {
		t.Errorf("Claims(max green) = %+v, want the green claim", cs)
	}
	_, err = (*st).Snapshot(ctx, faultline.SnapshotFilter{MaxTLP: "purple"})
	wantCode(t, "Snapshot(purple)", err, faultline.EINVALID)
	_, err = (*st).Relations(ctx, faultline.RelationFilter{MaxTLP: "purple"})
	wantCode(t, "Relations(purple)", err, faultline.EINVALID)
}

// testSnapshotSince checks the date bound and the neighbourhood.
func (s *suite) testSnapshotSince(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	docs := tlpDocs(t)
	next := strconv.Itoa(time.Now().Year() + 1)
	docs[2].Published = next + "-02"
	for _, d := range docs {
		MustIngest(t, *st, d)
		pause()
	}
	snap, err := (*st).Snapshot(ctx, faultline.SnapshotFilter{Since: next})
	if err != nil {
		t.Fatalf("Snapshot(since %s): %v", next, err)
	}
	if len(snap.Sources) != 1 || snap.Sources[0].Title != "Red" {
		t.Errorf("since %s: sources = %+v, want the red one, published then", next, snap.Sources)
	}
	if len(snap.Events) != 1 || len(snap.Relations) != 1 {
		t.Errorf("since %s: %d relations, %d events; want 1, 1", next, len(snap.Relations), len(snap.Events))
	}
	_, err = (*st).Snapshot(ctx, faultline.SnapshotFilter{Since: "last week"})
	wantCode(t, "Snapshot(since last week)", err, faultline.EINVALID)

	all, err := (*st).Snapshot(ctx, faultline.SnapshotFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ttp := MustFind(t, *st, "actor:ttp")
	hood, err := all.Neighbourhood(ttp.ID, 1)
	if err != nil {
		t.Fatalf("Neighbourhood: %v", err)
	}
	if len(hood.Entities) != 2 || len(hood.Relations) != 1 || hood.Relations[0].Predicate != faultline.HostileTo || len(hood.Sources) != 1 {
		t.Errorf("1 hop of TTP: %d entities, relations %+v, %d sources; want 2, hostile_to, 1", len(hood.Entities), hood.Relations, len(hood.Sources))
	}
	falcon := MustFind(t, *st, "Falcon Cell")
	hood, err = all.Neighbourhood(falcon.ID, 2)
	if err != nil {
		t.Fatalf("Neighbourhood: %v", err)
	}
	// Falcon Cell ← ISI (supports) and Quetta (the raid); ISI → LeT.
	if got := len(hood.Entities); got != 4 || len(hood.Events) != 1 || len(hood.Relations) != 2 {
		t.Errorf("2 hops of Falcon Cell: %d entities, %d relations, %d events; want 4, 2, 1", got, len(hood.Relations), len(hood.Events))
	}
	if _, err := all.Neighbourhood("nobody", 2); faultline.ErrorCode(err) != faultline.ENOTFOUND {
		t.Errorf("Neighbourhood(nobody): %v, want ENOTFOUND", err)
	}
}
