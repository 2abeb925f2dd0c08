package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Command is one of the bot's commands, the same on every platform: how it
// is called, what it does, who may do it, and the method that answers it.
// Adapters register the commands (Discord's slash commands, Slack's
// manifest), /help lists them, and the bot dispatches on them and checks
// their rights.
type Command struct {
	Name        string
	Usage       string
	Description string // at most 100 characters (Discord's limit)
	Options     []Option
	// Right is who may run the command, unless the first word of its
	// arguments names one of its Actions.
	Right Right
	// Actions are the command's subcommands, named by the first word of
	// its arguments ("/feeds add <url>"), each with its own right.
	Actions []Action

	run func(*Bot, context.Context, Request) Message
}

// Option is a command's argument.
type Option struct {
	Name        string
	Description string
	Required    bool
	Choices     []string // the only values allowed, if any
}

// Action is a subcommand: the first word of a command's arguments.
type Action struct {
	Name  string
	Right Right
}

// Right says who may run a command or an action. The adapter's [Caller]
// answers for the person asking.
type Right int

const (
	// Anyone may.
	Anyone Right = iota
	// ManageChannel is for what changes the channel it is asked in (its
	// digest): someone who may manage that channel; in a direct message
	// with the bot, whoever the platform says manages that conversation.
	ManageChannel
	// ManageSources is for what changes what the bot reads for a space
	// (its feeds): someone who may manage the channel they ask in, for
	// the space the channel is in, never another. In a Discord direct
	// message with the bot, which is a space of its own, its user; in a
	// Slack direct message, which is in its workspace, a workspace admin,
	// as in any channel; never where the platform does not say which space
	// the request comes from.
	ManageSources
)

// commandTable is every command of the bot, built once by init (a
// variable's initializer could not name the methods, which name the table
// through cmdHelp) and only read after: Lookup runs at every request,
// and building the table each time was a twentieth of the bytes an /ask
// allocated. Readers must not change it; Commands and Lookup hand out
// copies.
var commandTable []Command

func init() { commandTable = buildCommands() }

// Commands lists every command of the bot, in the order /help shows them:
// a copy of the table, which the caller may change.
func Commands() []Command {
	out := make([]Command, len(commandTable))
	for i, c := range commandTable {
		out[i] = c.clone()
	}
	return out
}

// clone is a copy of c that shares no slice with it.
func (c Command) clone() Command {
	c.Options = slices.Clone(c.Options)
	for i := range c.Options {
		c.Options[i].Choices = slices.Clone(c.Options[i].Choices)
	}
	c.Actions = slices.Clone(c.Actions)
	return c
}

// buildCommands builds the command table. Adding a command is adding it
// here.
func buildCommands() []Command {
	feedsActions := []Action{{Name: "list"}, {Name: "add", Right: ManageSources}, {Name: "remove", Right: ManageSources}}
	return []Command{
		{
			Name: "briefing", Usage: "/briefing [article or topic]",
			Description: "A briefing now: the newest articles, or those about a topic",
			Options:     []Option{{Name: "topic", Description: "An article ID or headline words, or a topic"}},
			run:         (*Bot).cmdBriefing,
		},
		{
			Name: "story", Usage: "/story [bullet number or words]",
			Description: "A story across outlets: who reports it, how each tells it, who disputes what",
			Options:     []Option{{Name: "story", Description: "A bullet number of my last post here, or words of the story's headline"}},
			run:         (*Bot).cmdStory,
		},
		{
			Name: "ask", Usage: "/ask <question>",
			Description: "Answer a question from the articles, citing who said what and where",
			Options:     []Option{{Name: "question", Description: "A question about the news, such as: what did Hamas say about the election?", Required: true}},
			run:         (*Bot).cmdAsk,
		},
		{
			Name: "source", Usage: "/source [bullet number or words of a claim]",
			Description: "Where a claim comes from: its article, exact sentence, speaker and context",
			Options:     []Option{{Name: "claim", Description: "A bullet number of my last briefing here, or a few words of the claim"}},
			run:         (*Bot).cmdSource,
		},
		{
			Name: "claims", Usage: "/claims <speaker>",
			Description: "What a person or group said, across all articles",
			Options:     []Option{{Name: "speaker", Description: "A name or group, such as Naim or Hamas officials", Required: true}},
			run:         (*Bot).cmdClaims,
		},
		{
			Name: "subscribe", Right: ManageChannel,
			Usage:       "/subscribe <schedule or live> [time zone] [feeds: <numbers or URLs>] [include: <words>] [exclude: <words>] [regex: <expression>]",
			Description: "Post a digest on a schedule, or each new story live, of chosen feeds and topics",
			Options: []Option{
				{Name: "schedule", Description: `A cron schedule such as "0 8 * * *" (08:00 daily) or "@daily", or live`, Required: true},
				{Name: "timezone", Description: "An IANA time zone such as Europe/Paris (default UTC)"},
				{Name: "feeds", Description: "Only these feeds: their numbers in /feeds list or URLs (default: all)"},
				{Name: "include", Description: `Words or "phrases", any of which a story must have (+must, -must not)`},
				{Name: "exclude", Description: `Words or "phrases" a story must not have`},
				{Name: "regex", Description: "An RE2 regular expression a story must match"},
			},
			run: (*Bot).cmdSubscribe,
		},
		{
			Name: "unsubscribe", Usage: "/unsubscribe", Right: ManageChannel,
			Description: "Stop posting the digest in this channel",
			run:         (*Bot).cmdUnsubscribe,
		},
		{
			Name: "schedule", Usage: "/schedule [test]",
			Description: "This channel's schedule, feeds and filter; test: which of the latest stories pass",
			Options:     []Option{{Name: "action", Description: "show (the default), or test on the latest 20 stories", Choices: []string{"show", "test"}}},
			run:         (*Bot).cmdSchedule,
		},
		{
			Name: "feeds", Usage: "/feeds list | add <url> | remove <url>",
			Description: "The feeds this server or workspace reads; adding or removing one needs channel managers",
			Options: []Option{
				{Name: "action", Description: "list, add or remove", Choices: actionNames(feedsActions)},
				{Name: "url", Description: "The feed's address, for add and remove"},
			},
			Actions: feedsActions,
			run:     (*Bot).cmdFeeds,
		},
		{
			Name: "help", Usage: "/help",
			Description: "What briefbot can do",
			run:         (*Bot).cmdHelp,
		},
	}
}

func actionNames(actions []Action) []string {
	names := make([]string, len(actions))
	for i, a := range actions {
		names[i] = a.Name
	}
	return names
}

// Lookup returns the command named name: a copy, which the caller may
// change.
func Lookup(name string) (Command, bool) {
	if c := lookup(name); c != nil {
		return c.clone(), true
	}
	return Command{}, false
}

// lookup is the command named name in the table, nil if there is none:
// Lookup without the copy, for readers in this package.
func lookup(name string) *Command {
	for i := range commandTable {
		if commandTable[i].Name == name {
			return &commandTable[i]
		}
	}
	return nil
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
	if lookup(word) == nil {
		return "", "", false
	}
	return word, rest, true
}

// Refuses reports whether the bot refuses req from a caller who is (admin)
// or is not an admin of the channel: because of who asks, or from where.
// It asks nothing of anyone, so adapters that must choose before answering
// whether the answer is private (Discord's acknowledgement) call it with
// what they know: Refuses(req, true) is a refusal whoever asks.
func Refuses(req Request, admin bool) bool { return refusal(req, admin) != "" }

// needsAdmin reports whether req needs a right of its caller.
func needsAdmin(req Request) bool {
	right, _ := rightOf(req)
	return right != Anyone
}

// refusal says why a caller who is (admin) or is not an admin may not make
// req, or "" if they may.
func refusal(req Request, admin bool) string {
	right, what := rightOf(req)
	_, known := req.space()
	switch {
	case right == ManageSources && !known:
		return fmt.Sprintf("Sorry, I can't tell which server or workspace this comes from, so %s cannot change its feeds from here.", what)
	case right == ManageSources && !admin:
		return fmt.Sprintf("Sorry, %s changes the feeds %s reads, so it needs someone who can manage the channel (or has the bot's admin role).", what, req.spaceNoun())
	case right == ManageChannel && !admin:
		return fmt.Sprintf("Sorry, %s changes this channel, so it needs someone who can manage the channel (or has the bot's admin role).", what)
	}
	return ""
}

// rightOf is the right req needs, by the command table (its action's if
// it names one, else its command's; a click's, the command's it stands
// for), and how a refusal names what it asked: "/subscribe", "/feeds add",
// "“Stop these”".
func rightOf(req Request) (Right, string) {
	if req.Click != "" {
		return rightOfClick(req.Click)
	}
	name, args := req.command()
	c := lookup(name)
	if c == nil {
		return Anyone, ""
	}
	if a, ok := c.action(args); ok {
		return a.Right, "/" + c.Name + " " + a.Name
	}
	return c.Right, "/" + c.Name
}

// action is the action the first word of args names, in any case.
func (c Command) action(args string) (Action, bool) {
	word := firstWord(args)
	for _, a := range c.Actions {
		if a.Name == word {
			return a, true
		}
	}
	return Action{}, false
}

// firstWord is the first word of args, in lower case.
func firstWord(args string) string {
	word, _, _ := strings.Cut(strings.TrimSpace(args), " ")
	return strings.ToLower(word)
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
