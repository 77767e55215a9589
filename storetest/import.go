package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline"
)

// The import cases: batches stored through ImportService, their entities
// found by later documents, re-runs skipping stored batches, a bad batch
// leaving nothing behind, and the records of event datasets on the
// timeline.

// listedISKP is the entity a sanctions import stores for ISIL-K.
func listedISKP() faultline.ImportEntity {
	return faultline.ImportEntity{
		Ref: "un:QDe.161", Name: "Islamic State in Iraq and the Levant - Khorasan", Type: faultline.ArmedGroup,
		Aliases:     []string{"ISIL-K", "ISIL Khorasan", "IS-K", "Islamic State's Khorasan Province"},
		ExternalIDs: []faultline.ExternalID{{Scheme: "un", Value: "QDe.161"}},
	}
}

func importSpec(name string) faultline.ImportSpec {
	sum := sha256.Sum256([]byte(name))
	return faultline.ImportSpec{Format: "test", Name: name, SHA256: hex.EncodeToString(sum[:])}
}

// mustWrite stores batches in one run, failing the test on error.
func mustWrite(t *testing.T, st faultline.Store, spec faultline.ImportSpec, batches ...*faultline.ImportBatch) faultline.ImportCounts {
	t.Helper()
	ctx := context.Background()
	run, err := st.BeginImport(ctx, spec)
	if err != nil {
		t.Fatalf("BeginImport: %v", err)
	}
	var c faultline.ImportCounts
	for _, b := range batches {
		n, err := run.Write(ctx, b)
		if err != nil {
			t.Fatalf("Write batch %d: %v", b.Index, err)
		}
		c.Add(n)
	}
	if err := run.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return c
}

func (s *suite) testImportResolution(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	c := mustWrite(t, *st, importSpec("un.xml"), &faultline.ImportBatch{Index: 0, Records: 1, Entities: []faultline.ImportEntity{listedISKP()}})
	if c.NewEntities != 1 || c.Batches != 1 {
		t.Fatalf("import counts %+v: want one batch, one new entity", c)
	}
	listed := MustFind(t, *st, "ISIL-K")

	// A report that names the group by a listed alias, with no key or id.
	res := MustIngest(t, *st, Doc{
		Title: "IS-K report", Text: "IS-K claimed the attack in Peshawar.", TLP: faultline.TLPClear,
		Ents: []Ent{{ID: "e1", Name: "IS-K", Type: faultline.ArmedGroup}, {ID: "e2", Name: "Peshawar", Type: faultline.Location}},
	})
	if res.NewEntities != 1 {
		t.Errorf("NewEntities = %d, want 1 (Peshawar; IS-K resolves to the listed entity)", res.NewEntities)
	}
	p, err := (*st).EntityProfile(ctx, listed.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Mentions) != 1 || p.Mentions[0].Text != "IS-K" {
		t.Errorf("mentions of the listed entity = %+v, want the report's IS-K", p.Mentions)
	}
	// A report whose extractor knows the UN reference resolves by it,
	// whatever the name.
	MustIngest(t, *st, Doc{
		Title: "ISKP report", Text: "Wilayat Khurasan grew.", TLP: faultline.TLPClear,
		Ents: []Ent{{ID: "e1", Name: "Wilayat Khurasan", Type: faultline.ArmedGroup, ExtIDs: []faultline.ExternalID{{Scheme: "un", Value: "QDe.161"}}}},
	})
	if got := MustFind(t, *st, "Wilayat Khurasan"); got.ID != listed.ID {
		t.Errorf("Wilayat Khurasan = %s, want the listed entity %s", got.ID, listed.ID)
	}
	// Importing the same record again, from another list, finds it.
	again := listedISKP()
	again.Ref, again.Name, again.ExternalIDs = "ofac:18647", "ISIL Khorasan", []faultline.ExternalID{{Scheme: "ofac", Value: "18647"}}
	c = mustWrite(t, *st, importSpec("sdn.csv"), &faultline.ImportBatch{Index: 0, Records: 1, Entities: []faultline.ImportEntity{again}})
	if c.NewEntities != 0 {
		t.Errorf("OFAC record: %d new entities, want it resolved to the UN one", c.NewEntities)
	}
}

// eventBatch is a batch of one event claim from one source.
func eventBatch(index int, key string) *faultline.ImportBatch {
	text := "GED event " + key + ": Government of Pakistan v. TTP at Mir Ali."
	sum := sha256.Sum256([]byte(key))
	sha := hex.EncodeToString(sum[:])
	return &faultline.ImportBatch{
		Index: index, Records: 1,
		Sources: []faultline.Source{{SHA256: sha, Title: "GED " + key, Format: "ucdp", Reliability: "B", TLP: faultline.TLPClear, Text: text}},
		Entities: []faultline.ImportEntity{
			{Ref: "ucdp:142", Name: "Government of Pakistan", Type: faultline.Country, ExternalIDs: []faultline.ExternalID{{Scheme: "ucdp", Value: "142"}}},
			{Ref: "ucdp:356", Name: "TTP", Type: faultline.ArmedGroup, ExternalIDs: []faultline.ExternalID{{Scheme: "ucdp", Value: "356"}}},
			{Ref: "place:mir-ali", Name: "Mir Ali", Type: faultline.Location},
		},
		Claims: []faultline.ImportClaim{{
			Key: "ged:" + key, Source: sha, Kind: faultline.EventClaim, EventType: faultline.Clash, EventDate: "2024-03-11",
			Location: "place:mir-ali", Fatalities: intp(4), Modality: faultline.Asserted, ValidFrom: "2024-03-11", ValidTo: "2024-03-12",
			Participants: []faultline.Participant{{Entity: "ucdp:142", Role: faultline.RoleAgent}, {Entity: "ucdp:356", Role: faultline.RoleTarget}},
			Evidence:     []faultline.Span{{Start: 0, End: len([]rune(text)), Text: text}}, Rule: "import.test",
		}},
	}
}

func (s *suite) testImportBatches(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	spec := importSpec("ged.csv")
	c := mustWrite(t, *st, spec, eventBatch(0, "1"), eventBatch(1, "2"))
	if c.Batches != 2 || c.Claims != 2 || c.Sources != 2 {
		t.Fatalf("counts %+v: want 2 batches, 2 claims, 2 sources", c)
	}
	evs, err := (*st).Events(ctx, faultline.EventFilter{Actor: "TTP"})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Sources != 2 || evs[0].Fatalities == nil || *evs[0].Fatalities != 4 || evs[0].Location == nil {
		t.Fatalf("events of TTP = %+v, want one clash at Mir Ali from two sources, 4 killed", evs)
	}
	// A re-run skips the stored batches and stores the new one.
	c = mustWrite(t, *st, spec, eventBatch(0, "1"), eventBatch(1, "2"), eventBatch(2, "3"))
	if c.Skipped != 2 || c.Batches != 1 || c.Claims != 1 {
		t.Fatalf("re-run counts %+v: want 2 skipped, 1 stored", c)
	}
	// The same record from another file is stored once.
	c = mustWrite(t, *st, importSpec("ged-canonical.csv"), eventBatch(0, "1"))
	if c.Claims != 0 || c.Sources != 0 {
		t.Errorf("same record, other file: counts %+v, want nothing new", c)
	}
	before, err := (*st).Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// A batch that refers to an entity it does not list fails whole.
	bad := eventBatch(0, "4")
	bad.Claims[0].Participants = append(bad.Claims[0].Participants, faultline.Participant{Entity: "ucdp:999", Role: faultline.RoleOther})
	run, err := (*st).BeginImport(ctx, importSpec("bad.csv"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = run.Write(ctx, bad)
	wantCode(t, "batch with a dangling participant", err, faultline.EINVALID)
	run.Close(ctx)
	after, err := (*st).Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Sources != before.Sources || after.Claims != before.Claims || after.Entities != before.Entities {
		t.Errorf("after a failed batch: %+v, want %+v", after, before)
	}
}

// datasetFile is the source of a dataset import: the file, by its name.
func datasetFile(name string, tlp faultline.TLP) *faultline.Source {
	sum := sha256.Sum256([]byte("dataset file " + name))
	return &faultline.Source{SHA256: hex.EncodeToString(sum[:]), Title: name + " (UCDP GED)", Publisher: "UCDP", Path: name,
		Format: "ucdp", Reliability: "B", TLP: tlp, Text: "UCDP GED file " + name + "."}
}

// gedEntities are the actors and the place of the dataset batches.
func gedEntities() []faultline.ImportEntity {
	return []faultline.ImportEntity{
		{Ref: "ucdp:142", Name: "Government of Pakistan", Type: faultline.Country, ExternalIDs: []faultline.ExternalID{{Scheme: "ucdp", Value: "142"}}},
		{Ref: "ucdp:356", Name: "TTP", Type: faultline.ArmedGroup, ExternalIDs: []faultline.ExternalID{{Scheme: "ucdp", Value: "356"}}},
		{Ref: "place:mir-ali", Name: "Mir Ali", Type: faultline.Location, Lat: floatp(32.99), Lon: floatp(70.28)},
	}
}

func floatp(f float64) *float64 { return &f }

// gedRecords are two dataset records: a clash on a day at Mir Ali, the
// government against the TTP, and a TTP attack dated to a month, on
// civilians (no target actor), with no place.
func gedRecords() []faultline.DatasetEvent {
	return []faultline.DatasetEvent{
		{ID: "ucdp:1", Line: 2, Type: faultline.Clash, SubType: "state-based conflict", Date: "2024-03-11", DatePrec: 1,
			DateStart: "2024-03-11", DateEnd: "2024-03-12", Location: "place:mir-ali", Place: "Mir Ali town, North Waziristan",
			PlacePrec: 1, Lat: floatp(33.0), Lon: floatp(70.3), Agent: "ucdp:142", Target: "ucdp:356",
			Deaths: intp(4), DeathsLow: intp(3), DeathsHigh: intp(6), SourceText: "Dawn, 2024-03-12", Notes: "Sides: Government of Pakistan v. TTP."},
		{ID: "ucdp:2", Line: 3, Type: faultline.Attack, SubType: "one-sided violence", Date: "2024-05", DatePrec: 4,
			DateStart: "2024-05-01", DateEnd: "2024-05-31", Agent: "ucdp:356", Deaths: intp(2), SourceText: "Reuters",
			Notes: "Sides: TTP v. Civilians."},
	}
}

func gedBatch(index int, file *faultline.Source, recs ...faultline.DatasetEvent) *faultline.ImportBatch {
	return &faultline.ImportBatch{Index: index, Records: len(recs), Dataset: file, Entities: gedEntities(), Events: recs}
}

// The dataset cases: records of an event dataset stored as dataset events
// and shown by the timeline as events of their own, with the file and the
// line as their provenance.
func (s *suite) testImportDatasetEvents(t *testing.T) {
	ctx := context.Background()
	st := s.open(t)
	file := datasetFile("ged.csv", faultline.TLPClear)
	recs := gedRecords()
	c := mustWrite(t, *st, importSpec("ged.csv"), gedBatch(0, file, recs...))
	if c.Events != 2 || c.Sources != 1 || c.Claims != 0 || c.NewEntities != 3 {
		t.Fatalf("counts %+v: want 2 dataset events from 1 source (the file), 3 new entities, no claims", c)
	}
	if stats, err := (*st).Stats(ctx); err != nil || stats.Sources != 1 || stats.Claims != 0 {
		t.Fatalf("stats %+v, %v: want the file as the one source and no claims", stats, err)
	}

	evs := mustEvents(t, *st, faultline.EventFilter{Actor: "TTP"})
	if len(evs) != 2 {
		t.Fatalf("timeline of TTP: %d events, want the 2 records: %+v", len(evs), evs)
	}
	clash, attack := evs[0], evs[1]
	if clash.Date != "2024-03-11" || clash.Type != faultline.Clash || clash.Fatalities == nil || *clash.Fatalities != 4 ||
		clash.Modality != faultline.Asserted || clash.Sources != 1 || clash.Location == nil || clash.Location.Name != "Mir Ali" ||
		len(clash.Participants) != 2 || clash.Participants[0].Name != "Government of Pakistan" || clash.Participants[0].Role != faultline.RoleAgent ||
		clash.Participants[1].Name != "TTP" || clash.Participants[1].Role != faultline.RoleTarget {
		t.Errorf("clash %+v: want 2024-03-11 at Mir Ali, Government of Pakistan against the TTP, 4 killed, asserted by one source", clash)
	}
	if r := clash.Record; r == nil || r.ID != "ucdp:1" || r.Line != 2 || r.SourceTitle != file.Title || r.Reliability != "B" || r.TLP != faultline.TLPClear ||
		r.DeathsLow == nil || *r.DeathsLow != 3 || r.DeathsHigh == nil || *r.DeathsHigh != 6 || r.DateEnd != "2024-03-12" ||
		r.Lat == nil || *r.Lat != 33.0 || r.PlacePrec != 1 || r.Place != "Mir Ali town, North Waziristan" {
		t.Errorf("clash record %+v: want ucdp:1 at line 2 of the file, deaths 3–6, the row's place and coordinates", r)
	}
	// A month stays a month: no day is invented.
	if attack.Date != "2024-05" || attack.Type != faultline.Attack || attack.Fatalities == nil || *attack.Fatalities != 2 ||
		attack.Location != nil || len(attack.Participants) != 1 || attack.Record == nil || attack.Record.DatePrec != 4 {
		t.Errorf("attack %+v: want 2024-05, 2 killed, the TTP alone, no place", attack)
	}

	// Filters: a day within the month keeps the month's record; the place
	// keeps the clash; the type keeps the attack.
	if got := mustEvents(t, *st, faultline.EventFilter{From: "2024-05-15", To: "2024-05-20"}); len(got) != 1 || got[0].Date != "2024-05" {
		t.Errorf("events of 15–20 May 2024: %+v, want the May record", got)
	}
	if got := mustEvents(t, *st, faultline.EventFilter{To: "2024-02"}); len(got) != 0 {
		t.Errorf("events to February 2024: %+v, want none", got)
	}
	if got := mustEvents(t, *st, faultline.EventFilter{Place: "Mir Ali"}); len(got) != 1 || got[0].Record.ID != "ucdp:1" {
		t.Errorf("events at Mir Ali: %+v, want the clash", got)
	}
	if got := mustEvents(t, *st, faultline.EventFilter{Types: []faultline.EventType{faultline.Attack}}); len(got) != 1 || got[0].Record.ID != "ucdp:2" {
		t.Errorf("attacks: %+v, want the May record", got)
	}
	if got := mustEvents(t, *st, faultline.EventFilter{Actor: "TTP", Limit: 1}); len(got) != 1 || got[0].Date != "2024-03-11" {
		t.Errorf("first event of TTP: %+v, want the clash", got)
	}

	// The evidence of a record is the file and the record.
	ev, err := (*st).Evidence(ctx, clash.ClaimIDs)
	if err != nil || len(ev) != 1 || ev[0].SourceID != clash.Record.SourceID || ev[0].Reliability != "B" ||
		!strings.Contains(ev[0].Text(), "ucdp:1 (line 2)") || !strings.Contains(ev[0].Text(), "Source: Dawn, 2024-03-12.") ||
		!strings.Contains(ev[0].Text(), "Sides: Government of Pakistan v. TTP.") {
		t.Errorf("evidence %+v, %v: want the record from the file", ev, err)
	}
	// The profile lists the file, counting the records that name the
	// actor.
	p, err := (*st).EntityProfile(ctx, "TTP", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sources) != 1 || p.Sources[0].ID != clash.Record.SourceID || p.Sources[0].Mentions != 2 {
		t.Errorf("profile sources %+v: want the file with 2 records", p.Sources)
	}

	// Re-importing is a no-op: the run skips its batch, and the same
	// records from another file store nothing, not even the file.
	if c := mustWrite(t, *st, importSpec("ged.csv"), gedBatch(0, file, recs...)); c.Skipped != 1 || c.Events != 0 || c.Sources != 0 {
		t.Errorf("re-run counts %+v: want the batch skipped", c)
	}
	other := datasetFile("ged-canonical.csv", faultline.TLPClear)
	if c := mustWrite(t, *st, importSpec("ged-canonical.csv"), gedBatch(0, other, recs...)); c.Events != 0 || c.Sources != 0 || c.Batches != 1 {
		t.Errorf("same records, other file: counts %+v, want nothing new", c)
	}
	if stats, _ := (*st).Stats(ctx); stats.Sources != 1 {
		t.Errorf("%d sources after the second file, want 1", stats.Sources)
	}
	if got := mustEvents(t, *st, faultline.EventFilter{}); len(got) != 2 {
		t.Errorf("timeline: %d events after re-imports, want 2", len(got))
	}

	// The TLP of the file marks its records.
	amber := datasetFile("ged-amber.csv", faultline.TLPAmber)
	rec := gedRecords()[0]
	rec.ID, rec.Line, rec.Date, rec.DateStart, rec.DateEnd = "ucdp:3", 2, "2024-07-02", "2024-07-02", "2024-07-02"
	if c := mustWrite(t, *st, importSpec("ged-amber.csv"), gedBatch(0, amber, rec)); c.Events != 1 || c.Sources != 1 {
		t.Fatalf("amber file counts %+v: want one record from one new source", c)
	}
	if got := mustEvents(t, *st, faultline.EventFilter{Actor: "TTP", MaxTLP: faultline.TLPGreen}); len(got) != 2 {
		t.Errorf("timeline of TTP up to green: %d events, want the 2 clear records", len(got))
	}
	if got := mustEvents(t, *st, faultline.EventFilter{Actor: "TTP", MaxTLP: faultline.TLPAmber}); len(got) != 3 || got[2].Record.TLP != faultline.TLPAmber {
		t.Errorf("timeline of TTP up to amber: %+v, want the amber record too", got)
	}

	// A report of the same clash is an event of its own: records are not
	// folded with claims from prose.
	text := "Pakistani troops clashed with the TTP at Mir Ali on 11 March 2024."
	MustIngest(t, *st, Doc{
		Title: "Clash at Mir Ali", Text: text, TLP: faultline.TLPClear,
		Ents: []Ent{{ID: "e1", Name: "TTP", Type: faultline.ArmedGroup}, {ID: "e2", Name: "Mir Ali", Type: faultline.Location}},
		Events: []faultline.ExtractedEvent{{ID: "v1", Type: faultline.Clash, Date: str("2024-03-11"), Location: str("e2"),
			Participants: []faultline.Participant{{Entity: "e1", Role: faultline.RoleTarget}}, Modality: faultline.Reported,
			Evidence: []faultline.Span{Span(t, text, text)}, Rule: "test.event"}},
	})
	got := mustEvents(t, *st, faultline.EventFilter{Actor: "TTP", From: "2024-03-11", To: "2024-03-11"})
	if len(got) != 2 || (got[0].Record == nil) == (got[1].Record == nil) {
		t.Errorf("events of TTP on 2024-03-11: %+v, want the record and the report's event apart", got)
	}

	// Merges are followed: the records of the TTP belong to the entity it
	// is merged into.
	MustIngest(t, *st, Doc{Title: "TTP", Text: "Tehrik-i-Taliban Pakistan regrouped.", TLP: faultline.TLPClear,
		Ents: []Ent{{ID: "e1", Name: "Tehrik-i-Taliban Pakistan", Type: faultline.ArmedGroup}}})
	into := MustFind(t, *st, "Tehrik-i-Taliban Pakistan")
	if err := (*st).Merge(ctx, "TTP", into.ID, "analyst"); err != nil {
		t.Fatal(err)
	}
	got = mustEvents(t, *st, faultline.EventFilter{Actor: into.ID, Types: []faultline.EventType{faultline.Attack}})
	if len(got) != 1 || got[0].Participants[0].ID != into.ID {
		t.Errorf("attacks of the merged entity: %+v, want the May record with the final entity as agent", got)
	}

	// A batch whose record refers to an entity it does not list fails
	// whole.
	before, err := (*st).Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bad := gedBatch(0, datasetFile("bad.csv", faultline.TLPClear), gedRecords()...)
	bad.Events[1].ID, bad.Events[1].Target = "ucdp:9", "ucdp:999"
	bad.Events[0].ID = "ucdp:8"
	run, err := (*st).BeginImport(ctx, importSpec("bad.csv"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = run.Write(ctx, bad)
	wantCode(t, "dataset batch with a dangling target", err, faultline.EINVALID)
	run.Close(ctx)
	after, err := (*st).Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Sources != before.Sources || after.Entities != before.Entities {
		t.Errorf("after a failed batch: %+v, want %+v", after, before)
	}
	if got := mustEvents(t, *st, faultline.EventFilter{}); len(got) != 4 {
		t.Errorf("timeline after a failed batch: %d events, want 4 (3 records and the report)", len(got))
	}
}
