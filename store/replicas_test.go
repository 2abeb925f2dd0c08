package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A lease is held by one replica at a time: taken when free, renewed by
// its holder, refused to others until it expires, then taken over (the
// previous holder reported), and released.
func TestLeases(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		ttl := 30 * time.Second
		take := func(holder string, at time.Time) (bool, Lease) {
			t.Helper()
			ok, prev, err := s.TakeLease(ctx, "feed:x", holder, ttl, at)
			if err != nil {
				t.Fatal(err)
			}
			return ok, prev
		}
		if ok, prev := take("r1", t0); !ok || prev.Holder != "" {
			t.Fatalf("free lease: %v, previous %+v", ok, prev)
		}
		if ok, prev := take("r2", t0.Add(time.Second)); ok || prev.Holder != "r1" {
			t.Errorf("another's lease taken: %v, previous %+v", ok, prev)
		}
		if ok, _ := take("r1", t0.Add(20*time.Second)); !ok {
			t.Error("renewal refused")
		}
		// Renewed at 20 s: still r1's at 40 s, free at 50 s.
		if ok, _ := take("r2", t0.Add(40*time.Second)); ok {
			t.Error("renewed lease taken before it expired")
		}
		ok, prev := take("r2", t0.Add(50*time.Second))
		if !ok || prev.Holder != "r1" || !prev.Since.Equal(t0) || !prev.Expires.Equal(t0.Add(50*time.Second)) {
			t.Errorf("expired lease: taken %v, previous %+v", ok, prev)
		}
		leases, err := s.Leases(ctx)
		if err != nil || len(leases) != 1 || leases[0].Holder != "r2" || !leases[0].Since.Equal(t0.Add(50*time.Second)) {
			t.Errorf("Leases = %+v, %v", leases, err)
		}
		if err := s.ReleaseLease(ctx, "feed:x", "r1"); err != nil { // not r1's: nothing happens
			t.Fatal(err)
		}
		if err := s.ReleaseLease(ctx, "feed:x", "r2"); err != nil {
			t.Fatal(err)
		}
		if ok, prev := take("r3", t0.Add(51*time.Second)); !ok || prev.Holder != "" {
			t.Errorf("released lease: taken %v, previous %+v", ok, prev)
		}
	})
}

// Many replicas racing for one free lease: exactly one gets it.
func TestLeaseRace(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		loc := db.fresh(t)
		stores := []*Store{openTest(t, loc), openTest(t, loc)}
		for round := range 20 {
			var wins atomic.Int32
			var wg sync.WaitGroup
			for g := range 6 {
				wg.Go(func() {
					ok, _, err := stores[g%2].TakeLease(context.Background(), fmt.Sprint("feed:", round), fmt.Sprint("r", g), time.Minute, t0)
					if err != nil {
						t.Error(err)
					}
					if ok {
						wins.Add(1)
					}
				})
			}
			wg.Wait()
			if n := wins.Load(); n != 1 {
				t.Fatalf("round %d: %d replicas took the lease", round, n)
			}
		}
	})
}

// HoldLease renews the lease while the work runs, so that a work longer
// than the lease's time keeps it, and releases it after; the work's
// context ends when the lease is lost.
func TestHoldLease(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		ttl := 300 * time.Millisecond
		ran, _, err := s.HoldLease(ctx, "seeds", "r1", ttl, false, func(ctx context.Context) {
			time.Sleep(3 * ttl) // past its first expiry: renewed meanwhile
			if ok, prev, err := s.TakeLease(ctx, "seeds", "r2", ttl, time.Now()); ok || err != nil || prev.Holder != "r1" {
				t.Errorf("while r1 works: r2 took it %v (%v), previous %+v", ok, err, prev)
			}
			if ctx.Err() != nil {
				t.Error("the work's context ended while the lease was held")
			}
		})
		if !ran || err != nil {
			t.Fatalf("HoldLease = %v, %v", ran, err)
		}
		if leases, _ := s.Leases(ctx); len(leases) != 0 {
			t.Errorf("after the work: %+v, want the lease released", leases)
		}

		// keep: the lease stays with r1 after the work, and r1 comes back
		// for it; r2 does not run.
		for range 2 {
			if ran, _, err := s.HoldLease(ctx, "seeds", "r1", time.Minute, true, func(context.Context) {}); !ran || err != nil {
				t.Fatalf("HoldLease keep = %v, %v", ran, err)
			}
		}
		if ran, prev, err := s.HoldLease(ctx, "seeds", "r2", time.Minute, true, func(context.Context) { t.Error("r2 ran") }); ran || err != nil || prev.Holder != "r1" {
			t.Errorf("r2: ran %v, %v, previous %+v", ran, err, prev)
		}

		// Lost: another takes it (the holder was cut off for longer than
		// its time); the work's context ends.
		ran, _, err = s.HoldLease(ctx, "feed:y", "r1", ttl, false, func(ctx context.Context) {
			if _, err := s.db.Exec(`UPDATE leases SET holder = 'r2' WHERE name = 'feed:y'`); err != nil {
				t.Error(err)
			}
			select {
			case <-ctx.Done():
			case <-time.After(5 * time.Second):
				t.Error("the work's context did not end when the lease was lost")
			}
		})
		if !ran || err != nil {
			t.Fatalf("HoldLease = %v, %v", ran, err)
		}
		if leases, _ := s.Leases(ctx); len(leases) != 2 || leases[0].Name != "feed:y" || leases[0].Holder != "r2" {
			t.Errorf("a lost lease is not released by its former holder: %+v", leases)
		}
	})
}

// The digests and live posts a replica reserved and did not finish are
// reported by another once its replica lease has expired, once; those of
// a live replica are not; a restarted replica reports its own from before
// it started.
func TestClaimInterrupted(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		now := time.Now()
		for _, r := range []string{"alive", "dead"} {
			if ok, _, err := s.TakeLease(ctx, ReplicaLease+r, r, 30*time.Second, now.Add(-time.Minute)); !ok || err != nil {
				t.Fatal(ok, err)
			}
		}
		if ok, _, err := s.TakeLease(ctx, ReplicaLease+"alive", "alive", 30*time.Second, now); !ok || err != nil {
			t.Fatal(ok, err)
		}
		for i, owner := range []string{"alive", "dead", "never", "me"} {
			if ok, err := s.ReserveSlot(ctx, "chat", "C1", t0.Add(time.Duration(i)*time.Minute), owner, t0); !ok || err != nil {
				t.Fatal(ok, err)
			}
			if ok, err := s.ReserveLive(ctx, "chat", "C2", "art-"+owner, owner, false, t0); !ok || err != nil {
				t.Fatal(ok, err)
			}
		}
		// Finished work is never reported.
		if ok, err := s.ReserveSlot(ctx, "chat", "C1", t0.Add(time.Hour), "dead", t0); !ok || err != nil {
			t.Fatal(ok, err)
		}
		if err := s.CompleteSlot(ctx, "chat", "C1", t0.Add(time.Hour), nil, 0, t0); err != nil {
			t.Fatal(err)
		}

		slots, posts, err := s.ClaimInterrupted(ctx, "me", t0.Add(time.Second), now)
		if err != nil {
			t.Fatal(err)
		}
		var owners []string
		for _, sl := range slots {
			owners = append(owners, sl.Owner)
		}
		for _, p := range posts {
			owners = append(owners, "live "+p.Owner)
		}
		if fmt.Sprint(owners) != "[dead never me live dead live never live me]" {
			t.Errorf("reported %v", owners)
		}
		if slots, posts, err := s.ClaimInterrupted(ctx, "other", now, now); len(slots)+len(posts) != 0 || err != nil {
			t.Errorf("reported again: %+v %+v %v", slots, posts, err)
		}
		// Still pending: never posted again.
		if pending, _ := s.PendingSlots(ctx); len(pending) != 4 {
			t.Errorf("%d pending slots, want 4", len(pending))
		}
		// This process's own, reserved after it started, are not reported.
		if ok, err := s.ReserveSlot(ctx, "chat", "C9", t0, "me", t0.Add(time.Minute)); !ok || err != nil {
			t.Fatal(ok, err)
		}
		if slots, _, _ := s.ClaimInterrupted(ctx, "me", t0.Add(time.Second), now); len(slots) != 0 {
			t.Errorf("reported its own work in progress: %+v", slots)
		}
	})
}

// Writers storing articles at once, from several connections, give them
// arrival seqs that become visible in order: a reader that moves its
// cursor to the highest arrival it saw, as digests and live posts do,
// never passes over one committed late with a lower seq.
func TestArrivalsVisibleInOrder(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		loc := db.fresh(t)
		writers := []*Store{openTest(t, loc), openTest(t, loc), openTest(t, loc)}
		reader := openTest(t, loc)
		ctx := context.Background()
		const perWriter = 40
		done := make(chan struct{})
		var wg sync.WaitGroup
		for w, s := range writers {
			wg.Go(func() {
				for i := range perWriter {
					_, err := s.PutArticle(ctx, fmt.Sprintf("seeds/%d-%d", w, i), numbered(w*1000+i), t0)
					for errors.Is(err, ErrBusy) { // SQLite under load: the other writers held the lock past the timeout
						_, err = s.PutArticle(ctx, fmt.Sprintf("seeds/%d-%d", w, i), numbered(w*1000+i), t0)
					}
					if err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		go func() { wg.Wait(); close(done) }()
		seen := map[string]bool{}
		var cursor int64
		for finished := false; !finished; {
			select {
			case <-done:
				finished = true // one more read, after the last commit
			default:
			}
			rows, _, err := reader.Arrivals(ctx, cursor, 10000)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if r.Seq > cursor {
					seen[r.ArticleID] = true
				}
			}
			for _, r := range rows {
				cursor = max(cursor, r.Seq)
			}
		}
		if len(seen) != len(writers)*perWriter {
			t.Errorf("the reader saw %d arrivals of %d: a cursor passed over some", len(seen), len(writers)*perWriter)
		}
	})
}

// Replicas racing to post a live channel's summary line: one claims the
// skipped stories, the others get none, so the line is posted once.
func TestSummarizeSkippedRace(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		loc := db.fresh(t)
		stores := []*Store{openTest(t, loc), openTest(t, loc)}
		for round := range 10 {
			channel := fmt.Sprint("C", round)
			for i := range 5 {
				if ok, err := stores[0].ReserveLive(ctx, "chat", channel, fmt.Sprint("a", i), "r1", true, t0); !ok || err != nil {
					t.Fatal(ok, err)
				}
			}
			var (
				mu      sync.Mutex
				claims  []int
				wg      sync.WaitGroup
				startAt = make(chan struct{})
			)
			for g := range 4 {
				wg.Go(func() {
					<-startAt
					ids, err := stores[g%2].SummarizeSkipped(ctx, "chat", channel, t0)
					if err != nil {
						t.Error(err)
					}
					if len(ids) > 0 {
						mu.Lock()
						claims = append(claims, len(ids))
						mu.Unlock()
					}
				})
			}
			close(startAt)
			wg.Wait()
			if len(claims) != 1 || claims[0] != 5 {
				t.Fatalf("round %d: the skipped stories were claimed as %v, want once, all 5", round, claims)
			}
		}
	})
}
