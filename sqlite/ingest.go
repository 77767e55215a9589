package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/faultline-osint/faultline"
	"github.com/google/uuid"
)

// Namespaces of the UUIDv5 ids this package derives. They are fixed forever:
// changing one changes every stored id.
var (
	entityNamespace = uuid.MustParse("6f1c2b0e-3a51-5d8e-9c1e-4f0a7d2b9e31")
	claimNamespace  = uuid.MustParse("b3d4e2a1-7c65-5f10-8a2b-1e9d0c4f6a72")
)

// EntityID derives the stable id of an entity created from an extraction:
// from its dictionary key when it has one, else from its type and
// normalised name. scope, when not empty, makes the id local to one source
// (used for lone person surnames, which are not matched across documents).
func EntityID(key string, typ faultline.EntityType, name, scope string) string {
	seed := key
	if seed == "" {
		seed = string(typ) + ":" + faultline.NormalizeName(name)
		if scope != "" {
			seed += "@" + scope
		}
	}
	return uuid.NewSHA1(entityNamespace, []byte(seed)).String()
}

// claimID derives a claim id from its natural key.
func claimID(parts ...string) string {
	return uuid.NewSHA1(claimNamespace, []byte(strings.Join(parts, "\x1f"))).String()
}

// IngestDocument validates src and ext and stores them in one transaction:
// the source, the entities (resolved against stored ones), their mentions
// and the claims. A source whose sha256 is already stored is left alone and
// reported as a duplicate. On success src.ID, src.Chars and src.IngestedAt
// are set.
func (db *DB) IngestDocument(ctx context.Context, src *faultline.Source, ext *faultline.Extraction) (faultline.IngestResult, error) {
	res, err := db.IngestBatch(ctx, []faultline.Ingestion{{Source: src, Extraction: ext}})
	if err != nil {
		return faultline.IngestResult{}, err
	}
	return res[0], nil
}

// IngestBatch stores several documents in one transaction, by the rules of
// IngestDocument: all of them or, on the first error, none. It is for bulk
// loaders: a commit writes every page a document touched to the WAL, and
// documents ingested together share most of those pages (indexes, search
// rows), so a batch of a few hundred costs a fraction of as many commits.
// An analyst's batch of files goes one document per transaction instead,
// so that one bad file does not keep the others out.
func (db *DB) IngestBatch(ctx context.Context, docs []faultline.Ingestion) ([]faultline.IngestResult, error) {
	for _, d := range docs {
		if err := validate(d.Source, d.Extraction); err != nil {
			return nil, err
		}
	}
	tx, err := db.writeTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := db.now()
	in := &ingester{db: db, ctx: ctx, tx: tx, at: now, now: now.Format(timeFormat), dirty: map[string]bool{}, stmts: map[*sql.Stmt]*sql.Stmt{}}
	results := make([]faultline.IngestResult, len(docs))
	for i, d := range docs {
		if results[i], err = in.document(d.Source, d.Extraction); err != nil {
			return nil, err
		}
	}
	if err := in.flushFTS(); err != nil {
		return nil, internal(err, "ingest")
	}
	if err := tx.Commit(); err != nil {
		return nil, internal(err, "ingest: commit")
	}
	return results, nil
}

// document stores one source and its extraction in the ingester's
// transaction.
func (in *ingester) document(src *faultline.Source, ext *faultline.Extraction) (faultline.IngestResult, error) {
	var res faultline.IngestResult
	ctx, db := in.ctx, in.db
	var existing int64
	switch err := in.stmt(db.stmt.sourceBySHA).QueryRowContext(ctx, src.SHA256).Scan(&existing); {
	case err == nil:
		return faultline.IngestResult{SourceID: existing, Duplicate: true}, nil
	case !errors.Is(err, sql.ErrNoRows):
		return res, internal(err, "ingest %s: look up sha256", src.Path)
	}

	if src.IngestedAt.IsZero() {
		src.IngestedAt = in.at
	}
	src.Chars = utf8.RuneCountInString(src.Text)
	r, err := in.stmt(db.stmt.insertSource).ExecContext(ctx,
		src.SHA256, src.Title, src.URL, src.Publisher, src.Author, src.Published, src.Path,
		src.Format, string(src.Reliability), string(src.TLP), src.Text, src.Chars,
		src.IngestedAt.UTC().Format(timeFormat))
	if err != nil {
		return res, internal(err, "ingest %s: insert source", src.Path)
	}
	if src.ID, err = r.LastInsertId(); err != nil {
		return res, internal(err, "ingest %s: source id", src.Path)
	}
	res.SourceID = src.ID

	in.sha = src.SHA256
	rowOf := make(map[string]string, len(ext.Entities)) // extraction id → stored row
	var mentions []mentionRow
	for i := range ext.Entities {
		e := &ext.Entities[i]
		id, created, err := in.resolve(e)
		if err != nil {
			return res, internal(err, "ingest %s: resolve entity %s %q", src.Path, e.ID, e.Name)
		}
		if created {
			res.NewEntities++
		}
		rowOf[e.ID] = id
		for _, m := range e.Mentions {
			mentions = append(mentions, mentionRow{id, m.Start, m.End, m.Text, m.Rule})
		}
	}
	// Mentions go in mentionBatch rows per statement: a document has a
	// hundred or more, and a statement per row would be much of the cost
	// of an ingest.
	batch := make([]any, 0, 7*mentionBatch)
	for seq := 0; seq < len(mentions); {
		st, n := db.stmt.insertMentions, mentionBatch
		if len(mentions)-seq < mentionBatch {
			st, n = db.stmt.insertMention, 1
		}
		batch = batch[:0]
		for _, m := range mentions[seq : seq+n] {
			batch = append(batch, src.ID, seq, m.entity, m.start, m.end, m.text, m.rule)
			seq++
		}
		if _, err := in.stmt(st).ExecContext(ctx, batch...); err != nil {
			return res, internal(err, "ingest %s: insert mentions", src.Path)
		}
		res.Mentions += n
	}
	n, err := in.claims(src.ID, ext, rowOf)
	if err != nil {
		return res, internal(err, "ingest %s", src.Path)
	}
	res.Claims = n
	return res, nil
}

// mentionRow is one mention waiting to be inserted.
type mentionRow struct {
	entity     string
	start, end int
	text, rule string
}

// validate checks a source and its extraction before anything is written.
func validate(src *faultline.Source, ext *faultline.Extraction) error {
	if src == nil || ext == nil {
		return faultline.Errorf(faultline.EINVALID, "ingest: source and extraction are required")
	}
	if err := src.Validate(); err != nil {
		return err
	}
	if ext.Document.SHA256 != "" && !strings.EqualFold(ext.Document.SHA256, src.SHA256) {
		return faultline.Errorf(faultline.EINVALID, "ingest %s: extraction is of document %s, source is %s", src.Path, ext.Document.SHA256, src.SHA256)
	}
	n := utf8.RuneCountInString(src.Text)
	bad := func(format string, args ...any) error {
		return faultline.Errorf(faultline.EINVALID, "ingest %s: "+format, append([]any{src.Path}, args...)...)
	}
	span := func(what string, s faultline.Span) error {
		if s.Start < 0 || s.End < s.Start || s.End > n {
			return bad("%s: span [%d,%d) outside the text of %d characters", what, s.Start, s.End, n)
		}
		return nil
	}
	types := make(map[string]faultline.EntityType, len(ext.Entities))
	for _, e := range ext.Entities {
		switch {
		case e.ID == "":
			return bad("entity %q has no id", e.Name)
		case types[e.ID] != "":
			return bad("entity id %s used twice", e.ID)
		case !e.Type.Valid():
			return bad("entity %s %q: type %q is not an entity type", e.ID, e.Name, e.Type)
		case faultline.NormalizeName(e.Name) == "":
			return bad("entity %s: name %q is empty once normalised", e.ID, e.Name)
		}
		types[e.ID] = e.Type
		for _, m := range e.Mentions {
			if err := span("entity "+e.ID+" mention", m.Span); err != nil {
				return err
			}
		}
		for _, x := range e.ExternalIDs {
			if x.Scheme == "" || x.Value == "" {
				return bad("entity %s: external id needs a scheme and a value", e.ID)
			}
		}
	}
	ref := func(what, id string) error {
		if types[id] == "" {
			return bad("%s refers to unknown entity %q", what, id)
		}
		return nil
	}
	modality := func(what string, m faultline.Modality) error {
		if m != "" && !m.Valid() {
			return bad("%s: modality %q is not a modality", what, m)
		}
		return nil
	}
	evidence := func(what string, ev []faultline.Span) error {
		for _, s := range ev {
			if err := span(what+" evidence", s); err != nil {
				return err
			}
		}
		return nil
	}
	for i, r := range ext.Relations {
		what := "relation " + strconv.Itoa(i)
		if err := ref(what+" subject", r.Subject); err != nil {
			return err
		}
		if err := ref(what+" object", r.Object); err != nil {
			return err
		}
		if !r.Predicate.Valid() {
			return bad("%s: predicate %q is not a predicate", what, r.Predicate)
		}
		if r.AttributedTo != nil && *r.AttributedTo != "" {
			if err := ref(what+" attributed_to", *r.AttributedTo); err != nil {
				return err
			}
		}
		if err := modality(what, r.Modality); err != nil {
			return err
		}
		if err := evidence(what, r.Evidence); err != nil {
			return err
		}
	}
	for i, v := range ext.Events {
		what := "event " + strconv.Itoa(i)
		if v.ID != "" {
			what = "event " + v.ID
		}
		if !v.Type.Valid() {
			return bad("%s: type %q is not an event type", what, v.Type)
		}
		for _, p := range v.Participants {
			if err := ref(what+" participant", p.Entity); err != nil {
				return err
			}
			if !p.Role.Valid() {
				return bad("%s: participant role %q is not a role", what, p.Role)
			}
		}
		if v.Location != nil && *v.Location != "" {
			if err := ref(what+" location", *v.Location); err != nil {
				return err
			}
		}
		if v.AttributedTo != nil && *v.AttributedTo != "" {
			if err := ref(what+" attributed_to", *v.AttributedTo); err != nil {
				return err
			}
		}
		if v.Fatalities != nil && *v.Fatalities < 0 {
			return bad("%s: fatalities %d is negative", what, *v.Fatalities)
		}
		if err := modality(what, v.Modality); err != nil {
			return err
		}
		if err := evidence(what, v.Evidence); err != nil {
			return err
		}
	}
	return nil
}

// ingester carries the state of one ingest transaction.
type ingester struct {
	db    *DB
	ctx   context.Context
	tx    *sql.Tx
	sha   string // of the document being stored
	at    time.Time
	now   string          // at, formatted
	dirty map[string]bool // final entities whose search row must be rebuilt
	// distinct, when set, are entities a name must not resolve to: those
	// an import created under ids of their own, which the file says are
	// other entities than the one being resolved (see importRun.Write).
	distinct map[string]bool
	stmts    map[*sql.Stmt]*sql.Stmt
	adhoc    map[string]*sql.Stmt // see preparedTx
}

// stmt returns the transaction's copy of a prepared statement, made once
// per transaction.
func (in *ingester) stmt(s *sql.Stmt) *sql.Stmt {
	if t, ok := in.stmts[s]; ok {
		return t
	}
	t := in.tx.StmtContext(in.ctx, s)
	in.stmts[s] = t
	return t
}

// candidate is a stored entity row an extracted entity may resolve to.
type candidate struct {
	id     string
	typ    faultline.EntityType
	hasKey bool
	norm   string // the row's normalised canonical name
	merged bool   // the row is merged into another
}

// resolve finds or creates the stored entity row for e, records its names,
// external ids and coordinates, and returns the row id (before following
// merges). The rules, in order: (1) dictionary key; (2) external id; (3a)
// an analyst alias equal to any of e's names; (3b) e's name equal to the
// name or an alias of a compatible type (for a person, only names of two
// words or more); (4) else a new entity. Ties in (3) go to entities with a
// key, then to the most mentioned, then to the lowest id.
func (in *ingester) resolve(e *faultline.ExtractedEntity) (id string, created bool, err error) {
	ctx := in.ctx
	norm := faultline.NormalizeName(e.Name)
	var row candidate
	found := false
	byRow := func(s *sql.Stmt, args ...any) error {
		var key sql.NullString
		var merged sql.NullString
		switch err := in.stmt(s).QueryRowContext(ctx, args...).Scan(&row.id, &row.typ, &key, &row.norm, &merged); {
		case err == nil:
			row.hasKey, row.merged, found = key.Valid, merged.Valid, true
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		return nil
	}
	// (1) dictionary key.
	if e.Key != "" {
		if err := byRow(in.db.stmt.entityByKey, e.Key); err != nil {
			return "", false, err
		}
	}
	// (2) external ids.
	for _, x := range e.ExternalIDs {
		if found {
			break
		}
		if err := byRow(in.db.stmt.entityByExternalID, x.Scheme, x.Value); err != nil {
			return "", false, err
		}
	}
	// (3) names, in one query: analyst aliases of any of the entity's
	// names, and the canonical names and aliases equal to its name.
	if !found {
		norms := []string{norm}
		for _, a := range e.Aliases {
			if n := faultline.NormalizeName(a); n != "" && !slices.Contains(norms, n) {
				norms = append(norms, n)
			}
		}
		list, err := json.Marshal(norms)
		if err != nil {
			return "", false, err
		}
		rows, err := in.stmt(in.db.stmt.nameCandidates).QueryContext(ctx, string(list), norm)
		if err != nil {
			return "", false, err
		}
		// A lone word naming a person is a surname or a given name:
		// ambiguous across documents, so it never matches by name.
		byName := e.Type != faultline.Person || strings.Contains(norm, " ")
		var analyst, named []candidate
		for rows.Next() {
			var c candidate
			var key, merged sql.NullString
			var matched string
			var isAnalyst bool
			if err := rows.Scan(&c.id, &c.typ, &key, &c.norm, &merged, &matched, &isAnalyst); err != nil {
				rows.Close()
				return "", false, err
			}
			c.hasKey, c.merged = key.Valid, merged.Valid
			if !faultline.SameKind(e.Type, c.typ) || (e.Key != "" && key.Valid && key.String != e.Key) || in.distinct[c.id] {
				continue
			}
			if isAnalyst {
				analyst = append(analyst, c)
			}
			if matched == norm && byName {
				named = append(named, c)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", false, err
		}
		if len(analyst) == 0 {
			analyst = named
		}
		if len(analyst) > 0 {
			if row, err = in.best(analyst); err != nil {
				return "", false, err
			}
			found = true
		}
	}
	// (4) a new entity, or the one a previous document created with the
	// same natural key.
	if !found {
		scope := ""
		if e.Type == faultline.Person && !strings.Contains(norm, " ") {
			scope = in.sha
		}
		id := EntityID(e.Key, e.Type, e.Name, scope)
		r, err := in.stmt(in.db.stmt.insertEntity).ExecContext(ctx, id, e.Name, norm, string(e.Type),
			nullString(e.Key), e.Lat, e.Lon, in.now)
		if err != nil {
			return "", false, err
		}
		n, err := r.RowsAffected()
		if err != nil {
			return "", false, err
		}
		if created = n > 0; created {
			row = candidate{id: id, typ: e.Type, hasKey: e.Key != "", norm: norm}
		} else if err := byRow(in.db.stmt.entityByID, id); err != nil {
			return "", false, err
		}
	}
	id = row.id

	dirty := created
	if e.Key != "" && !row.hasKey {
		// The entity was found by name; adopt the dictionary key so later
		// documents find it directly.
		if _, err := in.stmt(in.db.stmt.setKey).ExecContext(ctx, e.Key, id); err != nil {
			return "", false, err
		}
	}
	for i, name := range append([]string{e.Name}, e.Aliases...) {
		n := norm
		if i > 0 {
			n = faultline.NormalizeName(name)
		}
		if n == "" || n == row.norm {
			continue
		}
		r, err := in.stmt(in.db.stmt.insertAlias).ExecContext(ctx, id, name, n, "extraction", "", in.now)
		if err != nil {
			return "", false, err
		}
		if k, _ := r.RowsAffected(); k > 0 {
			dirty = true
		}
	}
	// An entity first seen by its acronym ("ISKP") takes the full name a
	// later document gives ("Islamic State Khorasan Province"); the
	// acronym stays as an alias, already recorded above.
	if !created && strings.ToUpper(e.Name) != e.Name {
		if _, err := in.stmt(in.db.stmt.keepOldName).ExecContext(ctx, in.now, id, e.Name); err != nil {
			return "", false, err
		}
		r, err := in.stmt(in.db.stmt.upgradeName).ExecContext(ctx, e.Name, norm, id, e.Name)
		if err != nil {
			return "", false, err
		}
		if k, _ := r.RowsAffected(); k > 0 {
			row.norm = norm
			dirty = true
		}
	}
	for _, x := range e.ExternalIDs {
		if _, err := in.stmt(in.db.stmt.insertExternalID).ExecContext(ctx, id, x.Scheme, x.Value); err != nil {
			return "", false, err
		}
	}
	if !created && e.Lat != nil && e.Lon != nil {
		if _, err := in.stmt(in.db.stmt.setCoords).ExecContext(ctx, *e.Lat, *e.Lon, id); err != nil {
			return "", false, err
		}
	}
	if dirty {
		final := id
		if row.merged {
			if final, err = finalOf(ctx, in.tx, id); err != nil {
				return "", false, err
			}
		}
		in.dirty[final] = true
	}
	return id, created, nil
}

// best picks among candidates: those with a dictionary key, then the most
// mentioned, then the lowest id, so that resolution is deterministic.
func (in *ingester) best(cands []candidate) (candidate, error) {
	if len(cands) == 1 {
		return cands[0], nil
	}
	mentions := map[string]int{}
	for _, c := range cands {
		if _, ok := mentions[c.id]; ok {
			continue
		}
		var n int
		if err := in.stmt(in.db.stmt.mentionCount).QueryRowContext(in.ctx, c.id).Scan(&n); err != nil {
			return candidate{}, err
		}
		mentions[c.id] = n
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.hasKey != b.hasKey {
			return a.hasKey
		}
		if mentions[a.id] != mentions[b.id] {
			return mentions[a.id] > mentions[b.id]
		}
		return a.id < b.id
	})
	return cands[0], nil
}

// claims inserts the relation and event claims of ext with deterministic
// ids, and returns how many were new.
func (in *ingester) claims(sourceID int64, ext *faultline.Extraction, rowOf map[string]string) (int, error) {
	ctx := in.ctx
	opt := func(p *string) any {
		if p == nil || *p == "" {
			return nil
		}
		return rowOf[*p]
	}
	first := func(ev []faultline.Span) (string, string) {
		if len(ev) == 0 {
			return "", ""
		}
		return strconv.Itoa(ev[0].Start), strconv.Itoa(ev[0].End)
	}
	modality := func(m faultline.Modality) string {
		if m == "" {
			return string(faultline.Asserted)
		}
		return string(m)
	}
	var fresh []string // the claims stored now
	insert := func(id string, ev []faultline.Span, parts []faultline.Participant, args ...any) error {
		r, err := in.stmt(in.db.stmt.insertClaim).ExecContext(ctx, append([]any{id, sourceID}, args...)...)
		if err != nil {
			return err
		}
		if k, _ := r.RowsAffected(); k == 0 {
			return nil // the same claim twice in one document
		}
		fresh = append(fresh, id)
		for i, s := range ev {
			if _, err := in.stmt(in.db.stmt.insertEvidence).ExecContext(ctx, id, i, s.Start, s.End, s.Text); err != nil {
				return err
			}
		}
		for i, p := range parts {
			if _, err := in.stmt(in.db.stmt.insertParticipant).ExecContext(ctx, id, i, rowOf[p.Entity], string(p.Role)); err != nil {
				return err
			}
		}
		return nil
	}
	for _, r := range ext.Relations {
		s, o := rowOf[r.Subject], rowOf[r.Object]
		fs, fe := first(r.Evidence)
		id := claimID(in.sha, string(faultline.RelationClaim), s, string(r.Predicate), o, fs, fe)
		// id, source_id, kind, subject, predicate, object, role, support_kind,
		// event_type, event_date, location, fatalities, fatalities_low,
		// modality, attributed_to, valid_from, valid_to, rule, created_at
		if err := insert(id, r.Evidence, nil, string(faultline.RelationClaim), s, string(r.Predicate), o,
			ptrString(r.Role), ptrString(r.Kind), nil, "", nil, nil, false,
			modality(r.Modality), opt(r.AttributedTo), ptrString(r.ValidFrom), ptrString(r.ValidTo), r.Rule, in.now); err != nil {
			return len(fresh), internal(err, "insert relation claim %s %s %s", r.Subject, r.Predicate, r.Object)
		}
	}
	for _, v := range ext.Events {
		parts := make([]string, 0, len(v.Participants))
		for _, p := range v.Participants {
			parts = append(parts, rowOf[p.Entity]+":"+string(p.Role))
		}
		sort.Strings(parts)
		fs, fe := first(v.Evidence)
		id := claimID(in.sha, string(faultline.EventClaim), string(v.Type), ptrString(v.Date), strings.Join(parts, ","), fs, fe)
		var fat any
		if v.Fatalities != nil {
			fat = *v.Fatalities
		}
		if err := insert(id, v.Evidence, v.Participants, string(faultline.EventClaim), nil, nil, nil,
			"", "", string(v.Type), ptrString(v.Date), opt(v.Location), fat, v.FatalitiesLow,
			modality(v.Modality), opt(v.AttributedTo), "", "", v.Rule, in.now); err != nil {
			return len(fresh), internal(err, "insert event claim %s %s", v.ID, v.Type)
		}
	}
	return len(fresh), in.reapplyEdits(fresh)
}

// editableColumns are the claim columns an analyst's edit may change
// (faultline.ClaimEdit), by the field name claim_edits logs.
var editableColumns = map[string]string{
	"predicate": "predicate", "modality": "modality",
	"valid_from": "valid_from", "valid_to": "valid_to", "event_date": "event_date",
}

// reapplyEdits gives claims that a re-ingest recreated the corrections
// analysts made to them before: a claim's id is derived from its source
// and content, so the edit log (kept by claim id, like reviews) still
// names it. Edits apply in the order they were made.
func (in *ingester) reapplyEdits(ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	q := preparedTx{in}
	rows, err := q.QueryContext(in.ctx, `SELECT claim_id, field, new_value, analyst FROM claim_edits
		WHERE claim_id IN (SELECT value FROM json_each(?)) ORDER BY id`, string(list))
	if err != nil {
		return internal(err, "claim edits")
	}
	type edit struct{ id, col, value, analyst string }
	var edits []edit
	for rows.Next() {
		var e edit
		var field string
		if err := rows.Scan(&e.id, &field, &e.value, &e.analyst); err != nil {
			rows.Close()
			return internal(err, "claim edits")
		}
		if e.col = editableColumns[field]; e.col != "" {
			edits = append(edits, e)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return internal(err, "claim edits")
	}
	for _, e := range edits {
		// The column comes from editableColumns, never from the log.
		if _, err := q.ExecContext(in.ctx, `UPDATE claims SET `+e.col+` = ?, analyst = ? WHERE id = ?`, e.value, e.analyst, e.id); err != nil {
			return internal(err, "reapply edit of claim %s", e.id)
		}
	}
	return nil
}

// flushFTS rebuilds the search rows of the entities the document touched.
func (in *ingester) flushFTS() error {
	ids := make([]string, 0, len(in.dirty))
	for id := range in.dirty {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if err := refreshEntityFTS(in.ctx, preparedTx{in}, id); err != nil {
			return err
		}
	}
	return nil
}

// DeleteSource removes a source with its mentions and claims. Entities,
// aliases, merges, claim reviews and the claim edit log stay, so that
// re-ingesting the document restores the analyst's decisions on its claims.
func (db *DB) DeleteSource(ctx context.Context, id int64) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE id = ?`, id)
	if err != nil {
		return internal(err, "delete source %d", id)
	}
	if n, err := r.RowsAffected(); err != nil {
		return internal(err, "delete source %d", id)
	} else if n == 0 {
		return faultline.Errorf(faultline.ENOTFOUND, "source %d not found", id)
	}
	if err := tx.Commit(); err != nil {
		return internal(err, "delete source %d: commit", id)
	}
	return nil
}
