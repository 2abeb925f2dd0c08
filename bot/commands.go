package bot

import (
	"fmt"
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

// NeedsAdmin reports whether req changes something that takes the admin
// right (Manage Channels or the bot's admin role): an admin command, or
// adding or removing a feed, which changes what the bot reads for every
// channel.
func NeedsAdmin(req Request) bool {
	name, args := req.command()
	spec, ok := Spec(name)
	return ok && (spec.Admin || changesShared(name, args))
}

// Refused reports whether the bot refuses req because of who asks, or from
// where: adapters use it to keep a certain refusal private from the start.
func Refused(req Request) bool { return refusal(req) != "" }

// refusal says why req's author may not make it, or "" if they may. In a
// direct message the user manages that conversation alone, never what
// others see, whatever rights they have elsewhere.
func refusal(req Request) string {
	name, args := req.command()
	spec, _ := Spec(name)
	switch shared := changesShared(name, args); {
	case shared && req.DM:
		return fmt.Sprintf("Sorry, /feeds %s changes what I read for every channel, so it cannot be done from a direct message. Ask someone who manages a channel to run it there.", feedsAction(args))
	case shared && !req.Admin:
		return fmt.Sprintf("Sorry, /feeds %s changes what I read for everyone, so it needs someone who can manage the channel (or has the bot's admin role).", feedsAction(args))
	case spec.Admin && !req.Admin:
		return fmt.Sprintf("Sorry, /%s changes this channel, so it needs someone who can manage the channel (or has the bot's admin role).", name)
	}
	return ""
}

// command is the command req makes and its arguments; a mention is read as
// the command written after it, if any.
func (r Request) command() (name, args string) {
	if !r.Mention {
		return r.Command, r.Args
	}
	name, args, _ = ParseCommand(r.Args)
	return name, args
}

// changesShared reports whether the command changes what every channel
// sees: /feeds add and /feeds remove.
func changesShared(name, args string) bool {
	if name != "feeds" {
		return false
	}
	action := feedsAction(args)
	return action == "add" || action == "remove"
}

// feedsAction is the first word of /feeds' arguments, in lower case.
func feedsAction(args string) string {
	action, _, _ := strings.Cut(strings.TrimSpace(args), " ")
	return strings.ToLower(action)
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
