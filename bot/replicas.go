package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/briefbot/briefbot/store"
)

// Replicas: several bot processes may run on one database, each named by
// Config.Owner (REPLICA_ID). Every digest slot and live post is reserved
// in the database by one of them before it is posted (scheduler.go,
// live.go). Each replica holds a lease on its name while it runs, so that
// the others know it is alive; when one dies, what it had reserved and not
// confirmed is reported by another (reportInterrupted), once, and never
// posted again, since it may have gone out.

// holdReplicaLease holds the replica's lease until ctx is done, taking it
// again after an outage of the database.
func (b *Bot) holdReplicaLease(ctx context.Context) {
	name := store.ReplicaLease + b.cfg.Owner
	for ctx.Err() == nil {
		held, prev, err := b.store.HoldLease(ctx, name, b.cfg.Owner, b.cfg.LeaseTTL, false, func(ctx context.Context) { <-ctx.Done() })
		switch {
		case err != nil && ctx.Err() == nil:
			b.log.Warn("bot: cannot renew this replica's lease", "replica", b.cfg.Owner, "err", err)
		case !held:
			b.log.Error("bot: another running process has this replica's name; give each replica its own REPLICA_ID",
				"replica", b.cfg.Owner, "holder_since", prev.Since)
		}
		select {
		case <-ctx.Done():
		case <-time.After(b.cfg.LeaseTTL / 3):
		}
	}
}

// reportInterrupted logs, once across the replicas, each digest slot and
// live post that a replica reserved and will not confirm: it died (its
// lease expired), or it is this one, restarted. They stay pending.
func (b *Bot) reportInterrupted(ctx context.Context) error {
	b.checked = b.cfg.Now()
	slots, posts, err := b.store.ClaimInterrupted(ctx, b.cfg.Owner, b.started, time.Now())
	if err != nil {
		return fmt.Errorf("bot: read the delivery ledgers: %w", err)
	}
	for _, p := range slots {
		b.log.Warn("bot: a digest was interrupted before it was confirmed; it is not posted again, to avoid a duplicate",
			"channel", p.Platform+":"+p.Channel, "slot", p.Time, "owner", p.Owner)
	}
	for _, p := range posts {
		b.log.Warn("bot: a live post was interrupted before it was confirmed; it is not posted again, to avoid a duplicate",
			"channel", p.Platform+":"+p.Channel, "article", p.ArticleID, "owner", p.Owner)
	}
	return nil
}
