package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"
)

// Subscription is a channel's standing order for scheduled digests or
// live posts: when, from which of its space's sources, and which stories.
type Subscription struct {
	Platform    string // "discord", "slack", "console"
	Channel     string
	Space       string   // the space the channel is in (see spaces.go); Global until known
	Spec        string   // the schedule, as the scheduler reads it, or LiveSpec
	TZ          string   // the time zone the schedule is in
	Feeds       []string // the feeds whose stories it gets; none: all its space's sources
	Filter      string   // the filter stories must pass, as the bot writes it; "" for none
	LiveSeq     int64    // live: the arrivals up to this one are handled (see spaces.go)
	Paused      bool
	PauseReason string
	CreatedAt   time.Time
}

// LiveSpec is the Spec of a live subscription: each new story is posted
// as it arrives.
const LiveSpec = "live"

// Subscribe stores the channel's subscription, replacing the space, spec,
// time zone, feeds and filter of an existing one, and un-pauses it.
// Paused, PauseReason and LiveSeq are ignored: a subscription that becomes
// live starts after the latest arrival (LastArrival), one that stays live
// keeps its place. CreatedAt is kept from the first subscription; zero
// means now.
func (s *Store) Subscribe(ctx context.Context, sub Subscription) error {
	if sub.Platform == "" || sub.Channel == "" {
		return errors.New("store: subscribe: need a platform and a channel")
	}
	feeds, err := json.Marshal(nonNil(sub.Feeds))
	if err != nil {
		return fmt.Errorf("store: subscribe %s/%s: %w", sub.Platform, sub.Channel, err)
	}
	_, err = s.db.ExecContext(ctx, `
		INSERT INTO subscriptions (platform, channel, space, spec, tz, feeds, filter, live_seq, paused, pause_reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) FROM space_articles), 0, '', ?)
		ON CONFLICT (platform, channel) DO UPDATE SET
			space = excluded.space, spec = excluded.spec, tz = excluded.tz, feeds = excluded.feeds,
			filter = excluded.filter, paused = 0, pause_reason = '',
			live_seq = CASE WHEN excluded.spec = 'live' AND subscriptions.spec <> 'live'
				THEN excluded.live_seq ELSE subscriptions.live_seq END`,
		sub.Platform, sub.Channel, sub.Space, sub.Spec, sub.TZ, string(feeds), sub.Filter, nanos(sub.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: subscribe %s/%s: %w", sub.Platform, sub.Channel, err)
	}
	return nil
}

// SetSubscriptionSpace records the space of the channel's subscription,
// once it is known (subscriptions made before spaces have none).
func (s *Store) SetSubscriptionSpace(ctx context.Context, platform, channel, space string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE subscriptions SET space = ? WHERE platform = ? AND channel = ?`,
		space, platform, channel)
	return checkOne(res, err, fmt.Sprintf("set the space of subscription %s/%s", platform, channel))
}

// AdvanceLive records that the live subscriptions of the platforms have
// handled the arrivals up to seq (never moving one back).
func (s *Store) AdvanceLive(ctx context.Context, platforms []string, seq int64) error {
	if len(platforms) == 0 {
		return nil
	}
	args := []any{seq}
	for _, p := range platforms {
		args = append(args, p)
	}
	_, err := s.db.ExecContext(ctx, `UPDATE subscriptions SET live_seq = ?1
		WHERE spec = 'live' AND live_seq < ?1 AND platform IN `+placeholders(len(platforms)), args...)
	if err != nil {
		return fmt.Errorf("store: advance live subscriptions: %w", err)
	}
	return nil
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// Unsubscribe deletes the channel's subscription.
func (s *Store) Unsubscribe(ctx context.Context, platform, channel string) error {
	res, err := s.db.ExecContext(ctx,
		`DELETE FROM subscriptions WHERE platform = ? AND channel = ?`, platform, channel)
	return checkOne(res, err, fmt.Sprintf("unsubscribe %s/%s", platform, channel))
}

// PauseSubscription pauses the channel's subscription, saying why.
func (s *Store) PauseSubscription(ctx context.Context, platform, channel, reason string) error {
	res, err := s.db.ExecContext(ctx, `
		UPDATE subscriptions SET paused = 1, pause_reason = ?
		WHERE platform = ? AND channel = ?`, reason, platform, channel)
	return checkOne(res, err, fmt.Sprintf("pause subscription %s/%s", platform, channel))
}

const subscriptionCols = `platform, channel, space, spec, tz, feeds, filter, live_seq, paused, pause_reason, created_at`

func scanSubscription(row scanner) (Subscription, error) {
	var (
		sub     Subscription
		feeds   string
		created int64
	)
	if err := row.Scan(&sub.Platform, &sub.Channel, &sub.Space, &sub.Spec, &sub.TZ, &feeds, &sub.Filter,
		&sub.LiveSeq, &sub.Paused, &sub.PauseReason, &created); err != nil {
		return Subscription{}, err
	}
	sub.CreatedAt = fromNanos(created)
	if err := json.Unmarshal([]byte(feeds), &sub.Feeds); err != nil {
		return Subscription{}, fmt.Errorf("subscription %s/%s: feeds: %w", sub.Platform, sub.Channel, err)
	}
	if len(sub.Feeds) == 0 {
		sub.Feeds = nil
	}
	return sub, nil
}

// Subscription returns the channel's subscription.
func (s *Store) Subscription(ctx context.Context, platform, channel string) (Subscription, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+subscriptionCols+` FROM subscriptions
		WHERE platform = ? AND channel = ?`, platform, channel)
	sub, err := scanSubscription(row)
	if err != nil {
		return Subscription{}, notFound(err, fmt.Sprintf("subscription %s/%s", platform, channel))
	}
	return sub, nil
}

// Subscriptions returns all subscriptions, paused ones included, sorted by
// platform and channel.
func (s *Store) Subscriptions(ctx context.Context) ([]Subscription, error) {
	subs, err := queryRows(ctx, s.db, scanSubscription, `SELECT `+subscriptionCols+` FROM subscriptions
		ORDER BY platform, channel`)
	if err != nil {
		return nil, fmt.Errorf("store: subscriptions: %w", err)
	}
	return subs, nil
}

// checkOne checks the result of a statement that should have changed a
// row: none changed means the row does not exist.
func checkOne(res interface{ RowsAffected() (int64, error) }, err error, what string) error {
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("store: %s: %w", what, fs.ErrNotExist)
	}
	return nil
}
