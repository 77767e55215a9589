package stix_test

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export/exporttest"
	"github.com/faultline-osint/faultline/export/stix"
)

// exportDatasets writes the dataset fixture (the four reports, a green
// UCDP file, an amber ACLED file) as a bundle under the filter.
func exportDatasets(t *testing.T, f faultline.SnapshotFilter) ([]stix.Object, []byte) {
	t.Helper()
	db := exporttest.OpenDatasets(t)
	snap, err := db.Snapshot(context.Background(), f)
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	objs, err := stix.Objects(snap, stix.Options{})
	if err != nil {
		t.Fatalf("Objects: %v", err)
	}
	var buf bytes.Buffer
	if err := stix.WriteBundle(&buf, objs); err != nil {
		t.Fatal(err)
	}
	return objs, buf.Bytes()
}

// decoded maps the objects by id.
func decoded(t *testing.T, objs []stix.Object) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, o := range objs {
		var m map[string]any
		if err := json.Unmarshal(o.JSON, &m); err != nil {
			t.Fatalf("%s: %v", o.ID, err)
		}
		out[o.ID] = m
	}
	return out
}

// recordObjectID is the object id of a dataset record's event.
func recordObjectID(recordID string) string {
	return stix.EventID(faultline.EventID([]string{recordID}))
}

// TestDatasetObjectsValidate checks every object of a bundle holding
// dataset records against the OASIS schema of its type, each record's
// event against core.json and the Faultline event schema (dataset_record
// included, which allows no property it does not declare), and that every
// reference points into the bundle.
func TestDatasetObjectsValidate(t *testing.T) {
	sch := loadSchemas(t)
	objs, _ := exportDatasets(t, faultline.SnapshotFilter{})
	ids := map[string]bool{}
	for _, o := range objs {
		ids[o.ID] = true
	}
	refPattern := regexp.MustCompile(`"([a-z][a-z0-9-]+--[0-9a-f-]{36})"`)
	records := 0
	for _, o := range objs {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(o.JSON))
		if err != nil {
			t.Fatalf("%s: %v", o.ID, err)
		}
		names := []string{o.Type}
		if o.Type == stix.EventType {
			names = []string{"core", stix.EventType}
			if bytes.Contains(o.JSON, []byte(`"dataset_record":`)) {
				records++
			}
		}
		for _, name := range names {
			s := sch[name]
			if s == nil {
				t.Errorf("%s: no schema for type %s", o.ID, o.Type)
				continue
			}
			if err := s.Validate(inst); err != nil {
				t.Errorf("%s against %s: %v\n%s", o.ID, name, err, o.JSON)
			}
		}
		for _, m := range refPattern.FindAllStringSubmatch(string(o.JSON), -1) {
			if ref := m[1]; !strings.HasPrefix(ref, "extension-definition--60a3c5c5") && !ids[ref] {
				t.Errorf("%s refers to %s, which is not in the bundle", o.ID, ref)
			}
		}
	}
	if want := len(exporttest.UCDPIDs) + len(exporttest.ACLEDIDs); records != want {
		t.Errorf("%d dataset records in the bundle, want %d", records, want)
	}

	// The schema is strict enough to catch a malformed record.
	bad := map[string]any{}
	for _, o := range objs {
		if o.ID == recordObjectID("ucdp:900001") {
			json.Unmarshal(o.JSON, &bad)
		}
	}
	bad["dataset_record"].(map[string]any)["deaths"] = 5 // not a record property: fatalities is
	data, _ := json.Marshal(bad)
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if sch[stix.EventType].Validate(inst) == nil {
		t.Errorf("an event whose dataset_record has an undeclared property validates")
	}
}

// TestDatasetMapping checks what a record's objects say: the event with
// its record, the reference to the dataset, the period, the marking and
// times of its file, the relationships to its sides and place, and its
// file's report listing it.
func TestDatasetMapping(t *testing.T) {
	objs, _ := exportDatasets(t, faultline.SnapshotFilter{})
	byID := decoded(t, objs)
	js := func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	}
	reportOf := map[string]map[string]any{}
	for _, o := range byID {
		if o["type"] == "report" {
			reportOf[o["name"].(string)] = o
		}
	}
	for _, tt := range []struct {
		record, file string
		tlp          faultline.TLP
		want         map[string]string // property → JSON
	}{
		{"ucdp:900001", "ged-sample.csv (UCDP GED)", exporttest.UCDPTLP, map[string]string{
			"name":                      `"clash, Mir Ali, 2024-03-11 (ucdp:900001)"`,
			"event_types":               `["clash"]`,
			"date":                      `"2024-03-11"`,
			"date_precision":            `"day"`,
			"start_time":                `"2024-03-11T00:00:00.000Z"`,
			"stop_time":                 `"2024-03-12T00:00:00.000Z"`,
			"fatalities":                `5`,
			"modality":                  `"asserted"`,
			"sources":                   `1`,
			"external_references":       `[{"description":"ged-sample.csv (UCDP GED), line 2","external_id":"900001","source_name":"ucdp-ged"}]`,
			"dataset_record":            `{"date_end":"2024-03-11","date_prec":1,"date_start":"2024-03-11","deaths_high":7,"deaths_low":4,"id":"ucdp:900001","latitude":33.0215,"line":2,"longitude":70.2756,"notes":"Dyad: Government of Pakistan - TTP. Conflict: Pakistan: Government. Where: Mir Ali town. Deaths: side a 1, side b 4, civilians 0, unknown 0.","place":"Mir Ali town, North Waziristan district, Khyber Pakhtunkhwa province, Pakistan","place_prec":1,"source_text":"Dawn,2024-03-12,Four militants killed near Mir Ali Original source: Pakistani military.","sub_type":"state-based conflict"}`,
			"created":                   `"2025-04-08T09:00:00.000Z"`,
			"fatalities_is_lower_bound": `null`,
		}},
		// A week: the period, not the day, bounds the event.
		{"acled:SYN0002", "acled-synthetic.csv (ACLED)", exporttest.ACLEDTLP, map[string]string{
			"date":                `"2024-03-15"`,
			"start_time":          `"2024-03-12T00:00:00.000Z"`,
			"stop_time":           `"2024-03-19T00:00:00.000Z"`,
			"event_types":         `["strike"]`,
			"external_references": `[{"description":"acled-synthetic.csv (ACLED), line 3","external_id":"SYN0002","source_name":"acled"}]`,
		}},
		// A month, and no target: civilians are no actor.
		{"ucdp:900002", "ged-sample.csv (UCDP GED)", exporttest.UCDPTLP, map[string]string{
			"date":           `"2024-05"`,
			"date_precision": `"month"`,
			"start_time":     `"2024-05-01T00:00:00.000Z"`,
			"stop_time":      `"2024-06-01T00:00:00.000Z"`,
		}},
		// Rioters on both sides: a place and no participants.
		{"acled:SYN0006", "acled-synthetic.csv (ACLED)", exporttest.ACLEDTLP, map[string]string{
			"participants": `null`,
		}},
	} {
		t.Run(tt.record, func(t *testing.T) {
			id := recordObjectID(tt.record)
			ev := byID[id]
			if ev == nil {
				t.Fatalf("no object %s for %s", id, tt.record)
			}
			for k, want := range tt.want {
				if got := js(ev[k]); got != want {
					t.Errorf("%s = %s, want %s", k, got, want)
				}
			}
			if got := js(ev["object_marking_refs"]); got != js([]string{stix.MarkingID(tt.tlp)}) {
				t.Errorf("marking %s, want %s's", got, tt.tlp)
			}
			report := reportOf[tt.file]
			if report == nil {
				t.Fatalf("no report for the file %s", tt.file)
			}
			refs := report["object_refs"].([]any)
			if !slices.Contains(refs, any(id)) {
				t.Errorf("the report of %s does not list %s", tt.file, id)
			}
			// Each side and the place: a relationship from the event,
			// listed by the file's report, and an entity the report lists.
			want := map[string]string{}
			if loc, ok := ev["location_ref"].(string); ok {
				want[loc] = "located-at"
			}
			if ps, ok := ev["participants"].([]any); ok {
				for _, p := range ps {
					p := p.(map[string]any)
					want[p["ref"].(string)] = map[string]string{"agent": "attributed-to", "target": "targets"}[p["role"].(string)]
				}
			}
			got := map[string]string{}
			for rid, r := range byID {
				if r["type"] == "relationship" && r["source_ref"] == id {
					got[r["target_ref"].(string)] = r["relationship_type"].(string)
					if !slices.Contains(refs, any(rid)) {
						t.Errorf("the report of %s does not list %s", tt.file, rid)
					}
					if js(r["object_marking_refs"]) != js(ev["object_marking_refs"]) {
						t.Errorf("%s is marked %v, its event %v", rid, r["object_marking_refs"], ev["object_marking_refs"])
					}
				}
			}
			if js(got) != js(want) || len(want) == 0 {
				t.Errorf("relationships %v, want %v", got, want)
			}
			for target := range want {
				if !slices.Contains(refs, any(target)) {
					t.Errorf("the report of %s does not list %s, which its record names", tt.file, target)
				}
			}
		})
	}
}

// TestDatasetTLP: a limit below a file's marking leaves its records out,
// their relationships and its report with them; the same limit above it
// keeps them.
func TestDatasetTLP(t *testing.T) {
	for _, tt := range []struct {
		name         string
		max          faultline.TLP
		ucdp, acled  bool
		forbid, need []string
	}{
		{"red", faultline.TLPRed, true, true, nil, []string{"acled-synthetic.csv", "SYN0002", "ged-sample.csv", "900001"}},
		{"green", faultline.TLPGreen, true, false, []string{"acled-synthetic.csv", "SYN000", "Synthetic Wire", stix.MarkingID(faultline.TLPAmber)},
			[]string{"ged-sample.csv", "900001"}},
		{"clear", faultline.TLPClear, false, false, []string{"acled-synthetic.csv", "ged-sample.csv", "ucdp-ged", `"dataset_record":`}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			objs, bundle := exportDatasets(t, faultline.SnapshotFilter{MaxTLP: tt.max})
			ids := map[string]bool{}
			for _, o := range objs {
				ids[o.ID] = true
			}
			for _, r := range exporttest.UCDPIDs {
				if ids[recordObjectID(r)] != tt.ucdp {
					t.Errorf("%s in the bundle: %v, want %v", r, ids[recordObjectID(r)], tt.ucdp)
				}
			}
			for _, r := range exporttest.ACLEDIDs {
				if ids[recordObjectID(r)] != tt.acled {
					t.Errorf("%s in the bundle: %v, want %v", r, ids[recordObjectID(r)], tt.acled)
				}
			}
			for _, s := range tt.forbid {
				if bytes.Contains(bundle, []byte(s)) {
					t.Errorf("bundle up to %s contains %q", tt.max, s)
				}
			}
			for _, s := range tt.need {
				if !bytes.Contains(bundle, []byte(s)) {
					t.Errorf("bundle up to %s lacks %q", tt.max, s)
				}
			}
		})
	}
}

// TestDatasetReproducible exports two dataset fixtures built alike: the
// same bytes.
func TestDatasetReproducible(t *testing.T) {
	_, a := exportDatasets(t, faultline.SnapshotFilter{})
	_, b := exportDatasets(t, faultline.SnapshotFilter{})
	if !bytes.Equal(a, b) {
		t.Fatalf("two exports of the same datasets differ")
	}
}

func TestDatasetReference(t *testing.T) {
	for _, tt := range []struct{ record, name, id string }{
		{"ucdp:59553", "ucdp-ged", "59553"},
		{"acled:PAK1234", "acled", "PAK1234"},
		{"gtd:2019010001", "gtd", "2019010001"},
		{"odd", "dataset", "odd"},
	} {
		name, id := stix.DatasetReference(tt.record)
		if name != tt.name || id != tt.id {
			t.Errorf("DatasetReference(%q) = %q, %q; want %q, %q", tt.record, name, id, tt.name, tt.id)
		}
	}
}
