// Package exporttest builds the small database the export and TAXII tests
// read: four reports at four TLP markings, with relations of every kind of
// mapping, a located_in chain, a leader, an attribution, a denial, merged
// entities, places with coordinates and dated events. Its clock is fixed,
// so that two databases built by it export byte-identical files.
package exporttest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/sqlite"
	"github.com/faultline-osint/faultline/storetest"
)

// Secrets are strings that occur only in the amber and red reports: an
// export limited to green must contain none of them.
var Secrets = []string{"Peshawar", "Falcon Cell", "Wilayat Khorasan", "Daesh Khorasan", "Wire service", "Internal cable",
	"claimed the attack", "Falcon Cell fighters clashed"}

// Start is the fixed clock's first reading; each ingest advances it a day.
var Start = time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)

// Open creates the fixture database in a temporary directory.
func Open(tb testing.TB) *sqlite.DB {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "fixture.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() { db.Close() })
	Fill(tb, db)
	return db
}

func f(v float64) *float64 { return &v }
func s(v string) *string   { return &v }
func n(v int) *int         { return &v }

// coords gives the fixture's places their coordinates.
var coords = map[string][2]float64{
	"Pakistan": {30.0, 70.0}, "Balochistan": {30.19, 67.01}, "Mastung": {29.80, 66.84}, "Peshawar": {34.008, 71.578},
}

// Create builds the fixture database in a temporary directory, closes it
// and returns its path, for tests that open it themselves.
func Create(tb testing.TB) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "fixture.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	Fill(tb, db)
	if err := db.Close(); err != nil {
		tb.Fatalf("close %s: %v", path, err)
	}
	return path
}

// Fill ingests the four reports into db, with a fixed clock.
func Fill(tb testing.TB, db *sqlite.DB) {
	tb.Helper()
	clock := Start
	db.Now = func() time.Time { clock = clock.Add(24 * time.Hour); return clock }
	for _, d := range docs(tb) {
		src, ext := storetest.Build(tb, d)
		src.URL = "https://example.org/" + src.Path
		for i := range ext.Entities {
			if c, ok := coords[ext.Entities[i].Name]; ok {
				ext.Entities[i].Lat, ext.Entities[i].Lon = f(c[0]), f(c[1])
			}
		}
		if _, err := db.IngestDocument(context.Background(), src, ext); err != nil {
			tb.Fatalf("ingest %s: %v", d.Title, err)
		}
	}
	// An analyst merges a stray name into ISKP.
	if err := db.Merge(context.Background(), "IS-Khorasan", "actor:iskp", "analyst"); err != nil {
		tb.Fatalf("merge: %v", err)
	}
}

func docs(tb testing.TB) []storetest.Doc {
	iskp := storetest.Ent{ID: "iskp", Name: "Islamic State Khorasan Province", Type: faultline.ArmedGroup, Key: "actor:iskp",
		Aliases: []string{"ISKP"}, ExtIDs: []faultline.ExternalID{{Scheme: "un", Value: "QDe.161"}}}
	pak := storetest.Ent{ID: "pak", Name: "Pakistan", Type: faultline.Country, Key: "iso:PK", ExtIDs: []faultline.ExternalID{{Scheme: "iso3166", Value: "PK"}}}
	bal := storetest.Ent{ID: "bal", Name: "Balochistan", Type: faultline.Location, Key: "place:balochistan"}
	mastung := storetest.Ent{ID: "mastung", Name: "Mastung", Type: faultline.Location, Key: "place:mastung"}
	kug := storetest.Ent{ID: "kug", Name: "Michael Kugelman", Type: faultline.Person}
	forces := storetest.Ent{ID: "forces", Name: "Pakistani forces", Type: faultline.GovernmentBody, Key: "actor:pakforces"}
	bla := storetest.Ent{ID: "bla", Name: "Baloch Liberation Army", Type: faultline.ArmedGroup, Key: "actor:bla"}
	emir := storetest.Ent{ID: "emir", Name: "Shahab al-Muhajir", Type: faultline.Person}
	obs := storetest.Ent{ID: "obs", Name: "Observer Research Foundation", Type: faultline.Organization}

	green := "The Islamic State Khorasan Province (ISKP) has moved to Balochistan. " +
		"According to Michael Kugelman, Pakistan tolerates ISKP against the Baloch Liberation Army. " +
		"Shahab al-Muhajir leads ISKP. Mastung lies in Balochistan, a province of Pakistan. " +
		"In March 2025, Pakistani forces raided an ISKP camp in Mastung, killing 30 militants. " +
		"ISKP is at war with the Baloch Liberation Army. The Observer Research Foundation published the study."
	sp := func(text, sub string) []faultline.Span { return []faultline.Span{storetest.Span(tb, text, sub)} }
	rel := func(text, subj, pred, obj, ev string, m faultline.Modality) faultline.ExtractedRelation {
		return faultline.ExtractedRelation{Subject: subj, Predicate: faultline.Predicate(pred), Object: obj, Modality: m, Evidence: sp(text, ev), Rule: "fixture.rel"}
	}
	based := rel(green, "iskp", "based_in", "bal", "The Islamic State Khorasan Province (ISKP) has moved to Balochistan.", faultline.Asserted)
	based.ValidFrom = s("2024")
	supports := rel(green, "pak", "supports", "iskp", "According to Michael Kugelman, Pakistan tolerates ISKP against the Baloch Liberation Army.", faultline.Reported)
	supports.AttributedTo, supports.Kind = s("kug"), s("tacit")

	amber := "Daesh Khorasan claimed the attack in Peshawar on 2 April 2025, killing at least 12. The Wire service says ISKP is active in Peshawar."
	daesh := storetest.Ent{ID: "daesh", Name: "Daesh Khorasan", Type: faultline.ArmedGroup, Key: "actor:iskp"}
	pesh := storetest.Ent{ID: "pesh", Name: "Peshawar", Type: faultline.Location, Key: "place:peshawar"}

	red := "Internal cable: Falcon Cell fighters clashed with Wilayat Khorasan near Mastung in 2025. Falcon Cell is allied with Wilayat Khorasan."
	wk := storetest.Ent{ID: "wk", Name: "Islamic State Khorasan Province", Type: faultline.ArmedGroup, Key: "actor:iskp",
		Aliases: []string{"Wilayat Khorasan"}, Forms: []string{"Wilayat Khorasan"}}
	falcon := storetest.Ent{ID: "falcon", Name: "Falcon Cell", Type: faultline.ArmedGroup}

	clear := "Jaish-e-Mohammed and al-Qa'ida allegedly share members. Pakistan denies that it supports ISKP. IS-Khorasan recruits in Quetta."
	jem := storetest.Ent{ID: "jem", Name: "Jaish-e-Mohammed", Type: faultline.ArmedGroup, Key: "actor:jem"}
	aq := storetest.Ent{ID: "aq", Name: "al-Qa'ida", Type: faultline.ArmedGroup, Key: "actor:aq", ExtIDs: []faultline.ExternalID{{Scheme: "ofac", Value: "6366"}}}
	isk2 := storetest.Ent{ID: "isk2", Name: "IS-Khorasan", Type: faultline.ArmedGroup}
	iskpClear := storetest.Ent{ID: "iskp", Name: "Islamic State Khorasan Province", Type: faultline.ArmedGroup, Key: "actor:iskp", Forms: []string{"ISKP"}}
	quetta := storetest.Ent{ID: "quetta", Name: "Quetta", Type: faultline.Location, Key: "place:quetta"}
	affil := rel(clear, "jem", "affiliated_with", "aq", "Jaish-e-Mohammed and al-Qa'ida allegedly share members.", faultline.Alleged)
	affil.ValidFrom, affil.ValidTo = s("2001"), s("2019")

	return []storetest.Doc{
		{Title: "ISKP in Balochistan", Text: green, Publisher: "Observer", Published: "2025-03-12", TLP: faultline.TLPGreen,
			Ents: []storetest.Ent{iskp, pak, bal, mastung, kug, forces, bla, emir, obs},
			Relations: []faultline.ExtractedRelation{
				based, supports,
				rel(green, "emir", "leads", "iskp", "Shahab al-Muhajir leads ISKP.", faultline.Asserted),
				rel(green, "mastung", "located_in", "bal", "Mastung lies in Balochistan, a province of Pakistan.", faultline.Asserted),
				rel(green, "bal", "located_in", "pak", "Mastung lies in Balochistan, a province of Pakistan.", faultline.Asserted),
				rel(green, "iskp", "hostile_to", "bla", "ISKP is at war with the Baloch Liberation Army.", faultline.Asserted),
			},
			Events: []faultline.ExtractedEvent{{ID: "v1", Type: faultline.Raid, Date: s("2025-03"), Location: s("mastung"),
				Participants: []faultline.Participant{{Entity: "forces", Role: faultline.RoleAgent}, {Entity: "iskp", Role: faultline.RoleTarget}},
				Fatalities:   n(30), Modality: faultline.Asserted, Rule: "fixture.event",
				Evidence: sp(green, "In March 2025, Pakistani forces raided an ISKP camp in Mastung, killing 30 militants.")}},
		},
		{Title: "Peshawar attack", Text: amber, Publisher: "Wire service", Published: "2025-04-02", TLP: faultline.TLPAmber,
			Ents: []storetest.Ent{daesh, pesh, iskpClear},
			Relations: []faultline.ExtractedRelation{
				rel(amber, "iskp", "active_in", "pesh", "The Wire service says ISKP is active in Peshawar.", faultline.Reported),
			},
			Events: []faultline.ExtractedEvent{{ID: "v1", Type: faultline.Attack, Date: s("2025-04-02"), Location: s("pesh"),
				Participants: []faultline.Participant{{Entity: "daesh", Role: faultline.RoleAgent}},
				Fatalities:   n(12), FatalitiesLow: true, Modality: faultline.Reported, Rule: "fixture.event",
				Evidence: sp(amber, "Daesh Khorasan claimed the attack in Peshawar on 2 April 2025, killing at least 12.")}},
		},
		{Title: "Cable 7", Text: red, TLP: faultline.TLPRed,
			Ents: []storetest.Ent{wk, falcon, mastung},
			Relations: []faultline.ExtractedRelation{
				rel(red, "falcon", "allied_with", "wk", "Falcon Cell is allied with Wilayat Khorasan.", faultline.Asserted),
			},
			Events: []faultline.ExtractedEvent{{ID: "v1", Type: faultline.Clash, Date: s("2025"), Location: s("mastung"),
				Participants: []faultline.Participant{{Entity: "falcon", Role: faultline.RoleAgent}, {Entity: "wk", Role: faultline.RoleTarget}},
				Modality:     faultline.Asserted, Rule: "fixture.event",
				Evidence: sp(red, "Internal cable: Falcon Cell fighters clashed with Wilayat Khorasan near Mastung in 2025.")}},
		},
		{Title: "Shared members", Text: clear, Published: "2024", TLP: faultline.TLPClear,
			Ents: []storetest.Ent{jem, aq, pak, iskpClear, isk2, quetta},
			Relations: []faultline.ExtractedRelation{
				affil,
				rel(clear, "pak", "supports", "iskp", "Pakistan denies that it supports ISKP.", faultline.Denied),
				rel(clear, "isk2", "active_in", "quetta", "IS-Khorasan recruits in Quetta.", faultline.Possible),
			},
		},
	}
}
