package ingest

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/briefbot/briefbot/internal/crashtest"
	"github.com/briefbot/briefbot/internal/longarticle"
)

// seedsEnv names the seeds folder of the crash test's child.
const seedsEnv = "BRIEFBOT_CRASH_SEEDS"

// TestCrashChild is the child process of TestSyncKilledMidBatch: it syncs
// the seeds folder into the database, announcing each batch on its
// standard output (see internal/crashtest), until it is killed.
func TestCrashChild(t *testing.T) {
	if os.Getenv(crashtest.ModeEnv) != "seeds" {
		t.Skip("run by TestSyncKilledMidBatch as a separate process")
	}
	a := crashtest.NewAnnouncer(os.Stdout)
	st := a.OpenStore(t, os.Getenv(crashtest.DBEnv))
	s := &Seeds{Dir: os.Getenv(seedsEnv), Store: st, Log: slog.New(slog.DiscardHandler)}
	s.putArticles = a.Put(st.PutArticles)
	if _, err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	st.Close()
}

// A first sync killed with SIGKILL inside the transaction of its second
// batch (a child process, killed a random short delay after it said, from
// inside the transaction, that the transaction had begun) leaves a sound
// database (SQLite's and FTS5's integrity checks) holding whole batches
// only: the batch committed before, every article with all its claims,
// its story and a space that sees it, every claim with its row in the
// search index, and none of the batch under way. The next sync stores
// exactly the rest, and the database then holds what a clean sync of the
// folder stores: the same articles under the same keys, with the same
// claims and search index. A round whose kill came after the batch's
// commit, or whose sync ended first, proves less; rounds are repeated, a
// few at most, until one kill lands inside the transaction (which
// crashtest's Kill.Inside tells exactly).
func TestSyncKilledMidBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("syncs a folder of 75 articles several times")
	}
	dir := t.TempDir()
	const n = 75 // batches of 25 and 50 (firstBatch, doubled)
	for i := range n {
		name := filepath.Join(dir, fmt.Sprintf("a%04d.txt", i))
		if err := os.WriteFile(name, []byte(longarticle.Article(uint64(7000+i), 150)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, db := range crashtest.DBs {
		t.Run(db.Name, func(t *testing.T) {
			clean := db.Fresh(t)
			st := crashtest.OpenStore(t, clean)
			if res, err := (&Seeds{Dir: dir, Store: st, Log: slog.New(slog.DiscardHandler)}).Sync(ctx); err != nil || res.Added != n {
				t.Fatalf("clean sync: %+v, %v", res, err)
			}
			st.Close()
			want := crashtest.Check(t, clean)
			if len(want.Keys) != n {
				t.Fatalf("a clean sync stored %d keys, want %d", len(want.Keys), n)
			}
			t.Logf("a clean run: %d articles, search index of %s, %s", len(want.Claims), want.Index, want.Rows)

			inside := false
			for round := 0; round < 5 && !inside; round++ {
				loc := db.Fresh(t)
				crashtest.OpenStore(t, loc).Close() // migrated before the child starts
				child := crashtest.Start(t, "TestCrashChild", "seeds", loc, seedsEnv+"="+dir)
				k := child.KillInBatch(t, round, func(batch, _ int) bool { return batch >= 2 })
				if !k.Killed {
					t.Logf("round %d: the sync ended before it was killed", round)
					continue
				}
				got := crashtest.Check(t, loc)
				stored := len(got.Keys)
				if k.Inside(t, round, stored, 0) {
					inside = true
				}
				crashtest.Part(t, "after the kill", got, want)

				st := crashtest.OpenStore(t, loc)
				s, _, _ := newSeeds(dir, st)
				res, err := s.Sync(ctx)
				st.Close()
				if err != nil || res.Added != n-stored || res.Unchanged != stored || res.Changed+res.Removed+res.Bad != 0 {
					t.Errorf("round %d: the sync after the kill: %+v, %v; want %d added and %d unchanged", round, res, err, n-stored, stored)
				}
				crashtest.Same(t, "after the sync that followed the kill", crashtest.Check(t, loc), want)
			}
			if !inside {
				t.Error("no kill landed inside a batch's transaction")
			}
		})
	}
}
