package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"
)

// Slot states in the delivery ledger, as its SQL writes them.
const (
	slotPending   = "pending"   // reserved; delivery started and may or may not have happened
	slotDelivered = "delivered" // posted
	slotFailed    = "failed"    // given up; not retried
)

// Slot is a scheduled digest delivery to a channel.
type Slot struct {
	Platform, Channel string
	Time              time.Time // the scheduled time, to the second, UTC
	State             string    // "pending", "delivered" or "failed" (see slotPending)
	Owner             string    // who reserved it, e.g. host and process ID
	Reason            string    // why it failed
	MessageIDs        []string  // the messages posted
	LastSeq           int64     // the latest arrival the digest covered (see VisibleArticles; before spaces, the article Seq, which migration 7 kept as the arrival)
	UpdatedAt         time.Time
}

// ReserveSlot claims the delivery of the channel's digest scheduled at
// slot for owner. It reports false if the slot was claimed before, by
// anyone, whatever came of it: each slot is delivered at most once, even
// with several processes on one database. An error matching ErrBusy
// reserved nothing, and the reservation may be tried again.
func (s *Store) ReserveSlot(ctx context.Context, platform, channel string, slot time.Time, owner string, now time.Time) (ok bool, err error) {
	res, err := s.db.ExecContext(ctx, `
		INSERT INTO deliveries (platform, channel, slot, state, owner, updated_at)
		VALUES (?, ?, ?, 'pending', ?, ?)
		ON CONFLICT DO NOTHING`,
		platform, channel, slot.Unix(), owner, nanos(now))
	if err != nil {
		return false, fmt.Errorf("store: reserve slot %s: %w", slotName(platform, channel, slot), markBusy(err))
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: reserve slot %s: %w", slotName(platform, channel, slot), err)
	}
	return n == 1, nil
}

// CompleteSlot records that the reserved slot was delivered in the
// messages, covering the arrivals up to lastSeq (see Slot.LastSeq).
func (s *Store) CompleteSlot(ctx context.Context, platform, channel string, slot time.Time, messageIDs []string, lastSeq int64, now time.Time) error {
	if messageIDs == nil {
		messageIDs = []string{}
	}
	ids, err := json.Marshal(messageIDs)
	if err != nil {
		return fmt.Errorf("store: complete slot %s: %w", slotName(platform, channel, slot), err)
	}
	return s.finishSlot(ctx, "complete", platform, channel, slot, `
		UPDATE deliveries SET state = 'delivered', message_ids = ?, last_seq = ?, updated_at = ?
		WHERE platform = ? AND channel = ? AND slot = ? AND state = 'pending'`,
		string(ids), lastSeq, nanos(now), platform, channel, slot.Unix())
}

// FailSlot records that the reserved slot could not be delivered. It is
// not retried.
func (s *Store) FailSlot(ctx context.Context, platform, channel string, slot time.Time, reason string, now time.Time) error {
	return s.finishSlot(ctx, "fail", platform, channel, slot, `
		UPDATE deliveries SET state = 'failed', reason = ?, updated_at = ?
		WHERE platform = ? AND channel = ? AND slot = ? AND state = 'pending'`,
		reason, nanos(now), platform, channel, slot.Unix())
}

// finishSlot runs the update of a pending slot and explains why nothing
// was updated, if so: the slot was not reserved (fs.ErrNotExist) or is
// finished already.
func (s *Store) finishSlot(ctx context.Context, verb, platform, channel string, slot time.Time, query string, args ...any) error {
	what := fmt.Sprintf("%s slot %s", verb, slotName(platform, channel, slot))
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	} else if n == 1 {
		return nil
	}
	var state string
	err = s.db.QueryRowContext(ctx, `SELECT state FROM deliveries
		WHERE platform = ? AND channel = ? AND slot = ?`, platform, channel, slot.Unix()).Scan(&state)
	if err == sql.ErrNoRows {
		return fmt.Errorf("store: %s: not reserved: %w", what, fs.ErrNotExist)
	}
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return fmt.Errorf("store: %s: slot is %s, not pending", what, state)
}

const slotCols = `platform, channel, slot, state, owner, reason, message_ids, last_seq, updated_at`

func scanSlot(row scanner) (Slot, error) {
	var (
		sl            Slot
		slot, updated int64
		ids           string
	)
	if err := row.Scan(&sl.Platform, &sl.Channel, &slot, &sl.State, &sl.Owner, &sl.Reason, &ids, &sl.LastSeq, &updated); err != nil {
		return Slot{}, err
	}
	sl.Time = time.Unix(slot, 0).UTC()
	sl.UpdatedAt = fromNanos(updated)
	if err := json.Unmarshal([]byte(ids), &sl.MessageIDs); err != nil {
		return Slot{}, fmt.Errorf("slot %s: message IDs: %w", slotName(sl.Platform, sl.Channel, sl.Time), err)
	}
	if len(sl.MessageIDs) == 0 {
		sl.MessageIDs = nil
	}
	return sl, nil
}

// PendingSlots returns the slots reserved but neither completed nor failed,
// oldest first. After a crash these may or may not have been posted.
func (s *Store) PendingSlots(ctx context.Context) ([]Slot, error) {
	slots, err := queryRows(ctx, s.db, scanSlot, `SELECT `+slotCols+` FROM deliveries
		WHERE state = 'pending' ORDER BY slot, platform, channel`)
	if err != nil {
		return nil, fmt.Errorf("store: pending slots: %w", err)
	}
	return slots, nil
}

// LastDelivery returns the channel's latest delivered slot.
func (s *Store) LastDelivery(ctx context.Context, platform, channel string) (Slot, error) {
	row := s.db.QueryRowContext(ctx, `SELECT `+slotCols+` FROM deliveries
		WHERE platform = ? AND channel = ? AND state = 'delivered'
		ORDER BY slot DESC LIMIT 1`, platform, channel)
	sl, err := scanSlot(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Slot{}, fmt.Errorf("store: last delivery to %s/%s: %w", platform, channel, fs.ErrNotExist)
	}
	if err != nil {
		return Slot{}, fmt.Errorf("store: last delivery to %s/%s: %w", platform, channel, err)
	}
	return sl, nil
}

func slotName(platform, channel string, slot time.Time) string {
	return fmt.Sprintf("%s/%s@%s", platform, channel, slot.UTC().Format(time.RFC3339))
}

// ClaimInterrupted returns the digest slots and live posts that a replica
// reserved and did not finish because it is gone: its replica lease
// (ReplicaLease + its name) has expired, or it is self, which reserved
// them before since (self was restarted). Each is returned once, to one
// caller, whatever the number of replicas asking: it is marked as
// reported (its reason is "interrupted"). It stays pending: it may have
// gone out, so it is never posted again.
func (s *Store) ClaimInterrupted(ctx context.Context, self string, since, now time.Time) ([]Slot, []LivePost, error) {
	gone := `reason = '' AND ((owner = ?1 AND updated_at < ?2) OR (owner <> ?1 AND NOT EXISTS (
		SELECT 1 FROM leases l WHERE l.name = '` + ReplicaLease + `' || owner AND l.expires > ?3)))`
	slots, err := queryRows(ctx, s.db, scanSlot, `UPDATE deliveries SET reason = 'interrupted'
		WHERE state = 'pending' AND `+gone+` RETURNING `+slotCols, self, nanos(since), nanos(now))
	if err != nil {
		return nil, nil, fmt.Errorf("store: interrupted slots: %w", err)
	}
	posts, err := queryRows(ctx, s.db, scanLivePost, `UPDATE live_posts SET reason = 'interrupted'
		WHERE state = 'pending' AND `+gone+` RETURNING `+livePostCols, self, nanos(since), nanos(now))
	if err != nil {
		return nil, nil, fmt.Errorf("store: interrupted live posts: %w", err)
	}
	return slots, posts, nil
}
