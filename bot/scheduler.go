package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/briefbot/briefbot/bot/schedule"
	"github.com/briefbot/briefbot/store"
)

// scheduler runs each channel's digest on its cron schedule, with
// robfig/cron, and delivers every (channel, scheduled time) exactly once
// through the store's delivery ledger: a slot is reserved before posting
// and completed after, so neither a crash nor a second bot process on the
// same database can post it twice.
type scheduler struct {
	b    *Bot
	cron *cron.Cron

	mu      sync.Mutex
	ctx     context.Context
	entries map[string]scheduled // by Destination.Key
}

type scheduled struct {
	dest   Destination
	sched  *schedule.Schedule
	static bool // from BRIEFING_CHANNELS, not /subscribe
	route  *route
	id     cron.EntryID
	seen   *time.Time // the latest slot the entry's job has handled; only that job uses it
}

func newScheduler(b *Bot) *scheduler {
	logger := cronLogger{b.log}
	return &scheduler{
		b: b,
		// Recover keeps a panicking delivery from killing the process;
		// overlapping runs of one channel's job are skipped per entry.
		cron:    cron.New(cron.WithChain(cron.Recover(logger)), cron.WithLogger(logger)),
		entries: map[string]scheduled{},
	}
}

// start reports the digests and live posts a crash left pending (see
// reportInterrupted), schedules every channel,
// delivers missed slots inside the catch-up window, and starts the clock.
func (s *scheduler) start(ctx context.Context) error {
	s.mu.Lock()
	s.ctx = ctx
	s.mu.Unlock()
	b := s.b
	if err := b.reportInterrupted(ctx); err != nil {
		return err
	}
	for _, d := range b.cfg.Channels {
		if _, ok := b.platforms[d.Platform]; ok {
			s.set(d, b.defaultSchedule(), true, &route{})
		}
	}
	subs, err := b.store.Subscriptions(ctx)
	if err != nil {
		return fmt.Errorf("bot: read subscriptions: %w", err)
	}
	for _, sub := range subs {
		d := Destination{Platform: sub.Platform, Channel: sub.Channel}
		if _, ok := b.platforms[sub.Platform]; !ok || sub.Paused || sub.Spec == store.LiveSpec {
			continue
		}
		sch, err := schedule.Parse(sub.Spec, sub.TZ)
		if err != nil {
			b.log.Error("bot: saved schedule no longer parses; skipped", "channel", d.Key(), "schedule", sub.Spec, "err", err)
			continue
		}
		if tooOften(d, sch) { // saved before /subscribe checked it
			b.log.Warn("bot: saved schedule fires more than once a minute in a chat channel; paused", "channel", d.Key(), "schedule", sub.Spec)
			if err := b.store.PauseSubscription(ctx, sub.Platform, sub.Channel, "the schedule fires more than once a minute"); err != nil {
				b.log.Error("bot: pause subscription", "channel", d.Key(), "err", err)
			}
			continue
		}
		s.set(d, sch, false, b.routeOf(sub))
	}
	s.catchUp(ctx)
	s.cron.Start()
	return nil
}

// stop stops the clock and waits up to 15 s for deliveries under way.
func (s *scheduler) stop() {
	done := s.cron.Stop()
	select {
	case <-done.Done():
	case <-time.After(15 * time.Second):
		s.b.log.Warn("bot: a digest was still being posted at shutdown; its slot stays pending and will not be posted twice")
	}
}

// set schedules (or reschedules) a channel's digest, of the stories rt
// lets through.
func (s *scheduler) set(d Destination, sch *schedule.Schedule, static bool, rt *route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.entries[d.Key()]; ok {
		s.cron.Remove(old.id)
	}
	seen := s.b.cfg.Now()
	e := scheduled{dest: d, sched: sch, static: static, route: rt, seen: &seen}
	job := cron.NewChain(cron.SkipIfStillRunning(cronLogger{s.b.log})).Then(cron.FuncJob(func() { s.fire(e) }))
	e.id = s.cron.Schedule(sch, job)
	s.entries[d.Key()] = e
}

// remove unschedules a channel.
func (s *scheduler) remove(d Destination) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.entries[d.Key()]; ok {
		s.cron.Remove(old.id)
		delete(s.entries, d.Key())
	}
}

// fire runs when cron says a slot is due: it delivers every slot that came
// since the entry's job last ran, in order. Cron skips a channel's job
// while the last one still runs (a busy database, a slow post), so the
// slots that came meanwhile are delivered by the next run; of those, the
// ones already past the catch-up window are skipped and logged, as after
// a restart, unless it is the latest.
func (s *scheduler) fire(e scheduled) {
	s.mu.Lock()
	ctx := s.ctx
	s.mu.Unlock()
	var skipped []time.Time
	for ctx != nil && ctx.Err() == nil {
		now := s.b.cfg.Now()
		slot := e.sched.Next(*e.seen)
		if slot.IsZero() || slot.After(now) {
			break
		}
		*e.seen = slot
		if later := e.sched.Next(slot); !later.IsZero() && !later.After(now) && now.Sub(slot) > s.b.cfg.Catchup {
			skipped = append(skipped, slot)
			continue
		}
		s.b.deliver(ctx, e.dest, slot, false)
	}
	if len(skipped) > 0 {
		s.b.log.Warn("bot: digests held up past the catch-up window; skipped",
			"channel", e.dest.Key(), "count", len(skipped), "since", skipped[0], "window", s.b.cfg.Catchup)
	}
}

// catchUp delivers, once, each channel's latest slot if the bot was down
// when it came and it is within the catch-up window; older missed slots
// are logged and skipped.
func (s *scheduler) catchUp(ctx context.Context) {
	b := s.b
	now := b.cfg.Now()
	s.mu.Lock()
	entries := make([]scheduled, 0, len(s.entries))
	for _, e := range s.entries {
		entries = append(entries, e)
	}
	s.mu.Unlock()
	for _, e := range entries {
		last, err := b.store.LastDelivery(ctx, e.dest.Platform, e.dest.Channel)
		if err != nil {
			continue // never delivered: nothing was missed
		}
		// Slots between the last delivery and now.
		var missed []time.Time
		for t := e.sched.Next(last.Time); !t.IsZero() && !t.After(now) && len(missed) < 10000; t = e.sched.Next(t) {
			missed = append(missed, t)
		}
		if len(missed) == 0 {
			continue
		}
		latest := missed[len(missed)-1]
		skipped := len(missed)
		if b.cfg.Catchup > 0 && now.Sub(latest) <= b.cfg.Catchup {
			skipped--
			b.log.Info("bot: posting a digest missed while the bot was down", "channel", e.dest.Key(), "slot", latest)
			b.deliver(ctx, e.dest, latest, true)
		}
		if skipped > 0 {
			b.log.Warn("bot: digests missed while the bot was down, outside the catch-up window; skipped",
				"channel", e.dest.Key(), "count", skipped, "since", missed[0], "window", b.cfg.Catchup)
		}
	}
}

// deliver posts the digest of channel d for one scheduled slot, exactly
// once: the slot is reserved in the ledger before posting and completed
// after. If another process (or an earlier run) has it, nothing is posted.
func (b *Bot) deliver(ctx context.Context, d Destination, slot time.Time, catchup bool) {
	ok, err := b.reserve(ctx, d, slot)
	if err != nil {
		b.log.Error("bot: reserve digest slot", "channel", d.Key(), "slot", slot, "err", err)
		return
	}
	if !ok {
		b.log.Debug("bot: digest slot already taken", "channel", d.Key(), "slot", slot)
		return
	}
	// From here the slot is ours. Finish it even if shutdown begins: the
	// post and its ledger entry complete (within a grace period) or the
	// slot stays pending, never half-written.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	lastSeq := int64(0)
	if last, err := b.store.LastDelivery(ctx, d.Platform, d.Channel); err == nil {
		lastSeq = last.LastSeq
	}
	loc, rt := time.UTC, &route{}
	if e, ok := b.sched.entry(d); ok {
		loc, rt = e.sched.Loc, e.route
	}
	arts, err := b.store.VisibleArticles(ctx, b.routeSpace(ctx, d, rt), lastSeq, 0)
	if err != nil {
		b.failSlot(ctx, d, slot, fmt.Errorf("read articles: %w", err))
		return
	}
	maxSeq := lastSeq
	for _, a := range arts {
		maxSeq = max(maxSeq, a.Seq)
	}
	if arts, err = b.pass(ctx, rt, arts); err != nil {
		b.failSlot(ctx, d, slot, fmt.Errorf("route articles: %w", err))
		return
	}
	m, shown, err := b.storyDigest(ctx, b.routeSpace(ctx, d, rt), &d, rt, arts, b.cfg.Digest)
	if err != nil {
		b.failSlot(ctx, d, slot, fmt.Errorf("brief stories: %w", err))
		return
	}
	m.Kind = KindDigest
	m.Header = "Digest for " + formatTime(slot.In(loc))
	if catchup {
		m.Header += " (posted late: the bot was down)"
	}
	if len(m.Stories) == 0 {
		if b.cfg.SkipEmpty {
			if err := b.store.CompleteSlot(ctx, d.Platform, d.Channel, slot, nil, lastSeq, b.cfg.Now()); err != nil {
				b.log.Error("bot: complete digest slot", "channel", d.Key(), "slot", slot, "err", err)
			}
			return
		}
		m.Text = "No new articles since the last digest."
	}
	ids, err := b.platforms[d.Platform].Post(ctx, d, m)
	if err != nil {
		b.failSlot(ctx, d, slot, err)
		return
	}
	if err := b.store.CompleteSlot(ctx, d.Platform, d.Channel, slot, ids, maxSeq, b.cfg.Now()); err != nil {
		b.log.Error("bot: complete digest slot", "channel", d.Key(), "slot", slot, "err", err)
	}
	if err := b.store.RecordStoriesShown(ctx, d.Platform, d.Channel, shown, b.cfg.Now()); err != nil {
		b.log.Error("bot: record the stories a digest showed", "channel", d.Key(), "slot", slot, "err", err)
	}
	b.record(ctx, d, ids, m)
	b.log.Info("bot: digest posted", "channel", d.Key(), "slot", slot, "articles", len(arts), "messages", len(ids))
}

// reserve reserves the slot in the delivery ledger. A reservation that
// failed because the database was busy (another writer held it past the
// busy timeout) reserved nothing: it is tried again, waiting longer each
// time, for as long as the slot is within the catch-up window, so that a
// busy database loses no digest. The reservation is one atomic insert, so
// a slot is still reserved at most once.
func (b *Bot) reserve(ctx context.Context, d Destination, slot time.Time) (bool, error) {
	for wait := 100 * time.Millisecond; ; wait = min(2*wait, 10*time.Second) {
		ok, err := b.reserveSlot(ctx, d.Platform, d.Channel, slot, b.cfg.Owner, b.cfg.Now())
		if !errors.Is(err, store.ErrBusy) || b.cfg.Now().Add(wait).Sub(slot) > b.cfg.Catchup {
			return ok, err
		}
		b.log.Warn("bot: database busy; reserving the digest slot again", "channel", d.Key(), "slot", slot, "in", wait, "err", err)
		select {
		case <-ctx.Done():
			return false, err
		case <-time.After(wait):
		}
	}
}

// failSlot records a failed delivery; a channel that is gone or forbids
// posting has its subscription paused, said once in the log.
func (b *Bot) failSlot(ctx context.Context, d Destination, slot time.Time, err error) {
	b.log.Error("bot: digest not posted", "channel", d.Key(), "slot", slot, "err", err)
	if ferr := b.store.FailSlot(ctx, d.Platform, d.Channel, slot, err.Error(), b.cfg.Now()); ferr != nil {
		b.log.Error("bot: record failed digest", "channel", d.Key(), "slot", slot, "err", ferr)
	}
	if errors.Is(err, ErrChannelGone) {
		b.pauseChannel(ctx, d, err)
	}
}

// pauseChannel pauses the subscription of a channel that is gone or
// forbids posting (err says how), said once in the log.
func (b *Bot) pauseChannel(ctx context.Context, d Destination, err error) {
	reason := fmt.Sprintf("the channel is gone or I may not post there (%v)", err)
	if perr := b.store.PauseSubscription(ctx, d.Platform, d.Channel, reason); perr != nil && !isNotExist(perr) {
		b.log.Error("bot: pause subscription", "channel", d.Key(), "err", perr)
	}
	b.sched.remove(d)
	b.log.Warn("bot: channel paused: no more digests or live posts until someone subscribes again", "channel", d.Key(), "reason", reason)
}

func (s *scheduler) entry(d Destination) (scheduled, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[d.Key()]
	return e, ok
}

// cronLogger routes robfig/cron's logs to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
