package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/faultline-osint/faultline"
	"github.com/faultline-osint/faultline/sqlite"
	"github.com/faultline-osint/faultline/storetest"
)

// MustOpenDB opens a database in a new temporary file.
func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	return mustOpenPath(tb, filepath.Join(tb.TempDir(), "faultline.db"))
}

func mustOpenPath(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	return db
}

// paths remembers each test store's file so that Reopen can find it.
var paths sync.Map // *sqlite.DB → string

func TestStore(t *testing.T) {
	storetest.RunWithOptions(t, storetest.Options{
		Open: func(t *testing.T) faultline.Store {
			path := filepath.Join(t.TempDir(), "faultline.db")
			db := mustOpenPath(t, path)
			paths.Store(db, path)
			return db
		},
		Reopen: func(t *testing.T, s faultline.Store) faultline.Store {
			path, ok := paths.Load(s)
			if !ok {
				t.Fatalf("reopen: unknown store")
			}
			if err := s.Close(); err != nil {
				t.Fatalf("close: %v", err)
			}
			db := mustOpenPath(t, path.(string))
			paths.Store(db, path)
			return db
		},
	})
}

func TestOpenRejectsMemory(t *testing.T) {
	_, err := sqlite.Open(context.Background(), ":memory:")
	if got := faultline.ErrorCode(err); got != faultline.EINVALID {
		t.Errorf("Open(:memory:) code = %q, want %q", got, faultline.EINVALID)
	}
}

func TestWALAndMigrations(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "faultline.db")
	db := mustOpenPath(t, path)
	mode, err := db.JournalMode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal mode = %q, want wal", mode)
	}
	v1, err := db.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v1 < 1 {
		t.Errorf("schema version = %d, want ≥ 1", v1)
	}
	storetest.MustIngest(t, db, storetest.Doc{Title: "one", Text: "Lashkar-e-Taiba attacked.", Ents: []storetest.Ent{
		{ID: "a", Name: "Lashkar-e-Taiba", Type: faultline.ArmedGroup}}})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		db = mustOpenPath(t, path)
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != v1 {
			t.Errorf("reopen %d: schema version = %d, want %d", i, v, v1)
		}
		st, err := db.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Sources != 1 || st.Entities != 1 {
			t.Errorf("reopen %d: stats = %+v, want the stored document kept", i, st)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// synthDoc builds a document of about 10 KB with 30 entities and about 100
// mentions, drawn from a pool so that documents share entities.
func synthDoc(tb testing.TB, n int) storetest.Doc {
	types := []faultline.EntityType{faultline.ArmedGroup, faultline.Location, faultline.Person, faultline.Country, faultline.GovernmentBody, faultline.Organization}
	var ents []storetest.Ent
	text := fmt.Sprintf("Report %d. ", n)
	for i := range 30 {
		k := (n*7 + i*13) % 400
		typ := types[k%len(types)]
		name := fmt.Sprintf("Zaran%c%c Front%d Qorvex", 'a'+rune(k%26), 'a'+rune(k/26%26), k)
		e := storetest.Ent{ID: fmt.Sprintf("e%d", i), Name: name, Type: typ}
		if k%3 == 0 {
			e.Key = fmt.Sprintf("actor:%d", k)
		}
		if k%5 == 0 {
			e.Aliases = []string{fmt.Sprintf("ZF%d", k)}
		}
		ents = append(ents, e)
	}
	for len(text) < 10000 {
		for i, e := range ents {
			if len(text) >= 10000 {
				break
			}
			text += fmt.Sprintf("In sentence %d of report %d, %s reportedly operates near the border. ", len(text), n, e.Name)
			if i%10 == 9 {
				text += "\n"
			}
		}
	}
	// Five relations and two events, with evidence spans in the text.
	ev := func(i int) []faultline.Span {
		r := []rune(text)
		return []faultline.Span{{Start: i * 200, End: i*200 + 80, Text: string(r[i*200 : i*200+80])}}
	}
	var rels []faultline.ExtractedRelation
	for i := range 5 {
		rels = append(rels, faultline.ExtractedRelation{Subject: ents[i].ID, Predicate: faultline.Supports, Object: ents[i+5].ID,
			Modality: faultline.Reported, AttributedTo: &ents[29].ID, Evidence: ev(i), Rule: "bench"})
	}
	var events []faultline.ExtractedEvent
	for i := range 2 {
		date := "2025-03"
		events = append(events, faultline.ExtractedEvent{Type: faultline.Clash, Date: &date, Location: &ents[10+i].ID,
			Participants: []faultline.Participant{{Entity: ents[i].ID, Role: faultline.RoleAgent}, {Entity: ents[i+1].ID, Role: faultline.RoleTarget}},
			Modality:     faultline.Asserted, Evidence: ev(10 + i), Rule: "bench"})
	}
	return storetest.Doc{Title: fmt.Sprintf("Synthetic %d", n), Text: text, Ents: ents, TLP: faultline.TLPGreen, Relations: rels, Events: events}
}

func TestIntegrityAfterBatch(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	defer db.Close()
	for i := range 40 {
		storetest.MustIngest(t, db, synthDoc(t, i))
	}
	if err := db.Merge(ctx, "ZF0", "actor:3", "ana"); err != nil {
		t.Fatal(err)
	}
	srcs, err := db.Sources(ctx, faultline.SourceFilter{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		if err := db.DeleteSource(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.IntegrityCheck(ctx); err != nil {
		t.Errorf("IntegrityCheck: %v", err)
	}
	st, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Sources != 37 {
		t.Errorf("sources = %d, want 37", st.Sources)
	}
}

func TestConcurrentReadersWhileWriting(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	defer db.Close()
	storetest.MustIngest(t, db, synthDoc(t, 0))
	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for r := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				var err error
				switch (r + i) % 4 {
				case 0:
					_, err = db.Search(ctx, "Qorvex", 5)
				case 1:
					_, err = db.Stats(ctx)
				case 2:
					_, err = db.EntityProfile(ctx, "actor:0", 5)
				case 3:
					_, err = db.Sources(ctx, faultline.SourceFilter{Limit: 5})
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	// A second writer goroutine contends for the write lock.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 10 {
			if err := db.AddAlias(ctx, "actor:0", fmt.Sprintf("Alias %d", i), "ana"); err != nil {
				errs <- err
				return
			}
		}
	}()
	for i := 1; i < 30; i++ {
		src, ext := storetest.Build(t, synthDoc(t, i))
		if _, err := db.IngestDocument(ctx, src, ext); err != nil {
			t.Fatalf("ingest %d: %v", i, err)
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent: %v", err)
	}
	st, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Sources != 30 {
		t.Errorf("sources = %d, want 30", st.Sources)
	}
}

func BenchmarkIngest(b *testing.B) {
	ctx := context.Background()
	db := MustOpenDB(b)
	defer db.Close()
	type doc struct {
		src *faultline.Source
		ext *faultline.Extraction
	}
	docs := make([]doc, b.N)
	mentions := 0
	for i := range docs {
		src, ext := storetest.Build(b, synthDoc(b, i))
		docs[i] = doc{src, ext}
		for _, e := range ext.Entities {
			mentions += len(e.Mentions)
		}
	}
	b.ResetTimer()
	for i := range docs {
		if _, err := db.IngestDocument(ctx, docs[i].src, docs[i].ext); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(mentions)/float64(b.N), "mentions/doc")
}

func TestNewerSchemaRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "faultline.db")
	db := mustOpenPath(t, path)
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', '')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = sqlite.Open(ctx, path)
	if got := faultline.ErrorCode(err); got != faultline.ECONFLICT {
		t.Errorf("Open(newer schema) code = %q (%v), want %q", got, err, faultline.ECONFLICT)
	}
}

func TestSearchSnippetMarksMatch(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	defer db.Close()
	storetest.MustIngest(t, db, storetest.Doc{Title: "TTP", Text: "Officials blamed Tehrik-i-Taliban Pakistan for the attack.", Ents: []storetest.Ent{
		{ID: "a", Name: "Tehrik-i-Taliban Pakistan", Type: faultline.ArmedGroup}}})
	hits, err := db.Search(ctx, "taliban", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 2 {
		t.Fatalf("hits = %+v, want the entity and the source", hits)
	}
	for _, h := range hits {
		if want := sqlite.SnippetOpen + "Taliban" + sqlite.SnippetClose; !strings.Contains(h.Snippet, want) {
			t.Errorf("%s snippet = %q, want it to contain %q", h.Kind, h.Snippet, want)
		}
	}
}
