package sqlite

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"

	"github.com/faultline-osint/faultline"
)

// The browsing queries of faultline.BrowseService: keyset pagination
// (a page costs what it returns, however deep), a source's mentions, claim
// edits and the merge log. Cursors are the sort key of a page's last row,
// base64url-encoded so that callers treat them as opaque.

var _ faultline.BrowseService = (*DB)(nil)

// Page sizes.
const (
	defaultPageSize = 50
	maxPageSize     = 1000
)

func pageSize(n int) int {
	switch {
	case n <= 0:
		return defaultPageSize
	case n > maxPageSize:
		return maxPageSize
	}
	return n
}

// encodeCursor joins the parts of a sort key into a cursor.
func encodeCursor(parts ...string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(parts, "\x1f")))
}

// decodeCursor splits a cursor into n parts, failing with EINVALID.
func decodeCursor(c string, n int) ([]string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	parts := strings.Split(string(b), "\x1f")
	if err != nil || len(parts) != n {
		return nil, faultline.Errorf(faultline.EINVALID, "cursor %q is not one this server handed out", c)
	}
	return parts, nil
}

// EntityPage lists the entities no merge absorbed by name (case-folded),
// then id, from the cursor on.
func (db *DB) EntityPage(ctx context.Context, f faultline.EntityPageFilter) (*faultline.EntityPage, error) {
	limit := pageSize(f.Limit)
	where := []string{"e.merged_into IS NULL"}
	var args []any
	if f.Type != "" {
		if !f.Type.Valid() {
			return nil, faultline.Errorf(faultline.EINVALID, "entity type %q is not an entity type", f.Type)
		}
		where = append(where, "e.type = ?")
		args = append(args, string(f.Type))
	}
	if f.Name != "" {
		p := likePrefix(faultline.NormalizeName(f.Name))
		where = append(where, `(e.norm LIKE ? ESCAPE '\' OR EXISTS (SELECT 1 FROM aliases a WHERE a.entity_id = e.id AND a.norm LIKE ? ESCAPE '\'))`)
		args = append(args, p, p)
	}
	if f.After != "" {
		c, err := decodeCursor(f.After, 2)
		if err != nil {
			return nil, err
		}
		where = append(where, "(e.name COLLATE NOCASE > ? OR (e.name COLLATE NOCASE = ? AND e.id > ?))")
		args = append(args, c[0], c[0], c[1])
	}
	args = append(args, limit+1)
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.name FROM entities e WHERE `+strings.Join(where, " AND ")+
		` ORDER BY e.name COLLATE NOCASE, e.id LIMIT ?`, args...)
	if err != nil {
		return nil, internal(err, "entity page")
	}
	var ids, names []string
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, internal(err, "entity page")
		}
		ids, names = append(ids, id), append(names, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err, "entity page")
	}
	page := &faultline.EntityPage{}
	if len(ids) > limit {
		ids, names = ids[:limit], names[:limit]
		page.Next = encodeCursor(names[limit-1], ids[limit-1])
	}
	if page.Entities, err = loadEntities(ctx, tx, ids); err != nil {
		return nil, err
	}
	return page, nil
}

// claimColumns are the columns scanClaim reads.
const claimColumns = `c.id, c.source_id, c.kind, c.subject, c.predicate, c.object, c.role, c.support_kind,
	c.event_type, c.event_date, c.location, c.fatalities, c.fatalities_low, c.modality, c.attributed_to,
	c.credibility, c.valid_from, c.valid_to, c.rule, c.analyst, COALESCE(r.status, 'machine')`

// scanClaim scans claimColumns.
func scanClaim(rows interface{ Scan(...any) error }) (faultline.Claim, error) {
	var c faultline.Claim
	var subject, predicate, object, eventType, location, attributed sql.NullString
	var fatalities sql.NullInt64
	if err := rows.Scan(&c.ID, &c.SourceID, &c.Kind, &subject, &predicate, &object, &c.Role, &c.SupportKind,
		&eventType, &c.EventDate, &location, &fatalities, &c.FatalitiesLow, &c.Modality, &attributed,
		&c.Credibility, &c.ValidFrom, &c.ValidTo, &c.Rule, &c.Analyst, &c.Status); err != nil {
		return c, err
	}
	c.Subject, c.Predicate, c.Object = subject.String, faultline.Predicate(predicate.String), object.String
	c.EventType, c.Location, c.AttributedTo = faultline.EventType(eventType.String), location.String, attributed.String
	if fatalities.Valid {
		n := int(fatalities.Int64)
		c.Fatalities = &n
	}
	c.Evidence = []faultline.Span{}
	return c, nil
}

// fillClaims adds evidence and participants to claims and maps their
// entity ids to final entities.
func fillClaims(ctx context.Context, q queryer, claims []faultline.Claim) error {
	if len(claims) == 0 {
		return nil
	}
	fin, err := loadFinals(ctx, q)
	if err != nil {
		return err
	}
	at := make(map[string]int, len(claims))
	args := make([]any, len(claims))
	for i := range claims {
		at[claims[i].ID] = i
		args[i] = claims[i].ID
		c := &claims[i]
		c.Subject, c.Object, c.Location, c.AttributedTo = fin.of(c.Subject), fin.of(c.Object), fin.of(c.Location), fin.of(c.AttributedTo)
	}
	in := "(" + placeholders(len(args)) + ")"
	rows, err := q.QueryContext(ctx, `SELECT claim_id, start, "end", text FROM claim_evidence WHERE claim_id IN `+in+` ORDER BY claim_id, seq`, args...)
	if err != nil {
		return internal(err, "claim evidence")
	}
	for rows.Next() {
		var id string
		var s faultline.Span
		if err := rows.Scan(&id, &s.Start, &s.End, &s.Text); err != nil {
			rows.Close()
			return internal(err, "claim evidence")
		}
		claims[at[id]].Evidence = append(claims[at[id]].Evidence, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return internal(err, "claim evidence")
	}
	rows, err = q.QueryContext(ctx, `SELECT claim_id, entity_id, role FROM claim_participants WHERE claim_id IN `+in+` ORDER BY claim_id, seq`, args...)
	if err != nil {
		return internal(err, "claim participants")
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var p faultline.Participant
		if err := rows.Scan(&id, &p.Entity, &p.Role); err != nil {
			return internal(err, "claim participants")
		}
		p.Entity = fin.of(p.Entity)
		claims[at[id]].Participants = append(claims[at[id]].Participants, p)
	}
	return internal(rows.Err(), "claim participants")
}

// ClaimPage lists claims by source then id, from the cursor on, each with
// its evidence and participants.
func (db *DB) ClaimPage(ctx context.Context, f faultline.ClaimPageFilter) (*faultline.ClaimPage, error) {
	limit := min(pageSize(f.Limit), 400) // one IN list for evidence
	var where []string
	var args []any
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if f.EntityID != "" {
		id, err := findFinal(ctx, tx, f.EntityID)
		if err != nil {
			return nil, err
		}
		group, err := groupOf(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		in := "(" + placeholders(len(group)) + ")"
		where = append(where, "(c.subject IN "+in+" OR c.object IN "+in+" OR c.location IN "+in+
			" OR c.id IN (SELECT claim_id FROM claim_participants WHERE entity_id IN "+in+"))")
		for range 4 {
			args = appendStrings(args, group)
		}
	}
	where, args, err = claimConditions(f.ClaimFilter, where, args)
	if err != nil {
		return nil, err
	}
	if f.After != "" {
		c, err := decodeCursor(f.After, 2)
		if err != nil {
			return nil, err
		}
		sid, err := strconv.ParseInt(c[0], 10, 64)
		if err != nil {
			return nil, faultline.Errorf(faultline.EINVALID, "cursor %q is not one this server handed out", f.After)
		}
		where = append(where, "(c.source_id > ? OR (c.source_id = ? AND c.id > ?))")
		args = append(args, sid, sid, c[1])
	}
	query := `SELECT ` + claimColumns + ` FROM claims c LEFT JOIN reviews r ON r.claim_id = c.id`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY c.source_id, c.id LIMIT ?`
	args = append(args, limit+1)
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, internal(err, "claim page")
	}
	page := &faultline.ClaimPage{Claims: []faultline.Claim{}}
	for rows.Next() {
		c, err := scanClaim(rows)
		if err != nil {
			rows.Close()
			return nil, internal(err, "claim page")
		}
		page.Claims = append(page.Claims, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err, "claim page")
	}
	if len(page.Claims) > limit {
		page.Claims = page.Claims[:limit]
		last := page.Claims[limit-1]
		page.Next = encodeCursor(strconv.FormatInt(last.SourceID, 10), last.ID)
	}
	if err := fillClaims(ctx, tx, page.Claims); err != nil {
		return nil, err
	}
	return page, nil
}

// Claim returns one claim with its evidence and participants.
func (db *DB) Claim(ctx context.Context, id string) (*faultline.Claim, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	c, err := scanClaim(tx.QueryRowContext(ctx, `SELECT `+claimColumns+` FROM claims c LEFT JOIN reviews r ON r.claim_id = c.id WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, faultline.Errorf(faultline.ENOTFOUND, "claim %q not found", id)
	} else if err != nil {
		return nil, internal(err, "claim %s", id)
	}
	cs := []faultline.Claim{c}
	if err := fillClaims(ctx, tx, cs); err != nil {
		return nil, err
	}
	return &cs[0], nil
}

// SourcePage lists sources newest first (by ingest time, then id), from
// the cursor on, without their text.
func (db *DB) SourcePage(ctx context.Context, f faultline.SourcePageFilter) (*faultline.SourcePage, error) {
	limit := pageSize(f.Limit)
	var where []string
	var args []any
	if f.Publisher != "" {
		where = append(where, "s.publisher = ? COLLATE NOCASE")
		args = append(args, f.Publisher)
	}
	if f.MaxTLP != "" {
		level := f.MaxTLP.Level()
		if level < 0 {
			return nil, faultline.Errorf(faultline.EINVALID, "tlp %q is not a TLP 2.0 marking", f.MaxTLP)
		}
		where = append(where, "s.tlp_level <= ?")
		args = append(args, level)
	}
	if f.After != "" {
		c, err := decodeCursor(f.After, 2)
		if err != nil {
			return nil, err
		}
		id, err := strconv.ParseInt(c[1], 10, 64)
		if err != nil {
			return nil, faultline.Errorf(faultline.EINVALID, "cursor %q is not one this server handed out", f.After)
		}
		where = append(where, "(s.ingested_at < ? OR (s.ingested_at = ? AND s.id < ?))")
		args = append(args, c[0], c[0], id)
	}
	query := `SELECT ` + sourceColumns("s", false) + `, s.ingested_at FROM sources s`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY s.ingested_at DESC, s.id DESC LIMIT ?`
	args = append(args, limit+1)
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, internal(err, "source page")
	}
	defer rows.Close()
	page := &faultline.SourcePage{Sources: []faultline.Source{}}
	var at []string
	for rows.Next() {
		var s faultline.Source
		var raw string
		if err := scanSource(rows, &s, false, &raw); err != nil {
			return nil, internal(err, "source page")
		}
		page.Sources = append(page.Sources, s)
		at = append(at, raw)
	}
	if err := rows.Err(); err != nil {
		return nil, internal(err, "source page")
	}
	if len(page.Sources) > limit {
		page.Sources = page.Sources[:limit]
		page.Next = encodeCursor(at[limit-1], strconv.FormatInt(page.Sources[limit-1].ID, 10))
	}
	return page, nil
}

// SourceMentions lists the mentions of a source in text order, each with
// the final entity it resolved to.
func (db *DB) SourceMentions(ctx context.Context, sourceID int64) ([]faultline.SourceMention, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var one int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM sources WHERE id = ?`, sourceID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
		return nil, faultline.Errorf(faultline.ENOTFOUND, "source %d not found", sourceID)
	} else if err != nil {
		return nil, internal(err, "mentions of source %d", sourceID)
	}
	fin, err := loadFinals(ctx, tx)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT start, "end", text, rule, entity_id FROM mentions WHERE source_id = ? ORDER BY start, "end", seq`, sourceID)
	if err != nil {
		return nil, internal(err, "mentions of source %d", sourceID)
	}
	out := []faultline.SourceMention{}
	var ids []string
	for rows.Next() {
		var m faultline.SourceMention
		if err := rows.Scan(&m.Start, &m.End, &m.Text, &m.Rule, &m.Entity.ID); err != nil {
			rows.Close()
			return nil, internal(err, "mentions of source %d", sourceID)
		}
		m.Entity.ID = fin.of(m.Entity.ID)
		ids = append(ids, m.Entity.ID)
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err, "mentions of source %d", sourceID)
	}
	refs, err := loadRefs(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Entity = refs.of(out[i].Entity.ID)
	}
	return out, nil
}

// EditClaim updates a claim in place with an analyst's correction, logs
// each changed field in claim_edits and marks the claim edited. A new
// predicate must fit the types of the claim's entities (ValidRelation).
func (db *DB) EditClaim(ctx context.Context, id string, e faultline.ClaimEdit, analyst string) error {
	if err := e.Validate(); err != nil {
		return err
	}
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var kind, modality, validFrom, validTo, eventDate string
	var predicate, subject, object sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT kind, predicate, subject, object, modality, valid_from, valid_to, event_date FROM claims WHERE id = ?`, id).
		Scan(&kind, &predicate, &subject, &object, &modality, &validFrom, &validTo, &eventDate)
	if errors.Is(err, sql.ErrNoRows) {
		return faultline.Errorf(faultline.ENOTFOUND, "claim %q not found", id)
	} else if err != nil {
		return internal(err, "edit claim %s", id)
	}
	type change struct{ field, col, old, new string }
	var changes []change
	if e.Predicate != "" && string(e.Predicate) != predicate.String {
		if kind != string(faultline.RelationClaim) {
			return faultline.Errorf(faultline.EINVALID, "edit claim %s: an event claim has no predicate", id)
		}
		var st, ot faultline.EntityType
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT type FROM entities WHERE id = ?), (SELECT type FROM entities WHERE id = ?)`,
			subject.String, object.String).Scan(&st, &ot); err != nil {
			return internal(err, "edit claim %s", id)
		}
		if !faultline.ValidRelation(st, e.Predicate, ot) {
			return faultline.Errorf(faultline.EINVALID, "edit claim %s: a %s cannot be %s a %s", id, st, e.Predicate, ot)
		}
		changes = append(changes, change{"predicate", "predicate", predicate.String, string(e.Predicate)})
	}
	if e.Modality != "" && string(e.Modality) != modality {
		changes = append(changes, change{"modality", "modality", modality, string(e.Modality)})
	}
	for _, d := range []struct {
		field string
		v     *string
		old   string
	}{{"valid_from", e.ValidFrom, validFrom}, {"valid_to", e.ValidTo, validTo}, {"event_date", e.EventDate, eventDate}} {
		if d.v != nil && *d.v != d.old {
			changes = append(changes, change{d.field, d.field, d.old, *d.v})
		}
	}
	now := db.now().Format(timeFormat)
	for _, c := range changes {
		// The column names come from the list above, never from input.
		if _, err := tx.ExecContext(ctx, `UPDATE claims SET `+c.col+` = ?, analyst = ? WHERE id = ?`, c.new, analyst, id); err != nil {
			return internal(err, "edit claim %s: %s", id, c.field)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO claim_edits (claim_id, field, old_value, new_value, analyst, at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, c.field, c.old, c.new, analyst, now); err != nil {
			return internal(err, "edit claim %s: log", id)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO reviews (claim_id, status, analyst, at) VALUES (?, 'edited', ?, ?)
		ON CONFLICT (claim_id) DO UPDATE SET status = excluded.status, analyst = excluded.analyst, at = excluded.at`,
		id, analyst, now); err != nil {
		return internal(err, "edit claim %s: review", id)
	}
	return internal(tx.Commit(), "edit claim %s: commit", id)
}

// MergeLog lists merges newest first, undone ones included.
func (db *DB) MergeLog(ctx context.Context, limit int) ([]faultline.MergeRecord, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, from_id, into_id, analyst, at, COALESCE(undone_at, ''), COALESCE(undone_by, '')
		FROM merges ORDER BY id DESC LIMIT ?`, pageSize(limit))
	if err != nil {
		return nil, internal(err, "merge log")
	}
	out := []faultline.MergeRecord{}
	var ids []string
	for rows.Next() {
		var m faultline.MergeRecord
		if err := rows.Scan(&m.ID, &m.From.ID, &m.Into.ID, &m.Analyst, &m.At, &m.UndoneAt, &m.UndoneBy); err != nil {
			rows.Close()
			return nil, internal(err, "merge log")
		}
		ids = append(ids, m.From.ID, m.Into.ID)
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err, "merge log")
	}
	refs, err := loadRefs(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].From, out[i].Into = refs.of(out[i].From.ID), refs.of(out[i].Into.ID)
	}
	return out, nil
}

// ClaimSources streams every claim's source id and reliability.
func (db *DB) ClaimSources(ctx context.Context, fn func(faultline.ClaimSource) error) error {
	rows, err := db.read.QueryContext(ctx, `SELECT c.id, c.source_id, s.reliability FROM claims c JOIN sources s ON s.id = c.source_id`)
	if err != nil {
		return internal(err, "claim sources")
	}
	defer rows.Close()
	for rows.Next() {
		var cs faultline.ClaimSource
		if err := rows.Scan(&cs.ClaimID, &cs.SourceID, &cs.Reliability); err != nil {
			return internal(err, "claim sources")
		}
		if err := fn(cs); err != nil {
			return err
		}
	}
	return internal(rows.Err(), "claim sources")
}

// Fingerprint summarises what analysts and ingests have written: source
// count and newest id, the newest review, merge, undo, analyst alias and
// claim edit. Every part is read from an index, so it is cheap to poll.
func (db *DB) Fingerprint(ctx context.Context) (string, error) {
	var parts [8]string
	err := db.read.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM sources),
		(SELECT COALESCE(MAX(id), 0) FROM sources),
		(SELECT COALESCE(MAX(at), '') FROM reviews),
		(SELECT COALESCE(MAX(id), 0) FROM merges),
		(SELECT COUNT(*) FROM merges WHERE undone_at IS NOT NULL),
		(SELECT COALESCE(MAX(created_at), '') FROM aliases WHERE origin = 'analyst'),
		(SELECT COALESCE(MAX(at), '') FROM claim_edits),
		(SELECT COUNT(*) FROM reviews)`).Scan(&parts[0], &parts[1], &parts[2], &parts[3], &parts[4], &parts[5], &parts[6], &parts[7])
	if err != nil {
		return "", internal(err, "fingerprint")
	}
	return strings.Join(parts[:], "|"), nil
}

// EntityIndex streams every entity with its own aliases and external ids
// and its mentions counted by source. Five scans, each in the order of an
// index, joined in Go: no sort over the mentions table.
func (db *DB) EntityIndex(ctx context.Context, fn func(faultline.EntityIndexEntry) error) error {
	tx, err := db.readTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	byID := map[string]*faultline.EntityIndexEntry{}
	var order []*faultline.EntityIndexEntry
	rows, err := tx.QueryContext(ctx, `SELECT id, name, type, key, lat, lon, merged_into FROM entities`)
	if err != nil {
		return internal(err, "entity index")
	}
	for rows.Next() {
		e := &faultline.EntityIndexEntry{Entity: faultline.Entity{Aliases: []string{}}}
		var key, merged sql.NullString
		var lat, lon sql.NullFloat64
		if err := rows.Scan(&e.ID, &e.Name, &e.Type, &key, &lat, &lon, &merged); err != nil {
			rows.Close()
			return internal(err, "entity index")
		}
		if key.Valid {
			e.ExternalIDs = append(e.ExternalIDs, faultline.ExternalID{Scheme: keyScheme, Value: key.String})
		}
		if lat.Valid && lon.Valid {
			e.Lat, e.Lon = &lat.Float64, &lon.Float64
		}
		e.MergedInto = merged.String
		byID[e.ID] = e
		order = append(order, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return internal(err, "entity index")
	}
	if err := eachRow(ctx, tx, `SELECT entity_id, alias FROM aliases ORDER BY entity_id, alias`, func(r *sql.Rows) error {
		var id, alias string
		if err := r.Scan(&id, &alias); err != nil {
			return err
		}
		if e := byID[id]; e != nil {
			e.Aliases = append(e.Aliases, alias)
		}
		return nil
	}); err != nil {
		return internal(err, "entity index: aliases")
	}
	if err := eachRow(ctx, tx, `SELECT entity_id, scheme, value FROM external_ids ORDER BY entity_id, scheme, value`, func(r *sql.Rows) error {
		var id string
		var x faultline.ExternalID
		if err := r.Scan(&id, &x.Scheme, &x.Value); err != nil {
			return err
		}
		if e := byID[id]; e != nil && !(x.Scheme == keyScheme && len(e.ExternalIDs) > 0 && e.ExternalIDs[0] == x) {
			e.ExternalIDs = append(e.ExternalIDs, x)
		}
		return nil
	}); err != nil {
		return internal(err, "entity index: external ids")
	}
	// Mentions are clustered by source: count each source's entities,
	// then move on.
	var cur int64 = -1
	counts := map[string]int{}
	flush := func() {
		for id, n := range counts {
			if e := byID[id]; e != nil {
				e.Sources = append(e.Sources, faultline.SourceMentions{SourceID: cur, Mentions: n})
			}
		}
		clear(counts)
	}
	if err := eachRow(ctx, tx, `SELECT source_id, entity_id FROM mentions`, func(r *sql.Rows) error {
		var sid int64
		var id string
		if err := r.Scan(&sid, &id); err != nil {
			return err
		}
		if sid != cur {
			flush()
			cur = sid
		}
		counts[id]++
		return nil
	}); err != nil {
		return internal(err, "entity index: mentions")
	}
	flush()
	for _, e := range order {
		if err := fn(*e); err != nil {
			return err
		}
	}
	return nil
}

// eachRow runs a query and calls fn for each row.
func eachRow(ctx context.Context, q queryer, query string, fn func(*sql.Rows) error, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
