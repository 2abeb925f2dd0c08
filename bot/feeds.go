package bot

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/briefbot/briefbot/feeds"
	"github.com/briefbot/briefbot/internal/textutil"
	"github.com/briefbot/briefbot/store"
)

// Feeds is what /feeds needs: the feed manager.
type Feeds interface {
	Add(ctx context.Context, rawURL string, owner store.FeedOwner) (st feeds.FeedState, joined bool, err error)
	Remove(ctx context.Context, rawURL, space string) error
	List(ctx context.Context, space string) ([]feeds.FeedState, error)
}

// cmdFeeds answers /feeds add <url>, /feeds remove <url> and /feeds list,
// for the space the request comes from: it lists the global feeds and the
// space's own, and adds and removes the space's own, never another's nor a
// global one (except on the console, the terminal of whoever runs the
// bot, which may remove a global feed). Adding and removing need the right
// to manage the channel (see refusal).
func (b *Bot) cmdFeeds(ctx context.Context, req Request) Message {
	if b.cfg.Feeds == nil {
		return Message{Kind: KindInfo, Text: "Feeds are not enabled in this bot."}
	}
	action := firstWord(req.Args)
	_, arg, _ := strings.Cut(strings.TrimSpace(req.Args), " ")
	arg = strings.TrimSpace(arg)
	usage := "Use /feeds add <url>, /feeds remove <url> or /feeds list."
	space, _ := req.space() // handle has refused add and remove where it is not known
	switch action {
	case "", "list":
		return b.listFeeds(ctx, req, space)
	case "add", "remove":
		if arg == "" {
			return errorMessage(fmt.Sprintf("Give the feed's address, for example /feeds %s https://example.org/rss.xml", action))
		}
		if len(arg) > 2000 {
			return errorMessage("That address is too long to be a feed URL.")
		}
	default:
		return errorMessage(fmt.Sprintf("I don't know “/feeds %s”. %s", action, usage))
	}
	where := req.spaceNoun()
	if action == "add" {
		st, joined, err := b.cfg.Feeds.Add(ctx, arg, store.FeedOwner{Space: space, Platform: req.Platform, Channel: req.Channel})
		if err != nil {
			b.log.Info("bot: feed refused", append([]any{"url", arg, "err", err}, req.logAttrs()...)...)
			return errorMessage(fmt.Sprintf("I can't follow that feed: %v", err))
		}
		b.log.Info("bot: feed added", append(append([]any{"url", st.URL}, req.logAttrs()...), "new", joined)...)
		if !joined {
			return Message{Kind: KindInfo, Text: fmt.Sprintf("%s already reads %s; I will fetch it again now.", textutil.UpperFirst(where), st.URL)}
		}
		return Message{Kind: KindInfo, Text: fmt.Sprintf("Following %s for %s. I will read it now and then every so often; its new stories go into the briefings and digests here. If it keeps failing, I will say so in this channel.", st.URL, where)}
	}
	err := b.cfg.Feeds.Remove(ctx, arg, space)
	if errors.Is(err, fs.ErrNotExist) && space == "console" {
		err = b.cfg.Feeds.Remove(ctx, arg, store.Global) // the console is whoever runs the bot
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if b.isGlobalFeed(ctx, arg) {
			return Message{Kind: KindInfo, Text: fmt.Sprintf("%s is one of the bot's own feeds, which every server and workspace reads; only whoever runs the bot can remove it.", arg)}
		}
		return Message{Kind: KindInfo, Text: fmt.Sprintf("%s does not follow %s. /feeds list shows the feeds it reads.", textutil.UpperFirst(where), arg)}
	case err != nil:
		b.log.Error("bot: remove feed", "url", arg, "err", err)
		return errorMessage("I could not remove that feed just now. Please try again.")
	}
	b.log.Info("bot: feed removed", append([]any{"url", arg}, req.logAttrs()...)...)
	return Message{Kind: KindInfo, Text: fmt.Sprintf("Stopped following %s for %s; its articles leave the briefings and digests here.", arg, where)}
}

// isGlobalFeed reports whether rawURL names a global feed.
func (b *Bot) isGlobalFeed(ctx context.Context, rawURL string) bool {
	u, err := feeds.Normalize(rawURL)
	if err != nil {
		return false
	}
	list, err := b.cfg.Feeds.List(ctx, store.Global)
	if err != nil {
		return false
	}
	for _, f := range list {
		if f.URL == u {
			return true
		}
	}
	return false
}

func (b *Bot) listFeeds(ctx context.Context, req Request, space string) Message {
	list, err := b.cfg.Feeds.List(ctx, space)
	if err != nil {
		b.log.Error("bot: list feeds", "err", err)
		return errorMessage("I could not read the feed list just now. Please try again.")
	}
	if len(list) == 0 {
		return Message{Kind: KindInfo, Text: fmt.Sprintf("%s reads no feeds yet. Add one with /feeds add <url>.", textutil.UpperFirst(req.spaceNoun()))}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s reads %d %s:", textutil.UpperFirst(req.spaceNoun()), len(list), textutil.Plural(len(list), "feed", "feeds"))
	for i, f := range list {
		name := f.URL
		if f.Title != "" {
			name = f.Title + " — " + f.URL
		}
		if f.Global {
			name += " (the bot's own: every server and workspace reads it)"
		}
		fmt.Fprintf(&sb, "\n%d. %s\n   %s", i+1, name, feedState(f, b.cfg.Now()))
	}
	return Message{Kind: KindInfo, Title: "Feeds", Text: sb.String()}
}

// feedState says how a feed is doing, in a line.
func feedState(f feeds.FeedState, now time.Time) string {
	var parts []string
	if f.Paused {
		parts = append(parts, "PAUSED: "+f.PauseReason+" (/feeds add it again to resume)")
	}
	if f.LastFetch.IsZero() {
		parts = append(parts, "not fetched yet")
	} else {
		parts = append(parts, "last fetched "+ago(now.Sub(f.LastFetch)))
	}
	parts = append(parts, fmt.Sprintf("%d %s", f.Items, textutil.Plural(f.Items, "article", "articles")))
	if f.Fallbacks > 0 {
		parts = append(parts, fmt.Sprintf("%d briefed from the feed's own text", f.Fallbacks))
	}
	if f.LastError != "" {
		parts = append(parts, fmt.Sprintf("last error: %s (%d in a row)", f.LastError, f.Failures))
	}
	if !f.FailingSince.IsZero() {
		parts = append(parts, "failing since "+formatTime(f.FailingSince.UTC()))
	}
	return strings.Join(parts, "; ")
}

func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	}
	return fmt.Sprintf("%d days ago", int(d.Hours()/24))
}
