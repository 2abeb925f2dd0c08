package store

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// Bookings of one key from two processes on one database never overlap:
// each starts where the one before it ends, or at its caller's now when the
// key is free; another key is booked apart.
func TestReserve(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		path := db.fresh(t)
		a, b := openTest(t, path), openTest(t, path)
		now := time.Unix(1_700_000_000, 0)
		const cost = 20 * time.Millisecond

		start, err := a.Reserve(ctx, "discord:global", now, cost)
		if err != nil {
			t.Fatal(err)
		}
		if !start.Equal(now) {
			t.Errorf("first booking starts at %v, want now (%v)", start, now)
		}
		if start, _ := b.Reserve(ctx, "discord:global", now, cost); !start.Equal(now.Add(cost)) {
			t.Errorf("second booking starts at %v, want %v: where the first ends", start, now.Add(cost))
		}
		if start, _ := a.Reserve(ctx, "discord:identify:0", now, 5*time.Second); !start.Equal(now) {
			t.Errorf("another key's booking starts at %v, want now", start)
		}
		later := now.Add(time.Minute)
		if start, _ := b.Reserve(ctx, "discord:global", later, 3*cost); !start.Equal(later) {
			t.Errorf("a booking after the key fell free starts at %v, want its now (%v)", start, later)
		}
		if start, _ := a.Reserve(ctx, "discord:global", later, cost); !start.Equal(later.Add(3 * cost)) {
			t.Errorf("the booking after a batch of 3 starts at %v, want %v", start, later.Add(3*cost))
		}
		if _, err := a.Reserve(ctx, "k", now, 0); err == nil {
			t.Error("a booking of no time was accepted")
		}

		// Many at once, from both processes: every booking its own interval.
		var (
			mu     sync.Mutex
			starts []time.Time
			wg     sync.WaitGroup
		)
		base := now.Add(time.Hour)
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := []*Store{a, b}[i%2]
				got, err := s.Reserve(ctx, "discord:global", base, cost)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				starts = append(starts, got)
				mu.Unlock()
			}()
		}
		wg.Wait()
		slices.SortFunc(starts, func(x, y time.Time) int { return x.Compare(y) })
		for i, s := range starts {
			if want := base.Add(time.Duration(i) * cost); !s.Equal(want) {
				t.Fatalf("booking %d starts at +%v, want +%v: bookings overlap or leave gaps", i, s.Sub(base), want.Sub(base))
			}
		}
	})
}
