package discord

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
)

// DefaultGlobalRate is Discord's global rate limit: requests a second per
// bot, across all its processes. Discord raises it for some large bots.
const DefaultGlobalRate = 50

// jitterAllowance is how much earlier or later than planned a request may
// reach Discord (scheduling, connections): requests are spaced so that a
// second plus this never holds more than the global rate.
const jitterAllowance = 20 * time.Millisecond

// globalKey is the rate limit key of the global limit, in the Booker.
const globalKey = "discord:global"

// Booker books time of rate limits shared by every process of the bot
// (store.Store.Reserve): Reserve books cost of key's time and returns when
// the booking starts, at now or where the earlier bookings end.
type Booker interface {
	Reserve(ctx context.Context, key string, now time.Time, cost time.Duration) (time.Time, error)
}

// memBooker is a Booker for one process.
type memBooker struct {
	mu   sync.Mutex
	free map[string]time.Time // when each key's bookings end
}

func newMemBooker() *memBooker { return &memBooker{free: map[string]time.Time{}} }

func (m *memBooker) Reserve(_ context.Context, key string, now time.Time, cost time.Duration) (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	start := now
	if free := m.free[key]; free.After(now) {
		start = free
	}
	m.free[key] = start.Add(cost)
	return start, nil
}

// limiter makes a process wait for its turn in rate limits shared with the
// other processes of the bot, through a Booker (the database). If the
// Booker fails, the process keeps its own bookings in memory until it
// works again, and says so in the log.
type limiter struct {
	shared Booker
	local  *memBooker
	log    *slog.Logger

	mu      sync.Mutex // one booking at a time: SQLite has one writer, and waiting on its lock is slower
	failing atomic.Bool
}

func newLimiter(book Booker, log *slog.Logger) *limiter {
	l := &limiter{shared: book, local: newMemBooker(), log: log}
	if book == nil {
		l.shared = l.local
	}
	return l
}

// wait books cost of key's time and waits until the booking starts, or ctx
// is done.
func (l *limiter) wait(ctx context.Context, key string, cost time.Duration) error {
	start, err := l.book(ctx, key, cost)
	if err != nil {
		return err
	}
	return sleepUntil(ctx, start)
}

// book books cost of key's time and returns when the booking starts.
func (l *limiter) book(ctx context.Context, key string, cost time.Duration) (time.Time, error) {
	l.mu.Lock()
	start, err := l.shared.Reserve(ctx, key, time.Now(), cost)
	l.mu.Unlock()
	if err != nil {
		if ctx.Err() != nil {
			return time.Time{}, ctx.Err()
		}
		if !l.failing.Swap(true) {
			l.log.Warn("discord: cannot book the shared rate limit in the database; this process keeps to it alone until the database answers", "key", key, "err", err)
		}
		return l.local.Reserve(ctx, key, time.Now(), cost)
	}
	if l.failing.Swap(false) {
		l.log.Info("discord: the shared rate limit is booked in the database again")
	}
	return start, nil
}

// sleepUntil waits until t, or until ctx is done.
func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// globalLimit is a RoundTripper that waits for a turn in the bot's global
// rate limit before each request: one request per interval across every
// process of the bot. Answers to interactions are not bound by the global
// limit (Discord's rule), so they do not wait behind a digest.
type globalLimit struct {
	lim      *limiter
	interval time.Duration
	next     http.RoundTripper
}

func newGlobalLimit(lim *limiter, rate int, next http.RoundTripper) *globalLimit {
	if rate <= 0 {
		rate = DefaultGlobalRate
	}
	return &globalLimit{lim: lim, interval: (time.Second + jitterAllowance) / time.Duration(rate), next: next}
}

func (g *globalLimit) RoundTrip(req *http.Request) (*http.Response, error) {
	if !interactionEndpoint(req.URL.Path) {
		if err := g.lim.wait(req.Context(), globalKey, g.interval); err != nil {
			if req.Body != nil {
				req.Body.Close()
			}
			return nil, err
		}
	}
	return g.next.RoundTrip(req)
}

// interactionEndpoint reports whether path (discord.com's) answers an
// interaction: its callback, or the edits and follow-ups of its webhook.
func interactionEndpoint(path string) bool {
	api := "/api/v" + discordgo.APIVersion + "/"
	return strings.HasPrefix(path, api+"interactions/") || strings.HasPrefix(path, api+"webhooks/")
}
