package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"github.com/faultline-osint/faultline"
)

// finalCTE defines fin(id, final): every merged entity and the final
// entity its chain of merges ends at. Merges are few (analyst decisions),
// so the table is small; entities absent from it are their own final.
const finalCTE = `WITH RECURSIVE walk(id, cur) AS (
	SELECT id, merged_into FROM entities WHERE merged_into IS NOT NULL
	UNION
	SELECT w.id, e.merged_into FROM walk w JOIN entities e ON e.id = w.cur WHERE e.merged_into IS NOT NULL
), fin(id, final) AS MATERIALIZED (
	SELECT w.id, w.cur FROM walk w JOIN entities e ON e.id = w.cur WHERE e.merged_into IS NULL
) `

// notRejected is the condition on a LEFT JOINed reviews r that leaves out
// the claims an analyst rejected.
const notRejected = `COALESCE(r.status, 'machine') <> 'rejected'`

// finals maps every merged entity to its final entity.
type finals map[string]string

// of returns the final entity of id ("" stays "").
func (f finals) of(id string) string {
	if g, ok := f[id]; ok {
		return g
	}
	return id
}

// loadFinals reads the merge map.
func loadFinals(ctx context.Context, q queryer) (finals, error) {
	rows, err := q.QueryContext(ctx, finalCTE+`SELECT id, final FROM fin`)
	if err != nil {
		return nil, internal(err, "follow merges")
	}
	defer rows.Close()
	f := finals{}
	for rows.Next() {
		var id, final string
		if err := rows.Scan(&id, &final); err != nil {
			return nil, internal(err, "follow merges")
		}
		f[id] = final
	}
	return f, internal(rows.Err(), "follow merges")
}

// inList appends "col IN (?, …)" for values to where and args.
func inList[T ~string](col string, values []T, where *[]string, args *[]any) {
	if len(values) == 0 {
		return
	}
	*where = append(*where, col+" IN ("+placeholders(len(values))+")")
	for _, v := range values {
		*args = append(*args, string(v))
	}
}

func appendStrings(args []any, ss []string) []any {
	for _, s := range ss {
		args = append(args, s)
	}
	return args
}

// Relations aggregates the relation claims that pass the filter, following
// merges, folding symmetric predicates and leaving out rejected claims.
func (db *DB) Relations(ctx context.Context, f faultline.RelationFilter) ([]faultline.Relation, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	fin, err := loadFinals(ctx, tx)
	if err != nil {
		return nil, err
	}
	where := []string{"c.kind = 'relation'", notRejected}
	var args []any
	var entity, other string
	if f.EntityID != "" {
		if entity, err = findFinal(ctx, tx, f.EntityID); err != nil {
			return nil, err
		}
		group, err := groupOf(ctx, tx, entity)
		if err != nil {
			return nil, err
		}
		in := "(" + placeholders(len(group)) + ")"
		if f.OtherID == "" {
			where = append(where, "(c.subject IN "+in+" OR c.object IN "+in+")")
			args = appendStrings(appendStrings(args, group), group)
		} else {
			// Only the claims between the two: an index lookup on either
			// side, rather than every claim of a hub entity.
			if other, err = findFinal(ctx, tx, f.OtherID); err != nil {
				return nil, err
			}
			og, err := groupOf(ctx, tx, other)
			if err != nil {
				return nil, err
			}
			oin := "(" + placeholders(len(og)) + ")"
			where = append(where, "(c.subject IN "+in+" AND c.object IN "+oin+" OR c.subject IN "+oin+" AND c.object IN "+in+")")
			args = appendStrings(appendStrings(appendStrings(appendStrings(args, group), og), og), group)
		}
	}
	inList("c.predicate", f.Predicates, &where, &args)
	if f.MaxTLP != "" {
		where = append(where, "s.tlp_level <= ?")
		args = append(args, f.MaxTLP.Level())
	}
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.source_id, c.subject, c.predicate, c.object, c.role, c.support_kind,
		c.modality, c.valid_from, c.valid_to, COALESCE(r.status, 'machine'), s.published
		FROM claims c JOIN sources s ON s.id = c.source_id LEFT JOIN reviews r ON r.claim_id = c.id
		WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return nil, internal(err, "relations")
	}
	var claims []faultline.Claim
	published := map[int64]string{}
	for rows.Next() {
		c := faultline.Claim{Kind: faultline.RelationClaim}
		var pub string
		if err := rows.Scan(&c.ID, &c.SourceID, &c.Subject, &c.Predicate, &c.Object, &c.Role, &c.SupportKind,
			&c.Modality, &c.ValidFrom, &c.ValidTo, &c.Status, &pub); err != nil {
			rows.Close()
			return nil, internal(err, "relations")
		}
		c.Subject, c.Object = fin.of(c.Subject), fin.of(c.Object)
		if pub != "" {
			published[c.SourceID] = pub
		}
		claims = append(claims, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err, "relations")
	}
	all := faultline.AggregateRelations(claims, published)
	out := all[:0]
	for _, r := range all {
		s, o := r.Subject.ID, r.Object.ID
		switch {
		case entity != "" && s != entity && o != entity:
		case other != "" && !(s == entity && o == other || s == other && o == entity):
		case f.MinModality != "" && r.Modality.Strength() < f.MinModality.Strength():
		default:
			out = append(out, r)
		}
	}
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	var ids []string
	for _, r := range out {
		ids = append(ids, r.Subject.ID, r.Object.ID)
	}
	refs, err := loadRefs(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Subject, out[i].Object = refs.of(out[i].Subject.ID), refs.of(out[i].Object.ID)
	}
	return out, nil
}

// Ties streams every relation aggregate as a Tie, in the order each was
// first claimed. One scan reads the relation claims in source order (the
// claims_source index gives it without a sort), and the claims are folded
// in Go by faultline.NewRelationKey: a GROUP BY over a million claims
// spends most of its time sorting text keys, four times the scan. Entity
// ids are interned to int32 so that the running totals take some 40 bytes
// per tie, and reading in source order makes counting distinct sources a
// comparison with the last one counted.
func (db *DB) Ties(ctx context.Context, f faultline.TieFilter, fn func(faultline.Tie) error) error {
	if err := f.Validate(); err != nil {
		return err
	}
	where := []string{"c.kind = 'relation'", "c.id NOT IN (SELECT claim_id FROM reviews WHERE status = 'rejected')"}
	var args []any
	inList("c.predicate", f.Predicates, &where, &args)
	tx, err := db.readTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	fin, err := loadFinals(ctx, tx)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT c.subject, c.predicate, c.object, c.modality, c.source_id
		FROM claims c WHERE `+strings.Join(where, " AND ")+` ORDER BY c.source_id`, args...)
	if err != nil {
		return internal(err, "ties")
	}
	defer rows.Close()

	var ids []string            // interned final entity ids
	index := map[string]int32{} // final id → position in ids
	node := func(raw sql.RawBytes) int32 {
		id, ok := fin[string(raw)]
		if !ok {
			if k, ok := index[string(raw)]; ok {
				return k
			}
			id = string(raw)
		}
		if k, ok := index[id]; ok {
			return k
		}
		k := int32(len(ids))
		ids = append(ids, id)
		index[id] = k
		return k
	}
	preds := map[string]uint8{}
	for i, p := range faultline.Predicates {
		preds[string(p)] = uint8(i)
	}
	strength := map[string]int8{} // of the supporting modalities
	for _, m := range faultline.Modalities {
		if m != faultline.Denied {
			strength[string(m)] = int8(m.Strength())
		}
	}
	type key struct {
		s, o int32
		p    uint8
	}
	type total struct {
		key
		last     int64 // the last source counted
		sources  int32
		strength int8 // of the supporting claims; -1 while there is none
	}
	var totals []total
	at := map[key]int32{}
	var s, p, o, m sql.RawBytes
	var src int64
	for rows.Next() {
		if err := rows.Scan(&s, &p, &o, &m, &src); err != nil {
			return internal(err, "ties")
		}
		pi, ok := preds[string(p)]
		if !ok {
			continue // not in the vocabulary: no tie
		}
		k := key{s: node(s), o: node(o), p: pi}
		if faultline.Predicates[pi].Symmetric() && ids[k.o] < ids[k.s] {
			k.s, k.o = k.o, k.s
		}
		i, ok := at[k]
		if !ok {
			i = int32(len(totals))
			at[k] = i
			totals = append(totals, total{key: k, strength: -1})
		}
		t := &totals[i]
		if st, ok := strength[string(m)]; ok {
			t.strength = max(t.strength, st)
			if t.sources == 0 || src != t.last {
				t.sources++
				t.last = src
			}
		}
	}
	if err := rows.Err(); err != nil {
		return internal(err, "ties")
	}
	rows.Close()
	at = nil
	floor := -1 // the weakest strength kept; -1 keeps denials
	if f.MinModality != "" && f.MinModality.Strength() > 0 {
		floor = f.MinModality.Strength()
	}
	for _, t := range totals {
		if int(t.strength) < floor {
			continue
		}
		tie := faultline.Tie{Subject: ids[t.s], Predicate: faultline.Predicates[t.p], Object: ids[t.o], Sources: int(t.sources), Modality: faultline.Denied}
		if t.strength >= 0 {
			tie.Modality = faultline.ModalityOfStrength(int(t.strength))
		}
		if err := fn(tie); err != nil {
			return err
		}
	}
	return nil
}

// Evidence returns the evidence spans of the claims with their sources,
// ordered by faultline.SortEvidence. Rejected claims are included, marked
// by their status; unknown ids are skipped.
func (db *DB) Evidence(ctx context.Context, claimIDs []string) ([]faultline.ClaimEvidence, error) {
	out := []faultline.ClaimEvidence{}
	if len(claimIDs) == 0 {
		return out, nil
	}
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	const chunk = 400
	for start := 0; start < len(claimIDs); start += chunk {
		part := claimIDs[start:min(start+chunk, len(claimIDs))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		in := "(" + placeholders(len(part)) + ")"
		rows, err := tx.QueryContext(ctx, `SELECT c.id, c.source_id, s.title, s.published, s.reliability, c.modality, COALESCE(r.status, 'machine')
			FROM claims c JOIN sources s ON s.id = c.source_id LEFT JOIN reviews r ON r.claim_id = c.id
			WHERE c.id IN `+in, args...)
		if err != nil {
			return nil, internal(err, "evidence")
		}
		at := map[string]int{}
		first := len(out)
		for rows.Next() {
			e := faultline.ClaimEvidence{Spans: []faultline.Span{}}
			if err := rows.Scan(&e.ClaimID, &e.SourceID, &e.SourceTitle, &e.Published, &e.Reliability, &e.Modality, &e.Status); err != nil {
				rows.Close()
				return nil, internal(err, "evidence")
			}
			if _, dup := at[e.ClaimID]; dup {
				continue
			}
			at[e.ClaimID] = len(out)
			out = append(out, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal(err, "evidence")
		}
		if len(out) < first+len(part) {
			// The ids no claim has may be dataset records.
			var rest []string
			for _, id := range part {
				if _, ok := at[id]; !ok {
					rest = append(rest, id)
				}
			}
			recs, err := datasetEvidence(ctx, tx, rest)
			if err != nil {
				return nil, err
			}
			for _, e := range recs {
				if _, dup := at[e.ClaimID]; !dup {
					at[e.ClaimID] = -1
					out = append(out, e)
				}
			}
		}
		if len(out) == first {
			continue
		}
		rows, err = tx.QueryContext(ctx, `SELECT claim_id, start, "end", text FROM claim_evidence WHERE claim_id IN `+in+` ORDER BY claim_id, seq`, args...)
		if err != nil {
			return nil, internal(err, "evidence spans")
		}
		for rows.Next() {
			var id string
			var s faultline.Span
			if err := rows.Scan(&id, &s.Start, &s.End, &s.Text); err != nil {
				rows.Close()
				return nil, internal(err, "evidence spans")
			}
			if i, ok := at[id]; ok && i >= 0 {
				out[i].Spans = append(out[i].Spans, s)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal(err, "evidence spans")
		}
	}
	faultline.SortEvidence(out)
	return out, nil
}

// Events aggregates the event claims (rejected ones left out, merges
// followed) and returns the events that pass the filter, with the records
// of event datasets, each an event of its own (see dataset_query.go).
// Claims are aggregated over the whole database, or all claims of the
// filter's types, before the actor, place and date filters apply, so that
// an event and its id do not depend on the question asked.
func (db *DB) Events(ctx context.Context, f faultline.EventFilter) ([]faultline.Event, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	lo, hi, _ := faultline.ParseDateRange(f.From, f.To)
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	fin, err := loadFinals(ctx, tx)
	if err != nil {
		return nil, err
	}
	var actor string
	if f.Actor != "" {
		if actor, err = findFinal(ctx, tx, f.Actor); err != nil {
			return nil, err
		}
	}
	var places map[string]bool
	if f.Place != "" {
		place, err := findFinal(ctx, tx, f.Place)
		if err != nil {
			return nil, err
		}
		if places, err = placesWithin(ctx, tx, fin, place); err != nil {
			return nil, err
		}
	}
	where := []string{"c.kind = 'event'", notRejected}
	var args []any
	inList("c.event_type", f.Types, &where, &args)
	if f.MaxTLP != "" {
		where = append(where, "c.source_id IN (SELECT id FROM sources WHERE tlp_level <= ?)")
		args = append(args, f.MaxTLP.Level())
	}
	cond := strings.Join(where, " AND ")
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.source_id, c.event_type, c.event_date, c.location, c.fatalities, c.fatalities_low,
		c.modality, COALESCE(r.status, 'machine')
		FROM claims c LEFT JOIN reviews r ON r.claim_id = c.id WHERE `+cond, args...)
	if err != nil {
		return nil, internal(err, "events")
	}
	var claims []faultline.Claim
	byID := map[string]int{}
	for rows.Next() {
		c := faultline.Claim{Kind: faultline.EventClaim}
		var location sql.NullString
		var fatalities sql.NullInt64
		if err := rows.Scan(&c.ID, &c.SourceID, &c.EventType, &c.EventDate, &location, &fatalities, &c.FatalitiesLow,
			&c.Modality, &c.Status); err != nil {
			rows.Close()
			return nil, internal(err, "events")
		}
		c.Location = fin.of(location.String)
		if fatalities.Valid {
			n := int(fatalities.Int64)
			c.Fatalities = &n
		}
		byID[c.ID] = len(claims)
		claims = append(claims, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err, "events")
	}
	rows, err = tx.QueryContext(ctx, `SELECT p.claim_id, p.entity_id, p.role
		FROM claim_participants p JOIN claims c ON c.id = p.claim_id LEFT JOIN reviews r ON r.claim_id = c.id
		WHERE `+cond+` ORDER BY p.claim_id, p.seq`, args...)
	if err != nil {
		return nil, internal(err, "events: participants")
	}
	for rows.Next() {
		var id string
		var p faultline.Participant
		if err := rows.Scan(&id, &p.Entity, &p.Role); err != nil {
			rows.Close()
			return nil, internal(err, "events: participants")
		}
		if i, ok := byID[id]; ok {
			p.Entity = fin.of(p.Entity)
			claims[i].Participants = append(claims[i].Participants, p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err, "events: participants")
	}

	all := faultline.AggregateEvents(claims)
	out := all[:0]
	for _, e := range all {
		if actor != "" && !hasParticipant(e, actor) {
			continue
		}
		if places != nil && (e.Location == nil || !places[e.Location.ID]) {
			continue
		}
		if !faultline.DateOverlaps(e.Date, lo, hi) {
			continue
		}
		out = append(out, e)
	}
	// The records of event datasets, each an event of its own.
	df := datasetEventFilter{types: f.Types, maxTLP: f.MaxTLP, places: places, lo: lo, hi: hi}
	if actor != "" {
		if df.group, err = groupOf(ctx, tx, actor); err != nil {
			return nil, err
		}
	}
	records, err := datasetEvents(ctx, tx, fin, df)
	if err != nil {
		return nil, err
	}
	if len(records) > 0 {
		out = append(out, records...)
		faultline.SortEvents(out)
	}
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	var ids []string
	for _, e := range out {
		if e.Location != nil {
			ids = append(ids, e.Location.ID)
		}
		for _, p := range e.Participants {
			ids = append(ids, p.ID)
		}
	}
	refs, err := loadRefs(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		e := &out[i]
		if e.Location != nil {
			r := refs.of(e.Location.ID)
			e.Location = &r
		}
		for j := range e.Participants {
			e.Participants[j].EntityRef = refs.of(e.Participants[j].ID)
		}
	}
	return out, nil
}

func hasParticipant(e faultline.Event, id string) bool {
	for _, p := range e.Participants {
		if p.ID == id {
			return true
		}
	}
	return false
}

// placesWithin returns place and every place that located_in claims (not
// rejected, not denied) put within it, directly or through others.
func placesWithin(ctx context.Context, q queryer, fin finals, place string) (map[string]bool, error) {
	// The predicate is a literal so that the partial index on located_in
	// claims applies.
	rows, err := q.QueryContext(ctx, `SELECT c.subject, c.object FROM claims c LEFT JOIN reviews r ON r.claim_id = c.id
		WHERE c.predicate = '`+string(faultline.LocatedIn)+`' AND c.kind = 'relation' AND c.modality <> 'denied' AND `+notRejected)
	if err != nil {
		return nil, internal(err, "places within %s", place)
	}
	children := map[string][]string{}
	for rows.Next() {
		var s, o string
		if err := rows.Scan(&s, &o); err != nil {
			rows.Close()
			return nil, internal(err, "places within %s", place)
		}
		o = fin.of(o)
		children[o] = append(children[o], fin.of(s))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err, "places within %s", place)
	}
	in := map[string]bool{place: true}
	queue := []string{place}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			if !in[c] {
				in[c] = true
				queue = append(queue, c)
			}
		}
	}
	return in, nil
}

// refs maps entity ids to their references.
type refs map[string]faultline.EntityRef

// of returns the reference of id, or one naming only the id.
func (r refs) of(id string) faultline.EntityRef {
	if e, ok := r[id]; ok {
		return e
	}
	return faultline.EntityRef{ID: id}
}

// loadRefs loads the name, type and coordinates of entities.
func loadRefs(ctx context.Context, q queryer, ids []string) (refs, error) {
	out := refs{}
	var todo []string
	for _, id := range ids {
		if _, ok := out[id]; !ok && id != "" {
			out[id] = faultline.EntityRef{ID: id}
			todo = append(todo, id)
		}
	}
	const chunk = 400
	for start := 0; start < len(todo); start += chunk {
		part := todo[start:min(start+chunk, len(todo))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := q.QueryContext(ctx, `SELECT id, name, type, lat, lon FROM entities WHERE id IN (`+placeholders(len(part))+`)`, args...)
		if err != nil {
			return nil, internal(err, "load entity names")
		}
		for rows.Next() {
			var e faultline.EntityRef
			var lat, lon sql.NullFloat64
			if err := rows.Scan(&e.ID, &e.Name, &e.Type, &lat, &lon); err != nil {
				rows.Close()
				return nil, internal(err, "load entity names")
			}
			if lat.Valid && lon.Valid {
				e.Lat, e.Lon = &lat.Float64, &lon.Float64
			}
			out[e.ID] = e
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal(err, "load entity names")
		}
	}
	return out, nil
}
