package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/faultline-osint/faultline/sqlite"
)

// shared locates a file of ../shared (beside the checkout), or skips.
func shared(tb testing.TB, rel string) string {
	tb.Helper()
	for _, base := range []string{"../../shared", "../shared"} {
		p := filepath.Join(base, rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	tb.Skipf("../shared/%s is absent (CI has it beside the checkout); skipping", rel)
	return ""
}

// mustOpen opens an empty database in a temporary directory.
func mustOpen(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "faultline.db"))
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}
