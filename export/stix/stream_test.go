package stix_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export/exporttest"
	"github.com/faultline-osint/faultline/export/stix"
	"github.com/faultline-osint/faultline/gazetteer"
)

// TestWriteIsWriteBundle checks that the streaming writer gives the bytes
// of WriteBundle over Objects, and that the Export's accessors describe
// the same objects, on both fixtures under several filters.
func TestWriteIsWriteBundle(t *testing.T) {
	gz, err := gazetteer.Default()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	fixture, datasets := exporttest.Open(t), exporttest.OpenDatasets(t)
	for _, tt := range []struct {
		name string
		db   faultline.SnapshotService
		f    faultline.SnapshotFilter
	}{
		{"fixture", fixture, faultline.SnapshotFilter{IncludeUnsourced: true}},
		{"fixture green", fixture, faultline.SnapshotFilter{MaxTLP: faultline.TLPGreen}},
		{"fixture since", fixture, faultline.SnapshotFilter{Since: "2025-04-03"}},
		{"datasets", datasets, faultline.SnapshotFilter{IncludeUnsourced: true}},
		{"datasets green", datasets, faultline.SnapshotFilter{MaxTLP: faultline.TLPGreen}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			snap, err := tt.db.Snapshot(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			o := stix.Options{Gazetteer: gz}
			objs, err := stix.Objects(snap, o)
			if err != nil {
				t.Fatal(err)
			}
			var want, got bytes.Buffer
			if err := stix.WriteBundle(&want, objs); err != nil {
				t.Fatal(err)
			}
			if err := stix.Write(&got, snap, o); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Fatalf("Write differs from WriteBundle(Objects): %d bytes, want %d", got.Len(), want.Len())
			}
			x, err := stix.New(snap, o)
			if err != nil {
				t.Fatal(err)
			}
			if x.Len() != len(objs) {
				t.Fatalf("Len %d, want %d", x.Len(), len(objs))
			}
			for i, obj := range objs {
				data, err := x.Encode(i)
				if err != nil {
					t.Fatal(err)
				}
				var head struct{ Type, ID string }
				json.Unmarshal(obj.JSON, &head)
				if x.ID(i) != obj.ID || head.ID != obj.ID || x.Type(i) != obj.Type || head.Type != obj.Type ||
					x.Version(i) != obj.Version() || !bytes.Equal(data, obj.JSON) {
					t.Errorf("object %d: %s %s %s, want %s %s %s and the same JSON", i, x.ID(i), x.Type(i), x.Version(i), obj.ID, obj.Type, obj.Version())
				}
				if lo, hi := x.Lookup(obj.ID); lo != i || hi != i+1 {
					t.Errorf("Lookup(%s) = [%d, %d), want [%d, %d)", obj.ID, lo, hi, i, i+1)
				}
				if i > 0 && x.CompareID(i-1, i) != strings.Compare(objs[i-1].ID, obj.ID) {
					t.Errorf("CompareID(%s, %s) disagrees with the strings", objs[i-1].ID, obj.ID)
				}
			}
			// DateOrder is a stable sort by version, then id.
			byDate := make([]int32, len(objs))
			for i := range byDate {
				byDate[i] = int32(i)
			}
			slices.SortStableFunc(byDate, func(a, b int32) int {
				if c := strings.Compare(objs[a].Version(), objs[b].Version()); c != 0 {
					return c
				}
				return strings.Compare(objs[a].ID, objs[b].ID)
			})
			if order := x.DateOrder(); !slices.Equal(order, byDate) {
				t.Errorf("DateOrder = %v, want %v", order, byDate)
			}
			for _, id := range []string{"report--00000000-0000-4000-8000-000000000000", "nonsense", "", "report--", "x--y"} {
				if lo, hi := x.Lookup(id); lo != hi {
					t.Errorf("Lookup(%q) found [%d, %d)", id, lo, hi)
				}
			}
		})
	}
}

// TestForeignIDs exports entities whose ids are not UUIDs (as another
// producer's may be) and a source mentioning them: they sort as strings
// among the others, are found by id, and the report lists them escaped.
func TestForeignIDs(t *testing.T) {
	at := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	odd := `Zeta "quoted" <id>`
	snap := &faultline.Snapshot{
		Sources: []faultline.Source{{ID: 1, SHA256: strings.Repeat("ab", 32), Title: "A report", TLP: faultline.TLPGreen, IngestedAt: at}},
		Entities: []faultline.Entity{
			{ID: "0a6c1f4e-2b7d-5c83-a1e9-4d0f6b3c8e27", Name: "Canonical group", Type: faultline.ArmedGroup},
			{ID: "ABC", Name: "Upper-case group", Type: faultline.ArmedGroup},
			{ID: odd, Name: "Odd group", Type: faultline.ArmedGroup},
		},
		Mentions: map[string][]int64{"0a6c1f4e-2b7d-5c83-a1e9-4d0f6b3c8e27": {1}, "ABC": {1}, odd: {1}},
	}
	objs, err := stix.Objects(snap, stix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var want, got bytes.Buffer
	stix.WriteBundle(&want, objs)
	if err := stix.Write(&got, snap, stix.Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("Write differs from WriteBundle(Objects)")
	}
	var bundle struct{ Objects []map[string]any }
	if err := json.Unmarshal(got.Bytes(), &bundle); err != nil {
		t.Fatalf("bundle is not JSON: %v", err)
	}
	var actors []string
	var refs []any
	for _, o := range bundle.Objects {
		switch o["type"] {
		case "threat-actor":
			actors = append(actors, o["id"].(string))
		case "report":
			refs = o["object_refs"].([]any)
		}
	}
	wantActors := []string{"threat-actor--0a6c1f4e-2b7d-5c83-a1e9-4d0f6b3c8e27", "threat-actor--ABC", "threat-actor--" + odd}
	slices.Sort(wantActors)
	if !slices.Equal(actors, wantActors) {
		t.Errorf("threat actors %q, want %q in string order", actors, wantActors)
	}
	for _, id := range wantActors {
		if !slices.Contains(refs, any(id)) {
			t.Errorf("the report does not list %q: %v", id, refs)
		}
	}
	x, err := stix.New(snap, stix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	order := x.DateOrder()
	for k := 1; k < len(order); k++ {
		a, b := int(order[k-1]), int(order[k])
		if x.Version(a) > x.Version(b) || x.Version(a) == x.Version(b) && x.ID(a) >= x.ID(b) {
			t.Errorf("DateOrder puts %s %s before %s %s", x.Version(a), x.ID(a), x.Version(b), x.ID(b))
		}
	}
	for _, id := range wantActors {
		if lo, hi := x.Lookup(id); hi != lo+1 || x.ID(lo) != id {
			t.Errorf("Lookup(%q) = [%d, %d)", id, lo, hi)
		}
	}
}

// TestWriteFailsBeforeWriting: a snapshot the plan refuses writes
// nothing, so that no cut-off bundle is left behind.
func TestWriteFailsBeforeWriting(t *testing.T) {
	snap, err := exporttest.Open(t).Snapshot(context.Background(), faultline.SnapshotFilter{})
	if err != nil {
		t.Fatal(err)
	}
	snap.Entities = snap.Entities[1:] // a relation or event now names a missing entity
	var buf bytes.Buffer
	err = stix.Write(&buf, snap, stix.Options{})
	if err == nil || !strings.Contains(err.Error(), "outside the snapshot") {
		t.Fatalf("Write = %v, want an entity outside the snapshot", err)
	}
	if buf.Len() != 0 {
		t.Errorf("Write wrote %d bytes before failing", buf.Len())
	}
}

// failingWriter fails after n bytes.
type failingWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return w.n, errDiskFull
	}
	w.n -= len(p)
	return len(p), nil
}

// TestWriteReportsWriteErrors: the writer's error comes back, wrapped,
// whether it comes at the end or halfway, in an object or in a report's
// refs.
func TestWriteReportsWriteErrors(t *testing.T) {
	// A bundle of some megabytes, several times the write buffer: 5,000
	// entities, each mentioned by one of two reports.
	at := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	snap := &faultline.Snapshot{Mentions: map[string][]int64{}}
	for i := range 2 {
		snap.Sources = append(snap.Sources, faultline.Source{ID: int64(i + 1), SHA256: strings.Repeat(string(rune('a'+i)), 64),
			Title: "Report", TLP: faultline.TLPClear, IngestedAt: at})
	}
	for i := range 5000 {
		id := fmt.Sprintf("%08x-2b7d-5c83-a1e9-4d0f6b3c8e27", i)
		snap.Entities = append(snap.Entities, faultline.Entity{ID: id, Name: fmt.Sprintf("Group %d", i), Type: faultline.ArmedGroup})
		snap.Mentions[id] = []int64{int64(i%2 + 1)}
	}
	var full countingWriter
	if err := stix.Write(&full, snap, stix.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1000, full.n / 2, full.n - 100} {
		if err := stix.Write(&failingWriter{n: n}, snap, stix.Options{}); !errors.Is(err, errDiskFull) {
			t.Errorf("failing after %d of %d bytes: Write = %v, want %v", n, full.n, err, errDiskFull)
		}
	}
}

type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	return len(p), nil
}

// TestExtensionVersions: a changed extension definition carries a later
// modified than its first version's, or a TAXII consumer holding that
// version keeps it; and the two definitions, at the same version, agree.
func TestExtensionVersions(t *testing.T) {
	objs, _ := exportFixture(t, faultline.SnapshotFilter{})
	defs := map[string]map[string]any{}
	for _, o := range objs {
		if o.Type == "extension-definition" {
			var m map[string]any
			if err := json.Unmarshal(o.JSON, &m); err != nil {
				t.Fatal(err)
			}
			defs[o.ID] = m
		}
	}
	ev, props := defs[stix.EventExtensionID], defs[stix.PropertyExtensionID]
	if ev == nil || props == nil {
		t.Fatalf("extension definitions %v, want the event's and the properties'", defs)
	}
	for name, d := range map[string]map[string]any{"event": ev, "properties": props} {
		if d["version"] != "1.0.0" && d["modified"].(string) <= d["created"].(string) {
			t.Errorf("%s extension %s: modified %s, not after its 1.0.0 (created %s)", name, d["version"], d["modified"], d["created"])
		}
	}
	if ev["version"] == props["version"] && ev["modified"] != props["modified"] {
		t.Errorf("both extensions are at %s but modified %s and %s", ev["version"], ev["modified"], props["modified"])
	}
}
