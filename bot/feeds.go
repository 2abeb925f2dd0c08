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
)

// Feeds is what /feeds needs: the feed manager.
type Feeds interface {
	Add(ctx context.Context, rawURL string) (feeds.FeedState, error)
	Remove(ctx context.Context, rawURL string) error
	List(ctx context.Context) ([]feeds.FeedState, error)
}

// cmdFeeds answers /feeds add <url>, /feeds remove <url> and /feeds list.
// Adding and removing change what the bot reads for every channel, so they
// need the same right as /subscribe, and never come from a direct message
// (see refusal).
func (b *Bot) cmdFeeds(ctx context.Context, req Request) Message {
	if b.cfg.Feeds == nil {
		return Message{Kind: KindInfo, Text: "Feeds are not enabled in this bot."}
	}
	action := firstWord(req.Args)
	_, arg, _ := strings.Cut(strings.TrimSpace(req.Args), " ")
	arg = strings.TrimSpace(arg)
	usage := "Use /feeds add <url>, /feeds remove <url> or /feeds list."
	switch action {
	case "", "list":
		return b.listFeeds(ctx)
	case "add", "remove": // handle has checked the right (refusal)
		if arg == "" {
			return errorMessage(fmt.Sprintf("Give the feed's address, for example /feeds %s https://example.org/rss.xml", action))
		}
		if len(arg) > 2000 {
			return errorMessage("That address is too long to be a feed URL.")
		}
	default:
		return errorMessage(fmt.Sprintf("I don't know “/feeds %s”. %s", action, usage))
	}
	if action == "add" {
		st, err := b.cfg.Feeds.Add(ctx, arg)
		if err != nil {
			b.log.Info("bot: feed refused", append([]any{"url", arg, "err", err}, req.logAttrs()...)...)
			return errorMessage(fmt.Sprintf("I can't follow that feed: %v", err))
		}
		b.log.Info("bot: feed added", append([]any{"url", st.URL}, req.logAttrs()...)...)
		return Message{Kind: KindInfo, Text: fmt.Sprintf("Following %s. I will read it now and then every so often; new articles go into the briefings and digests.", st.URL)}
	}
	err := b.cfg.Feeds.Remove(ctx, arg)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Message{Kind: KindInfo, Text: fmt.Sprintf("I am not following %s. /feeds list shows the feeds I read.", arg)}
	case err != nil:
		b.log.Error("bot: remove feed", "url", arg, "err", err)
		return errorMessage("I could not remove that feed just now. Please try again.")
	}
	b.log.Info("bot: feed removed", append([]any{"url", arg}, req.logAttrs()...)...)
	return Message{Kind: KindInfo, Text: fmt.Sprintf("Stopped following %s; its articles leave new briefings.", arg)}
}

func (b *Bot) listFeeds(ctx context.Context) Message {
	list, err := b.cfg.Feeds.List(ctx)
	if err != nil {
		b.log.Error("bot: list feeds", "err", err)
		return errorMessage("I could not read the feed list just now. Please try again.")
	}
	if len(list) == 0 {
		return Message{Kind: KindInfo, Text: "I follow no feeds yet. Add one with /feeds add <url>."}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "I follow %d %s:", len(list), textutil.Plural(len(list), "feed", "feeds"))
	for _, f := range list {
		name := f.URL
		if f.Title != "" {
			name = f.Title + " — " + f.URL
		}
		fmt.Fprintf(&sb, "\n• %s\n  %s", name, feedState(f, b.cfg.Now()))
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
