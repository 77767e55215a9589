// Package importer reads the exchange formats conflict analysts already
// use into Faultline's store: STIX 2.1 bundles, UCDP GED and ACLED event
// tables (CSV), the UN Security Council consolidated sanctions list (XML)
// and the OFAC SDN list (the legacy sdn.csv, alt.csv and add.csv trio).
//
// Each reader turns its input into batches of sources, entities, claims and
// dataset events (faultline.ImportBatch) that the store writes through
// faultline.ImportService, one transaction per batch, while the next batch
// is parsed on another goroutine. Batches are numbered by their position
// in the file, so that running the same import again skips the batches
// already stored: an import that failed half-way is resumed by running it
// again.
//
// The event datasets (UCDP GED, ACLED) become dataset events: one compact
// record per row, whose source is the file (one source per file, with the
// reliability and TLP of the import) and which keeps its line and its own
// sourcing. STIX bundles and sanctions lists become sources, entities and
// claims as a document's extraction does.
//
// Bad input is handled as follows. A malformed CSV row (a broken quote, the
// wrong number of fields, a value that does not parse) is reported with its
// line number and skipped, and the import goes on. Input that cannot be
// trusted as a whole is refused before anything is written: invalid JSON, a
// STIX object that refers to an object the bundle does not hold (a
// dangling reference), XML that declares entities (the "billion laughs"
// expansion) or refers to external ones.
//
// Entities are resolved as the extractor resolves names in prose: a list
// record whose UN, OFAC or UCDP id the bundled dictionary knows takes the
// dictionary entry's key (so that a report's "IS-K" and the UN's
// "ISIL-K" meet on one entity), places are matched to the gazetteer by
// name, country and distance, and the store then resolves keys, external
// ids and names against what it holds.
package importer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/dictionary"
	"github.com/faultline-osint/faultline/gazetteer"
)

// Formats lists the formats Import reads, as the --format flag names them.
var Formats = []string{"stix", "ucdp", "acled", "unsc", "ofac"}

// Options configures an import.
type Options struct {
	// Reliability is the Admiralty grade of the sources an import creates
	// (default B: usually reliable, as UCDP and ACLED are).
	Reliability faultline.Reliability
	// TLP marks the sources an import creates (default clear: the
	// datasets are public).
	TLP faultline.TLP
	// Dictionary and Gazetteer resolve actors and places; nil leaves
	// resolution to the store's rules alone.
	Dictionary *dictionary.Dictionary
	Gazetteer  *gazetteer.Gazetteer
	// BatchSize overrides the number of input records per batch (CSV
	// rows, list records). It is part of what makes a re-run skip stored
	// batches, so a resumed import must use the same value.
	BatchSize int
	// Files gives the companion files of a format by role: for ofac,
	// "alt" and "add" (default: alt.csv and add.csv beside sdn.csv).
	Files map[string]string
	// Progress, when set, is called after each stored batch with the
	// records read so far.
	Progress func(records int)
}

func (o *Options) defaults() {
	if o.Reliability == "" {
		o.Reliability = "B"
	}
	if o.TLP == "" {
		o.TLP = faultline.TLPClear
	}
}

// RowError is an input record that was reported and skipped.
type RowError struct {
	Line   int    `json:"line"` // 1-based line where the record starts; 0 when unknown
	Record string `json:"record,omitempty"`
	Reason string `json:"reason"`
}

func (e RowError) String() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	if e.Record != "" {
		return fmt.Sprintf("%s: %s", e.Record, e.Reason)
	}
	return e.Reason
}

// maxRowErrors bounds the malformed rows a summary lists one by one; the
// rest are counted.
const maxRowErrors = 1000

// Summary says what an import read and stored.
type Summary struct {
	Format string `json:"format"`
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	// Records counts the input records read: CSV data rows, list
	// records, STIX objects.
	Records int `json:"records"`
	// Imported counts the records that became entities, claims or raw
	// objects.
	Imported int `json:"imported"`
	// Malformed counts the records reported and skipped as malformed;
	// Errors lists the first of them with their line numbers.
	Malformed int        `json:"malformed"`
	Errors    []RowError `json:"errors,omitempty"`
	// Excluded counts well-formed records left out, by reason (a vessel
	// in the SDN list, an ACLED protest, which no Faultline event type
	// describes).
	Excluded map[string]int `json:"excluded,omitempty"`
	// Unknown counts the STIX objects of types Faultline has no model
	// for, by type; they are kept verbatim as raw objects.
	Unknown map[string]int `json:"unknown_types,omitempty"`
	// Notes are remarks on the input as a whole ("a STIX 2.0 bundle").
	Notes []string `json:"notes,omitempty"`
	faultline.ImportCounts
	Elapsed       time.Duration `json:"elapsed_ns"`
	RecordsPerSec float64       `json:"records_per_second"`
}

func newSummary(format, file string) *Summary {
	return &Summary{Format: format, File: file, Excluded: map[string]int{}, Unknown: map[string]int{}}
}

// malformed records a skipped row.
func (s *Summary) malformed(line int, record, format string, args ...any) {
	s.Malformed++
	if len(s.Errors) < maxRowErrors {
		s.Errors = append(s.Errors, RowError{Line: line, Record: record, Reason: fmt.Sprintf(format, args...)})
	}
}

func (s *Summary) exclude(reason string) { s.Excluded[reason]++ }

// String is the one-paragraph report the CLI prints.
func (s *Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d records, %d imported, %d malformed", s.Format, s.File, s.Records, s.Imported, s.Malformed)
	for _, k := range sortedKeys(s.Excluded) {
		fmt.Fprintf(&b, ", %d left out (%s)", s.Excluded[k], k)
	}
	fmt.Fprintf(&b, "; %d batches stored, %d already stored; %d new sources, %d new entities, %d new claims",
		s.Batches, s.Skipped, s.Sources, s.NewEntities, s.Claims)
	if s.Events > 0 || s.Format == "ucdp" || s.Format == "acled" {
		fmt.Fprintf(&b, ", %d new dataset events", s.Events)
	}
	if len(s.Unknown) > 0 {
		var parts []string
		for _, k := range sortedKeys(s.Unknown) {
			parts = append(parts, fmt.Sprintf("%s %d", k, s.Unknown[k]))
		}
		fmt.Fprintf(&b, "; %d objects of types without a Faultline model kept as raw objects (%s)", s.Objects, strings.Join(parts, ", "))
	}
	for _, n := range s.Notes {
		fmt.Fprintf(&b, "; %s", n)
	}
	if s.Elapsed > 0 {
		fmt.Fprintf(&b, "; %.1fs, %.0f records/s", s.Elapsed.Seconds(), s.RecordsPerSec)
	}
	return b.String()
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// input is a file to import, read whole, with its companions.
type input struct {
	name  string
	data  []byte
	extra map[string][]byte // by role, for formats of several files
	sha   string            // of data and extra, see inputSHA
}

// inputSHA is the sha256 that identifies an import: of the file's bytes,
// then of each companion file's role and bytes in role order.
func inputSHA(in *input) string {
	h := sha256.New()
	h.Write(in.data)
	for _, role := range sortedRoles(in.extra) {
		h.Write([]byte("\x00" + role + "\x00"))
		h.Write(in.extra[role])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// datasetSource is the source of an event dataset's records: the file,
// known by its sha256.
func datasetSource(in *input, o *Options, format, dataset, publisher, about string) *faultline.Source {
	return &faultline.Source{
		SHA256: in.sha, Title: in.name + " (" + dataset + ")", Publisher: publisher, Path: in.name, Format: format,
		Reliability: o.Reliability, TLP: o.TLP, Text: about,
	}
}

// reader turns an input into batches, calling emit for each in order.
type reader func(ctx context.Context, in *input, r *resolver, o *Options, sum *Summary, emit func(*faultline.ImportBatch) error) error

var readers = map[string]reader{
	"ucdp":  readUCDP,
	"acled": readACLED,
	"stix":  readSTIX,
	"unsc":  readUNSC,
	"ofac":  readOFAC,
}

// Import reads the file at path in the given format and stores it through
// svc. A malformed row is reported in the summary and skipped; input that
// cannot be trusted as a whole fails with EINVALID before anything is
// written. The summary is returned with whatever was stored even when the
// import fails part-way; running it again resumes.
func Import(ctx context.Context, svc faultline.ImportService, format, path string, o Options) (*Summary, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, faultline.Errorf(faultline.EINVALID, "import %s: %w", path, err)
	}
	in := &input{name: filepath.Base(path), data: data, extra: map[string][]byte{}}
	if format == "ofac" {
		for _, role := range []string{"alt", "add"} {
			p := o.Files[role]
			explicit := p != ""
			if !explicit {
				p = filepath.Join(filepath.Dir(path), role+".csv")
			}
			b, err := os.ReadFile(p)
			switch {
			case err == nil:
				in.extra[role] = b
			case explicit || !os.IsNotExist(err):
				return nil, faultline.Errorf(faultline.EINVALID, "import %s: %s file: %w", path, role, err)
			}
		}
	}
	return importInput(ctx, svc, format, in, o)
}

// ImportBytes is Import over data already in memory; name stands for the
// file in messages and source paths.
func ImportBytes(ctx context.Context, svc faultline.ImportService, format, name string, data []byte, o Options) (*Summary, error) {
	return importInput(ctx, svc, format, &input{name: name, data: data, extra: map[string][]byte{}}, o)
}

// Read parses data in the given format without storing anything, calling
// emit for each batch in order: a dry run, and what the fuzz targets
// exercise. Companion files (OFAC's alt.csv and add.csv) come in extra, by
// role.
func Read(ctx context.Context, format, name string, data []byte, extra map[string][]byte, o Options, emit func(*faultline.ImportBatch) error) (*Summary, error) {
	read, err := setup(format, &o)
	if err != nil {
		return nil, err
	}
	if extra == nil {
		extra = map[string][]byte{}
	}
	sum := newSummary(format, name)
	in := &input{name: name, data: data, extra: extra}
	in.sha = inputSHA(in)
	sum.SHA256 = in.sha
	err = read(ctx, in, newResolver(o.Dictionary, o.Gazetteer), &o, sum, emit)
	return sum, err
}

// setup checks the format and the options and fills in the defaults.
func setup(format string, o *Options) (reader, error) {
	read, ok := readers[format]
	if !ok {
		return nil, faultline.Errorf(faultline.EINVALID, "import format %q: want one of %s", format, strings.Join(Formats, ", "))
	}
	o.defaults()
	if !o.Reliability.Valid() {
		return nil, faultline.Errorf(faultline.EINVALID, "import: reliability %q: want A–F", o.Reliability)
	}
	if o.TLP.Level() < 0 {
		return nil, faultline.Errorf(faultline.EINVALID, "import: tlp %q is not a TLP 2.0 marking", o.TLP)
	}
	return read, nil
}

func importInput(ctx context.Context, svc faultline.ImportService, format string, in *input, o Options) (*Summary, error) {
	read, err := setup(format, &o)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	sum := newSummary(format, in.name)
	in.sha = inputSHA(in)
	sum.SHA256 = in.sha
	run, err := svc.BeginImport(ctx, faultline.ImportSpec{Format: format, Name: in.name, SHA256: sum.SHA256})
	if err != nil {
		return sum, err
	}
	res := newResolver(o.Dictionary, o.Gazetteer)

	// The reader parses on one goroutine while the store writes on
	// another: parsing a large CSV costs about as much as storing it.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *faultline.ImportBatch, 2)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- read(ctx, in, res, &o, sum, func(b *faultline.ImportBatch) error {
			select {
			case batches <- b:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var writeErr error
	records := 0
	for b := range batches {
		if writeErr != nil {
			continue // drain
		}
		c, err := run.Write(ctx, b)
		if err != nil {
			writeErr = err
			cancel()
			continue
		}
		sum.ImportCounts.Add(c)
		records += b.Records
		if o.Progress != nil {
			o.Progress(records)
		}
	}
	rerr := <-readErr
	cerr := run.Close(context.WithoutCancel(ctx))
	sum.Elapsed = time.Since(start)
	if s := sum.Elapsed.Seconds(); s > 0 {
		sum.RecordsPerSec = float64(sum.Records) / s
	}
	switch {
	case writeErr != nil:
		return sum, writeErr
	case rerr != nil:
		return sum, rerr
	}
	return sum, cerr
}

func sortedRoles(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// batcher collects the records of one batch: entities (once per ref) and
// dataset events, or the entities of a list.
type batcher struct {
	size  int
	index int
	b     *faultline.ImportBatch
	ents  map[string]bool
	emit  func(*faultline.ImportBatch) error
	// dataset is the source of the dataset events, set by the reader.
	dataset *faultline.Source
}

func newBatcher(size int, emit func(*faultline.ImportBatch) error) *batcher {
	bt := &batcher{size: size, emit: emit}
	bt.reset()
	return bt
}

func (bt *batcher) reset() {
	bt.b = &faultline.ImportBatch{Index: bt.index}
	bt.ents = map[string]bool{}
}

func (bt *batcher) entity(e faultline.ImportEntity) {
	if !bt.ents[e.Ref] {
		bt.ents[e.Ref] = true
		bt.b.Entities = append(bt.b.Entities, e)
	}
}

func (bt *batcher) event(e faultline.DatasetEvent) {
	if bt.b.Events == nil {
		bt.b.Events = make([]faultline.DatasetEvent, 0, min(bt.size, 1<<16))
	}
	bt.b.Events = append(bt.b.Events, e)
}

// record counts one input record and emits the batch when it is full.
func (bt *batcher) record() error {
	bt.b.Records++
	if bt.b.Records < bt.size {
		return nil
	}
	return bt.flush()
}

// flush emits the batch if it covers any record.
func (bt *batcher) flush() error {
	if bt.b.Records == 0 && len(bt.b.Entities) == 0 && len(bt.b.Objects) == 0 {
		return nil
	}
	b := bt.b
	if len(b.Events) > 0 {
		b.Dataset = bt.dataset
	}
	bt.index++
	bt.reset()
	return bt.emit(b)
}

// sha returns the hex sha256 of the parts joined by NUL bytes: the
// natural key of a source an import creates.
func sha(parts ...string) string {
	h := sha256.New()
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{0})
		}
		io.WriteString(h, p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// clean collapses runs of white space and trims. Most fields of an event
// table need nothing done, and it is called on several fields of every
// row, so an ASCII string with single spaces inside is returned as it is.
func clean(s string) string {
	plain := len(s) == 0 || s[0] != ' ' && s[len(s)-1] != ' '
	for i := 0; plain && i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			plain = false
		case c == ' ' && i > 0 && s[i-1] == ' ':
			plain = false
		}
	}
	if plain {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// addAlias appends a to aliases unless it is empty or folds like name or
// an alias already listed.
func addAlias(aliases []string, name, a string) []string {
	a = clean(a)
	n := faultline.NormalizeName(a)
	if n == "" || n == faultline.NormalizeName(name) {
		return aliases
	}
	if slices.ContainsFunc(aliases, func(x string) bool { return faultline.NormalizeName(x) == n }) {
		return aliases
	}
	return append(aliases, a)
}

// stripBOM removes a UTF-8 byte-order mark.
func stripBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\ufeff")) }

func floatPtr(f float64) *float64 { return &f }
