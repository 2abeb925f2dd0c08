package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// The ledger of live posts: one row per (channel, article), inserted by
// whoever posts the article there, as the delivery ledger (ledger.go) has
// one per digest slot. Reserving is one atomic insert, so that an article
// is posted at most once in a channel, whatever the number of processes
// and crashes: a row reserved by a process that died before completing it
// stays pending (the post may have gone out) and is never posted again.

// Live post states, besides the slot states of ledger.go.
const (
	liveSkipped    = "skipped"    // not posted: to count in the next summary line
	liveSummarized = "summarized" // skipped, and counted in a summary line
)

// LivePost is an article posted, or to be posted, live to a channel.
type LivePost struct {
	Platform, Channel string
	ArticleID         string
	State             string // "pending", "delivered", "failed", "skipped" or "summarized"
	Owner             string
	Reason            string
	MessageIDs        []string
	UpdatedAt         time.Time
}

// ReserveLive claims the live post of the article to the channel for
// owner, or, with skip, records that it is not posted but to be counted in
// a summary line (see SummarizeSkipped). It reports false if the article was claimed for the
// channel before, by anyone, whatever came of it.
func (s *Store) ReserveLive(ctx context.Context, platform, channel, articleID, owner string, skip bool, now time.Time) (bool, error) {
	state := slotPending
	if skip {
		state = liveSkipped
	}
	res, err := s.db.ExecContext(ctx, `
		INSERT INTO live_posts (platform, channel, article_id, state, owner, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, platform, channel, articleID, state, owner, nanos(now))
	if err != nil {
		return false, fmt.Errorf("store: reserve live post of %s to %s/%s: %w", articleID, platform, channel, markBusy(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: reserve live post of %s to %s/%s: %w", articleID, platform, channel, err)
	}
	return n == 1, nil
}

// CompleteLive records that the reserved live post went out as the
// messages.
func (s *Store) CompleteLive(ctx context.Context, platform, channel, articleID string, messageIDs []string, now time.Time) error {
	ids, err := json.Marshal(nonNil(messageIDs))
	if err != nil {
		return fmt.Errorf("store: complete live post: %w", err)
	}
	res, err := s.db.ExecContext(ctx, `UPDATE live_posts SET state = 'delivered', message_ids = ?, updated_at = ?
		WHERE platform = ? AND channel = ? AND article_id = ? AND state = 'pending'`,
		string(ids), nanos(now), platform, channel, articleID)
	return checkOne(res, err, fmt.Sprintf("complete live post of %s to %s/%s", articleID, platform, channel))
}

// FailLive records that the reserved live post could not be posted. It
// is not retried.
func (s *Store) FailLive(ctx context.Context, platform, channel, articleID, reason string, now time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE live_posts SET state = 'failed', reason = ?, updated_at = ?
		WHERE platform = ? AND channel = ? AND article_id = ? AND state = 'pending'`,
		reason, nanos(now), platform, channel, articleID)
	return checkOne(res, err, fmt.Sprintf("fail live post of %s to %s/%s", articleID, platform, channel))
}

const livePostCols = `platform, channel, article_id, state, owner, reason, message_ids, updated_at`

func scanLivePost(row scanner) (LivePost, error) {
	var (
		p       LivePost
		ids     string
		updated int64
	)
	if err := row.Scan(&p.Platform, &p.Channel, &p.ArticleID, &p.State, &p.Owner, &p.Reason, &ids, &updated); err != nil {
		return LivePost{}, err
	}
	p.UpdatedAt = fromNanos(updated)
	if err := json.Unmarshal([]byte(ids), &p.MessageIDs); err != nil {
		return LivePost{}, fmt.Errorf("live post of %s to %s/%s: message IDs: %w", p.ArticleID, p.Platform, p.Channel, err)
	}
	if len(p.MessageIDs) == 0 {
		p.MessageIDs = nil
	}
	return p, nil
}

// PendingLive returns the live posts reserved but neither completed nor
// failed, oldest first: after a crash these may or may not have gone out.
func (s *Store) PendingLive(ctx context.Context) ([]LivePost, error) {
	list, err := queryRows(ctx, s.db, scanLivePost, `SELECT `+livePostCols+` FROM live_posts
		WHERE state = 'pending' ORDER BY updated_at, platform, channel, article_id`)
	if err != nil {
		return nil, fmt.Errorf("store: pending live posts: %w", err)
	}
	return list, nil
}

// LivePosts returns the channel's live posts, in the order they were
// last updated.
func (s *Store) LivePosts(ctx context.Context, platform, channel string) ([]LivePost, error) {
	list, err := queryRows(ctx, s.db, scanLivePost, `SELECT `+livePostCols+` FROM live_posts
		WHERE platform = ? AND channel = ? ORDER BY updated_at, article_id`, platform, channel)
	if err != nil {
		return nil, fmt.Errorf("store: live posts to %s/%s: %w", platform, channel, err)
	}
	return list, nil
}

// RecentLive counts the live posts to the channel reserved since the time
// (posted, or being posted): how many it got lately.
func (s *Store) RecentLive(ctx context.Context, platform, channel string, since time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM live_posts
		WHERE platform = ? AND channel = ? AND updated_at > ? AND state IN ('pending', 'delivered')`,
		platform, channel, nanos(since)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: recent live posts to %s/%s: %w", platform, channel, err)
	}
	return n, nil
}

// SummarizeSkipped claims the channel's skipped live posts for a summary
// line, and returns their articles, oldest first: none if there are none,
// or if another process claimed them first.
func (s *Store) SummarizeSkipped(ctx context.Context, platform, channel string, now time.Time) ([]string, error) {
	ids, err := queryRows(ctx, s.db, scanString, `UPDATE live_posts SET state = '`+liveSummarized+`', updated_at = ?
		WHERE platform = ? AND channel = ? AND state = '`+liveSkipped+`'
		RETURNING article_id`, nanos(now), platform, channel)
	if err != nil {
		return nil, fmt.Errorf("store: summarize the skipped live posts to %s/%s: %w", platform, channel, err)
	}
	return ids, nil
}

// SkippedLive returns the channels with skipped live posts not summarized
// yet, each once: a summary line is due there (a process stopped before
// posting it).
func (s *Store) SkippedLive(ctx context.Context) ([]LivePost, error) {
	list, err := queryRows(ctx, s.db, func(row scanner) (LivePost, error) {
		var p LivePost
		err := row.Scan(&p.Platform, &p.Channel)
		return p, err
	}, `SELECT DISTINCT platform, channel FROM live_posts WHERE state = '`+liveSkipped+`' ORDER BY platform, channel`)
	if err != nil {
		return nil, fmt.Errorf("store: skipped live posts: %w", err)
	}
	return list, nil
}
