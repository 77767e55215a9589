package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/faultline-osint/faultline"
	"github.com/google/uuid"
)

// The bulk path for imports. A file of hundreds of thousands of records
// cannot go through IngestDocument record by record: each batch is one
// transaction in which sources, claims, evidence, participants and dataset
// events go in through multi-row INSERT statements prepared once per run,
// claims sorted by id so that the B-tree pages they touch are written once
// per batch, entities resolved once per run and cached, and the search rows
// of the entities a batch touched rebuilt once at its end. Dataset events
// (UCDP GED and ACLED records) take the fastest path, see dataset.go.

// bulkRows is how many rows one multi-row INSERT statement stores.
const bulkRows = 64

// bulkTable describes a multi-row INSERT into one table.
type bulkTable struct {
	prefix string // INSERT INTO t (cols) VALUES
	row    string // (?, ?, …)
	cols   int
	suffix string // ON CONFLICT … or ""
	rows   int    // rows per full statement; 0 is bulkRows
}

// size returns the rows of a full statement.
func (t *bulkTable) size() int {
	if t.rows > 0 {
		return t.rows
	}
	return bulkRows
}

func (t bulkTable) query(n int) string {
	return t.prefix + strings.Repeat(t.row+", ", n-1) + t.row + t.suffix
}

var (
	bulkSources = bulkTable{
		prefix: `INSERT INTO sources (id, sha256, title, url, publisher, author, published, path, format, reliability, tlp, text, chars, ingested_at) VALUES `,
		row:    `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, cols: 14,
	}
	bulkClaims = bulkTable{
		prefix: `INSERT INTO claims (id, source_id, kind, subject, predicate, object, role, support_kind, event_type, event_date, location, fatalities, fatalities_low, modality, attributed_to, credibility, valid_from, valid_to, rule, analyst, created_at) VALUES `,
		row:    `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, cols: 21,
	}
	bulkEvidence = bulkTable{
		prefix: `INSERT INTO claim_evidence (claim_id, seq, start, "end", text) VALUES `,
		row:    `(?, ?, ?, ?, ?)`, cols: 5,
	}
	bulkParticipants = bulkTable{
		prefix: `INSERT INTO claim_participants (claim_id, seq, entity_id, role) VALUES `,
		row:    `(?, ?, ?, ?)`, cols: 4,
	}
	bulkRaw = bulkTable{
		prefix: `INSERT INTO raw_objects (id, type, json, import_sha, imported_at) VALUES `,
		row:    `(?, ?, ?, ?, ?)`, cols: 5,
		suffix: ` ON CONFLICT (id) DO NOTHING`,
	}
)

// importRun is one import in progress; it implements faultline.ImportRun.
type importRun struct {
	db   *DB
	spec faultline.ImportSpec
	done map[int]bool
	// entities maps an import ref to its stored row, for the refs of
	// earlier batches; sources maps a sha256 to a source id.
	entities map[string]string
	sources  map[string]int64
	// full holds the full-size multi-row statement of each table,
	// prepared once on the writer.
	full map[*bulkTable]*sql.Stmt
	// ftsTrigger is the SQL of the trigger that indexes each new source
	// for search; a batch drops it, indexes its sources in one statement
	// and creates it again, all inside its transaction.
	ftsTrigger string
	// datasets maps the sha256 of a dataset file to its stored source;
	// rids maps entity ids to their rid, the key dataset events use.
	datasets map[string]int64
	rids     map[string]int64
	// deferChecked is set once a batch has decided whether the run is
	// large enough to drop the dataset indexes until Close.
	deferChecked bool
	// cacheSize is the writer's cache_size before the run.
	cacheSize int
}

var _ faultline.ImportRun = (*importRun)(nil)

// BeginImport starts the import of the file spec names, or resumes it:
// batches an earlier run of the same file (same sha256) stored are skipped
// by Write.
func (db *DB) BeginImport(ctx context.Context, spec faultline.ImportSpec) (faultline.ImportRun, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	spec.SHA256 = strings.ToLower(spec.SHA256)
	tx, err := db.writeTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO import_runs (sha256, format, name, started_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (sha256) DO UPDATE SET finished_at = NULL`, spec.SHA256, spec.Format, spec.Name, db.now().Format(timeFormat)); err != nil {
		return nil, internal(err, "import %s: record run", spec.Name)
	}
	rows, err := tx.QueryContext(ctx, `SELECT batch FROM import_batches WHERE sha256 = ?`, spec.SHA256)
	if err != nil {
		return nil, internal(err, "import %s: batches done", spec.Name)
	}
	r := &importRun{db: db, spec: spec, done: map[int]bool{}, entities: map[string]string{}, sources: map[string]int64{},
		full: map[*bulkTable]*sql.Stmt{}, datasets: map[string]int64{}, rids: map[string]int64{}}
	for rows.Next() {
		var i int
		if err := rows.Scan(&i); err != nil {
			rows.Close()
			return nil, internal(err, "import %s: batches done", spec.Name)
		}
		r.done[i] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err, "import %s: batches done", spec.Name)
	}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'sources_fts_insert'), '')`).Scan(&r.ftsTrigger); err != nil {
		return nil, internal(err, "import %s: schema", spec.Name)
	}
	if err := tx.Commit(); err != nil {
		return nil, internal(err, "import %s: commit", spec.Name)
	}
	// Statement journals (the undo log of one multi-row INSERT) in
	// memory rather than in a temporary file.
	if _, err := db.write.ExecContext(ctx, `PRAGMA temp_store = MEMORY`); err != nil {
		return nil, internal(err, "import %s: temp_store", spec.Name)
	}
	// A page cache large enough to hold what a bulk load writes, so
	// that building the indexes at Close reads the table from memory
	// rather than page by page from the file; Close gives the writer its
	// usual cache back.
	if err := db.write.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&r.cacheSize); err != nil {
		return nil, internal(err, "import %s: cache_size", spec.Name)
	}
	if _, err := db.write.ExecContext(ctx, `PRAGMA cache_size = `+strconv.Itoa(-importCacheKiB)); err != nil {
		return nil, internal(err, "import %s: cache_size", spec.Name)
	}
	for _, t := range []*bulkTable{&bulkSources, &bulkClaims, &bulkEvidence, &bulkParticipants, &bulkRaw, &bulkDatasetEvents} {
		st, err := db.write.PrepareContext(ctx, t.query(t.size()))
		if err != nil {
			r.closeStatements()
			return nil, internal(err, "import %s: prepare", spec.Name)
		}
		r.full[t] = st
	}
	return r, nil
}

func (r *importRun) closeStatements() {
	for t, st := range r.full {
		st.Close()
		delete(r.full, t)
	}
}

// importCacheKiB is the writer's page cache during an import, in KiB:
// 256 MiB holds the 400,000 rows of the benchmark (a GED row takes about
// 600 bytes). It is memory taken as pages are read, and given back at
// Close.
const importCacheKiB = 256 << 10

// Close creates again the dataset indexes a bulk load dropped (this run's
// or an earlier one's that died) and records the run as complete.
func (r *importRun) Close(ctx context.Context) error {
	r.closeStatements()
	err := r.db.restoreIndexes(ctx)
	if _, cerr := r.db.write.ExecContext(ctx, `PRAGMA cache_size = `+strconv.Itoa(r.cacheSize)); err == nil {
		err = cerr
	}
	if err != nil {
		return internal(err, "import %s: rebuild indexes", r.spec.Name)
	}
	_, err = r.db.write.ExecContext(ctx, `UPDATE import_runs SET finished_at = ? WHERE sha256 = ?`,
		r.db.now().Format(timeFormat), r.spec.SHA256)
	return internal(err, "import %s: finish", r.spec.Name)
}

// bulk accumulates the rows of one table and writes them a full
// statement at a time.
type bulk struct {
	ctx  context.Context
	tx   *sql.Tx
	t    *bulkTable
	full *sql.Stmt // the run's statement, bound to tx on first use
	stmt *sql.Stmt
	args []any
	n    int
	// parent, when set, is flushed first: its rows are what this table's
	// foreign keys refer to, and they are checked statement by statement.
	parent *bulk
	// changed counts the rows the statements inserted (not those an ON
	// CONFLICT clause skipped).
	changed int64
}

func (r *importRun) bulk(ctx context.Context, tx *sql.Tx, t *bulkTable) *bulk {
	return &bulk{ctx: ctx, tx: tx, t: t, full: r.full[t], args: make([]any, 0, t.cols*t.size())}
}

func (b *bulk) add(vals ...any) error {
	b.args = append(b.args, vals...)
	b.n++
	if b.n < b.t.size() {
		return nil
	}
	if b.parent != nil {
		if err := b.parent.flush(); err != nil {
			return err
		}
	}
	if b.stmt == nil {
		b.stmt = b.tx.StmtContext(b.ctx, b.full)
	}
	res, err := b.stmt.ExecContext(b.ctx, b.args...)
	b.args, b.n = b.args[:0], 0
	return b.count(res, err)
}

func (b *bulk) flush() error {
	if b.n == 0 {
		return nil
	}
	if b.parent != nil {
		if err := b.parent.flush(); err != nil {
			return err
		}
	}
	res, err := b.tx.ExecContext(b.ctx, b.t.query(b.n), b.args...)
	b.args, b.n = b.args[:0], 0
	return b.count(res, err)
}

func (b *bulk) count(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	b.changed += n
	return err
}

// importClaimID derives an imported claim's id from its natural key.
func importClaimID(key string) string { return claimID("import", key) }

// Write stores one batch in one transaction, with its import_batches row.
func (r *importRun) Write(ctx context.Context, b *faultline.ImportBatch) (faultline.ImportCounts, error) {
	var c faultline.ImportCounts
	if r.done[b.Index] {
		c.Skipped = 1
		return c, nil
	}
	what := func(format string, args ...any) string {
		return "import " + r.spec.Name + " batch " + strconv.Itoa(b.Index) + ": " + fmt.Sprintf(format, args...)
	}
	if err := r.validate(b); err != nil {
		return c, err
	}
	tx, err := r.db.writeTx(ctx)
	if err != nil {
		return c, err
	}
	defer tx.Rollback()
	now := r.db.now()
	nowText := now.Format(timeFormat)

	// Sources: those of earlier batches are known; the others are looked
	// up by sha256 in one query, and the new ones inserted with ids given
	// here, so that no id has to be read back.
	srcIDs := map[string]int64{}
	created := map[int64]bool{} // sources this batch inserts
	var unknown []string
	for i := range b.Sources {
		sha := strings.ToLower(b.Sources[i].SHA256)
		if id, ok := r.sources[sha]; ok {
			srcIDs[sha] = id
		} else if _, dup := srcIDs[sha]; !dup {
			srcIDs[sha] = 0
			unknown = append(unknown, sha)
		}
	}
	if len(unknown) > 0 {
		if err := jsonLookup(ctx, tx, `SELECT sha256, id FROM sources WHERE sha256 IN (SELECT value FROM json_each(?))`, unknown,
			func(rows *sql.Rows) error {
				var sha string
				var id int64
				if err := rows.Scan(&sha, &id); err != nil {
					return err
				}
				srcIDs[sha] = id
				return nil
			}); err != nil {
			return c, internal(err, "%s", what("look up sources"))
		}
		var next int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM sources`).Scan(&next); err != nil {
			return c, internal(err, "%s", what("source ids"))
		}
		// Search rows for the new sources in one statement rather than
		// one trigger run per row: FTS5 flushes its pending terms at
		// every statement savepoint, which would write a segment per
		// multi-row INSERT.
		if r.ftsTrigger != "" {
			if _, err := tx.ExecContext(ctx, `DROP TRIGGER sources_fts_insert`); err != nil {
				return c, internal(err, "%s", what("defer search index"))
			}
		}
		first := next
		ins := r.bulk(ctx, tx, &bulkSources)
		for i := range b.Sources {
			s := &b.Sources[i]
			sha := strings.ToLower(s.SHA256)
			if srcIDs[sha] != 0 {
				continue
			}
			s.ID, srcIDs[sha] = next, next
			created[next] = true
			next++
			if s.IngestedAt.IsZero() {
				s.IngestedAt = now
			}
			s.Chars = utf8.RuneCountInString(s.Text)
			if err := ins.add(s.ID, sha, s.Title, s.URL, s.Publisher, s.Author, s.Published, s.Path, s.Format,
				string(s.Reliability), string(s.TLP), s.Text, s.Chars, s.IngestedAt.UTC().Format(timeFormat)); err != nil {
				return c, internal(err, "%s", what("insert sources"))
			}
			c.Sources++
		}
		if err := ins.flush(); err != nil {
			return c, internal(err, "%s", what("insert sources"))
		}
		if r.ftsTrigger != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO source_fts (rowid, title, text) SELECT id, title, text FROM sources WHERE id >= ?`, first); err != nil {
				return c, internal(err, "%s", what("search index"))
			}
			if _, err := tx.ExecContext(ctx, r.ftsTrigger); err != nil {
				return c, internal(err, "%s", what("search index trigger"))
			}
		}
	}

	// Entities, resolved by the rules of IngestDocument and cached for the
	// rest of the run.
	in := &ingester{db: r.db, ctx: ctx, tx: tx, sha: r.spec.SHA256, now: nowText, dirty: map[string]bool{}, stmts: map[*sql.Stmt]*sql.Stmt{}}
	rowOf := map[string]string{}
	distinct := map[string]bool{}
	for i := range b.Entities {
		e := &b.Entities[i]
		if id, ok := r.entities[e.Ref]; ok {
			rowOf[e.Ref] = id
			continue
		}
		if _, ok := rowOf[e.Ref]; ok {
			continue
		}
		keepID := e.ID
		if e.ID != "" {
			// The entity's own id, from an export: stored under it, it
			// is the entity, unless the kinds differ (another
			// producer's id that happens to name something else), in
			// which case the id is not taken.
			var typ faultline.EntityType
			err := tx.QueryRowContext(ctx, `SELECT type FROM entities WHERE id = ?`, e.ID).Scan(&typ)
			switch {
			case err == nil && faultline.SameKind(typ, e.Type):
				rowOf[e.Ref] = e.ID
				continue
			case err == nil:
				keepID = ""
			case !errors.Is(err, sql.ErrNoRows):
				return c, internal(err, "%s", what("look up entity %s", e.ID))
			}
		}
		x := faultline.ExtractedEntity{ID: e.Ref, Name: e.Name, Type: e.Type, Key: e.Key, Aliases: e.Aliases,
			ExternalIDs: e.ExternalIDs, Lat: e.Lat, Lon: e.Lon}
		// Two entities of the file that each have an id of their own
		// are two entities, even when a name of one is an alias of the
		// other (an export keeps apart what its database held apart).
		in.distinct = nil
		if keepID != "" {
			in.distinct = distinct
		}
		id, created, err := in.resolve(&x)
		in.distinct = nil
		if err != nil {
			return c, internal(err, "%s", what("resolve entity %s %q", e.Ref, e.Name))
		}
		if created {
			c.NewEntities++
			if keepID != "" && keepID != id {
				if err := renameEntity(ctx, tx, id, keepID); err != nil {
					return c, internal(err, "%s", what("keep the id of entity %s", e.Ref))
				}
				if in.dirty[id] {
					delete(in.dirty, id)
					in.dirty[keepID] = true
				}
				id = keepID
			}
			if keepID != "" {
				distinct[id] = true
			}
		}
		// resolve skips an alias that folds like the name, which it has
		// already; an import keeps those the file lists, so that the
		// entity it exports again lists them too.
		norm := faultline.NormalizeName(e.Name)
		for _, a := range e.Aliases {
			if faultline.NormalizeName(a) != norm {
				continue
			}
			res, err := in.stmt(r.db.stmt.insertAlias).ExecContext(ctx, id, a, norm, "extraction", "", nowText)
			if err != nil {
				return c, internal(err, "%s", what("alias of entity %s", e.Ref))
			}
			if k, _ := res.RowsAffected(); k > 0 {
				in.dirty[id] = true
			}
		}
		rowOf[e.Ref] = id
	}

	// Claims, sorted by id; those already stored (the same record
	// imported before) are left alone.
	type claimRow struct {
		id string
		c  *faultline.ImportClaim
	}
	rows := make([]claimRow, 0, len(b.Claims))
	seen := make(map[string]bool, len(b.Claims))
	ids := make([]string, 0, len(b.Claims))
	for i := range b.Claims {
		cl := &b.Claims[i]
		id := importClaimID(cl.Key)
		if cl.ID != "" {
			id = cl.ID
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		rows = append(rows, claimRow{id, cl})
		ids = append(ids, id)
	}
	stored := map[string]bool{}
	if err := jsonLookup(ctx, tx, `SELECT id FROM claims WHERE id IN (SELECT value FROM json_each(?))`, ids,
		func(rs *sql.Rows) error {
			var id string
			if err := rs.Scan(&id); err != nil {
				return err
			}
			stored[id] = true
			return nil
		}); err != nil {
		return c, internal(err, "%s", what("look up claims"))
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].id < rows[j].id })
	claims := r.bulk(ctx, tx, &bulkClaims)
	evidence := r.bulk(ctx, tx, &bulkEvidence)
	parts := r.bulk(ctx, tx, &bulkParticipants)
	evidence.parent, parts.parent = claims, claims
	opt := func(ref string) any {
		if ref == "" {
			return nil
		}
		return rowOf[ref]
	}
	var reviewed []claimRow // new claims an analyst had reviewed
	for _, row := range rows {
		if stored[row.id] {
			continue
		}
		cl := row.c
		var subject, predicate, object, eventType, fat any
		if cl.Kind == faultline.RelationClaim {
			subject, predicate, object = rowOf[cl.Subject], string(cl.Predicate), rowOf[cl.Object]
		} else {
			eventType = string(cl.EventType)
		}
		if cl.Fatalities != nil {
			fat = *cl.Fatalities
		}
		modality := cl.Modality
		if modality == "" {
			modality = faultline.Asserted
		}
		if err := claims.add(row.id, srcIDs[strings.ToLower(cl.Source)], string(cl.Kind), subject, predicate, object, cl.Role, cl.SupportKind,
			eventType, cl.EventDate, opt(cl.Location), fat, cl.FatalitiesLow, string(modality), opt(cl.AttributedTo),
			cl.Credibility, cl.ValidFrom, cl.ValidTo, cl.Rule, cl.Analyst, nowText); err != nil {
			return c, internal(err, "%s", what("insert claims"))
		}
		if cl.Status != "" && cl.Status != faultline.StatusMachine {
			reviewed = append(reviewed, row)
		}
		for i, s := range cl.Evidence {
			if err := evidence.add(row.id, i, s.Start, s.End, s.Text); err != nil {
				return c, internal(err, "%s", what("insert evidence"))
			}
		}
		for i, p := range cl.Participants {
			if err := parts.add(row.id, i, rowOf[p.Entity], string(p.Role)); err != nil {
				return c, internal(err, "%s", what("insert participants"))
			}
		}
		c.Claims++
	}
	// Claims before their evidence and participants: the foreign keys
	// are checked row by row.
	for _, bk := range []*bulk{claims, evidence, parts} {
		if err := bk.flush(); err != nil {
			return c, internal(err, "%s", what("insert claims"))
		}
	}
	// The review travels with the claim, so that an accepted claim is
	// still accepted (and a rejected one left out) where it is imported.
	for _, row := range reviewed {
		if _, err := tx.ExecContext(ctx, `INSERT INTO reviews (claim_id, status, analyst, at) VALUES (?, ?, ?, ?) ON CONFLICT (claim_id) DO NOTHING`,
			row.id, string(row.c.Status), row.c.Analyst, nowText); err != nil {
			return c, internal(err, "%s", what("insert reviews"))
		}
	}

	// Mentions, for the sources this batch created.
	seq := map[int64]int{}
	for _, m := range b.Mentions {
		sid := srcIDs[strings.ToLower(m.Source)]
		if !created[sid] {
			continue
		}
		if _, err := in.stmt(r.db.stmt.insertMention).ExecContext(ctx, sid, seq[sid], rowOf[m.Entity], m.Span.Start, m.Span.End, m.Span.Text, m.Rule); err != nil {
			return c, internal(err, "%s", what("insert mentions"))
		}
		seq[sid]++
	}

	ev, err := r.writeEvents(ctx, tx, b, rowOf, nowText)
	if err != nil {
		return c, internal(err, "%s", what("dataset events"))
	}
	c.Events = ev.inserted
	if ev.created {
		c.Sources++
	}

	raw := r.bulk(ctx, tx, &bulkRaw)
	for _, o := range b.Objects {
		if err := raw.add(o.ID, o.Type, string(o.JSON), r.spec.SHA256, nowText); err != nil {
			return c, internal(err, "%s", what("insert raw objects"))
		}
		c.Objects++
	}
	if err := raw.flush(); err != nil {
		return c, internal(err, "%s", what("insert raw objects"))
	}

	if err := importFTS(ctx, tx, in.dirty); err != nil {
		return c, internal(err, "%s", what("search index"))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO import_batches (sha256, batch, records, claims, done_at) VALUES (?, ?, ?, ?, ?)`,
		r.spec.SHA256, b.Index, b.Records, c.Claims, nowText); err != nil {
		return c, internal(err, "%s", what("record batch"))
	}
	if err := tx.Commit(); err != nil {
		return c, internal(err, "%s", what("commit"))
	}
	// Only a committed batch's rows are remembered for the next ones.
	for ref, id := range rowOf {
		r.entities[ref] = id
	}
	for sha, id := range srcIDs {
		r.sources[sha] = id
	}
	ev.commit(r)
	r.done[b.Index] = true
	c.Batches = 1
	return c, nil
}

// validate checks a batch before anything is written: every reference
// resolves within the batch, and the vocabularies are respected.
func (r *importRun) validate(b *faultline.ImportBatch) error {
	bad := func(format string, args ...any) error {
		return faultline.Errorf(faultline.EINVALID, "import %s batch %d: %s", r.spec.Name, b.Index, fmt.Sprintf(format, args...))
	}
	srcs := map[string]bool{}
	for i := range b.Sources {
		s := &b.Sources[i]
		if err := s.Validate(); err != nil {
			return bad("%s", faultline.ErrorMessage(err))
		}
		srcs[strings.ToLower(s.SHA256)] = true
	}
	ents := map[string]faultline.EntityType{}
	for _, e := range b.Entities {
		switch {
		case e.Ref == "":
			return bad("entity %q has no ref", e.Name)
		case e.ID != "" && uuid.Validate(e.ID) != nil:
			return bad("entity %s: id %q is not a UUID", e.Ref, e.ID)
		case !e.Type.Valid():
			return bad("entity %s %q: type %q is not an entity type", e.Ref, e.Name, e.Type)
		case faultline.NormalizeName(e.Name) == "":
			return bad("entity %s: name %q is empty once normalised", e.Ref, e.Name)
		}
		for _, x := range e.ExternalIDs {
			if x.Scheme == "" || x.Value == "" {
				return bad("entity %s: external id needs a scheme and a value", e.Ref)
			}
		}
		ents[e.Ref] = e.Type
	}
	ref := func(key, what, id string) error {
		if _, ok := ents[id]; !ok {
			return bad("claim %s: %s refers to entity %q, which the batch does not list", key, what, id)
		}
		return nil
	}
	for i := range b.Claims {
		cl := &b.Claims[i]
		if cl.Key == "" {
			return bad("claim %d has no key", i)
		}
		if cl.ID != "" && uuid.Validate(cl.ID) != nil {
			return bad("claim %s: id %q is not a UUID", cl.Key, cl.ID)
		}
		if !srcs[strings.ToLower(cl.Source)] {
			return bad("claim %s: source %q is not in the batch", cl.Key, cl.Source)
		}
		if cl.Modality != "" && !cl.Modality.Valid() {
			return bad("claim %s: modality %q is not a modality", cl.Key, cl.Modality)
		}
		if cl.Status != "" && !validStatus(cl.Status) {
			return bad("claim %s: review status %q: want machine, accepted, rejected or edited", cl.Key, cl.Status)
		}
		if cl.Credibility < 0 || cl.Credibility > 6 {
			return bad("claim %s: credibility %d: want 1 to 6, or 0 for none", cl.Key, cl.Credibility)
		}
		switch cl.Kind {
		case faultline.RelationClaim:
			if err := ref(cl.Key, "subject", cl.Subject); err != nil {
				return err
			}
			if err := ref(cl.Key, "object", cl.Object); err != nil {
				return err
			}
			if !faultline.ValidRelation(ents[cl.Subject], cl.Predicate, ents[cl.Object]) {
				return bad("claim %s: %s %s %s is not a valid relation", cl.Key, ents[cl.Subject], cl.Predicate, ents[cl.Object])
			}
		case faultline.EventClaim:
			if !cl.EventType.Valid() {
				return bad("claim %s: event type %q is not an event type", cl.Key, cl.EventType)
			}
			if cl.Location != "" {
				if err := ref(cl.Key, "location", cl.Location); err != nil {
					return err
				}
			}
			for _, p := range cl.Participants {
				if err := ref(cl.Key, "participant", p.Entity); err != nil {
					return err
				}
				if !p.Role.Valid() {
					return bad("claim %s: participant role %q is not a role", cl.Key, p.Role)
				}
			}
			if cl.Fatalities != nil && *cl.Fatalities < 0 {
				return bad("claim %s: fatalities %d is negative", cl.Key, *cl.Fatalities)
			}
		default:
			return bad("claim %s: kind %q is not relation or event", cl.Key, cl.Kind)
		}
		if cl.AttributedTo != "" {
			if err := ref(cl.Key, "attributed_to", cl.AttributedTo); err != nil {
				return err
			}
		}
		for _, s := range cl.Evidence {
			if s.Start < 0 || s.End < s.Start {
				return bad("claim %s: evidence span [%d,%d) is not a span", cl.Key, s.Start, s.End)
			}
		}
	}
	for _, m := range b.Mentions {
		if _, ok := ents[m.Entity]; !ok || !srcs[strings.ToLower(m.Source)] {
			return bad("mention of %q in %q: entity or source not in the batch", m.Entity, m.Source)
		}
		if m.Span.Start < 0 || m.Span.End < m.Span.Start {
			return bad("mention of %q: span [%d,%d) is not a span", m.Entity, m.Span.Start, m.Span.End)
		}
	}
	for _, o := range b.Objects {
		if o.ID == "" || o.Type == "" || !json.Valid(o.JSON) {
			return bad("raw object %q: needs an id, a type and valid JSON", o.ID)
		}
	}
	return validateEvents(b, ents, bad)
}

// jsonLookup runs query, whose one parameter is a JSON array, over keys in
// chunks, calling fn for each row.
func jsonLookup(ctx context.Context, tx *sql.Tx, query string, keys []string, fn func(*sql.Rows) error) error {
	const chunk = 5000
	for len(keys) > 0 {
		n := min(chunk, len(keys))
		list, err := json.Marshal(keys[:n])
		if err != nil {
			return err
		}
		keys = keys[n:]
		rows, err := tx.QueryContext(ctx, query, string(list))
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := fn(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// importFTS rebuilds the search rows of the entities a batch touched. An
// entity no merge involves (the common case: a list record just created)
// gets its row from its own name and aliases, by primary key; one that a
// merge involves goes through refreshEntityFTS, which gathers its whole
// merge group.
func importFTS(ctx context.Context, tx *sql.Tx, dirty map[string]bool) error {
	ids := make([]string, 0, len(dirty))
	for id := range dirty {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		var rid int64
		var name string
		var merged bool
		if err := tx.QueryRowContext(ctx, `SELECT rid, name, merged_into IS NOT NULL
			OR EXISTS (SELECT 1 FROM entities m WHERE m.merged_into = e.id) FROM entities e WHERE id = ?`, id).Scan(&rid, &name, &merged); err != nil {
			return internal(err, "search index of entity %s", id)
		}
		if merged {
			if err := refreshEntityFTS(ctx, tx, id); err != nil {
				return err
			}
			continue
		}
		aliases, err := queryStrings(ctx, tx, `SELECT alias FROM aliases WHERE entity_id = ?`, id)
		if err != nil {
			return internal(err, "search index of entity %s", id)
		}
		sort.Strings(aliases)
		if _, err := tx.ExecContext(ctx, `DELETE FROM entity_fts WHERE rowid = ?`, rid); err != nil {
			return internal(err, "search index of entity %s", id)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO entity_fts (rowid, name, aliases) VALUES (?, ?, ?)`,
			rid, name, strings.Join(aliases, " · ")); err != nil {
			return internal(err, "search index of entity %s", id)
		}
	}
	return nil
}

// renameEntity gives an entity created in this transaction (so that only
// its aliases and external ids refer to it yet) another id. Foreign keys
// are checked at commit, when every reference has moved.
func renameEntity(ctx context.Context, tx *sql.Tx, from, to string) error {
	if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
		return err
	}
	for _, q := range []string{
		`UPDATE entities SET id = ?2 WHERE id = ?1`,
		`UPDATE aliases SET entity_id = ?2 WHERE entity_id = ?1`,
		`UPDATE external_ids SET entity_id = ?2 WHERE entity_id = ?1`,
	} {
		if _, err := tx.ExecContext(ctx, q, from, to); err != nil {
			return err
		}
	}
	return nil
}
