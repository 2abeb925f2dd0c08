package store

import (
	"context"
	"fmt"
	"time"
)

// Reserve books cost of the time of the rate limit key, shared by every
// process on the database, and returns when the booking starts: at now or,
// if earlier bookings run past now, where the last of them ends. The
// booking runs from start to start+cost, and the next one starts no
// earlier than its end. A caller that waits until start before acting acts
// at most once per cost (a request per interval, for a rate limit; a batch
// of n requests books n intervals), whichever process it runs in.
//
// It is one statement, so two processes never book the same time. Times
// are the callers' clocks: processes on several machines need them
// synchronised (NTP) to well within cost.
func (s *Store) Reserve(ctx context.Context, key string, now time.Time, cost time.Duration) (time.Time, error) {
	if cost <= 0 {
		return time.Time{}, fmt.Errorf("store: reserve %s: cost %v is not positive", key, cost)
	}
	t, c := now.UnixNano(), int64(cost)
	var end int64
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO rate_limits (key, next_free) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET next_free =
			CASE WHEN rate_limits.next_free > ? THEN rate_limits.next_free ELSE ? END + ?
		RETURNING next_free`,
		key, t+c, t, t, c).Scan(&end)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: reserve %s: %w", key, markBusy(err))
	}
	return time.Unix(0, end-c), nil
}
