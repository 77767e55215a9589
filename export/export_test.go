package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export"
	"github.com/faultline-osint/faultline/export/exporttest"
)

func snapshot(t *testing.T, f faultline.SnapshotFilter) *faultline.Snapshot {
	t.Helper()
	db := exporttest.Open(t)
	s, err := db.Snapshot(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCSVDir(t *testing.T) {
	s := snapshot(t, faultline.SnapshotFilter{})
	dir := filepath.Join(t.TempDir(), "out")
	if err := export.WriteCSVDir(dir, s); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"sources": 4, "entities": 14, "relations": 10, "events": 3, "claims": 14}
	for _, table := range export.Tables {
		f, err := os.Open(filepath.Join(dir, table+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s.csv: %v", table, err)
		}
		if got := len(rows) - 1; got != want[table] {
			t.Errorf("%s.csv: %d rows, want %d", table, got, want[table])
		}
		if table == "claims" {
			head := rows[0]
			col := map[string]int{}
			for i, h := range head {
				col[h] = i
			}
			found := false
			for _, r := range rows[1:] {
				if strings.HasPrefix(r[col["evidence"]], "In March 2025, Pakistani forces raided") && r[col["tlp"]] == "green" {
					found = true
				}
			}
			if !found {
				t.Errorf("claims.csv lacks the raid's evidence")
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(export.Tables) {
		t.Errorf("%d files in the csv folder, want %d (no temporary files left)", len(entries), len(export.Tables))
	}
}

func TestCSVFormulaGuard(t *testing.T) {
	s := &faultline.Snapshot{Entities: []faultline.Entity{{ID: "x", Name: "=HYPERLINK(\"http://evil\")", Type: faultline.Person, Aliases: []string{"@cmd"}}}}
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, "entities", s); err != nil {
		t.Fatal(err)
	}
	rows, _ := csv.NewReader(&buf).ReadAll()
	if rows[1][1] != "'=HYPERLINK(\"http://evil\")" || rows[1][3] != "'@cmd" {
		t.Errorf("row = %q: want formulas defused with an apostrophe", rows[1])
	}
	if err := export.WriteCSV(&buf, "people", s); faultline.ErrorCode(err) != faultline.EINVALID {
		t.Errorf("unknown table: %v", err)
	}
}

func TestGeoJSON(t *testing.T) {
	s := snapshot(t, faultline.SnapshotFilter{})
	var buf bytes.Buffer
	if err := export.WriteGeoJSON(&buf, s); err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type     string `json:"type"`
			Geometry struct {
				Type        string     `json:"type"`
				Coordinates [2]float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(buf.Bytes(), &fc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	kinds := map[string]int{}
	for _, f := range fc.Features {
		kinds[f.Properties["kind"].(string)]++
		if f.Type != "Feature" || f.Geometry.Type != "Point" {
			t.Errorf("feature %v", f)
		}
		if f.Properties["name"] == "Peshawar" && f.Geometry.Coordinates != [2]float64{71.578, 34.008} {
			t.Errorf("Peshawar at %v, want [lon, lat] = [71.578, 34.008]", f.Geometry.Coordinates)
		}
	}
	if fc.Type != "FeatureCollection" || kinds["place"] != 4 || kinds["event"] != 3 {
		t.Errorf("%s with %v; want 4 places and 3 events", fc.Type, kinds)
	}
}

func TestNetworkSpells(t *testing.T) {
	n := export.NewNetwork(snapshot(t, faultline.SnapshotFilter{}))
	for _, e := range n.Edges {
		if e.Label == "affiliated_with" && (e.Start != "2001-01-01" || e.End != "2019-12-31") {
			t.Errorf("affiliated_with spell %s–%s, want 2001-01-01–2019-12-31", e.Start, e.End)
		}
		if e.Label == "located_in" && (e.Start != "2025-03-12" || e.End != "") {
			t.Errorf("located_in spell %s–%s, want from the report's date, open", e.Start, e.End)
		}
		if e.End != "" && e.Start > e.End {
			t.Errorf("edge %s ends before it starts", e.ID)
		}
	}
}
