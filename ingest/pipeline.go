package ingest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/faultline-osint/faultline"
	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
)

// Options tunes Run.
type Options struct {
	// Jobs is the number of parallel read-and-extract workers; 0 means
	// runtime.NumCPU(). Store writes always happen in one goroutine.
	Jobs int
	// Read is passed to the readers.
	Read ReadOptions
	// Meta is applied to every source of the run.
	Meta SourceMeta
	// Progress, when it is a terminal, shows a progress bar; nil or any
	// other writer shows none (logs are the record in scripts).
	Progress io.Writer
	// Log receives one line per file; nil discards.
	Log *slog.Logger
	// Stdin is read for the path "-"; nil means os.Stdin.
	Stdin io.Reader
	// Now, when set, stamps Source.IngestedAt; nil leaves it zero for the
	// store to stamp with its own clock.
	Now func() time.Time
}

// SourceMeta is what the analyst knows about a batch of documents that the
// files do not say. Empty fields keep what the reader found; Author, URL
// and Published, when set, override it.
type SourceMeta struct {
	Publisher string
	Author    string
	URL       string
	Published string
	// Reliability defaults to F, "cannot be judged": the honest grade for
	// a source nobody has assessed.
	Reliability faultline.Reliability
	// TLP defaults to clear: most ingested material is published open
	// source, and an analyst handling restricted material marks the batch
	// with --tlp. Defaulting to amber would mark public reports as
	// restricted and hide them from exports that filter on TLP.
	TLP faultline.TLP
}

// DefaultReliability and DefaultTLP are applied when SourceMeta leaves the
// fields empty.
const (
	DefaultReliability faultline.Reliability = "F"
	DefaultTLP         faultline.TLP         = faultline.TLPClear
)

// FileError is the failure of one file; the batch goes on without it.
type FileError struct {
	Path string
	Err  error
}

// Error returns "path: reason" on one line. Reader errors already start with
// the path; it is not repeated.
func (e FileError) Error() string {
	msg := "unknown error"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Path != "" && !strings.HasPrefix(msg, e.Path+": ") {
		msg = e.Path + ": " + msg
	}
	return strings.Join(strings.Fields(msg), " ")
}

// Unwrap returns the cause.
func (e FileError) Unwrap() error { return e.Err }

// Summary counts what a run did.
type Summary struct {
	Files      int // files collected, plus paths that could not be
	Ingested   int // documents stored
	Duplicates int // documents whose sha256 was already stored
	Failed     int // files that could not be read, extracted or stored
	Entities   int // new entities
	Mentions   int
	Claims     int
	Errors     []FileError // one per failed file, in input order
}

// Run ingests the files and directories in paths: each file is read and
// extracted by one of opt.Jobs workers, and stored with st.IngestDocument,
// one transaction per document, in input order, by a single goroutine (the
// store has one writer). A reorder buffer of 2×Jobs documents keeps the
// order without holding the whole batch in memory.
//
// A file that cannot be read or extracted, or that the store rejects as
// invalid (EINVALID) or conflicting (ECONFLICT), becomes a FileError in the
// summary and the batch goes on. Any other store error (a full disk, a
// locked or closed database) would fail every later document the same way:
// Run stops and returns it. When ctx is cancelled, Run finishes the
// document it is writing, stops, and returns the context's error; documents
// already committed stay committed. The summary is valid in every case.
func Run(ctx context.Context, st faultline.Store, ex faultline.Extractor, paths []string, opt Options) (Summary, error) {
	var sum Summary
	meta, err := opt.Meta.withDefaults()
	if err != nil {
		return sum, err
	}
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	stdin := opt.Stdin
	if stdin == nil {
		stdin = os.Stdin
	}

	files, cerrs := Collect(paths)
	sum.Files = len(files) + len(cerrs)
	for _, err := range cerrs {
		fe, ok := err.(FileError)
		if !ok {
			fe = FileError{Err: err}
		}
		sum.Failed++
		sum.Errors = append(sum.Errors, fe)
		log.Warn("ingest failed", "path", fe.Path, "err", fe.Error())
	}
	if len(files) == 0 {
		return sum, ctx.Err()
	}
	bar := newBar(opt.Progress, len(files))

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()

	type job struct {
		i    int
		path string
	}
	type result struct {
		i   int
		doc faultline.Document
		ext *faultline.Extraction
		err error
	}
	window := 2 * jobs
	slots := make(chan struct{}, window) // taken per dispatched file, freed once it is written
	jobc := make(chan job)
	results := make(chan result, window) // never blocks: at most window files are in flight

	go func() {
		defer close(jobc)
		for i, p := range files {
			select {
			case slots <- struct{}{}:
			case <-runCtx.Done():
				return
			}
			select {
			case jobc <- job{i, p}:
			case <-runCtx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range min(jobs, len(files)) {
		wg.Go(func() {
			for j := range jobc {
				doc, ext, err := readAndExtract(runCtx, ex, j.path, stdin, opt.Read)
				results <- result{j.i, doc, ext, err}
			}
		})
	}
	go func() { wg.Wait(); close(results) }()

	var fatal error
	pending := make(map[int]result, window)
	next := 0
	for r := range results {
		pending[r.i] = r
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-slots
			if fatal != nil || ctx.Err() != nil {
				continue // drain: the workers finish their file, nothing more is written
			}
			path := files[r.i]
			if r.err != nil {
				sum.fail(log, path, r.err)
				bar.Add(1)
				continue
			}
			src := newSource(r.doc, meta, opt.Now)
			// A document once started is finished: an interrupt takes effect
			// between documents, so the summary matches the store exactly.
			res, err := st.IngestDocument(context.WithoutCancel(ctx), src, r.ext)
			switch {
			case err == nil:
			case isFileFault(err):
				sum.fail(log, path, err)
				bar.Add(1)
				continue
			default:
				fatal = fmt.Errorf("ingest %s: %w", path, err)
				log.Error("store failed; stopping", "path", path, "err", err)
				cancel()
				continue
			}
			if res.Duplicate {
				sum.Duplicates++
				log.Info("duplicate", "path", path, "source_id", res.SourceID, "sha256", src.SHA256)
			} else {
				sum.Ingested++
				sum.Entities += res.NewEntities
				sum.Mentions += res.Mentions
				sum.Claims += res.Claims
				log.Info("ingested", "path", path, "source_id", res.SourceID, "format", src.Format,
					"chars", src.Chars, "new_entities", res.NewEntities, "mentions", res.Mentions, "claims", res.Claims)
			}
			bar.Add(1)
		}
	}
	bar.Finish()
	if fatal != nil {
		return sum, fatal
	}
	if err := ctx.Err(); err != nil {
		done := sum.Ingested + sum.Duplicates + sum.Failed
		log.Warn("ingest interrupted", "done", done, "files", sum.Files)
		return sum, fmt.Errorf("ingest interrupted after %d of %d files: %w", done, sum.Files, err)
	}
	return sum, nil
}

func (s *Summary) fail(log *slog.Logger, path string, err error) {
	fe := FileError{Path: path, Err: err}
	s.Failed++
	s.Errors = append(s.Errors, fe)
	log.Warn("ingest failed", "path", path, "err", fe.Error())
}

// isFileFault reports whether a store error is about the document itself
// (so the batch can go on) rather than about the store.
func isFileFault(err error) bool {
	switch faultline.ErrorCode(err) {
	case faultline.EINVALID, faultline.ECONFLICT:
		return true
	}
	return false
}

// readAndExtract is the workers' part: read one file and extract from it.
// The extractor is third-party to this package; a panic in it costs the
// file, not the run.
func readAndExtract(ctx context.Context, ex faultline.Extractor, path string, stdin io.Reader, ro ReadOptions) (doc faultline.Document, ext *faultline.Extraction, err error) {
	if err := ctx.Err(); err != nil {
		return doc, nil, err
	}
	if path == Stdin {
		doc, err = ReadFrom(Stdin, stdin, ro)
	} else {
		doc, err = ReadFile(ctx, path, ro)
	}
	if err != nil {
		return doc, nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			ext = nil
			err = faultline.Errorf(faultline.EINTERNAL, "%s: extractor failed: %v", path, r)
		}
	}()
	ext = ex.Extract(doc)
	if ext == nil {
		ext = faultline.NewExtraction(faultline.ExtractionDocument{})
	}
	// The store checks these against the source; fill what an extractor
	// left out rather than fail the file.
	if ext.Document.SHA256 == "" {
		ext.Document.SHA256 = doc.SHA256
	}
	if ext.Document.Chars == 0 {
		ext.Document.Chars = utf8.RuneCountInString(doc.Text)
	}
	if ext.Document.Path == "" && path != Stdin {
		ext.Document.Path = path
	}
	if ext.Document.Title == "" {
		ext.Document.Title = doc.Title
	}
	return doc, ext, nil
}

// newSource builds the stored source from a document and the batch's
// metadata.
func newSource(doc faultline.Document, meta SourceMeta, now func() time.Time) *faultline.Source {
	src := &faultline.Source{
		SHA256:      doc.SHA256,
		Title:       doc.Title,
		URL:         or(meta.URL, doc.URL),
		Publisher:   meta.Publisher,
		Author:      or(meta.Author, doc.Author),
		Published:   or(meta.Published, doc.Published),
		Path:        doc.Path,
		Format:      doc.Format,
		Reliability: meta.Reliability,
		TLP:         meta.TLP,
		Text:        doc.Text,
		Chars:       utf8.RuneCountInString(doc.Text),
	}
	if now != nil {
		src.IngestedAt = now().UTC()
	}
	if src.Path == Stdin {
		src.Path = "" // no file to point back to
	}
	return src
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// withDefaults fills the defaults and checks the analyst's values.
func (m SourceMeta) withDefaults() (SourceMeta, error) {
	if m.Reliability == "" {
		m.Reliability = DefaultReliability
	}
	if m.TLP == "" {
		m.TLP = DefaultTLP
	}
	r, err := faultline.ParseReliability(string(m.Reliability))
	if err != nil {
		return m, err
	}
	t, err := faultline.ParseTLP(string(m.TLP))
	if err != nil {
		return m, err
	}
	m.Reliability, m.TLP = r, t
	return m, nil
}

// bar is a progress bar or nothing.
type bar struct{ pb *progressbar.ProgressBar }

// newBar shows a bar only on a terminal: in a pipe or a log file its
// redraws are noise.
func newBar(w io.Writer, n int) bar {
	f, ok := w.(interface{ Fd() uintptr })
	if w == nil || !ok || !(isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return bar{}
	}
	return bar{progressbar.NewOptions(n,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("ingest"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

func (b bar) Add(n int) {
	if b.pb != nil {
		_ = b.pb.Add(n)
	}
}

func (b bar) Finish() {
	if b.pb != nil {
		_ = b.pb.Finish()
	}
}
