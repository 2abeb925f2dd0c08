package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil), "")
	if err != nil {
		t.Fatal(err)
	}
	if c.SeedsDir != "seeds" || c.DatabasePath != "briefbot.db" || c.BriefingSchedule != "0 8 * * *" || c.BriefingTZ != "UTC" ||
		c.CatchupWindow != time.Hour || !c.BriefingOnStart || c.BriefingSkipEmpty || c.MaxArticleBytes != 1<<20 ||
		c.BriefingMaxWords != 100 || c.StoryWindow != 72*time.Hour || c.FeedsPoll != 15*time.Minute || c.FeedsMaxFailures != 10 || !c.Console() {
		t.Errorf("defaults: %+v", c)
	}
}

// Every variable the code reads is documented in .env.example, and every
// documented variable is read.
func TestEnvExampleListsEveryVariable(t *testing.T) {
	data, err := os.ReadFile("../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if k, _, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			documented[k] = true
		}
	}
	read := map[string]bool{}
	Load(func(k string) string { read[k] = true; return "" }, "")
	for k := range read {
		if !documented[k] {
			t.Errorf("%s is read but not in .env.example", k)
		}
	}
	for k := range documented {
		if !read[k] {
			t.Errorf("%s is in .env.example but never read", k)
		}
	}
	// The example's values are the defaults: loading it changes nothing.
	ex, err := Load(env(nil), "../.env.example")
	if err != nil {
		t.Fatalf("loading .env.example: %v", err)
	}
	def, _ := Load(env(nil), "")
	if ex.BriefingSchedule != def.BriefingSchedule || ex.DatabasePath != def.DatabasePath || ex.CatchupWindow != def.CatchupWindow {
		t.Errorf(".env.example differs from the defaults: %+v", ex)
	}
}

// Invalid values stop the start with an error naming the variable.
func TestErrorsNameTheVariable(t *testing.T) {
	tests := []struct{ key, value string }{
		{"BRIEFING_SCHEDULE", "0 25 * * *"},
		{"BRIEFING_SCHEDULE", "CRON_TZ="},
		{"BRIEFING_TZ", "Mars/Olympus"},
		{"CATCHUP_WINDOW", "an hour"},
		{"STORY_WINDOW", "three days"},
		{"STORY_WINDOW", "10m"},
		{"STORY_WINDOW", "2000h"},
		{"SEEDS_POLL_INTERVAL", "10ms"},
		{"MAX_ARTICLE_BYTES", "-5"},
		{"MAX_ARTICLE_BYTES", "1073741824"}, // over 16 MiB
		{"BRIEFING_MAX_WORDS", "many"},
		{"BRIEFING_SKIP_EMPTY", "perhaps"},
		{"BRIEFING_ON_START", "2"},
		{"LOG_LEVEL", "loud"},
		{"LOG_FORMAT", "xml"},
		{"BRIEFING_CHANNELS", "irc:#news"},
		{"BRIEFING_CHANNELS", "discord:"},
		{"BRIEFING_CHANNELS", "discord:123"}, // no DISCORD_TOKEN
		{"DISCORD_API_BASE", "ftp://example.org"},
		{"DISCORD_GUILD_ID", "guild-one"},
		{"DISCORD_SHARD_COUNT", "0"},
		{"DISCORD_SHARD_COUNT", "many"},
		{"DISCORD_SHARDS", "0-3"}, // a count of auto
		{"DISCORD_PUBLIC_KEY", "not-hex"},
		{"DISCORD_PUBLIC_KEY", "abcd"},
		{"DISCORD_INTERACTIONS_ADDR", "8080"},
		{"DISCORD_GLOBAL_RATE_LIMIT", "0"},
		{"SLACK_BOT_TOKEN", "xoxp-user-token"},
		{"SLACK_API_URL", "not a url"},
		{"FEEDS", "https://ok.example/feed, file:///etc/passwd"},
		{"FEEDS_POLL_INTERVAL", "0s"},
		{"FEEDS_MAX_FAILURES", "0"},
		{"FEEDS_POLL_DEADLINE", "500ms"},
		{"FEEDS_POLL_DEADLINE", "soon"},
		{"FEEDS_MAX_ITEMS", "0"},
		{"FEEDS_MAX_ITEMS", "all"},
		{"FEEDS_MIN_RATE", "-1"},
		{"FEEDS_MIN_RATE", "1kB"},
	}
	for _, tt := range tests {
		_, err := Load(env(map[string]string{tt.key: tt.value}), "")
		var ce *Error
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.key) {
			t.Errorf("%s=%q: error %v, want one naming %s", tt.key, tt.value, err, tt.key)
		}
	}
}

func TestSlackModes(t *testing.T) {
	for _, tt := range []struct {
		vars map[string]string
		bad  string
	}{
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, ""},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_LISTEN_ADDR": ":3000"}, ""},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, "SLACK_LISTEN_ADDR"},
		{map[string]string{"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"},
		{map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN"},
	} {
		c, err := Load(env(tt.vars), "")
		switch {
		case tt.bad == "" && err != nil:
			t.Errorf("%v: %v", tt.vars, err)
		case tt.bad == "" && c.Console():
			t.Errorf("%v: console with a Slack token", tt.vars)
		case tt.bad != "" && (err == nil || !strings.Contains(err.Error(), tt.bad)):
			t.Errorf("%v: error %v, want one naming %s", tt.vars, err, tt.bad)
		}
	}
}

func TestEnvFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".env")
	os.WriteFile(path, []byte("# comment\nexport DATABASE_PATH=/tmp/x.db\nBRIEFING_TZ=\"Europe/Paris\"\nSEEDS_DIR=articles # trailing comment\nBRIEFING_CHANNELS='console'\n"), 0o644)
	c, err := Load(env(map[string]string{"SEEDS_DIR": "from-env"}), path)
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabasePath != "/tmp/x.db" || c.BriefingTZ != "Europe/Paris" || c.SeedsDir != "from-env" || len(c.BriefingChannels) != 1 {
		t.Errorf("%+v", c)
	}
	if _, err := Load(env(nil), filepath.Join(t.TempDir(), "missing.env")); err != nil {
		t.Errorf("a missing .env is not an error: %v", err)
	}
	os.WriteFile(path, []byte("NOT A LINE\n"), 0o644)
	if _, err := Load(env(nil), path); err == nil || !strings.Contains(err.Error(), ":1:") {
		t.Errorf("malformed .env: %v", err)
	}
}

func TestChannels(t *testing.T) {
	c, err := Load(env(map[string]string{"BRIEFING_CHANNELS": "discord:123, slack:C0AB ,console", "DISCORD_TOKEN": "t", "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}), "")
	if err != nil {
		t.Fatal(err)
	}
	want := []Channel{{"discord", "123"}, {"slack", "C0AB"}, {"console", ""}}
	if len(c.BriefingChannels) != 3 {
		t.Fatalf("%+v", c.BriefingChannels)
	}
	for i, w := range want {
		if c.BriefingChannels[i] != w {
			t.Errorf("channel %d = %+v, want %+v", i, c.BriefingChannels[i], w)
		}
	}
}

func TestDiscordShardsAndHTTP(t *testing.T) {
	key := strings.Repeat("0f", 32)
	for _, tt := range []struct {
		vars   map[string]string
		bad    string
		shards []int
		count  int
		none   bool
	}{
		{vars: map[string]string{}},
		{vars: map[string]string{"DISCORD_SHARD_COUNT": "AUTO", "DISCORD_SHARDS": "all"}},
		{vars: map[string]string{"DISCORD_SHARD_COUNT": "8", "DISCORD_SHARDS": "0-3"}, count: 8, shards: []int{0, 1, 2, 3}},
		{vars: map[string]string{"DISCORD_SHARD_COUNT": "8", "DISCORD_SHARDS": "0, 2,5-6"}, count: 8, shards: []int{0, 2, 5, 6}},
		{vars: map[string]string{"DISCORD_SHARDS": "none"}, none: true},
		{vars: map[string]string{"DISCORD_SHARD_COUNT": "4", "DISCORD_SHARDS": "2-4"}, bad: "DISCORD_SHARDS=\"2-4\": shard 4 is not one of DISCORD_SHARD_COUNT=4"},
		{vars: map[string]string{"DISCORD_SHARD_COUNT": "4", "DISCORD_SHARDS": "0-2,1"}, bad: "shard 1 is named twice"},
		{vars: map[string]string{"DISCORD_SHARD_COUNT": "4", "DISCORD_SHARDS": "3-1"}, bad: "DISCORD_SHARDS"},
		{vars: map[string]string{"DISCORD_SHARD_COUNT": "4", "DISCORD_SHARDS": "one"}, bad: "DISCORD_SHARDS"},
		{vars: map[string]string{"DISCORD_SHARD_COUNT": "4", "DISCORD_SHARDS": ","}, bad: "names no shard"},
		{vars: map[string]string{"DISCORD_PUBLIC_KEY": key, "DISCORD_INTERACTIONS_ADDR": ":8080"}},
		{vars: map[string]string{"DISCORD_PUBLIC_KEY": key}, bad: "DISCORD_INTERACTIONS_ADDR"},
		{vars: map[string]string{"DISCORD_INTERACTIONS_ADDR": ":8080"}, bad: "DISCORD_PUBLIC_KEY"},
		{vars: map[string]string{"DISCORD_TOKEN": "", "DISCORD_PUBLIC_KEY": key, "DISCORD_INTERACTIONS_ADDR": ":8080"}, bad: "DISCORD_PUBLIC_KEY"},
	} {
		vars := map[string]string{"DISCORD_TOKEN": "t"}
		for k, v := range tt.vars {
			vars[k] = v
		}
		c, err := Load(env(vars), "")
		switch {
		case tt.bad != "":
			if err == nil || !strings.Contains(err.Error(), tt.bad) {
				t.Errorf("%v: error %v, want one with %s", tt.vars, err, tt.bad)
			}
		case err != nil:
			t.Errorf("%v: %v", tt.vars, err)
		case c.DiscordShardCount != tt.count || !slices.Equal(c.DiscordShards, tt.shards) || (c.DiscordShards == nil) != (tt.shards == nil) || c.DiscordNoGateway != tt.none:
			t.Errorf("%v: count %d shards %v none %v", tt.vars, c.DiscordShardCount, c.DiscordShards, c.DiscordNoGateway)
		}
	}
}
