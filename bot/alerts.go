package bot

import (
	"context"
	"fmt"

	"github.com/briefbot/briefbot/store"
)

// alertFeeds tells, in the channel where each space added a feed, that
// the feed was paused after failing again and again, or that it works
// again: once per space and change, even with several bot processes on
// the database (store.ClaimFeedAlert), and only on a platform this
// process runs. A global feed has no such channel: its pause is in the
// log and in /feeds list.
func (b *Bot) alertFeeds(ctx context.Context) {
	alerts, err := b.store.FeedAlerts(ctx)
	if err != nil {
		b.log.Warn("bot: cannot read feed alerts", "err", err)
		return
	}
	for _, a := range alerts {
		if _, ok := b.platforms[a.Platform]; !ok || ctx.Err() != nil {
			continue
		}
		ok, err := b.store.ClaimFeedAlert(ctx, a, b.cfg.Now())
		if err != nil {
			b.log.Warn("bot: cannot record a feed alert", "feed", a.Feed.URL, "space", a.Space, "err", err)
			continue
		}
		if !ok {
			continue // told already, maybe by another process
		}
		to := Destination{Platform: a.Platform, Channel: a.Channel}
		if err := b.Post(ctx, to, alertMessage(a)); err != nil {
			b.log.Error("bot: feed alert not posted", "feed", a.Feed.URL, "channel", to.Key(), "recovered", a.Recovered, "err", err)
			continue
		}
		b.log.Info("bot: feed alert posted", "feed", a.Feed.URL, "channel", to.Key(), "space", a.Space, "recovered", a.Recovered)
	}
}

// alertMessage says what happened to a feed in words a channel manager
// can act on: what failed, since when, and how to retry or remove it.
func alertMessage(a store.FeedAlert) Message {
	f := a.Feed
	name := f.URL
	if f.Title != "" {
		name = fmt.Sprintf("“%s” (%s)", f.Title, f.URL)
	}
	if a.Recovered {
		return Message{Kind: KindInfo, Title: "Feed working again",
			Text: fmt.Sprintf("The feed %s works again: its new stories come into the briefings and digests here once more.", name)}
	}
	since := ""
	if !f.FailingSince.IsZero() {
		since = " since " + formatTime(f.FailingSince.UTC())
	}
	return Message{Kind: KindInfo, Title: "Feed paused",
		Text: fmt.Sprintf("The feed %s has failed %d times in a row%s; the last error was: %s.\n"+
			"I have paused it, so its new stories no longer come in.\n"+
			"To try it again (once the site works, or with a corrected address): /feeds add %s\n"+
			"To stop following it: /feeds remove %s",
			name, f.Failures, since, f.LastError, f.URL, f.URL)}
}
