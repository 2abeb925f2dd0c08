package bot

// What a channel gets: /subscribe (when, or live; which feeds; which
// stories), /unsubscribe and /schedule (the channel's choices, and a test
// of them on the latest stories).

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/briefbot/briefbot/bot/filter"
	"github.com/briefbot/briefbot/bot/schedule"
	"github.com/briefbot/briefbot/feeds"
	"github.com/briefbot/briefbot/internal/textutil"
	"github.com/briefbot/briefbot/store"
)

// optionKey finds the options typed after /subscribe's schedule: "feeds:",
// "include:" (or "filter:"), "exclude:" and "regex:", each starting a word.
var optionKey = regexp.MustCompile(`(?i)(?:^|\s)(feeds|include|filter|exclude|regex):`)

// subscribeOptions reads what /subscribe was given, by option name
// ("schedule", "timezone", "feeds", "include", "exclude", "regex"): the
// typed options as they are (Discord), else the words typed (Slack, the
// console, a mention): the schedule and its time zone, then each option
// after its key, up to the next key.
func subscribeOptions(req Request) map[string]string {
	opts := map[string]string{}
	if req.Options != nil {
		for k, v := range req.Options {
			opts[k] = strings.TrimSpace(v)
		}
		return opts
	}
	args := req.Args
	locs := optionKey.FindAllStringSubmatchIndex(args, -1)
	head := args
	if len(locs) > 0 {
		head = args[:locs[0][0]]
	}
	if word, rest, _ := strings.Cut(strings.TrimSpace(head), " "); strings.EqualFold(word, store.LiveSpec) {
		opts["schedule"], opts["timezone"] = store.LiveSpec, strings.TrimSpace(rest)
	} else {
		opts["schedule"], opts["timezone"] = splitSchedule(head)
	}
	for i, l := range locs {
		key := strings.ToLower(args[l[2]:l[3]])
		if key == "filter" {
			key = "include"
		}
		end := len(args)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		opts[key] = strings.TrimSpace(opts[key] + " " + strings.TrimSpace(args[l[1]:end]))
	}
	return opts
}

const subscribeExamples = "For example:\n" +
	"/subscribe 0 8 * * * Europe/Paris — the digest at 08:00 every day, Paris time\n" +
	"/subscribe live include: climate \"heat pump\" exclude: football — each new story about climate or heat pumps as it arrives, none about football\n" +
	"/subscribe @daily feeds: 1 3 — a daily digest of feeds 1 and 3 of /feeds list"

// filterHelp says how filters are written.
const filterHelp = "include: words or \"quoted phrases\", any of which a story must have (+word: must have; -word: must not; headline:word, speaker:name); " +
	"exclude: words or phrases it must not have; regex: one RE2 regular expression it must match (-re:/…/ in include: for one it must not). " +
	"Words match whole words in the headline, the text and the speakers' names, in any case, plurals included."

// choice is what /subscribe asks for.
type choice struct {
	sch    *schedule.Schedule // nil for live
	feeds  []string
	filter *filter.Filter // nil for none
}

// spec is the subscription's Spec: the schedule's, or store.LiveSpec.
func (c choice) spec() string {
	if c.sch == nil {
		return store.LiveSpec
	}
	return c.sch.Spec
}

// choose reads the choice a /subscribe request makes, or says what is
// wrong with it.
func (b *Bot) choose(ctx context.Context, req Request) (choice, *Message) {
	opts := subscribeOptions(req)
	var c choice
	spec, tz := opts["schedule"], opts["timezone"]
	switch {
	case spec == "":
		return c, &Message{Kind: KindError, Text: "Tell me when to post: a cron schedule with an optional time zone, or live for each story as it comes.\n" +
			subscribeExamples + "\nSchedules look like " + schedule.Example + "."}
	case strings.EqualFold(spec, store.LiveSpec):
		if tz != "" {
			return c, &Message{Kind: KindError, Text: fmt.Sprintf("Live posts have no schedule, so they need no time zone (“%s”). Try /subscribe live", tz)}
		}
	default:
		if tz == "" {
			tz = "UTC"
		}
		sch, err := schedule.Parse(spec, tz)
		if err != nil {
			return c, &Message{Kind: KindError, Text: fmt.Sprintf("I can't use that schedule: %v.\nTry %s, with an optional IANA time zone such as Europe/Paris, or live.", err, schedule.Example)}
		}
		if tooOften(req.Destination(), sch) {
			return c, &Message{Kind: KindError, Text: "That schedule fires more than once a minute; the most often I post in a chat channel is once a minute. Try \"*/15 * * * *\" (every 15 minutes), \"0 8 * * *\" (08:00 daily), or live for each story as it comes."}
		}
		c.sch = sch
	}
	var bad *Message
	if c.feeds, bad = b.chooseFeeds(ctx, req, opts["feeds"]); bad != nil {
		return c, bad
	}
	if opts["include"]+opts["exclude"]+opts["regex"] != "" {
		f, err := filter.FromOptions(opts["include"], opts["exclude"], opts["regex"])
		if err != nil {
			return c, &Message{Kind: KindError, Text: fmt.Sprintf("I can't use that filter: %v.\nFilters: %s", err, filterHelp)}
		}
		if f.String() != "" {
			c.filter = f
		}
	}
	return c, nil
}

// chooseFeeds reads the feeds a subscription chose: addresses or numbers
// of /feeds list, separated by spaces or commas, among the feeds the
// request's space reads; none, or "all", for every source of the space.
func (b *Bot) chooseFeeds(ctx context.Context, req Request, text string) ([]string, *Message) {
	words := strings.FieldsFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
	if len(words) == 0 || len(words) == 1 && strings.EqualFold(words[0], "all") {
		return nil, nil
	}
	if b.cfg.Feeds == nil {
		return nil, &Message{Kind: KindError, Text: "Feeds are not enabled in this bot, so there are none to choose."}
	}
	space, _ := req.space()
	list, err := b.cfg.Feeds.List(ctx, space)
	if err != nil {
		b.log.Error("bot: list feeds", "err", err)
		return nil, &Message{Kind: KindError, Text: "I could not read the feed list just now. Please try again."}
	}
	var chosen []string
	for _, w := range words {
		url := ""
		if n, err := strconv.Atoi(strings.TrimPrefix(w, "#")); err == nil {
			if n >= 1 && n <= len(list) {
				url = list[n-1].URL
			}
		} else if u, err := feeds.Normalize(w); err == nil {
			for _, f := range list {
				if f.URL == u {
					url = u
				}
			}
		}
		if url == "" {
			return nil, &Message{Kind: KindError, Text: fmt.Sprintf("“%s” is not one of the feeds %s reads. Give their numbers or addresses as /feeds list shows them (add a feed first with /feeds add <url>).",
				clip(w, 200), req.spaceNoun())}
		}
		if !slices.Contains(chosen, url) {
			chosen = append(chosen, url)
		}
	}
	return chosen, nil
}

// cmdSubscribe answers /subscribe <schedule or live> [time zone] [feeds:
// ...]: it saves the channel's choice, which replaces the one before.
func (b *Bot) cmdSubscribe(ctx context.Context, req Request) Message {
	c, bad := b.choose(ctx, req)
	if bad != nil {
		return *bad
	}
	dest := req.Destination()
	space, known := req.space()
	sub := store.Subscription{Platform: dest.Platform, Channel: dest.Channel, Space: space, Spec: c.spec(), TZ: "UTC",
		Feeds: c.feeds, Filter: c.filter.String(), CreatedAt: b.cfg.Now()}
	if c.sch != nil {
		sub.TZ = c.sch.Loc.String()
	}
	if err := b.store.Subscribe(ctx, sub); err != nil {
		b.log.Error("bot: subscribe", "channel", dest.Key(), "err", err)
		return errorMessage("I could not save the subscription just now. Please try again.")
	}
	if c.sch == nil {
		b.sched.remove(dest) // live: no schedule
	} else {
		b.sched.set(dest, c.sch, false, &route{space: space, known: known, sub: true, feeds: c.feeds, filter: c.filter})
	}
	b.log.Info("bot: subscribed", append(append([]any{"schedule", sub.Spec, "tz", sub.TZ}, req.logAttrs()...), "feeds", sub.Feeds, "filter", sub.Filter)...)
	text := "Subscribed. " + b.describe(ctx, req, sub)
	if c.sch != nil {
		text += fmt.Sprintf("\nNext: %s.", formatTimes(c.sch.NextN(b.cfg.Now(), 3)))
	}
	return Message{Kind: KindInfo, Text: text}
}

// describe says in words what the subscription gives the channel.
func (b *Bot) describe(ctx context.Context, req Request, sub store.Subscription) string {
	var sb strings.Builder
	if sub.Spec == store.LiveSpec {
		fmt.Fprintf(&sb, "This channel gets each new story as it arrives (live): at most %d in any %d minutes, and one line for the rest.", b.cfg.LiveCatchup, int(liveWindow.Minutes()))
	} else {
		fmt.Fprintf(&sb, "This channel gets the digest of new articles on “%s” (%s).", sub.Spec, sub.TZ)
	}
	if len(sub.Feeds) == 0 {
		fmt.Fprintf(&sb, "\nFrom: every source %s reads.", req.spaceNoun())
	} else {
		sb.WriteString("\nFrom: " + b.feedNames(ctx, req, sub.Feeds) + ".")
	}
	if sub.Filter == "" {
		sb.WriteString("\nFilter: none, every story.")
	} else {
		sb.WriteString("\nFilter: " + sub.Filter)
	}
	return sb.String()
}

// feedNames names the feeds by their titles where known.
func (b *Bot) feedNames(ctx context.Context, req Request, urls []string) string {
	titles := map[string]string{}
	if b.cfg.Feeds != nil {
		space, _ := req.space()
		if list, err := b.cfg.Feeds.List(ctx, space); err == nil {
			for _, f := range list {
				titles[f.URL] = f.Title
			}
		}
	}
	names := make([]string, len(urls))
	for i, u := range urls {
		title, ok := titles[u]
		switch {
		case !ok:
			names[i] = u + " (no longer followed here)"
		case title != "":
			names[i] = title + " — " + u
		default:
			names[i] = u
		}
	}
	return strings.Join(names, "; ")
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

// cmdUnsubscribe answers /unsubscribe.
func (b *Bot) cmdUnsubscribe(ctx context.Context, req Request) Message {
	dest := req.Destination()
	err := b.store.Unsubscribe(ctx, dest.Platform, dest.Channel)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if b.isConfigured(dest) {
			return Message{Kind: KindInfo, Text: "This channel gets the digest from the bot's configuration (BRIEFING_CHANNELS), not from /subscribe; whoever runs the bot can change that."}
		}
		return Message{Kind: KindInfo, Text: "This channel has no subscription, so there is nothing to stop."}
	case err != nil:
		b.log.Error("bot: unsubscribe", "channel", dest.Key(), "err", err)
		return errorMessage("I could not remove the subscription just now. Please try again.")
	}
	b.sched.remove(dest)
	b.log.Info("bot: unsubscribed", req.logAttrs()...)
	if b.isConfigured(dest) {
		b.sched.set(dest, b.defaultSchedule(), true, &route{})
		return Message{Kind: KindInfo, Text: "Unsubscribed. This channel is also in the bot's configuration (BRIEFING_CHANNELS), so it keeps getting the default digest."}
	}
	return Message{Kind: KindInfo, Text: "Unsubscribed. This channel will get no more digests or live posts."}
}

// cmdSchedule answers /schedule (the channel's choices) and /schedule test
// (which of the latest stories they let through, and why not).
func (b *Bot) cmdSchedule(ctx context.Context, req Request) Message {
	dest := req.Destination()
	sub, err := b.store.Subscription(ctx, dest.Platform, dest.Channel)
	switch {
	case errors.Is(err, fs.ErrNotExist) && b.isConfigured(dest):
		space, _ := req.space()
		sub = store.Subscription{Platform: dest.Platform, Channel: dest.Channel, Space: space, Spec: b.cfg.Schedule, TZ: b.cfg.TZ}
	case errors.Is(err, fs.ErrNotExist):
		return Message{Kind: KindInfo, Text: "This channel has no digest schedule and no live posts. Subscribe with /subscribe. " + subscribeExamples}
	case err != nil:
		b.log.Error("bot: schedule", "channel", dest.Key(), "err", err)
		return errorMessage("I could not read this channel's schedule just now. Please try again.")
	}
	switch action := firstWord(req.Args); action {
	case "", "show":
	case "test":
		return b.testChoice(ctx, req, sub)
	default:
		return errorMessage(fmt.Sprintf("I don't know “/schedule %s”. Use /schedule to see this channel's choices, or /schedule test to try them on the latest stories.", clip(action, 40)))
	}
	text := b.describe(ctx, req, sub)
	if sub.Spec != store.LiveSpec {
		sch, err := schedule.Parse(sub.Spec, sub.TZ)
		if err != nil {
			return errorMessage(fmt.Sprintf("This channel's saved schedule “%s” no longer parses (%v); subscribe again.", sub.Spec, err))
		}
		text += fmt.Sprintf("\nNext runs: %s.", formatTimes(sch.NextN(b.cfg.Now(), 3)))
		if last, err := b.store.LastDelivery(ctx, dest.Platform, dest.Channel); err == nil {
			text += "\nLast digest: " + formatTime(last.Time.In(sch.Loc)) + "."
		}
	}
	if sub.Paused {
		text += fmt.Sprintf("\nIt is paused: %s. Subscribe again to resume.", sub.PauseReason)
	}
	text += "\nTry these choices on the latest stories: /schedule test"
	return Message{Kind: KindInfo, Text: text}
}

// testSize is how many of the latest stories /schedule test tries.
const testSize = 20

// testChoice says which of the latest stories the space sees the
// subscription lets through, and why the others are not.
func (b *Bot) testChoice(ctx context.Context, req Request, sub store.Subscription) Message {
	space, _ := req.space()
	arts, err := b.store.LatestArticles(ctx, space, testSize)
	if err != nil {
		b.log.Error("bot: schedule test", "err", err)
		return errorMessage("I could not read my articles just now. Please try again in a moment.")
	}
	if len(arts) == 0 {
		return Message{Kind: KindInfo, Text: fmt.Sprintf("%s has no stories yet to try the choices on.", textutil.UpperFirst(req.spaceNoun()))}
	}
	ids := make([]string, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	stories, err := b.stories(ctx, ids)
	if err != nil {
		b.log.Error("bot: schedule test", "err", err)
		return errorMessage("I could not read my articles just now. Please try again in a moment.")
	}
	rt := b.routeOf(sub)
	var lines []string
	passed := 0
	for _, a := range arts {
		st := stories[a.ID]
		if st == nil {
			continue
		}
		ok, why := rt.explain(st)
		mark := "✗"
		if ok {
			mark, passed = "✓", passed+1
		}
		lines = append(lines, fmt.Sprintf("%s %s — %s", mark, clip(textutil.OneLine(st.r.Headline), 120), why))
	}
	return Message{Kind: KindInfo, Title: "Test of this channel's choices",
		Text: fmt.Sprintf("Of the latest %d %s %s reads, %d would reach this channel:\n%s",
			len(lines), textutil.Plural(len(lines), "story", "stories"), req.spaceNoun(), passed, strings.Join(lines, "\n"))}
}
