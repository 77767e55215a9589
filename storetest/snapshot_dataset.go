package storetest

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/faultline-osint/faultline"
)

// The dataset cases of snapshots: the records of event datasets enter an
// export's snapshot as events with Record set (their words included),
// with their file as a source and the entities they name, under the same
// marking, date and neighbourhood rules as claims.

// testSnapshotDatasets stores a green GED file (the two records of
// gedRecords), an amber one whose record alone names Lashkar-e-Islam and
// Wana, and a green report saying the ISI supports the TTP, and checks
// what each filter and neighbourhood keeps.
func (s *suite) testSnapshotDatasets(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	green := datasetFile("ged.csv", faultline.TLPGreen)
	mustWrite(t, *st, importSpec("ged.csv"), gedBatch(0, green, gedRecords()...))
	amber := datasetFile("ged-amber.csv", faultline.TLPAmber)
	secret := faultline.DatasetEvent{ID: "ucdp:3", Line: 2, Type: faultline.Clash, SubType: "non-state conflict", Date: "2024-08-02",
		Location: "place:wana", Agent: "ucdp:999", Target: "ucdp:356", Deaths: intp(7), SourceText: "Amber wire", Notes: "Dyad: LI - TTP."}
	ab := gedBatch(0, amber, secret)
	ab.Entities = append(ab.Entities,
		faultline.ImportEntity{Ref: "ucdp:999", Name: "Lashkar-e-Islam", Type: faultline.ArmedGroup, ExternalIDs: []faultline.ExternalID{{Scheme: "ucdp", Value: "999"}}},
		faultline.ImportEntity{Ref: "place:wana", Name: "Wana", Type: faultline.Location, Lat: floatp(32.3), Lon: floatp(69.57)})
	mustWrite(t, *st, importSpec("ged-amber.csv"), ab)
	text := "The Inter-Services Intelligence supports the TTP."
	MustIngest(t, *st, Doc{Title: "ISI and TTP", Text: text, TLP: faultline.TLPGreen,
		Ents: []Ent{{ID: "isi", Name: "Inter-Services Intelligence", Type: faultline.GovernmentBody, Key: "actor:isi"}, {ID: "ttp", Name: "TTP", Type: faultline.ArmedGroup}},
		Relations: []faultline.ExtractedRelation{{Subject: "isi", Predicate: faultline.Supports, Object: "ttp", Modality: faultline.Asserted,
			Evidence: []faultline.Span{Span(t, text, text)}, Rule: "test.rel"}}})
	ttp := MustFind(t, *st, "TTP")

	stats, err := (*st).Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stats.DatasetEvents != 3 || stats.DatasetEventsByFormat["ucdp"] != 3 || stats.ClaimsByKind["event"] != 0 || stats.Claims != 1 {
		t.Errorf("stats %+v: want 3 dataset events (ucdp), apart from the 1 claim", stats)
	}

	this := strconv.Itoa(time.Now().Year())
	next := strconv.Itoa(time.Now().Year() + 1)
	for _, tt := range []struct {
		name     string
		f        faultline.SnapshotFilter
		records  []string
		sources  []string
		entities []string // names that must be there
		absent   []string // names that must not
	}{
		{"everything", faultline.SnapshotFilter{}, []string{"ucdp:1", "ucdp:2", "ucdp:3"},
			[]string{"ged.csv (UCDP GED)", "ged-amber.csv (UCDP GED)", "ISI and TTP"},
			[]string{"TTP", "Government of Pakistan", "Mir Ali", "Lashkar-e-Islam", "Wana", "Inter-Services Intelligence"}, nil},
		{"up to amber", faultline.SnapshotFilter{MaxTLP: faultline.TLPAmber}, []string{"ucdp:1", "ucdp:2", "ucdp:3"},
			[]string{"ged.csv (UCDP GED)", "ged-amber.csv (UCDP GED)", "ISI and TTP"}, []string{"Lashkar-e-Islam", "Wana"}, nil},
		{"up to green: the amber file's record, and what only it names, stay out", faultline.SnapshotFilter{MaxTLP: faultline.TLPGreen},
			[]string{"ucdp:1", "ucdp:2"}, []string{"ged.csv (UCDP GED)", "ISI and TTP"},
			[]string{"TTP", "Government of Pakistan", "Mir Ali"}, []string{"Lashkar-e-Islam", "Wana"}},
		{"up to clear: no dataset", faultline.SnapshotFilter{MaxTLP: faultline.TLPClear}, nil, nil, nil,
			[]string{"TTP", "Government of Pakistan", "Mir Ali", "Lashkar-e-Islam", "Wana"}},
		// Entities no source mentions are public reference entities; one
		// that a record names has its file for a source.
		{"up to green, with unsourced entities", faultline.SnapshotFilter{MaxTLP: faultline.TLPGreen, IncludeUnsourced: true},
			[]string{"ucdp:1", "ucdp:2"}, []string{"ged.csv (UCDP GED)", "ISI and TTP"},
			[]string{"TTP", "Government of Pakistan", "Mir Ali"}, []string{"Lashkar-e-Islam", "Wana"}},
		{"up to clear, with unsourced entities", faultline.SnapshotFilter{MaxTLP: faultline.TLPClear, IncludeUnsourced: true}, nil, nil, nil,
			[]string{"TTP", "Government of Pakistan", "Mir Ali", "Lashkar-e-Islam", "Wana"}},
		{"since this year: the files were imported now", faultline.SnapshotFilter{Since: this}, []string{"ucdp:1", "ucdp:2", "ucdp:3"},
			[]string{"ged.csv (UCDP GED)", "ged-amber.csv (UCDP GED)", "ISI and TTP"}, []string{"Wana"}, nil},
		{"since next year: nothing", faultline.SnapshotFilter{Since: next}, nil, nil, nil, []string{"TTP", "Wana"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			snap, err := (*st).Snapshot(ctx, tt.f)
			if err != nil {
				t.Fatalf("Snapshot: %v", err)
			}
			checkSnapshot(t, snap, tt.records, tt.sources, tt.entities, tt.absent)
		})
	}

	// A record whole: its fields, its words, its file as its source and
	// mentioner, its entities named.
	all, err := (*st).Snapshot(ctx, faultline.SnapshotFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var clash *faultline.Event
	for i := range all.Events {
		if r := all.Events[i].Record; r != nil && r.ID == "ucdp:1" {
			clash = &all.Events[i]
		}
	}
	if clash == nil {
		t.Fatal("no record ucdp:1")
	}
	r := clash.Record
	if clash.ID != faultline.EventID([]string{"ucdp:1"}) || clash.Type != faultline.Clash || clash.Date != "2024-03-11" ||
		clash.Fatalities == nil || *clash.Fatalities != 4 || clash.Sources != 1 || clash.Modality != faultline.Asserted ||
		clash.Location == nil || clash.Location.Name != "Mir Ali" || clash.Location.Lat == nil ||
		len(clash.Participants) != 2 || clash.Participants[0].Name != "Government of Pakistan" || clash.Participants[0].Role != faultline.RoleAgent ||
		clash.Participants[1].ID != ttp.ID || clash.Participants[1].Role != faultline.RoleTarget {
		t.Errorf("clash %+v: want the record's event, named", clash)
	}
	if r.Line != 2 || r.SubType != "state-based conflict" || r.DatePrec != 1 || r.DateStart != "2024-03-11" || r.DateEnd != "2024-03-12" ||
		r.Place != "Mir Ali town, North Waziristan" || r.PlacePrec != 1 || r.Lat == nil || *r.Lat != 33.0 || r.Lon == nil || *r.Lon != 70.3 ||
		r.DeathsLow == nil || *r.DeathsLow != 3 || r.DeathsHigh == nil || *r.DeathsHigh != 6 ||
		r.SourceText != "Dawn, 2024-03-12" || r.Notes != "Sides: Government of Pakistan v. TTP." ||
		r.TLP != faultline.TLPGreen || r.SourceTitle != green.Title || r.Reliability != "B" {
		t.Errorf("record %+v: want the row whole, words included", r)
	}
	ix := all.Index()
	if src := ix.Source[r.SourceID]; src == nil || src.SHA256 != green.SHA256 || src.Format != "ucdp" {
		t.Errorf("the record's file %+v is not among the sources", src)
	}
	if got := all.Mentions[ttp.ID]; len(got) != 3 || !slices.Contains(got, r.SourceID) {
		t.Errorf("TTP mentioned by %v: want both files and the report", got)
	}

	// Neighbourhoods: an event joins its sides and its place.
	for _, tt := range []struct {
		name    string
		ref     string
		hops    int
		records []string
		sources []string
	}{
		// The TTP's attack names the TTP alone: it lies within any
		// neighbourhood that holds the TTP.
		{"Lashkar-e-Islam, 1 hop: its record, and the TTP's own", "Lashkar-e-Islam", 1, []string{"ucdp:2", "ucdp:3"},
			[]string{"ged.csv (UCDP GED)", "ged-amber.csv (UCDP GED)"}},
		{"TTP, 1 hop: all its records", "TTP", 1, []string{"ucdp:1", "ucdp:2", "ucdp:3"},
			[]string{"ged.csv (UCDP GED)", "ged-amber.csv (UCDP GED)", "ISI and TTP"}},
		{"ISI, 1 hop: the report, and the TTP's own record", "actor:isi", 1, []string{"ucdp:2"}, []string{"ged.csv (UCDP GED)", "ISI and TTP"}},
		{"ISI, 2 hops: the TTP's records", "actor:isi", 2, []string{"ucdp:1", "ucdp:2", "ucdp:3"},
			[]string{"ged.csv (UCDP GED)", "ged-amber.csv (UCDP GED)", "ISI and TTP"}},
		{"Mir Ali, 0 hops: nothing joins", "Mir Ali", 0, nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			hood, err := all.Neighbourhood(MustFind(t, *st, tt.ref).ID, tt.hops)
			if err != nil {
				t.Fatalf("Neighbourhood: %v", err)
			}
			checkSnapshot(t, hood, tt.records, tt.sources, nil, nil)
			ix := hood.Index()
			for _, e := range hood.Events {
				var ids []string
				if e.Location != nil {
					ids = append(ids, e.Location.ID)
				}
				for _, p := range e.Participants {
					ids = append(ids, p.ID)
				}
				for _, id := range ids {
					if ix.Entity[id] == nil {
						t.Errorf("event %s names %s, which the neighbourhood lacks", e.ID, id)
					}
				}
			}
		})
	}

	// Merges are followed: the TTP's records name the entity it is merged
	// into.
	MustIngest(t, *st, Doc{Title: "TTP", Text: "Tehrik-i-Taliban Pakistan regrouped.", TLP: faultline.TLPClear,
		Ents: []Ent{{ID: "e1", Name: "Tehrik-i-Taliban Pakistan", Type: faultline.ArmedGroup}}})
	into := MustFind(t, *st, "Tehrik-i-Taliban Pakistan")
	if err := (*st).Merge(ctx, ttp.ID, into.ID, "analyst"); err != nil {
		t.Fatal(err)
	}
	merged, err := (*st).Snapshot(ctx, faultline.SnapshotFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range merged.Events {
		for _, p := range e.Participants {
			if p.ID == ttp.ID {
				t.Errorf("event %s names the merged entity %s", e.ID, ttp.ID)
			}
		}
	}
	if got := merged.Mentions[into.ID]; len(got) != 4 {
		t.Errorf("the merged TTP is mentioned by %v, want both files and both reports", got)
	}
}

// checkSnapshot compares a snapshot's records (by id), sources (by title)
// and entities (by name) with what a case wants.
func checkSnapshot(t *testing.T, snap *faultline.Snapshot, records, sources, entities, absent []string) {
	t.Helper()
	var gotRecords, gotSources []string
	for _, e := range snap.Events {
		if e.Record != nil {
			gotRecords = append(gotRecords, e.Record.ID)
			if e.Record.SourceText == "" {
				t.Errorf("record %s lacks its words", e.Record.ID)
			}
			if !slices.ContainsFunc(snap.Sources, func(s faultline.Source) bool { return s.ID == e.Record.SourceID }) {
				t.Errorf("record %s: its file %d is not among the sources", e.Record.ID, e.Record.SourceID)
			}
		}
	}
	for _, s := range snap.Sources {
		gotSources = append(gotSources, s.Title)
	}
	slices.Sort(gotRecords)
	slices.Sort(gotSources)
	want := slices.Sorted(slices.Values(sources))
	if !slices.Equal(gotRecords, records) {
		t.Errorf("records %v, want %v", gotRecords, records)
	}
	if !slices.Equal(gotSources, want) {
		t.Errorf("sources %v, want %v", gotSources, want)
	}
	names := map[string]bool{}
	for _, e := range snap.Entities {
		names[e.Name] = true
	}
	for _, n := range entities {
		if !names[n] {
			t.Errorf("entity %s is missing", n)
		}
	}
	for _, n := range absent {
		if names[n] {
			t.Errorf("entity %s is there, want it left out", n)
		}
	}
}
