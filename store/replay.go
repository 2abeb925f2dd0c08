package store

import (
	"context"
	"fmt"
	"time"
)

// FirstUse records key as used until the time until, and reports whether
// it is its first use: false if key was recorded before and has not
// expired. A request accepted once, such as a signed Slack request, is
// refused when it comes again, even from another process or after a
// restart. Expired keys are deleted on the way.
func (s *Store) FirstUse(ctx context.Context, key string, until time.Time) (bool, error) {
	now := time.Now().UnixNano()
	if _, err := s.db.ExecContext(ctx, `DELETE FROM seen_requests WHERE expires < ?`, now); err != nil {
		return false, fmt.Errorf("store: prune seen requests: %w", err)
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO seen_requests (key, expires) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
		key, until.UnixNano())
	if err != nil {
		return false, fmt.Errorf("store: record request: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: record request: %w", err)
	}
	return n == 1, nil
}
