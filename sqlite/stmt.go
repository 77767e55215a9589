package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"github.com/faultline-osint/faultline"
)

// mentionBatch is how many mentions one insertMentions statement stores.
const mentionBatch = 32

const (
	mentionInsert = `INSERT INTO mentions (source_id, seq, entity_id, start, "end", text, rule) VALUES `
	mentionValues = `(?, ?, ?, ?, ?, ?, ?)`
)

// statements are the writer's prepared statements, used by every ingest
// through tx.StmtContext; with one writer connection they are prepared once.
type statements struct {
	sourceBySHA        *sql.Stmt
	insertSource       *sql.Stmt
	entityByKey        *sql.Stmt
	entityByExternalID *sql.Stmt
	entityByID         *sql.Stmt
	nameCandidates     *sql.Stmt
	insertEntity       *sql.Stmt
	setKey             *sql.Stmt
	insertAlias        *sql.Stmt
	upgradeName        *sql.Stmt
	keepOldName        *sql.Stmt
	insertExternalID   *sql.Stmt
	setCoords          *sql.Stmt
	mentionCount       *sql.Stmt
	insertMention      *sql.Stmt
	insertMentions     *sql.Stmt
	insertClaim        *sql.Stmt
	insertEvidence     *sql.Stmt
	insertParticipant  *sql.Stmt
}

// queries pairs each statement with its SQL.
func (s *statements) queries() []struct {
	stmt  **sql.Stmt
	query string
} {
	return []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&s.sourceBySHA, `SELECT id FROM sources WHERE sha256 = ?`},
		{&s.insertSource, `INSERT INTO sources (sha256, title, url, publisher, author, published, path, format, reliability, tlp, text, chars, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&s.entityByKey, `SELECT id, type, key, norm, merged_into FROM entities WHERE key = ?`},
		{&s.entityByID, `SELECT id, type, key, norm, merged_into FROM entities WHERE id = ?`},
		{&s.entityByExternalID, `SELECT e.id, e.type, e.key, e.norm, e.merged_into FROM external_ids x JOIN entities e ON e.id = x.entity_id WHERE x.scheme = ? AND x.value = ?`},
		// Candidates by name: the aliases equal to any of the names in the
		// JSON array ?1, flagged when an analyst gave them, and the
		// entities whose canonical name is ?2.
		{&s.nameCandidates, `SELECT e.id, e.type, e.key, e.norm, e.merged_into, a.norm, a.origin = 'analyst'
			FROM aliases a JOIN entities e ON e.id = a.entity_id
			WHERE a.norm IN (SELECT value FROM json_each(?1))
			UNION ALL
			SELECT id, type, key, norm, merged_into, norm, 0 FROM entities WHERE norm = ?2`},
		{&s.insertEntity, `INSERT INTO entities (id, name, norm, type, key, lat, lon, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`},
		{&s.setKey, `UPDATE entities SET key = ? WHERE id = ? AND key IS NULL`},
		{&s.insertAlias, `INSERT INTO aliases (entity_id, alias, norm, origin, analyst, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (entity_id, norm) DO NOTHING`},
		// Only an all-capitals name (an acronym) gives way, to a longer one.
		{&s.keepOldName, `INSERT INTO aliases (entity_id, alias, norm, origin, analyst, created_at) SELECT id, name, norm, 'extraction', '', ? FROM entities WHERE id = ? AND name = upper(name) AND length(name) < length(?) ON CONFLICT (entity_id, norm) DO NOTHING`},
		{&s.upgradeName, `UPDATE entities SET name = ?, norm = ? WHERE id = ? AND name = upper(name) AND length(name) < length(?)`},
		{&s.insertExternalID, `INSERT INTO external_ids (entity_id, scheme, value) VALUES (?, ?, ?) ON CONFLICT (scheme, value) DO NOTHING`},
		{&s.setCoords, `UPDATE entities SET lat = ?, lon = ? WHERE id = ? AND lat IS NULL`},
		{&s.mentionCount, `SELECT COUNT(*) FROM mentions WHERE entity_id = ?`},
		{&s.insertMention, mentionInsert + mentionValues},
		{&s.insertMentions, mentionInsert + strings.Repeat(mentionValues+", ", mentionBatch-1) + mentionValues},
		{&s.insertClaim, `INSERT INTO claims (id, source_id, kind, subject, predicate, object, role, support_kind, event_type, event_date, location, fatalities, fatalities_low, modality, attributed_to, valid_from, valid_to, rule, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`},
		{&s.insertEvidence, `INSERT INTO claim_evidence (claim_id, seq, start, "end", text) VALUES (?, ?, ?, ?, ?)`},
		{&s.insertParticipant, `INSERT INTO claim_participants (claim_id, seq, entity_id, role) VALUES (?, ?, ?, ?)`},
	}
}

// prepare prepares every statement on the writer.
func (db *DB) prepare(ctx context.Context) error {
	for _, q := range db.stmt.queries() {
		st, err := db.write.PrepareContext(ctx, q.query)
		if err != nil {
			return faultline.Errorf(faultline.EINTERNAL, "prepare %q: %w", q.query, err)
		}
		*q.stmt = st
	}
	return nil
}

// preparedTx is a queryer over an ingest transaction that prepares each
// query once per transaction and reuses it: the shared helpers
// (refreshEntityFTS) run their queries for every entity an ingest touches,
// and parsing the SQL each time was a fifth of a bulk ingest.
type preparedTx struct{ in *ingester }

func (p preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := p.in.prepared(query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (p preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := p.in.prepared(query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (p preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.in.prepared(query)
	if err != nil {
		// *sql.Row cannot be made with an error; the unprepared query
		// reports the same failure.
		return p.in.tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// prepared returns query prepared on the ingester's transaction, once per
// transaction.
func (in *ingester) prepared(query string) (*sql.Stmt, error) {
	if st, ok := in.adhoc[query]; ok {
		return st, nil
	}
	st, err := in.tx.PrepareContext(in.ctx, query)
	if err != nil {
		return nil, faultline.Errorf(faultline.EINTERNAL, "prepare %q: %w", query, err)
	}
	if in.adhoc == nil {
		in.adhoc = map[string]*sql.Stmt{}
	}
	in.adhoc[query] = st
	return st, nil
}

// closeStatements closes the prepared statements.
func (db *DB) closeStatements() {
	for _, q := range db.stmt.queries() {
		if *q.stmt != nil {
			(*q.stmt).Close()
		}
	}
}
