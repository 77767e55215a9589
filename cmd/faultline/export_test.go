package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faultline-osint/faultline/export"
	"github.com/faultline-osint/faultline/export/exporttest"
)

// TestExportTLPMax exports every format with --tlp-max green from a
// database holding amber and red reports and finds none of their text,
// names or markings; without the limit the same strings are there.
func TestExportTLPMax(t *testing.T) {
	db := exporttest.Create(t)
	outputs := func(extra ...string) map[string]string {
		out := map[string]string{}
		for _, f := range []string{"stix", "graphml", "gexf", "geojson"} {
			code, stdout, stderr := cli(t, "", append([]string{"--db", db, "export", "--format", f}, extra...)...)
			if code != 0 {
				t.Fatalf("export --format %s %v: exit %d: %s", f, extra, code, stderr)
			}
			out[f] = stdout
		}
		for _, table := range export.Tables {
			code, stdout, stderr := cli(t, "", append([]string{"--db", db, "export", "--format", "csv", "--table", table}, extra...)...)
			if code != 0 {
				t.Fatalf("export csv %s: exit %d: %s", table, code, stderr)
			}
			out["csv "+table] = stdout
		}
		return out
	}
	green := outputs("--tlp-max", "green")
	for f, text := range green {
		for _, secret := range exporttest.Secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%s export with --tlp-max green contains %q", f, secret)
			}
		}
	}
	if !strings.Contains(green["stix"], "ISKP in Balochistan") || !strings.Contains(green["csv claims"], "Pakistani forces raided") {
		t.Errorf("green export lacks the green report")
	}
	all := outputs()
	var joined strings.Builder
	for _, text := range all {
		joined.WriteString(text)
	}
	for _, secret := range exporttest.Secrets {
		if !strings.Contains(joined.String(), secret) {
			t.Errorf("unrestricted export lacks %q: the test would not see a leak", secret)
		}
	}
	// TLP:AMBER in the TLP 1.0 spelling is refused the same way as any
	// unknown marking.
	code, _, stderr := cli(t, "", "--db", db, "export", "--format", "stix", "--tlp-max", "purple")
	wantFail(t, code, stderr, 2, `--tlp-max "purple"`)
}

func TestExportFilesAndErrors(t *testing.T) {
	db := exporttest.Create(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "graph.gexf")
	if code, _, stderr := cli(t, "", "--db", db, "export", "--format", "gexf", "-o", out); code != 0 {
		t.Fatalf("export -o: exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(out); err != nil || !strings.Contains(string(b), "<gexf") {
		t.Errorf("-o %s: %v, %.80q", out, err, b)
	}
	csvDir := filepath.Join(dir, "tables")
	if code, _, stderr := cli(t, "", "--db", db, "export", "--format", "csv", "-o", csvDir); code != 0 {
		t.Fatalf("export csv -o: exit %d: %s", code, stderr)
	}
	for _, table := range export.Tables {
		if _, err := os.Stat(filepath.Join(csvDir, table+".csv")); err != nil {
			t.Errorf("csv table: %v", err)
		}
	}
	// The neighbourhood of the leader, one hop: the leader and ISKP.
	code, graph, stderr := cli(t, "", "--db", db, "export", "--format", "graphml", "--entity", "Shahab al-Muhajir", "--hops", "1")
	if code != 0 {
		t.Fatalf("export --entity: exit %d: %s", code, stderr)
	}
	if n := strings.Count(graph, "<node "); n != 2 || strings.Count(graph, "<edge ") != 1 {
		t.Errorf("1 hop of the leader: %d nodes, %d edges; want 2, 1", n, strings.Count(graph, "<edge "))
	}
	// Same bytes twice.
	_, a, _ := cli(t, "", "--db", db, "export", "--format", "stix", "--since", "2025-04")
	_, b, _ := cli(t, "", "--db", db, "export", "--format", "stix", "--since", "2025-04")
	if a != b || a == "" {
		t.Errorf("two exports differ")
	}

	for _, tt := range []struct {
		name, want string
		args       []string
	}{
		{"no format", "--format is required", []string{"export"}},
		{"unknown format", `--format "pdf"`, []string{"export", "--format", "pdf"}},
		{"bad date", `--since "2025-13-01"`, []string{"export", "--format", "stix", "--since", "2025-13-01"}},
		{"words for a date", `--since "last week"`, []string{"export", "--format", "csv", "--table", "claims", "--since", "last week"}},
		{"unknown entity", `"Nobody At All"`, []string{"export", "--format", "stix", "--entity", "Nobody At All"}},
		{"csv to stdout without a table", "-o DIR", []string{"export", "--format", "csv"}},
		{"unknown table", `--table "people"`, []string{"export", "--format", "csv", "--table", "people"}},
		{"table for stix", "--table is for --format csv", []string{"export", "--format", "stix", "--table", "claims"}},
		{"hops without entity", "--hops needs --entity", []string{"export", "--format", "stix", "--hops", "3"}},
		{"negative hops", "--hops -1", []string{"export", "--format", "stix", "--entity", "ISKP", "--hops", "-1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, "", append([]string{"--db", db}, tt.args...)...)
			wantFail(t, code, stderr, 2, tt.want)
			if strings.Count(strings.TrimSpace(stderr), "\n") != 0 || stdout != "" {
				t.Errorf("want one line on stderr and nothing on stdout; got %q, %q", stderr, stdout)
			}
		})
	}
}
