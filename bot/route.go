package bot

import (
	"context"
	"slices"
	"sync"

	"github.com/briefbot/briefbot/bot/filter"
	"github.com/briefbot/briefbot/store"
)

// route is what a channel gets of the stories that come in: those of its
// space's sources (the global ones and its space's own), of the feeds it
// chose if it chose some, that pass its filter if it has one.
type route struct {
	space  string         // the channel's space; "" (the global sources only) until known
	known  bool           // space is the channel's: a request or its platform said so
	sub    bool           // from a subscription, which records its space once known
	feeds  []string       // the feeds chosen; none: every source of the space, seeds included
	filter *filter.Filter // nil: every story
	broken bool           // the saved filter no longer parses: no story passes
}

// routeOf is the route of a subscription. Its filter, saved in its
// canonical form, is parsed once per text.
func (b *Bot) routeOf(sub store.Subscription) *route {
	rt := &route{space: sub.Space, known: sub.Space != "", sub: true, feeds: sub.Feeds}
	if sub.Filter == "" {
		return rt
	}
	f, err := b.filters.parse(sub.Filter)
	if err != nil {
		b.log.Error("bot: a saved filter no longer parses; the channel gets no story until it subscribes again",
			"channel", sub.Platform+":"+sub.Channel, "filter", sub.Filter, "err", err)
		rt.broken = true
	}
	rt.filter = f
	return rt
}

// filterCache parses each filter text once: a round of live posts routes
// every live subscription.
type filterCache struct {
	mu     sync.Mutex
	parsed map[string]*filter.Filter
}

func (c *filterCache) parse(text string) (*filter.Filter, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.parsed[text]; ok {
		return f, nil
	}
	f, err := filter.Parse(text)
	if err != nil {
		return nil, err
	}
	if c.parsed == nil || len(c.parsed) >= 100000 {
		c.parsed = map[string]*filter.Filter{}
	}
	c.parsed[text] = f
	return f, nil
}

// story is an article as routing sees it: its route in the store
// (headline, text, speakers, feeds), prepared for filters once, whatever
// the number of channels that look at it.
type story struct {
	r *store.Route
	p *filter.Prepared // nil until a filter asks
}

func newStory(r *store.Route) *story { return &story{r: r} }

func (s *story) prepared() *filter.Prepared {
	if s.p == nil {
		s.p = filter.Prepare(filter.Doc{Headline: s.r.Headline, Text: s.r.Body, Speakers: s.r.Speakers})
	}
	return s.p
}

// lets reports whether the route lets the story through.
func (rt *route) lets(s *story) bool {
	switch {
	case rt.broken:
		return false
	case len(rt.feeds) > 0 && !rt.fromFeeds(s):
		return false
	case rt.filter == nil:
		return true
	}
	return rt.filter.Match(s.prepared())
}

// fromFeeds reports whether a feed the route chose carries the story.
func (rt *route) fromFeeds(s *story) bool {
	return slices.ContainsFunc(s.r.Feeds, func(f string) bool { return slices.Contains(rt.feeds, f) })
}

// explain says whether the route lets the story through, and why, for
// /schedule test. It agrees with lets.
func (rt *route) explain(s *story) (bool, string) {
	switch {
	case rt.broken:
		return false, "the saved filter no longer works: subscribe again"
	case len(rt.feeds) > 0 && !rt.fromFeeds(s) && len(s.r.Feeds) == 0:
		return false, "not from a feed (a seed article), and this channel chose feeds"
	case len(rt.feeds) > 0 && !rt.fromFeeds(s):
		return false, "not from the feeds this channel chose"
	}
	ok, why := rt.filter.Explain(s.prepared())
	if len(rt.feeds) > 0 && ok {
		why = "from a chosen feed; " + why
	}
	return ok, why
}

// routeSpace is the space of the channel d's route, asked of its platform
// the first time it is not known (BRIEFING_CHANNELS, subscriptions made
// before spaces), and then recorded in the subscription. Only the job of
// the channel's schedule, or the live round, calls it.
func (b *Bot) routeSpace(ctx context.Context, d Destination, rt *route) string {
	if rt.known {
		return rt.space
	}
	space := b.channelSpace(ctx, d)
	if space == "" {
		return ""
	}
	rt.space, rt.known = space, true
	if rt.sub {
		if err := b.store.SetSubscriptionSpace(ctx, d.Platform, d.Channel, space); err != nil && !isNotExist(err) {
			b.log.Warn("bot: cannot record a subscription's space", "channel", d.Key(), "space", space, "err", err)
		}
	}
	b.log.Info("bot: channel's space found", "channel", d.Key(), "space", space)
	return space
}

// stories reads the routes of the articles, by ID.
func (b *Bot) stories(ctx context.Context, ids []string) (map[string]*story, error) {
	routes, err := b.store.Routes(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*story, len(routes))
	for id, r := range routes {
		out[id] = newStory(r)
	}
	return out, nil
}

// pass returns the articles of arts that rt lets through, in order.
func (b *Bot) pass(ctx context.Context, rt *route, arts []*store.StoredArticle) ([]*store.StoredArticle, error) {
	if len(rt.feeds) == 0 && rt.filter == nil && !rt.broken || len(arts) == 0 {
		return arts, nil
	}
	ids := make([]string, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	stories, err := b.stories(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := arts[:0:0]
	for _, a := range arts {
		if s := stories[a.ID]; s != nil && rt.lets(s) {
			out = append(out, a)
		}
	}
	return out, nil
}
