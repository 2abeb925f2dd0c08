// Package bot is briefbot's platform-neutral core. A [Bot] runs on a store
// and any number of platforms: it holds the table of [Commands] and who
// may run them ([Right]), answers commands, mentions and clicks on the
// buttons under its posts ([Controls]), runs the life of every request
// ([Handler]: time limit, panics, rights, posting, recording the bullets
// posted), and delivers scheduled digests and live posts exactly once, and
// feed alerts once.
//
// Everything is for a space (spaces.go): a Discord server, a Slack
// workspace, a Discord direct message or the console, named from the
// request (Request.Space, Request.DM). A space sees the global sources and
// its own feeds only; a channel's subscription chooses its schedule or
// live, its feeds and its topic filter (bot/filter), which its route
// applies (route.go).
//
// A platform is an adapter implementing [Platform] (bot/console,
// bot/discord, bot/slack). A new one needs:
//
//   - Run: connect, decode what arrives into a [Request] whose [Caller]
//     says whether the person asking may manage the channel, acknowledge
//     it if the platform demands, and hand it to [Handler.Serve] with a
//     [Replier];
//   - decode a click on one of the message's [Controls] into a [Request]
//     whose Click is the choice's ID, served the same way;
//   - the Replier: render a [Message], with its Controls as the
//     platform's buttons and menus, and post it where the request came
//     from, returning the IDs of the messages it became;
//   - Post: render a message and post it to a channel (digests), a channel
//     that is gone reported with [ErrChannelGone];
//   - Name;
//   - optionally, [SpaceFinder]: which space a channel is in, for the
//     channels the bot posts to without a request from them (without it,
//     those see the global sources only).
package bot

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/store"
)

// Config is what the bot needs to know beyond its store and platforms.
type Config struct {
	Schedule  string        // BRIEFING_SCHEDULE, for Channels
	TZ        string        // BRIEFING_TZ
	Channels  []Destination // BRIEFING_CHANNELS: channels with the default schedule
	Catchup   time.Duration // CATCHUP_WINDOW
	SkipEmpty bool          // BRIEFING_SKIP_EMPTY
	Digest    briefing.DigestOptions
	Brief     briefing.Options // how stories are briefed (BRIEFING_MAX_WORDS)
	Owner     string           // names this process (REPLICA_ID) in the ledgers and its replica lease
	Now       func() time.Time // the clock; nil means time.Now
	Feeds     Feeds            // the feed manager for /feeds; nil disables it
	// LiveCatchup (LIVE_CATCHUP) is the most stories posted to a live
	// channel in any 10 minutes, after downtime or in a burst; the rest are
	// summed up in one line. Zero means 5.
	LiveCatchup int
	// LiveSummaryDelay (LIVE_SUMMARY_DELAY) is how long after the last
	// story it skipped a live channel gets its summary line: the burst is
	// over. Zero means a minute.
	LiveSummaryDelay time.Duration
	// Watch is how often the bot looks for new stories to post live and
	// feed alerts to tell; zero means 2 s.
	Watch time.Duration
	// LeaseTTL (LEASE_TTL) is how long the bot's replica lease lasts
	// unless renewed: within this time after a replica dies, the others
	// know it, and report what it left unfinished. Zero means 30 s.
	LeaseTTL time.Duration
}

// Bot answers commands and mentions and delivers scheduled digests.
type Bot struct {
	cfg       Config
	store     *store.Store
	log       *slog.Logger
	platforms map[string]Platform
	finders   map[string]SpaceFinder // the platforms that can tell a channel's space
	handler   *Handler
	sched     *scheduler
	liveSeen  int64                     // the latest arrival the live posts have looked at; only watch uses it
	started   time.Time                 // when Run began
	checked   time.Time                 // when watch last looked for work other replicas left unfinished
	unsummed  map[Destination]time.Time // live channels with stories skipped and not summed up yet, and when the last was; only watch uses it
	filters   filterCache

	// reserveSlot is store.ReserveSlot; tests replace it.
	reserveSlot func(ctx context.Context, platform, channel string, slot time.Time, owner string, now time.Time) (bool, error)
}

// New makes a bot on a store and the given platforms.
func New(cfg Config, st *store.Store, log *slog.Logger, platforms ...Platform) *Bot {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Owner == "" {
		cfg.Owner = "briefbot"
	}
	if cfg.LiveCatchup <= 0 {
		cfg.LiveCatchup = 5
	}
	if cfg.LiveSummaryDelay <= 0 {
		cfg.LiveSummaryDelay = time.Minute
	}
	if cfg.Watch <= 0 {
		cfg.Watch = 2 * time.Second
	}
	if cfg.LeaseTTL <= 0 {
		cfg.LeaseTTL = 30 * time.Second
	}
	b := &Bot{cfg: cfg, store: st, log: log, platforms: map[string]Platform{}, finders: map[string]SpaceFinder{},
		unsummed: map[Destination]time.Time{}, reserveSlot: st.ReserveSlot}
	for _, p := range platforms {
		b.platforms[p.Name()] = visiblePlatform{p}
		if f, ok := p.(SpaceFinder); ok {
			b.finders[p.Name()] = f
		}
	}
	b.handler = &Handler{Answer: b.handle, Record: b.record, Log: log}
	b.sched = newScheduler(b)
	return b
}

// Run starts the scheduler and every platform, and returns when ctx is
// done or a platform ends (the console at the end of its input). A
// platform that fails to start (a bad token) stops the bot with its error.
func (b *Bot) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	b.started = b.cfg.Now()
	alive := make(chan struct{})
	go func() {
		defer close(alive)
		b.holdReplicaLease(ctx)
	}()
	defer func() { <-alive }()
	if err := b.startLive(ctx); err != nil {
		return err
	}
	if err := b.sched.start(ctx); err != nil {
		return err
	}
	defer b.sched.stop()
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		b.watch(ctx)
	}()
	defer func() { <-watched }() // after cancel: live posts under way finish

	errc := make(chan error, len(b.platforms))
	for _, p := range b.platforms {
		go func() {
			err := p.Run(ctx, b.handler) // adapters' errors name their platform
			if errors.Is(err, context.Canceled) {
				err = nil
			}
			errc <- err
		}()
	}
	var first error
	for range b.platforms {
		err := <-errc
		if first == nil {
			first = err
		}
		cancel() // one platform ending ends the bot
	}
	return first
}

// handle answers a command or a mention: the Answer of the bot's
// Handler. A problem becomes a message saying what went wrong. No answer
// carries invisible characters that could disguise its text (see visible).
func (b *Bot) handle(ctx context.Context, req Request) (m Message) {
	start := b.cfg.Now()
	defer func() {
		b.log.Debug("bot: handled", "platform", req.Platform, "channel", req.Channel, "command", req.Command,
			"mention", req.Mention, "click", req.Click, "kind", m.Kind, "took", b.cfg.Now().Sub(start))
		m = visible(withControls(m))
	}()
	if req.Click != "" {
		return b.onClick(ctx, req)
	}
	if req.Mention {
		return b.mention(ctx, req)
	}
	c := lookup(req.Command)
	if c == nil {
		return errorMessage(fmt.Sprintf("I don't know the command %q. %s", req.Command, "Type /help to see what I can do."))
	}
	if why := b.refusal(ctx, req); why != "" {
		b.log.Info("bot: refused", append([]any{"command", req.Command, "args", req.Args, "dm", req.DM}, req.logAttrs()...)...)
		return Message{Kind: KindError, Private: true, Text: why}
	}
	return c.run(b, ctx, req)
}

// refusal says why req's caller may not make it, or "" if they may. The
// caller's rights are asked only when they matter.
func (b *Bot) refusal(ctx context.Context, req Request) string {
	admin := false
	if needsAdmin(req) && req.Caller != nil {
		var err error
		if admin, err = req.Caller.IsAdmin(ctx); err != nil {
			b.log.Warn("bot: cannot tell whether the caller may manage the channel; refused", append([]any{"err", err}, req.logAttrs()...)...)
			admin = false
		}
	}
	return refusal(req, admin)
}

// record records which platform messages carried m, so that "source?" on
// any of them finds its bullets.
func (b *Bot) record(ctx context.Context, to Destination, ids []string, m Message) {
	bullets := m.Bullets()
	if len(bullets) == 0 || len(ids) == 0 {
		return
	}
	posted := make([]store.PostedBullet, len(bullets))
	for i, bl := range bullets {
		posted[i] = store.PostedBullet{N: bl.N, ArticleID: bl.ArticleID, ClaimIndex: bl.ClaimIndex}
		for _, c := range bl.Also {
			posted[i].Also = append(posted[i].Also, store.PostedCarrier{ArticleID: c.ArticleID, ClaimIndex: c.ClaimIndex})
		}
	}
	for _, id := range ids {
		err := b.store.RecordPost(ctx, store.Post{
			Platform: to.Platform, Channel: to.Channel, MessageID: id, ThreadID: to.Thread,
			Kind: string(m.Kind), Bullets: posted, PostedAt: b.cfg.Now(),
		})
		if err != nil {
			b.log.Error("bot: record post", "channel", to.Key(), "message", id, "err", err)
		}
	}
}

// Post posts a message to a channel outside any request (the briefing at
// start, for one) and records it.
func (b *Bot) Post(ctx context.Context, to Destination, m Message) error {
	p, ok := b.platforms[to.Platform]
	if !ok {
		return fmt.Errorf("no platform %q is running", to.Platform)
	}
	ids, err := p.Post(ctx, to, m)
	if err != nil {
		return err
	}
	b.record(ctx, to, ids, m)
	return nil
}

// visiblePlatform is a platform whose posts (digests, the briefing at
// start) get their controls and go through visible, as the bot's answers
// do.
type visiblePlatform struct{ Platform }

func (p visiblePlatform) Post(ctx context.Context, to Destination, m Message) ([]string, error) {
	return p.Platform.Post(ctx, to, visible(withControls(m)))
}

func errorMessage(text string) Message {
	return Message{Kind: KindError, Text: text}
}

// mention answers "@briefbot ...": "source?", "sources" or "source 2"
// give the sources of the bullets of the briefing the mention replies to
// (else the latest one with bullets in the channel or thread); who said
// "<phrase>" looks the phrase up like /source; a command written after the
// mention runs as that command; any other text is a question, answered
// like /ask.
func (b *Bot) mention(ctx context.Context, req Request) Message {
	text := strings.TrimSpace(req.Args)
	if m, ok := b.mentionSource(ctx, req, text); ok {
		return m
	}
	if name, args, ok := ParseCommand(text); ok {
		req.Command, req.Args, req.Mention = name, args, false
		return b.handle(ctx, req)
	}
	if text == "" {
		return b.cmdHelp(ctx, req)
	}
	space, _ := req.space()
	return b.answer(ctx, space, req.Args)
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
