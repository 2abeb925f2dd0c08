package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/bot/console"
	"github.com/briefbot/briefbot/bot/discord"
	"github.com/briefbot/briefbot/bot/slack"
	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/config"
	"github.com/briefbot/briefbot/feeds"
	"github.com/briefbot/briefbot/ingest"
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

	st, err := store.Open(ctx, cfg.DatabasePath)
	if err != nil {
		return err
	}
	defer st.Close()

	seeds := &ingest.Seeds{
		Dir: cfg.SeedsDir, Store: st, Log: log, Interval: cfg.SeedsPoll,
		Load:  briefing.LoadOptions{MaxBytes: cfg.MaxArticleBytes},
		Brief: briefing.Options{MaxWords: cfg.BriefingMaxWords},
	}
	if _, err := seeds.Sync(ctx); err != nil {
		log.Warn("seeds: not loaded", "dir", cfg.SeedsDir, "err", err)
	}

	var platforms []bot.Platform
	var names []string
	channels := make([]bot.Destination, 0, len(cfg.BriefingChannels)+1)
	for _, c := range cfg.BriefingChannels {
		d := bot.Destination{Platform: c.Platform, Channel: c.ID}
		if c.Platform == "console" {
			d = console.Destination()
		}
		channels = append(channels, d)
	}
	if cfg.DiscordToken != "" {
		p, err := discord.New(discord.Config{
			Token: cfg.DiscordToken, APIBase: cfg.DiscordAPIBase, GuildID: cfg.DiscordGuildID, AdminRole: cfg.DiscordAdminRole,
		}, log)
		if err != nil {
			return err
		}
		platforms = append(platforms, p)
		names = append(names, "discord")
	}
	if cfg.SlackBotToken != "" {
		p, err := slack.New(slack.Config{
			BotToken: cfg.SlackBotToken, AppToken: cfg.SlackAppToken, SigningSecret: cfg.SlackSigningSecret,
			ListenAddr: cfg.SlackListenAddr, APIURL: cfg.SlackAPIURL, Replay: st,
		}, log)
		if err != nil {
			return err
		}
		platforms = append(platforms, p)
		mode := "slack (HTTP on " + cfg.SlackListenAddr + ")"
		if p.SocketMode() {
			mode = "slack (Socket Mode)"
		}
		names = append(names, mode)
	}
	var term *console.Console
	if cfg.Console() {
		term = console.New(env.stdin, env.stdout)
		platforms = append(platforms, term)
		names = append(names, "console")
		if !hasChannel(channels, console.Destination()) {
			channels = append(channels, console.Destination())
		}
	}

	feedManager := feeds.New(feeds.Config{
		PollInterval: cfg.FeedsPoll, MaxFailures: cfg.FeedsMaxFailures, AllowPrivate: cfg.FeedsAllowPrivate,
		Brief: briefing.Options{MaxWords: cfg.BriefingMaxWords},
	}, st, log)
	if err := feedManager.EnsureConfigured(ctx, cfg.Feeds); err != nil {
		log.Warn("feeds: some of FEEDS were not added", "err", err)
	}

	hostname, _ := os.Hostname()
	b := bot.New(bot.Config{
		Schedule: cfg.BriefingSchedule, TZ: cfg.BriefingTZ, Channels: channels,
		Catchup: cfg.CatchupWindow, SkipEmpty: cfg.BriefingSkipEmpty,
		Digest: briefing.DigestOptions{MaxArticles: cfg.DigestMaxArticles, MaxWords: cfg.DigestMaxWords},
		Owner:  fmt.Sprintf("%s:%d", hostname, os.Getpid()),
		Feeds:  feedManager,
	}, st, log, platforms...)

	keys, _ := st.Keys(ctx)
	n := int64(len(keys))
	fmt.Fprintf(env.stdout, "briefbot: running on %s; database %s; %d %s; digest schedule %q (%s). Type /help.\n",
		strings.Join(names, ", "), cfg.DatabasePath, n, pluralWord(n, "article", "articles"), cfg.BriefingSchedule, cfg.BriefingTZ)
	if term != nil && cfg.BriefingOnStart {
		if err := b.Post(ctx, console.Destination(), b.BriefingMessage(ctx, "")); err != nil {
			log.Error("console: briefing at start", "err", err)
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go seeds.Watch(ctx)
	go feedManager.Run(ctx)
	if err := b.Run(ctx); err != nil && ctx.Err() == nil {
		return err // a platform failed; a signal is a clean stop
	}
	log.Info("briefbot: stopped")
	return nil
}

func hasChannel(list []bot.Destination, d bot.Destination) bool {
	for _, c := range list {
		if c == d {
			return true
		}
	}
	return false
}

func pluralWord(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
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
