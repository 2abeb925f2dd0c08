// Package store keeps briefbot's state in a database, SQLite (the default,
// a file) or PostgreSQL (for several replicas): the articles and claims it
// has ingested, which spaces see them (spaces.go), the feeds and who
// follows them, channel subscriptions, the ledgers of scheduled
// deliveries and live posts, feed alerts, the messages it posted, leases
// (leases.go) and a little key-value state. db.go says how one set of
// queries runs on both.
//
// A database may be shared by several processes (bot replicas on one
// PostgreSQL database, or two bot processes on one SQLite file): every
// write is a single atomic statement or runs in a write transaction (see
// db.go), and SQLite's connections wait up to five seconds for a lock held
// by another process.
//
// Lookups of something that does not exist return an error wrapping
// fs.ErrNotExist; test with errors.Is(err, fs.ErrNotExist).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is a briefbot database. It is safe for concurrent use.
type Store struct {
	db    *db
	where string       // the file, or the URL without its password
	uses  atomic.Int64 // keys FirstUse recorded, to prune now and then

	stories storyState // the grouper of articles into stories (stories.go)
	dfs     dfCache    // the counts of the search's terms (fts_sqlite.go)
}

// pragmas are applied by the driver to every new connection: wait for locks
// held by others instead of failing at once, write-ahead logging (readers do
// not block the writer), enforced foreign keys, and fsync only at
// checkpoints, which in WAL mode cannot corrupt the database (a power loss
// may lose the last transactions), and a page cache of 32 MiB per
// connection instead of SQLite's 2 MB (a search reads the index's pages
// and the size of every matching row: in a cache of 2 MB most of them
// are read again from the file). _txlock makes every read-write
// transaction BEGIN IMMEDIATE: it takes the write lock up front, so a
// transaction that reads then writes never fails half-way with SQLITE_BUSY
// because another process wrote in between.
const pragmas = "_pragma=busy_timeout(5000)" +
	"&_pragma=journal_mode(WAL)" +
	"&_pragma=foreign_keys(1)" +
	"&_pragma=synchronous(NORMAL)" +
	"&_pragma=cache_size(-32768)" +
	"&_txlock=immediate"

// dsn returns the driver's data source name for the database file path.
// The path is made absolute and escaped into a file: URI so that no
// character in it ('?', '#', '%') can be mistaken for URI syntax.
func dsn(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") { // Windows: C:/x -> /C:/x
		p = "/" + p
	}
	u := url.URL{Scheme: "file", OmitHost: true, Path: p, RawQuery: pragmas}
	return u.String(), nil
}

// Open opens the SQLite database file at path, creating it if needed, and
// brings its schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	return openVersion(ctx, path, len(migrations))
}

// openVersion opens the SQLite database at path and migrates it up to
// schema version (not beyond). Tests use it to create older databases.
func openVersion(ctx context.Context, path string, version int) (*Store, error) {
	name, err := dsn(path)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	sdb, err := sql.Open("sqlite", name)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// Kept open between uses, up to as many as a poll of the feeds has
	// workers (16): a connection let go is opened again at the next burst
	// of reads, its schema read and its statements compiled again, which
	// was a quarter of a first feed poll's CPU with database/sql's 2 idle
	// connections. Each holds its page cache (cache_size, up to 32 MiB,
	// filled as it reads: up to 512 MiB for 16 busy ones, outside Go's
	// heap) until let go after 5 minutes unused.
	sdb.SetMaxIdleConns(16)
	sdb.SetConnMaxIdleTime(5 * time.Minute)
	c := &db{sql: sdb, d: sqliteDialect, log: slog.Default()}
	if err := migrateWhenFree(ctx, c, version); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{db: c, where: path}
	c.dfs = &s.dfs
	return s, nil
}

// OpenPostgres opens the PostgreSQL database at the URL (DATABASE_URL,
// postgres://user:password@host:port/database?sslmode=…) and brings its
// schema up to date. log gets the lines of connections lost and back (nil
// means slog.Default()). An address that does not parse, a server that
// cannot be reached and a refused login or password all give an error
// that names DATABASE_URL and never shows the password.
func OpenPostgres(ctx context.Context, databaseURL string, log *slog.Logger) (*Store, error) {
	return openPostgresVersion(ctx, databaseURL, log, len(migrations))
}

// openPostgresVersion is OpenPostgres, migrating up to schema version.
func openPostgresVersion(ctx context.Context, databaseURL string, log *slog.Logger, version int) (*Store, error) {
	if log == nil {
		log = slog.Default()
	}
	where := redactURL(databaseURL)
	cfg, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		return nil, urlError(databaseURL, "DATABASE_URL is not a PostgreSQL address (postgres://user:password@host:port/database)", err)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 10 * time.Second
	}
	// Every connection taken from the pool is pinged first, so that a
	// connection the server dropped (it restarted, the network broke) is
	// found dead before a statement is sent on it, when a write could not
	// be retried (its fate unknown), and replaced by a new one.
	sdb := stdlib.OpenDB(*cfg, stdlib.OptionShouldPing(func(context.Context, stdlib.ShouldPingParams) bool { return true }))
	// Enough for a replica's feed workers and platforms at once; idle
	// connections are let go after a while.
	sdb.SetMaxOpenConns(16)
	sdb.SetMaxIdleConns(4)
	sdb.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, cfg.ConnectTimeout+time.Second)
	err = sdb.PingContext(pctx)
	cancel()
	if err != nil {
		sdb.Close()
		return nil, urlError(databaseURL, "cannot connect to the database of DATABASE_URL ("+where+")", err)
	}
	c := &db{sql: sdb, d: postgresDialect, log: log, retryFor: defaultRetryFor}
	if err := migrate(ctx, c, version); err != nil {
		sdb.Close()
		return nil, urlError(databaseURL, "database of DATABASE_URL ("+where+")", err)
	}
	return &Store{db: c, where: where}, nil
}

// urlError is an error about the database at DATABASE_URL, whose message
// never holds the URL's password.
type dbURLError struct {
	msg string
	err error
}

func (e *dbURLError) Error() string { return e.msg }
func (e *dbURLError) Unwrap() error { return e.err }

func urlError(databaseURL, what string, err error) error {
	msg := "store: " + what + ": " + err.Error()
	if u, perr := url.Parse(databaseURL); perr == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return &dbURLError{msg: msg, err: err}
}

// redactURL is the database URL with its password replaced by xxxxx, or
// "(DATABASE_URL)" if it does not parse.
func redactURL(databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return "(DATABASE_URL)"
	}
	return u.Redacted()
}

// Where says where the database is: its file, or its URL without the
// password.
func (s *Store) Where() string { return s.where }

// Postgres reports whether the store is on PostgreSQL.
func (s *Store) Postgres() bool { return s.db.d.postgres }

// migrateWhenFree migrates, retrying for up to five seconds while the
// database is busy. Processes opening a new file at once race to convert
// it to WAL, and SQLite answers the losers' PRAGMA journal_mode at once
// with SQLITE_BUSY: it does not run the busy handler for that.
func migrateWhenFree(ctx context.Context, c *db, version int) error {
	deadline := time.Now().Add(5 * time.Second)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		err := migrate(ctx, c, version)
		if !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

const sqliteBusy = 5 // SQLITE_BUSY, the primary result code

// ErrBusy matches (with errors.Is) the errors of operations that failed
// because another connection held the database's lock past the busy
// timeout ("database is locked"): the same operation may succeed later.
var ErrBusy = errors.New("database busy")

// isBusy reports whether SQLite answered err with SQLITE_BUSY.
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqliteBusy
}

// busyError is an error of SQLite's that also matches ErrBusy.
type busyError struct{ error }

func (e busyError) Is(target error) bool { return target == ErrBusy }
func (e busyError) Unwrap() error        { return e.error }

// markBusy returns err, made to match ErrBusy too if it is SQLITE_BUSY.
func markBusy(err error) error {
	if isBusy(err) {
		return busyError{err}
	}
	return err
}

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// GetState returns the value stored under key.
func (s *Store) GetState(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM state WHERE key = ?`, key).Scan(&v)
	if err != nil {
		return "", notFound(err, fmt.Sprintf("state %q", key))
	}
	return v, nil
}

// SetState stores value under key, replacing any previous value.
func (s *Store) SetState(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, value, nanos(time.Now()))
	if err != nil {
		return fmt.Errorf("store: set state %q: %w", key, err)
	}
	return nil
}

// nanos returns t as Unix nanoseconds; the zero time means now.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		t = time.Now()
	}
	return t.UnixNano()
}

// fromNanos is the inverse of nanos, in UTC.
func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }

// boolInt returns b as the store keeps flags: 1 or 0, in both databases.
// An int64, which database/sql passes to SQLite's driver as it is (an int
// it converts by reflection; pgx takes either as it is).
func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// scanner is a row to scan: a *sql.Row or the current row of *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// querier runs queries: the db or a tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryRows runs the query and returns its rows, each read by scan, in
// order. It closes the rows, and the first error stops it.
func queryRows[T any](ctx context.Context, q querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return list, nil
}

// scanString scans a row of one text column.
func scanString(row scanner) (string, error) {
	var s string
	err := row.Scan(&s)
	return s, err
}

// notFound returns an error wrapping fs.ErrNotExist if err is
// sql.ErrNoRows, else err; what names the thing looked for.
func notFound(err error, what string) error {
	if err == sql.ErrNoRows {
		return fmt.Errorf("store: %s: %w", what, fs.ErrNotExist)
	}
	return fmt.Errorf("store: %s: %w", what, err)
}
