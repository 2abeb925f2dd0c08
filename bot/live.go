package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/briefbot/briefbot/internal/textutil"
	"github.com/briefbot/briefbot/store"
)

// Live posts: a channel subscribed with /subscribe live gets each new
// story of its space, of its chosen feeds, as it arrives, each posted once
// through the live ledger (store.ReserveLive): the article is reserved for
// the channel before it is posted and completed after, so that neither a
// crash nor a second process posts it twice. A subscription's cursor
// (store.Subscription.LiveSeq) moves past the arrivals each round has
// handled, so that after a restart only what came meanwhile is looked at,
// and what the ledger already has is not posted again. No channel gets a
// flood: of the stories that came at once (after downtime, or a feed
// added with its backlog), the newest Config.LiveCatchup are posted, and
// the others are summed up in one line.

// maxLiveRound is the most new articles one round looks at; older ones,
// after a long downtime, are passed over (and logged).
const maxLiveRound = 1000

// watch looks for new stories to post live and feed alerts to tell, every
// Config.Watch, until ctx is done.
func (b *Bot) watch(ctx context.Context) {
	t := time.NewTicker(b.cfg.Watch)
	defer t.Stop()
	for ctx.Err() == nil {
		b.alertFeeds(ctx)
		b.postLive(ctx)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
	}
}

// reportPendingLive logs the live posts a crash left reserved: they may
// have gone out, so they are not posted again.
func (b *Bot) reportPendingLive(ctx context.Context) error {
	pending, err := b.store.PendingLive(ctx)
	if err != nil {
		return fmt.Errorf("bot: read the live ledger: %w", err)
	}
	for _, p := range pending {
		b.log.Warn("bot: a live post was interrupted before it was confirmed; it is not posted again, to avoid a duplicate",
			"channel", p.Platform+":"+p.Channel, "article", p.ArticleID, "owner", p.Owner)
	}
	return nil
}

// arrived is what a live round knows of a new article: its first arrival
// in each space, and whether each space still sees it.
type arrived struct {
	first  map[string]int64
	active map[string]bool
}

// in returns the article's first arrival in the space (its own rows and
// the global ones) and whether the space sees it.
func (a *arrived) in(space string) (int64, bool) {
	seq, seen := int64(0), false
	for _, sp := range []string{store.Global, space} {
		if s, ok := a.first[sp]; ok && (seq == 0 || s < seq) {
			seq = s
		}
		seen = seen || a.active[sp]
	}
	return seq, seen
}

// news is an article new to a channel.
type news struct {
	id       string
	seq      int64
	headline string
}

// postLive runs one round of live posts: if articles arrived since the
// last round, each live subscription of a platform this process runs gets
// those new to it that its route lets through.
func (b *Bot) postLive(ctx context.Context) {
	last, err := b.store.LastArrival(ctx)
	if err != nil || last <= b.liveSeen {
		return
	}
	subs, err := b.store.Subscriptions(ctx)
	if err != nil {
		b.log.Warn("bot: cannot read the live subscriptions", "err", err)
		return
	}
	from := last
	var live []store.Subscription
	for _, sub := range subs {
		if _, ok := b.platforms[sub.Platform]; ok && sub.Spec == store.LiveSpec && !sub.Paused {
			live = append(live, sub)
			from = min(from, sub.LiveSeq)
		}
	}
	if len(live) == 0 {
		b.liveSeen = last
		return
	}
	rows, more, err := b.store.Arrivals(ctx, from, maxLiveRound)
	if err != nil {
		b.log.Warn("bot: cannot read new articles for live posts", "err", err)
		return
	}
	if more > 0 {
		b.log.Warn("bot: too many new articles for live posts at once; the oldest are passed over", "passed_over", more, "looked_at", maxLiveRound)
	}
	arts := map[string]*arrived{}
	upTo := from
	for _, r := range rows {
		a := arts[r.ArticleID]
		if a == nil {
			a = &arrived{first: map[string]int64{}, active: map[string]bool{}}
			arts[r.ArticleID] = a
		}
		a.first[r.Space], a.active[r.Space] = r.Seq, r.Active
		upTo = max(upTo, r.Seq)
	}
	ids := make([]string, 0, len(arts))
	for id := range arts {
		ids = append(ids, id)
	}
	stories, err := b.stories(ctx, ids)
	if err != nil {
		b.log.Warn("bot: cannot read new articles for live posts", "err", err)
		return
	}
	for _, sub := range live {
		if ctx.Err() != nil {
			return
		}
		d := Destination{Platform: sub.Platform, Channel: sub.Channel}
		rt := b.routeOf(sub)
		space := b.routeSpace(ctx, d, rt)
		var fresh []news
		for id, a := range arts {
			seq, seen := a.in(space)
			if s := stories[id]; seen && seq > sub.LiveSeq && s != nil && rt.lets(s) {
				fresh = append(fresh, news{id, seq, s.r.Headline})
			}
		}
		slices.SortFunc(fresh, func(x, y news) int { return cmp.Compare(x.seq, y.seq) })
		b.postNews(ctx, d, fresh)
	}
	if err := b.store.AdvanceLive(ctx, b.platformNames(), upTo); err != nil {
		b.log.Warn("bot: cannot record how far live posts got; the ledger keeps them from being posted twice", "err", err)
		return
	}
	b.liveSeen = upTo
}

// postNews posts the articles new to a live channel, oldest first: at
// most Config.LiveCatchup of them, the newest, and one line for the others.
func (b *Bot) postNews(ctx context.Context, d Destination, fresh []news) {
	var older []news
	if n := len(fresh) - b.cfg.LiveCatchup; n > 0 {
		older, fresh = fresh[:n], fresh[n:]
	}
	var skipped []string // their headlines
	for _, a := range older {
		ok, err := b.store.ReserveLive(ctx, d.Platform, d.Channel, a.id, b.cfg.Owner, true, b.cfg.Now())
		if err != nil {
			b.log.Error("bot: reserve live post", "channel", d.Key(), "article", a.id, "err", err)
			continue
		}
		if ok {
			skipped = append(skipped, a.headline)
		}
	}
	for _, a := range fresh {
		if gone := b.postOne(ctx, d, a.id); gone {
			return
		}
	}
	if len(skipped) == 0 {
		return
	}
	shown := skipped[max(0, len(skipped)-3):]
	for i, h := range shown {
		shown[i] = "“" + clip(textutil.OneLine(h), 100) + "”"
	}
	text := fmt.Sprintf("…and %d more new %s for this channel, not posted one by one so as not to flood it, such as %s. /briefing gives a briefing of the latest.",
		len(skipped), textutil.Plural(len(skipped), "story", "stories"), strings.Join(shown, ", "))
	if err := b.Post(ctx, d, Message{Kind: KindInfo, Text: text}); err != nil {
		b.log.Error("bot: live summary not posted", "channel", d.Key(), "err", err)
	}
	b.log.Info("bot: live stories summed up in one line", "channel", d.Key(), "count", len(skipped))
}

// postOne posts an article live to a channel, once: reserved in the
// ledger, posted, completed (or failed). It reports whether the channel
// is gone, its subscription paused.
func (b *Bot) postOne(ctx context.Context, d Destination, id string) (gone bool) {
	ok, err := b.store.ReserveLive(ctx, d.Platform, d.Channel, id, b.cfg.Owner, false, b.cfg.Now())
	if err != nil {
		b.log.Error("bot: reserve live post", "channel", d.Key(), "article", id, "err", err)
		return false
	}
	if !ok {
		return false // posted before, or by another process
	}
	// Reserved: finish even if shutdown begins, within a grace period.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	m := Message{Kind: KindDigest}
	art, err := b.store.Article(ctx, id)
	if err == nil {
		m.Stories = numberBullets([]Story{storyOf(art.Briefing, 0)})
		var ids []string
		if ids, err = b.platforms[d.Platform].Post(ctx, d, m); err == nil {
			if err := b.store.CompleteLive(ctx, d.Platform, d.Channel, id, ids, b.cfg.Now()); err != nil {
				b.log.Error("bot: complete live post", "channel", d.Key(), "article", id, "err", err)
			}
			b.record(ctx, d, ids, m)
			b.log.Info("bot: live post", "channel", d.Key(), "article", id, "messages", len(ids))
			return false
		}
	}
	b.log.Error("bot: live post failed", "channel", d.Key(), "article", id, "err", err)
	if ferr := b.store.FailLive(ctx, d.Platform, d.Channel, id, err.Error(), b.cfg.Now()); ferr != nil {
		b.log.Error("bot: record failed live post", "channel", d.Key(), "article", id, "err", ferr)
	}
	if !errors.Is(err, ErrChannelGone) {
		return false
	}
	b.pauseChannel(ctx, d, err)
	return true
}

// platformNames are the names of the platforms this process runs.
func (b *Bot) platformNames() []string {
	names := make([]string, 0, len(b.platforms))
	for name := range b.platforms {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}
