package taxii

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/export/exporttest"
)

// TestViewsExpire: once CacheFor has passed, the handler no longer holds
// the snapshots it served, whether nobody asks again or a request comes.
func TestViewsExpire(t *testing.T) {
	db := exporttest.Open(t)
	hh, err := NewHandler(db, Options{CacheFor: 2 * time.Second, Queries: []Query{
		{Name: "leader", MaxTLP: faultline.TLPGreen, Entity: "Shahab al-Muhajir", Hops: 1},
		{Name: "since", Since: "2025-04-03"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	h := hh.(*handler)
	get := func(name string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/taxii2/api/collections/"+CollectionID(name)+"/manifest/", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", name, rec.Code, rec.Body)
		}
	}
	held := func() (int, int) {
		h.mu.Lock()
		defer h.mu.Unlock()
		return len(h.tlp), len(h.cache)
	}
	for _, name := range []string{"tlp-red", "tlp-green", "query:leader", "query:since"} {
		get(name)
	}
	if tlp, queries := held(); tlp != 2 || queries != 2 {
		t.Fatalf("holding %d TLP views and %d query views, want 2 and 2", tlp, queries)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		tlp, queries := held()
		if tlp == 0 && queries == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still holding %d TLP views and %d query views after they expired", tlp, queries)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// A new request builds afresh and holds only what it serves.
	get("tlp-green")
	if tlp, queries := held(); tlp != 1 || queries != 0 {
		t.Errorf("after one request: %d TLP views and %d query views, want 1 and 0", tlp, queries)
	}
}
