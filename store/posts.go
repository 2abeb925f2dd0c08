package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// PostedBullet is a numbered bullet of a posted message and the claim it
// came from.
type PostedBullet struct {
	N          int    `json:"n"` // the bullet's number in the message
	ArticleID  string `json:"article"`
	ClaimIndex int    `json:"claim"`
	// Also are the other articles' claims that carry the bullet (a
	// story's claim told by several outlets).
	Also []PostedCarrier `json:"also,omitempty"`
}

// PostedCarrier is another article's claim that carries a bullet.
type PostedCarrier struct {
	ArticleID  string `json:"article"`
	ClaimIndex int    `json:"claim"`
}

// Post is a message the bot posted. A message split into several platform
// messages is recorded once per message ID, with the same bullets.
type Post struct {
	Platform, Channel string
	MessageID         string
	ThreadID          string // "" if not in a thread
	Kind              string // "digest", "briefing", ...
	Bullets           []PostedBullet
	PostedAt          time.Time // zero means now
}

// RecordPost records a posted message, replacing an earlier record of the
// same message.
func (s *Store) RecordPost(ctx context.Context, p Post) error {
	if p.Platform == "" || p.Channel == "" || p.MessageID == "" {
		return errors.New("store: record post: need a platform, channel and message ID")
	}
	bullets := p.Bullets
	if bullets == nil {
		bullets = []PostedBullet{}
	}
	data, err := json.Marshal(bullets)
	if err != nil {
		return fmt.Errorf("store: record post %s/%s/%s: %w", p.Platform, p.Channel, p.MessageID, err)
	}
	_, err = s.db.ExecContext(ctx, `
		INSERT INTO posts (platform, channel, message_id, thread_id, kind, bullets, posted_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (platform, channel, message_id) DO UPDATE SET
			thread_id = excluded.thread_id, kind = excluded.kind,
			bullets = excluded.bullets, posted_at = excluded.posted_at`,
		p.Platform, p.Channel, p.MessageID, p.ThreadID, p.Kind, string(data), nanos(p.PostedAt))
	if err != nil {
		return fmt.Errorf("store: record post %s/%s/%s: %w", p.Platform, p.Channel, p.MessageID, err)
	}
	return nil
}

const postCols = `platform, channel, message_id, thread_id, kind, bullets, posted_at`

func scanPost(row scanner) (*Post, error) {
	var (
		p       Post
		bullets string
		posted  int64
	)
	if err := row.Scan(&p.Platform, &p.Channel, &p.MessageID, &p.ThreadID, &p.Kind, &bullets, &posted); err != nil {
		return nil, err
	}
	p.PostedAt = fromNanos(posted)
	if err := json.Unmarshal([]byte(bullets), &p.Bullets); err != nil {
		return nil, fmt.Errorf("bullets: %w", err)
	}
	if len(p.Bullets) == 0 {
		p.Bullets = nil
	}
	return &p, nil
}

// PostByMessage returns the post recorded for the platform message.
func (s *Store) PostByMessage(ctx context.Context, platform, channel, messageID string) (*Post, error) {
	return s.queryPost(ctx, fmt.Sprintf("post %s/%s/%s", platform, channel, messageID), `
		WHERE platform = ? AND channel = ? AND message_id = ?`, platform, channel, messageID)
}

// latestPost returns the channel's latest post of the kind ("" for any):
// the one posted last, or recorded last of those posted at the same time.
func (s *Store) latestPost(ctx context.Context, platform, channel, kind string) (*Post, error) {
	return s.queryPost(ctx, fmt.Sprintf("latest %q post in %s/%s", kind, platform, channel), `
		WHERE platform = ?1 AND channel = ?2 AND (?3 = '' OR kind = ?3)
		ORDER BY posted_at DESC, id DESC LIMIT 1`, platform, channel, kind)
}

// LatestBulletPost returns the channel's latest post that carried bullets,
// other than a source lookup (kind "sources"): the latest in the thread if
// thread is not "". A "source 2" refers to it.
func (s *Store) LatestBulletPost(ctx context.Context, platform, channel, thread string) (*Post, error) {
	return s.queryPost(ctx, fmt.Sprintf("latest post with bullets in %s/%s", platform, channel), `
		WHERE platform = ?1 AND channel = ?2 AND (?3 = '' OR thread_id = ?3)
			AND kind <> 'sources' AND bullets <> '[]'
		ORDER BY posted_at DESC, id DESC LIMIT 1`, platform, channel, thread)
}

// queryPost returns the first post that the SQL clauses after "FROM
// posts" select; what names it in the error when there is none.
func (s *Store) queryPost(ctx context.Context, what, clauses string, args ...any) (*Post, error) {
	p, err := scanPost(s.db.QueryRowContext(ctx, `SELECT `+postCols+` FROM posts `+clauses, args...))
	if err != nil {
		return nil, notFound(err, what)
	}
	return p, nil
}
