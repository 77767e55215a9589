package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/faultline-osint/faultline"
)

// The dataset records of a snapshot. An export must give every record back
// whole (its words included), and a dataset holds hundreds of thousands of
// them, so this read is built for the size: one scan of dataset_events,
// entity rows mapped to final ids once per distinct row rather than per
// record, repeated words (types, sub-types) shared rather than copied, and
// the records, participants and places of the events allocated in blocks
// rather than one by one, which keeps both the time and the garbage
// collector's work proportional to the bytes read.

// recordBlock is how many records (and places) each block allocation holds.
const recordBlock = 4096

// snapshotRecords reads the records of the dataset files among kept (the
// sources the filter keeps, by id) as events with Record set, their words
// included, entity ids final and named by id only: the caller names them
// once the entities are loaded. For each final entity a record names it
// adds the record's file to mentioned, so that an entity known only from a
// dataset enters the snapshot with the file as its source, marked as the
// file is.
func snapshotRecords(ctx context.Context, tx *sql.Tx, fin finals, kept map[int64]*faultline.Source,
	mentioned map[string]map[int64]bool) ([]faultline.Event, error) {
	files, err := datasetFiles(ctx, tx)
	if err != nil {
		return nil, err
	}
	var keep []int64
	for _, id := range files {
		if kept[id] != nil {
			keep = append(keep, id)
		}
	}
	if len(keep) == 0 {
		return nil, nil
	}
	where, args := "", []any(nil)
	if len(keep) < len(files) {
		where = " WHERE d.source_id IN (SELECT value FROM json_each(?))"
		args = append(args, jsonInts(keep))
	}
	// Counted first (from the source index), so that the events are
	// allocated once rather than grown and copied.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM dataset_events d`+where, args...).Scan(&n); err != nil {
		return nil, internal(err, "snapshot: dataset records")
	}
	rows, err := tx.QueryContext(ctx, `SELECT d.source_id, d.id, d.line, d.event_type, d.sub_type, d.date, d.date_prec,
		d.date_start, d.date_end, d.location, d.place, d.place_prec, d.lat, d.lon, d.agent, d.target,
		d.deaths, d.deaths_low, d.deaths_high, d.fatalities_low, d.source_text, d.notes
		FROM dataset_events d`+where+` ORDER BY d.rid`, args...)
	if err != nil {
		return nil, internal(err, "snapshot: dataset records")
	}
	defer rows.Close()

	// Words that repeat from record to record, shared.
	words := map[string]string{}
	word := func(v any) string {
		s := textValue(v)
		if w, ok := words[s]; ok {
			return w
		}
		words[s] = s
		return s
	}
	type refRows struct{ location, agent, target sql.NullInt64 }
	var (
		out     = make([]faultline.Event, 0, n)
		refs    = make([]refRows, 0, n)
		recs    []faultline.EventRecord
		parts   []faultline.EventParticipant
		places  []faultline.EntityRef
		claimID []string
		ints    []int
		floats  []float64
		named   = map[int64]map[int64]bool{} // file → entity rows its records name
	)
	// Each column is scanned into an any, which database/sql fills with
	// the driver's value as it is: scanning into an int or a NullInt64
	// goes through reflection (for an int, through a string), which cost
	// more than reading the row.
	vals := make([]any, 22)
	dest := make([]any, len(vals))
	for i := range vals {
		dest[i] = &vals[i]
	}
	count := func(v any) *int {
		n, ok := nullIntValue(v)
		if !ok {
			return nil
		}
		ints = append(ints, int(n))
		return &ints[len(ints)-1]
	}
	for rows.Next() {
		if len(recs) == cap(recs) {
			recs = make([]faultline.EventRecord, 0, recordBlock)
			parts = make([]faultline.EventParticipant, 0, 2*recordBlock)
			places = make([]faultline.EntityRef, 0, recordBlock)
			claimID = make([]string, 0, recordBlock)
			ints = make([]int, 0, 3*recordBlock)
			floats = make([]float64, 0, 2*recordBlock)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, internal(err, "snapshot: dataset records")
		}
		v := vals
		recs = recs[:len(recs)+1]
		rec := &recs[len(recs)-1]
		src := kept[intValue(v[0])]
		if src == nil {
			return nil, internal(fmt.Errorf("record of source %v, which is not kept", v[0]), "snapshot: dataset records")
		}
		date := textValue(v[5])
		*rec = faultline.EventRecord{ID: textValue(v[1]), SourceID: src.ID, SourceTitle: src.Title, Reliability: src.Reliability, TLP: src.TLP,
			Line: int(intValue(v[2])), SubType: word(v[4]), DatePrec: int(intValue(v[6])),
			// NULL bounds are the date itself (see orDate).
			DateStart: date, DateEnd: date,
			Place: textValue(v[10]), PlacePrec: int(intValue(v[11])), DeathsLow: count(v[17]), DeathsHigh: count(v[18]),
			SourceText: textValue(v[20]), Notes: textValue(v[21])}
		if v[7] != nil {
			rec.DateStart = textValue(v[7])
		}
		if v[8] != nil {
			rec.DateEnd = textValue(v[8])
		}
		lat, okLat := nullRealValue(v[12])
		lon, okLon := nullRealValue(v[13])
		if okLat && okLon {
			floats = append(floats, lat, lon)
			rec.Lat, rec.Lon = &floats[len(floats)-2], &floats[len(floats)-1]
		}
		var r refRows
		r.location.Int64, r.location.Valid = nullIntValue(v[9])
		r.agent.Int64, r.agent.Valid = nullIntValue(v[14])
		r.target.Int64, r.target.Valid = nullIntValue(v[15])
		claimID = append(claimID, rec.ID)
		ids := claimID[len(claimID)-1 : len(claimID) : len(claimID)]
		out = append(out, faultline.Event{
			ID: faultline.EventID(ids), Type: faultline.EventType(word(v[3])), Date: date,
			Fatalities: count(v[16]), FatalitiesLow: intValue(v[19]) != 0,
			Modality: faultline.Asserted, Sources: 1, ClaimIDs: ids, Record: rec,
		})
		refs = append(refs, r)
		set := named[rec.SourceID]
		if set == nil {
			set = map[int64]bool{}
			named[rec.SourceID] = set
		}
		for _, n := range []sql.NullInt64{r.location, r.agent, r.target} {
			if n.Valid {
				set[n.Int64] = true
			}
		}
		// The place and the sides, in blocks; the caller names them.
		e := &out[len(out)-1]
		if r.location.Valid {
			places = append(places, faultline.EntityRef{})
			e.Location = &places[len(places)-1]
		}
		k := len(parts)
		if r.agent.Valid {
			parts = append(parts, faultline.EventParticipant{Role: faultline.RoleAgent})
		}
		if r.target.Valid {
			parts = append(parts, faultline.EventParticipant{Role: faultline.RoleTarget})
		}
		e.Participants = parts[k:len(parts):len(parts)]
	}
	if err := rows.Err(); err != nil {
		return nil, internal(err, "snapshot: dataset records")
	}
	rows.Close()

	// Entity rows to final ids, each row once.
	idOf := map[int64]string{}
	for _, set := range named {
		for rid := range set {
			idOf[rid] = ""
		}
	}
	if err := entityIDs(ctx, tx, idOf); err != nil {
		return nil, err
	}
	for rid, id := range idOf {
		idOf[rid] = fin.of(id)
	}
	for file, set := range named {
		for rid := range set {
			id := idOf[rid]
			if id == "" {
				continue // a row that is gone: nothing to name
			}
			if mentioned[id] == nil {
				mentioned[id] = map[int64]bool{}
			}
			mentioned[id][file] = true
		}
	}
	for i := range out {
		e, r := &out[i], refs[i]
		if e.Location != nil {
			e.Location.ID = idOf[r.location.Int64]
		}
		k := 0
		if r.agent.Valid {
			e.Participants[k].ID = idOf[r.agent.Int64]
			k++
		}
		if r.target.Valid {
			e.Participants[k].ID = idOf[r.target.Int64]
		}
	}
	return out, nil
}

// datasetFiles returns the ids of the sources that hold dataset records,
// each found through the source index rather than by reading the records.
func datasetFiles(ctx context.Context, q queryer) ([]int64, error) {
	var out []int64
	err := scanRows(ctx, q, `SELECT s.id FROM sources s WHERE EXISTS (SELECT 1 FROM dataset_events d WHERE d.source_id = s.id) ORDER BY s.id`,
		func(r *sql.Rows) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			out = append(out, id)
			return nil
		})
	return out, internal(err, "snapshot: dataset files")
}

// namedByRecords is an SQL condition: a dataset record names the entity
// row rid as agent, target or place. Three lookups, so that each uses its
// column's index.
func namedByRecords(rid string) string {
	return `(EXISTS (SELECT 1 FROM dataset_events d WHERE d.agent = ` + rid + `)
		OR EXISTS (SELECT 1 FROM dataset_events d WHERE d.target = ` + rid + `)
		OR EXISTS (SELECT 1 FROM dataset_events d WHERE d.location = ` + rid + `))`
}

// The values of dataset_events as the driver gives them: INTEGER as int64,
// REAL as float64, TEXT as string, NULL as nil.

func intValue(v any) int64 {
	n, _ := nullIntValue(v)
	return n
}

func nullIntValue(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case float64:
		return int64(x), true
	case string:
		n, err := strconv.ParseInt(x, 10, 64)
		return n, err == nil
	}
	return 0, false
}

func nullRealValue(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
}

func textValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}
