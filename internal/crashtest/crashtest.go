// Package crashtest kills a child test process with SIGKILL while it
// stores a batch of articles, and checks the database it leaves: test
// support only, for the crash tests of ingest and feeds.
//
// The child is the test binary run again (see Child): it announces each
// batch it stores on its standard output ("batch start N SIZE" before
// store.PutArticles, "batch end N" after), and the parent, once batch N
// has started, watches the database until the child's write transaction
// is open, and kills it then (Child.KillInBatch). Whether the kill landed
// inside the transaction is then read from the database: the batch's
// articles are either all there (it committed before the signal) or none.
package crashtest

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/pgtest"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The environment the child reads.
const (
	ModeEnv = "BRIEFBOT_CRASH_MODE" // which child to be; empty: not a child
	DBEnv   = "BRIEFBOT_CRASH_DB"   // the database: a file path or a postgres:// URL
)

// DB is a kind of database a crash test runs on.
type DB struct {
	Name  string
	Fresh func(t testing.TB) string // the location of a new, empty database
}

// DBs are SQLite (a file in the test's temporary folder) and PostgreSQL (a
// schema of its own, see pgtest: skipped where there is none).
var DBs = []DB{
	{"sqlite", func(t testing.TB) string { return filepath.Join(t.TempDir(), "briefbot.db") }},
	{"postgres", pgtest.URL},
}

// Postgres reports whether loc is a PostgreSQL address.
func Postgres(loc string) bool { return strings.HasPrefix(loc, "postgres") }

// Open opens the database at loc with database/sql, beside the store.
func Open(t testing.TB, loc string) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", "file:"+loc+"?_pragma=busy_timeout(10000)"
	if Postgres(loc) {
		driver, dsn = "pgx", loc
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// ChildLoc is the location the child opens: on PostgreSQL, the same
// schema under an application name of its own, by which inTransaction
// finds its connections.
func ChildLoc(t testing.TB, loc string) string {
	if !Postgres(loc) {
		return loc
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", q.Get("application_name")+"-child")
	u.RawQuery = q.Encode()
	return u.String()
}

// Child is a child test process that stores batches.
type Child struct {
	cmd   *exec.Cmd
	lines chan string // its standard output, closed at its end
	done  chan struct{}
	err   error
	loc   string
}

// Start runs the test binary's test named run as a child in mode on the
// database at loc, with the extra environment.
func Start(t testing.TB, run, mode, loc string, env ...string) *Child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+run+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), append(env, ModeEnv+"="+mode, DBEnv+"="+ChildLoc(t, loc))...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &Child{cmd: cmd, lines: make(chan string, 1000), done: make(chan struct{}), loc: loc}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
		close(c.lines)
		c.err = cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-c.done
	})
	return c
}

// Kill is what KillInBatch did, read from everything the child said
// before it died (its output stays in the pipe): the parent's view of the
// child lags, and the child may have finished the batch during which the
// kill was decided, and stored another.
type Kill struct {
	Killed bool // false: the child ended first
	// Batch is the batch the child had started and not announced ended
	// when it died (0: none), and Size its number of articles.
	Batch, Size int
	// Before is the number of articles of the batches announced ended:
	// committed.
	Before int
	// Query is, on PostgreSQL, the statement the child's transaction was
	// running, or last ran, when it was killed: what it was writing.
	Query string
}

// batches follows the child's announcements.
type batches struct {
	sizes   map[int]int
	ended   int // articles in the batches ended
	started int // the batch started last
	open    bool
}

// note reads a line of the child's output, and returns the number of the
// batch it starts (0 if it does not).
func (b *batches) note(line string) int {
	f := strings.Fields(line)
	if len(f) < 3 || f[0] != "batch" {
		return 0
	}
	n, _ := strconv.Atoi(f[2])
	if f[1] == "end" {
		b.ended += b.sizes[n]
		b.open = false
		return 0
	}
	if len(f) == 4 {
		b.sizes[n], _ = strconv.Atoi(f[3])
	}
	b.started, b.open = n, true
	return n
}

// KillInBatch waits until the child has started a batch for which when
// is true (given the batch's number, from 1, and how many articles the
// batches before it stored), and kills it with SIGKILL once the database
// has shown a write transaction open a few times (one to six, at random:
// so that the kill does not always land on the transaction's first
// statements); if that batch ends first, it tries the next one. It
// returns once the child is dead, killed or ended by itself.
func (c *Child) KillInBatch(t testing.TB, when func(batch, before int) bool) Kill {
	t.Helper()
	probe := newProber(t, c.loc)
	defer probe.close()
	b := &batches{sizes: map[int]int{}}
	for line := range c.lines {
		n := b.note(line)
		if n == 0 || !when(n, b.ended) {
			continue
		}
		if c.watch(t, probe, b, n, 1+rand.IntN(6)) {
			if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			for line := range c.lines {
				b.note(line)
			}
			<-c.done
			k := Kill{Killed: true, Before: b.ended, Query: probe.query}
			if b.open {
				k.Batch, k.Size = b.started, b.sizes[b.started]
			}
			return k
		}
	}
	<-c.done
	if c.err != nil {
		t.Fatalf("child: %v", c.err)
	}
	return Kill{Before: b.ended}
}

// watch watches batch n, started, until the database has shown a write
// transaction open seen times (true), or the child announces the batch's
// end or ends (false).
func (c *Child) watch(t testing.TB, probe *prober, b *batches, n, seen int) bool {
	t.Helper()
	for {
		if probe.inTransaction(t) {
			if seen--; seen == 0 {
				return true
			}
		}
		select {
		case l, ok := <-c.lines:
			if !ok {
				return false
			}
			b.note(l)
			if !b.open || b.started != n {
				return false
			}
		default:
			time.Sleep(200 * time.Microsecond)
		}
	}
}

// prober tells whether a write transaction is open on the database.
type prober struct {
	db    *sql.DB
	conn  *sql.Conn
	app   string // PostgreSQL: the child's application name
	query string // PostgreSQL: the statement of the transaction last seen open
}

func newProber(t testing.TB, loc string) *prober {
	t.Helper()
	ctx := context.Background()
	if Postgres(loc) {
		u, err := url.Parse(ChildLoc(t, loc))
		if err != nil {
			t.Fatal(err)
		}
		db := Open(t, loc)
		return &prober{db: db, app: u.Query().Get("application_name")}
	}
	// A connection that does not wait for the write lock.
	db, err := sql.Open("sqlite", "file:"+loc+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &prober{db: db, conn: conn}
}

// inTransaction reports whether a write transaction is open: on SQLite,
// whether the write lock is taken (BEGIN IMMEDIATE is refused at once; if
// it is not, the lock is given back at once), on PostgreSQL whether the
// child has a connection in a transaction that has written (it has a
// transaction ID).
func (p *prober) inTransaction(t testing.TB) bool {
	t.Helper()
	ctx := context.Background()
	if p.conn == nil {
		err := p.db.QueryRowContext(ctx, `SELECT query FROM pg_stat_activity
			WHERE application_name = $1 AND xact_start IS NOT NULL AND backend_xid IS NOT NULL LIMIT 1`, p.app).Scan(&p.query)
		if errors.Is(err, sql.ErrNoRows) {
			return false
		} else if err != nil {
			t.Fatal(err)
		}
		return true
	}
	_, err := p.conn.ExecContext(ctx, "BEGIN IMMEDIATE")
	if err == nil {
		if _, err := p.conn.ExecContext(ctx, "ROLLBACK"); err != nil {
			t.Fatal(err)
		}
		return false
	}
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY {
		return true
	}
	t.Fatalf("probe: %v", err)
	return false
}

func (p *prober) close() {
	if p.conn != nil {
		p.conn.Close()
	}
	p.db.Close()
}

// Announce writes the child's line about its batch n of size articles:
// before it is stored (start) or after (end).
func Announce(w io.Writer, what string, n, size int) {
	if what == "start" {
		fmt.Fprintf(w, "batch start %d %d\n", n, size)
		return
	}
	fmt.Fprintf(w, "batch end %d\n", n)
}

// State is what a database holds: each article's number of claims, by
// article ID, and each source key's article.
type State struct {
	Claims map[string]int
	Keys   map[string]string
	// Index sums up the search index's words: on SQLite, FTS5's own
	// vocabulary (how many terms, rows per term and occurrences, read
	// from the index itself, not from the claims); on PostgreSQL, the
	// lexemes of its two tsvector columns. Two databases that hold the
	// same claims have the same, whatever their rows' IDs.
	Index string
	// Rows counts the rows that come with the articles: their stories,
	// the spaces that see them and the feed items they came from.
	Rows string
}

// Check checks the database at loc after a crash, and returns what it
// holds: SQLite's integrity check and FTS5's; every article has its
// claims (claims numbered 0 to n-1 with no gap) and a source key, every
// claim its row in the search index, every row of the index its claim,
// every key its article.
func Check(t testing.TB, loc string) State {
	t.Helper()
	db := Open(t, loc)
	ctx := context.Background()
	if !Postgres(loc) {
		var res string
		if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
			t.Errorf("PRAGMA integrity_check: %q, %v", res, err)
		}
		// FTS5's check of its own index (of a contentless table: its
		// structure, not its text, which it does not hold).
		if _, err := db.ExecContext(ctx, "INSERT INTO claims_fts(claims_fts) VALUES('integrity-check')"); err != nil {
			t.Errorf("FTS5 integrity-check: %v", err)
		}
	}
	count := func(what, query string) {
		t.Helper()
		var n int
		if err := db.QueryRowContext(ctx, query).Scan(&n); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if n != 0 {
			t.Errorf("%d %s", n, what)
		}
	}
	count("claims without their row in the search index",
		`SELECT count(*) FROM claims c WHERE NOT EXISTS (SELECT 1 FROM claims_fts f WHERE f.rowid = c.id)`)
	count("rows of the search index without their claim",
		`SELECT count(*) FROM claims_fts f WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.id = f.rowid)`)
	count("articles without claims", `SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.article_id = a.id)`)
	count("articles whose claims have gaps",
		`SELECT count(*) FROM (SELECT article_id FROM claims GROUP BY article_id HAVING max(idx) + 1 <> count(*) OR min(idx) <> 0) g`)
	count("articles without a source key", `SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.article_id = a.id)`)
	count("source keys without their article", `SELECT count(*) FROM sources s WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = s.article_id)`)
	count("articles without their story", `SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM article_stories s WHERE s.article_id = a.id)`)
	count("stories whose first article is missing", `SELECT count(*) FROM article_stories s WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = s.story)`)
	count("articles no space sees", `SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM space_articles s WHERE s.article_id = a.id)`)

	st := State{Claims: map[string]int{}, Keys: map[string]string{}, Index: index(t, db, Postgres(loc))}
	var stories, spaces, items int
	if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM article_stories), (SELECT count(*) FROM space_articles),
		(SELECT count(*) FROM feed_items)`).Scan(&stories, &spaces, &items); err != nil {
		t.Fatal(err)
	}
	st.Rows = fmt.Sprintf("%d story assignments, %d rows of spaces' articles, %d feed items", stories, spaces, items)
	rows, err := db.QueryContext(ctx, `SELECT a.id, (SELECT count(*) FROM claims c WHERE c.article_id = a.id) FROM articles a`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		st.Claims[id] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	rows, err = db.QueryContext(ctx, `SELECT key, article_id FROM sources`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, id string
		if err := rows.Scan(&k, &id); err != nil {
			t.Fatal(err)
		}
		st.Keys[k] = id
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return st
}

// index is State.Index.
func index(t testing.TB, db *sql.DB, postgres bool) string {
	t.Helper()
	ctx := context.Background()
	var terms, rows, hits int64
	q := `SELECT count(*), COALESCE(sum(length(prim)), 0), COALESCE(sum(length(rest)), 0) FROM claims_fts`
	if !postgres {
		// SQLite: a vocabulary table in the connection's temp schema,
		// which leaves the database as it was.
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `CREATE VIRTUAL TABLE IF NOT EXISTS temp.claims_vocab USING fts5vocab(main, claims_fts, 'row')`); err != nil {
			t.Fatal(err)
		}
		if err := conn.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(doc), 0), COALESCE(sum(cnt), 0) FROM temp.claims_vocab`).Scan(&terms, &rows, &hits); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%d terms in %d rows, %d occurrences", terms, rows, hits)
	}
	if err := db.QueryRowContext(ctx, q).Scan(&rows, &terms, &hits); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d rows, %d lexemes of the matched columns and %d of the others", rows, terms, hits)
}

// Part checks that got is part of want: each of its articles with the
// same claims, each of its keys on the same article.
func Part(t testing.TB, what string, got, want State) {
	t.Helper()
	for id, n := range got.Claims {
		if w, ok := want.Claims[id]; !ok || w != n {
			t.Errorf("%s: article %s has %d claims; a clean run stores it with %d (stored: %v)", what, id, n, w, ok)
		}
	}
	for k, id := range got.Keys {
		if w := want.Keys[k]; w != id {
			t.Errorf("%s: key %s is article %q; a clean run stores %q", what, k, id, w)
		}
	}
}

// Same checks that got holds what want holds, no more, no less, and has
// the same search index.
func Same(t testing.TB, what string, got, want State) {
	t.Helper()
	if got.Index != want.Index {
		t.Errorf("%s: the search index holds %s; a clean run's %s", what, got.Index, want.Index)
	}
	if got.Rows != want.Rows {
		t.Errorf("%s: %s; a clean run has %s", what, got.Rows, want.Rows)
	}
	Part(t, what, got, want)
	Part(t, what+" (the other way)", want, got)
}

// Doing says, on PostgreSQL, what the child's transaction was doing when
// it was killed: ", writing: " and the start of its statement.
func (k Kill) Doing() string {
	if k.Query == "" {
		return ""
	}
	q := strings.Join(strings.Fields(k.Query), " ")
	if len(q) > 60 {
		q = q[:60] + "…"
	}
	return ", writing: " + q
}
