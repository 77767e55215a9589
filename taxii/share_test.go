package taxii_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export/exporttest"
	"github.com/faultline-osint/faultline/export/stix"
	"github.com/faultline-osint/faultline/importer"
	"github.com/faultline-osint/faultline/sqlite"
	"github.com/faultline-osint/faultline/taxii"
)

// countingStore records the snapshots the handler takes.
type countingStore struct {
	*sqlite.DB
	mu      sync.Mutex
	filters []faultline.SnapshotFilter
}

func (s *countingStore) Snapshot(ctx context.Context, f faultline.SnapshotFilter) (*faultline.Snapshot, error) {
	s.mu.Lock()
	s.filters = append(s.filters, f)
	s.mu.Unlock()
	return s.DB.Snapshot(ctx, f)
}

func (s *countingStore) taken() []faultline.SnapshotFilter {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.filters)
}

// collectionObjects fetches a collection's objects in one page, by id.
func collectionObjects(t *testing.T, h http.Handler, name string) map[string]string {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/taxii2/api/collections/"+taxii.CollectionID(name)+"/objects/?limit=1000", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", name, rec.Code, rec.Body)
	}
	var env envelope
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
		t.Fatal(err)
	}
	if env.More {
		t.Fatalf("%s: more than one page", name)
	}
	out := map[string]string{}
	for _, o := range env.Objects {
		var head struct{ ID string }
		json.Unmarshal(o, &head)
		out[head.ID] = string(o)
	}
	return out
}

// exported returns the objects of an export under the filter, by id, as
// the handler encodes them (HTML-escaped by encoding/json).
func exported(t *testing.T, db faultline.SnapshotService, f faultline.SnapshotFilter) map[string]string {
	t.Helper()
	snap, err := db.Snapshot(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := stix.Objects(snap, stix.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, o := range objs {
		data, _ := json.Marshal(o.JSON)
		out[o.ID] = string(data)
	}
	return out
}

var tlpNames = []string{"tlp-clear", "tlp-green", "tlp-amber", "tlp-amber+strict", "tlp-red"}

// TestTLPCollectionsShareSnapshots requests the collections of the
// fixture (sources at clear, green, amber and red) and counts the
// snapshots: amber and amber+strict share one, the saved queries without
// a since date start from their level's, and every collection serves
// exactly what its own export holds.
func TestTLPCollectionsShareSnapshots(t *testing.T) {
	db := exporttest.Open(t)
	st := &countingStore{DB: db}
	h, err := taxii.NewHandler(st, taxii.Options{Queries: []taxii.Query{
		{Name: "leader", MaxTLP: faultline.TLPGreen, Entity: "Shahab al-Muhajir", Hops: 1},
		{Name: "amber", MaxTLP: faultline.TLPAmber},
		{Name: "since", Since: "2025-04-03"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"tlp-red", "tlp-amber+strict", "tlp-amber", "tlp-green", "tlp-clear", "query:leader", "query:amber", "query:since"} {
		collectionObjects(t, h, name)
	}
	var got []string
	for _, f := range st.taken() {
		got = append(got, string(f.MaxTLP)+"/"+f.Since)
	}
	want := []string{"red/", "amber+strict/", "green/", "clear/", "/2025-04-03"}
	if !slices.Equal(got, want) {
		t.Errorf("snapshots taken %q, want %q", got, want)
	}
	for l, name := range tlpNames {
		got, want := collectionObjects(t, h, name), exported(t, db, faultline.SnapshotFilter{MaxTLP: faultline.TLP(strings.TrimPrefix(name, "tlp-")), IncludeUnsourced: true})
		if len(got) != len(want) {
			t.Errorf("%s serves %d objects, its export holds %d", name, len(got), len(want))
		}
		for id, data := range want {
			if got[id] != data {
				t.Errorf("%s serves %s as %.200s, its export as %.200s", name, id, got[id], data)
			}
		}
		for _, above := range []faultline.TLP{faultline.TLPGreen, faultline.TLPAmber, faultline.TLPAmberStrict, faultline.TLPRed}[l:] {
			for id, data := range got {
				if strings.Contains(data, stix.MarkingID(above)) {
					t.Errorf("%s serves %s marked %s", name, id, above)
				}
			}
		}
	}
	if len(st.taken()) != len(want) {
		t.Errorf("serving the collections again took %d more snapshots", len(st.taken())-len(want))
	}
}

// TestOneSnapshotForOneMarking: in a database whose sources are all
// TLP:CLEAR, the five TLP collections serve one snapshot, whichever the
// client asks for first.
func TestOneSnapshotForOneMarking(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "clear.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	path := filepath.Join(t.TempDir(), "ged.csv")
	if err := os.WriteFile(path, []byte(exporttest.UCDPSample), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := importer.Import(ctx, db, "ucdp", path, exporttest.ImportOptions(t, faultline.TLPClear)); err != nil {
		t.Fatal(err)
	}
	st := &countingStore{DB: db}
	h, err := taxii.NewHandler(st, taxii.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var first map[string]string
	for _, name := range tlpNames {
		objs := collectionObjects(t, h, name)
		if first == nil {
			first = objs
		} else if len(objs) != len(first) {
			t.Errorf("%s serves %d objects, tlp-clear %d", name, len(objs), len(first))
		}
	}
	if n := len(st.taken()); n != 1 {
		t.Errorf("%d snapshots taken (%v), want one", n, st.taken())
	}
}

// TestConcurrentCollections requests every collection several times at
// once: each answers what its export holds, and no level is snapshotted
// twice.
func TestConcurrentCollections(t *testing.T) {
	db := exporttest.Open(t)
	st := &countingStore{DB: db}
	h, err := taxii.NewHandler(st, taxii.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{}
	for _, name := range tlpNames {
		want[name] = exported(t, db, faultline.SnapshotFilter{MaxTLP: faultline.TLP(strings.TrimPrefix(name, "tlp-")), IncludeUnsourced: true})
	}
	var wg sync.WaitGroup
	got := make([]map[string]string, 3*len(tlpNames))
	for i := range got {
		wg.Go(func() { got[i] = collectionObjects(t, h, tlpNames[i%len(tlpNames)]) })
	}
	wg.Wait()
	for i, objs := range got {
		name := tlpNames[i%len(tlpNames)]
		if len(objs) != len(want[name]) {
			t.Errorf("%s serves %d objects, its export holds %d", name, len(objs), len(want[name]))
		}
		for id := range objs {
			if _, ok := want[name][id]; !ok {
				t.Errorf("%s serves %s, which its export does not hold", name, id)
			}
		}
	}
	seen := map[faultline.TLP]bool{}
	for _, f := range st.taken() {
		if seen[f.MaxTLP] {
			t.Errorf("snapshot up to %s taken twice: %v", f.MaxTLP, st.taken())
		}
		seen[f.MaxTLP] = true
	}
}

// TestNegativeCacheForRebuilds: with CacheFor negative every request
// takes its own snapshot.
func TestNegativeCacheForRebuilds(t *testing.T) {
	st := &countingStore{DB: exporttest.Open(t)}
	h, err := taxii.NewHandler(st, taxii.Options{CacheFor: -1})
	if err != nil {
		t.Fatal(err)
	}
	collectionObjects(t, h, "tlp-green")
	collectionObjects(t, h, "tlp-green")
	if n := len(st.taken()); n != 2 {
		t.Errorf("%d snapshots for two requests, want 2", n)
	}
}
