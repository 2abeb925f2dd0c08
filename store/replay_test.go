package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// A key is new once, also for another process and after a reopen, until
// it expires; expired keys are pruned.
func TestFirstUse(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "replay.db")
		a, err := openAt(ctx, path, len(migrations))
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		b, err := openAt(ctx, path, len(migrations)) // a second process on the same file
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		later := time.Now().Add(5 * time.Minute)
		first := func(s *Store, key string, until time.Time) bool {
			t.Helper()
			ok, err := s.FirstUse(ctx, key, until)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !first(a, "slack:abc", later) {
			t.Fatal("a new key is not new")
		}
		if first(a, "slack:abc", later) || first(b, "slack:abc", later) {
			t.Error("a key used before is new again")
		}
		if !first(b, "slack:def", later) {
			t.Error("another key is not new")
		}
		a.Close()
		c, err := openAt(ctx, path, len(migrations))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if first(c, "slack:abc", later) {
			t.Error("a key used before is new after a reopen")
		}

		if !first(c, "slack:old", time.Now().Add(-time.Second)) {
			t.Fatal("a new key is not new")
		}
		if !first(c, "slack:old", later) {
			t.Error("an expired key is still refused")
		}
		count := func() int {
			var n int
			if err := c.db.QueryRow(`SELECT COUNT(*) FROM seen_requests`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count(); n != 3 {
			t.Errorf("%d keys kept, want 3: abc, def and old again", n)
		}

		// Expired keys are deleted within pruneEvery new keys.
		first(c, "slack:gone", time.Now().Add(-time.Second))
		for i := range pruneEvery {
			first(c, fmt.Sprintf("slack:k%d", i), later)
		}
		if n := count(); n != 3+pruneEvery {
			t.Errorf("%d keys kept, want %d: the expired one pruned", n, 3+pruneEvery)
		}
	})
}
