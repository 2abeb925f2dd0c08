package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/longarticle"
	"github.com/briefbot/briefbot/internal/testutil"
)

// The first start on a large seeds folder, killed with SIGKILL in the
// middle of it: what it committed stays, whole batches of it, and the
// next start stores the rest, once: every file is stored, every claim is
// in the search index once. (A short LEASE_TTL: the killed process held
// the seeds folder's lease, which the next start waits out; not shorter
// than a batch of 200 takes to commit under the race detector on a loaded
// machine, or the batches lose their lease and shrink.)
func TestEndToEndKillDuringFirstSync(t *testing.T) {
	dir := t.TempDir()
	seeds := filepath.Join(dir, "seeds")
	if err := os.MkdirAll(seeds, 0o755); err != nil {
		t.Fatal(err)
	}
	const n = 450
	for i := range n {
		if err := os.WriteFile(filepath.Join(seeds, fmt.Sprintf("a%04d.txt", i)), []byte(longarticle.Article(uint64(9000+i), 330)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dbPath := filepath.Join(dir, "briefbot.db")
	count := func(query string) int {
		db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro&_pragma=busy_timeout(5000)")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var c int
		if err := db.QueryRow(query).Scan(&c); err != nil {
			return -1 // not made yet
		}
		return c
	}

	first := testutil.Start(t, "first start", botCmd(t, dir, "BRIEFING_ON_START=false", "LEASE_TTL=10s"))
	var stored int
	testutil.WaitFor(t, 2*time.Minute, "some articles stored", func() bool {
		stored = count(`SELECT count(*) FROM sources`)
		return stored > 0
	})
	first.Signal(syscall.SIGKILL)
	first.Wait(t, 20*time.Second)
	atKill := count(`SELECT count(*) FROM sources`)
	if atKill >= n {
		t.Skipf("the first start stored all %d articles before it was killed", n)
	}
	// Whole batches: a sync's first batch stores 25 articles, each after
	// it twice as many as the one before, up to 200 (ingest's firstBatch
	// and putBatch).
	whole := false
	for b, sum := 25, 25; sum <= atKill; b, sum = min(2*b, 200), sum+min(2*b, 200) {
		whole = whole || sum == atKill
	}
	if !whole {
		t.Errorf("%d articles stored at the kill: not whole batches (25, 50, 100, then 200 each)", atKill)
	}

	second := testutil.Start(t, "second start", botCmd(t, dir, "BRIEFING_ON_START=false", "LEASE_TTL=10s"))
	testutil.WaitFor(t, 2*time.Minute, "the sync", func() bool { return strings.Contains(second.Stderr.String(), "seeds: synced") })
	second.CloseInput()
	if err := second.Wait(t, time.Minute); err != nil {
		t.Fatalf("second start: exit %v", err)
	}
	out := []byte(second.Stderr.String())
	m := regexp.MustCompile(`seeds: synced" added=(\d+) changed=0 removed=0 unchanged=(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("second start: no sync line\n%s", out)
	}
	added, _ := strconv.Atoi(string(m[1]))
	unchanged, _ := strconv.Atoi(string(m[2]))
	if unchanged != atKill || added != n-atKill {
		t.Errorf("second start added %d and found %d unchanged, want %d and %d", added, unchanged, n-atKill, atKill)
	}
	claims, index := count(`SELECT count(*) FROM claims`), count(`SELECT count(*) FROM claims_fts`)
	if got := count(`SELECT count(*) FROM sources`); got != n || claims != index || claims < n {
		t.Errorf("after the second start: %d sources (want %d), %d claims, %d rows in the search index", got, n, claims, index)
	}
	if orphans := count(`SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.article_id = a.id)`); orphans != 0 {
		t.Errorf("%d articles without claims", orphans)
	}
	t.Logf("killed with %d of %d stored", atKill, n)
}
