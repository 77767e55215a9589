package stix_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export/exporttest"
	"github.com/faultline-osint/faultline/export/stix"
	"github.com/faultline-osint/faultline/gazetteer"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// schemaDir is the OASIS STIX 2.1 schema folder in ../shared.
const schemaDir = "../../../shared/data/stix2-json-schemas/schemas"

var (
	schemasOnce sync.Once
	schemas     map[string]*jsonschema.Schema
	schemasErr  error
)

// loadSchemas compiles the OASIS schema of every type the exporter writes,
// and the Faultline event schema, registering each file under its $id so
// that the relative $refs resolve.
func loadSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	if _, err := os.Stat(schemaDir); err != nil {
		t.Skipf("OASIS STIX schemas not found at %s (../shared absent): skipping schema validation", schemaDir)
	}
	schemasOnce.Do(func() {
		c := jsonschema.NewCompiler()
		ids := map[string]string{} // relative path → $id
		schemasErr = filepath.WalkDir(schemaDir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return err
			}
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			doc, err := jsonschema.UnmarshalJSON(f)
			if err != nil {
				return err
			}
			id := doc.(map[string]any)["$id"].(string)
			rel, _ := filepath.Rel(schemaDir, p)
			ids[filepath.ToSlash(rel)] = id
			return c.AddResource(id, doc)
		})
		if schemasErr != nil {
			return
		}
		ev, err := jsonschema.UnmarshalJSON(bytes.NewReader(stix.EventSchema))
		if err != nil {
			schemasErr = err
			return
		}
		const evID = "https://faultline-osint.github.io/schemas/stix/x-faultline-event.json"
		if schemasErr = c.AddResource(evID, ev); schemasErr != nil {
			return
		}
		schemas = map[string]*jsonschema.Schema{}
		for name, rel := range map[string]string{
			"marking-definition": "common/marking-definition.json", "extension-definition": "common/extension-definition.json",
			"core": "common/core.json", "relationship": "sros/relationship.json", "identity": "sdos/identity.json",
			"threat-actor": "sdos/threat-actor.json", "location": "sdos/location.json", "report": "sdos/report.json",
			"note": "sdos/note.json",
		} {
			if schemas[name], schemasErr = c.Compile(ids[rel]); schemasErr != nil {
				return
			}
		}
		schemas[stix.EventType], schemasErr = c.Compile(evID)
	})
	if schemasErr != nil {
		t.Fatalf("compile schemas: %v", schemasErr)
	}
	return schemas
}

// export writes the fixture as a bundle under the filter.
func exportFixture(t *testing.T, f faultline.SnapshotFilter) ([]stix.Object, []byte) {
	t.Helper()
	db := exporttest.Open(t)
	snap, err := db.Snapshot(context.Background(), f)
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	gz, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	objs, err := stix.Objects(snap, stix.Options{Gazetteer: gz})
	if err != nil {
		t.Fatalf("Objects: %v", err)
	}
	var buf bytes.Buffer
	if err := stix.WriteBundle(&buf, objs); err != nil {
		t.Fatal(err)
	}
	return objs, buf.Bytes()
}

// TestObjectsValidate checks every exported object against the OASIS
// schema of its type (object by object: the upstream bundle schema does
// not list location or note), the custom event against core.json and its
// own schema, and that every reference points into the bundle.
func TestObjectsValidate(t *testing.T) {
	sch := loadSchemas(t)
	objs, bundle := exportFixture(t, faultline.SnapshotFilter{})
	var b struct {
		Type    string            `json:"type"`
		ID      string            `json:"id"`
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(bundle, &b); err != nil {
		t.Fatalf("bundle is not JSON: %v", err)
	}
	if b.Type != "bundle" || !strings.HasPrefix(b.ID, "bundle--") || len(b.Objects) != len(objs) {
		t.Fatalf("bundle: type %q id %q, %d objects; want a bundle of %d", b.Type, b.ID, len(b.Objects), len(objs))
	}
	ids := map[string]bool{}
	count := map[string]int{}
	for _, o := range objs {
		if ids[o.ID] {
			t.Errorf("duplicate id %s", o.ID)
		}
		ids[o.ID] = true
		count[o.Type]++
	}
	refPattern := regexp.MustCompile(`"([a-z][a-z0-9-]+--[0-9a-f-]{36})"`)
	for _, o := range objs {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(o.JSON))
		if err != nil {
			t.Fatalf("%s: %v", o.ID, err)
		}
		names := []string{o.Type}
		if o.Type == stix.EventType {
			names = []string{"core", stix.EventType}
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
			ref := m[1]
			if strings.HasPrefix(ref, "extension-definition--60a3c5c5") || strings.HasPrefix(ref, "bundle--") {
				continue // the OASIS TLP extension is defined by OASIS, not carried
			}
			if !ids[ref] {
				t.Errorf("%s refers to %s, which is not in the bundle", o.ID, ref)
			}
		}
	}
	for typ, want := range map[string]int{
		"threat-actor": 6, // five armed groups and the leader
		"location":     5, "report": 4, "note": 14, stix.EventType: 3, "marking-definition": 4, "extension-definition": 2,
	} {
		if got := count[typ]; got != want {
			t.Errorf("%d %s objects, want %d", got, typ, want)
		}
	}
	t.Logf("%d objects: %v", len(objs), count)
}

// TestMapping spot-checks the mapping the package doc describes.
func TestMapping(t *testing.T) {
	objs, _ := exportFixture(t, faultline.SnapshotFilter{})
	byName := map[string]map[string]any{}
	var rels []map[string]any
	for _, o := range objs {
		var m map[string]any
		if err := json.Unmarshal(o.JSON, &m); err != nil {
			t.Fatal(err)
		}
		if name, ok := m["name"].(string); ok {
			byName[name] = m
		}
		if m["type"] == "relationship" {
			rels = append(rels, m)
		}
	}
	check := func(name, key string, want any) {
		t.Helper()
		o := byName[name]
		if o == nil {
			t.Errorf("no object named %q", name)
			return
		}
		got, _ := json.Marshal(o[key])
		w, _ := json.Marshal(want)
		if string(got) != string(w) {
			t.Errorf("%s.%s = %s, want %s", name, key, got, w)
		}
	}
	check("Islamic State Khorasan Province", "type", "threat-actor")
	check("Islamic State Khorasan Province", "threat_actor_types", []string{"terrorist"}) // UN-listed
	check("Islamic State Khorasan Province", "aliases", []string{"Daesh Khorasan", "IS-Khorasan", "ISKP", "Wilayat Khorasan"})
	check("Falcon Cell", "threat_actor_types", []string{"unknown"})
	check("Shahab al-Muhajir", "type", "threat-actor")
	check("Shahab al-Muhajir", "roles", []string{"director"})
	check("Michael Kugelman", "identity_class", "individual")
	check("Pakistani forces", "sectors", []string{"government"})
	check("Observer Research Foundation", "identity_class", "organization")
	check("Pakistan", "country", "PK")
	check("Mastung", "country", "PK") // through located_in Balochistan, located_in Pakistan
	check("Peshawar", "latitude", 34.008)
	check("ISKP in Balochistan", "published", "2025-03-12T00:00:00.000Z")
	check("ISKP in Balochistan", "object_marking_refs", []string{stix.MarkingID(faultline.TLPGreen)})
	check("raid, Mastung, 2025-03", "fatalities", 30)
	check("raid, Mastung, 2025-03", "date_precision", "month")
	check("raid, Mastung, 2025-03", "stop_time", "2025-04-01T00:00:00.000Z")
	types := map[string]string{}
	for _, r := range rels {
		if p, ok := r["x_faultline_predicate"].(string); ok {
			types[p] = r["relationship_type"].(string)
		} else {
			types["event:"+r["x_faultline_event_role"].(string)] = r["relationship_type"].(string)
		}
		if r["x_faultline_predicate"] == "supports" {
			if r["confidence"] != 70.0 || r["x_faultline_modality"] != "reported" || r["x_faultline_denials"] != 1.0 {
				t.Errorf("supports relationship = %v, want confidence 70, reported, 1 denial", r)
			}
		}
	}
	for p, want := range map[string]string{"located_in": "located-at", "based_in": "based-in", "hostile_to": "hostile-to",
		"leads": "leads", "affiliated_with": "affiliated-with", "event:agent": "attributed-to", "event:target": "targets",
		"event:location": "located-at"} {
		if types[p] != want {
			t.Errorf("relationship type of %s = %q, want %q", p, types[p], want)
		}
	}
}

// TestTLPGreenLeaksNothing exports with a green limit from a database
// holding amber and red reports and finds none of their claims, relations,
// reports, notes, events, names or markings.
func TestTLPGreenLeaksNothing(t *testing.T) {
	objs, bundle := exportFixture(t, faultline.SnapshotFilter{MaxTLP: faultline.TLPGreen})
	for _, secret := range exporttest.Secrets {
		if bytes.Contains(bundle, []byte(secret)) {
			t.Errorf("green export contains %q", secret)
		}
	}
	for _, t2 := range []faultline.TLP{faultline.TLPAmber, faultline.TLPAmberStrict, faultline.TLPRed} {
		if bytes.Contains(bundle, []byte(stix.MarkingID(t2))) {
			t.Errorf("green export refers to the %s marking", t2)
		}
	}
	reports, events := 0, 0
	for _, o := range objs {
		switch o.Type {
		case "report":
			reports++
		case stix.EventType:
			events++
		}
	}
	if reports != 2 || events != 1 {
		t.Errorf("green export: %d reports, %d events; want 2 (green, clear), 1 (the raid)", reports, events)
	}
	// The same with --tlp-max red holds the secrets: the test would catch a leak.
	_, all := exportFixture(t, faultline.SnapshotFilter{MaxTLP: faultline.TLPRed})
	for _, secret := range exporttest.Secrets {
		if !bytes.Contains(all, []byte(secret)) {
			t.Errorf("red export lacks %q: the fixture no longer tests the limit", secret)
		}
	}
}

// TestReproducible exports two databases built alike and compares the
// bytes, and compares them with the reviewed golden file (go test
// -update rewrites it).
func TestReproducible(t *testing.T) {
	_, a := exportFixture(t, faultline.SnapshotFilter{})
	_, b := exportFixture(t, faultline.SnapshotFilter{})
	if !bytes.Equal(a, b) {
		t.Fatalf("two exports of the same data differ")
	}
	golden := filepath.Join("testdata", "fixture.stix.json")
	if *update {
		if err := os.WriteFile(golden, a, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(a, want) {
		t.Errorf("export differs from %s; review the change and run go test -update", golden)
	}
}
