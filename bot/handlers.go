package bot

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"
	"unicode"

	"github.com/briefbot/briefbot/bot/schedule"
	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/internal/textutil"
	"github.com/briefbot/briefbot/store"
)

// cmdBriefing answers /briefing [article or topic]: the newest articles,
// or those matching the topic. It never invents: with no match it says so
// and names what it does have.
func (b *Bot) cmdBriefing(ctx context.Context, req Request) Message {
	return b.BriefingMessage(ctx, req.Args)
}

// BriefingMessage is the briefing of the newest articles, or of those
// matching topic.
func (b *Bot) BriefingMessage(ctx context.Context, topic string) Message {
	topic = strings.TrimSpace(topic)
	if len(topic) > 200 {
		return errorMessage("That topic is too long; try a few words from a headline, or an article ID.")
	}
	var arts []*store.StoredArticle
	var err error
	if topic == "" {
		arts, err = b.store.ActiveArticles(ctx, 0, 50)
	} else {
		arts, err = b.store.FindArticles(ctx, topic, 20)
	}
	if err != nil {
		b.log.Error("bot: briefing", "topic", topic, "err", err)
		return errorMessage("I could not read my articles just now. Please try again in a moment.")
	}
	if len(arts) == 0 {
		if topic == "" {
			return Message{Kind: KindInfo, Text: "I have no articles yet. Add some to the seeds folder and ask again."}
		}
		return b.noMatch(ctx, topic)
	}
	title := "Briefing"
	if topic != "" {
		title = fmt.Sprintf("Briefing: %s", topic)
	}
	if len(arts) == 1 {
		return Message{Kind: KindBriefing, Title: title, Stories: numberBullets([]Story{storyOf(arts[0].Briefing, 0)})}
	}
	m := b.digestOf(arts, b.cfg.Digest)
	m.Kind, m.Title = KindBriefing, title
	return m
}

// noMatch says honestly that no article matches, and what there is.
func (b *Bot) noMatch(ctx context.Context, topic string) Message {
	text := fmt.Sprintf("I have no article about “%s” in my sources.", topic)
	if recent, err := b.store.ActiveArticles(ctx, 0, 3); err == nil && len(recent) > 0 {
		var hs []string
		for _, a := range recent {
			hs = append(hs, "• "+a.Briefing.Headline)
		}
		text += " The newest ones I have:\n" + strings.Join(hs, "\n")
	}
	return Message{Kind: KindInfo, Text: text}
}

// digestOf groups the briefings of arts into a digest message.
func (b *Bot) digestOf(arts []*store.StoredArticle, opt briefing.DigestOptions) Message {
	bs := make([]briefing.Briefing, len(arts))
	for i, a := range arts {
		bs[i] = a.Briefing
	}
	d := briefing.MakeDigest(bs, opt)
	stories := make([]Story, len(d.Stories))
	for i, s := range d.Stories {
		stories[i] = storyOf(s.Briefing, len(s.Bullets))
		for _, r := range s.Related {
			stories[i].Related = append(stories[i].Related, r.Headline)
		}
	}
	m := Message{Stories: numberBullets(stories)}
	if n := len(d.Omitted); n > 0 {
		var hs []string
		for i, o := range d.Omitted {
			if i == 3 {
				hs = append(hs, "…")
				break
			}
			hs = append(hs, o.Headline)
		}
		m.Footer = fmt.Sprintf("%d more %s: %s", n, textutil.Plural(n, "article", "articles"), strings.Join(hs, "; "))
	}
	return m
}

// storyOf makes a story of a briefing, with at most max bullets (0: all).
func storyOf(br briefing.Briefing, max int) Story {
	s := Story{
		ArticleID: br.ArticleID, Headline: br.Headline, URL: br.URL, Source: br.Source,
		Published: br.Published, Gist: br.Gist,
	}
	if br.URL == "" {
		s.File = br.Article
	}
	for i, bl := range br.Bullets {
		if max > 0 && i == max {
			break
		}
		s.Bullets = append(s.Bullets, Bullet{
			Text: shownText(bl), Quoted: bl.Verbatim, Attribution: bl.Attribution,
			ArticleID: br.ArticleID, ClaimIndex: bl.Index,
		})
	}
	return s
}

// shownText is the bullet's claim as shown, without quotation marks.
func shownText(bl briefing.Bullet) string {
	if bl.Shown != "" {
		return bl.Shown
	}
	text := strings.TrimSuffix(bl.Line, " ("+bl.Attribution+")")
	if bl.Verbatim {
		text = strings.TrimSuffix(strings.TrimPrefix(text, "“"), "”")
	}
	return text
}

// numberBullets numbers the bullets of all stories from 1, in order.
func numberBullets(stories []Story) []Story {
	n := 0
	for i := range stories {
		for j := range stories[i].Bullets {
			n++
			stories[i].Bullets[j].N = n
		}
	}
	return stories
}

// cmdSubscribe answers /subscribe <schedule> [time zone].
func (b *Bot) cmdSubscribe(ctx context.Context, req Request) Message {
	spec, tz := splitSchedule(req.Args)
	if spec == "" {
		return errorMessage("Tell me when to post, as a cron schedule and an optional time zone. For example: /subscribe 0 8 * * * Europe/Paris\nSchedules look like " + schedule.Example + ".")
	}
	if tz == "" {
		tz = "UTC"
	}
	sch, err := schedule.Parse(spec, tz)
	if err != nil {
		return errorMessage(fmt.Sprintf("I can't use that schedule: %v.\nTry %s, with an optional IANA time zone such as Europe/Paris.", err, schedule.Example))
	}
	if tooOften(req.Destination(), sch) {
		return errorMessage("That schedule fires more than once a minute; the most often I post in a chat channel is once a minute. Try \"*/15 * * * *\" (every 15 minutes) or \"0 8 * * *\" (08:00 daily).")
	}
	dest := req.Destination()
	sub := store.Subscription{Platform: dest.Platform, Channel: dest.Channel, Spec: sch.Spec, TZ: sch.Loc.String(), CreatedAt: b.cfg.Now()}
	if err := b.store.Subscribe(ctx, sub); err != nil {
		b.log.Error("bot: subscribe", "channel", dest.Key(), "err", err)
		return errorMessage("I could not save the subscription just now. Please try again.")
	}
	b.sched.set(dest, sch, false)
	b.log.Info("bot: subscribed", append([]any{"schedule", sch.Spec, "tz", sch.Loc.String()}, req.logAttrs()...)...)
	return Message{Kind: KindInfo, Text: fmt.Sprintf("Subscribed. This channel gets the digest of new articles on “%s” (%s).\nNext: %s.",
		sch.Spec, sch.Loc, formatTimes(sch.NextN(b.cfg.Now(), 3)))}
}

// tooOften reports a schedule that would post to a chat channel more than
// once a minute (sch.SubMinute). The console and BRIEFING_SCHEDULE may use
// seconds.
func tooOften(d Destination, sch *schedule.Schedule) bool {
	return d.Platform != "console" && sch.SubMinute()
}

// splitSchedule splits "0 8 * * * Europe/Paris" into the cron spec and the
// time zone. The spec may be quoted; a descriptor ("@daily", "@every 1h")
// may stand for it.
func splitSchedule(args string) (spec, tz string) {
	args = strings.TrimSpace(args)
	for _, q := range []string{`"`, "“", "'"} {
		if strings.HasPrefix(args, q) {
			closer := q
			if q == "“" {
				closer = "”"
			}
			if i := strings.Index(args[len(q):], closer); i >= 0 {
				return strings.TrimSpace(args[len(q) : len(q)+i]), strings.TrimSpace(args[len(q)+i+len(closer):])
			}
		}
	}
	f := strings.Fields(args)
	if len(f) == 0 {
		return "", ""
	}
	n := 0 // how many fields the spec takes
	switch {
	case f[0] == "@every":
		n = min(2, len(f))
	case strings.HasPrefix(f[0], "@"):
		n = 1
	case len(f) >= 7:
		n = 6
	case len(f) == 6 && looksLikeZone(f[5]):
		n = 5
	default:
		n = len(f)
	}
	return strings.Join(f[:n], " "), strings.Join(f[n:], " ")
}

// looksLikeZone tells a time zone ("Europe/Paris", "UTC") from a cron
// field ("*/5", "MON-FRI", "1,15").
func looksLikeZone(s string) bool {
	if s == "UTC" || s == "GMT" || strings.EqualFold(s, "utc") {
		return true
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return strings.Contains(s, "/") && letters >= 3 && !strings.ContainsAny(s, "*,0123456789") ||
		letters > 3 && !strings.ContainsAny(s, "*,-/0123456789")
}

func formatTimes(ts []time.Time) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = formatTime(t)
	}
	return strings.Join(parts, "; ")
}

// formatTime writes a time in its own zone: "08:00 Mon 2 Dec 2026 CET".
func formatTime(t time.Time) string {
	if t.Second() != 0 {
		return t.Format("15:04:05 Mon 2 Jan 2006 MST")
	}
	return t.Format("15:04 Mon 2 Jan 2006 MST")
}

// cmdUnsubscribe answers /unsubscribe.
func (b *Bot) cmdUnsubscribe(ctx context.Context, req Request) Message {
	dest := req.Destination()
	err := b.store.Unsubscribe(ctx, dest.Platform, dest.Channel)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if b.isConfigured(dest) {
			return Message{Kind: KindInfo, Text: "This channel gets the digest from the bot's configuration (BRIEFING_CHANNELS), not from /subscribe; whoever runs the bot can change that."}
		}
		return Message{Kind: KindInfo, Text: "This channel has no digest subscription, so there is nothing to stop."}
	case err != nil:
		b.log.Error("bot: unsubscribe", "channel", dest.Key(), "err", err)
		return errorMessage("I could not remove the subscription just now. Please try again.")
	}
	b.sched.remove(dest)
	b.log.Info("bot: unsubscribed", req.logAttrs()...)
	if b.isConfigured(dest) {
		b.sched.set(dest, b.defaultSchedule(), true)
		return Message{Kind: KindInfo, Text: "Unsubscribed. This channel is also in the bot's configuration (BRIEFING_CHANNELS), so it keeps getting the default digest."}
	}
	return Message{Kind: KindInfo, Text: "Unsubscribed. This channel will get no more digests."}
}

// cmdSchedule answers /schedule.
func (b *Bot) cmdSchedule(ctx context.Context, req Request) Message {
	dest := req.Destination()
	sub, err := b.store.Subscription(ctx, dest.Platform, dest.Channel)
	var sch *schedule.Schedule
	paused := ""
	switch {
	case err == nil:
		if sch, err = schedule.Parse(sub.Spec, sub.TZ); err != nil {
			return errorMessage(fmt.Sprintf("This channel's saved schedule “%s” no longer parses (%v); subscribe again.", sub.Spec, err))
		}
		if sub.Paused {
			paused = fmt.Sprintf("\nIt is paused: %s. Subscribe again to resume.", sub.PauseReason)
		}
	case errors.Is(err, fs.ErrNotExist) && b.isConfigured(dest):
		sch = b.defaultSchedule()
	case errors.Is(err, fs.ErrNotExist):
		return Message{Kind: KindInfo, Text: "This channel has no digest schedule. Subscribe with /subscribe <schedule> [time zone], for example /subscribe 0 8 * * * Europe/Paris"}
	default:
		b.log.Error("bot: schedule", "channel", dest.Key(), "err", err)
		return errorMessage("I could not read this channel's schedule just now. Please try again.")
	}
	text := fmt.Sprintf("This channel gets the digest on “%s” (%s).\nNext runs: %s.", sch.Spec, sch.Loc, formatTimes(sch.NextN(b.cfg.Now(), 3)))
	if last, err := b.store.LastDelivery(ctx, dest.Platform, dest.Channel); err == nil {
		text += "\nLast digest: " + formatTime(last.Time.In(sch.Loc)) + "."
	}
	return Message{Kind: KindInfo, Text: text + paused}
}

// cmdHelp answers /help.
func (b *Bot) cmdHelp(ctx context.Context, req Request) Message {
	var sb strings.Builder
	sb.WriteString("I brief you on the news, and every claim I post names its source: who said it, quoted or paraphrased, and through which outlet.\n")
	for _, c := range Commands() {
		fmt.Fprintf(&sb, "\n%s\n    %s", c.Usage, c.Description)
		if c.Right != Anyone {
			sb.WriteString(" (needs permission to manage the channel)")
		}
	}
	sb.WriteString("\n\nMention me with a command too: “@briefbot briefing Gaza”.")
	sb.WriteString("\nSchedules are cron specs: " + schedule.Example + ".")
	return Message{Kind: KindHelp, Title: "briefbot", Text: sb.String()}
}

func (b *Bot) defaultSchedule() *schedule.Schedule {
	s, err := schedule.Parse(b.cfg.Schedule, b.cfg.TZ)
	if err != nil {
		// Config validated it at start; this cannot happen.
		panic(fmt.Sprintf("bot: default schedule %q: %v", b.cfg.Schedule, err))
	}
	return s
}

func (b *Bot) isConfigured(d Destination) bool {
	for _, c := range b.cfg.Channels {
		if c.Platform == d.Platform && c.Channel == d.Channel {
			return true
		}
	}
	return false
}
