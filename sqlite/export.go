package sqlite

import (
	"context"
	"database/sql"
	"slices"
	"sort"
	"strings"

	"github.com/faultline-osint/faultline"
)

// Snapshot reads, in one read transaction, everything an export may see
// under the filter: the sources it keeps, their claims (rejected ones left
// out, merges followed) with evidence and participants, the relations and
// events aggregated from those claims alone, the records of the dataset
// files it keeps (as events with Record set, see snapshotRecords), and the
// entities they name or mention. Whole tables are scanned once each rather
// than queried per claim: an export reads nearly everything anyway.
//
// When the filter hides anything (a marking below red or a date), an
// entity's aliases of extraction origin are kept only when a mention in a
// kept source uses them, and an entity without a dictionary key whose name
// no kept mention uses is named by its most frequent kept mention, so that
// a name first read in a red report does not leave in a green export.
func (db *DB) Snapshot(ctx context.Context, f faultline.SnapshotFilter) (*faultline.Snapshot, error) {
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
	snap := &faultline.Snapshot{Sources: []faultline.Source{}, Claims: []faultline.Claim{}, Mentions: map[string][]int64{}}

	// Sources.
	level := 4
	if f.MaxTLP != "" {
		level = f.MaxTLP.Level()
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+sourceColumns("s", false)+` FROM sources s WHERE s.tlp_level <= ? ORDER BY s.id`, level)
	if err != nil {
		return nil, internal(err, "snapshot: sources")
	}
	kept := map[int64]bool{}
	published := map[int64]string{}
	for rows.Next() {
		var s faultline.Source
		if err := scanSource(rows, &s, false); err != nil {
			rows.Close()
			return nil, internal(err, "snapshot: sources")
		}
		if !f.SinceKeeps(&s) {
			continue
		}
		kept[s.ID] = true
		if s.Published != "" {
			published[s.ID] = s.Published
		}
		snap.Sources = append(snap.Sources, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err, "snapshot: sources")
	}

	// Claims of the kept sources.
	rows, err = tx.QueryContext(ctx, `SELECT c.id, c.source_id, c.kind, c.subject, c.predicate, c.object, c.role, c.support_kind,
		c.event_type, c.event_date, c.location, c.fatalities, c.fatalities_low, c.modality, c.attributed_to,
		c.credibility, c.valid_from, c.valid_to, c.rule, c.analyst, COALESCE(r.status, 'machine')
		FROM claims c JOIN sources s ON s.id = c.source_id LEFT JOIN reviews r ON r.claim_id = c.id
		WHERE s.tlp_level <= ? AND `+notRejected+` ORDER BY c.source_id, c.id`, level)
	if err != nil {
		return nil, internal(err, "snapshot: claims")
	}
	byID := map[string]int{}
	for rows.Next() {
		var c faultline.Claim
		var subject, predicate, object, eventType, location, attributed sql.NullString
		var fatalities sql.NullInt64
		if err := rows.Scan(&c.ID, &c.SourceID, &c.Kind, &subject, &predicate, &object, &c.Role, &c.SupportKind,
			&eventType, &c.EventDate, &location, &fatalities, &c.FatalitiesLow, &c.Modality, &attributed,
			&c.Credibility, &c.ValidFrom, &c.ValidTo, &c.Rule, &c.Analyst, &c.Status); err != nil {
			rows.Close()
			return nil, internal(err, "snapshot: claims")
		}
		if !kept[c.SourceID] {
			continue
		}
		c.Subject, c.Predicate, c.Object = fin.of(subject.String), faultline.Predicate(predicate.String), fin.of(object.String)
		c.EventType, c.Location, c.AttributedTo = faultline.EventType(eventType.String), fin.of(location.String), fin.of(attributed.String)
		if fatalities.Valid {
			n := int(fatalities.Int64)
			c.Fatalities = &n
		}
		c.Evidence = []faultline.Span{}
		byID[c.ID] = len(snap.Claims)
		snap.Claims = append(snap.Claims, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err, "snapshot: claims")
	}
	if err := scanRows(ctx, tx, `SELECT claim_id, start, "end", text FROM claim_evidence ORDER BY claim_id, seq`, func(r *sql.Rows) error {
		var id string
		var s faultline.Span
		if err := r.Scan(&id, &s.Start, &s.End, &s.Text); err != nil {
			return err
		}
		if i, ok := byID[id]; ok {
			snap.Claims[i].Evidence = append(snap.Claims[i].Evidence, s)
		}
		return nil
	}); err != nil {
		return nil, internal(err, "snapshot: evidence")
	}
	if err := scanRows(ctx, tx, `SELECT claim_id, entity_id, role FROM claim_participants ORDER BY claim_id, seq`, func(r *sql.Rows) error {
		var id string
		var p faultline.Participant
		if err := r.Scan(&id, &p.Entity, &p.Role); err != nil {
			return err
		}
		if i, ok := byID[id]; ok {
			p.Entity = fin.of(p.Entity)
			snap.Claims[i].Participants = append(snap.Claims[i].Participants, p)
		}
		return nil
	}); err != nil {
		return nil, internal(err, "snapshot: participants")
	}

	// The records of the kept dataset files: their entities are wanted,
	// and mentioned by the file.
	keptSources := make(map[int64]*faultline.Source, len(snap.Sources))
	for i := range snap.Sources {
		keptSources[snap.Sources[i].ID] = &snap.Sources[i]
	}
	mentioned := map[string]map[int64]bool{}
	records, err := snapshotRecords(ctx, tx, fin, keptSources, mentioned)
	if err != nil {
		return nil, err
	}

	// Entities: those the claims name, those the kept sources mention and
	// those the kept records name.
	want := map[string]bool{}
	for id := range mentioned {
		want[id] = true
	}
	for _, c := range snap.Claims {
		for _, id := range []string{c.Subject, c.Object, c.Location, c.AttributedTo} {
			if id != "" {
				want[id] = true
			}
		}
		for _, p := range c.Participants {
			want[p.Entity] = true
		}
	}
	// forms maps a final entity to the folded forms kept mentions use,
	// with the surface text of each and how often it occurs; it is only
	// filled when the filter hides anything.
	restricted := f.Restricted()
	forms := map[string]map[string]*form{}
	query := `SELECT source_id, entity_id FROM mentions GROUP BY source_id, entity_id`
	if restricted {
		query = `SELECT source_id, entity_id, text FROM mentions`
	}
	if err := scanRows(ctx, tx, query, func(r *sql.Rows) error {
		var src int64
		var id, text string
		dest := []any{&src, &id}
		if restricted {
			dest = append(dest, &text)
		}
		if err := r.Scan(dest...); err != nil {
			return err
		}
		if !kept[src] {
			return nil
		}
		id = fin.of(id)
		want[id] = true
		if mentioned[id] == nil {
			mentioned[id] = map[int64]bool{}
		}
		mentioned[id][src] = true
		if restricted && text != "" {
			m := forms[id]
			if m == nil {
				m = map[string]*form{}
				forms[id] = m
			}
			n := faultline.NormalizeName(text)
			if fm := m[n]; fm != nil {
				fm.count++
			} else {
				m[n] = &form{text: text, count: 1}
			}
		}
		return nil
	}); err != nil {
		return nil, internal(err, "snapshot: mentions")
	}
	if f.IncludeUnsourced && f.Since == "" {
		// Entities that no source mentions and no claim or dataset record
		// names: a record's entity has its file for a source, and stays
		// out with it.
		ids, err := queryStrings(ctx, tx, `SELECT e.id FROM entities e WHERE e.merged_into IS NULL
			AND NOT EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id = e.id)
			AND NOT EXISTS (SELECT 1 FROM entities g JOIN mentions m ON m.entity_id = g.id WHERE g.merged_into = e.id)
			AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.subject = e.id)
			AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.object = e.id)
			AND NOT `+namedByRecords("e.rid")+`
			AND NOT EXISTS (SELECT 1 FROM entities g WHERE g.merged_into = e.id AND `+namedByRecords("g.rid")+`)`)
		if err != nil {
			return nil, internal(err, "snapshot: unsourced entities")
		}
		for _, id := range ids {
			want[id] = true
		}
	}
	ids := make([]string, 0, len(want))
	for id := range want {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if snap.Entities, err = loadEntities(ctx, tx, ids); err != nil {
		return nil, err
	}
	if err := foldMerged(ctx, tx, fin, snap.Entities, restricted); err != nil {
		return nil, err
	}
	if restricted {
		if err := restrictNames(ctx, tx, fin, snap.Entities, forms); err != nil {
			return nil, err
		}
	}
	for id, srcs := range mentioned {
		list := make([]int64, 0, len(srcs))
		for s := range srcs {
			list = append(list, s)
		}
		slices.Sort(list)
		snap.Mentions[id] = list
	}

	// Aggregates, named.
	snap.Relations = faultline.AggregateRelations(snap.Claims, published)
	snap.Events = append(records, faultline.AggregateEvents(snap.Claims)...)
	refs := make(refs, len(snap.Entities))
	for _, e := range snap.Entities {
		refs[e.ID] = faultline.EntityRef{ID: e.ID, Name: e.Name, Type: e.Type, Lat: e.Lat, Lon: e.Lon}
	}
	for i := range snap.Relations {
		r := &snap.Relations[i]
		r.Subject, r.Object = refs.of(r.Subject.ID), refs.of(r.Object.ID)
	}
	for i := range snap.Events {
		e := &snap.Events[i]
		// In place: every event has a place of its own (a record's is
		// in a block; see snapshotRecords).
		if e.Location != nil {
			*e.Location = refs.of(e.Location.ID)
		}
		for j := range e.Participants {
			e.Participants[j].EntityRef = refs.of(e.Participants[j].ID)
		}
	}
	faultline.SortSnapshot(snap)
	return snap, nil
}

// form is a folded mention form: its first surface text and its count.
type form struct {
	text  string
	count int
}

// scanRows runs a query and calls fn for each row.
func scanRows(ctx context.Context, q queryer, query string, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query)
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

// foldMerged adds to each final entity the names and aliases of the
// entities merged into it, as Entity.Aliases of the final entity. When
// restricted, the extraction-origin names are left for restrictNames to
// judge; they are added all the same and removed there.
func foldMerged(ctx context.Context, q queryer, fin finals, es []faultline.Entity, restricted bool) error {
	if len(fin) == 0 {
		return nil
	}
	at := make(map[string]int, len(es))
	for i := range es {
		at[es[i].ID] = i
	}
	return internal(scanRows(ctx, q, `SELECT e.id, e.name FROM entities e WHERE e.merged_into IS NOT NULL
		UNION ALL SELECT a.entity_id, a.alias FROM aliases a JOIN entities e ON e.id = a.entity_id WHERE e.merged_into IS NOT NULL`,
		func(r *sql.Rows) error {
			var id, name string
			if err := r.Scan(&id, &name); err != nil {
				return err
			}
			i, ok := at[fin.of(id)]
			if !ok {
				return nil
			}
			e := &es[i]
			if name != e.Name && !slices.Contains(e.Aliases, name) {
				e.Aliases = append(e.Aliases, name)
				sort.Strings(e.Aliases)
			}
			return nil
		}), "snapshot: merged names")
}

// restrictNames drops the aliases of extraction origin that no kept
// mention uses and renames keyless entities whose name no kept mention
// uses; forms holds the kept mention forms by final entity.
func restrictNames(ctx context.Context, q queryer, fin finals, es []faultline.Entity, forms map[string]map[string]*form) error {
	// Names given by a dictionary or an analyst are not from any source.
	public := map[string]map[string]bool{}
	if err := scanRows(ctx, q, `SELECT entity_id, norm FROM aliases WHERE origin IN ('dictionary', 'analyst')`, func(r *sql.Rows) error {
		var id, norm string
		if err := r.Scan(&id, &norm); err != nil {
			return err
		}
		id = fin.of(id)
		if public[id] == nil {
			public[id] = map[string]bool{}
		}
		public[id][norm] = true
		return nil
	}); err != nil {
		return internal(err, "snapshot: alias origins")
	}
	for i := range es {
		e := &es[i]
		seen := forms[e.ID]
		ok := func(name string) bool {
			n := faultline.NormalizeName(name)
			return seen[n] != nil || public[e.ID][n]
		}
		keyed := false
		for _, x := range e.ExternalIDs {
			if x.Scheme == keyScheme {
				keyed = true
			}
		}
		if len(seen) == 0 && len(public[e.ID]) == 0 {
			// Named only by claims (an attribution, a participant with no
			// mention): nothing to check against; keep the name alone.
			e.Aliases = []string{}
			continue
		}
		aliases := e.Aliases[:0]
		for _, a := range e.Aliases {
			if ok(a) {
				aliases = append(aliases, a)
			}
		}
		e.Aliases = aliases
		if keyed || ok(e.Name) || len(seen) == 0 {
			continue
		}
		// The most frequent kept form, then the longest, then the first
		// in order.
		var best *form
		norms := make([]string, 0, len(seen))
		for n := range seen {
			norms = append(norms, n)
		}
		sort.Strings(norms)
		for _, n := range norms {
			fm := seen[n]
			if best == nil || fm.count > best.count || fm.count == best.count && len(fm.text) > len(best.text) {
				best = fm
			}
		}
		e.Name = strings.TrimSpace(best.text)
		e.Aliases = slices.DeleteFunc(e.Aliases, func(a string) bool { return a == e.Name })
	}
	return nil
}
