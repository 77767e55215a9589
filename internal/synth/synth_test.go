package synth_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/internal/synth"
	"github.com/faultline-osint/faultline/sqlite"
)

func build(t testing.TB, n int) (*sqlite.DB, synth.Result) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	res, err := synth.Build(ctx, db, synth.Options{Entities: n, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	return db, res
}

// TestShape checks what the generator promises: every entity stored and
// mentioned, every type present, hubs and a long tail, hedged claims,
// dated events at several precisions, places with coordinates.
func TestShape(t *testing.T) {
	ctx := context.Background()
	db, res := build(t, 600)
	st, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Entities != 600 || res.Entities != 600 {
		t.Fatalf("stats %+v, result %+v: want 600 entities", st, res)
	}
	for _, ty := range faultline.EntityTypes {
		if st.EntitiesByType[string(ty)] == 0 {
			t.Errorf("no %s", ty)
		}
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	degree := map[string]int{}
	modality := map[faultline.Modality]int{}
	err = db.Ties(ctx, faultline.TieFilter{}, func(tie faultline.Tie) error {
		degree[tie.Subject]++
		degree[tie.Object]++
		modality[tie.Modality]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	maxDeg, ones := 0, 0
	for _, d := range degree {
		maxDeg = max(maxDeg, d)
		if d <= 2 {
			ones++
		}
	}
	if maxDeg < 20*len(degree)/len(degree) || ones < len(degree)/4 {
		t.Errorf("degrees: max %d, %d of %d entities with at most 2 ties: want hubs and a long tail", maxDeg, ones, len(degree))
	}
	if modality[faultline.Alleged] == 0 || modality[faultline.Asserted] == 0 {
		t.Errorf("modalities %v", modality)
	}
	evs, err := db.Events(ctx, faultline.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	precision := map[int]int{}
	placed := 0
	for _, e := range evs {
		d, _ := faultline.ParseDate(e.Date)
		precision[d.Precision()]++
		if e.Location != nil && e.Location.Lat != nil {
			placed++
		}
	}
	if precision[faultline.DayPrecise] == 0 || precision[faultline.MonthPrecise] == 0 || precision[faultline.YearPrecise] == 0 || placed == 0 {
		t.Errorf("events: precisions %v, %d placed", precision, placed)
	}
}

// TestDeterministic: the same seed gives the same database.
func TestDeterministic(t *testing.T) {
	ctx := context.Background()
	a, _ := build(t, 100)
	b, _ := build(t, 100)
	sa, _ := a.Stats(ctx)
	sb, _ := b.Stats(ctx)
	if sa.Mentions != sb.Mentions || sa.Claims != sb.Claims || sa.Sources != sb.Sources {
		t.Fatalf("two builds differ: %+v and %+v", sa, sb)
	}
	ea, _ := a.Entities(ctx, faultline.EntityFilter{Limit: 5})
	eb, _ := b.Entities(ctx, faultline.EntityFilter{Limit: 5})
	for i := range ea {
		if ea[i].ID != eb[i].ID {
			t.Fatalf("entity %d: %s and %s", i, ea[i].ID, eb[i].ID)
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	for range b.N {
		build(b, 4000)
	}
}
