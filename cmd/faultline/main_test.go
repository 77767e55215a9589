package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	faultline "github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/extract"
	"github.com/faultline-osint/faultline/sqlite"
)

// cli runs the command in-process and returns exit code, stdout, stderr.
func cli(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func openDB(t *testing.T, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestIngestQueryMergeAlias(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	a := writeFile(t, dir, "a.txt", []byte("The Islamic State Khorasan Province (ISKP) attacked a market in Mastung. Interior Minister Mohsin Naqvi condemned it.\n"))
	b := writeFile(t, dir, "b.md", []byte("# Note\n\nIS-K fighters were seen near Quetta, according to local officials.\n"))

	code, out, stderr := cli(t, "", "--db", db, "ingest", a, b, "--publisher", "ORF", "--reliability", "b", "--tlp", "amber")
	if code != 0 {
		t.Fatalf("ingest exit %d: %s %s", code, out, stderr)
	}
	// Re-ingesting the same content changes nothing.
	code, out, _ = cli(t, "", "--db", db, "ingest", a, "--json")
	var sum struct{ Ingested, Duplicates int }
	if err := json.Unmarshal([]byte(out), &sum); err != nil || code != 0 || sum.Duplicates != 1 || sum.Ingested != 0 {
		t.Fatalf("re-ingest: code %d summary %s", code, out)
	}

	code, out, _ = cli(t, "", "--db", db, "entity", "ISKP", "--json")
	var p faultline.EntityProfile
	if err := json.Unmarshal([]byte(out), &p); err != nil || code != 0 {
		t.Fatalf("entity ISKP: exit %d, %s", code, out)
	}
	if p.Type != faultline.ArmedGroup || len(p.Sources) != 2 {
		t.Errorf("ISKP profile: type %s, %d sources; want armed_group in both documents (IS-K is a dictionary alias)", p.Type, len(p.Sources))
	}
	if p.Sources[0].Reliability != "B" || p.Sources[0].TLP != faultline.TLPAmber || p.Sources[0].Publisher != "ORF" {
		t.Errorf("source metadata: %+v", p.Sources[0].Source)
	}

	code, out, _ = cli(t, "", "--db", db, "search", "Mastung", "--json")
	if code != 0 || !strings.Contains(out, "Mastung") {
		t.Errorf("search Mastung: exit %d %s", code, out)
	}
	for _, args := range [][]string{{"sources"}, {"stats"}, {"entities", "--type", "person"}, {"sources", "--json"}, {"stats", "--json"}} {
		if code, out, errs := cli(t, "", append([]string{"--db", db}, args...)...); code != 0 || out == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}

	// Analyst decisions: an alias makes later documents resolve to the entity.
	if code, _, e := cli(t, "", "--db", db, "alias", "add", "Mohsin Naqvi", "the interior minister Naqvi"); code != 0 {
		t.Fatalf("alias add: %s", e)
	}
	if code, _, e := cli(t, "", "--db", db, "merge", "Quetta", "Mastung"); code != 0 {
		t.Fatalf("merge: %s", e)
	}
	code, out, _ = cli(t, "", "--db", db, "entity", "Quetta", "--json")
	if code != 0 || !strings.Contains(out, "Mastung") {
		t.Errorf("after merge, Quetta should resolve to Mastung: %s", out)
	}
	if code, _, e := cli(t, "", "--db", db, "unmerge", "Quetta"); code != 0 {
		t.Fatalf("unmerge: %s", e)
	}
	code, out, _ = cli(t, "", "--db", db, "entity", "Quetta", "--json")
	if err := json.Unmarshal([]byte(out), &p); err != nil || code != 0 || p.Name != "Quetta" {
		t.Errorf("after unmerge, Quetta is itself again: %s", out)
	}
	if code, _, _ := cli(t, "", "--db", db, "entity", "No Such Group"); code != 1 {
		t.Errorf("unknown entity: exit %d, want 1", code)
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	a := writeFile(t, dir, "a.txt", []byte("The TTP attacked Bannu.\n"))
	for _, args := range [][]string{
		{"ingest"},
		{"ingest", a, "--reliability", "Z"},
		{"ingest", a, "--tlp", "purple"},
		{"ingest", a, "--max-size", "lots"},
		{"entity"},
		{"--no-such-flag"},
	} {
		code, _, stderr := cli(t, "", append([]string{"--db", db}, args...)...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, stderr)
		}
		if n := strings.Count(strings.TrimSpace(stderr), "\n"); stderr == "" || n > 0 && !strings.Contains(stderr, "Usage") {
			t.Errorf("%v: want one clear line on stderr, got %q", args, stderr)
		}
	}
	if code, _, stderr := cli(t, "", "--db", filepath.Join(dir, "missing.db"), "stats"); code != 1 || !strings.Contains(stderr, "missing.db") {
		t.Errorf("stats on a missing database: exit %d, stderr %q", code, stderr)
	}
}

// TestBadInputBatch: every bad file gets one line naming it, the good files
// go in, the exit status is 1, and the database passes its integrity check.
func TestBadInputBatch(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(filepath.Join(in, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, in, "good1.txt", []byte("Jaish al-Adl attacked a police station in Rask, Iran.\n"))
	writeFile(t, filepath.Join(in, "sub"), "good2.md", []byte("# Brief\n\nThe Baloch Liberation Army (BLA) hijacked a train.\n"))
	writeFile(t, in, "good3.html", []byte("<html><head><title>TTP</title></head><body><nav>Home | About</nav><article><p>The Tehrik-e-Taliban Pakistan (TTP) ended its ceasefire in November 2022, and its fighters attacked police posts across Khyber Pakhtunkhwa in the following weeks.</p><p>Officials in Islamabad blamed sanctuaries in Afghanistan for the surge in violence, and the Interior Ministry said that the group's leadership had found shelter across the border in Kunar and Nuristan, where the Taliban authorities deny any presence.</p><p>Police in Bannu, Lakki Marwat and Dera Ismail Khan reported the heaviest losses, with dozens of officers killed in attacks on checkpoints and stations during the winter months.</p></article></body></html>"))
	bad := map[string][]byte{
		"empty.txt":   {},
		"binary.txt":  {0x7f, 'E', 'L', 'F', 0, 0, 1, 2, 0, 3},
		"latin1.txt":  []byte("Caf\xe9 in Quetta\n"),
		"broken.pdf":  []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage"),
		"big.txt":     bytes.Repeat([]byte("word "), 3000),
		"nohtml.html": []byte("<html><body><script>var x=1;</script></body></html>"),
	}
	for name, data := range bad {
		writeFile(t, in, name, data)
	}
	unreadable := writeFile(t, in, "secret.txt", []byte("The TTP.\n"))
	if err := os.Chmod(unreadable, 0); err != nil {
		t.Fatal(err)
	}
	wantBad, wantGood := len(bad), 3
	if os.Geteuid() != 0 {
		wantBad++
	} else {
		wantGood++ // root reads a file whatever its mode
	}
	db := filepath.Join(dir, "f.db")
	code, out, stderr := cli(t, "", "--db", db, "ingest", in, filepath.Join(dir, "nonexistent"), "--max-size", "10KB")
	wantBad++ // the nonexistent path
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != wantBad {
		t.Errorf("got %d stderr lines, want %d:\n%s", len(lines), wantBad, stderr)
	}
	for name := range bad {
		if !strings.Contains(stderr, name) {
			t.Errorf("no error line names %s:\n%s", name, stderr)
		}
	}
	if !strings.Contains(stderr, "nonexistent") {
		t.Errorf("no error line names the missing path:\n%s", stderr)
	}
	st := openDB(t, db)
	srcs, err := st.Sources(context.Background(), faultline.SourceFilter{})
	if err != nil || len(srcs) != wantGood {
		t.Errorf("got %d sources (%v), want the %d good files; stdout %s", len(srcs), err, wantGood, out)
	}
	if err := st.IntegrityCheck(context.Background()); err != nil {
		t.Errorf("integrity check: %v", err)
	}
}

func TestStdinAndExtract(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	code, _, stderr := cli(t, "Lashkar-e-Taiba (LeT) was founded in Kunar.\n", "--db", db, "ingest", "-")
	if code != 0 {
		t.Fatalf("ingest -: %s", stderr)
	}
	a := writeFile(t, dir, "a.txt", []byte("The Haqqani network operates from North Waziristan.\n"))
	code, out, _ := cli(t, "", "extract", a)
	var ext faultline.Extraction
	if err := json.Unmarshal([]byte(out), &ext); err != nil || code != 0 || ext.Format != faultline.ExtractionFormat || len(ext.Entities) < 2 {
		t.Fatalf("extract one file: exit %d %s", code, out)
	}
	code, out, _ = cli(t, "", "extract", a, a)
	var exts []faultline.Extraction
	if err := json.Unmarshal([]byte(out), &exts); err != nil || code != 0 || len(exts) != 2 {
		t.Fatalf("extract two files should print an array: %s", out)
	}
	code, out, _ = cli(t, "", "extract", "--jsonl", a, a)
	if code != 0 || strings.Count(out, "\n") != 2 {
		t.Fatalf("--jsonl: %q", out)
	}
}

// TestKilledMidBatch kills an ingest process with SIGKILL part-way through
// a batch: the documents already committed stay whole, nothing partial
// remains, and running the batch again completes it.
func TestKilledMidBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a process")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "faultline")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	in := filepath.Join(dir, "batch")
	os.MkdirAll(in, 0o755)
	const n = 1500 // several seconds of work, so the kill lands mid-batch
	groups := []string{"Tehrik-e-Taliban Pakistan (TTP)", "the Baloch Liberation Army (BLA)", "Lashkar-e-Taiba (LeT)", "the Haqqani network", "Jaish al-Adl"}
	places := []string{"Quetta", "Peshawar", "Bannu", "Kabul", "Zahedan", "Mastung"}
	for i := 0; i < n; i++ {
		var b strings.Builder
		for k := 0; k < 20; k++ {
			fmt.Fprintf(&b, "Report %d: fighters of %s struck near %s, according to Interior Minister Mohsin Naqvi. ", i, groups[(i+k)%len(groups)], places[(i*k)%len(places)])
		}
		writeFile(t, in, fmt.Sprintf("r%03d.txt", i), []byte(b.String()))
	}
	db := filepath.Join(dir, "f.db")
	cmd := exec.Command(bin, "--db", db, "ingest", in, "--jobs", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until some documents are committed, then kill.
	deadline := time.Now().Add(60 * time.Second)
	for {
		time.Sleep(10 * time.Millisecond)
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no document committed within 60s")
		}
		st, err := sqlite.Open(context.Background(), db)
		if err != nil {
			continue
		}
		s, err := st.Stats(context.Background())
		st.Close()
		if err == nil && s.Sources >= 5 {
			break
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	st := openDB(t, db)
	ctx := context.Background()
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Fatalf("integrity after kill: %v", err)
	}
	srcs, err := st.Sources(ctx, faultline.SourceFilter{WithText: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) == 0 || len(srcs) >= n {
		t.Fatalf("%d sources after the kill; want some but not all of %d", len(srcs), n)
	}
	// Every stored document is whole: its mentions are all there.
	x, err := extract.New(extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, s := range srcs {
		for _, e := range x.Extract(faultline.Document{Text: s.Text}).Entities {
			want += len(e.Mentions)
		}
	}
	stats, _ := st.Stats(ctx)
	if stats.Mentions != want {
		t.Errorf("%d mentions stored for %d sources, want %d: a document was half written", stats.Mentions, len(srcs), want)
	}
	st.Close()

	out, err := exec.Command(bin, "--db", db, "ingest", in, "--json").Output()
	if err != nil {
		t.Fatalf("re-run: %v", err)
	}
	var sum struct{ Ingested, Duplicates, Failed int }
	json.Unmarshal(out, &sum)
	if sum.Ingested+sum.Duplicates != n || sum.Duplicates != len(srcs) || sum.Failed != 0 {
		t.Errorf("re-run summary %s; want %d duplicates and the rest ingested", out, len(srcs))
	}
}
