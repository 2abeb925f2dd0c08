package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot/filter"
	"github.com/briefbot/briefbot/internal/textutil"
	"github.com/briefbot/briefbot/store"
)

// Live posts: a channel subscribed with /subscribe live gets each new
// story of its space, of its chosen feeds and passing its filter, as it
// arrives, each posted once through the live ledger (store.ReserveLive):
// the article is reserved for the channel before it is posted and
// completed after, so that neither a crash nor a second process posts it
// twice. A subscription's cursor (store.Subscription.LiveSeq) moves past
// the arrivals each round has handled, so that after a restart only what
// came meanwhile is looked at, and what the ledger already has is not
// posted again.
//
// No channel gets a flood: it gets at most Config.LiveCatchup stories in
// any liveWindow. What comes beyond (after downtime, or from a feed added
// with its backlog) is recorded as skipped, and summed up in one line once
// the burst is over: Config.LiveSummaryDelay after the last story skipped
// there (the polls after downtime are spread over a minute).

// liveWindow is the time in which a live channel gets at most
// Config.LiveCatchup stories.
const liveWindow = 10 * time.Minute

// maxLiveRound is the most new articles one round looks at; older ones,
// after a long downtime, are passed over (and logged).
const maxLiveRound = 1000

// watch looks for new stories to post live and feed alerts to tell, every
// Config.Watch, until ctx is done.
func (b *Bot) watch(ctx context.Context) {
	t := time.NewTicker(b.cfg.Watch)
	defer t.Stop()
	for ctx.Err() == nil {
		if b.cfg.Now().Sub(b.checked) >= b.cfg.LeaseTTL/2 {
			if err := b.reportInterrupted(ctx); err != nil && ctx.Err() == nil {
				b.log.Warn("bot: cannot look for digests and live posts other replicas left unfinished", "err", err)
			}
		}
		b.alertFeeds(ctx)
		b.summarize(ctx, b.postLive(ctx))
		select {
		case <-ctx.Done():
		case <-t.C:
		}
	}
}

// startLive notes the summary lines a process left unposted.
func (b *Bot) startLive(ctx context.Context) error {
	skipped, err := b.store.SkippedLive(ctx)
	if err != nil {
		return fmt.Errorf("bot: read the live ledger: %w", err)
	}
	b.unsummed = map[Destination]time.Time{}
	for _, p := range skipped {
		if _, ok := b.platforms[p.Platform]; ok {
			b.unsummed[Destination{Platform: p.Platform, Channel: p.Channel}] = b.cfg.Now()
		}
	}
	return nil
}

// summarize notes the live channels that skipped stories in this round
// (skipping), and posts the summary line of those whose last skipped story
// is Config.LiveSummaryDelay old: their burst is over.
func (b *Bot) summarize(ctx context.Context, skipping map[Destination]bool) {
	now := b.cfg.Now()
	for d := range skipping {
		b.unsummed[d] = now
	}
	for d, last := range b.unsummed {
		if now.Sub(last) < b.cfg.LiveSummaryDelay || ctx.Err() != nil {
			continue
		}
		delete(b.unsummed, d)
		ids, err := b.store.SummarizeSkipped(ctx, d.Platform, d.Channel, b.cfg.Now())
		if err != nil {
			b.log.Error("bot: live summary", "channel", d.Key(), "err", err)
			continue
		}
		if len(ids) == 0 {
			continue // summed up by another process
		}
		var shown []string
		for _, id := range ids[max(0, len(ids)-3):] {
			if a, err := b.store.Article(ctx, id); err == nil {
				shown = append(shown, "“"+clip(textutil.OneLine(a.Briefing.Headline), 100)+"”")
			}
		}
		text := fmt.Sprintf("…and %d more new %s for this channel, not posted one by one so as not to flood it (at most %d in %d minutes)",
			len(ids), textutil.Plural(len(ids), "story", "stories"), b.cfg.LiveCatchup, int(liveWindow.Minutes()))
		if len(shown) > 0 {
			text += ", such as " + strings.Join(shown, ", ")
		}
		text += ". /briefing gives a briefing of the latest."
		if err := b.Post(ctx, d, Message{Kind: KindInfo, Text: text}); err != nil {
			b.log.Error("bot: live summary not posted", "channel", d.Key(), "err", err)
			continue
		}
		b.log.Info("bot: live stories summed up in one line", "channel", d.Key(), "count", len(ids))
	}
}

// arrived is what a live round knows of a new article: its arrivals in
// spaces, and its story.
type arrived struct {
	id    string
	rows  []store.Arrival // one per space that saw it, usually one or two
	story *story
}

// in returns the article's first arrival in the space (its own rows and
// the global ones) and whether the space sees it.
func (a *arrived) in(space string) (seq int64, seen bool) {
	for _, r := range a.rows {
		if r.Space == store.Global || r.Space == space {
			if seq == 0 || r.Seq < seq {
				seq = r.Seq
			}
			seen = seen || r.Active
		}
	}
	return seq, seen
}

// news is an article new to a channel.
type news struct {
	a   *arrived
	seq int64
}

// liveRoutes are the routes of a round's live subscriptions, side by
// side, with the index of their filters.
type liveRoutes struct {
	routes  []*route
	spaces  []string // each one's space
	cursors []int64  // each one's LiveSeq
	index   *filter.Index
}

func newLiveRoutes(routes []*route, spaces []string, cursors []int64) *liveRoutes {
	filters := make([]*filter.Filter, len(routes))
	for i, rt := range routes {
		filters[i] = rt.filter
	}
	return &liveRoutes{routes: routes, spaces: spaces, cursors: cursors, index: filter.NewIndex(filters)}
}

// news returns, for each subscription, the articles new to it: those its
// space sees that first came there after its cursor, of its feeds, that
// pass its filter; in the order they came. The index finds each article's
// filters at once for every subscription.
func (lr *liveRoutes) news(arts []*arrived) [][]news {
	fresh := make([][]news, len(lr.routes))
	var matched []int
	for _, a := range arts {
		if a.story == nil {
			continue
		}
		matched = lr.index.Match(a.story.prepared(), matched[:0])
		for _, i := range matched {
			rt := lr.routes[i]
			if rt.broken || len(rt.feeds) > 0 && !rt.fromFeeds(a.story) {
				continue
			}
			if seq, seen := a.in(lr.spaces[i]); seen && seq > lr.cursors[i] {
				fresh[i] = append(fresh[i], news{a, seq})
			}
		}
	}
	for _, f := range fresh {
		slices.SortFunc(f, func(x, y news) int { return cmp.Compare(x.seq, y.seq) })
	}
	return fresh
}

// postLive runs one round of live posts: if articles arrived since the
// last round, each live subscription of a platform this process runs gets
// those new to it that its route lets through. It returns the channels
// where stories were skipped.
func (b *Bot) postLive(ctx context.Context) (skipping map[Destination]bool) {
	last, err := b.store.LastArrival(ctx)
	if err != nil || last <= b.liveSeen {
		return nil
	}
	subs, err := b.store.Subscriptions(ctx)
	if err != nil {
		b.log.Warn("bot: cannot read the live subscriptions", "err", err)
		return nil
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
		return nil
	}
	rows, more, err := b.store.Arrivals(ctx, from, maxLiveRound)
	if err != nil {
		b.log.Warn("bot: cannot read new articles for live posts", "err", err)
		return nil
	}
	if more > 0 {
		b.log.Warn("bot: too many new articles for live posts at once; the oldest are passed over", "passed_over", more, "looked_at", maxLiveRound)
	}
	byID := map[string]*arrived{}
	var arts []*arrived
	upTo := from
	for _, r := range rows {
		a := byID[r.ArticleID]
		if a == nil {
			a = &arrived{id: r.ArticleID}
			byID[r.ArticleID] = a
			arts = append(arts, a)
		}
		a.rows = append(a.rows, r)
		upTo = max(upTo, r.Seq)
	}
	ids := make([]string, len(arts))
	for i, a := range arts {
		ids[i] = a.id
	}
	stories, err := b.stories(ctx, ids)
	if err != nil {
		b.log.Warn("bot: cannot read new articles for live posts", "err", err)
		return nil
	}
	for _, a := range arts {
		a.story = stories[a.id]
	}
	routes, spaces, cursors := make([]*route, len(live)), make([]string, len(live)), make([]int64, len(live))
	for i, sub := range live {
		routes[i] = b.routeOf(sub)
		spaces[i] = b.routeSpace(ctx, Destination{Platform: sub.Platform, Channel: sub.Channel}, routes[i])
		cursors[i] = sub.LiveSeq
	}
	fresh := newLiveRoutes(routes, spaces, cursors).news(arts)
	skipping = map[Destination]bool{}
	for i, sub := range live {
		if ctx.Err() != nil {
			return skipping
		}
		d := Destination{Platform: sub.Platform, Channel: sub.Channel}
		if b.postNews(ctx, d, spaces[i], routes[i], fresh[i]) {
			skipping[d] = true
		}
	}
	if err := b.store.AdvanceLive(ctx, b.platformNames(), upTo); err != nil {
		b.log.Warn("bot: cannot record how far live posts got; the ledger keeps them from being posted twice", "err", err)
		return skipping
	}
	b.liveSeen = upTo
	return skipping
}

// postNews posts the articles new to a live channel, oldest first, as
// many as it may get in liveWindow, the newest; the others are recorded
// as skipped, for a summary line. It reports whether it skipped any.
func (b *Bot) postNews(ctx context.Context, d Destination, space string, rt *route, fresh []news) (skipped bool) {
	if len(fresh) == 0 {
		return false
	}
	recent, err := b.store.RecentLive(ctx, d.Platform, d.Channel, b.cfg.Now().Add(-liveWindow))
	if err != nil {
		b.log.Error("bot: count recent live posts", "channel", d.Key(), "err", err)
		return false
	}
	var over []news
	if n := len(fresh) - max(0, b.cfg.LiveCatchup-recent); n > 0 {
		over, fresh = fresh[:n], fresh[n:]
	}
	for _, a := range over {
		ok, err := b.store.ReserveLive(ctx, d.Platform, d.Channel, a.a.id, b.cfg.Owner, true, b.cfg.Now())
		if err != nil {
			b.log.Error("bot: reserve live post", "channel", d.Key(), "article", a.a.id, "err", err)
		}
		skipped = skipped || ok
	}
	for _, a := range fresh {
		if gone := b.postOne(ctx, d, space, rt, a.a.id); gone {
			break
		}
	}
	return skipped
}

// postOne posts an article live to a channel of the space, once:
// reserved in the ledger, posted, completed (or failed). It is posted as
// its story, across the articles the space sees; an article of a story
// the channel was shown before is posted as what is new in that story,
// and not at all if the channel was shown all of it. It reports whether
// the channel is gone, its subscription paused.
func (b *Bot) postOne(ctx context.Context, d Destination, space string, rt *route, id string) (gone bool) {
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
	m, err := b.liveStory(ctx, d, space, rt, id)
	if err == nil && len(m.Stories) == 0 {
		// Its story was posted here with everything in it already.
		if err := b.store.CompleteLive(ctx, d.Platform, d.Channel, id, nil, b.cfg.Now()); err != nil {
			b.log.Error("bot: complete live post", "channel", d.Key(), "article", id, "err", err)
		}
		b.log.Info("bot: live post not needed: its story was posted here", "channel", d.Key(), "article", id)
		return false
	}
	if err == nil {
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

// liveStory is the live post of the article: its story, or what is new
// in it if the channel was shown the story before; no story if the channel
// was shown all of it. What it shows is claimed for the channel before it
// is posted (store.ClaimStoryShown), so that two processes posting two
// articles of one story at once do not both post it as new: the one that
// loses the claim looks again.
func (b *Bot) liveStory(ctx context.Context, d Destination, space string, rt *route, id string) (Message, error) {
	art, err := b.store.Article(ctx, id)
	if err != nil {
		return Message{}, err
	}
	for range 3 {
		groups, err := b.groupStories(ctx, space, &d, rt, []*store.StoredArticle{art})
		if err != nil || len(groups) == 0 {
			return Message{Kind: KindDigest}, err
		}
		g := groups[0]
		s, err := b.storyEntry(ctx, g, 5)
		if err != nil {
			return Message{}, err
		}
		ids := make([]string, len(g.arts))
		for i, a := range g.arts {
			ids[i] = a.ID
		}
		ok, err := b.store.ClaimStoryShown(ctx, d.Platform, d.Channel, g.id, g.shown, ids, b.cfg.Now())
		if err != nil {
			return Message{}, err
		}
		if ok {
			return Message{Kind: KindDigest, Stories: numberBullets([]Story{s})}, nil
		}
	}
	return Message{}, fmt.Errorf("the story of article %s changed under three tries to post it", id)
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
