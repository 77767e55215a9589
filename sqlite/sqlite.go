// Package sqlite implements faultline.Store on an embedded SQLite database
// (modernc.org/sqlite: pure Go, no cgo) in WAL mode with FTS5 search.
//
// A DB holds two handles on the same file: a writer limited to one
// connection, whose transactions begin IMMEDIATE so that writers queue on
// the lock instead of failing half-way, and a pool of read-only connections
// that WAL lets run beside the writer.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/faultline-osint/faultline"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// timeFormat is how times are stored: sortable RFC 3339 in UTC.
const timeFormat = "2006-01-02T15:04:05.000000000Z07:00"

// DB is a Faultline store in one SQLite file. It implements faultline.Store.
type DB struct {
	path  string
	write *sql.DB // one connection; BEGIN IMMEDIATE
	read  *sql.DB // read-only pool
	ckpt  *sql.DB // one connection for background checkpoints
	stmt  statements

	stop chan struct{} // closed by Close to end the checkpointer
	done chan struct{} // closed when the checkpointer has ended

	// Now returns the current time; tests replace it to get reproducible
	// timestamps.
	Now func() time.Time
}

var _ faultline.Store = (*DB)(nil)

// Open opens (creating if needed) the database at path and applies any
// pending migrations. The path must name a file: the writer and the readers
// are separate connections and cannot share an in-memory database.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file::memory:") {
		return nil, faultline.Errorf(faultline.EINVALID, "open sqlite %q: a file path is required", path)
	}
	db := &DB{path: path, Now: time.Now}
	var err error
	if db.write, err = sql.Open("sqlite", dsn(path, false)); err != nil {
		return nil, faultline.Errorf(faultline.EINTERNAL, "open sqlite %s: %w", path, err)
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetMaxIdleConns(1)
	db.write.SetConnMaxLifetime(0)
	db.write.SetConnMaxIdleTime(0)
	if err := db.migrate(ctx); err != nil {
		db.write.Close()
		return nil, err
	}
	if err := db.prepare(ctx); err != nil {
		db.closeStatements()
		db.write.Close()
		return nil, err
	}
	if db.read, err = sql.Open("sqlite", dsn(path, true)); err != nil {
		db.closeStatements()
		db.write.Close()
		return nil, faultline.Errorf(faultline.EINTERNAL, "open sqlite %s for reading: %w", path, err)
	}
	n := max(4, runtime.NumCPU())
	db.read.SetMaxOpenConns(n)
	db.read.SetMaxIdleConns(n)
	if err := db.read.PingContext(ctx); err != nil {
		db.Close()
		return nil, faultline.Errorf(faultline.EINTERNAL, "open sqlite %s for reading: %w", path, err)
	}
	if db.ckpt, err = sql.Open("sqlite", dsn(path, false)); err != nil {
		db.Close()
		return nil, faultline.Errorf(faultline.EINTERNAL, "open sqlite %s for checkpoints: %w", path, err)
	}
	db.ckpt.SetMaxOpenConns(1)
	db.stop, db.done = make(chan struct{}), make(chan struct{})
	go db.checkpoint()
	return db, nil
}

// checkpointInterval is how often the background checkpointer copies the
// WAL back into the database file.
const checkpointInterval = 200 * time.Millisecond

// checkpoint runs passive WAL checkpoints until Close. Copying pages and
// syncing the file is then done beside the writer, on another core, rather
// than inside whichever commit crosses the auto-checkpoint threshold (which
// stays, set high, as a backstop). A passive checkpoint never blocks
// writers or readers; one that cannot finish is simply retried.
func (db *DB) checkpoint() {
	defer close(db.done)
	t := time.NewTicker(checkpointInterval)
	defer t.Stop()
	for {
		select {
		case <-db.stop:
			return
		case <-t.C:
			// Errors (a busy database) only mean a later checkpoint does
			// the work.
			db.ckpt.Exec(`PRAGMA wal_checkpoint(PASSIVE)`)
		}
	}
}

// dsn builds the connection string: WAL, a generous busy timeout, foreign
// keys, synchronous=NORMAL (safe in WAL: a crash may lose the last commits
// but never corrupts), and for the writer immediate transactions and a high
// auto-checkpoint threshold, since checkpoints normally run in the
// background (see checkpoint).
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "cache_size(-32000)")
		q.Add("_pragma", "wal_autocheckpoint(16000)")
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// SetWriteCache sets the writer's page cache to mib MiB. The default (32
// MB) suits an analyst's database; a bulk load into millions of rows reads
// index pages at random, and with a cache far smaller than the indexes
// most of its time went to copying pages back from the OS.
func (db *DB) SetWriteCache(ctx context.Context, mib int) error {
	if mib <= 0 {
		return faultline.Errorf(faultline.EINVALID, "write cache: %d MiB: want a positive size", mib)
	}
	if _, err := db.write.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d", -mib*1024)); err != nil {
		return internal(err, "write cache")
	}
	return nil
}

// Close closes both handles.
func (db *DB) Close() error {
	var first error
	if db.stop != nil {
		close(db.stop)
		<-db.done
		db.stop = nil
	}
	if db.ckpt != nil {
		if err := db.ckpt.Close(); err != nil {
			first = err
		}
	}
	db.closeStatements()
	if db.read != nil {
		if err := db.read.Close(); err != nil && first == nil {
			first = err
		}
	}
	if db.write != nil {
		if err := db.write.Close(); err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		return faultline.Errorf(faultline.EINTERNAL, "close sqlite %s: %w", db.path, first)
	}
	return nil
}

// now returns the injected time in UTC.
func (db *DB) now() time.Time { return db.Now().UTC() }

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the embedded migrations in version order. Files are named
// NNNN_description.sql.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", base)
		}
		b, err := migrationFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", base, err)
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share a version", ms[i-1].name, ms[i].name)
		}
	}
	return ms, nil
}

// migrate applies the pending migrations in order, all in one transaction,
// recording each in schema_migrations. Reopening a migrated file is a no-op.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return faultline.Errorf(faultline.EINTERNAL, "migrate %s: %w", db.path, err)
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return faultline.Errorf(faultline.EINTERNAL, "migrate %s: begin: %w", db.path, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL)`); err != nil {
		return faultline.Errorf(faultline.EINTERNAL, "migrate %s: %w", db.path, err)
	}
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return faultline.Errorf(faultline.EINTERNAL, "migrate %s: %w", db.path, err)
	}
	if latest := ms[len(ms)-1].version; current > latest {
		return faultline.Errorf(faultline.ECONFLICT, "migrate %s: schema version %d is newer than this build knows (%d)", db.path, current, latest)
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return faultline.Errorf(faultline.EINTERNAL, "migrate %s: %s: %w", db.path, m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
			m.version, m.name, db.now().Format(timeFormat)); err != nil {
			return faultline.Errorf(faultline.EINTERNAL, "migrate %s: record %s: %w", db.path, m.name, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			return faultline.Errorf(faultline.EINTERNAL, "migrate %s: %s: %w", db.path, m.name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return faultline.Errorf(faultline.EINTERNAL, "migrate %s: commit: %w", db.path, err)
	}
	return nil
}

// SchemaVersion returns the version of the last applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	if err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, faultline.Errorf(faultline.EINTERNAL, "schema version: %w", err)
	}
	return v, nil
}

// JournalMode returns the journal mode of the database file ("wal").
func (db *DB) JournalMode(ctx context.Context) (string, error) {
	var mode string
	if err := db.read.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return "", faultline.Errorf(faultline.EINTERNAL, "journal mode: %w", err)
	}
	return mode, nil
}

// IntegrityCheck runs PRAGMA integrity_check and PRAGMA foreign_key_check
// and fails with EINTERNAL describing the first problems found.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	rows, err := db.read.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return faultline.Errorf(faultline.EINTERNAL, "integrity check: %w", err)
	}
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return faultline.Errorf(faultline.EINTERNAL, "integrity check: %w", err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return faultline.Errorf(faultline.EINTERNAL, "integrity check: %w", err)
	}
	rows, err = db.read.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return faultline.Errorf(faultline.EINTERNAL, "foreign key check: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return faultline.Errorf(faultline.EINTERNAL, "foreign key check: %w", err)
		}
		problems = append(problems, fmt.Sprintf("%s row %d: dangling reference to %s", table, rowid.Int64, parent))
	}
	if err := rows.Err(); err != nil {
		return faultline.Errorf(faultline.EINTERNAL, "foreign key check: %w", err)
	}
	if len(problems) > 0 {
		if len(problems) > 10 {
			problems = append(problems[:10], fmt.Sprintf("and %d more", len(problems)-10))
		}
		return faultline.Errorf(faultline.EINTERNAL, "integrity check of %s: %s", db.path, strings.Join(problems, "; "))
	}
	return nil
}

// queryer is what *sql.DB, *sql.Tx and *sql.Conn have in common.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// readTx begins a read-only transaction on the reader pool, giving a
// consistent snapshot across the queries of one method.
func (db *DB) readTx(ctx context.Context) (*sql.Tx, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, faultline.Errorf(faultline.EINTERNAL, "begin read: %w", err)
	}
	return tx, nil
}

// writeTx begins an immediate transaction on the writer.
func (db *DB) writeTx(ctx context.Context) (*sql.Tx, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, faultline.Errorf(faultline.EINTERNAL, "begin write: %w", err)
	}
	return tx, nil
}

// internal wraps a lower-level error with context as EINTERNAL, leaving
// errors that already carry a faultline code alone.
func internal(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	if faultline.ErrorCode(err) != faultline.EINTERNAL {
		return err
	}
	return faultline.Errorf(faultline.EINTERNAL, format+": %w", append(args, err)...)
}

// placeholders returns "?, ?, ?" for n arguments.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// nullString maps "" to NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ptrString maps nil and "" to NULL.
func ptrString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
