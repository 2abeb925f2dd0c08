package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Platform is a chat platform: the console, Discord, Slack. An adapter
// translates between the platform and the bot and nothing more; commands,
// answers, schedules and delivery are the bot's.
type Platform interface {
	// Name is the platform's name in channel keys and the store:
	// "console", "discord", "slack".
	Name() string
	// Run connects to the platform and passes every command and mention
	// to h until ctx is done or the platform ends (the console at end of
	// input). An adapter acknowledges an interaction at once where the
	// platform demands it (Discord and Slack within 3 seconds), calls
	// h.Handle, posts the reply, and reports it with h.Sent.
	Run(ctx context.Context, h Handler) error
	// Post sends a message to a channel, or a thread in it, and returns
	// the IDs of the platform messages it became (several when it had to
	// be split). A permanent failure (the channel is gone, the bot may not
	// post there) is returned as an error wrapping ErrChannelGone.
	Post(ctx context.Context, to Destination, m Message) ([]string, error)
}

// Handler is what a platform calls: the bot.
type Handler interface {
	// Handle answers a command or mention. It never fails: errors become a
	// Message of kind KindError that says what went wrong.
	Handle(ctx context.Context, req Request) Message
	// Sent tells the bot which platform messages carried a reply, so that
	// a later "source?" on one of them can be answered.
	Sent(ctx context.Context, to Destination, ids []string, m Message)
}

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

// Request is a command or a mention, as the platform received it.
type Request struct {
	Platform  string
	Channel   string
	User      string // the platform's user ID
	UserName  string // for logs
	Command   string // "briefing", "subscribe", ...; empty for a mention
	Args      string // the command's text after its name, or the mention's text without the mention
	Mention   bool   // the bot was @-mentioned
	MessageID string // the request's own message, when it is one
	ReplyTo   string // the message this one replies to, or the thread it is in
	Admin     bool   // may manage this channel's subscription and the feeds
	DM        bool   // a direct message with the bot: only that conversation is the user's to change
	Space     string // the Discord server or Slack workspace the request comes from; "" in a Discord DM and on the console
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
	Related   []string // headlines of other articles on the same story
	Context   string   // for a source lookup: the sentences around the claim
}

// Bullet is one claim in a message.
type Bullet struct {
	N           int    // its number in the message, from 1: "source 2" refers to it
	Text        string // the claim as shown, without quotation marks
	Quoted      bool   // verbatim words of the article: show in quotation marks
	Attribution string // who said it, how, through whom
	ArticleID   string // where it comes from, for "source?"
	ClaimIndex  int
	Sentence    string // for a source lookup: the exact source sentence
}

// Line renders a bullet as one line of plain text: “quoted” or paraphrased
// text, then its attribution in parentheses.
func (b Bullet) Line() string {
	text := b.Text
	if b.Quoted {
		text = "“" + text + "”"
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
