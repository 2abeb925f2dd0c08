// Package crashtest kills a child test process with SIGKILL while it
// stores a batch of articles, and checks the database it leaves: test
// support only, for the crash tests of ingest and feeds.
//
// The child is the test binary run again (see Start): it says on its
// standard output when each batch starts, when the batch's transaction
// has begun (from inside it: the store's Debug line, see Announcer), and
// how the batch ended. The parent (Child.KillInBatch) kills it a random
// short delay after a batch's transaction has begun, reads all it said
// before it died, and counts the kill as inside that transaction only if
// the child never said the batch ended and the database holds none of
// its articles (Kill.Inside). What it checks of the database is in Check.
package crashtest

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/pgtest"
	"github.com/briefbot/briefbot/store"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	_ "modernc.org/sqlite"             // the "sqlite" driver
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

// OpenStore opens the store at loc, a file path or a postgres:// URL.
func OpenStore(t testing.TB, loc string) *store.Store {
	t.Helper()
	return openStore(t, loc, slog.New(slog.DiscardHandler))
}

// openStore opens the store at loc with log: on SQLite the store takes
// slog.Default(), so the child sets that first (see Announcer.OpenStore).
func openStore(t testing.TB, loc string, log *slog.Logger) *store.Store {
	t.Helper()
	var (
		st  *store.Store
		err error
	)
	if Postgres(loc) {
		st, err = store.OpenPostgres(context.Background(), loc, log)
	} else {
		st, err = store.Open(context.Background(), loc)
	}
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Child is a child test process that stores batches.
type Child struct {
	cmd   *exec.Cmd
	lines chan string // its standard output, closed at its end
	done  chan struct{}
	err   error // of its Wait
}

// Start runs the test binary's test named run as a child in mode on the
// database at loc, with the extra environment. The child has two minutes
// (-test.timeout), and on Linux dies with the test process (Pdeathsig).
func Start(t testing.TB, run, mode, loc string, env ...string) *Child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+run+"$", "-test.count=1", "-test.timeout=2m")
	cmd.Env = append(os.Environ(), append(env, ModeEnv+"="+mode, DBEnv+"="+loc)...)
	cmd.Stderr = os.Stderr
	setDeathSignal(cmd)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c := &Child{cmd: cmd, lines: make(chan string, 1000), done: make(chan struct{})}
	started := make(chan error)
	go func() {
		// Pdeathsig is sent when the thread that started the child ends,
		// not the process: this goroutine keeps its thread until the
		// child is gone.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			c.lines <- sc.Text()
		}
		close(c.lines)
		c.err = cmd.Wait()
		close(c.done)
	}()
	if err := <-started; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-c.done
	})
	return c
}

// Kill is what KillInBatch did, read from everything the child said
// before it died (its output stays in the pipe, and is read to its end).
type Kill struct {
	Killed bool // by KillInBatch's SIGKILL; false: the child ended first
	// Aimed is the batch whose open transaction the kill was aimed at
	// (0: none), and Delay how long after the child said it open the
	// signal was sent.
	Aimed int
	Delay time.Duration
	// Batch is the batch the child had started and not said ended when
	// it died (0: none), Size its number of articles, and Open whether
	// the child had said, from inside it, that its transaction had begun.
	Batch, Size int
	Open        bool
	// Before is the number of articles of the batches said ended:
	// committed.
	Before int
}

// Inside reports whether the kill landed inside the transaction of the
// batch it was aimed at, given the number of articles of the batches
// found stored (stored) and of those stored before the child started
// (base), and logs what round's kill did; a database holding part of a
// batch fails t. Inside is exact: the child said that batch's transaction
// had begun and never that the batch ended, and the database holds none
// of it, so the kill came after its BEGIN and before its COMMIT took
// effect.
func (k Kill) Inside(t testing.TB, round, stored, base int) bool {
	t.Helper()
	before := base + k.Before
	switch {
	case stored == before && k.Batch > 0 && k.Open && k.Batch == k.Aimed:
		t.Logf("round %d: killed %v after batch %d's transaction began, before its commit: %d articles stored, none of its %d",
			round, k.Delay, k.Batch, stored, k.Size)
		return true
	case stored == before && k.Batch > 0 && k.Open:
		t.Logf("round %d: killed inside batch %d's transaction, not batch %d's, aimed at (%v after it began): %d articles stored",
			round, k.Batch, k.Aimed, k.Delay, stored)
	case stored == before && k.Batch > 0:
		t.Logf("round %d: killed before batch %d's transaction began (%v after batch %d's): %d articles stored",
			round, k.Batch, k.Delay, k.Aimed, stored)
	case stored == before:
		t.Logf("round %d: killed between batches (%v after batch %d's transaction began): %d articles stored",
			round, k.Delay, k.Aimed, stored)
	case stored == before+k.Size && k.Batch > 0:
		t.Logf("round %d: killed after batch %d committed (%v after batch %d's transaction began): %d articles stored",
			round, k.Batch, k.Delay, k.Aimed, stored)
	default:
		t.Errorf("round %d: killed during batch %d (%d articles, %d stored before it): %d articles stored, not whole batches",
			round, k.Batch, k.Size, before, stored)
	}
	return false
}

// batches follows the child's announcements (see Announcer).
type batches struct {
	sizes   map[int]int
	ended   int // articles in the batches ended
	started int // the batch started last
	running bool
	open    bool      // its transaction has begun
	opened  time.Time // when the parent read so
	// The time from a transaction's begin to its batch's end, as read by
	// the parent, and the articles of those batches: the pace of a batch.
	took     time.Duration
	tookArts int
}

// note reads a line of the child's output, and returns the number of the
// batch whose transaction it says has begun (0 if it does not). A line
// that is not the child's is logged.
func (b *batches) note(t testing.TB, line string) int {
	t.Helper()
	f := strings.Fields(line)
	if len(f) < 3 || f[0] != "batch" {
		t.Log("child: " + line)
		return 0
	}
	num := func(s string) int {
		t.Helper()
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("child: a garbled line: %q", line)
		}
		return n
	}
	n := num(f[2])
	switch {
	case f[1] == "start" && len(f) == 4:
		if b.running || n != b.started+1 {
			t.Fatalf("child: batch %d started out of turn: %q", n, line)
		}
		b.sizes[n] = num(f[3])
		b.started, b.running, b.open = n, true, false
	case f[1] == "open" && len(f) == 4:
		if !b.running || n != b.started || num(f[3]) != b.sizes[n] {
			t.Fatalf("child: not the transaction of batch %d of %d articles: %q", b.started, b.sizes[b.started], line)
		}
		b.open, b.opened = true, time.Now()
		return n
	case f[1] == "end" && len(f) == 3:
		if !b.running || n != b.started {
			t.Fatalf("child: batch %d ended out of turn: %q", n, line)
		}
		if !b.open {
			t.Errorf("child: batch %d ended, its transaction never said begun (the store's Debug line %q)", n, "store: storing batch")
		} else {
			b.took += time.Since(b.opened)
			b.tookArts += b.sizes[n]
		}
		b.ended += b.sizes[n]
		b.running, b.open = false, false
	case f[1] == "fail":
		if !b.running || n != b.started {
			t.Fatalf("child: batch %d failed out of turn: %q", n, line)
		}
		// No crash test provokes a failure.
		t.Errorf("child: batch %d of %d articles failed: %s", n, b.sizes[n], strings.Join(f[3:], " "))
		b.running, b.open = false, false
	default:
		t.Fatalf("child: a garbled line: %q", line)
	}
	return 0
}

// delay picks the time between the begin of batch n's transaction and the
// kill: at random, from none to a share of the time that batch would take
// at the pace of the batches before it (1 ms an article if none has
// ended), so that the kill lands anywhere in that share of the
// transaction. The share is a half in round 0, and halves each round: a
// kill aimed later lands after the commit too often (the last batch of a
// seeds sync is faster an article than its first), and the rounds go on
// only until one kill lands inside.
func (b *batches) delay(r *rand.Rand, n, round int) time.Duration {
	pace := time.Millisecond
	if b.tookArts > 0 {
		pace = b.took / time.Duration(b.tookArts)
	}
	return time.Duration(r.Int64N(int64(pace)*int64(b.sizes[n])>>min(round+1, 20) + 1))
}

// KillInBatch waits until the child says that the transaction of a batch
// for which when is true has begun (given the batch's number, from 1, and
// how many articles the batches before it stored), and kills it with
// SIGKILL a random short delay later (see batches.delay: round is the
// test's attempt, from 0); if that batch
// ends first, it aims at the next one for which when is true. It returns
// once the child is dead, killed or ended by itself, and its output read.
// The child failing, a batch failing, or the child not ending within two
// minutes fails t.
func (c *Child) KillInBatch(t testing.TB, round int, when func(batch, before int) bool) Kill {
	t.Helper()
	seed := rand.Uint64()
	r := rand.New(rand.NewPCG(seed, 0))
	b := &batches{sizes: map[int]int{}}
	k := Kill{}
	var fire <-chan time.Time
	sent := false
	deadline := time.NewTimer(2 * time.Minute)
	defer deadline.Stop()
	for lines := c.lines; lines != nil; {
		select {
		case line, ok := <-lines:
			if !ok {
				lines = nil
				break
			}
			n := b.note(t, line)
			if sent || fire != nil && b.running && b.started == k.Aimed {
				break
			}
			fire = nil
			if n > 0 && when(n, b.ended) {
				k.Aimed, k.Delay = n, b.delay(r, n, round)
				fire = time.After(k.Delay)
			}
		case <-fire:
			fire, sent = nil, true
			// The child may have ended meanwhile (os.ErrProcessDone):
			// its exit status says which.
			if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
				t.Fatalf("kill the child: %v", err)
			}
		case <-deadline.C:
			t.Fatalf("the child did not end within two minutes")
		}
	}
	<-c.done
	k.Killed = killed(c.cmd.ProcessState)
	if !k.Killed && c.err != nil || k.Killed && !sent {
		t.Fatalf("child: %v", c.err)
	}
	k.Before = b.ended
	if b.running {
		k.Batch, k.Size, k.Open = b.started, b.sizes[b.started], b.open
	}
	t.Logf("kill: seed %d, aimed at batch %d %v after its transaction began, sent: %v, landed: %v", seed, k.Aimed, k.Delay, sent, k.Killed)
	return k
}

// killed reports whether the process ended by SIGKILL.
func killed(ps *os.ProcessState) bool {
	ws, ok := ps.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// Announcer is the child's side: it says on its writer when each batch
// starts ("batch start N SIZE", before the store is called), when its
// transaction has begun ("batch open N SIZE", from the store's Debug line
// "store: storing batch", logged inside the transaction), and how it
// ended ("batch end N" once stored, "batch fail N ERROR").
type Announcer struct {
	w  io.Writer
	mu sync.Mutex
	n  int // the batch under way
}

// NewAnnouncer returns an Announcer writing to w.
func NewAnnouncer(w io.Writer) *Announcer { return &Announcer{w: w} }

// OpenStore opens the store at loc with a logger that announces its
// batches' transactions, and makes it slog's default (which a SQLite
// store takes).
func (a *Announcer) OpenStore(t testing.TB, loc string) *store.Store {
	t.Helper()
	log := slog.New(&announceHandler{a: a, next: slog.NewTextHandler(os.Stderr, nil)})
	slog.SetDefault(log)
	return openStore(t, loc, log)
}

// Put returns put, announcing the batches it stores. Batches are stored
// one at a time.
func (a *Announcer) Put(put func(context.Context, []store.ArticlePut) ([]bool, error)) func(context.Context, []store.ArticlePut) ([]bool, error) {
	return func(ctx context.Context, puts []store.ArticlePut) ([]bool, error) {
		a.mu.Lock()
		a.n++
		n := a.n
		fmt.Fprintf(a.w, "batch start %d %d\n", n, len(puts))
		a.mu.Unlock()
		added, err := put(ctx, puts)
		a.mu.Lock()
		defer a.mu.Unlock()
		if err != nil {
			fmt.Fprintf(a.w, "batch fail %d %s\n", n, strings.Join(strings.Fields(err.Error()), " "))
			return added, err
		}
		fmt.Fprintf(a.w, "batch end %d\n", n)
		return added, err
	}
}

// announceHandler turns the store's line of a batch's transaction begun
// into "batch open N SIZE", and passes on the other lines from Info up.
type announceHandler struct {
	a    *Announcer
	next slog.Handler
}

func (h *announceHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *announceHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Message != "store: storing batch" {
		if r.Level < slog.LevelInfo {
			return nil
		}
		return h.next.Handle(ctx, r)
	}
	size := -1
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "articles" {
			size = int(a.Value.Int64())
		}
		return true
	})
	h.a.mu.Lock()
	defer h.a.mu.Unlock()
	_, err := fmt.Fprintf(h.a.w, "batch open %d %d\n", h.a.n, size)
	return err
}

func (h *announceHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &announceHandler{a: h.a, next: h.next.WithAttrs(as)}
}

func (h *announceHandler) WithGroup(name string) slog.Handler {
	return &announceHandler{a: h.a, next: h.next.WithGroup(name)}
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
