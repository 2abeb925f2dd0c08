// Package pgtest gives each test a PostgreSQL schema of its own, on the
// server that BRIEFBOT_TEST_DATABASE_URL names, so that tests running at
// once never see each other's tables. Test support only.
//
// Without that variable, or with a server that cannot be reached, a test
// that asks for PostgreSQL is skipped and says why (a developer's laptop
// may have no PostgreSQL); with BRIEFBOT_REQUIRE_POSTGRES=1, as CI sets
// it, it fails instead, so that CI never passes by skipping them.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
)

// The environment variables this package reads.
const (
	URLEnv     = "BRIEFBOT_TEST_DATABASE_URL" // e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable
	RequireEnv = "BRIEFBOT_REQUIRE_POSTGRES"  // "1": fail rather than skip when PostgreSQL is missing
)

var (
	once    sync.Once
	admin   *sql.DB
	missing string // why PostgreSQL cannot be used, if it cannot
)

// setup connects to the server once per test process, and installs the
// unaccent extension in the database's public schema if it is not there,
// as the store's migration would: installed once, tests' schemas come and
// go without it.
func setup() {
	base := os.Getenv(URLEnv)
	if base == "" {
		missing = URLEnv + " is not set (for example postgres://postgres@127.0.0.1:5432/test?sslmode=disable; .ci/run sets it)"
		return
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		missing = fmt.Sprintf("%s does not parse: %v", URLEnv, err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		missing = fmt.Sprintf("PostgreSQL at %s cannot be reached: %v", URLEnv, err)
		db.Close()
		return
	}
	// Several test processes (one per package) may come here at once.
	conn, err := db.Conn(ctx)
	if err == nil {
		_, err = conn.ExecContext(ctx, `SELECT pg_advisory_lock(7071)`)
		if err == nil {
			_, err = conn.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public`)
			_, _ = conn.ExecContext(ctx, `SELECT pg_advisory_unlock(7071)`)
		}
		conn.Close()
	}
	if err != nil {
		missing = fmt.Sprintf("PostgreSQL at %s: cannot install the unaccent extension: %v", URLEnv, err)
		db.Close()
		return
	}
	admin = db
}

// Available reports whether PostgreSQL tests can run, and why not.
func Available() (bool, string) {
	once.Do(setup)
	return admin != nil, missing
}

// Skip skips the test, saying why PostgreSQL is not there, or fails it if
// BRIEFBOT_REQUIRE_POSTGRES=1. It returns if PostgreSQL is there.
func Skip(t testing.TB) {
	t.Helper()
	if ok, why := Available(); !ok {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("needs PostgreSQL, which %s requires: %s", RequireEnv, why)
		}
		t.Skipf("needs PostgreSQL: %s", why)
	}
}

// URL returns the address of a new, empty schema in the test database,
// dropped with everything in it when the test ends (after the cleanups
// registered later, such as closing the stores opened on it). See Skip
// for a test run where PostgreSQL is missing.
func URL(t testing.TB) string {
	t.Helper()
	Skip(t)
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("pgtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("pgtest: drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(os.Getenv(URLEnv))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("application_name", "briefbot-test-"+schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// ExecAt runs the statement on the database at the URL (one of URL's),
// outside any transaction: VACUUM ANALYZE, as autovacuum would run it,
// before a benchmark reads what it just wrote.
func ExecAt(t testing.TB, dbURL, query string) {
	t.Helper()
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), query); err != nil {
		t.Fatalf("pgtest: %s: %v", query, err)
	}
}
