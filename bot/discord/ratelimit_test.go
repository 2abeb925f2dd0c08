package discord

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/fakediscord"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/store"
)

// postAll posts one message to each of n channels, shared out among the
// platforms, all at once, and returns how long it took.
func postAll(t *testing.T, ps []*Platform, n int) time.Duration {
	t.Helper()
	var wg sync.WaitGroup
	t0 := time.Now()
	for c := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch := fmt.Sprintf("31%016d", c)
			if _, err := ps[c%len(ps)].Post(context.Background(), bot.Destination{Platform: "discord", Channel: ch}, bot.Message{Kind: bot.KindInfo, Text: "hello"}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	return time.Since(t0)
}

// Three processes of one bot keep to its global rate limit together when
// they book it in one database: Discord answers none of their requests
// 429 (at most 2 here, for the scheduling delays of a loaded machine
// under the race detector: a request that starts one of the fake's
// windows more than 20 ms late lets the next window's first in; the
// benchmark, on a quiet machine, gets none). Each keeping to it alone,
// they exceed it three times over and draw dozens.
func TestGlobalLimitSharedAcrossProcesses(t *testing.T) {
	t.Parallel()
	const rate, posts = 10, 30
	for _, shared := range []bool{true, false} {
		t.Run(fmt.Sprintf("shared=%v", shared), func(t *testing.T) {
			t.Parallel()
			f := fakediscord.Start(t, fakediscord.Options{GlobalRateLimit: rate})
			var book Booker
			if shared {
				st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "limits.db"))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				book = st
			}
			ps := make([]*Platform, 3)
			for i := range ps {
				p, err := New(Config{Token: fakediscord.Token, APIBase: f.URL(), GlobalRate: rate, Limits: book}, testLogger())
				if err != nil {
					t.Fatal(err)
				}
				ps[i] = p
			}
			took := postAll(t, ps, posts)
			if got := len(f.Messages()); got != posts {
				t.Fatalf("%d messages delivered, want %d", got, posts)
			}
			limited := f.GlobalLimited()
			t.Logf("%d posts in %v, %d answered 429", posts, took, limited)
			switch {
			case shared && limited > 2:
				t.Errorf("%d requests answered 429 with the limit shared through the database; want none", limited)
			case shared && took < (posts-1)*time.Second/rate:
				t.Errorf("%d posts in %v: faster than %d a second", posts, took, rate)
			case !shared && limited < 10:
				t.Errorf("%d 429s with each process keeping the limit alone: the test proves nothing", limited)
			}
		})
	}
}

// countingBooker counts bookings and fails while fail is set.
type countingBooker struct {
	n    atomic.Int32
	fail atomic.Bool
	mem  *memBooker
}

func (c *countingBooker) Reserve(ctx context.Context, key string, now time.Time, cost time.Duration) (time.Time, error) {
	c.n.Add(1)
	if c.fail.Load() {
		return time.Time{}, errors.New("database is down")
	}
	return c.mem.Reserve(ctx, key, now, cost)
}

// Answers to interactions (callbacks, edits and follow-ups of their
// webhook) are not bound by the global limit and book nothing; every other
// request books its turn.
func TestInteractionAnswersSkipTheGlobalLimit(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	h := newStub()
	book := &countingBooker{mem: newMemBooker()}
	r := start(t, f, h, func(c *Config) { c.Limits = book })
	before := book.n.Load()
	if before == 0 {
		t.Fatal("the start (users/@me, the gateway's URL, the registration) booked nothing")
	}
	interactionRoundTrip(t, f, "610000000000000001", "help", nil, fakediscord.Member{})
	if n := book.n.Load(); n != before {
		t.Errorf("answering an interaction booked the global limit %d times", n-before)
	}
	if _, err := r.p.Post(context.Background(), bot.Destination{Platform: "discord", Channel: fakediscord.ChannelID}, bot.Message{Kind: bot.KindInfo, Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if n := book.n.Load(); n != before+1 {
		t.Errorf("a post booked the global limit %d times, want once", n-before)
	}
}

// When the database cannot book, a process keeps to the limit alone, says
// so once, and says when the database answers again.
func TestLimiterFallsBackWhenTheDatabaseFails(t *testing.T) {
	t.Parallel()
	log, buf := testutil.Logger(t)
	book := &countingBooker{mem: newMemBooker()}
	book.fail.Store(true)
	l := newLimiter(book, log)
	const cost = 30 * time.Millisecond
	t0 := time.Now()
	for range 4 {
		if err := l.wait(context.Background(), globalKey, cost); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(t0); took < 3*cost {
		t.Errorf("4 turns in %v without the database: not spaced %v apart", took, cost)
	}
	if n := buf.Count("discord: cannot book the shared rate limit in the database; this process keeps to it alone until the database answers"); n != 1 {
		t.Errorf("the failure was logged %d times, want once:\n%s", n, buf)
	}
	book.fail.Store(false)
	if err := l.wait(context.Background(), globalKey, cost); err != nil {
		t.Fatal(err)
	}
	if n := buf.Count("discord: the shared rate limit is booked in the database again"); n != 1 {
		t.Errorf("the recovery was logged %d times, want once", n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.wait(context.Background(), "k", time.Hour); err != nil { // the next turn is an hour away
		t.Fatal(err)
	}
	if err := l.wait(ctx, "k", time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("a wait whose context is done = %v, want context.Canceled", err)
	}
}
