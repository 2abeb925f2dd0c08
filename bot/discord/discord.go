// Package discord connects the bot to Discord through the gateway, with
// github.com/bwmarrin/discordgo: [Platform], made by [New] with a [Config],
// registers the bot's slash commands, answers them and mentions, and posts.
// At scale it runs some of the bot's shards (shards.go), takes
// interactions over HTTP too (http.go), and keeps to Discord's global rate
// limit together with the bot's other processes (ratelimit.go).
//
// The adapter decodes, renders and posts, and nothing more: rights,
// answers, schedules and the delivery ledger are the bot core's. See README.md in this folder for how to
// create the Discord application and invite the bot.
package discord

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/ttlcache"
)

// DefaultAPIBase is Discord's own base URL.
const DefaultAPIBase = "https://discord.com/"

// intents are the gateway intents the bot asks for: guilds (channels and
// roles, for permission checks) and guild messages (to see mentions). Not
// the privileged MESSAGE_CONTENT intent: Discord delivers the content of
// messages that mention the bot without it, and those are the only messages
// the bot reads. Slash commands need no intent at all.
const intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages

// Config configures the adapter; every field comes from an environment
// variable of the same meaning.
type Config struct {
	Token     string // DISCORD_TOKEN: the bot token, with or without "Bot "
	APIBase   string // DISCORD_API_BASE: REST and gateway discovery go there; default DefaultAPIBase
	GuildID   string // DISCORD_GUILD_ID: register commands in this guild only (instant); empty = global
	AdminRole string // DISCORD_ADMIN_ROLE: a role name or ID that may use admin commands

	// ShardCount is DISCORD_SHARD_COUNT, how many shards the bot's gateway
	// sessions split its servers into; 0 is "auto", the count Discord
	// recommends.
	ShardCount int
	// Shards is DISCORD_SHARDS, the shards this process runs, each a
	// gateway session; nil runs all of them. A subset needs ShardCount.
	Shards []int
	// NoGateway is DISCORD_SHARDS=none: no gateway session, so no
	// mentions; commands arrive over HTTP (PublicKey), digests are posted.
	NoGateway bool

	// GlobalRate is DISCORD_GLOBAL_RATE_LIMIT, the bot's global rate limit
	// in requests a second across all its processes; default
	// DefaultGlobalRate.
	GlobalRate int
	// Limits books the global rate limit (and the gateway's identifies)
	// with the bot's other processes: the database. nil keeps them in this
	// process only.
	Limits Booker

	// PublicKey is DISCORD_PUBLIC_KEY, the application's Ed25519 public
	// key in hexadecimal, and InteractionsAddr DISCORD_INTERACTIONS_ADDR,
	// where to listen for interactions over HTTP (Discord's Interactions
	// Endpoint URL, at InteractionsPath): both, or neither.
	PublicKey        string
	InteractionsAddr string
	// Replay remembers the signed interactions accepted over HTTP, for
	// every process and across restarts: the database. nil keeps them in
	// this process only.
	Replay ReplayGuard

	// IdentifyInterval is the least time between two identifies of one
	// max_concurrency bucket; default Discord's, 5 seconds. Tests shorten
	// it.
	IdentifyInterval time.Duration
}

// Platform is the Discord adapter. It implements bot.Platform. Post may be
// called at any time, from any goroutine, with or without Run.
type Platform struct {
	cfg  Config
	log  *slog.Logger
	s    *discordgo.Session // REST, for every request; the shards have gateway sessions of their own
	base *url.URL           // nil when talking to Discord itself

	running atomic.Bool
	botID   atomic.Value // string: the bot's user ID
	appID   atomic.Value // string: the application's ID, from READY

	mu       sync.Mutex // guards closing and inflight.Add
	closing  bool
	inflight sync.WaitGroup

	gw atomic.Pointer[gateway] // the shards this process runs, while Run runs

	roles *ttlcache.Cache[string, map[string]string] // each guild's role names by ID, for five minutes

	limits *limiter // the rate limits shared with the bot's other processes

	publicKey ed25519.PublicKey // of the application: interactions over HTTP are signed with its private key
	replay    ReplayGuard
	replayMu  sync.Mutex   // serializes replay.FirstUse
	addr      atomic.Value // string: where the interactions server listens
}

// New checks cfg and prepares a session. It does not touch the network.
func New(cfg Config, log *slog.Logger) (*Platform, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg.Token = strings.TrimSpace(cfg.Token)
	if cfg.Token == "" {
		return nil, errors.New("discord: DISCORD_TOKEN is empty")
	}
	if strings.ContainsAny(cfg.Token, " \t\r\n") && !strings.HasPrefix(cfg.Token, "Bot ") {
		return nil, errors.New("discord: DISCORD_TOKEN contains spaces; set it to the bot token from the Developer Portal")
	}
	token := cfg.Token
	if !strings.HasPrefix(token, "Bot ") {
		token = "Bot " + token
	}
	if cfg.APIBase == "" {
		cfg.APIBase = DefaultAPIBase
	}
	base, err := url.Parse(cfg.APIBase)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" || base.RawQuery != "" || base.Fragment != "" {
		return nil, fmt.Errorf("discord: DISCORD_API_BASE %q is not an http(s) base URL such as %s", cfg.APIBase, DefaultAPIBase)
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	cfg.GuildID = strings.TrimSpace(cfg.GuildID)
	if cfg.GuildID != "" && !isSnowflake(cfg.GuildID) {
		return nil, fmt.Errorf("discord: DISCORD_GUILD_ID %q is not a Discord ID (a number; Developer Mode > right-click the server > Copy Server ID)", cfg.GuildID)
	}
	cfg.AdminRole = strings.TrimPrefix(strings.TrimSpace(cfg.AdminRole), "@")
	if err := checkShards(cfg.ShardCount, cfg.Shards, cfg.NoGateway); err != nil {
		return nil, err
	}
	if cfg.IdentifyInterval <= 0 {
		cfg.IdentifyInterval = defaultIdentifyInterval
	}
	var key ed25519.PublicKey
	cfg.InteractionsAddr = strings.TrimSpace(cfg.InteractionsAddr)
	switch {
	case cfg.PublicKey == "" && cfg.InteractionsAddr != "":
		return nil, errors.New("discord: DISCORD_INTERACTIONS_ADDR is set but DISCORD_PUBLIC_KEY is not: interactions over HTTP cannot be verified without the application's public key")
	case cfg.PublicKey != "" && cfg.InteractionsAddr == "":
		return nil, errors.New("discord: DISCORD_PUBLIC_KEY is set but DISCORD_INTERACTIONS_ADDR is not: set the address to listen on for interactions, such as :8080")
	case cfg.PublicKey != "":
		if key, err = parsePublicKey(cfg.PublicKey); err != nil {
			return nil, err
		}
		if _, _, err := net.SplitHostPort(cfg.InteractionsAddr); err != nil {
			return nil, fmt.Errorf("discord: DISCORD_INTERACTIONS_ADDR %q is not a host:port address such as :8080: %v", cfg.InteractionsAddr, err)
		}
	}

	s, err := discordgo.New(token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	p := &Platform{
		cfg:       cfg,
		log:       log,
		s:         s,
		roles:     ttlcache.New[string, map[string]string](5*time.Minute, 10000),
		publicKey: key,
		replay:    cfg.Replay,
	}
	if p.replay == nil {
		p.replay = &memGuard{keys: map[string]time.Time{}}
	}
	p.botID.Store("")
	p.appID.Store("")
	p.addr.Store("")
	if base.String() != DefaultAPIBase {
		p.base = base
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64 // bursts of interactions are answered in parallel
	p.limits = newLimiter(cfg.Limits, log)
	s.Client = &http.Client{Timeout: 20 * time.Second, Transport: newGlobalLimit(p.limits, cfg.GlobalRate, &rewriter{base: p.base, next: tr})}
	s.ShouldRetryOnRateLimit = true
	s.StateEnabled = false // REST only: the state is the shards'
	return p, nil
}

// Name is "discord".
func (p *Platform) Name() string { return "discord" }

// rewriter sends requests meant for discord.com to the configured base URL
// (a proxy or a fake), keeping the path under the base's own path.
type rewriter struct {
	base *url.URL
	next http.RoundTripper
}

func (r *rewriter) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.base == nil || req.URL.Host != "discord.com" {
		return r.next.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	req.URL.Scheme = r.base.Scheme
	req.URL.Host = r.base.Host
	req.Host = r.base.Host
	if r.base.Path != "/" {
		req.URL.Path = strings.TrimSuffix(r.base.Path, "/") + req.URL.Path
		if req.URL.RawPath != "" {
			req.URL.RawPath = strings.TrimSuffix(r.base.EscapedPath(), "/") + req.URL.RawPath
		}
	}
	return r.next.RoundTrip(req)
}

// Run checks the token, listens for interactions over HTTP (with a public
// key), opens the gateway sessions of the shards this process runs,
// registers the slash commands (the process running shard 0 does) and
// answers interactions and mentions until ctx is done. It
// returns nil after a clean shutdown (ctx done, even during the start), or
// an error if the start failed.
func (p *Platform) Run(ctx context.Context, h *bot.Handler) error {
	if !p.running.CompareAndSwap(false, true) {
		return errors.New("discord: Run called twice")
	}
	defer p.running.Store(false)
	p.mu.Lock()
	p.closing = false
	p.mu.Unlock()

	me, err := p.s.User("@me", discordgo.WithContext(ctx))
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		return p.startError(err)
	}
	p.botID.Store(me.ID)

	hctx, hcancel := context.WithCancel(context.WithoutCancel(ctx))
	defer hcancel()
	stopHTTP := func() {}
	if p.cfg.InteractionsAddr != "" {
		if stopHTTP, err = p.serveInteractions(hctx, h); err != nil {
			return err
		}
	}
	shutdown := func(g *gateway) { p.shutdown(g, stopHTTP, hcancel) }
	g, err := p.openGateway(ctx, hctx, h)
	if err != nil {
		shutdown(g)
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		return err
	}
	registered := "by the process running shard 0"
	if g.runs(0) {
		if err := p.registerCommands(ctx); err != nil {
			shutdown(g)
			if ctx.Err() != nil {
				return nil // stopped while starting
			}
			return err
		}
		registered = "globally"
		if p.cfg.GuildID != "" {
			registered = "in guild " + p.cfg.GuildID
		}
	}
	p.log.Info("discord: connected", "user", me.Username, "id", me.ID, "shards", g.String(), "commands", len(bot.Commands()), "registered", registered)

	var wg sync.WaitGroup
	for _, sh := range g.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.supervise(ctx, g, sh)
		}()
	}
	<-ctx.Done()
	wg.Wait()
	shutdown(g)
	return nil
}

// startError turns the failure of the first REST call into a start error
// that names the variable to fix.
func (p *Platform) startError(err error) error {
	var rest *discordgo.RESTError
	switch {
	case errors.As(err, &rest) && rest.Response != nil && rest.Response.StatusCode == http.StatusUnauthorized,
		errors.Is(err, discordgo.ErrUnauthorized):
		status := "401 Unauthorized"
		if rest != nil {
			status = rest.Response.Status
		}
		return fmt.Errorf("discord: DISCORD_TOKEN rejected by Discord (%s): check the bot token in the Developer Portal (Bot > Reset Token)", status)
	case errors.As(err, &rest) && rest.Response != nil:
		return fmt.Errorf("discord: checking DISCORD_TOKEN with %s failed: %w", p.cfg.APIBase, err)
	default:
		return fmt.Errorf("discord: cannot reach Discord at %s (DISCORD_API_BASE): %w", p.cfg.APIBase, err)
	}
}

// shutdown stops taking events, stops the interactions server, closes the
// gateway sessions and waits for answers in progress (they only need
// REST), then cancels those still running.
func (p *Platform) shutdown(g *gateway, stopHTTP func(), hcancel context.CancelFunc) {
	p.mu.Lock()
	p.closing = true
	p.mu.Unlock()
	stopHTTP()
	p.addr.Store("")
	g.close(p.log)
	p.gw.Store(nil)
	if bot.Drain(&p.inflight, hcancel) {
		p.log.Warn("discord: answers were still in progress at shutdown; cancelled them")
	}
}

// track runs f unless the platform is shutting down, counting it as in
// flight.
func (p *Platform) track(f func()) {
	p.mu.Lock()
	if p.closing {
		p.mu.Unlock()
		return
	}
	p.inflight.Add(1)
	p.mu.Unlock()
	defer p.inflight.Done()
	f()
}

// ChannelSpace tells which server a channel is in (its guild ID), or
// that it is a direct message with the bot, from the gateway's state or
// else over REST: the bot's SpaceFinder, for the channels it posts to
// without a request from them.
func (p *Platform) ChannelSpace(ctx context.Context, channel string) (space string, dm bool, err error) {
	c, err := p.gw.Load().channel(channel)
	if err != nil {
		if c, err = p.s.Channel(channel, discordgo.WithContext(ctx)); err != nil {
			return "", false, fmt.Errorf("discord: channel %s: %w", channel, err)
		}
	}
	if c.GuildID == "" {
		return "", c.Type == discordgo.ChannelTypeDM, nil
	}
	return c.GuildID, false, nil
}

// Post sends m to a channel and returns the IDs of the messages it became.
// to.Thread, if set, is a message to reply to (a Discord thread is a channel
// of its own: pass its ID as to.Channel). A channel that does not exist or
// that the bot may not see or post in gives an error wrapping
// bot.ErrChannelGone. Rate limits are waited out (discordgo honours 429s).
func (p *Platform) Post(ctx context.Context, to bot.Destination, m bot.Message) ([]string, error) {
	if to.Platform != "" && to.Platform != p.Name() {
		return nil, fmt.Errorf("discord: cannot post to %s", to)
	}
	if !isSnowflake(to.Channel) {
		return nil, fmt.Errorf("discord: %q is not a Discord channel ID: %w", to.Channel, bot.ErrChannelGone)
	}
	return p.send(ctx, to.Channel, to.Thread, render(m))
}

// send posts parts in order, the first as a reply to replyTo if set.
func (p *Platform) send(ctx context.Context, channel, replyTo string, parts []part) ([]string, error) {
	var ids []string
	for i, pt := range parts {
		ms := pt.messageSend()
		if i == 0 && replyTo != "" {
			no := false
			ms.Reference = &discordgo.MessageReference{MessageID: replyTo, ChannelID: channel, FailIfNotExists: &no}
		}
		msg, err := p.s.ChannelMessageSendComplex(channel, ms, discordgo.WithContext(ctx))
		if err != nil {
			return ids, postError(channel, err)
		}
		ids = append(ids, msg.ID)
	}
	return ids, nil
}

// Discord's JSON error codes that mean a post can never succeed.
const (
	codeUnknownChannel     = 10003
	codeMissingAccess      = 50001
	codeMissingPermissions = 50013
	codeCannotSendDM       = 50007
)

func postError(channel string, err error) error {
	var rest *discordgo.RESTError
	if errors.As(err, &rest) && rest.Response != nil {
		code, msg := 0, ""
		if rest.Message != nil {
			code, msg = rest.Message.Code, rest.Message.Message
		}
		switch {
		case code == codeUnknownChannel || code == codeMissingAccess || code == codeMissingPermissions || code == codeCannotSendDM,
			rest.Response.StatusCode == http.StatusNotFound, rest.Response.StatusCode == http.StatusForbidden:
			if msg == "" {
				msg = rest.Response.Status
			}
			return fmt.Errorf("discord: post to channel %s: %s (code %d): %w", channel, msg, code, bot.ErrChannelGone)
		}
	}
	return fmt.Errorf("discord: post to channel %s: %w", channel, err)
}

func isSnowflake(s string) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
