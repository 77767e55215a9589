package importer_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
	"github.com/faultline-osint/faultline/gazetteer"
	"github.com/faultline-osint/faultline/importer"
	"github.com/faultline-osint/faultline/sqlite"
)

// options returns import options with the bundled dictionary and
// gazetteer, as the CLI uses them.
func options(tb testing.TB) importer.Options {
	tb.Helper()
	d, err := dictionary.Default()
	if err != nil {
		tb.Fatal(err)
	}
	g, err := gazetteer.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return importer.Options{Dictionary: d, Gazetteer: g}
}

func mustImport(tb testing.TB, db *sqlite.DB, format, path string, o importer.Options) *importer.Summary {
	tb.Helper()
	sum, err := importer.Import(context.Background(), db, format, path, o)
	if err != nil {
		tb.Fatalf("import %s %s: %v", format, path, err)
	}
	return sum
}

func stats(tb testing.TB, db *sqlite.DB) faultline.Stats {
	tb.Helper()
	st, err := db.Stats(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

func find(tb testing.TB, db *sqlite.DB, ref string) *faultline.Entity {
	tb.Helper()
	e, err := db.FindEntity(context.Background(), ref)
	if err != nil {
		tb.Fatalf("find %q: %v", ref, err)
	}
	return e
}

func hasExt(e *faultline.Entity, scheme, value string) bool {
	return slices.Contains(e.ExternalIDs, faultline.ExternalID{Scheme: scheme, Value: value})
}

// canonicalGED rewrites the HDX variant of a GED file into the canonical
// 49-column layout: no HXL row, no iso3 column.
func canonicalGED(tb testing.TB, hdx []byte, rows int) []byte {
	tb.Helper()
	recs, err := csv.NewReader(bytes.NewReader(hdx)).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	iso := slices.Index(recs[0], "iso3")
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for i, r := range recs {
		if i == 1 {
			continue // the HXL row
		}
		if i > rows+1 {
			break
		}
		w.Write(slices.Delete(slices.Clone(r), iso, iso+1))
	}
	w.Flush()
	return buf.Bytes()
}

// events returns the timeline the filter gives.
func events(tb testing.TB, db *sqlite.DB, f faultline.EventFilter) []faultline.Event {
	tb.Helper()
	ev, err := db.Events(context.Background(), f)
	if err != nil {
		tb.Fatal(err)
	}
	return ev
}

func TestUCDPRealFile(t *testing.T) {
	path := shared(t, "data/ucdp-ged/conflict_data_pak.csv")
	db := mustOpen(t)
	sum := mustImport(t, db, "ucdp", path, options(t))
	if sum.Records != 6416 || sum.Imported != 6416 || sum.Malformed != 0 || sum.Events != 6416 {
		t.Fatalf("%s (errors %v): want 6416 records read, imported and stored as dataset events", sum, sum.Errors)
	}
	// One source, the file; no claims: the rows are dataset events.
	st := stats(t, db)
	if st.Sources != 1 || st.Claims != 0 || sum.Sources != 1 {
		t.Fatalf("stats: %d sources, %d claims; want the file as the one source and no claims", st.Sources, st.Claims)
	}
	all := events(t, db, faultline.EventFilter{})
	if len(all) != 6416 {
		t.Fatalf("timeline: %d events, want 6416", len(all))
	}
	// side_a/side_b resolve through the dictionary's UCDP ids: TTP (UCDP
	// 356) is the dictionary's Tehrik-i-Taliban Pakistan.
	ttp := find(t, db, "TTP")
	if !hasExt(ttp, "ucdp", "356") || ttp.Type != faultline.ArmedGroup {
		t.Errorf("TTP: %+v: want an armed group with ucdp 356", ttp)
	}
	ev := events(t, db, faultline.EventFilter{From: "1990-10-04", To: "1990-10-04"})
	if len(ev) != 1 {
		t.Fatalf("events of 1990-10-04: %d, want 1", len(ev))
	}
	e := ev[0]
	if e.Type != faultline.Clash || e.Fatalities == nil || *e.Fatalities != 2 || len(e.Participants) != 2 || e.Location == nil ||
		e.Modality != faultline.Asserted || e.Sources != 1 {
		t.Fatalf("event 59553: %+v", e)
	}
	if got := e.Participants[0].Name + " / " + e.Participants[1].Name; !strings.Contains(got, "India") || !strings.Contains(got, "Pakistan") ||
		e.Participants[0].Role != faultline.RoleAgent {
		t.Errorf("participants %q (%s first): want India agent, Pakistan target", got, e.Participants[0].Role)
	}
	if e.Location.Lat == nil {
		t.Errorf("location %+v: want coordinates", e.Location)
	}
	// Provenance: the file, the line, the record's words.
	r := e.Record
	if r == nil || r.ID != "ucdp:59553" || r.Line != 3 || !strings.Contains(r.SourceTitle, "conflict_data_pak.csv") || r.Reliability != "B" ||
		r.TLP != faultline.TLPClear {
		t.Fatalf("record %+v: want ucdp:59553 at line 3 of conflict_data_pak.csv, reliability B, TLP clear", r)
	}
	if r.DatePrec != 1 || r.DateStart != "1990-10-04" || r.PlacePrec != 2 || r.DeathsLow == nil || *r.DeathsLow != 2 || r.DeathsHigh == nil ||
		*r.DeathsHigh != 2 || r.Lat == nil || *r.Lat != 34.821865 || r.SubType != "state-based conflict" {
		t.Errorf("record %+v: want date_prec 1, where_prec 2, low/high 2, the row's coordinates", r)
	}
	if !strings.Contains(r.Place, "Kel village") {
		t.Errorf("place %q: want the row's place", r.Place)
	}
	evd, err := db.Evidence(context.Background(), e.ClaimIDs)
	if err != nil || len(evd) != 1 || evd[0].Reliability != "B" || evd[0].SourceID != r.SourceID {
		t.Fatalf("evidence %+v, %v: want the GED record from the file, reliability B", evd, err)
	}
	for _, want := range []string{"ucdp:59553 (line 3)", "Source: R 4/10 1990 Original source: Pakistani military.", "Where: Kel sector of the control line.",
		"Dyad: Government of India - Government of Pakistan."} {
		if !strings.Contains(evd[0].Text(), want) {
			t.Errorf("evidence %q lacks %q", evd[0].Text(), want)
		}
	}
	src, err := db.Source(context.Background(), r.SourceID)
	if err != nil {
		t.Fatal(err)
	}
	if src.Format != "ucdp" || src.Publisher != "UCDP" || !strings.Contains(src.Text, "conflict_data_pak.csv") {
		t.Errorf("source %+v: want the file, published by UCDP", src)
	}
	// The actor's profile counts the file's records that name it.
	p, err := db.EntityProfile(context.Background(), "TTP", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Sources) != 1 || p.Sources[0].ID != r.SourceID || p.Sources[0].Mentions == 0 {
		t.Errorf("profile sources of TTP %+v: want the file with its records", p.Sources)
	}
	if got := events(t, db, faultline.EventFilter{Actor: "TTP"}); len(got) != p.Sources[0].Mentions {
		t.Errorf("timeline of TTP: %d events, profile counts %d records", len(got), p.Sources[0].Mentions)
	}
	// Date precision: date_prec 4 is a month, 5 a year.
	prec := map[int]int{}
	for _, e := range all {
		d, err := faultline.ParseDate(e.Date)
		if err != nil {
			t.Fatalf("event %s: date %q", e.ID, e.Date)
		}
		prec[d.Precision()]++
	}
	if prec[faultline.MonthPrecise] != 41 || prec[faultline.YearPrecise] != 10 {
		t.Errorf("dates by precision %v: want 41 months (date_prec 4) and 10 years (date_prec 5)", prec)
	}
	if err := db.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}

	// The same rows in the canonical layout are the same events: a second
	// import stores no new record and no source.
	data, _ := os.ReadFile(path)
	canon := filepath.Join(t.TempDir(), "ged-canonical.csv")
	os.WriteFile(canon, canonicalGED(t, data, 500), 0o644)
	sum2 := mustImport(t, db, "ucdp", canon, options(t))
	if sum2.Records != 500 || sum2.Imported != 500 || sum2.Events != 0 || sum2.Sources != 0 {
		t.Fatalf("canonical layout: %s: want 500 records read, no new events or sources", sum2)
	}
	if st := stats(t, db); st.Sources != 1 {
		t.Errorf("%d sources after the canonical file, want 1", st.Sources)
	}
}

func TestUCDPCanonicalLayout(t *testing.T) {
	path := shared(t, "data/ucdp-ged/conflict_data_pak.csv")
	data, _ := os.ReadFile(path)
	canon := filepath.Join(t.TempDir(), "ged.csv")
	os.WriteFile(canon, canonicalGED(t, data, 300), 0o644)
	db := mustOpen(t)
	sum := mustImport(t, db, "ucdp", canon, options(t))
	if sum.Records != 300 || sum.Imported != 300 || sum.Malformed != 0 || sum.Events != 300 {
		t.Fatalf("%s: want 300 records imported as 300 dataset events", sum)
	}
	if ev := events(t, db, faultline.EventFilter{}); len(ev) != 300 || ev[0].Record == nil || ev[0].Record.Line < 2 {
		t.Fatalf("timeline: %d events: want 300 records with their lines", len(ev))
	}
}

// gedHeader is the canonical GED header.
const gedHeader = "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob\n"

// gedRow is a synthetic GED row with the given id, violence type, date,
// deaths and coordinates.
func gedRow(id, tov, date, best, lat, lon string) string {
	return id + ",SYN-" + id + ",2020,1,Clear," + tov + ",209,209,Pakistan: Government,777,777,Government of Pakistan - TTP,142,142,Government of Pakistan,356,356,TTP,1," +
		"\"Synthetic Wire,2020-01-02,TEST\",Synthetic Wire,2020-01-02,TEST,police,1,Peshawar town,Peshawar,Khyber Pakhtunkhwa province,Peshawar district," +
		lat + "," + lon + ",POINT (71.5 34),1,Pakistan,770,Asia,1,1," + date + " 00:00:00.000," + date + " 00:00:00.000,0,0,0," + best + "," + best + "," + best + "," + best + ",770,\n"
}

func TestUCDPMalformedRows(t *testing.T) {
	good := gedRow("1", "1", "2020-01-02", "3", "34.0", "71.5")
	tests := []struct {
		name      string
		rows      string
		imported  int
		malformed []int // lines
	}{
		{"all good", good + gedRow("2", "3", "2020-01-03", "1", "34.0", "71.5"), 2, nil},
		{"bad violence type", good + gedRow("2", "9", "2020-01-03", "1", "34.0", "71.5"), 1, []int{3}},
		{"bad date", gedRow("2", "1", "2020-02-30", "1", "34.0", "71.5") + good, 1, []int{2}},
		{"negative deaths", good + gedRow("2", "1", "2020-01-03", "-1", "34.0", "71.5") + gedRow("3", "1", "2020-01-04", "1", "34.0", "71.5"), 2, []int{3}},
		{"bad coordinates", good + gedRow("2", "1", "2020-01-03", "1", "134.0", "71.5"), 1, []int{3}},
		{"NaN coordinates", good + gedRow("2", "1", "2020-01-03", "1", "NaN", "71.5"), 1, []int{3}},
		{"negative high deaths", good + strings.Replace(gedRow("2", "1", "2020-01-03", "1", "34", "71"), ",1,1,1,1,770", ",1,1,-1,1,770", 1), 1, []int{3}},
		{"too few fields", good + "3,SYN-3,2020\n" + gedRow("4", "1", "2020-01-03", "1", "34", "71"), 2, []int{3}},
		{"bare quote", good + "3,SYN\"3,2020\n" + gedRow("4", "1", "2020-01-03", "1", "34", "71"), 2, []int{3}},
		{"empty id", good + gedRow("", "1", "2020-01-03", "1", "34", "71"), 1, []int{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpen(t)
			sum, err := importer.ImportBytes(context.Background(), db, "ucdp", "ged.csv", []byte(gedHeader+tt.rows), options(t))
			if err != nil {
				t.Fatal(err)
			}
			var lines []int
			for _, e := range sum.Errors {
				lines = append(lines, e.Line)
			}
			if sum.Imported != tt.imported || !slices.Equal(lines, tt.malformed) || sum.Malformed != len(tt.malformed) {
				t.Fatalf("imported %d, malformed lines %v (%v): want %d, %v", sum.Imported, lines, sum.Errors, tt.imported, tt.malformed)
			}
			if got := len(events(t, db, faultline.EventFilter{})); got != tt.imported || sum.Events != tt.imported {
				t.Errorf("%d events (%d new), want %d", got, sum.Events, tt.imported)
			}
		})
	}
}

func TestUCDPRefusesWhatIsNotGED(t *testing.T) {
	for _, tt := range []struct{ name, data string }{
		{"empty", ""},
		{"no required columns", "a,b,c\n1,2,3\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpen(t)
			_, err := importer.ImportBytes(context.Background(), db, "ucdp", "x.csv", []byte(tt.data), options(t))
			if faultline.ErrorCode(err) != faultline.EINVALID {
				t.Fatalf("err %v: want EINVALID", err)
			}
		})
	}
}

// failAfter wraps a store so that the batch with index n fails once,
// standing in for a crash half-way through an import.
type failAfter struct {
	*sqlite.DB
	n int
}

type failingRun struct {
	faultline.ImportRun
	n int
}

func (f *failAfter) BeginImport(ctx context.Context, spec faultline.ImportSpec) (faultline.ImportRun, error) {
	r, err := f.DB.BeginImport(ctx, spec)
	return &failingRun{r, f.n}, err
}

var errCrash = errors.New("simulated crash")

func (r *failingRun) Write(ctx context.Context, b *faultline.ImportBatch) (faultline.ImportCounts, error) {
	if b.Index == r.n {
		return faultline.ImportCounts{}, errCrash
	}
	return r.ImportRun.Write(ctx, b)
}

func TestImportResumes(t *testing.T) {
	path := shared(t, "data/ucdp-ged/conflict_data_pak.csv")
	o := options(t)
	o.BatchSize = 1000
	db := mustOpen(t)
	sum, err := importer.Import(context.Background(), &failAfter{db, 3}, "ucdp", path, o)
	if !errors.Is(err, errCrash) {
		t.Fatalf("err %v: want the simulated crash", err)
	}
	if n := len(events(t, db, faultline.EventFilter{})); sum.Batches != 3 || n != 3000 {
		t.Fatalf("after the crash: %d batches, %d events; want 3 whole batches of 1000", sum.Batches, n)
	}
	if err := db.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	sum = mustImport(t, db, "ucdp", path, o)
	if sum.Skipped != 3 || sum.Batches != 4 || sum.Events != 3416 || sum.Sources != 0 {
		t.Fatalf("resumed: %s: want 3 batches skipped, 4 stored, 3416 new events from the source already stored", sum)
	}
	if got := len(events(t, db, faultline.EventFilter{})); got != 6416 {
		t.Fatalf("events %d, want 6416", got)
	}
	if st := stats(t, db); st.Sources != 1 {
		t.Fatalf("%d sources, want the file", st.Sources)
	}
	// A third run stores nothing.
	sum = mustImport(t, db, "ucdp", path, o)
	if sum.Skipped != 7 || sum.Batches != 0 {
		t.Fatalf("third run: %s: want every batch skipped", sum)
	}
}

func TestACLEDSynthetic(t *testing.T) {
	db := mustOpen(t)
	sum := mustImport(t, db, "acled", "testdata/acled-synthetic.csv", options(t))
	var lines []int
	for _, e := range sum.Errors {
		lines = append(lines, e.Line)
	}
	if sum.Records != 10 || sum.Imported != 5 || !slices.Equal(lines, []int{5, 6, 7, 11}) {
		t.Fatalf("%s; malformed lines %v (%v): want 10 records, 5 imported, lines 5, 6, 7, 11 malformed", sum, lines, sum.Errors)
	}
	if n := sum.Excluded["acled protests: no Faultline event type"]; n != 1 {
		t.Errorf("excluded %v: want the protest left out", sum.Excluded)
	}
	ev, err := db.Events(context.Background(), faultline.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	byDate := map[string]faultline.Event{}
	for _, e := range ev {
		byDate[e.Date] = e
	}
	tests := []struct {
		date   string
		typ    faultline.EventType
		killed int
		agent  string
	}{
		{"2024-03-11", faultline.Clash, 4, "Military Forces of Pakistan"},
		{"2024-03-15", faultline.Strike, 2, "Military Forces of Pakistan"},
		{"2024-02-12", faultline.Attack, 5, "Islamic State Khorasan Province"},
		{"2024-04", faultline.Arrest, 0, "Police Forces of Pakistan"},
		{"2024-05-01", faultline.Clash, 1, ""},
	}
	for _, tt := range tests {
		e, ok := byDate[tt.date]
		if !ok {
			t.Errorf("no event on %s (have %v)", tt.date, ev)
			continue
		}
		agent := ""
		for _, p := range e.Participants {
			if p.Role == faultline.RoleAgent {
				agent = p.Name
			}
		}
		if e.Type != tt.typ || e.Fatalities == nil || *e.Fatalities != tt.killed || agent != tt.agent {
			t.Errorf("%s: %s, %v killed, agent %q: want %s, %d, %q", tt.date, e.Type, e.Fatalities, agent, tt.typ, tt.killed, tt.agent)
		}
	}
	// Civilians and rioters are no actors; the TTP is the dictionary's.
	if _, err := db.FindEntity(context.Background(), "Civilians (Pakistan)"); faultline.ErrorCode(err) != faultline.ENOTFOUND {
		t.Errorf("civilians: %v: want no entity", err)
	}
	if ttp := find(t, db, "Tehrik-i-Taliban Pakistan"); !hasExt(ttp, "ucdp", "356") {
		t.Errorf("TTP %+v: want the dictionary entry (ucdp 356)", ttp)
	}
}

// The ACLED header from ../shared is what the synthetic rows use.
func TestACLEDHeaderMatchesShared(t *testing.T) {
	real, err := os.ReadFile(shared(t, "data/acled/acled_export_header.csv"))
	if err != nil {
		t.Fatal(err)
	}
	ours, _ := os.ReadFile("testdata/acled-synthetic.csv")
	h := func(b []byte) string {
		b = bytes.TrimPrefix(b, []byte("\ufeff"))
		line, _, _ := strings.Cut(string(b), "\n")
		return strings.TrimSpace(line)
	}
	if h(real) != h(ours) {
		t.Fatalf("synthetic header %q differs from the real one %q", h(ours), h(real))
	}
}

func TestUNSC(t *testing.T) {
	path := shared(t, "data/un-sc-consolidated/consolidated.xml")
	db := mustOpen(t)
	sum := mustImport(t, db, "unsc", path, options(t))
	if sum.Records != 875 || sum.Imported != 875 {
		t.Fatalf("%s: want 875 records (682 individuals, 193 entities) imported", sum)
	}
	st := stats(t, db)
	if st.EntitiesByType["person"] < 600 || st.Entities > 875 {
		t.Errorf("entities %v: want the listed people and groups", st.EntitiesByType)
	}
	isk := find(t, db, "ISIL-K")
	if !hasExt(isk, "un", "QDe.161") || isk.Type != faultline.ArmedGroup {
		t.Fatalf("ISIL-K: %+v: want the armed group listed as QDe.161", isk)
	}
	// Listed aliases, from the list and the dictionary.
	for _, a := range []string{"ISIL KHORASAN", "Islamic State Khorasan", "IS-K"} {
		if got := find(t, db, a); got.ID != isk.ID {
			t.Errorf("%q finds %s (%s), want ISIL-K", a, got.Name, got.ID)
		}
	}
	ttp := find(t, db, "Tehrik-e Taliban Pakistan")
	if !hasExt(ttp, "un", "QDe.132") {
		t.Errorf("TTP: %+v: want QDe.132", ttp)
	}
}

func TestOFAC(t *testing.T) {
	path := shared(t, "data/ofac-sdn/2024-05-03-jackdwyer/sdn.csv")
	o := options(t)
	o.Files = map[string]string{
		"alt": shared(t, "data/ofac-sdn/2022-01-listlookup/alt.csv"),
		"add": shared(t, "data/ofac-sdn/2022-01-listlookup/add.csv"),
	}
	db := mustOpen(t)
	sum := mustImport(t, db, "ofac", path, o)
	if sum.Records != 14965 || sum.Malformed != 0 {
		t.Fatalf("%s (%v): want 14965 records, none malformed", sum, sum.Errors)
	}
	if sum.Excluded["SDN vessel (not an actor)"] != 851 || sum.Excluded["SDN aircraft (not an actor)"] != 376 {
		t.Errorf("excluded %v: want 851 vessels and 376 aircraft left out", sum.Excluded)
	}
	if sum.Imported != 14965-851-376 {
		t.Errorf("imported %d, want %d", sum.Imported, 14965-851-376)
	}
	isk := find(t, db, "ISIL Khorasan")
	if !hasExt(isk, "ofac", "18647") {
		t.Fatalf("ISIL Khorasan: %+v: want ofac 18647", isk)
	}
	// An alias from alt.csv (aka) and one from the remarks.
	bnc := find(t, db, "BNC")
	if !hasExt(bnc, "ofac", "306") {
		t.Errorf("BNC: %+v: want Banco Nacional de Cuba (306)", bnc)
	}
}

// The UN and OFAC lists and a later report meet on one entity: the
// sanctions imports carry the dictionary key the extractor gives "IS-K".
func TestSanctionsThenReportResolve(t *testing.T) {
	db := mustOpen(t)
	mustImport(t, db, "unsc", shared(t, "data/un-sc-consolidated/consolidated.xml"), options(t))
	o := options(t)
	o.Files = map[string]string{"alt": shared(t, "data/ofac-sdn/2022-01-listlookup/alt.csv"), "add": shared(t, "data/ofac-sdn/2022-01-listlookup/add.csv")}
	mustImport(t, db, "ofac", shared(t, "data/ofac-sdn/2024-05-03-jackdwyer/sdn.csv"), o)
	isk := find(t, db, "ISIL-K")
	if !hasExt(isk, "ofac", "18647") || !hasExt(isk, "un", "QDe.161") {
		t.Fatalf("ISIL-K %+v: want one entity with the UN and the OFAC reference", isk)
	}
	// A report naming IS-K, as the extractor sees it (key and ids from
	// the dictionary), lands on the listed entity.
	text := "IS-K claimed the attack."
	src := &faultline.Source{SHA256: strings.Repeat("a", 64), Title: "Report", Format: "txt", Reliability: "C", TLP: faultline.TLPClear, Text: text}
	ext := faultline.NewExtraction(faultline.ExtractionDocument{SHA256: src.SHA256, Chars: len(text)})
	ext.Entities = append(ext.Entities, faultline.ExtractedEntity{ID: "e1", Name: "IS-K", Type: faultline.ArmedGroup, Key: "iskp",
		ExternalIDs: []faultline.ExternalID{{Scheme: "un", Value: "QDe.161"}},
		Mentions:    []faultline.Mention{{Span: faultline.Span{Start: 0, End: 4, Text: "IS-K"}}}})
	res, err := db.IngestDocument(context.Background(), src, ext)
	if err != nil {
		t.Fatal(err)
	}
	if res.NewEntities != 0 {
		t.Errorf("ingest created %d entities, want IS-K resolved to the listed one", res.NewEntities)
	}
	p, err := db.EntityProfile(context.Background(), isk.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Mentions) != 1 || p.Mentions[0].Text != "IS-K" {
		t.Fatalf("mentions of the listed entity: %+v: want the report's IS-K", p.Mentions)
	}
}

func TestXMLRefused(t *testing.T) {
	tests := []struct{ name, xml, want string }{
		{"billion laughs", `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&lol3;</FIRST_NAME><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`, "entity expansion"},
		{"external entity", `<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>&xxe;</FIRST_NAME><REFERENCE_NUMBER>QDe.1</REFERENCE_NUMBER></ENTITY></ENTITIES></CONSOLIDATED_LIST>`, "entit"},
		{"external DTD", `<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST SYSTEM "http://example.invalid/list.dtd">
<CONSOLIDATED_LIST/>`, "external"},
		{"undeclared entity", `<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>&nope;</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>`, "line 1"},
		{"truncated", `<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>X</FIRST`, "line 1"},
		{"wrong root", `<html><body/></html>`, "CONSOLIDATED_LIST"},
		{"not XML", `{"type": "bundle"}`, "no XML element"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpen(t)
			_, err := importer.ImportBytes(context.Background(), db, "unsc", "list.xml", []byte(tt.xml), options(t))
			if faultline.ErrorCode(err) != faultline.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v: want EINVALID mentioning %q", err, tt.want)
			}
			if st := stats(t, db); st.Entities != 0 {
				t.Fatalf("%d entities stored: want nothing", st.Entities)
			}
		})
	}
}

func TestSTIXOpenCTI(t *testing.T) {
	path := shared(t, "data/stix21-bundles/opencti-DATA-TEST-STIX2_v2.json")
	db := mustOpen(t)
	sum := mustImport(t, db, "stix", path, options(t))
	if sum.Records != 59 {
		t.Fatalf("%s: want 59 objects", sum)
	}
	// Nothing dropped silently: every object is imported or kept raw.
	if sum.Imported+sum.Objects != 59 {
		t.Errorf("imported %d + raw %d != 59 objects (%v)", sum.Imported, sum.Objects, sum.Unknown)
	}
	for _, typ := range []string{"indicator", "malware", "sighting", "campaign", "course-of-action", "observed-data"} {
		if sum.Unknown[typ] == 0 {
			t.Errorf("unknown %v: want %s kept and reported", sum.Unknown, typ)
		}
	}
	apt := find(t, db, "APT41")
	if apt.Type != faultline.ArmedGroup {
		t.Errorf("APT41: %+v", apt)
	}
	if got := find(t, db, "France"); got.Type != faultline.Country || !hasExt(got, "iso3166", "FR") {
		t.Errorf("France: %+v: want the country with its ISO code", got)
	}
	rels, err := db.Relations(context.Background(), faultline.RelationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rels) == 0 {
		t.Fatal("no relation imported")
	}
	// The evidence of every claim lies in its source's text.
	claims, err := db.Claims(context.Background(), faultline.ClaimFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range claims {
		src, err := db.Source(context.Background(), c.SourceID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range c.Evidence {
			if got := string([]rune(src.Text)[s.Start:s.End]); got != s.Text {
				t.Errorf("claim %s: span [%d,%d) is %q, evidence says %q", c.ID, s.Start, s.End, got, s.Text)
			}
		}
	}
	// Raw objects are kept: a second import adds nothing.
	again := mustImport(t, db, "stix", path, options(t))
	if again.Batches != 0 || again.Skipped != 1 {
		t.Errorf("re-import: %s: want the batch skipped", again)
	}
}

func TestSTIXGeography(t *testing.T) {
	path := shared(t, "data/opencti-datasets/data/geography.json")
	db := mustOpen(t)
	sum := mustImport(t, db, "stix", path, options(t))
	if sum.Records != 539 {
		t.Fatalf("%s: want 539 objects", sum)
	}
	pk := find(t, db, "Pakistan")
	if pk.Type != faultline.Country || !hasExt(pk, "iso3166", "PK") {
		t.Fatalf("Pakistan %+v: want the country PK", pk)
	}
	rels, err := db.Relations(context.Background(), faultline.RelationFilter{EntityID: pk.ID, Predicates: []faultline.Predicate{faultline.LocatedIn}})
	if err != nil || len(rels) != 1 || !strings.Contains(rels[0].Object.Name, "Asia") {
		t.Fatalf("Pakistan located_in %+v, %v: want its region", rels, err)
	}
}

func TestSTIXRefused(t *testing.T) {
	const actor = `{"type":"threat-actor","spec_version":"2.1","id":"threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"Test Group"}`
	tests := []struct{ name, json, want string }{
		{"invalid JSON", `{"type": "bundle", "objects": [` + actor + `,]}`, "invalid JSON at line 1"},
		{"truncated", `{"type": "bundle", "objects": [` + actor, "invalid JSON"},
		{"not a bundle", actor, "want a STIX bundle"},
		{"dangling reference", `{"type":"bundle","id":"bundle--1b2c7c3e-4d5f-4a6b-8c7d-9e0f1a2b3c4d","objects":[` + actor + `,
			{"type":"relationship","spec_version":"2.1","id":"relationship--6b7c2c3e-4d5f-4a6b-8c7d-9e0f1a2b3c4d","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z",
			 "relationship_type":"targets","source_ref":"threat-actor--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","target_ref":"identity--00000000-0000-4000-8000-000000000000"}]}`,
			"dangling references"},
		{"object without id", `{"type":"bundle","objects":[{"type":"threat-actor","name":"X"}]}`, "no type or no id"},
		{"bad id", `{"type":"bundle","objects":[{"type":"threat-actor","id":"threat-actor--1","name":"X"}]}`, "not a STIX id"},
		{"duplicate id", `{"type":"bundle","objects":[` + actor + `,` + actor + `]}`, "appears twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpen(t)
			_, err := importer.ImportBytes(context.Background(), db, "stix", "b.json", []byte(tt.json), options(t))
			if faultline.ErrorCode(err) != faultline.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v: want EINVALID mentioning %q", err, tt.want)
			}
			if st := stats(t, db); st.Entities != 0 || st.Claims != 0 {
				t.Fatalf("stored %d entities, %d claims: want nothing", st.Entities, st.Claims)
			}
		})
	}
}

func TestSTIX20Legacy(t *testing.T) {
	path := shared(t, "data/stix21-bundles/stix20-legacy/campaign-and-threat-actors.json")
	db := mustOpen(t)
	sum := mustImport(t, db, "stix", path, options(t))
	if sum.Records != 12 || sum.Imported == 0 || len(sum.Notes) != 1 {
		t.Fatalf("%s: want the 12 objects read, and a note that the bundle is STIX 2.0", sum)
	}
}

// A bundle from another producer: an entity the dictionary does not key
// keeps the producer's id, so that an export gives the object back under
// it; one it keys keeps the id every Faultline database gives it; two
// objects with ids of their own stay two entities, even when a name of one
// is an alias of the other; and an id another import gave an entity of
// another kind is not taken.
func TestSTIXProducerIDs(t *testing.T) {
	const (
		alpha = "8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"
		beta  = "2b1c7c3e-4d5f-4a6b-8c7d-9e0f1a2b3c4d"
		ttp   = "5d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a"
		set   = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
	)
	obj := func(typ, id, name, extra string) string {
		return `{"type":"` + typ + `","spec_version":"2.1","id":"` + typ + `--` + id + `","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"` + name + `"` + extra + `}`
	}
	bundle := func(objs ...string) []byte {
		return []byte(`{"type":"bundle","id":"bundle--1b2c7c3e-4d5f-4a6b-8c7d-9e0f1a2b3c4d","objects":[` + strings.Join(objs, ",") + `]}`)
	}
	db := mustOpen(t)
	ctx := context.Background()
	first := bundle(
		obj("threat-actor", alpha, "Alpha Front", `,"aliases":["Beta Front","Alpha Front"]`),
		obj("threat-actor", beta, "Beta Front", ""),
		obj("threat-actor", ttp, "Tehrik-e-Taliban Pakistan", `,"external_references":[{"source_name":"un","external_id":"QDe.132"}]`),
		obj("intrusion-set", set, "Gamma Set", ""))
	if _, err := importer.ImportBytes(ctx, db, "stix", "first.json", first, options(t)); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"Alpha Front": alpha, "Beta Front": beta} {
		if got := find(t, db, name); got.ID != want {
			t.Errorf("%s: id %s, want the producer's %s", name, got.ID, want)
		}
	}
	// The alias spelled as the name is kept, as the object lists it.
	if got := find(t, db, "Alpha Front"); !slices.Equal(got.Aliases, []string{"Alpha Front", "Beta Front"}) {
		t.Errorf("Alpha Front aliases %q: want both listed", got.Aliases)
	}
	if got := find(t, db, "TTP"); got.ID == ttp || !hasExt(got, "un", "QDe.132") {
		t.Errorf("TTP: %+v: want the dictionary entity under its Faultline id", got)
	}
	if got := find(t, db, "Gamma Set"); got.ID == set {
		t.Errorf("Gamma Set kept the intrusion-set's id, which an export (a threat-actor) cannot give back")
	}
	second := bundle(obj("location", alpha, "Alpha Valley", `,"region":"southern-asia"`))
	if _, err := importer.ImportBytes(ctx, db, "stix", "second.json", second, options(t)); err != nil {
		t.Fatal(err)
	}
	if got := find(t, db, "Alpha Valley"); got.ID == alpha || got.Type != faultline.Location {
		t.Errorf("Alpha Valley: %+v: want a place of its own, not the armed group holding the id", got)
	}
	if got := find(t, db, alpha); got.Name != "Alpha Front" || got.Type != faultline.ArmedGroup {
		t.Errorf("%s is %+v, want Alpha Front still", alpha, got)
	}
}
