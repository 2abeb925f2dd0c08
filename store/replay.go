package store

import (
	"context"
	"fmt"
	"time"
)

// pruneEvery is how often, in keys this process recorded, FirstUse deletes
// the expired keys: rarely enough that recording stays one short write.
const pruneEvery = 64

// FirstUse records key as used until the time until, and reports whether
// it is its first use: false if key was recorded before and has not
// expired. A request accepted once, such as a signed Slack request, is
// refused when it comes again, even from another process or after a
// restart. Expired keys are deleted every so often.
func (s *Store) FirstUse(ctx context.Context, key string, until time.Time) (bool, error) {
	now := time.Now().UnixNano()
	// One statement: a new key is inserted, an expired one renewed, and a
	// live one left alone (no row changed).
	res, err := s.db.ExecContext(ctx, `
		INSERT INTO seen_requests (key, expires) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET expires = excluded.expires WHERE seen_requests.expires < ?`,
		key, until.UnixNano(), now)
	if err != nil {
		return false, fmt.Errorf("store: record request: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: record request: %w", err)
	}
	if n == 1 && s.uses.Add(1)%pruneEvery == 0 {
		// Housekeeping: if it fails, a later key prunes instead.
		_, _ = s.db.ExecContext(ctx, `DELETE FROM seen_requests WHERE expires < ?`, now)
	}
	return n == 1, nil
}
