// Package bot is briefbot's platform-neutral core. A [Bot] runs on a store
// and any number of platforms: it holds the table of [Commands] and who
// may run them ([Right]), answers commands and mentions, runs the life of
// every request ([Handler]: time limit, panics, rights, posting, recording
// the bullets posted), and delivers scheduled digests exactly once.
//
// A platform is an adapter implementing [Platform] (bot/console,
// bot/discord, bot/slack). A new one needs:
//
//   - Run: connect, decode what arrives into a [Request] whose [Caller]
//     says whether the person asking may manage the channel, acknowledge
//     it if the platform demands, and hand it to [Handler.Serve] with a
//     [Replier];
//   - the Replier: render a [Message] and post it where the request came
//     from, returning the IDs of the messages it became;
//   - Post: render a message and post it to a channel (digests), a channel
//     that is gone reported with [ErrChannelGone];
//   - Name.
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
	Owner     string           // names this process in the delivery ledger
	Now       func() time.Time // the clock; nil means time.Now
	Feeds     Feeds            // the feed manager for /feeds; nil disables it
}

// Bot answers commands and mentions and delivers scheduled digests.
type Bot struct {
	cfg       Config
	store     *store.Store
	log       *slog.Logger
	platforms map[string]Platform
	handler   *Handler
	sched     *scheduler

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
	b := &Bot{cfg: cfg, store: st, log: log, platforms: map[string]Platform{}, reserveSlot: st.ReserveSlot}
	for _, p := range platforms {
		b.platforms[p.Name()] = visiblePlatform{p}
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
	if err := b.sched.start(ctx); err != nil {
		return err
	}
	defer b.sched.stop()

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
			"mention", req.Mention, "kind", m.Kind, "took", b.cfg.Now().Sub(start))
		m = visible(m)
	}()
	if req.Mention {
		return b.mention(ctx, req)
	}
	c, ok := Lookup(req.Command)
	if !ok {
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
// start) go through visible, as the bot's answers do.
type visiblePlatform struct{ Platform }

func (p visiblePlatform) Post(ctx context.Context, to Destination, m Message) ([]string, error) {
	return p.Platform.Post(ctx, to, visible(m))
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
	return b.answer(ctx, req.Args)
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
