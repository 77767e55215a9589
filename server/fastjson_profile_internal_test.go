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
	for ei := range int32(len(m.merged)) {
		if !m.known(ei) || m.merged[ei] >= 0 {
			continue
		}
		id, e := m.id(ei), m.ref(ei)
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
		nb := m.neighbourhood(e, 2, 500, 2000, &relationFilter{})
		want.Reset()
		json.NewEncoder(&want).Encode(nb)
		if got := appendNeighbourhood(nil, nb); !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("neighbourhood of %s differs", e.Name)
		}
		for _, f := range []*relationFilter{{}, {minModality: faultline.Reported}} {
			for _, b := range [][3]int{{2, 500, 2000}, {1, 5, 3}} {
				want := appendNeighbourhood(nil, m.neighbourhood(e, b[0], b[1], b[2], f))
				if got := m.appendNeighbourhood(nil, e, b[0], b[1], b[2], f); !bytes.Equal(got, want) {
					t.Fatalf("neighbourhood of %s %v written directly:\n got %s\nwant %s", e.Name, b, got, want)
				}
			}
		}
		n++
	}
	if n < 50 {
		t.Fatalf("only %d profiles checked", n)
	}
}
