package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/faultline-osint/faultline"
)

// Dataset events: the records of UCDP GED and ACLED files, one row each in
// dataset_events (migration 0005), the file their one source. The write
// path is what makes an import of 400,000 rows take seconds:
//
//   - no per-record source, search row, claim, evidence or participant
//     rows: one row of 22 values per record, through one prepared INSERT
//     of datasetRows rows reused for the whole run;
//   - entity references by integer rid, resolved once per run per distinct
//     actor or place (importRun caches them), and no foreign key checks on
//     them (see the migration);
//   - in a large import (one whose first batch is at least a fifth of the
//     records already stored) the five secondary indexes are dropped in
//     the first batch's transaction and built again by Close, each in one
//     sorted pass: on 400,000 GED rows, maintaining them row by row cost
//     33 µs a record (their keys come in no order), building them at the
//     end 5 µs;
//   - the writer's page cache is raised for the run (importCacheKiB), so
//     that the index builds read the table from memory.
//
// A batch is still one transaction with its import_batches row, so a
// failure leaves no half batch behind and a re-run skips what is stored.

// datasetRows is how many records one INSERT statement stores. Measured on
// 400,000 GED rows: 20 a statement was some 10% slower than 100, and 200
// no faster.
const datasetRows = 100

// deferRatio: a run drops the dataset indexes when its first batch holds
// at least 1/deferRatio as many records as the table.
const deferRatio = 5

var bulkDatasetEvents = bulkTable{
	prefix: `INSERT INTO dataset_events (id, source_id, line, date, agent, target, location, event_type, sub_type, date_prec,
		date_start, date_end, place, place_prec, lat, lon, deaths, deaths_low, deaths_high, fatalities_low, source_text, notes) VALUES `,
	row:    `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	cols:   22,
	suffix: ` ON CONFLICT (id) DO NOTHING`,
	rows:   datasetRows,
}

// validateEvents checks a batch's dataset events: a dataset source, ids,
// types, dates, counts and coordinates, and entity references that the
// batch lists.
func validateEvents(b *faultline.ImportBatch, ents map[string]faultline.EntityType, bad func(string, ...any) error) error {
	if len(b.Events) == 0 {
		return nil
	}
	if b.Dataset == nil {
		return bad("%d dataset events without a dataset source", len(b.Events))
	}
	if err := b.Dataset.Validate(); err != nil {
		return bad("dataset source: %s", faultline.ErrorMessage(err))
	}
	ref := func(id, what, r string) error {
		if r == "" {
			return nil
		}
		if _, ok := ents[r]; !ok {
			return bad("dataset event %s: %s refers to entity %q, which the batch does not list", id, what, r)
		}
		return nil
	}
	count := func(id, what string, n *int) error {
		if n != nil && *n < 0 {
			return bad("dataset event %s: %s %d is negative", id, what, *n)
		}
		return nil
	}
	for i := range b.Events {
		e := &b.Events[i]
		switch {
		case e.ID == "":
			return bad("dataset event at line %d has no id", e.Line)
		case !e.Type.Valid():
			return bad("dataset event %s: type %q is not an event type", e.ID, e.Type)
		case e.Line < 0:
			return bad("dataset event %s: line %d", e.ID, e.Line)
		case (e.Lat == nil) != (e.Lon == nil) || e.Lat != nil && !(*e.Lat >= -90 && *e.Lat <= 90 && *e.Lon >= -180 && *e.Lon <= 180):
			return bad("dataset event %s: coordinates are not a latitude and a longitude", e.ID)
		}
		if _, err := faultline.ParseDate(e.Date); err != nil {
			return bad("dataset event %s: %s", e.ID, faultline.ErrorMessage(err))
		}
		for _, r := range [][2]string{{"location", e.Location}, {"agent", e.Agent}, {"target", e.Target}} {
			if err := ref(e.ID, r[0], r[1]); err != nil {
				return err
			}
		}
		for _, n := range []struct {
			what string
			n    *int
		}{{"deaths", e.Deaths}, {"deaths_low", e.DeathsLow}, {"deaths_high", e.DeathsHigh}} {
			if err := count(e.ID, n.what, n.n); err != nil {
				return err
			}
		}
	}
	return nil
}

// eventsWrite is what writing a batch's dataset events did, and what the
// run remembers once the batch commits.
type eventsWrite struct {
	inserted int
	created  bool // the dataset source was stored by this batch
	sha      string
	source   int64
	rids     map[string]int64
	checked  bool // the batch decided about deferring the indexes
}

// commit records in the run what a committed batch stored.
func (w *eventsWrite) commit(r *importRun) {
	if w.source != 0 {
		r.datasets[w.sha] = w.source
	}
	for id, rid := range w.rids {
		r.rids[id] = rid
	}
	if w.checked {
		r.deferChecked = true
	}
}

// writeEvents stores the batch's dataset events with their source (the
// file, stored with the first batch that stores a record), skipping the
// records stored before. rowOf maps the batch's entity refs to entity ids.
func (r *importRun) writeEvents(ctx context.Context, tx *sql.Tx, b *faultline.ImportBatch, rowOf map[string]string, now string) (*eventsWrite, error) {
	w := &eventsWrite{}
	if len(b.Events) == 0 {
		return w, nil
	}
	w.sha = strings.ToLower(b.Dataset.SHA256)
	source, ok := r.datasets[w.sha]
	if !ok {
		switch err := tx.QueryRowContext(ctx, `SELECT id FROM sources WHERE sha256 = ?`, w.sha).Scan(&source); {
		case errors.Is(err, sql.ErrNoRows):
			s := b.Dataset
			res, err := tx.ExecContext(ctx, `INSERT INTO sources (sha256, title, url, publisher, author, published, path, format,
				reliability, tlp, text, chars, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				w.sha, s.Title, s.URL, s.Publisher, s.Author, s.Published, s.Path, s.Format, string(s.Reliability), string(s.TLP),
				s.Text, utf8.RuneCountInString(s.Text), now)
			if err != nil {
				return nil, err
			}
			if source, err = res.LastInsertId(); err != nil {
				return nil, err
			}
			w.created = true
		case err != nil:
			return nil, err
		}
	}

	if !r.deferChecked {
		w.checked = true
		var stored int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(rid), 0) FROM dataset_events`).Scan(&stored); err != nil {
			return nil, err
		}
		if int64(len(b.Events))*deferRatio >= stored {
			if err := deferIndexes(ctx, tx); err != nil {
				return nil, err
			}
		}
	}

	// Entity refs to rids: cached for the run, the rest in one query.
	w.rids = map[string]int64{}
	var missing []string
	for _, id := range rowOf {
		if _, ok := r.rids[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		if err := jsonLookup(ctx, tx, `SELECT id, rid FROM entities WHERE id IN (SELECT value FROM json_each(?))`, missing,
			func(rows *sql.Rows) error {
				var id string
				var rid int64
				if err := rows.Scan(&id, &rid); err != nil {
					return err
				}
				w.rids[id] = rid
				return nil
			}); err != nil {
			return nil, err
		}
	}
	// One lookup per reference from here on: the batch's refs to rids.
	ridOf := make(map[string]any, len(rowOf)+1)
	ridOf[""] = nil
	for ref, id := range rowOf {
		if n, ok := r.rids[id]; ok {
			ridOf[ref] = n
		} else {
			ridOf[ref] = w.rids[id]
		}
	}

	// In id order, so that the pages of the id index a batch touches are
	// written once.
	order := make([]int, len(b.Events))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return b.Events[order[i]].ID < b.Events[order[j]].ID })
	ins := r.bulk(ctx, tx, &bulkDatasetEvents)
	for _, i := range order {
		e := &b.Events[i]
		if err := ins.add(e.ID, source, e.Line, e.Date, ridOf[e.Agent], ridOf[e.Target], ridOf[e.Location], string(e.Type), e.SubType,
			e.DatePrec, orDate(e.DateStart, e.Date), orDate(e.DateEnd, e.Date), e.Place, e.PlacePrec, floatArg(e.Lat), floatArg(e.Lon),
			intArg(e.Deaths), intArg(e.DeathsLow), intArg(e.DeathsHigh), e.FatalitiesLow, e.SourceText, e.Notes); err != nil {
			return nil, err
		}
	}
	if err := ins.flush(); err != nil {
		return nil, err
	}
	w.inserted = int(ins.changed)
	if w.created && w.inserted == 0 {
		// Every record was stored before, from another file: this one
		// is the source of nothing.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE id = ?`, source); err != nil {
			return nil, err
		}
		w.created = false
		return w, nil
	}
	w.source = source
	return w, nil
}

// orDate is NULL for a bound of the period that is the event's date
// itself (most records: one day), else the bound.
func orDate(bound, date string) any {
	if bound == "" || bound == date {
		return nil
	}
	return bound
}

func floatArg(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func intArg(n *int) any {
	if n == nil {
		return nil
	}
	return *n
}

// deferIndexes drops the secondary indexes of dataset_events, keeping
// their SQL in deferred_indexes, in the caller's transaction.
func deferIndexes(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO deferred_indexes (name, sql)
		SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dataset_events' AND sql IS NOT NULL`); err != nil {
		return err
	}
	names, err := queryStrings(ctx, tx, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dataset_events' AND sql IS NOT NULL`)
	if err != nil {
		return err
	}
	for _, n := range names {
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+strings.ReplaceAll(n, `"`, `""`)+`"`); err != nil {
			return err
		}
	}
	return nil
}

// restoreIndexes creates the indexes deferred_indexes holds, in one
// transaction, and forgets them.
func (db *DB) restoreIndexes(ctx context.Context) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT d.name, d.sql FROM deferred_indexes d
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = d.name) ORDER BY d.name`)
	if err != nil {
		return err
	}
	var stmts []string
	for rows.Next() {
		var name, q string
		if err := rows.Scan(&name, &q); err != nil {
			rows.Close()
			return err
		}
		stmts = append(stmts, q)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM deferred_indexes`); err != nil {
		return err
	}
	return tx.Commit()
}
