package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/faultline-osint/faultline"
)

// ScanModel streams, in one read transaction, what a read model is built
// from (see faultline.ModelSource). Rows are scanned into reused byte
// buffers, so that the millions of ids a large database holds cost no
// allocation here; the reader interns what it keeps.
func (db *DB) ScanModel(ctx context.Context, v *faultline.ModelVisitor) error {
	tx, err := db.readTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	fin, err := loadFinals(ctx, tx)
	if err != nil {
		return err
	}
	// each runs query and calls fn on each row; an error of fn is the
	// visitor's and goes back unwrapped.
	each := func(what, query string, scan func(*sql.Rows) error, fn func() error, args ...any) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return internal(err, "read model: %s", what)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return internal(err, "read model: %s", what)
			}
			if err := fn(); err != nil {
				return visitorError{err}
			}
		}
		return internal(rows.Err(), "read model: %s", what)
	}
	err = scanModel(ctx, tx, fin, v, each)
	var ve visitorError
	if errors.As(err, &ve) {
		return ve.err
	}
	return err
}

// visitorError carries an error of a visitor's function through each.
type visitorError struct{ err error }

func (e visitorError) Error() string { return e.err.Error() }
func (e visitorError) Unwrap() error { return e.err }

func scanModel(ctx context.Context, tx *sql.Tx, fin finals, v *faultline.ModelVisitor,
	each func(what, query string, scan func(*sql.Rows) error, fn func() error, args ...any) error) error {
	var src faultline.Source
	if err := each("sources", `SELECT `+sourceColumns("s", false)+` FROM sources s ORDER BY s.id`,
		func(r *sql.Rows) error { src = faultline.Source{}; return scanSource(r, &src, false) },
		func() error { return v.Source(&src) }); err != nil {
		return err
	}

	e := faultline.EntityRow{KeyScheme: keyScheme}
	var lat, lon sql.NullFloat64
	var id, a, b sql.RawBytes
	if err := each("entities", `SELECT id, name, type, key, lat, lon, merged_into FROM entities`,
		func(r *sql.Rows) error {
			err := r.Scan((*sql.RawBytes)(&e.ID), (*sql.RawBytes)(&e.Name), (*sql.RawBytes)(&e.Type), (*sql.RawBytes)(&e.Key),
				&lat, &lon, (*sql.RawBytes)(&e.MergedInto))
			e.HasCoords = lat.Valid && lon.Valid
			e.Lat, e.Lon = lat.Float64, lon.Float64
			return err
		},
		func() error { return v.Entity(&e) }); err != nil {
		return err
	}
	if err := each("aliases", `SELECT entity_id, alias FROM aliases ORDER BY entity_id, alias`,
		func(r *sql.Rows) error { return r.Scan(&id, &a) },
		func() error { return v.Alias(id, a) }); err != nil {
		return err
	}
	// The key is reported first, as EntityRow.Key; its row here would
	// repeat it.
	if err := each("external ids", `SELECT x.entity_id, x.scheme, x.value FROM external_ids x LEFT JOIN entities e ON e.id = x.entity_id
		WHERE NOT (x.scheme = ? AND e.key IS NOT NULL AND x.value = e.key) ORDER BY x.entity_id, x.scheme, x.value`,
		func(r *sql.Rows) error { return r.Scan(&id, &a, &b) },
		func() error { return v.ExternalID(id, a, b) }, keyScheme); err != nil {
		return err
	}
	// Counted by SQLite over the covering index (entity_id, source_id,
	// seq), already in order: no sort, a row per entity and source.
	var sid int64
	var n int
	if err := each("mentions", `SELECT entity_id, source_id, COUNT(*) FROM mentions GROUP BY entity_id, source_id`,
		func(r *sql.Rows) error { return r.Scan(&id, &sid, &n) },
		func() error { return v.Mentions(id, sid, n) }); err != nil {
		return err
	}

	// The relation claims in the order of Relations (a scan of the claims
	// table, by rowid), without its joins: a claim's source is checked by
	// the reader, which has them all, and the reviews that matter (the
	// rejections and acceptances an analyst made, few) are read first,
	// rather than looked up for each of millions of claims.
	finB := make(map[string][]byte, len(fin))
	for k, f := range fin {
		finB[k] = []byte(f)
	}
	final := func(raw []byte) []byte {
		if f, ok := finB[string(raw)]; ok {
			return f
		}
		return raw
	}
	reviewed := map[string]bool{} // claim → accepted (else rejected)
	var status string
	if err := each("reviews", `SELECT claim_id, status FROM reviews WHERE status IN ('accepted', 'rejected')`,
		func(r *sql.Rows) error { return r.Scan(&id, &status) },
		func() error { reviewed[string(id)] = status == string(faultline.StatusAccepted); return nil }); err != nil {
		return err
	}
	accepted, machine := []byte(faultline.StatusAccepted), []byte(faultline.StatusMachine)
	var c faultline.RelationClaimRow
	var subject, object sql.RawBytes
	if err := each("relation claims", `SELECT c.id, c.source_id, c.subject, c.predicate, c.object, c.role, c.support_kind,
		c.modality, c.valid_from, c.valid_to FROM claims c WHERE c.kind = 'relation'`,
		func(r *sql.Rows) error {
			err := r.Scan((*sql.RawBytes)(&c.ID), &c.SourceID, &subject, (*sql.RawBytes)(&c.Predicate), &object,
				(*sql.RawBytes)(&c.Role), (*sql.RawBytes)(&c.SupportKind), (*sql.RawBytes)(&c.Modality),
				(*sql.RawBytes)(&c.ValidFrom), (*sql.RawBytes)(&c.ValidTo))
			c.Subject, c.Object = final(subject), final(object)
			return err
		},
		func() error {
			c.Status = machine
			if ok, found := reviewed[string(c.ID)]; found {
				if !ok {
					return nil // rejected
				}
				c.Status = accepted
			}
			return v.RelationClaim(&c)
		}); err != nil {
		return err
	}

	// Event claims a type at a time: aggregation needs a type's claims
	// together, and never more.
	var types []string
	var t string
	if err := each("event types", `SELECT DISTINCT event_type FROM claims WHERE kind = 'event' ORDER BY event_type`,
		func(r *sql.Rows) error { return r.Scan(&t) },
		func() error { types = append(types, t); return nil }); err != nil {
		return err
	}
	// Each claim with its participants, concatenated by a subquery over
	// the participants' primary key: a join would look every claim up
	// twice and sort the participants.
	const (
		unitSep   = "\x1f"
		recordSep = "\x1e"
	)
	var claims []faultline.Claim
	var date, location, modality, parts sql.RawBytes
	var fatalities sql.NullInt64
	var low bool
	for _, t := range types {
		claims = claims[:0]
		if err := each("event claims", `SELECT c.id, c.source_id, c.event_date, c.location, c.fatalities, c.fatalities_low, c.modality,
			(SELECT group_concat(p.entity_id || char(31) || p.role, char(30) ORDER BY p.seq) FROM claim_participants p WHERE p.claim_id = c.id)
			FROM claims c WHERE c.kind = 'event' AND c.event_type = ?`,
			func(r *sql.Rows) error {
				return r.Scan(&id, &sid, &date, &location, &fatalities, &low, &modality, &parts)
			},
			func() error {
				c := faultline.Claim{ID: string(id), SourceID: sid, Kind: faultline.EventClaim, EventType: faultline.EventType(t),
					EventDate: string(date), Location: fin.of(string(location)), FatalitiesLow: low,
					Modality: faultline.Modality(modality), Status: faultline.StatusMachine}
				if ok, found := reviewed[c.ID]; found {
					if !ok {
						return nil // rejected
					}
					c.Status = faultline.StatusAccepted
				}
				if fatalities.Valid {
					n := int(fatalities.Int64)
					c.Fatalities = &n
				}
				for p := range strings.SplitSeq(string(parts), recordSep) {
					entity, role, ok := strings.Cut(p, unitSep)
					if ok {
						c.Participants = append(c.Participants, faultline.Participant{Entity: fin.of(entity), Role: faultline.ParticipantRole(role)})
					}
				}
				claims = append(claims, c)
				return nil
			}, t); err != nil {
			return err
		}
		if err := v.EventClaims(claims); err != nil {
			return visitorError{err}
		}
	}
	records, err := datasetEvents(ctx, tx, fin, datasetEventFilter{})
	if err != nil {
		return err
	}
	if err := v.DatasetEvents(records); err != nil {
		return visitorError{err}
	}
	return nil
}
