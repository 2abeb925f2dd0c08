// Package config loads briefbot's configuration from environment variables
// and an optional .env file, and validates it at start: [Load] returns a
// [Config]. Every variable is
// listed, with its default, in .env.example.
package config

import (
	"bufio"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/briefbot/briefbot/bot/schedule"
)

// MaxArticleBytes is the largest MAX_ARTICLE_BYTES allowed, 16 MiB: the
// engine's cost is linear in an article's size and measured up to there
// (about 3 s of analysis and 550 MB of heap at 16 MB; see the README).
const MaxArticleBytes = 16 << 20

// Config is everything briefbot can be told.
type Config struct {
	// Articles and briefings.
	SeedsDir          string        // SEEDS_DIR
	SeedsPoll         time.Duration // SEEDS_POLL_INTERVAL
	MaxArticleBytes   int64         // MAX_ARTICLE_BYTES
	BriefingMaxWords  int           // BRIEFING_MAX_WORDS
	DigestMaxArticles int           // DIGEST_MAX_ARTICLES
	DigestMaxWords    int           // DIGEST_MAX_WORDS
	StoryWindow       time.Duration // STORY_WINDOW: how far apart a story's articles may be

	// The bot.
	DatabasePath      string        // DATABASE_PATH
	DatabaseURL       string        // DATABASE_URL: PostgreSQL instead of DATABASE_PATH
	ReplicaID         string        // REPLICA_ID: this process's name among the replicas
	LeaseTTL          time.Duration // LEASE_TTL
	BriefingSchedule  string        // BRIEFING_SCHEDULE
	BriefingTZ        string        // BRIEFING_TZ
	BriefingChannels  []Channel     // BRIEFING_CHANNELS
	CatchupWindow     time.Duration // CATCHUP_WINDOW
	BriefingSkipEmpty bool          // BRIEFING_SKIP_EMPTY
	LiveCatchup       int           // LIVE_CATCHUP
	LiveSummaryDelay  time.Duration // LIVE_SUMMARY_DELAY
	BriefingOnStart   bool          // BRIEFING_ON_START
	LogLevel          slog.Level    // LOG_LEVEL
	LogFormat         string        // LOG_FORMAT: text or json

	// Discord.
	DiscordToken     string // DISCORD_TOKEN
	DiscordAPIBase   string // DISCORD_API_BASE
	DiscordGuildID   string // DISCORD_GUILD_ID
	DiscordAdminRole string // DISCORD_ADMIN_ROLE
	// DISCORD_SHARD_COUNT: the bot's shards; 0 for auto, the count Discord
	// recommends.
	DiscordShardCount int
	// DISCORD_SHARDS: the shards this process runs; nil for all of them;
	// DiscordNoGateway for none.
	DiscordShards           []int
	DiscordNoGateway        bool
	DiscordPublicKey        string // DISCORD_PUBLIC_KEY: hexadecimal Ed25519
	DiscordInteractionsAddr string // DISCORD_INTERACTIONS_ADDR
	DiscordGlobalRateLimit  int    // DISCORD_GLOBAL_RATE_LIMIT: requests a second, all processes together

	// Slack.
	SlackBotToken      string // SLACK_BOT_TOKEN
	SlackAppToken      string // SLACK_APP_TOKEN
	SlackSigningSecret string // SLACK_SIGNING_SECRET
	SlackListenAddr    string // SLACK_LISTEN_ADDR
	SlackAPIURL        string // SLACK_API_URL

	// Feeds.
	Feeds             []string      // FEEDS
	FeedsPoll         time.Duration // FEEDS_POLL_INTERVAL
	FeedsMaxFailures  int           // FEEDS_MAX_FAILURES
	FeedsAllowPrivate bool          // FEEDS_ALLOW_PRIVATE
	FeedsPollDeadline time.Duration // FEEDS_POLL_DEADLINE
	FeedsMaxItems     int           // FEEDS_MAX_ITEMS
	FeedsMinRate      int           // FEEDS_MIN_RATE: bytes a second; 0 for no minimum
}

// Channel is a chat channel named in BRIEFING_CHANNELS: "discord:1234",
// "slack:C0123", or "console".
type Channel struct {
	Platform string
	ID       string
}

func (c Channel) String() string {
	if c.ID == "" {
		return c.Platform
	}
	return c.Platform + ":" + c.ID
}

// Platforms that BRIEFING_CHANNELS may name.
var Platforms = []string{"console", "discord", "slack"}

// Error names the variable whose value is wrong.
type Error struct {
	Var   string
	Value string
	Err   error
}

func (e *Error) Error() string {
	return fmt.Sprintf("config: %s=%q: %v", e.Var, e.Value, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Load reads the configuration from getenv, falling back to the .env file
// at envFile (if it exists) for variables the environment does not set. A
// missing .env file is not an error; an unreadable or malformed one is.
func Load(getenv func(string) string, envFile string) (*Config, error) {
	file := map[string]string{}
	if envFile != "" {
		var err error
		if file, err = ReadEnvFile(envFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	l := loader{get: func(k string) string {
		if v, ok := lookup(getenv, k); ok {
			return v
		}
		return file[k]
	}}
	c := &Config{
		SeedsDir:          l.str("SEEDS_DIR", "seeds"),
		SeedsPoll:         l.duration("SEEDS_POLL_INTERVAL", 5*time.Second, time.Second),
		MaxArticleBytes:   int64(l.integer("MAX_ARTICLE_BYTES", 1<<20, 1, MaxArticleBytes)),
		BriefingMaxWords:  l.integer("BRIEFING_MAX_WORDS", 100, 20, 1000),
		DigestMaxArticles: l.integer("DIGEST_MAX_ARTICLES", 10, 1, 100),
		DigestMaxWords:    l.integer("DIGEST_MAX_WORDS", 600, 50, 10000),
		StoryWindow:       l.durationUpTo("STORY_WINDOW", 72*time.Hour, time.Hour, 30*24*time.Hour),

		DatabasePath:      l.str("DATABASE_PATH", "briefbot.db"),
		DatabaseURL:       l.databaseURL("DATABASE_URL"),
		ReplicaID:         l.replicaID("REPLICA_ID"),
		LeaseTTL:          l.duration("LEASE_TTL", 30*time.Second, time.Second),
		BriefingSchedule:  l.str("BRIEFING_SCHEDULE", "0 8 * * *"),
		BriefingTZ:        l.str("BRIEFING_TZ", "UTC"),
		CatchupWindow:     l.duration("CATCHUP_WINDOW", time.Hour, 0),
		BriefingSkipEmpty: l.boolean("BRIEFING_SKIP_EMPTY", false),
		LiveCatchup:       l.integer("LIVE_CATCHUP", 5, 1, 50),
		LiveSummaryDelay:  l.duration("LIVE_SUMMARY_DELAY", time.Minute, time.Second),
		BriefingOnStart:   l.boolean("BRIEFING_ON_START", true),
		LogFormat:         l.oneOf("LOG_FORMAT", "text", "text", "json"),

		DiscordToken:     l.str("DISCORD_TOKEN", ""),
		DiscordAPIBase:   l.url("DISCORD_API_BASE", "https://discord.com/"),
		DiscordGuildID:   l.snowflake("DISCORD_GUILD_ID"),
		DiscordAdminRole: l.str("DISCORD_ADMIN_ROLE", ""),

		DiscordShardCount:       l.shardCount("DISCORD_SHARD_COUNT"),
		DiscordPublicKey:        l.hexKey("DISCORD_PUBLIC_KEY", 32),
		DiscordInteractionsAddr: l.addr("DISCORD_INTERACTIONS_ADDR"),
		DiscordGlobalRateLimit:  l.integer("DISCORD_GLOBAL_RATE_LIMIT", 50, 1, 100000),

		SlackBotToken:      l.str("SLACK_BOT_TOKEN", ""),
		SlackAppToken:      l.str("SLACK_APP_TOKEN", ""),
		SlackSigningSecret: l.str("SLACK_SIGNING_SECRET", ""),
		SlackListenAddr:    l.str("SLACK_LISTEN_ADDR", ""),
		SlackAPIURL:        l.url("SLACK_API_URL", "https://slack.com/api/"),

		Feeds:             l.list("FEEDS"),
		FeedsPoll:         l.duration("FEEDS_POLL_INTERVAL", 15*time.Minute, time.Second),
		FeedsMaxFailures:  l.integer("FEEDS_MAX_FAILURES", 10, 1, 1000),
		FeedsAllowPrivate: l.boolean("FEEDS_ALLOW_PRIVATE", false),
		FeedsPollDeadline: l.duration("FEEDS_POLL_DEADLINE", 2*time.Minute, time.Second),
		FeedsMaxItems:     l.integer("FEEDS_MAX_ITEMS", 50, 1, 10000),
		FeedsMinRate:      l.integer("FEEDS_MIN_RATE", 1024, 0, 1<<30),
	}
	c.LogLevel = l.level("LOG_LEVEL")
	c.BriefingChannels = l.channels("BRIEFING_CHANNELS")
	c.DiscordShards, c.DiscordNoGateway = l.shards("DISCORD_SHARDS", c.DiscordShardCount)
	if l.err == nil {
		if _, err := schedule.LoadZone(c.BriefingTZ); err != nil {
			l.fail("BRIEFING_TZ", c.BriefingTZ, err)
		} else if _, err := schedule.Parse(c.BriefingSchedule, c.BriefingTZ); err != nil {
			l.fail("BRIEFING_SCHEDULE", c.BriefingSchedule, fmt.Errorf("%w; try %s", err, schedule.Example))
		}
	}
	if l.err == nil {
		l.validatePlatforms(c)
	}
	for _, f := range c.Feeds {
		if l.err == nil {
			if u, err := url.Parse(f); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				l.fail("FEEDS", f, errors.New("each feed must be an http or https URL"))
			}
		}
	}
	if l.err != nil {
		return nil, l.err
	}
	return c, nil
}

// validatePlatforms checks the chat platforms' variables together.
func (l *loader) validatePlatforms(c *Config) {
	if c.DiscordToken != "" && strings.ContainsAny(c.DiscordToken, " \t\n") {
		l.fail("DISCORD_TOKEN", "(hidden)", errors.New("a bot token has no spaces; copy it from the Bot page of your Discord application"))
	}
	switch {
	case c.DiscordToken == "" && c.DiscordPublicKey != "":
		l.fail("DISCORD_PUBLIC_KEY", c.DiscordPublicKey, errors.New("set but DISCORD_TOKEN is not"))
	case c.DiscordPublicKey != "" && c.DiscordInteractionsAddr == "":
		l.fail("DISCORD_INTERACTIONS_ADDR", "", errors.New("required with DISCORD_PUBLIC_KEY: the address to listen on for interactions, for example :8080"))
	case c.DiscordPublicKey == "" && c.DiscordInteractionsAddr != "":
		l.fail("DISCORD_PUBLIC_KEY", "", errors.New("required with DISCORD_INTERACTIONS_ADDR, to verify the interactions Discord sends (General Information > Public Key)"))
	}
	if c.SlackBotToken != "" && !strings.HasPrefix(c.SlackBotToken, "xoxb-") {
		l.fail("SLACK_BOT_TOKEN", "(hidden)", errors.New(`a bot token starts with "xoxb-"`))
	}
	if c.SlackAppToken != "" && !strings.HasPrefix(c.SlackAppToken, "xapp-") {
		l.fail("SLACK_APP_TOKEN", "(hidden)", errors.New(`an app-level token starts with "xapp-"`))
	}
	if c.SlackBotToken == "" && (c.SlackAppToken != "" || c.SlackSigningSecret != "") {
		l.fail("SLACK_BOT_TOKEN", "", errors.New("required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set"))
	}
	if c.SlackBotToken != "" && c.SlackAppToken == "" && c.SlackSigningSecret == "" {
		l.fail("SLACK_APP_TOKEN", "", errors.New("set it for Socket Mode, or set SLACK_SIGNING_SECRET and SLACK_LISTEN_ADDR for HTTP mode"))
	}
	if c.SlackSigningSecret != "" && c.SlackAppToken == "" && c.SlackListenAddr == "" {
		l.fail("SLACK_LISTEN_ADDR", "", errors.New("required in HTTP mode (SLACK_SIGNING_SECRET set), for example :3000"))
	}
	for _, ch := range c.BriefingChannels {
		switch {
		case ch.Platform == "discord" && c.DiscordToken == "":
			l.fail("BRIEFING_CHANNELS", ch.String(), errors.New("names a Discord channel but DISCORD_TOKEN is not set"))
		case ch.Platform == "slack" && c.SlackBotToken == "":
			l.fail("BRIEFING_CHANNELS", ch.String(), errors.New("names a Slack channel but SLACK_BOT_TOKEN is not set"))
		}
	}
}

// Console reports whether no chat platform is configured, so the bot runs
// on the terminal.
func (c *Config) Console() bool { return c.DiscordToken == "" && c.SlackBotToken == "" }

type loader struct {
	get func(string) string
	err error // the first error
}

func lookup(getenv func(string) string, k string) (string, bool) {
	if getenv == nil {
		return "", false
	}
	v := getenv(k)
	return v, v != ""
}

func (l *loader) fail(key, value string, err error) {
	if l.err == nil {
		l.err = &Error{Var: key, Value: value, Err: err}
	}
}

func (l *loader) str(key, def string) string {
	if v := strings.TrimSpace(l.get(key)); v != "" {
		return v
	}
	return def
}

func (l *loader) integer(key string, def, min, max int) int {
	v := strings.TrimSpace(l.get(key))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		l.fail(key, v, errors.New("not a whole number"))
		return def
	}
	if n < min || n > max {
		l.fail(key, v, fmt.Errorf("must be between %d and %d", min, max))
		return def
	}
	return n
}

func (l *loader) duration(key string, def, min time.Duration) time.Duration {
	v := strings.TrimSpace(l.get(key))
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		l.fail(key, v, errors.New("not a duration; write it like 90s, 15m or 1h"))
		return def
	}
	if d < min {
		l.fail(key, v, fmt.Errorf("must be at least %v", min))
		return def
	}
	return d
}

// durationUpTo is duration, with an upper bound too.
func (l *loader) durationUpTo(key string, def, min, max time.Duration) time.Duration {
	d := l.duration(key, def, min)
	if d > max {
		l.fail(key, l.get(key), fmt.Errorf("must be at most %v", max))
		return def
	}
	return d
}

func (l *loader) boolean(key string, def bool) bool {
	v := strings.TrimSpace(l.get(key))
	if v == "" {
		return def
	}
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on":
		return true
	case "0", "false", "no", "off":
		return false
	}
	l.fail(key, v, errors.New("want true or false"))
	return def
}

func (l *loader) oneOf(key, def string, allowed ...string) string {
	v := strings.ToLower(l.str(key, def))
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	l.fail(key, v, fmt.Errorf("want one of %s", strings.Join(allowed, ", ")))
	return def
}

func (l *loader) level(key string) slog.Level {
	var lv slog.Level
	v := l.str(key, "info")
	if err := lv.UnmarshalText([]byte(v)); err != nil {
		l.fail(key, v, errors.New("want debug, info, warn or error"))
		return slog.LevelInfo
	}
	return lv
}

func (l *loader) url(key, def string) string {
	v := l.str(key, def)
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		l.fail(key, v, errors.New("want an http or https URL"))
		return def
	}
	if !strings.HasSuffix(v, "/") {
		v += "/"
	}
	return v
}

// databaseURL reads a PostgreSQL URL; an error shows it without its
// password.
func (l *loader) databaseURL(key string) string {
	v := l.str(key, "")
	if v == "" {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		l.fail(key, "(hidden)", errors.New("want a PostgreSQL URL, postgres://user:password@host:5432/database"))
		return ""
	}
	return v
}

// replicaID reads the replica's name: by default the host's name and the
// process ID, which tell apart processes on one machine and across
// machines.
func (l *loader) replicaID(key string) string {
	v := l.str(key, "")
	if v == "" {
		host, _ := os.Hostname()
		return fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	if len(v) > 100 || strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		l.fail(key, v, errors.New("want a short name without spaces, such as bot-2"))
		return ""
	}
	return v
}

func (l *loader) snowflake(key string) string {
	v := l.str(key, "")
	if v == "" {
		return ""
	}
	if _, err := strconv.ParseUint(v, 10, 64); err != nil {
		l.fail(key, v, errors.New("want a numeric Discord ID"))
		return ""
	}
	return v
}

// shardCount reads a number of shards, or auto (0).
func (l *loader) shardCount(key string) int {
	if strings.EqualFold(l.str(key, "auto"), "auto") {
		return 0
	}
	return l.integer(key, 0, 1, 1<<16)
}

// shards reads which shards, of count (0: not known until Discord says),
// this process runs: all (nil), none, or IDs and ranges such as 0-3 or
// 0,2,5. Naming some needs a count, so that every process splits the
// servers the same way.
func (l *loader) shards(key string, count int) (ids []int, none bool) {
	v := strings.ToLower(l.str(key, "all"))
	switch v {
	case "all":
		return nil, false
	case "none":
		return nil, true
	}
	if count == 0 {
		l.fail(key, v, errors.New("naming shards needs DISCORD_SHARD_COUNT set to a number, the same in every process, not auto"))
		return nil, false
	}
	seen := map[int]bool{}
	for _, part := range l.list(key) {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(strings.TrimSpace(lo))
		b, err2 := a, error(nil)
		if isRange {
			b, err2 = strconv.Atoi(strings.TrimSpace(hi))
		}
		switch {
		case err1 != nil || err2 != nil || a > b:
			l.fail(key, v, fmt.Errorf("%q is not a shard or a range of shards; write all, none, or shards like 0-3 or 0,2,5", part))
			return nil, false
		case b >= count:
			l.fail(key, v, fmt.Errorf("shard %d is not one of DISCORD_SHARD_COUNT=%d, numbered 0 to %d", b, count, count-1))
			return nil, false
		}
		for id := a; id <= b; id++ {
			if seen[id] {
				l.fail(key, v, fmt.Errorf("shard %d is named twice", id))
				return nil, false
			}
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		l.fail(key, v, errors.New("names no shard; write all, none, or shards like 0-3 or 0,2,5"))
	}
	return ids, false
}

// hexKey reads a key of size bytes written in hexadecimal.
func (l *loader) hexKey(key string, size int) string {
	v := l.str(key, "")
	if b, err := hex.DecodeString(v); v != "" && (err != nil || len(b) != size) {
		l.fail(key, v, fmt.Errorf("want %d hexadecimal digits", 2*size))
		return ""
	}
	return v
}

// addr reads an address to listen on, host:port.
func (l *loader) addr(key string) string {
	v := l.str(key, "")
	if _, _, err := net.SplitHostPort(v); v != "" && err != nil {
		l.fail(key, v, errors.New("want an address to listen on, host:port, for example :8080"))
		return ""
	}
	return v
}

func (l *loader) list(key string) []string {
	var out []string
	for _, f := range strings.Split(l.get(key), ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func (l *loader) channels(key string) []Channel {
	var out []Channel
	for _, f := range l.list(key) {
		p, id, _ := strings.Cut(f, ":")
		p = strings.ToLower(strings.TrimSpace(p))
		id = strings.TrimSpace(id)
		switch {
		case p == "console" && id == "":
		case p == "discord" || p == "slack":
			if id == "" {
				l.fail(key, f, fmt.Errorf("want %s:<channel id>", p))
				return nil
			}
		default:
			l.fail(key, f, errors.New(`want entries like "discord:<channel id>", "slack:<channel id>" or "console"`))
			return nil
		}
		out = append(out, Channel{Platform: p, ID: id})
	}
	return out
}

// ReadEnvFile parses a .env file: KEY=VALUE lines, "#" comments, optional
// "export " prefixes, and values in single or double quotes.
func ReadEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: read %s: %w", path, err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			return nil, fmt.Errorf("config: %s:%d: want KEY=VALUE", path, n)
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		} else if i := strings.Index(v, " #"); i >= 0 {
			v = strings.TrimSpace(v[:i])
		}
		out[k] = v
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("config: read %s: %w", path, err)
	}
	return out, nil
}
