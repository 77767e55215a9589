package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/faultline-osint/faultline"
)

// Claims lists claims with their review status (machine when no analyst
// has reviewed them), by source and position. Entity ids in the result are
// those of the final entities, after merges; EntityID in the filter may be
// any reference FindEntity accepts.
func (db *DB) Claims(ctx context.Context, f faultline.ClaimFilter) ([]faultline.Claim, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var group []string
	if f.EntityID != "" {
		id, err := findFinal(ctx, tx, f.EntityID)
		if err != nil {
			return nil, err
		}
		if group, err = groupOf(ctx, tx, id); err != nil {
			return nil, err
		}
	}
	return db.claims(ctx, tx, f, group)
}

// claimConditions adds a claim filter's source, kind, review status and
// TLP conditions to a query over claims c left-joined to reviews r.
func claimConditions(f faultline.ClaimFilter, where []string, args []any) ([]string, []any, error) {
	if f.SourceID != 0 {
		where = append(where, "c.source_id = ?")
		args = append(args, f.SourceID)
	}
	if f.Kind != "" {
		if f.Kind != faultline.RelationClaim && f.Kind != faultline.EventClaim {
			return nil, nil, faultline.Errorf(faultline.EINVALID, "claim kind %q: want relation or event", f.Kind)
		}
		where = append(where, "c.kind = ?")
		args = append(args, string(f.Kind))
	}
	if f.Status != "" {
		if !validStatus(f.Status) {
			return nil, nil, faultline.Errorf(faultline.EINVALID, "review status %q: want machine, accepted, rejected or edited", f.Status)
		}
		where = append(where, "COALESCE(r.status, 'machine') = ?")
		args = append(args, string(f.Status))
	}
	if f.MaxTLP != "" {
		if f.MaxTLP.Level() < 0 {
			return nil, nil, faultline.Errorf(faultline.EINVALID, "tlp %q: want clear, green, amber, amber+strict or red", f.MaxTLP)
		}
		where = append(where, "c.source_id IN (SELECT id FROM sources WHERE tlp_level <= ?)")
		args = append(args, f.MaxTLP.Level())
	}
	return where, args, nil
}

// claims runs a claim query; a non-empty group keeps the claims involving
// any of those entity rows.
func (db *DB) claims(ctx context.Context, tx *sql.Tx, f faultline.ClaimFilter, group []string) ([]faultline.Claim, error) {
	var where []string
	var args []any
	where, args, err := claimConditions(f, where, args)
	if err != nil {
		return nil, err
	}
	if len(group) > 0 {
		in := "(" + placeholders(len(group)) + ")"
		where = append(where, "(c.subject IN "+in+" OR c.object IN "+in+" OR c.location IN "+in+
			" OR c.id IN (SELECT claim_id FROM claim_participants WHERE entity_id IN "+in+"))")
		for range 4 {
			for _, g := range group {
				args = append(args, g)
			}
		}
	}
	query := `SELECT c.id, c.source_id, c.kind, c.subject, c.predicate, c.object, c.role, c.support_kind,
		c.event_type, c.event_date, c.location, c.fatalities, c.fatalities_low, c.modality, c.attributed_to,
		c.credibility, c.valid_from, c.valid_to, c.rule, c.analyst, COALESCE(r.status, 'machine')
		FROM claims c LEFT JOIN reviews r ON r.claim_id = c.id`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY c.source_id, (SELECT MIN(start) FROM claim_evidence ev WHERE ev.claim_id = c.id), c.id`
	if f.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, internal(err, "list claims")
	}
	out := []faultline.Claim{}
	for rows.Next() {
		var c faultline.Claim
		var subject, predicate, object, eventType, location, attributed sql.NullString
		var fatalities sql.NullInt64
		if err := rows.Scan(&c.ID, &c.SourceID, &c.Kind, &subject, &predicate, &object, &c.Role, &c.SupportKind,
			&eventType, &c.EventDate, &location, &fatalities, &c.FatalitiesLow, &c.Modality, &attributed,
			&c.Credibility, &c.ValidFrom, &c.ValidTo, &c.Rule, &c.Analyst, &c.Status); err != nil {
			rows.Close()
			return nil, internal(err, "list claims")
		}
		c.Subject, c.Predicate, c.Object = subject.String, faultline.Predicate(predicate.String), object.String
		c.EventType, c.Location, c.AttributedTo = faultline.EventType(eventType.String), location.String, attributed.String
		if fatalities.Valid {
			n := int(fatalities.Int64)
			c.Fatalities = &n
		}
		c.Evidence = []faultline.Span{}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err, "list claims")
	}

	finals := map[string]string{}
	final := func(id string) (string, error) {
		if id == "" {
			return "", nil
		}
		if f, ok := finals[id]; ok {
			return f, nil
		}
		f, err := finalOf(ctx, tx, id)
		finals[id] = f
		return f, err
	}
	evStmt, err := tx.PrepareContext(ctx, `SELECT start, "end", text FROM claim_evidence WHERE claim_id = ? ORDER BY seq`)
	if err != nil {
		return nil, internal(err, "list claims: evidence")
	}
	defer evStmt.Close()
	partStmt, err := tx.PrepareContext(ctx, `SELECT entity_id, role FROM claim_participants WHERE claim_id = ? ORDER BY seq`)
	if err != nil {
		return nil, internal(err, "list claims: participants")
	}
	defer partStmt.Close()
	for i := range out {
		c := &out[i]
		for _, p := range []*string{&c.Subject, &c.Object, &c.Location, &c.AttributedTo} {
			if *p, err = final(*p); err != nil {
				return nil, err
			}
		}
		if err := scanAll(ctx, evStmt, c.ID, func(r *sql.Rows) error {
			var s faultline.Span
			if err := r.Scan(&s.Start, &s.End, &s.Text); err != nil {
				return err
			}
			c.Evidence = append(c.Evidence, s)
			return nil
		}); err != nil {
			return nil, internal(err, "list claims: evidence of %s", c.ID)
		}
		if c.Kind != faultline.EventClaim {
			continue
		}
		if err := scanAll(ctx, partStmt, c.ID, func(r *sql.Rows) error {
			var p faultline.Participant
			if err := r.Scan(&p.Entity, &p.Role); err != nil {
				return err
			}
			c.Participants = append(c.Participants, p)
			return nil
		}); err != nil {
			return nil, internal(err, "list claims: participants of %s", c.ID)
		}
		for j := range c.Participants {
			if c.Participants[j].Entity, err = final(c.Participants[j].Entity); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// scanAll runs a prepared query and calls fn for each row.
func scanAll(ctx context.Context, st *sql.Stmt, arg any, fn func(*sql.Rows) error) error {
	rows, err := st.QueryContext(ctx, arg)
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

func validStatus(s faultline.ReviewStatus) bool {
	switch s {
	case faultline.StatusMachine, faultline.StatusAccepted, faultline.StatusRejected, faultline.StatusEdited:
		return true
	}
	return false
}

// SetClaimStatus records an analyst's review of a stored claim. The review
// is kept apart from the claim, by claim id, so it survives the claim being
// deleted and re-created by a re-ingest of its source.
func (db *DB) SetClaimStatus(ctx context.Context, id string, status faultline.ReviewStatus, analyst string) error {
	if !validStatus(status) {
		return faultline.Errorf(faultline.EINVALID, "review status %q: want machine, accepted, rejected or edited", status)
	}
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var one int
	if err := tx.QueryRowContext(ctx, `SELECT 1 FROM claims WHERE id = ?`, id).Scan(&one); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return faultline.Errorf(faultline.ENOTFOUND, "claim %q not found", id)
		}
		return internal(err, "review claim %s", id)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO reviews (claim_id, status, analyst, at) VALUES (?, ?, ?, ?)
		ON CONFLICT (claim_id) DO UPDATE SET status = excluded.status, analyst = excluded.analyst, at = excluded.at`,
		id, string(status), analyst, db.now().Format(timeFormat)); err != nil {
		return internal(err, "review claim %s", id)
	}
	return internal(tx.Commit(), "review claim %s: commit", id)
}
