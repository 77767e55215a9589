package server

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/sqlite"
	"github.com/faultline-osint/faultline/storetest"
)

func relationOf(s, p, o string) faultline.ExtractedRelation {
	return faultline.ExtractedRelation{Subject: s, Predicate: faultline.Predicate(p), Object: o, Modality: faultline.Asserted,
		Evidence: []faultline.Span{{Start: 0, End: 4, Text: "Alph"}}}
}

// TestModelBackgroundRebuild: on a database whose model is slow to build,
// a write leaves the last model serving while a new one builds, and the
// pages say so; then the new model answers.
func TestModelBackgroundRebuild(t *testing.T) {
	old := syncBuild
	syncBuild = 0 // every build counts as slow
	defer func() { syncBuild = old }()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ents := []storetest.Ent{{ID: "a", Name: "Alpha Front", Type: faultline.ArmedGroup}, {ID: "b", Name: "Beta Brigade", Type: faultline.ArmedGroup},
		{ID: "c", Name: "Gamma Army", Type: faultline.ArmedGroup}}
	storetest.MustIngest(t, db, storetest.Doc{Title: "one", Text: "Alpha Front supports Beta Brigade.", Ents: ents[:2],
		Relations: []faultline.ExtractedRelation{relationOf("a", "supports", "b")}})
	m := newModels(db, nil)
	m.log = discard()
	md1, err := m.get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(md1.rels) != 1 || m.lagging() {
		t.Fatalf("first model: %d relations, lagging %v", len(md1.rels), m.lagging())
	}
	storetest.MustIngest(t, db, storetest.Doc{Title: "two", Text: "Alpha Front fights Gamma Army.", Ents: []storetest.Ent{ents[0], ents[2]},
		Relations: []faultline.ExtractedRelation{relationOf("a", "hostile_to", "c")}})
	m.invalidate()
	md2, err := m.get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if md2 != md1 {
		t.Fatal("a slow model was rebuilt in the foreground")
	}
	deadline := time.Now().Add(10 * time.Second)
	for m.cur.Load() == md1 || m.running.Load() {
		if time.Now().After(deadline) {
			t.Fatal("the background rebuild never finished")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if md3, _ := m.get(ctx); len(md3.rels) != 2 || m.lagging() {
		t.Fatalf("after the rebuild: %d relations, lagging %v", len(md3.rels), m.lagging())
	}
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
