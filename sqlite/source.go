package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/faultline-osint/faultline"
)

// sourceColumns lists the source columns scanSource reads, text last.
func sourceColumns(alias string, withText bool) string {
	cols := []string{"id", "sha256", "title", "url", "publisher", "author", "published", "path", "format", "reliability", "tlp", "chars", "ingested_at"}
	if withText {
		cols = append(cols, "text")
	}
	for i, c := range cols {
		cols[i] = alias + "." + c
	}
	return strings.Join(cols, ", ")
}

// scanSource scans the columns of sourceColumns, then any extra targets.
func scanSource(rows interface{ Scan(...any) error }, s *faultline.Source, withText bool, extra ...any) error {
	var at string
	dest := []any{&s.ID, &s.SHA256, &s.Title, &s.URL, &s.Publisher, &s.Author, &s.Published, &s.Path, &s.Format, &s.Reliability, &s.TLP, &s.Chars, &at}
	if withText {
		dest = append(dest, &s.Text)
	}
	if err := rows.Scan(append(dest, extra...)...); err != nil {
		return err
	}
	s.IngestedAt = parseTime(at)
	return nil
}

// Source returns one source with its text.
func (db *DB) Source(ctx context.Context, id int64) (*faultline.Source, error) {
	var s faultline.Source
	row := db.read.QueryRowContext(ctx, `SELECT `+sourceColumns("s", true)+` FROM sources s WHERE s.id = ?`, id)
	if err := scanSource(row, &s, true); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, faultline.Errorf(faultline.ENOTFOUND, "source %d not found", id)
		}
		return nil, internal(err, "source %d", id)
	}
	return &s, nil
}

// Sources lists sources, newest first. MaxTLP keeps only sources marked at
// most that restrictively; Publisher matches case-insensitively.
func (db *DB) Sources(ctx context.Context, f faultline.SourceFilter) ([]faultline.Source, error) {
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
	query := `SELECT ` + sourceColumns("s", f.WithText) + ` FROM sources s`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += ` ORDER BY s.ingested_at DESC, s.id DESC`
	if f.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, internal(err, "list sources")
	}
	defer rows.Close()
	out := []faultline.Source{}
	for rows.Next() {
		var s faultline.Source
		if err := scanSource(rows, &s, f.WithText); err != nil {
			return nil, internal(err, "list sources")
		}
		out = append(out, s)
	}
	return out, internal(rows.Err(), "list sources")
}

// Stats counts what the database holds. Entities counts those no merge has
// absorbed; Merges counts merges in force; DatasetEvents the records of
// event datasets, by their file's format.
func (db *DB) Stats(ctx context.Context) (faultline.Stats, error) {
	st := faultline.Stats{EntitiesByType: map[string]int{}, ClaimsByKind: map[string]int{}, DatasetEventsByFormat: map[string]int{}}
	tx, err := db.readTx(ctx)
	if err != nil {
		return st, err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM sources),
		(SELECT COALESCE(SUM(chars), 0) FROM sources),
		(SELECT COUNT(*) FROM mentions),
		(SELECT COUNT(*) FROM aliases),
		(SELECT COUNT(*) FROM entities WHERE merged_into IS NOT NULL)`).
		Scan(&st.Sources, &st.Chars, &st.Mentions, &st.Aliases, &st.Merges); err != nil {
		return st, internal(err, "stats")
	}
	counts := func(query string, total *int, by map[string]int) error {
		rows, err := tx.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				return err
			}
			by[k] = n
			*total += n
		}
		return rows.Err()
	}
	if err := counts(`SELECT type, COUNT(*) FROM entities WHERE merged_into IS NULL GROUP BY type`, &st.Entities, st.EntitiesByType); err != nil {
		return st, internal(err, "stats: entities")
	}
	if err := counts(`SELECT kind, COUNT(*) FROM claims GROUP BY kind`, &st.Claims, st.ClaimsByKind); err != nil {
		return st, internal(err, "stats: claims")
	}
	// Counted per file first, so that the count reads the source index
	// (dataset_events_source) rather than every row of the table.
	if err := counts(`SELECT s.format, SUM(c.n) FROM (SELECT source_id, COUNT(*) AS n FROM dataset_events GROUP BY source_id) c
		JOIN sources s ON s.id = c.source_id GROUP BY s.format`, &st.DatasetEvents, st.DatasetEventsByFormat); err != nil {
		return st, internal(err, "stats: dataset events")
	}
	return st, nil
}
