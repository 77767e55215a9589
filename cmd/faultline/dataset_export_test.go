package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export/exporttest"
	"github.com/faultline-osint/faultline/sqlite"
	"github.com/faultline-osint/faultline/taxii"
)

// The records of event datasets leave in every export format, through the
// command line: real UCDP GED rows (every twentieth row of the Pakistan
// file in ../shared, so that several conflicts are there) imported green,
// the synthetic ACLED file imported amber.

// gedSubset writes every step-th record of the GED file at path, with its
// header and HXL row, and returns the new file and the ids it holds.
func gedSubset(t *testing.T, path, dir string, step int) (string, []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(rows[0])
	w.Write(rows[1]) // the HXL row
	var ids []string
	for i := 2; i < len(rows); i += step {
		w.Write(rows[i])
		ids = append(ids, "ucdp:"+rows[i][0])
	}
	w.Flush()
	slices.Sort(ids)
	return writeFile(t, dir, "ged-subset.csv", buf.Bytes()), ids
}

// datasetCLI imports the UCDP subset (green) and the ACLED sample (amber)
// into a new database and returns its path and the ids of the records.
func datasetCLI(t *testing.T) (db string, ucdp []string) {
	t.Helper()
	dir := t.TempDir()
	ged, ids := gedSubset(t, sharedData(t, "ucdp-ged/conflict_data_pak.csv"), dir, 20)
	db = filepath.Join(dir, "f.db")
	for _, args := range [][]string{
		{"import", "--format", "ucdp", "--tlp", "green", ged},
		{"import", "--format", "acled", "--tlp", "amber", exporttest.ACLEDSample()},
	} {
		if code, out, stderr := cli(t, "", append([]string{"--db", db}, args...)...); code != 0 {
			t.Fatalf("%v: exit %d: %s %s", args, code, out, stderr)
		}
	}
	return db, ids
}

// recordsIn finds, in an export, the dataset records it holds, by id, in
// the form the format writes them.
func recordsIn(t *testing.T, format, out string) []string {
	t.Helper()
	var ids []string
	switch format {
	case "csv":
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatalf("csv: %v", err)
		}
		col := slices.Index(rows[0], "record_id")
		for _, r := range rows[1:] {
			if r[col] != "" {
				ids = append(ids, r[col])
			}
		}
	case "stix":
		for _, o := range datasetBundle(t, out) {
			if r, ok := o["dataset_record"].(map[string]any); ok {
				ids = append(ids, r["id"].(string))
			}
		}
	case "geojson":
		var fc struct {
			Features []struct {
				Properties struct {
					Record *faultline.EventRecord `json:"record"`
				} `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal([]byte(out), &fc); err != nil {
			t.Fatalf("geojson: %v", err)
		}
		for _, f := range fc.Features {
			if r := f.Properties.Record; r != nil {
				ids = append(ids, r.ID)
			}
		}
	case "graphml", "gexf":
		// <data key="n_record">ucdp:1</data>, <attvalue for="n10" value="ucdp:1"/>
		for _, part := range strings.Split(out, `<data key="n_record">`)[1:] {
			ids = append(ids, part[:strings.Index(part, "<")])
		}
		for _, part := range strings.Split(out, `<attvalue for="n10" value="`)[1:] {
			ids = append(ids, part[:strings.Index(part, `"`)])
		}
	}
	slices.Sort(ids)
	return ids
}

func datasetBundle(t *testing.T, out string) []map[string]any {
	t.Helper()
	var b struct {
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("stix: %v", err)
	}
	return b.Objects
}

// TestDatasetExportCLI exports every format under the marking limits and
// a neighbourhood, and checks which records leave and what one of them
// says.
func TestDatasetExportCLI(t *testing.T) {
	db, ucdp := datasetCLI(t)
	all := slices.Sorted(slices.Values(append(slices.Clone(ucdp), exporttest.ACLEDIDs...)))
	export := func(format string, extra ...string) string {
		t.Helper()
		args := append([]string{"--db", db, "export", "--format", format}, extra...)
		if format == "csv" {
			args = append(args, "--table", "events")
		}
		code, out, stderr := cli(t, "", args...)
		if code != 0 {
			t.Fatalf("export --format %s %v: exit %d: %s", format, extra, code, stderr)
		}
		return out
	}

	// The records of the United States' drone strikes on al-Qaida: the
	// neighbourhood of the United States, one hop, holds them; it holds
	// none of the government's clashes with the TTP, two hops away.
	var us, ttp []string
	rows, err := csv.NewReader(strings.NewReader(export("csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		switch parts := r[col["participants"]]; {
		case strings.Contains(parts, "United States") && strings.Contains(parts, "(agent)"):
			us = append(us, r[col["record_id"]])
		case strings.Contains(parts, "Tehrik-i-Taliban Pakistan"):
			ttp = append(ttp, r[col["record_id"]])
		}
	}
	if len(us) == 0 || len(ttp) == 0 {
		t.Fatalf("%d records of the United States, %d of the TTP: the sample no longer tests the neighbourhood", len(us), len(ttp))
	}

	for _, format := range exportFormats {
		for _, tt := range []struct {
			name   string
			args   []string
			want   []string // exactly these
			has    []string // at least these
			lacks  []string // none of these
			secret []string // names only the files left out give
		}{
			{"everything", nil, all, nil, nil, nil},
			{"up to amber", []string{"--tlp-max", "amber"}, all, nil, nil, nil},
			{"up to green: not the amber ACLED file", []string{"--tlp-max", "green"}, ucdp, nil, nil,
				[]string{"Military Forces of Pakistan", "Police Forces of Pakistan", "Synthetic Wire"}},
			{"up to clear: neither file", []string{"--tlp-max", "clear"}, nil, nil, nil,
				[]string{"Military Forces of Pakistan", "Tehrik-i-Taliban Pakistan", "Original source"}},
			{"the United States, one hop", []string{"--entity", "United States", "--hops", "1"}, nil, us, ttp, nil},
		} {
			t.Run(format+"/"+tt.name, func(t *testing.T) {
				out := export(format, tt.args...)
				for _, s := range tt.secret {
					if strings.Contains(out, s) {
						t.Errorf("the export holds %q", s)
					}
				}
				got := recordsIn(t, format, out)
				if tt.has == nil && !slices.Equal(got, tt.want) {
					t.Errorf("%d records, want %d: %v", len(got), len(tt.want), diff(got, tt.want))
				}
				for _, id := range tt.has {
					if _, ok := slices.BinarySearch(got, id); !ok {
						t.Errorf("%s is missing", id)
					}
				}
				for _, id := range tt.lacks {
					if _, ok := slices.BinarySearch(got, id); ok {
						t.Errorf("%s is there, two hops away", id)
					}
				}
			})
		}
	}

	// The first row of the real file, in the CSV and in STIX: India's
	// forces and Pakistan's at Kel, 4 October 1990, two killed.
	first := map[string]string{}
	for _, r := range rows[1:] {
		if r[col["record_id"]] == "ucdp:59553" {
			for k, i := range col {
				first[k] = r[i]
			}
		}
	}
	for k, want := range map[string]string{"type": "clash", "date": "1990-10-04", "fatalities": "2", "record_line": "3",
		"record_sub_type": "state-based conflict", "record_date_prec": "1", "record_place_prec": "2", "record_lat": "34.821865",
		"record_lon": "74.355544", "record_deaths_low": "2", "record_deaths_high": "2", "record_source_text": "R 4/10 1990 Original source: Pakistani military."} {
		if first[k] != want {
			t.Errorf("csv ucdp:59553 %s = %q, want %q", k, first[k], want)
		}
	}
	var ev map[string]any
	for _, o := range datasetBundle(t, export("stix")) {
		if r, ok := o["dataset_record"].(map[string]any); ok && r["id"] == "ucdp:59553" {
			ev = o
		}
	}
	if ev == nil {
		t.Fatal("stix: no event for ucdp:59553")
	}
	ref, _ := json.Marshal(ev["external_references"])
	if ev["date"] != "1990-10-04" || ev["fatalities"] != 2.0 || !strings.Contains(string(ref), `"external_id":"59553","source_name":"ucdp-ged"`) {
		t.Errorf("stix ucdp:59553: %v", ev)
	}

	// Stats count the records apart from the claims.
	code, out, stderr := cli(t, "", "--db", db, "stats", "--json")
	var st faultline.Stats
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != 0 {
		t.Fatalf("stats: exit %d, %v: %s", code, err, stderr)
	}
	if st.DatasetEvents != len(all) || st.DatasetEventsByFormat["ucdp"] != len(ucdp) || st.DatasetEventsByFormat["acled"] != len(exporttest.ACLEDIDs) || st.Claims != 0 {
		t.Errorf("stats %+v: want %d dataset events (%d ucdp, %d acled), no claims", st, len(all), len(ucdp), len(exporttest.ACLEDIDs))
	}
	if code, out, _ := cli(t, "", "--db", db, "stats"); code != 0 || !strings.Contains(out, "dataset events "+strconv.Itoa(len(all))) {
		t.Errorf("stats: %s", out)
	}
}

// TestDatasetSTIXRoundTrip exports the records as STIX, imports the
// bundle into an empty database and exports again: the records come back
// as dataset records (counted so, not as claims), and the second bundle is
// the first, byte for byte.
func TestDatasetSTIXRoundTrip(t *testing.T) {
	a, _ := datasetCLI(t)
	dir := t.TempDir()
	b := filepath.Join(dir, "b.db")
	first, second := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	for _, step := range [][]string{
		{"--db", a, "export", "--format", "stix", "-o", first},
		{"--db", b, "import", "--format", "stix", first},
		{"--db", b, "export", "--format", "stix", "-o", second},
	} {
		if code, out, stderr := cli(t, "", step...); code != 0 {
			t.Fatalf("%v: exit %d: %s %s", step, code, out, stderr)
		}
	}
	var sa, sb faultline.Stats
	for _, s := range []struct {
		db string
		st *faultline.Stats
	}{{a, &sa}, {b, &sb}} {
		_, out, _ := cli(t, "", "--db", s.db, "stats", "--json")
		if err := json.Unmarshal([]byte(out), s.st); err != nil {
			t.Fatal(err)
		}
	}
	if sb.DatasetEvents != sa.DatasetEvents || !maps.Equal(sb.DatasetEventsByFormat, sa.DatasetEventsByFormat) || sb.Claims != 0 {
		t.Errorf("after the round trip: %d dataset events %v, %d claims; want %d %v, none",
			sb.DatasetEvents, sb.DatasetEventsByFormat, sb.Claims, sa.DatasetEvents, sa.DatasetEventsByFormat)
	}
	// The same bytes; else say which objects differ.
	x, _ := os.ReadFile(first)
	y, _ := os.ReadFile(second)
	if !bytes.Equal(x, y) {
		oa, ob := stixObjects(t, first), stixObjects(t, second)
		if len(oa) != len(ob) {
			t.Errorf("%d objects exported, %d after the round trip", len(oa), len(ob))
		}
		for id, o := range oa {
			ja, _ := json.Marshal(o)
			jb, _ := json.Marshal(ob[id])
			if !bytes.Equal(ja, jb) {
				t.Errorf("%s was\n%s\nis\n%s", id, ja, jb)
			}
		}
		t.Errorf("export → import → export differs from the first export")
	}
	// Importing the same bundle again stores nothing new.
	code, out, stderr := cli(t, "", "--db", b, "import", "--format", "stix", first, "--json")
	var sum struct {
		Events int `json:"dataset_events"`
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil || code != 0 || sum.Events != 0 {
		t.Errorf("re-import: exit %d, %s %s: want no new dataset events", code, out, stderr)
	}
}

// diff lists what one sorted list has that the other lacks, for messages.
func diff(got, want []string) string {
	var extra, missing []string
	for _, g := range got {
		if _, ok := slices.BinarySearch(want, g); !ok {
			extra = append(extra, g)
		}
	}
	for _, w := range want {
		if _, ok := slices.BinarySearch(got, w); !ok {
			missing = append(missing, w)
		}
	}
	if len(extra) > 5 {
		extra = extra[:5]
	}
	if len(missing) > 5 {
		missing = missing[:5]
	}
	return "extra " + strings.Join(extra, ", ") + "; missing " + strings.Join(missing, ", ")
}

// TestDatasetTAXII: the TAXII collections serve the records as the export
// does, each collection up to its marking (the UCDP file is green, the
// ACLED file amber).
func TestDatasetTAXII(t *testing.T) {
	db, err := sqlite.Open(context.Background(), exporttest.CreateDatasets(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h, err := taxii.NewHandler(db, taxii.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	all := slices.Sorted(slices.Values(append(slices.Clone(exporttest.UCDPIDs), exporttest.ACLEDIDs...)))
	for _, tt := range []struct {
		collection string
		want       []string
	}{
		{"tlp-clear", nil},
		{"tlp-green", exporttest.UCDPIDs},
		{"tlp-amber", all},
		{"tlp-red", all},
	} {
		t.Run(tt.collection, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+"/taxii2/api/collections/"+taxii.CollectionID(tt.collection)+"/objects/?match[type]=x-faultline-event", nil)
			req.Header.Set("Accept", taxii.TAXIIMediaType)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var env struct {
				More    bool             `json:"more"`
				Objects []map[string]any `json:"objects"`
			}
			if err := json.NewDecoder(res.Body).Decode(&env); err != nil || res.StatusCode != 200 || env.More {
				t.Fatalf("status %d, more %v, %v", res.StatusCode, env.More, err)
			}
			var got []string
			for _, o := range env.Objects {
				if r, ok := o["dataset_record"].(map[string]any); ok {
					got = append(got, r["id"].(string))
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("records %v, want %v", got, tt.want)
			}
		})
	}
}
