package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"
)

// Subscription is a channel's standing order for scheduled digests.
type Subscription struct {
	Platform    string // "discord", "slack", "console"
	Channel     string
	Spec        string // the schedule, as the scheduler reads it
	TZ          string // the time zone the schedule is in
	Paused      bool
	PauseReason string
	CreatedAt   time.Time
}

// Subscribe stores the channel's subscription, replacing the spec and time
// zone of an existing one, and un-pauses it. Paused and PauseReason are
// ignored (see PauseSubscription). CreatedAt is kept from the first
// subscription; zero means now.
func (s *Store) Subscribe(ctx context.Context, sub Subscription) error {
	if sub.Platform == "" || sub.Channel == "" {
		return errors.New("store: subscribe: need a platform and a channel")
	}
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO subscriptions (platform, channel, spec, tz, paused, pause_reason, created_at)
		VALUES (?, ?, ?, ?, 0, '', ?)
		ON CONFLICT (platform, channel) DO UPDATE SET
			spec = excluded.spec, tz = excluded.tz, paused = 0, pause_reason = ''`,
		sub.Platform, sub.Channel, sub.Spec, sub.TZ, nanos(sub.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: subscribe %s/%s: %w", sub.Platform, sub.Channel, err)
	}
	return nil
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

const subscriptionCols = `platform, channel, spec, tz, paused, pause_reason, created_at`

func scanSubscription(row scanner) (Subscription, error) {
	var (
		sub     Subscription
		created int64
	)
	err := row.Scan(&sub.Platform, &sub.Channel, &sub.Spec, &sub.TZ, &sub.Paused, &sub.PauseReason, &created)
	sub.CreatedAt = fromNanos(created)
	return sub, err
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
