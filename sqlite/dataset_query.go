package sqlite

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"strings"

	"github.com/faultline-osint/faultline"
)

// The read side of dataset events: each record is an event of its own
// (faultline.Event with Record set), asserted by its file, never folded
// with the events aggregated from claims (see faultline.Event.Record for
// why). Filters are pushed into SQL, where the indexes of migration 0005
// answer them; the date range is checked exactly in Go, since a partial
// date ("2020-03") does not compare with a day as text does.

// datasetEventFilter is what Events asks of the dataset records.
type datasetEventFilter struct {
	types  []faultline.EventType
	maxTLP faultline.TLP
	// group, when not nil, keeps the records where one of these entity
	// rows is agent or target (an actor's merge group).
	group []string
	// places, when not nil, keeps the records located at a row whose
	// final entity is one of these.
	places map[string]bool
	lo, hi string // days, from faultline.ParseDateRange
}

// datasetEvents returns the dataset records that pass the filter as
// events, entity ids final (merges followed) and named by id only.
func datasetEvents(ctx context.Context, tx *sql.Tx, fin finals, f datasetEventFilter) ([]faultline.Event, error) {
	where := []string{"1 = 1"}
	var args []any
	inList("d.event_type", f.types, &where, &args)
	if f.maxTLP != "" {
		where = append(where, "d.source_id IN (SELECT id FROM sources WHERE tlp_level <= ?)")
		args = append(args, f.maxTLP.Level())
	}
	if f.group != nil {
		rids, err := ridsOf(ctx, tx, f.group)
		if err != nil || len(rids) == 0 {
			return nil, err
		}
		in := "(" + placeholders(len(rids)) + ")"
		where = append(where, "(d.agent IN "+in+" OR d.target IN "+in+")")
		for range 2 {
			for _, r := range rids {
				args = append(args, r)
			}
		}
	}
	if f.places != nil {
		// The places and every entity merged into one of them.
		var ids []string
		for p := range f.places {
			ids = append(ids, p)
		}
		for id, final := range fin {
			if f.places[final] && !f.places[id] {
				ids = append(ids, id)
			}
		}
		rids, err := ridsOf(ctx, tx, ids)
		if err != nil || len(rids) == 0 {
			return nil, err
		}
		where = append(where, "d.location IN (SELECT value FROM json_each(?))")
		args = append(args, jsonInts(rids))
	}
	// A partial date sorts before the days it covers and after the days
	// of earlier periods, so these bounds keep every record that may
	// overlap the range; DateOverlaps below decides.
	if f.hi != "" {
		where = append(where, "d.date <= ?")
		args = append(args, f.hi)
	}
	if len(f.lo) >= 4 {
		where = append(where, "d.date >= ?")
		args = append(args, f.lo[:4])
	}
	rows, err := tx.QueryContext(ctx, `SELECT d.id, d.source_id, d.line, d.event_type, d.sub_type, d.date, d.date_prec,
		COALESCE(d.date_start, d.date), COALESCE(d.date_end, d.date), d.location, d.place, d.place_prec, d.lat, d.lon, d.agent, d.target,
		d.deaths, d.deaths_low, d.deaths_high, d.fatalities_low
		FROM dataset_events d WHERE `+strings.Join(where, " AND ")+` ORDER BY d.rid`, args...)
	if err != nil {
		return nil, internal(err, "dataset events")
	}
	type rowRefs struct{ location, agent, target sql.NullInt64 }
	var out []faultline.Event
	var ents []rowRefs
	sources := map[int64]*faultline.Source{}
	for rows.Next() {
		rec := &faultline.EventRecord{}
		e := faultline.Event{Modality: faultline.Asserted, Sources: 1, Record: rec}
		var r rowRefs
		var lat, lon sql.NullFloat64
		var deaths, low, high sql.NullInt64
		if err := rows.Scan(&rec.ID, &rec.SourceID, &rec.Line, &e.Type, &rec.SubType, &e.Date, &rec.DatePrec,
			&rec.DateStart, &rec.DateEnd, &r.location, &rec.Place, &rec.PlacePrec, &lat, &lon, &r.agent, &r.target,
			&deaths, &low, &high, &e.FatalitiesLow); err != nil {
			rows.Close()
			return nil, internal(err, "dataset events")
		}
		if !faultline.DateOverlaps(e.Date, f.lo, f.hi) {
			continue
		}
		if lat.Valid && lon.Valid {
			rec.Lat, rec.Lon = &lat.Float64, &lon.Float64
		}
		e.Fatalities, rec.DeathsLow, rec.DeathsHigh = nullInt(deaths), nullInt(low), nullInt(high)
		e.ID = faultline.EventID([]string{rec.ID})
		e.ClaimIDs = []string{rec.ID}
		sources[rec.SourceID] = nil
		out = append(out, e)
		ents = append(ents, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err, "dataset events")
	}
	if len(out) == 0 {
		return nil, nil
	}

	// Entity rows by rid, and the sources, each read once.
	idOf := map[int64]string{}
	for _, r := range ents {
		for _, n := range []sql.NullInt64{r.location, r.agent, r.target} {
			if n.Valid {
				idOf[n.Int64] = ""
			}
		}
	}
	if err := entityIDs(ctx, tx, idOf); err != nil {
		return nil, err
	}
	if err := loadSources(ctx, tx, sources); err != nil {
		return nil, err
	}
	for i := range out {
		e, r := &out[i], ents[i]
		if s := sources[e.Record.SourceID]; s != nil {
			e.Record.SourceTitle, e.Record.Reliability, e.Record.TLP = s.Title, s.Reliability, s.TLP
		}
		if r.location.Valid {
			e.Location = &faultline.EntityRef{ID: fin.of(idOf[r.location.Int64])}
		}
		e.Participants = make([]faultline.EventParticipant, 0, 2)
		if r.agent.Valid {
			e.Participants = append(e.Participants, faultline.EventParticipant{
				EntityRef: faultline.EntityRef{ID: fin.of(idOf[r.agent.Int64])}, Role: faultline.RoleAgent})
		}
		if r.target.Valid {
			e.Participants = append(e.Participants, faultline.EventParticipant{
				EntityRef: faultline.EntityRef{ID: fin.of(idOf[r.target.Int64])}, Role: faultline.RoleTarget})
		}
	}
	return out, nil
}

func nullInt(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

// jsonInts renders ids as a JSON array, for json_each.
func jsonInts(ids []int64) string {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, n := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, n, 10)
	}
	return string(append(b, ']'))
}

// ridsOf returns the rids of the entities with the given ids.
func ridsOf(ctx context.Context, tx *sql.Tx, ids []string) ([]int64, error) {
	var out []int64
	err := jsonLookup(ctx, tx, `SELECT rid FROM entities WHERE id IN (SELECT value FROM json_each(?))`, ids, func(rows *sql.Rows) error {
		var rid int64
		if err := rows.Scan(&rid); err != nil {
			return err
		}
		out = append(out, rid)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, internal(err, "entity rows")
}

// entityIDs fills in the id of every entity rid that idOf holds.
func entityIDs(ctx context.Context, tx *sql.Tx, idOf map[int64]string) error {
	rids := make([]int64, 0, len(idOf))
	for rid := range idOf {
		rids = append(rids, rid)
	}
	const chunk = 5000
	for start := 0; start < len(rids); start += chunk {
		part := rids[start:min(start+chunk, len(rids))]
		rows, err := tx.QueryContext(ctx, `SELECT rid, id FROM entities WHERE rid IN (SELECT value FROM json_each(?))`, jsonInts(part))
		if err != nil {
			return internal(err, "entity ids")
		}
		for rows.Next() {
			var rid int64
			var id string
			if err := rows.Scan(&rid, &id); err != nil {
				rows.Close()
				return internal(err, "entity ids")
			}
			idOf[rid] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return internal(err, "entity ids")
		}
	}
	return nil
}

// loadSources fills in the sources (without text) whose ids the map
// holds.
func loadSources(ctx context.Context, q queryer, m map[int64]*faultline.Source) error {
	for id := range m {
		var s faultline.Source
		if err := scanSource(q.QueryRowContext(ctx, `SELECT `+sourceColumns("s", false)+` FROM sources s WHERE s.id = ?`, id), &s, false); err != nil {
			return internal(err, "source %d", id)
		}
		m[id] = &s
	}
	return nil
}

// datasetEvidence answers Evidence for dataset record ids: the file as
// the source, and one span that renders the record. The span has no
// width: a record is a row of the file, not a passage of the source's
// text, and it is found by its line.
func datasetEvidence(ctx context.Context, tx *sql.Tx, ids []string) ([]faultline.ClaimEvidence, error) {
	var out []faultline.ClaimEvidence
	err := jsonLookup(ctx, tx, `SELECT d.id, d.source_id, s.title, s.published, s.reliability, d.line, d.event_type, d.sub_type,
		d.date, d.place, COALESCE(a.name, ''), COALESCE(t.name, ''), d.deaths, d.deaths_low, d.deaths_high, d.fatalities_low,
		d.source_text, d.notes
		FROM dataset_events d JOIN sources s ON s.id = d.source_id
		LEFT JOIN entities a ON a.rid = d.agent LEFT JOIN entities t ON t.rid = d.target
		WHERE d.id IN (SELECT value FROM json_each(?))`, ids, func(rows *sql.Rows) error {
		e := faultline.ClaimEvidence{Modality: faultline.Asserted, Status: faultline.StatusMachine}
		var line int
		var typ, sub, date, place, agent, target, text, notes string
		var deaths, low, high sql.NullInt64
		var lowerBound bool
		if err := rows.Scan(&e.ClaimID, &e.SourceID, &e.SourceTitle, &e.Published, &e.Reliability, &line, &typ, &sub,
			&date, &place, &agent, &target, &deaths, &low, &high, &lowerBound, &text, &notes); err != nil {
			return err
		}
		var b strings.Builder
		b.WriteString(e.ClaimID + " (line " + strconv.Itoa(line) + "): " + typ)
		if sub != "" {
			b.WriteString(", " + sub)
		}
		b.WriteString(", " + date)
		if place != "" {
			b.WriteString(", " + place)
		}
		if agent != "" || target != "" {
			b.WriteString(": " + orUnnamed(agent) + " v. " + orUnnamed(target))
		}
		if deaths.Valid {
			b.WriteString("; deaths " + strconv.FormatInt(deaths.Int64, 10))
			if lowerBound {
				b.WriteString(" or more")
			}
			if low.Valid || high.Valid {
				b.WriteString(" (low " + nullText(low) + ", high " + nullText(high) + ")")
			}
		}
		b.WriteString(".")
		if text != "" {
			b.WriteString(" Source: " + text + ".")
		}
		if notes != "" {
			b.WriteString(" " + notes)
		}
		e.Spans = []faultline.Span{{Text: b.String()}}
		out = append(out, e)
		return nil
	})
	return out, internal(err, "evidence of dataset records")
}

func orUnnamed(s string) string {
	if s == "" {
		return "(no actor)"
	}
	return s
}

func nullText(n sql.NullInt64) string {
	if !n.Valid {
		return "?"
	}
	return strconv.FormatInt(n.Int64, 10)
}

// datasetSources returns, for an entity's merge group, the dataset files
// whose records name it (as agent, target or place), each with the number
// of those records in Mentions.
func datasetSources(ctx context.Context, tx *sql.Tx, group []string) ([]faultline.SourceCount, error) {
	rids, err := ridsOf(ctx, tx, group)
	if err != nil || len(rids) == 0 {
		return nil, err
	}
	in := "(" + placeholders(len(rids)) + ")"
	var args []any
	for range 3 {
		for _, r := range rids {
			args = append(args, r)
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+sourceColumns("s", false)+`, n FROM sources s JOIN (
		SELECT source_id, COUNT(*) AS n FROM dataset_events
		WHERE agent IN `+in+` OR target IN `+in+` OR location IN `+in+` GROUP BY source_id) c ON c.source_id = s.id`, args...)
	if err != nil {
		return nil, internal(err, "dataset sources")
	}
	defer rows.Close()
	var out []faultline.SourceCount
	for rows.Next() {
		var sc faultline.SourceCount
		if err := scanSource(rows, &sc.Source, false, &sc.Mentions); err != nil {
			return nil, internal(err, "dataset sources")
		}
		out = append(out, sc)
	}
	return out, internal(rows.Err(), "dataset sources")
}
