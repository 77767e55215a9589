package server

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
	"github.com/faultline-osint/faultline/extract"
	"github.com/faultline-osint/faultline/ingest"
	"github.com/faultline-osint/faultline/sqlite"
)

// TestFastJSONProfiles: every profile and neighbourhood of the example
// briefs, a merge included, encodes byte for byte as encoding/json does.
func TestFastJSONProfiles(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d, err := dictionary.Default()
	if err != nil {
		t.Fatal(err)
	}
	ex, err := extract.New(extract.Options{Dictionary: d})
	if err != nil {
		t.Fatal(err)
	}
	paths, _ := filepath.Glob("../examples/*.txt")
	md, _ := filepath.Glob("../examples/*.md")
	if _, err := ingest.Run(ctx, db, ex, append(paths, md...), ingest.Options{Meta: ingest.SourceMeta{Publisher: `"Quoted" <b>`, Reliability: "B"}}); err != nil {
		t.Fatal(err)
	}
	if err := db.Merge(ctx, "Jamaat-ul-Ahrar", "TTP", "t"); err != nil {
		t.Fatal(err)
	}
	srv, err := New(db, Config{ModelPoll: -1})
	if err != nil {
		t.Fatal(err)
	}
	m, err := srv.model.get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for id, e := range m.ents {
		if e.MergedInto != "" {
			continue
		}
		p, err := srv.profileFrom(ctx, m, id, 200, 50, 20)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.NewEncoder(&want).Encode(p); err != nil {
			t.Fatal(err)
		}
		if got := appendProfile(nil, p); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("profile of %s:\n got %s\nwant %s", e.Name, got, want.Bytes())
		}
		ref := faultline.EntityRef{ID: id, Name: e.Name, Type: e.Type, Lat: e.Lat, Lon: e.Lon}
		nb := m.neighbourhood(ref, 2, 500, 2000, &relationFilter{})
		want.Reset()
		json.NewEncoder(&want).Encode(nb)
		if got := appendNeighbourhood(nil, nb); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("neighbourhood of %s differs", e.Name)
		}
		n++
	}
	if n < 50 {
		t.Fatalf("only %d profiles checked", n)
	}
}
