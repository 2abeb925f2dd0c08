package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot/schedule"
	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/store"
)

// cmdBriefing answers /briefing [article or topic]: the newest articles,
// or those matching the topic. It never invents: with no match it says so
// and names what it does have.
func (b *Bot) cmdBriefing(ctx context.Context, req Request) Message {
	space, _ := req.space()
	return b.BriefingMessage(ctx, space, req.Args)
}

// BriefingMessage is the briefing of the newest articles the space sees,
// or of those matching topic.
func (b *Bot) BriefingMessage(ctx context.Context, space, topic string) Message {
	topic = strings.TrimSpace(topic)
	if len(topic) > 200 {
		return errorMessage("That topic is too long; try a few words from a headline, or an article ID.")
	}
	var arts []*store.StoredArticle
	var err error
	if topic == "" {
		arts, err = b.store.LatestArticles(ctx, space, 50)
	} else {
		arts, err = b.store.FindArticles(ctx, space, topic, 20)
	}
	if err != nil {
		b.log.Error("bot: briefing", "topic", topic, "err", err)
		return errorMessage("I could not read my articles just now. Please try again in a moment.")
	}
	if len(arts) == 0 {
		if topic == "" {
			return Message{Kind: KindInfo, Text: "I have no articles yet. Add some to the seeds folder and ask again."}
		}
		return b.noMatch(ctx, space, topic)
	}
	title := "Briefing"
	if topic != "" {
		title = fmt.Sprintf("Briefing: %s", topic)
	}
	m, _, err := b.storyDigest(ctx, space, nil, nil, arts, b.cfg.Digest)
	if err != nil {
		b.log.Error("bot: briefing", "topic", topic, "err", err)
		return errorMessage("I could not read my articles just now. Please try again in a moment.")
	}
	if len(m.Stories) == 1 && len(m.Stories[0].Notes) == 0 {
		// One article alone: its whole briefing, as before stories.
		for _, a := range arts {
			if a.ID == m.Stories[0].ArticleID {
				m.Stories = numberBullets([]Story{storyOf(a.Briefing, 0)})
			}
		}
	}
	m.Kind, m.Title = KindBriefing, title
	return m
}

// noMatch says honestly that no article matches, and what there is.
func (b *Bot) noMatch(ctx context.Context, space, topic string) Message {
	text := fmt.Sprintf("I have no article about “%s” in my sources.", topic)
	if recent, err := b.store.LatestArticles(ctx, space, 3); err == nil && len(recent) > 0 {
		var hs []string
		for _, a := range recent {
			hs = append(hs, "• "+a.Briefing.Headline)
		}
		text += " The newest ones I have:\n" + strings.Join(hs, "\n")
	}
	return Message{Kind: KindInfo, Text: text}
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
	sb.WriteString("\n\nDigests, live posts and briefings post stories: one entry per event, with every outlet that reports it, the claims they share, who disputes what and where the outlets differ. A story that grows is not posted again as new: the next digest says what is new in it.")
	sb.WriteString("\nIn reply to a story: “@briefbot who else reports this?” names the other outlets; “source 2” shows bullet 2 in every article that carries it.")
	sb.WriteString("\n\nMention me with a command too: “@briefbot briefing Gaza”.")
	sb.WriteString("\nSchedules are cron specs: " + schedule.Example + "; or live, for each new story as it arrives.")
	sb.WriteString("\nFilters: " + filterHelp)
	sb.WriteString("\n" + subscribeExamples)
	sb.WriteString("\nEach server or workspace reads the bot's own sources and the feeds it adds, and sees nothing of another's.")
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
