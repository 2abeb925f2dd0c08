package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Platform is a chat platform: the console, Discord, Slack. An adapter
// decodes what the platform sends into a [Request], hands it to the
// [Handler], and renders and posts messages; commands, rights, answers,
// schedules and delivery are the bot's.
type Platform interface {
	// Name is the platform's name in channel keys and the store:
	// "console", "discord", "slack".
	Name() string
	// Run connects to the platform and hands every request to h.Serve,
	// with a Replier that posts the answer where the request came from,
	// until ctx is done or the platform ends (the console at the end of
	// its input). Where the platform demands an acknowledgement first
	// (Discord and Slack, within 3 seconds), the adapter acknowledges, then
	// serves.
	Run(ctx context.Context, h *Handler) error
	// Post sends a message to a channel, or a thread in it, and returns
	// the IDs of the platform messages it became (several when it had to
	// be split). A permanent failure (the channel is gone, the bot may not
	// post there) is returned as an error wrapping ErrChannelGone.
	Post(ctx context.Context, to Destination, m Message) ([]string, error)
}

// Replier posts the answer to one request where the request came from:
// the adapter's half of [Handler.Serve].
type Replier interface {
	// Reply posts m and returns where it went and the IDs of the platform
	// messages it became (several when it was split), which the bot
	// records so that "source 2" in reply to any of them finds its
	// bullets. An answer only its asker sees, or one sent where the
	// platform gives no IDs, returns none. IDs of the parts posted before
	// an error are returned with it.
	Reply(ctx context.Context, m Message) (Destination, []string, error)
}

// Caller is who made a request, as far as the bot's rights go; the adapter
// implements it for its platform. The bot asks only when the command or
// action needs the right (see [Right]), and at most once per request.
type Caller interface {
	// IsAdmin reports whether the caller may manage the channel the
	// request comes from: Manage Channels or the admin role on Discord, a
	// workspace admin on Slack, the person at the terminal on the console;
	// in a direct message with the bot, whether they may manage that
	// conversation. It may ask the platform; an error counts as no.
	IsAdmin(ctx context.Context) (bool, error)
}

// CallerFunc is a Caller from a function.
type CallerFunc func(ctx context.Context) (bool, error)

// IsAdmin calls f.
func (f CallerFunc) IsAdmin(ctx context.Context) (bool, error) { return f(ctx) }

// ErrChannelGone marks a post that can never succeed: the channel no longer
// exists, or the bot may not post in it. Its subscription is paused.
var ErrChannelGone = errors.New("channel gone or not writable")

// Destination is where a message goes.
type Destination struct {
	Platform string
	Channel  string
	Thread   string // post in this thread, or as a reply to this message
}

// Key is "platform:channel", the channel's name in logs and the store.
func (d Destination) Key() string { return d.Platform + ":" + d.Channel }

func (d Destination) String() string { return d.Key() }

// Request is a command, a mention or a click, decoded from what the
// platform received.
type Request struct {
	Platform string
	Channel  string
	User     string // the platform's user ID
	UserName string // for logs
	Command  string // "briefing", "subscribe", ...; empty for a mention
	Args     string // the command's text after its name, or the mention's text without the mention
	// Options are the command's options by name, when the platform types
	// them (Discord's slash commands): /subscribe reads them instead of
	// the words of Args. nil when Args is all there is.
	Options   map[string]string
	Mention   bool   // the bot was @-mentioned
	MessageID string // the request's own message, when it is one
	ReplyTo   string // the message this one replies to, or the thread it is in
	Caller    Caller // who asks, for the commands that need a right; nil is nobody's right
	DM        bool   // a direct message with the bot: only that conversation is the user's to change
	Space     string // the Discord server or Slack workspace the request comes from; "" in a Discord DM and on the console
	Click     string // a click on one of the bot's controls: the choice's ID (see Controls); ReplyTo is the message clicked
	Received  time.Time
}

// logAttrs name who made the request, and where, for logs of changes:
// the user's ID and name, the server or workspace, and the channel.
func (r Request) logAttrs() []any {
	return []any{"user", r.User, "user_name", r.UserName, "space", r.Space, "channel", r.Destination().Key()}
}

// Destination is where the reply to r goes.
func (r Request) Destination() Destination {
	return Destination{Platform: r.Platform, Channel: r.Channel}
}

// Kind says what a message is, so adapters can style it.
type Kind string

const (
	KindBriefing Kind = "briefing" // briefings of one or more articles, on request
	KindDigest   Kind = "digest"   // a scheduled digest
	KindAnswer   Kind = "answer"   // an answer to a question, with cited claims
	KindSources  Kind = "sources"  // where claims come from
	KindHelp     Kind = "help"
	KindInfo     Kind = "info"  // a confirmation or a short notice
	KindError    Kind = "error" // what went wrong, and how to do it right
)

// Message is what the bot says, independent of any platform's rendering.
// Adapters render it: plain text on the console, embeds on Discord, Block
// Kit on Slack. Text from articles and users is plain text; adapters
// escape it for their platform, so it can never ping anyone.
type Message struct {
	Kind    Kind
	Header  string  // a line above everything: "Daily digest · 08:00 Mon 2 Dec (Europe/Paris)"
	Title   string  // optional title
	Text    string  // paragraphs of plain text, separated by blank lines
	Stories []Story // briefings, digest entries, cited claims
	Footer  string  // a closing line: "3 more articles: ..." or "Reply “source 2” ..."
	Private bool    // show only to the person who asked, where the platform can
	// Controls are the buttons and menus under the message; the bot sets
	// them on briefings, digests and answers as it posts them.
	Controls *Controls
}

// Story is one article in a message: a briefing or the source of claims.
type Story struct {
	ArticleID string
	Headline  string
	URL       string
	Source    string // outlet
	Published time.Time
	File      string // the article's file or item name, when it has no URL
	Gist      string
	Bullets   []Bullet
	Context   string // for a source lookup: the sentences around the claim
	// StoryID is the story (see briefing.Grouper) the entry briefs, when
	// it briefs one across its articles; ArticleID is then its lead.
	StoryID string
	// Notes are lines about the story as a whole, shown after its
	// bullets: its outlets ("Reported by 3 outlets: …"), what is new in it
	// since it was posted, where outlets differ.
	Notes []string
}

// Bullet is one claim in a message.
type Bullet struct {
	N           int    // its number in the message, from 1: "source 2" refers to it
	Prefix      string // said before the text: "Ridgeline Works disputes this:"
	Text        string // the claim as shown, without quotation marks
	Quoted      bool   // verbatim words of the article: show in quotation marks
	Attribution string // who said it, how, through whom
	ArticleID   string // where it comes from, for "source?"
	ClaimIndex  int
	Sentence    string // for a source lookup: the exact source sentence
	// Also are the other articles that carry the same claim (a story's
	// claim told by several outlets): "source 2" shows each.
	Also []Carrier
}

// Carrier is an article's claim that carries a bullet.
type Carrier struct {
	ArticleID  string
	ClaimIndex int
}

// Line renders a bullet as one line of plain text: “quoted” or paraphrased
// text, then its attribution in parentheses.
func (b Bullet) Line() string {
	text := b.Text
	if b.Quoted {
		text = "“" + text + "”"
	}
	if b.Prefix != "" {
		text = b.Prefix + " " + text
	}
	if b.Attribution == "" {
		return text
	}
	return fmt.Sprintf("%s (%s)", text, b.Attribution)
}

// Bullets returns every bullet of the message, in order.
func (m Message) Bullets() []Bullet {
	var out []Bullet
	for _, s := range m.Stories {
		out = append(out, s.Bullets...)
	}
	return out
}
