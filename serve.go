package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/console"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/feeds"
	"github.com/briefbot/briefbot/ingest"
	"github.com/briefbot/briefbot/internal/textutil"
	"github.com/briefbot/briefbot/store"
)

// cmdServe runs the bot until its input ends or a signal stops it.
func cmdServe(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	log := newLogger(cfg, env.stderr)
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := newServer(ctx, env, cfg, st, log)
	if err != nil {
		return err
	}
	return s.run(ctx)
}

// openStore opens the database: PostgreSQL at DATABASE_URL if it is set,
// else the SQLite file at DATABASE_PATH.
// Articles are grouped into stories within STORY_WINDOW.
func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (*store.Store, error) {
	var st *store.Store
	var err error
	if cfg.DatabaseURL != "" {
		st, err = store.OpenPostgres(ctx, cfg.DatabaseURL, log)
	} else {
		st, err = store.Open(ctx, cfg.DatabasePath)
	}
	if err != nil {
		return nil, err
	}
	st.SetStoryOptions(briefing.StoryOptions{Window: cfg.StoryWindow})
	return st, nil
}

// server is what briefbot serve runs: the bot on its platforms, the
// seeds folder's watcher and the feed manager.
type server struct {
	cfg   *config.Config
	log   *slog.Logger
	out   io.Writer
	st    *store.Store
	bot   *bot.Bot
	seeds *ingest.Seeds
	feeds *feeds.Manager
	term  *console.Console // the console, if it is one of the platforms
	names []string         // the platforms, as the start line names them
}

// newServer loads the seeds, builds the platforms the configuration asks
// for, adds the feeds of FEEDS, and makes the bot on those platforms.
func newServer(ctx context.Context, env *environment, cfg *config.Config, st *store.Store, log *slog.Logger) (*server, error) {
	s := &server{cfg: cfg, log: log, out: env.stdout, st: st}
	s.seeds = &ingest.Seeds{
		Dir: cfg.SeedsDir, Store: st, Log: log, Interval: cfg.SeedsPoll,
		Load:    briefing.LoadOptions{MaxBytes: cfg.MaxArticleBytes},
		Brief:   briefing.Options{MaxWords: cfg.BriefingMaxWords},
		Replica: cfg.ReplicaID, LeaseTTL: cfg.LeaseTTL,
	}
	if _, err := s.seeds.Sync(ctx); err != nil {
		log.Warn("seeds: not loaded", "dir", cfg.SeedsDir, "err", err)
	}

	platforms, err := s.platforms(env)
	if err != nil {
		return nil, err
	}
	s.feeds = feeds.New(feeds.Config{
		PollInterval:    cfg.FeedsPoll,
		MaxFailures:     cfg.FeedsMaxFailures,
		AllowPrivate:    cfg.FeedsAllowPrivate,
		MaxArticleBytes: cfg.MaxArticleBytes,
		PollDeadline:    cfg.FeedsPollDeadline,
		MaxItems:        cfg.FeedsMaxItems,
		MinRate:         minRate(cfg.FeedsMinRate),
		Brief:           briefing.Options{MaxWords: cfg.BriefingMaxWords},
		Replica:         cfg.ReplicaID,
		LeaseTTL:        cfg.LeaseTTL,
	}, st, log)
	if err := s.feeds.EnsureConfigured(ctx, cfg.Feeds); err != nil {
		log.Warn("feeds: some of FEEDS were not added", "err", err)
	}

	channels := make([]bot.Destination, 0, len(cfg.BriefingChannels)+1)
	for _, c := range cfg.BriefingChannels {
		d := bot.Destination{Platform: c.Platform, Channel: c.ID}
		if c.Platform == "console" {
			d = console.Destination()
		}
		channels = append(channels, d)
	}
	if s.term != nil && !slices.Contains(channels, console.Destination()) {
		channels = append(channels, console.Destination())
	}
	s.bot = bot.New(bot.Config{
		Schedule: cfg.BriefingSchedule, TZ: cfg.BriefingTZ, Channels: channels,
		Catchup: cfg.CatchupWindow, SkipEmpty: cfg.BriefingSkipEmpty, LiveCatchup: cfg.LiveCatchup,
		LiveSummaryDelay: cfg.LiveSummaryDelay,
		Digest:           briefing.DigestOptions{MaxArticles: cfg.DigestMaxArticles, MaxWords: cfg.DigestMaxWords},
		Brief:            briefing.Options{MaxWords: cfg.BriefingMaxWords},
		Owner:            cfg.ReplicaID,
		LeaseTTL:         cfg.LeaseTTL,
		Feeds:            s.feeds,
	}, st, log, platforms...)
	return s, nil
}

// platforms builds the platforms the configuration asks for: Discord and
// Slack when their tokens are set, the console otherwise.
func (s *server) platforms(env *environment) ([]bot.Platform, error) {
	cfg := s.cfg
	var platforms []bot.Platform
	if cfg.DiscordToken != "" {
		p, err := discord.New(discord.Config{
			Token: cfg.DiscordToken, APIBase: cfg.DiscordAPIBase, GuildID: cfg.DiscordGuildID, AdminRole: cfg.DiscordAdminRole,
			ShardCount: cfg.DiscordShardCount, Shards: cfg.DiscordShards, NoGateway: cfg.DiscordNoGateway,
			PublicKey: cfg.DiscordPublicKey, InteractionsAddr: cfg.DiscordInteractionsAddr, Replay: s.st,
			GlobalRate: cfg.DiscordGlobalRateLimit, Limits: s.st,
		}, s.log)
		if err != nil {
			return nil, err
		}
		platforms = append(platforms, p)
		name := "discord"
		if cfg.DiscordInteractionsAddr != "" {
			name += " (interactions over HTTP on " + cfg.DiscordInteractionsAddr + ")"
		}
		s.names = append(s.names, name)
	}
	if cfg.SlackBotToken != "" {
		p, err := slack.New(slack.Config{
			BotToken: cfg.SlackBotToken, AppToken: cfg.SlackAppToken, SigningSecret: cfg.SlackSigningSecret,
			ListenAddr: cfg.SlackListenAddr, APIURL: cfg.SlackAPIURL, Replay: s.st,
		}, s.log)
		if err != nil {
			return nil, err
		}
		platforms = append(platforms, p)
		mode := "slack (HTTP on " + cfg.SlackListenAddr + ")"
		if p.SocketMode() {
			mode = "slack (Socket Mode)"
		}
		s.names = append(s.names, mode)
	}
	if cfg.Console() {
		s.term = console.New(env.stdin, env.stdout)
		platforms = append(platforms, s.term)
		s.names = append(s.names, "console")
	}
	return platforms, nil
}

// run says what it runs, posts the briefing at start on the console, and
// runs the seeds' watcher, the feeds and the bot until ctx is done or a
// platform ends (the console at the end of its input).
func (s *server) run(ctx context.Context) error {
	keys, _ := s.st.Keys(ctx)
	n := len(keys)
	fmt.Fprintf(s.out, "briefbot: running on %s; database %s; %d %s; digest schedule %q (%s). Type /help.\n",
		strings.Join(s.names, ", "), s.st.Where(), n, textutil.Plural(n, "article", "articles"), s.cfg.BriefingSchedule, s.cfg.BriefingTZ)
	if s.term != nil && s.cfg.BriefingOnStart {
		if err := s.bot.Post(ctx, console.Destination(), s.bot.BriefingMessage(ctx, "console", "")); err != nil {
			s.log.Error("console: briefing at start", "err", err)
		}
	}

	s.log.Info("briefbot: started", "replica", s.cfg.ReplicaID, "database", s.st.Where())
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.seeds.Watch(ctx)
	go s.feeds.Run(ctx)
	if err := s.bot.Run(ctx); err != nil && ctx.Err() == nil {
		return err // a platform failed; a signal is a clean stop
	}
	s.log.Info("briefbot: stopped")
	return nil
}

// newLogger logs to w (stderr: stdout is the console chat) in the
// configured format and level.
func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// minRate is FEEDS_MIN_RATE for feeds.Config, where 0 means the default
// and a negative rate means none.
func minRate(perSecond int) int64 {
	if perSecond == 0 {
		return -1
	}
	return int64(perSecond)
}
