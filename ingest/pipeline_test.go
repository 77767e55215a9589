package ingest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/ingest"
)

// recordingStore is a fake faultline.Store that records what the pipeline
// writes, for tests that run before the sqlite store exists. Only
// IngestDocument and Close are implemented; the embedded nil interface makes
// any other call panic, which a test would notice.
type recordingStore struct {
	faultline.Store

	mu      sync.Mutex
	writers int // goroutines inside IngestDocument right now
	maxW    int
	sources []*faultline.Source
	exts    []*faultline.Extraction
	seen    map[string]int64
	// fail, when set, decides the error for a source; after, when set, runs
	// after each successful write (n writes so far).
	fail  func(src *faultline.Source) error
	after func(n int)
}

func (s *recordingStore) IngestDocument(ctx context.Context, src *faultline.Source, ext *faultline.Extraction) (faultline.IngestResult, error) {
	s.mu.Lock()
	s.writers++
	s.maxW = max(s.maxW, s.writers)
	s.mu.Unlock()
	time.Sleep(time.Millisecond) // widen the window in which a second writer would show
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writers--
	if err := ctx.Err(); err != nil {
		return faultline.IngestResult{}, err
	}
	if s.fail != nil {
		if err := s.fail(src); err != nil {
			return faultline.IngestResult{}, err
		}
	}
	if err := src.Validate(); err != nil {
		return faultline.IngestResult{}, err
	}
	if s.seen == nil {
		s.seen = map[string]int64{}
	}
	if id, ok := s.seen[src.SHA256]; ok {
		return faultline.IngestResult{SourceID: id, Duplicate: true}, nil
	}
	s.sources = append(s.sources, src)
	s.exts = append(s.exts, ext)
	id := int64(len(s.sources))
	s.seen[src.SHA256] = id
	if s.after != nil {
		s.after(len(s.sources))
	}
	return faultline.IngestResult{SourceID: id, NewEntities: 1, Mentions: 2, Claims: 3}, nil
}

func (s *recordingStore) Close() error { return nil }

func (s *recordingStore) paths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, src := range s.sources {
		out = append(out, filepath.Base(src.Path))
	}
	return out
}

// stubExtractor returns an empty extraction carrying the document's sha256
// and length. delay, when set, slows documents down so that workers finish
// out of order.
type stubExtractor struct {
	delay func(doc faultline.Document) time.Duration
	panic string // a document whose text contains it makes Extract panic
}

func (x stubExtractor) Extract(doc faultline.Document) *faultline.Extraction {
	if x.delay != nil {
		time.Sleep(x.delay(doc))
	}
	if x.panic != "" && strings.Contains(doc.Text, x.panic) {
		panic("extractor bug")
	}
	return faultline.NewExtraction(faultline.ExtractionDocument{
		Path: doc.Path, SHA256: doc.SHA256, Title: doc.Title, Chars: utf8.RuneCountInString(doc.Text),
	})
}

// writeFiles writes name → content into a new directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestRun(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"01.txt":       "First report\nThe Valley Brigades crossed the river.",
		"02.md":        "# Second\n\nGroups met in the capital — ünïcode counts as runes.",
		"03-empty.txt": "",
		"04.txt":       "First report\nThe Valley Brigades crossed the river.", // duplicate of 01
		"05.bin":       "\x00\x01binary",
		"06.txt":       "Sixth\nreport",
	})
	st := &recordingStore{}
	var logs bytes.Buffer
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	sum, err := ingest.Run(context.Background(), st, stubExtractor{}, []string{dir, filepath.Join(dir, "missing.txt")}, ingest.Options{
		Jobs: 3,
		Meta: ingest.SourceMeta{Publisher: "Regional Desk"},
		Log:  slog.New(slog.NewTextHandler(&logs, nil)),
		Now:  func() time.Time { return now },
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	want := ingest.Summary{Files: 6, Ingested: 3, Duplicates: 1, Failed: 2, Entities: 3, Mentions: 6, Claims: 9}
	got := sum
	got.Errors = nil
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("summary = %+v, want %+v", got, want)
	}
	// 05.bin is in the directory but not a supported extension: skipped.
	if got, want := strings.Join(st.paths(), ","), "01.txt,02.md,06.txt"; got != want {
		t.Errorf("stored %s, want %s", got, want)
	}
	var errs []string
	for _, e := range sum.Errors {
		errs = append(errs, e.Error())
	}
	wantErrs := []string{
		filepath.Join(dir, "missing.txt") + ": no such file or directory",
		filepath.Join(dir, "03-empty.txt") + ": empty file",
	}
	if strings.Join(errs, "\n") != strings.Join(wantErrs, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(errs, "\n"), strings.Join(wantErrs, "\n"))
	}
	src := st.sources[1]
	if src.Reliability != "F" || src.TLP != faultline.TLPClear || src.Publisher != "Regional Desk" {
		t.Errorf("source meta = %q %q %q, want F clear Regional Desk", src.Reliability, src.TLP, src.Publisher)
	}
	if got, want := src.Chars, utf8.RuneCountInString(src.Text); got != want || got == len(src.Text) {
		t.Errorf("chars = %d, want the rune count %d (bytes %d)", got, want, len(src.Text))
	}
	if src.Title != "Second" || src.Format != "md" || !src.IngestedAt.Equal(now) {
		t.Errorf("source = %q %q %v", src.Title, src.Format, src.IngestedAt)
	}
	if st.exts[1].Document.SHA256 != src.SHA256 {
		t.Error("extraction and source disagree on sha256")
	}
	if !strings.Contains(logs.String(), "empty file") {
		t.Errorf("log lacks the failure:\n%s", logs.String())
	}
}

func TestRunOrderAndSingleWriter(t *testing.T) {
	files := map[string]string{}
	var paths []string
	for i := range 40 {
		name := fmt.Sprintf("doc%02d.txt", i)
		files[name] = fmt.Sprintf("Document %d\nbody %d", i, i)
	}
	dir := writeFiles(t, files)
	for i := 39; i >= 0; i-- { // input order, not lexical order, decides
		paths = append(paths, filepath.Join(dir, fmt.Sprintf("doc%02d.txt", i)))
	}
	st := &recordingStore{}
	slow := stubExtractor{delay: func(doc faultline.Document) time.Duration {
		// Early inputs are slowest, so workers finish in reverse.
		var n int
		fmt.Sscanf(doc.Title, "Document %d", &n)
		return time.Duration(n%7) * time.Millisecond
	}}
	sum, err := ingest.Run(context.Background(), st, slow, paths, ingest.Options{Jobs: 8})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Ingested != 40 {
		t.Fatalf("ingested %d, want 40", sum.Ingested)
	}
	for i, p := range st.paths() {
		if want := filepath.Base(paths[i]); p != want {
			t.Fatalf("write %d is %s, want %s (input order)", i, p, want)
		}
	}
	if st.maxW != 1 {
		t.Errorf("%d concurrent store writers, want 1", st.maxW)
	}
}

func TestRunFileFaultsAndFatal(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"a.txt": "alpha", "b.txt": "bravo reject", "c.txt": "charlie panic", "d.txt": "delta fatal", "e.txt": "echo",
	})
	paths := []string{"a.txt", "b.txt", "c.txt", "d.txt", "e.txt"}
	for i := range paths {
		paths[i] = filepath.Join(dir, paths[i])
	}
	boom := errors.New("disk I/O error")
	st := &recordingStore{fail: func(src *faultline.Source) error {
		switch {
		case strings.Contains(src.Text, "reject"):
			return faultline.Errorf(faultline.EINVALID, "source %q: rejected", src.Path)
		case strings.Contains(src.Text, "fatal"):
			return boom
		}
		return nil
	}}
	sum, err := ingest.Run(context.Background(), st, stubExtractor{panic: "panic"}, paths, ingest.Options{Jobs: 2})
	if !errors.Is(err, boom) {
		t.Fatalf("error = %v, want the store's error", err)
	}
	if got, want := strings.Join(st.paths(), ","), "a.txt"; got != want {
		t.Errorf("stored %s, want %s: nothing after the fatal error", got, want)
	}
	if sum.Ingested != 1 || sum.Failed != 2 {
		t.Errorf("summary = %+v, want 1 ingested, 2 failed (reject, extractor panic)", sum)
	}
	if len(sum.Errors) == 2 && !strings.Contains(sum.Errors[1].Error(), "extractor failed") {
		t.Errorf("second error = %q, want the extractor's panic", sum.Errors[1].Error())
	}
}

func TestRunCancel(t *testing.T) {
	files := map[string]string{}
	var paths []string
	for i := range 20 {
		name := fmt.Sprintf("doc%02d.txt", i)
		files[name] = fmt.Sprintf("Document %d", i)
		paths = append(paths, name)
	}
	dir := writeFiles(t, files)
	for i := range paths {
		paths[i] = filepath.Join(dir, paths[i])
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := &recordingStore{after: func(n int) {
		if n == 3 {
			cancel() // SIGINT during the third document's commit
		}
	}}
	sum, err := ingest.Run(ctx, st, stubExtractor{}, paths, ingest.Options{Jobs: 4})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if got := len(st.paths()); got != 3 {
		t.Errorf("%d documents committed, want 3", got)
	}
	if sum.Ingested != 3 || sum.Failed != 0 || sum.Files != 20 {
		t.Errorf("summary = %+v, want 3 ingested of 20, no failures", sum)
	}
}

func TestRunStdinAndMeta(t *testing.T) {
	st := &recordingStore{}
	sum, err := ingest.Run(context.Background(), st, stubExtractor{}, []string{"-"}, ingest.Options{
		Stdin: strings.NewReader("Piped report\nfrom another tool"),
		Meta: ingest.SourceMeta{Reliability: "b", TLP: "TLP:AMBER", Author: "Analyst", URL: "https://example.org/r",
			Published: "2024-03"},
	})
	if err != nil || sum.Ingested != 1 {
		t.Fatalf("Run = %+v, %v", sum, err)
	}
	src := st.sources[0]
	if src.Reliability != "B" || src.TLP != faultline.TLPAmber || src.Author != "Analyst" ||
		src.URL != "https://example.org/r" || src.Published != "2024-03" || src.Title != "Piped report" || src.Path != "" {
		t.Errorf("source = %+v", src)
	}
}

func TestRunInvalidMeta(t *testing.T) {
	for _, meta := range []ingest.SourceMeta{{Reliability: "G"}, {TLP: "purple"}} {
		_, err := ingest.Run(context.Background(), &recordingStore{}, stubExtractor{}, []string{"testdata"}, ingest.Options{Meta: meta})
		if faultline.ErrorCode(err) != faultline.EINVALID {
			t.Errorf("meta %+v: error = %v, want EINVALID", meta, err)
		}
	}
}

func TestFileErrorOneLine(t *testing.T) {
	e := ingest.FileError{Path: "x.pdf", Err: errors.New("bad\nthing")}
	if got, want := e.Error(), "x.pdf: bad thing"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	e = ingest.FileError{Path: "x.pdf", Err: faultline.Errorf(faultline.EINVALID, "x.pdf: empty file")}
	if got, want := e.Error(), "x.pdf: empty file"; got != want {
		t.Errorf("Error() = %q, want %q (path once)", got, want)
	}
}
