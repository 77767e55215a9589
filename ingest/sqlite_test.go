package ingest_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/ingest"
	"github.com/faultline-osint/faultline/sqlite"
)

// TestRunSQLite runs the pipeline against the real store: the testdata
// fixtures go in once, and a second run finds them all stored.
func TestRunSQLite(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "faultline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pdf := writePDF(t, "monitoring.pdf", makePDF("Ceasefire Monitoring Report, May", pdfPage1, pdfPage2))
	paths := []string{"testdata/report.txt", "testdata/brief.md", "testdata/article.html", pdf, "testdata/corrupt/hang-hexpair.pdf"}

	sum, err := ingest.Run(ctx, db, stubExtractor{}, paths, ingest.Options{Jobs: 2, Meta: ingest.SourceMeta{TLP: "green"}})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if sum.Ingested != 4 || sum.Failed != 1 || sum.Duplicates != 0 {
		t.Errorf("first run: %+v, want 4 ingested, 1 failed", sum)
	}
	sum, err = ingest.Run(ctx, db, stubExtractor{}, paths[:4], ingest.Options{})
	if err != nil {
		t.Fatalf("Run again: %v", err)
	}
	if sum.Duplicates != 4 || sum.Ingested != 0 {
		t.Errorf("second run: %+v, want 4 duplicates", sum)
	}
	srcs, err := db.Sources(ctx, faultline.SourceFilter{WithText: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 4 {
		t.Fatalf("%d sources stored, want 4", len(srcs))
	}
	for _, s := range srcs {
		if s.TLP != faultline.TLPGreen || s.Reliability != "F" || s.Text == "" || s.IngestedAt.IsZero() {
			t.Errorf("source %q: tlp %q, reliability %q, %d chars, ingested %v", s.Path, s.TLP, s.Reliability, s.Chars, s.IngestedAt)
		}
	}
}
