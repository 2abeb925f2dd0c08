package bot

import (
	"strings"
	"unicode"
)

// CommandSpec describes a command, the same on every platform. Adapters
// register these (Discord slash commands, Slack's manifest) and /help lists
// them.
type CommandSpec struct {
	Name        string
	Usage       string
	Description string // at most 100 characters (Discord's limit)
	Options     []Option
	Admin       bool // changes the channel: needs Manage Channels or the admin role
}

// Option is a command's argument.
type Option struct {
	Name        string
	Description string
	Required    bool
	Choices     []string // the only values allowed, if any
}

// Commands lists every command of the bot, in the order /help shows them.
var Commands = []CommandSpec{
	{
		Name: "briefing", Usage: "/briefing [article or topic]",
		Description: "A briefing now: the newest articles, or those about a topic",
		Options:     []Option{{Name: "topic", Description: "An article ID or headline words, or a topic"}},
	},
	{
		Name: "ask", Usage: "/ask <question>",
		Description: "Answer a question from the articles, citing who said what and where",
		Options:     []Option{{Name: "question", Description: "A question about the news, such as: what did Hamas say about the election?", Required: true}},
	},
	{
		Name: "source", Usage: "/source [bullet number or words of a claim]",
		Description: "Where a claim comes from: its article, exact sentence, speaker and context",
		Options:     []Option{{Name: "claim", Description: "A bullet number of my last briefing here, or a few words of the claim"}},
	},
	{
		Name: "claims", Usage: "/claims <speaker>",
		Description: "What a person or group said, across all articles",
		Options:     []Option{{Name: "speaker", Description: "A name or group, such as Naim or Hamas officials", Required: true}},
	},
	{
		Name: "subscribe", Usage: "/subscribe <schedule> [time zone]", Admin: true,
		Description: "Post the digest of new articles in this channel on a cron schedule",
		Options: []Option{
			{Name: "schedule", Description: `A cron schedule such as "0 8 * * *" (08:00 daily) or "@daily"`, Required: true},
			{Name: "timezone", Description: "An IANA time zone such as Europe/Paris (default UTC)"},
		},
	},
	{
		Name: "unsubscribe", Usage: "/unsubscribe", Admin: true,
		Description: "Stop posting the digest in this channel",
	},
	{
		Name: "schedule", Usage: "/schedule",
		Description: "This channel's digest schedule and its next three run times",
	},
	{
		Name: "feeds", Usage: "/feeds list | add <url> | remove <url>",
		Description: "The RSS and Atom feeds I read; adding or removing one needs channel managers",
		Options: []Option{
			{Name: "action", Description: "list, add or remove", Choices: []string{"list", "add", "remove"}},
			{Name: "url", Description: "The feed's address, for add and remove"},
		},
	},
	{
		Name: "help", Usage: "/help",
		Description: "What briefbot can do",
	},
}

// Spec returns the command named name.
func Spec(name string) (CommandSpec, bool) {
	for _, c := range Commands {
		if c.Name == name {
			return c, true
		}
	}
	return CommandSpec{}, false
}

// ParseCommand splits a typed command: "/subscribe 0 8 * * * Europe/Paris"
// gives "subscribe" and "0 8 * * * Europe/Paris". The slash is optional, so
// Slack's "/briefbot subscribe ..." text and a mention's "briefing Gaza"
// parse too. ok is false when the first word is not a command.
func ParseCommand(text string) (name, args string, ok bool) {
	text = strings.TrimSpace(text)
	text = strings.TrimPrefix(text, "/")
	i := strings.IndexFunc(text, unicode.IsSpace)
	word, rest := text, ""
	if i >= 0 {
		word, rest = text[:i], strings.TrimSpace(text[i:])
	}
	word = strings.ToLower(word)
	if _, ok := Spec(word); !ok {
		return "", "", false
	}
	return word, rest, true
}
