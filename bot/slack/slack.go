// Package slack connects briefbot to Slack with github.com/slack-go/slack:
// [Platform], made by [New] with a [Config], decodes commands and mentions,
// renders answers in Block Kit and posts them.
//
// It runs in one of two modes:
//
//   - Socket Mode (when SLACK_APP_TOKEN is set): the bot opens a websocket to
//     Slack, so it needs no public URL. Every envelope is acknowledged at once.
//   - HTTP mode (SLACK_SIGNING_SECRET and SLACK_LISTEN_ADDR): Slack calls
//     POST /slack/commands for the slash command and POST /slack/events for
//     the Events API. Every request is size-limited and its signature checked
//     before anything else.
//
// The bot has one slash command, /briefbot, whose first word names the bot
// command (/briefbot briefing Gaza, /briefbot subscribe 0 8 * * * Europe/Paris,
// /briefbot help); an empty /briefbot is help. A slash command named after a
// bot command (/briefing) works too, if someone registers one. Mentions of the
// bot (app_mention) are answered in the mention's thread.
//
// Replies go out with chat.postMessage, so their timestamps are known and
// recorded by the bot; where the bot is not in the channel, they fall
// back to the command's response_url. Private replies and errors to a slash
// command are ephemeral.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/ttlcache"
)

// defaultAPIURL is Slack's Web API.
const defaultAPIURL = "https://slack.com/api/"

// Command is the slash command the manifest registers.
const Command = "/briefbot"

// Config configures the Slack platform. Socket Mode is used when AppToken is
// set; otherwise HTTP mode, which needs SigningSecret and ListenAddr.
type Config struct {
	BotToken      string // SLACK_BOT_TOKEN xoxb-
	AppToken      string // SLACK_APP_TOKEN xapp- : Socket Mode (default when set)
	SigningSecret string // SLACK_SIGNING_SECRET : HTTP mode
	ListenAddr    string // SLACK_LISTEN_ADDR, e.g. ":3000"
	APIURL        string // SLACK_API_URL, default "https://slack.com/api/"; must end with "/"
	// Replay remembers the signed requests accepted in HTTP mode, across
	// restarts (the database); nil keeps them in memory, for this process
	// only.
	Replay ReplayGuard
}

// ReplayGuard records keys of accepted requests: FirstUse reports whether
// key is new, and keeps it until the time until.
type ReplayGuard interface {
	FirstUse(ctx context.Context, key string, until time.Time) (bool, error)
}

// Platform is Slack as a bot.Platform. Post may be called before and while
// Run runs, from any number of goroutines.
type Platform struct {
	cfg  Config
	log  *slog.Logger
	http *http.Client
	api  *slack.Client

	// Tunables; tests shorten them.
	channelInterval time.Duration // least time between two posts to one channel
	maxRateRetries  int           // 429s tolerated per message part

	limiter *limiter
	seen    *ttlcache.Cache[string, struct{}] // requests answered, for an hour
	admins  *ttlcache.Cache[string, bool]     // users.info answers, for five minutes
	flight  chan struct{}                     // bounds the Web API calls in flight

	replayMu sync.Mutex // serializes Config.Replay.FirstUse

	mu        sync.Mutex
	botUser   string // the bot's user ID, from auth.test
	botID     string
	team      string
	addr      net.Addr      // HTTP mode: where the server listens
	ready     chan struct{} // closed once connected (Socket Mode) or listening (HTTP mode)
	readyOnce sync.Once
	inflight  sync.WaitGroup
}

// New checks cfg and makes the platform. It does not touch the network:
// Run checks the tokens with Slack.
func New(cfg Config, log *slog.Logger) (*Platform, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg.BotToken = strings.TrimSpace(cfg.BotToken)
	cfg.AppToken = strings.TrimSpace(cfg.AppToken)
	cfg.SigningSecret = strings.TrimSpace(cfg.SigningSecret)
	cfg.ListenAddr = strings.TrimSpace(cfg.ListenAddr)
	cfg.APIURL = strings.TrimSpace(cfg.APIURL)

	switch {
	case cfg.BotToken == "":
		return nil, errors.New("SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page")
	case !strings.HasPrefix(cfg.BotToken, "xoxb-") || hasSpace(cfg.BotToken):
		return nil, errors.New("SLACK_BOT_TOKEN must be a bot token starting with xoxb- (the Bot User OAuth Token, not a user or app-level token)")
	}
	if cfg.AppToken != "" && (!strings.HasPrefix(cfg.AppToken, "xapp-") || hasSpace(cfg.AppToken)) {
		return nil, errors.New("SLACK_APP_TOKEN must be an app-level token starting with xapp- (Basic Information > App-Level Tokens, scope connections:write)")
	}
	if cfg.AppToken == "" {
		switch {
		case cfg.SigningSecret == "" && cfg.ListenAddr == "":
			return nil, errors.New("SLACK_APP_TOKEN is not set: set it for Socket Mode, or set SLACK_SIGNING_SECRET and SLACK_LISTEN_ADDR for HTTP mode")
		case cfg.SigningSecret == "":
			return nil, errors.New("SLACK_SIGNING_SECRET is not set: HTTP mode (SLACK_LISTEN_ADDR without SLACK_APP_TOKEN) needs the app's signing secret to verify requests")
		case cfg.ListenAddr == "":
			return nil, errors.New("SLACK_LISTEN_ADDR is not set: HTTP mode (SLACK_SIGNING_SECRET without SLACK_APP_TOKEN) needs an address to listen on, such as :3000")
		}
		if _, _, err := net.SplitHostPort(cfg.ListenAddr); err != nil {
			return nil, fmt.Errorf("SLACK_LISTEN_ADDR %q is not a host:port address such as :3000: %v", cfg.ListenAddr, err)
		}
	}
	if cfg.APIURL == "" {
		cfg.APIURL = defaultAPIURL
	}
	u, err := url.Parse(cfg.APIURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("SLACK_API_URL %q is not an http or https URL such as %s", cfg.APIURL, defaultAPIURL)
	}
	if !strings.HasSuffix(cfg.APIURL, "/") {
		cfg.APIURL += "/" // slack-go appends method names to it
	}

	p := &Platform{
		cfg: cfg,
		log: log,
		http: &http.Client{
			Timeout: 30 * time.Second,
			Transport: &http.Transport{
				Proxy:               http.ProxyFromEnvironment,
				MaxIdleConns:        100,
				MaxIdleConnsPerHost: 64,
				IdleConnTimeout:     90 * time.Second,
				TLSHandshakeTimeout: 10 * time.Second,
				ForceAttemptHTTP2:   true,
			},
		},
		channelInterval: time.Second,
		maxRateRetries:  5,
		limiter:         newLimiter(),
		seen:            ttlcache.New[string, struct{}](time.Hour, 10000),
		admins:          ttlcache.New[string, bool](5*time.Minute, 10000),
		flight:          make(chan struct{}, 64),
		ready:           make(chan struct{}),
	}
	p.api = p.newClient()
	return p, nil
}

func (p *Platform) newClient() *slack.Client {
	opts := []slack.Option{
		slack.OptionAPIURL(p.cfg.APIURL),
		slack.OptionHTTPClient(p.http),
		slack.OptionLog(logAdapter{p.log}),
	}
	if p.cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(p.cfg.AppToken))
	}
	return slack.New(p.cfg.BotToken, opts...)
}

// Name is "slack".
func (p *Platform) Name() string { return "slack" }

// SocketMode reports whether Run uses Socket Mode (else HTTP mode).
func (p *Platform) SocketMode() bool { return p.cfg.AppToken != "" }

// Run checks the bot token with auth.test, then connects in Socket Mode or
// serves HTTP, passing every command and mention to h until ctx is done.
func (p *Platform) Run(ctx context.Context, h *bot.Handler) error {
	if err := p.authTest(ctx); err != nil {
		return err
	}
	// Answers under way when ctx ends are given a grace period to be
	// posted, then cancelled (see finish).
	answers, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	var err error
	if p.SocketMode() {
		if p.cfg.SigningSecret != "" || p.cfg.ListenAddr != "" {
			p.log.Info("slack: SLACK_APP_TOKEN is set, so Socket Mode is used and SLACK_SIGNING_SECRET/SLACK_LISTEN_ADDR are ignored")
		}
		err = p.runSocketMode(ctx, answers, h)
	} else {
		err = p.runHTTP(ctx, answers, h)
	}
	p.finish(stop)
	return err
}

// authTest checks the bot token and learns the bot's own user ID, which
// mentions carry.
func (p *Platform) authTest(ctx context.Context) error {
	actx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := p.api.AuthTestContext(actx)
	if err != nil {
		if code, ok := slackCode(err); ok {
			switch code {
			case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type":
				return fmt.Errorf("slack: SLACK_BOT_TOKEN was rejected by Slack (auth.test: %s); use the Bot User OAuth Token (xoxb-...) of an installed app", code)
			}
			return fmt.Errorf("slack: auth.test with SLACK_BOT_TOKEN failed: %s", code)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("slack: cannot reach Slack's Web API at SLACK_API_URL %s to check SLACK_BOT_TOKEN: %w", p.cfg.APIURL, err)
	}
	p.mu.Lock()
	p.botUser, p.botID, p.team = res.UserID, res.BotID, res.Team
	p.mu.Unlock()
	p.log.Info("slack: authenticated", "team", res.Team, "bot_user", res.UserID, "mode", p.mode())
	return nil
}

func (p *Platform) mode() string {
	if p.SocketMode() {
		return "socket"
	}
	return "http"
}

func (p *Platform) botUserID() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.botUser
}

// finish lets the commands and mentions still being answered finish, or
// cancels them with stop after a grace period (see bot.Drain).
func (p *Platform) finish(stop context.CancelFunc) {
	if bot.Drain(&p.inflight, stop) {
		p.log.Warn("slack: answers were still in progress at shutdown; cancelled them")
	}
}

// slackCode returns the error code of a Web API error ("not_in_channel").
func slackCode(err error) (string, bool) {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err, true
	}
	return "", false
}

func hasSpace(s string) bool { return strings.ContainsAny(s, " \t\r\n") }

// logAdapter sends slack-go's debug output to slog at debug level.
type logAdapter struct{ l *slog.Logger }

func (a logAdapter) Output(_ int, s string) error {
	a.l.Debug("slack-go: " + strings.TrimSpace(s))
	return nil
}
