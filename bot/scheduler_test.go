package bot

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot/schedule"
	"github.com/briefbot/briefbot/store"
)

// busyFor makes the bot's first n reservations fail as a busy database
// does, and the later ones go to the store; it returns how many were
// tried.
func (tb *testBot) busyFor(n int) (tries func() int) {
	count := 0
	tb.reserveSlot = func(ctx context.Context, platform, channel string, slot time.Time, owner string, now time.Time) (bool, error) {
		count++
		if count <= n {
			return false, fmt.Errorf("store: reserve slot: database is locked (5) (SQLITE_BUSY): %w", store.ErrBusy)
		}
		return tb.st.ReserveSlot(ctx, platform, channel, slot, owner, now)
	}
	return func() int { return count }
}

// A slot whose reservation fails because the database is busy is reserved
// again, and posted once.
func TestBusyReservationIsRetried(t *testing.T) {
	tb := newTestBot(t, "", Config{Catchup: time.Hour})
	tb.put(t, "harbor.txt")
	tries := tb.busyFor(2)
	slot := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	tb.deliverAt(chat, slot)
	tb.deliverAt(chat, slot) // the same slot again: taken
	if posts := tb.plat.posts(); len(posts) != 1 || len(posts[0].m.Stories) != 1 {
		t.Fatalf("%d posts, want the digest once", len(posts))
	}
	if n := tries(); n != 4 {
		t.Errorf("%d reservations, want 2 busy, 1 that succeeds and 1 for the second delivery", n)
	}
	if n := strings.Count(tb.logs.String(), "database busy; reserving the digest slot again"); n != 2 {
		t.Errorf("the retries were logged %d times, want 2:\n%s", n, tb.logs.String())
	}
}

// A slot past its catch-up window is not reserved again: the error is
// logged and nothing is posted.
func TestBusyReservationPastTheWindow(t *testing.T) {
	tb := newTestBot(t, "", Config{Catchup: time.Hour})
	tries := tb.busyFor(1)
	slot := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	tb.clock.Set(slot.Add(2 * time.Hour))
	tb.deliver(context.Background(), chat, slot, false)
	if n := len(tb.plat.posts()); n != 0 || tries() != 1 {
		t.Errorf("%d posts after %d reservations, want none after 1", n, tries())
	}
	if !strings.Contains(tb.logs.String(), "reserve digest slot") {
		t.Errorf("the failure is not logged:\n%s", tb.logs.String())
	}
}

// Cron skips a channel's job while the previous run is still going (a
// busy database, a slow post): the next run delivers the slots that came
// meanwhile, each once, and skips those already past the catch-up window
// (but the latest), saying so.
func TestSlotsHeldUpAreDelivered(t *testing.T) {
	tb := newTestBot(t, "", Config{Catchup: 3 * time.Second})
	sch, err := schedule.Parse("* * * * * *", "UTC")
	if err != nil {
		t.Fatal(err)
	}
	tb.sched.ctx = context.Background()
	tb.sched.set(chat, sch, false) // at t0
	e, _ := tb.sched.entry(chat)
	fireAt := func(after time.Duration) {
		tb.clock.Set(t0.Add(after))
		tb.sched.fire(e)
	}
	fireAt(1200 * time.Millisecond)  // slot 1
	fireAt(4500 * time.Millisecond)  // slots 2 and 3 were skipped by cron: 2, 3, 4
	fireAt(4700 * time.Millisecond)  // nothing new
	fireAt(10500 * time.Millisecond) // 5 to 7 are over 3 s old: 8, 9, 10

	var got []string
	for _, p := range tb.plat.posts() {
		got = append(got, p.m.Header)
	}
	var want []string
	for _, s := range []int{1, 2, 3, 4, 8, 9, 10} {
		want = append(want, "Digest for "+formatTime(t0.Add(time.Duration(s)*time.Second)))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("digests:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(tb.logs.String(), "held up past the catch-up window; skipped") || !strings.Contains(tb.logs.String(), "count=3") {
		t.Errorf("the skipped slots are not logged:\n%s", tb.logs.String())
	}
}
