package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"

	"github.com/faultline-osint/faultline"
)

// maxMergeDepth bounds the walk along merged_into; merges cannot form
// cycles, so a longer chain means a corrupt database.
const maxMergeDepth = 64

// keyScheme is the external-id scheme under which an entity's dictionary
// key is reported.
const keyScheme = "faultline"

// finalOf follows merged_into from id to the entity no merge has absorbed.
func finalOf(ctx context.Context, q queryer, id string) (string, error) {
	cur := id
	for range maxMergeDepth {
		var next sql.NullString
		if err := q.QueryRowContext(ctx, `SELECT merged_into FROM entities WHERE id = ?`, cur).Scan(&next); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return "", faultline.Errorf(faultline.ENOTFOUND, "entity %s not found", cur)
			}
			return "", internal(err, "follow merges of %s", id)
		}
		if !next.Valid {
			return cur, nil
		}
		cur = next.String
	}
	return "", faultline.Errorf(faultline.EINTERNAL, "follow merges of %s: chain longer than %d", id, maxMergeDepth)
}

// groupQuery selects an entity and every entity merged into it, directly
// or through others.
const groupQuery = `WITH RECURSIVE grp(id) AS (
	SELECT ?
	UNION SELECT e.id FROM entities e JOIN grp ON e.merged_into = grp.id
) `

// groupOf returns id followed by the ids of the entities merged into it.
func groupOf(ctx context.Context, q queryer, id string) ([]string, error) {
	rows, err := q.QueryContext(ctx, groupQuery+`SELECT id FROM grp`, id)
	if err != nil {
		return nil, internal(err, "merge group of %s", id)
	}
	defer rows.Close()
	out := []string{id}
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, internal(err, "merge group of %s", id)
		}
		if m != id {
			out = append(out, m)
		}
	}
	return out, internal(rows.Err(), "merge group of %s", id)
}

// refreshEntityFTS rebuilds the search row of entity id: none when it is
// merged into another, else its name and the names and aliases of its
// whole merge group.
func refreshEntityFTS(ctx context.Context, q queryer, id string) error {
	var rid int64
	var name string
	var merged sql.NullString
	if err := q.QueryRowContext(ctx, `SELECT rid, name, merged_into FROM entities WHERE id = ?`, id).Scan(&rid, &name, &merged); err != nil {
		return internal(err, "search index of entity %s", id)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM entity_fts WHERE rowid = ?`, rid); err != nil {
		return internal(err, "search index of entity %s", id)
	}
	if merged.Valid {
		return nil
	}
	rows, err := q.QueryContext(ctx, groupQuery+`
		SELECT e.name FROM entities e JOIN grp ON grp.id = e.id WHERE e.id <> ?
		UNION ALL SELECT a.alias FROM aliases a JOIN grp ON grp.id = a.entity_id`, id, id)
	if err != nil {
		return internal(err, "search index of entity %s", id)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return internal(err, "search index of entity %s", id)
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return internal(err, "search index of entity %s", id)
	}
	sort.Strings(names)
	if _, err := q.ExecContext(ctx, `INSERT INTO entity_fts (rowid, name, aliases) VALUES (?, ?, ?)`,
		rid, name, strings.Join(names, " · ")); err != nil {
		return internal(err, "search index of entity %s", id)
	}
	return nil
}

// lookup returns the entity rows a reference names, without following
// merges: by id, else by exact key, else by normalised canonical name,
// else by alias. Only the first rule that matches anything counts.
func lookup(ctx context.Context, q queryer, ref string) ([]string, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, faultline.Errorf(faultline.EINVALID, "entity reference is empty")
	}
	norm := faultline.NormalizeName(ref)
	steps := []struct {
		query string
		arg   string
	}{
		{`SELECT id FROM entities WHERE id = ?`, ref},
		{`SELECT id FROM entities WHERE key = ?`, ref},
		{`SELECT id FROM entities WHERE norm = ? ORDER BY id`, norm},
		{`SELECT DISTINCT entity_id FROM aliases WHERE norm = ? ORDER BY entity_id`, norm},
	}
	for _, s := range steps {
		if s.arg == "" {
			continue
		}
		ids, err := queryStrings(ctx, q, s.query, s.arg)
		if err != nil {
			return nil, internal(err, "find entity %q", ref)
		}
		if len(ids) > 0 {
			return ids, nil
		}
	}
	return nil, faultline.Errorf(faultline.ENOTFOUND, "no entity matches %q", ref)
}

// queryStrings runs a query returning one text column.
func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// findFinal resolves ref to one final entity id, following merges.
func findFinal(ctx context.Context, q queryer, ref string) (string, error) {
	ids, err := lookup(ctx, q, ref)
	if err != nil {
		return "", err
	}
	var finals []string
	seen := map[string]bool{}
	for _, id := range ids {
		f, err := finalOf(ctx, q, id)
		if err != nil {
			return "", err
		}
		if !seen[f] {
			seen[f] = true
			finals = append(finals, f)
		}
	}
	if len(finals) > 1 {
		return "", ambiguous(ctx, q, ref, finals)
	}
	return finals[0], nil
}

// ambiguous builds the EAMBIGUOUS error listing the candidates.
func ambiguous(ctx context.Context, q queryer, ref string, ids []string) error {
	sort.Strings(ids)
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteString("; ")
		}
		var name, typ string
		if err := q.QueryRowContext(ctx, `SELECT name, type FROM entities WHERE id = ?`, id).Scan(&name, &typ); err != nil {
			return internal(err, "find entity %q", ref)
		}
		b.WriteString(name + " (" + typ + ", " + id + ")")
	}
	return faultline.Errorf(faultline.EAMBIGUOUS, "%q names %d entities: %s; use an id", ref, len(ids), b.String())
}

// loadEntities loads entities by id, with their own aliases and external
// ids, in the order given.
func loadEntities(ctx context.Context, q queryer, ids []string) ([]faultline.Entity, error) {
	out := make([]faultline.Entity, 0, len(ids))
	const chunk = 400
	for len(ids) > 0 {
		n := min(chunk, len(ids))
		part := ids[:n]
		ids = ids[n:]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		in := "(" + placeholders(len(part)) + ")"
		byID := make(map[string]*faultline.Entity, len(part))
		keys := map[string]string{}
		rows, err := q.QueryContext(ctx, `SELECT id, name, type, key, lat, lon, merged_into FROM entities WHERE id IN `+in, args...)
		if err != nil {
			return nil, internal(err, "load entities")
		}
		for rows.Next() {
			e := &faultline.Entity{Aliases: []string{}}
			var key, merged sql.NullString
			var lat, lon sql.NullFloat64
			if err := rows.Scan(&e.ID, &e.Name, &e.Type, &key, &lat, &lon, &merged); err != nil {
				rows.Close()
				return nil, internal(err, "load entities")
			}
			if key.Valid {
				e.ExternalIDs = append(e.ExternalIDs, faultline.ExternalID{Scheme: keyScheme, Value: key.String})
				keys[e.ID] = key.String
			}
			if lat.Valid && lon.Valid {
				e.Lat, e.Lon = &lat.Float64, &lon.Float64
			}
			e.MergedInto = merged.String
			byID[e.ID] = e
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal(err, "load entities")
		}
		rows, err = q.QueryContext(ctx, `SELECT entity_id, alias FROM aliases WHERE entity_id IN `+in+` ORDER BY entity_id, alias`, args...)
		if err != nil {
			return nil, internal(err, "load aliases")
		}
		for rows.Next() {
			var id, alias string
			if err := rows.Scan(&id, &alias); err != nil {
				rows.Close()
				return nil, internal(err, "load aliases")
			}
			if e := byID[id]; e != nil {
				e.Aliases = append(e.Aliases, alias)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal(err, "load aliases")
		}
		rows, err = q.QueryContext(ctx, `SELECT entity_id, scheme, value FROM external_ids WHERE entity_id IN `+in+` ORDER BY entity_id, scheme, value`, args...)
		if err != nil {
			return nil, internal(err, "load external ids")
		}
		for rows.Next() {
			var id string
			var x faultline.ExternalID
			if err := rows.Scan(&id, &x.Scheme, &x.Value); err != nil {
				rows.Close()
				return nil, internal(err, "load external ids")
			}
			if x.Scheme == keyScheme && keys[id] == x.Value {
				continue // already listed as the key
			}
			if e := byID[id]; e != nil {
				e.ExternalIDs = append(e.ExternalIDs, x)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, internal(err, "load external ids")
		}
		for _, id := range part {
			if e := byID[id]; e != nil {
				out = append(out, *e)
			}
		}
	}
	return out, nil
}

// loadEntity loads one entity.
func loadEntity(ctx context.Context, q queryer, id string) (*faultline.Entity, error) {
	es, err := loadEntities(ctx, q, []string{id})
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, faultline.Errorf(faultline.ENOTFOUND, "entity %s not found", id)
	}
	return &es[0], nil
}

// FindEntity resolves ref (an id, a dictionary key, a name or an alias) to
// an entity, following merges. The entity's dictionary key, if any, is
// listed among its external ids under the scheme "faultline".
func (db *DB) FindEntity(ctx context.Context, ref string) (*faultline.Entity, error) {
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	id, err := findFinal(ctx, tx, ref)
	if err != nil {
		return nil, err
	}
	return loadEntity(ctx, tx, id)
}

// Entities lists the entities no merge has absorbed, by name.
func (db *DB) Entities(ctx context.Context, f faultline.EntityFilter) ([]faultline.Entity, error) {
	var where []string
	var args []any
	where = append(where, "e.merged_into IS NULL")
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
	query := `SELECT e.id FROM entities e WHERE ` + strings.Join(where, " AND ") + ` ORDER BY e.name COLLATE NOCASE, e.id`
	if f.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ids, err := queryStrings(ctx, tx, query, args...)
	if err != nil {
		return nil, internal(err, "list entities")
	}
	return loadEntities(ctx, tx, ids)
}

// likePrefix escapes s for a LIKE prefix match.
func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
}

// EntityProfile returns the entity ref names with the entities merged into
// it, the sources that mention any of them (most mentions first), up to
// mentionLimit mentions with their sentence (20 when mentionLimit ≤ 0), and
// the claims that involve them. The profile's aliases are those of the
// whole merge group.
func (db *DB) EntityProfile(ctx context.Context, ref string, mentionLimit int) (*faultline.EntityProfile, error) {
	if mentionLimit <= 0 {
		mentionLimit = 20
	}
	tx, err := db.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	id, err := findFinal(ctx, tx, ref)
	if err != nil {
		return nil, err
	}
	group, err := groupOf(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	members, err := loadEntities(ctx, tx, group)
	if err != nil {
		return nil, err
	}
	if len(members) == 0 || members[0].ID != id {
		return nil, faultline.Errorf(faultline.ENOTFOUND, "entity %s not found", id)
	}
	p := &faultline.EntityProfile{Entity: members[0], Sources: []faultline.SourceCount{}, Mentions: []faultline.MentionInContext{}}
	p.Merged = members[1:]
	if len(p.Merged) == 0 {
		p.Merged = nil
	}
	// The group's aliases: every other name by which it is known.
	seen := map[string]bool{faultline.NormalizeName(p.Name): true}
	aliases := []string{}
	add := func(s string) {
		if n := faultline.NormalizeName(s); !seen[n] {
			seen[n] = true
			aliases = append(aliases, s)
		}
	}
	for _, m := range members {
		if m.ID != id {
			add(m.Name)
		}
		for _, a := range m.Aliases {
			add(a)
		}
	}
	sort.Strings(aliases)
	p.Aliases = aliases

	args := make([]any, len(group))
	for i, g := range group {
		args[i] = g
	}
	in := "(" + placeholders(len(group)) + ")"
	rows, err := tx.QueryContext(ctx, `SELECT `+sourceColumns("s", false)+`, COUNT(*) AS n
		FROM mentions m JOIN sources s ON s.id = m.source_id
		WHERE m.entity_id IN `+in+`
		GROUP BY s.id ORDER BY n DESC, s.id`, args...)
	if err != nil {
		return nil, internal(err, "profile %s: sources", id)
	}
	for rows.Next() {
		var sc faultline.SourceCount
		if err := scanSource(rows, &sc.Source, false, &sc.Mentions); err != nil {
			rows.Close()
			return nil, internal(err, "profile %s: sources", id)
		}
		p.Sources = append(p.Sources, sc)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err, "profile %s: sources", id)
	}
	// Dataset files whose records name the entity count those records as
	// its mentions there.
	ds, err := datasetSources(ctx, tx, group)
	if err != nil {
		return nil, err
	}
	if len(ds) > 0 {
		p.Sources = append(p.Sources, ds...)
		sort.SliceStable(p.Sources, func(i, j int) bool {
			a, b := p.Sources[i], p.Sources[j]
			if a.Mentions != b.Mentions {
				return a.Mentions > b.Mentions
			}
			return a.ID < b.ID
		})
	}

	// Only the window around each mention is read: SQLite's substr counts
	// characters, as mention offsets do, so a long source never loads whole.
	rows, err = tx.QueryContext(ctx, `SELECT m.source_id, s.title, m.start, m."end", m.text, m.rule,
		max(m.start - ?, 0) AS lo, substr(s.text, max(m.start - ?, 0) + 1, m."end" - max(m.start - ?, 0) + ?)
		FROM mentions m JOIN sources s ON s.id = m.source_id
		WHERE m.entity_id IN `+in+`
		ORDER BY s.ingested_at DESC, m.source_id DESC, m.start LIMIT ?`,
		append(append([]any{contextSide + 1, contextSide + 1, contextSide + 1, contextSide + 1}, args...), mentionLimit)...)
	if err != nil {
		return nil, internal(err, "profile %s: mentions", id)
	}
	for rows.Next() {
		var m faultline.MentionInContext
		var lo int
		var window string
		if err := rows.Scan(&m.SourceID, &m.SourceTitle, &m.Start, &m.End, &m.Text, &m.Rule, &lo, &window); err != nil {
			rows.Close()
			return nil, internal(err, "profile %s: mentions", id)
		}
		m.Context = windowContext([]rune(window), lo, m.Start, m.End)
		p.Mentions = append(p.Mentions, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err, "profile %s: mentions", id)
	}

	claims, err := db.claims(ctx, tx, faultline.ClaimFilter{}, group)
	if err != nil {
		return nil, err
	}
	if len(claims) > 0 {
		p.Claims = claims
	}
	return p, nil
}

// windowContext is SentenceContext over a window of the text that starts at
// code point lo. A window cut short of the text's start or end gets the
// ellipsis SentenceContext would give, since it reaches one character past
// contextSide on each side.
func windowContext(window []rune, lo, start, end int) string {
	return SentenceContext(window, start-lo, end-lo)
}

// contextSide is how far, in characters, a mention's context may reach on
// each side before it is cut with an ellipsis.
const contextSide = 150

// SentenceContext returns the sentence-ish window of text around the span
// [start, end) (code-point offsets): it reaches back to just after the
// previous ". ", "! ", "? " or newline and on to the next sentence end or
// newline, at most contextSide characters on each side, marking a cut with
// "…".
func SentenceContext(text []rune, start, end int) string {
	start = max(0, min(start, len(text)))
	end = max(start, min(end, len(text)))
	stop := func(r rune) bool { return r == '.' || r == '!' || r == '?' }
	lo, cutLo := start, false
	for lo > 0 {
		if start-lo >= contextSide {
			cutLo = true
			break
		}
		if text[lo-1] == '\n' || (lo >= 2 && text[lo-1] == ' ' && stop(text[lo-2])) {
			break
		}
		lo--
	}
	hi, cutHi := end, false
	for hi < len(text) {
		if hi-end >= contextSide {
			cutHi = true
			break
		}
		r := text[hi]
		if r == '\n' {
			break
		}
		hi++
		if stop(r) && (hi == len(text) || text[hi] == ' ' || text[hi] == '\n') {
			break
		}
	}
	s := strings.TrimSpace(string(text[lo:hi]))
	if cutLo {
		s = "…" + s
	}
	if cutHi {
		s += "…"
	}
	return s
}

// Merge folds entity from into entity into (both resolved following
// earlier merges): later lookups of from find into, and into's profile
// gathers from's mentions, aliases and claims. It is logged and undone by
// Unmerge.
func (db *DB) Merge(ctx context.Context, from, into, analyst string) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	f, err := findFinal(ctx, tx, from)
	if err != nil {
		return err
	}
	t, err := findFinal(ctx, tx, into)
	if err != nil {
		return err
	}
	if f == t {
		return faultline.Errorf(faultline.ECONFLICT, "merge %q into %q: they are already the same entity %s", from, into, f)
	}
	// into is final, so walking from it cannot reach f unless the stored
	// chain is corrupt; check anyway rather than write a cycle.
	if ft, err := finalOf(ctx, tx, t); err != nil {
		return err
	} else if ft != t {
		return faultline.Errorf(faultline.ECONFLICT, "merge %q into %q: %s is itself merged", from, into, t)
	}
	now := db.now().Format(timeFormat)
	if _, err := tx.ExecContext(ctx, `UPDATE entities SET merged_into = ? WHERE id = ?`, t, f); err != nil {
		return internal(err, "merge %s into %s", f, t)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO merges (from_id, into_id, analyst, at) VALUES (?, ?, ?, ?)`, f, t, analyst, now); err != nil {
		return internal(err, "merge %s into %s: log", f, t)
	}
	if err := refreshEntityFTS(ctx, tx, f); err != nil {
		return err
	}
	if err := refreshEntityFTS(ctx, tx, t); err != nil {
		return err
	}
	return internal(tx.Commit(), "merge %s into %s: commit", f, t)
}

// Unmerge undoes the merge of the entity ref names. The reference is
// resolved without following merges, since the entity it names is the
// merged one; it must currently be merged.
func (db *DB) Unmerge(ctx context.Context, ref, analyst string) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ids, err := lookup(ctx, tx, ref)
	if err != nil {
		return err
	}
	if len(ids) > 1 {
		var merged []string
		for _, id := range ids {
			var m sql.NullString
			if err := tx.QueryRowContext(ctx, `SELECT merged_into FROM entities WHERE id = ?`, id).Scan(&m); err != nil {
				return internal(err, "unmerge %q", ref)
			}
			if m.Valid {
				merged = append(merged, id)
			}
		}
		switch len(merged) {
		case 0:
			return ambiguous(ctx, tx, ref, ids)
		case 1:
			ids = merged
		default:
			return ambiguous(ctx, tx, ref, merged)
		}
	}
	id := ids[0]
	var into sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT merged_into FROM entities WHERE id = ?`, id).Scan(&into); err != nil {
		return internal(err, "unmerge %q", ref)
	}
	if !into.Valid {
		return faultline.Errorf(faultline.ECONFLICT, "unmerge %q: entity %s is not merged", ref, id)
	}
	oldFinal, err := finalOf(ctx, tx, into.String)
	if err != nil {
		return err
	}
	now := db.now().Format(timeFormat)
	if _, err := tx.ExecContext(ctx, `UPDATE entities SET merged_into = NULL WHERE id = ?`, id); err != nil {
		return internal(err, "unmerge %s", id)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE merges SET undone_at = ?, undone_by = ? WHERE from_id = ? AND undone_at IS NULL`, now, analyst, id); err != nil {
		return internal(err, "unmerge %s: log", id)
	}
	if err := refreshEntityFTS(ctx, tx, id); err != nil {
		return err
	}
	if err := refreshEntityFTS(ctx, tx, oldFinal); err != nil {
		return err
	}
	return internal(tx.Commit(), "unmerge %s: commit", id)
}

// AddAlias records alias as an analyst's alias of the entity ref names
// (following merges). In later ingests an analyst alias outranks every
// rule but the dictionary key and external ids.
func (db *DB) AddAlias(ctx context.Context, ref, alias, analyst string) error {
	norm := faultline.NormalizeName(alias)
	if norm == "" {
		return faultline.Errorf(faultline.EINVALID, "alias %q is empty once normalised", alias)
	}
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	id, err := findFinal(ctx, tx, ref)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO aliases (entity_id, alias, norm, origin, analyst, created_at)
		VALUES (?, ?, ?, 'analyst', ?, ?)
		ON CONFLICT (entity_id, norm) DO UPDATE SET alias = excluded.alias, origin = 'analyst',
			analyst = excluded.analyst, created_at = excluded.created_at`,
		id, strings.TrimSpace(alias), norm, analyst, db.now().Format(timeFormat)); err != nil {
		return internal(err, "add alias %q to %s", alias, id)
	}
	if err := refreshEntityFTS(ctx, tx, id); err != nil {
		return err
	}
	return internal(tx.Commit(), "add alias %q to %s: commit", alias, id)
}
