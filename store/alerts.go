package store

import (
	"context"
	"fmt"
	"time"
)

// Feed alerts: a feed paused after repeated failures, and a paused feed
// that works again, are told in the channel where each space added it,
// once. The store is the outbox: FeedAlerts finds what is due from the
// feeds' state, and ClaimFeedAlert records it as told before it is posted,
// in one conditional update that only one process wins.

// FeedAlert is news of a feed's health for a space that follows it, to
// tell in the channel it was added in.
type FeedAlert struct {
	Feed              Feed
	Space             string
	Platform, Channel string
	Recovered         bool // the feed works again; false: it was paused
}

// FeedAlerts returns the alerts due: feeds paused that a space following
// them was not told of (or was told of an earlier pause, before this run
// of failures began), and feeds that were fetched again after the space
// was told of their pause. Feeds added where there is no channel to tell
// (global feeds) have none.
func (s *Store) FeedAlerts(ctx context.Context) ([]FeedAlert, error) {
	list, err := queryRows(ctx, s.db, func(row scanner) (FeedAlert, error) {
		var a FeedAlert
		f, err := scanFeedWith(row, &a.Space, &a.Platform, &a.Channel)
		a.Feed, a.Recovered = f, !f.Paused
		return a, err
	}, `SELECT `+feedCols+`, fs.space, fs.platform, fs.channel
		FROM feed_spaces fs JOIN feeds ON feeds.url = fs.feed_url
		WHERE fs.channel <> '' AND (
			(feeds.paused = 1 AND (fs.alert = '' OR feeds.failing_since > fs.alerted_at))
			OR (feeds.paused = 0 AND fs.alert = 'paused' AND feeds.failures = 0 AND feeds.last_fetch > fs.alerted_at))
		ORDER BY fs.space, feeds.url`)
	if err != nil {
		return nil, fmt.Errorf("store: feed alerts: %w", err)
	}
	return list, nil
}

// ClaimFeedAlert records the alert as told, and reports whether it was
// still due: false if another process, or an earlier call, told it.
func (s *Store) ClaimFeedAlert(ctx context.Context, a FeedAlert, now time.Time) (bool, error) {
	failing := int64(0)
	if !a.Feed.FailingSince.IsZero() {
		failing = a.Feed.FailingSince.UnixNano()
	}
	query, args := `UPDATE feed_spaces SET alert = 'paused', alerted_at = ?
		WHERE feed_url = ? AND space = ? AND (alert = '' OR alerted_at < ?)`, []any{nanos(now), a.Feed.URL, a.Space, failing}
	if a.Recovered {
		query, args = `UPDATE feed_spaces SET alert = '', alerted_at = ?
		WHERE feed_url = ? AND space = ? AND alert = 'paused'`, args[:3]
	}
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return false, fmt.Errorf("store: claim alert of feed %q for space %q: %w", a.Feed.URL, a.Space, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: claim alert of feed %q for space %q: %w", a.Feed.URL, a.Space, err)
	}
	return n == 1, nil
}
