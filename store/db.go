package store

// The two databases the store runs on, SQLite and PostgreSQL, behind one
// handle (db) that every query goes through.
//
// SQL is written once, in SQLite's spelling, wherever the two agree:
// parameters are ? or ?NNN, and db rewrites them to PostgreSQL's $N once
// per query text (rebind, cached). Upserts (INSERT … ON CONFLICT … DO
// UPDATE SET x = excluded.x, ON CONFLICT DO NOTHING), RETURNING, partial
// indexes, EXISTS, COALESCE, FILTER and the rest are the same in both.
// What differs is gathered in a few places:
//
//   - the schema: each migration has its SQLite and its PostgreSQL text
//     side by side (migrations.go);
//   - full-text search: fts_sqlite.go (FTS5) and fts_postgres.go (tsvector);
//   - the few expressions below, as fields of dialect: no LIMIT (-1 in
//     SQLite, NULL in PostgreSQL) and case-insensitive LIKE;
//   - write transactions: SQLite's BEGIN IMMEDIATE takes the database's
//     write lock at once; on PostgreSQL, write (below) takes a
//     transaction-level advisory lock first, so that write transactions
//     run one at a time there too. That keeps their read-then-write steps
//     as safe as on SQLite, and it makes the arrivals' seq (spaces.go)
//     visible in order: a transaction that takes a seq holds the lock
//     until it commits, so no reader can see seq n+1 before seq n.
//
// Single statements (reserving a slot, a live post, a lease, a replay
// key) are atomic in both and need no transaction.
//
// On PostgreSQL a connection lost mid-run is retried with backoff (see
// retry), and said in the log once per outage.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// dialect is what differs between the databases outside the schema and
// the search index.
type dialect struct {
	name     string // "sqlite", "postgres"
	postgres bool
	noLimit  any    // a LIMIT parameter meaning no limit
	ilike    string // case-insensitive LIKE (ASCII case in SQLite)
}

var (
	sqliteDialect   = &dialect{name: "sqlite", noLimit: -1, ilike: "LIKE"}
	postgresDialect = &dialect{name: "postgres", postgres: true, noLimit: nil, ilike: "ILIKE"}
)

// limit returns n as a LIMIT parameter: no limit if n <= 0.
func (d *dialect) limit(n int) any {
	if n <= 0 {
		return d.noLimit
	}
	return n
}

// writeLock is the key of the advisory lock that PostgreSQL's write
// transactions take (see the top of this file); migrateLock, that of
// migrations.
const (
	writeLock   = 0x62726962 // "brib"
	migrateLock = 0x6272696d // "brim"
)

// db is the store's database: database/sql's handle, with every query
// rewritten for the dialect and, on PostgreSQL, retried when the
// connection is lost.
type db struct {
	sql *sql.DB
	d   *dialect
	log *slog.Logger

	rebound sync.Map // query text → the dialect's

	// SQLite's counts of the search's terms, which write transactions
	// keep up to date with what they add to the index (dfcache.go).
	dfs *dfCache

	// SQLite's reads, prepared once (see prepared): query text → *sql.Stmt.
	stmts     sync.Map
	stmtCount atomic.Int32

	// The current outage, for its log lines: when it began (Unix
	// nanoseconds), 0 if none.
	downSince atomic.Int64
	// retryFor bounds the retries of one operation; tests shorten it.
	retryFor time.Duration
}

// q returns the query as the dialect writes it.
func (c *db) q(query string) string {
	if !c.d.postgres {
		return query
	}
	if v, ok := c.rebound.Load(query); ok {
		return v.(string)
	}
	r := rebind(query)
	c.rebound.Store(query, r)
	return r
}

// rebind rewrites SQLite's parameters as PostgreSQL's: ?NNN as $NNN, and
// a bare ? as one more than the highest number so far (SQLite's rule).
// Nothing inside quotes ('…', "…") or comments is touched.
func rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	highest := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(query[i+1:], c)
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j+2])
			i += j + 1
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j])
			i += j - 1
		case c == '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			n := highest + 1
			if j > i+1 {
				n, _ = strconv.Atoi(query[i+1 : j])
			}
			highest = max(highest, n)
			b.WriteString("$" + strconv.Itoa(n))
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func (c *db) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := c.retry(ctx, false, func() (err error) {
		res, err = c.sql.ExecContext(ctx, c.q(query), args...)
		return err
	})
	return res, err
}

func (c *db) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := c.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	var rows *sql.Rows
	err := c.retry(ctx, readOnly(query), func() (err error) {
		rows, err = c.sql.QueryContext(ctx, c.q(query), args...)
		return err
	})
	return rows, err
}

// maxStmts bounds the queries db keeps prepared: the store's queries are
// a few dozen texts, and a text made for its arguments (a list of
// placeholders as long as the list) is prepared anew past the bound.
const maxStmts = 256

// prepared returns the query prepared on SQLite, nil on PostgreSQL (whose
// driver keeps its own cache of prepared statements) or if it cannot be
// prepared (it is then run as it is, and fails as it would). SQLite
// compiles a statement anew for each query otherwise, about a tenth of the
// time of a search; database/sql prepares it again on each connection
// that runs it.
func (c *db) prepared(ctx context.Context, query string) *sql.Stmt {
	if c.d.postgres {
		return nil
	}
	if st, ok := c.stmts.Load(query); ok {
		return st.(*sql.Stmt)
	}
	if c.stmtCount.Load() >= maxStmts {
		return nil
	}
	st, err := c.sql.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if prev, loaded := c.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt)
	}
	c.stmtCount.Add(1)
	return st
}

// QueryRowContext is QueryContext for one row, read by the row's Scan.
func (c *db) QueryRowContext(ctx context.Context, query string, args ...any) *row {
	rows, err := c.QueryContext(ctx, query, args...)
	return &row{rows: rows, err: err}
}

// row is the first row of a query, as *sql.Row.
type row struct {
	rows *sql.Rows
	err  error
}

func (r *row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	return r.rows.Close()
}

// readOnly reports whether the query only reads, so that it may be run
// again after the connection was lost during it.
func readOnly(query string) bool {
	q := strings.TrimSpace(query)
	return len(q) >= 6 && strings.EqualFold(q[:6], "SELECT") && !strings.Contains(strings.ToUpper(q), "RETURNING")
}

// tx is a transaction of db.write.
type tx struct {
	sql   *sql.Tx
	c     *db
	stmts map[string]*sql.Stmt // prepared in the transaction, by query (see prepared)
	index *indexWrite          // what it does to the search index (dfcache.go)
	keep  []string             // queries prepared in the transaction for db to keep
}

// prepared returns the query prepared in the transaction, prepared once
// however many times the transaction runs it: a batch of articles prepares
// each of its statements once. They are closed when the transaction ends.
// On SQLite the statement is the one db keeps (see db.prepared), compiled
// once per connection for every transaction that runs it: a batch's
// transaction compiled each of its statements again, which was about a
// tenth of its CPU when it wrote the search index's rows in statements of
// thousands of parameters.
func (t *tx) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := t.stmts[query]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if kept, ok := t.c.stmts.Load(query); ok {
		st = t.sql.StmtContext(ctx, kept.(*sql.Stmt))
	} else {
		var err error
		if st, err = t.sql.PrepareContext(ctx, t.c.q(query)); err != nil {
			return nil, err
		}
		if !t.c.d.postgres {
			// Kept once the transaction is over: preparing it on db now
			// would take another connection while this one is held.
			t.keep = append(t.keep, query)
		}
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[query] = st
	return st, nil
}

func (t *tx) closeStmts() {
	for _, st := range t.stmts {
		st.Close()
	}
	t.stmts = nil
}

func (t *tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.sql.ExecContext(ctx, t.c.q(query), args...)
}

func (t *tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.sql.QueryContext(ctx, t.c.q(query), args...)
}

func (t *tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return t.sql.QueryRowContext(ctx, t.c.q(query), args...)
}

func (t *tx) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.sql.PrepareContext(ctx, t.c.q(query))
}

// write runs fn in a write transaction (see the top of this file) and
// commits it if fn returns nil. A transaction that the loss of its
// connection ended before its commit was sent did nothing, and is run
// again (see retry). An error because SQLite's lock stayed taken past the
// busy timeout matches ErrBusy.
func (c *db) write(ctx context.Context, fn func(*tx) error) error {
	var keep []string
	defer func() {
		for _, q := range keep {
			c.prepared(ctx, q)
		}
	}()
	return markBusy(c.retry(ctx, true, func() error {
		t, err := c.sql.BeginTx(ctx, nil) // BEGIN IMMEDIATE on SQLite
		if err != nil {
			return err
		}
		defer t.Rollback()
		w := &tx{sql: t, c: c}
		defer func() { keep = append(keep, w.keep...) }()
		defer w.closeStmts()
		if c.d.postgres {
			if _, err := t.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, writeLock); err != nil {
				return err
			}
		}
		if err := fn(w); err != nil {
			return err
		}
		w.endIndexWrite(ctx)
		if err := t.Commit(); err != nil {
			return commitError{err}
		}
		w.indexWritten()
		return nil
	}))
}

// commitError is the failure of a commit: whether it took effect is not
// known, so it is never retried.
type commitError struct{ error }

func (e commitError) Unwrap() error { return e.error }

// defaultRetryFor is how long an operation is retried while the database
// cannot be reached.
const defaultRetryFor = time.Minute

// retry runs op, and on PostgreSQL runs it again, waiting 100 ms and
// twice as long each time up to 5 s, while it fails because the
// connection was lost or could not be made, for at most c.retryFor. An
// operation that may have taken effect before its connection broke is
// not run again unless again says it may (it only reads, or it is a whole
// transaction that cannot have committed). The first failure of an
// outage and the end of the outage are logged, once each, whichever
// operation meets them.
func (c *db) retry(ctx context.Context, again bool, op func() error) error {
	err := op()
	if !c.d.postgres {
		return err
	}
	start := time.Now()
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
		if err == nil {
			if since := c.downSince.Swap(0); since != 0 {
				c.log.Info("store: the database connection is back", "down_for", time.Since(time.Unix(0, since)).Round(time.Millisecond))
			}
			return nil
		}
		if !connectionLost(err) || !(again || notSent(err)) || time.Since(start)+wait > c.retryFor {
			return err
		}
		if c.downSince.CompareAndSwap(0, time.Now().UnixNano()) {
			c.log.Warn("store: the database connection was lost; retrying with backoff", "err", err, "for_at_most", c.retryFor)
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		err = op()
	}
}

// connectionLost reports whether err is the loss of the database
// connection, or the failure to make one, rather than an error of the
// statement.
func connectionLost(err error) bool {
	var ce commitError
	if errors.As(err, &ce) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// Connection exceptions, and the server shutting down or starting.
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ne net.Error
	var ce2 *pgconn.ConnectError
	return errors.As(err, &ce2) || errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, net.ErrClosed) ||
		pgconn.SafeToRetry(err)
}

// notSent reports whether the statement that failed with err surely did
// not reach the server: the connection could not be made, or failed
// before the statement was written.
func notSent(err error) bool {
	var ce *pgconn.ConnectError
	var pe *pgconn.PgError
	return errors.As(err, &ce) || pgconn.SafeToRetry(err) || errors.Is(err, driver.ErrBadConn) ||
		(errors.As(err, &pe) && pe.Code == "57P03")
}

// Close closes the database.
func (c *db) Close() error {
	c.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	return c.sql.Close()
}

// wrapOnce is err with what (such as "store: put article X") before it,
// unless err says already what failed: its message starts with "store: ".
func wrapOnce(what string, err error) error {
	if strings.HasPrefix(err.Error(), "store: ") {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}
