package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/internal/pgtest"
)

// The store's tests run on both databases: forEachDB runs a test as the
// subtests "sqlite" (a file in the test's temporary folder)
// and "postgres" (a schema of its own on BRIEFBOT_TEST_DATABASE_URL, see
// internal/pgtest: skipped, saying why, where there is no PostgreSQL, and
// failed instead in CI). A database is named by its location: a file path
// or a postgres:// URL; openTest and openAt open either.

// testDB is one of the databases the tests run on.
type testDB struct {
	name  string
	fresh func(t testing.TB) string // the location of a new, empty database
}

var (
	sqliteDB   = testDB{name: "sqlite", fresh: testPath}
	postgresDB = testDB{name: "postgres", fresh: pgtest.URL}
)

// forEachDB runs test on each database, as a subtest named after it.
func forEachDB(t *testing.T, test func(t *testing.T, db testDB)) {
	for _, db := range []testDB{sqliteDB, postgresDB} {
		t.Run(db.name, func(t *testing.T) { test(t, db) })
	}
}

// store opens a new, empty database, closed when the test ends.
func (db testDB) store(t testing.TB) *Store { return openTest(t, db.fresh(t)) }

// openAt opens the database at loc, a file path or a postgres:// URL, and
// migrates it up to version.
func openAt(ctx context.Context, loc string, version int) (*Store, error) {
	if strings.HasPrefix(loc, "postgres") {
		return openPostgresVersion(ctx, loc, nil, version)
	}
	return openVersion(ctx, loc, version)
}

// The database/sql calls the tests make on a store's database, with its
// dialect's parameters.

func (c *db) QueryRow(query string, args ...any) *row {
	return c.QueryRowContext(context.Background(), query, args...)
}

func (c *db) Exec(query string, args ...any) (sql.Result, error) {
	return c.ExecContext(context.Background(), query, args...)
}

func (c *db) Query(query string, args ...any) (*sql.Rows, error) {
	return c.QueryContext(context.Background(), query, args...)
}

// setVersion sets the database's schema version, as a newer program
// would.
func setVersion(t *testing.T, s *Store, v int) {
	t.Helper()
	q := fmt.Sprintf("PRAGMA user_version = %d", v)
	if s.Postgres() {
		q = fmt.Sprintf("UPDATE schema_version SET version = %d", v)
	}
	if _, err := s.db.Exec(q); err != nil {
		t.Fatal(err)
	}
}

func TestRebind(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT ? , ?`, `SELECT $1 , $2`},
		{`WHERE a = ?1 AND b = ?2 OR c = ?1`, `WHERE a = $1 AND b = $2 OR c = $1`},
		{`WHERE a = ?2 AND b = ?`, `WHERE a = $2 AND b = $3`}, // SQLite: one past the highest so far
		{`SELECT '?', "?" , ? -- why?` + "\n, ?", `SELECT '?', "?" , $1 -- why?` + "\n, $2"},
		{`LIKE ?2 || '%' ESCAPE '\' OR x = ?1`, `LIKE $2 || '%' ESCAPE '\' OR x = $1`},
		{`SELECT 'it''s', ?`, `SELECT 'it''s', $1`},
	} {
		if got := rebind(c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
