package sqlite_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline"
)

// The SQLite side of dataset events: the indexes a bulk load drops and
// Close rebuilds, an import that dies half-way, the plans of the timeline's
// queries and the cascade of a deleted file.

var datasetIndexes = []string{"dataset_events_agent", "dataset_events_date", "dataset_events_location", "dataset_events_source", "dataset_events_target"}

// rawDB opens the database file read-only beside the store, to look at
// its schema.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func indexesOf(t *testing.T, raw *sql.DB) []string {
	t.Helper()
	rows, err := raw.Query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dataset_events' AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		out = append(out, n)
	}
	return out
}

// recordBatch is a batch of n records, ids from first on, all naming the
// same two actors and place.
func recordBatch(index, first, n int, file string) *faultline.ImportBatch {
	sum := sha256.Sum256([]byte(file))
	b := &faultline.ImportBatch{Index: index, Records: n,
		Dataset: &faultline.Source{SHA256: hex.EncodeToString(sum[:]), Title: file, Format: "ucdp", Reliability: "B", TLP: faultline.TLPClear},
		Entities: []faultline.ImportEntity{
			{Ref: "a", Name: "Kharan Front", Type: faultline.ArmedGroup},
			{Ref: "b", Name: "Government of Zaran", Type: faultline.Country},
			{Ref: "p", Name: "Qorvex", Type: faultline.Location},
		}}
	for i := range n {
		deaths := i % 7
		b.Events = append(b.Events, faultline.DatasetEvent{ID: fmt.Sprintf("test:%d", first+i), Line: first + i + 2, Type: faultline.Clash,
			Date: fmt.Sprintf("20%02d-%02d-%02d", 10+i%15, 1+i%12, 1+i%28), Agent: "a", Target: "b", Location: "p", Deaths: &deaths})
	}
	return b
}

func specOf(name string) faultline.ImportSpec {
	sum := sha256.Sum256([]byte(name))
	return faultline.ImportSpec{Format: "ucdp", Name: name, SHA256: hex.EncodeToString(sum[:])}
}

func TestDatasetIndexesDeferred(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "faultline.db")
	db := mustOpenPath(t, path)
	defer db.Close()
	raw := rawDB(t, path)
	if got := indexesOf(t, raw); !slices.Equal(got, datasetIndexes) {
		t.Fatalf("indexes of a new database %v, want %v", got, datasetIndexes)
	}

	// A first import into an empty table drops the indexes and Close
	// builds them again.
	run, err := db.BeginImport(ctx, specOf("one.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run.Write(ctx, recordBatch(0, 0, 1000, "one.csv")); err != nil {
		t.Fatal(err)
	}
	if got := indexesOf(t, raw); len(got) != 0 {
		t.Errorf("indexes during a bulk load %v, want none", got)
	}
	if err := run.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if got := indexesOf(t, raw); !slices.Equal(got, datasetIndexes) {
		t.Fatalf("indexes after Close %v, want %v", got, datasetIndexes)
	}

	// A small import into a large table keeps them.
	run, err = db.BeginImport(ctx, specOf("two.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run.Write(ctx, recordBatch(0, 1000, 10, "two.csv")); err != nil {
		t.Fatal(err)
	}
	if got := indexesOf(t, raw); !slices.Equal(got, datasetIndexes) {
		t.Errorf("indexes during a small import %v, want all kept", got)
	}
	if err := run.Close(ctx); err != nil {
		t.Fatal(err)
	}

	// An import that dies after a batch (no Close) leaves its records
	// whole and the definitions of the dropped indexes; the next run
	// builds them.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	path2 := filepath.Join(t.TempDir(), "crash.db")
	db2 := mustOpenPath(t, path2)
	run, err = db2.BeginImport(ctx, specOf("big.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run.Write(ctx, recordBatch(0, 0, 500, "big.csv")); err != nil {
		t.Fatal(err)
	}
	db2.Close() // the process dies: Close of the run never comes
	db2 = mustOpenPath(t, path2)
	defer db2.Close()
	raw2 := rawDB(t, path2)
	if got := indexesOf(t, raw2); len(got) != 0 {
		t.Fatalf("indexes after the crash %v, want none yet", got)
	}
	if err := db2.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	ev, err := db2.Events(ctx, faultline.EventFilter{Actor: "Kharan Front"})
	if err != nil || len(ev) != 500 {
		t.Fatalf("timeline without indexes: %d events, %v; want 500", len(ev), err)
	}
	run, err = db2.BeginImport(ctx, specOf("big.csv"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := run.Write(ctx, recordBatch(0, 0, 500, "big.csv"))
	if err != nil || c.Skipped != 1 {
		t.Fatalf("resumed batch: %+v, %v: want it skipped", c, err)
	}
	if err := run.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if got := indexesOf(t, raw2); !slices.Equal(got, datasetIndexes) {
		t.Fatalf("indexes after the resumed run %v, want %v", got, datasetIndexes)
	}
	var deferred int
	if err := raw2.QueryRow(`SELECT COUNT(*) FROM deferred_indexes`).Scan(&deferred); err != nil || deferred != 0 {
		t.Errorf("deferred_indexes holds %d rows (%v), want none", deferred, err)
	}
}

// The timeline's queries on dataset events use the indexes.
func TestDatasetQueryPlans(t *testing.T) {
	path := filepath.Join(t.TempDir(), "faultline.db")
	db := mustOpenPath(t, path)
	defer db.Close()
	raw := rawDB(t, path)
	for _, tt := range []struct{ query, index string }{
		{`SELECT * FROM dataset_events d WHERE (d.agent IN (1, 2) OR d.target IN (1, 2))`, "dataset_events_agent"},
		{`SELECT * FROM dataset_events d WHERE (d.agent IN (1, 2) OR d.target IN (1, 2))`, "dataset_events_target"},
		{`SELECT * FROM dataset_events d WHERE d.location IN (SELECT value FROM json_each('[1,2]'))`, "dataset_events_location"},
		{`SELECT * FROM dataset_events d WHERE d.date <= '2020-12-31' AND d.date >= '2020'`, "dataset_events_date"},
	} {
		rows, err := raw.Query(`EXPLAIN QUERY PLAN ` + tt.query)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			rows.Scan(&id, &parent, &notused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		if !strings.Contains(strings.Join(plan, "; "), tt.index) {
			t.Errorf("plan of %s: %v, want %s", tt.query, plan, tt.index)
		}
	}
}

// Deleting the file deletes its records.
func TestDatasetDeleteSource(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	defer db.Close()
	run, err := db.BeginImport(ctx, specOf("one.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := run.Write(ctx, recordBatch(0, 0, 20, "one.csv")); err != nil {
		t.Fatal(err)
	}
	if err := run.Close(ctx); err != nil {
		t.Fatal(err)
	}
	ev, err := db.Events(ctx, faultline.EventFilter{})
	if err != nil || len(ev) != 20 {
		t.Fatalf("%d events, %v: want 20", len(ev), err)
	}
	if err := db.DeleteSource(ctx, ev[0].Record.SourceID); err != nil {
		t.Fatal(err)
	}
	if ev, err = db.Events(ctx, faultline.EventFilter{}); err != nil || len(ev) != 0 {
		t.Fatalf("after deleting the file: %d events, %v; want none", len(ev), err)
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}
