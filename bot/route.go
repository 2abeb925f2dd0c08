package bot

import (
	"context"
	"slices"

	"github.com/briefbot/briefbot/store"
)

// route is what a channel gets of the stories that come in: those of its
// space's sources (the global ones and its space's own), of the feeds it
// chose if it chose some.
type route struct {
	space string   // the channel's space; "" (the global sources only) until known
	known bool     // space is the channel's: a request or its platform said so
	sub   bool     // from a subscription, which records its space once known
	feeds []string // the feeds chosen; none: every source of the space, seeds included
}

// routeOf is the route of a subscription.
func routeOf(sub store.Subscription) *route {
	return &route{space: sub.Space, known: sub.Space != "", sub: true, feeds: sub.Feeds}
}

// routeSpace is the space of the channel d's route, asked of its platform
// the first time it is not known (BRIEFING_CHANNELS, subscriptions made
// before spaces), and then recorded in the subscription. Only the job of
// the channel's schedule calls it.
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

// pass returns the articles of arts that rt lets through, in order.
func (b *Bot) pass(ctx context.Context, rt *route, arts []*store.StoredArticle) ([]*store.StoredArticle, error) {
	if len(rt.feeds) == 0 || len(arts) == 0 {
		return arts, nil
	}
	ids := make([]string, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	routes, err := b.store.Routes(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := arts[:0:0]
	for _, a := range arts {
		if r := routes[a.ID]; r != nil && rt.lets(r) {
			out = append(out, a)
		}
	}
	return out, nil
}

// lets reports whether the route lets an article through, by what it
// knows of it.
func (rt *route) lets(r *store.Route) bool {
	return len(rt.feeds) == 0 || slices.ContainsFunc(r.Feeds, func(f string) bool { return slices.Contains(rt.feeds, f) })
}

// explain says whether the route lets an article through, and why, for
// /schedule test.
func (rt *route) explain(r *store.Route) (bool, string) {
	if !rt.lets(r) {
		if len(r.Feeds) == 0 {
			return false, "not from a feed (a seed article), and this channel chose feeds"
		}
		return false, "not from the feeds this channel chose"
	}
	if len(rt.feeds) > 0 {
		return true, "from a chosen feed"
	}
	return true, "every story of the space"
}
