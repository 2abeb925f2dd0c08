package discord

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/fakediscord"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/internal/testutil/stubbot"
	"github.com/briefbot/briefbot/store"
)

// runPlatform runs a platform with cfg (the fake's token and URL filled
// in) until the test ends, without waiting for anything.
func runPlatform(t *testing.T, f *fakediscord.Fake, h *stubbot.Stub, cfg Config) *Platform {
	t.Helper()
	cfg.Token, cfg.APIBase = fakediscord.Token, f.URL()
	p, err := New(cfg, testLogger())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- p.Run(ctx, h.Handler()) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("Run did not return within 20s of cancel")
		}
	})
	return p
}

// guildOnShard is a guild ID that Discord routes to shard of count.
func guildOnShard(k, shard, count int) string {
	return strconv.FormatUint(uint64(1000*count+k*count+shard)<<22|uint64(k), 10)
}

// Two processes of one bot share its four shards (0,1 and 2,3), with two
// identify buckets and a shortened identify interval. Each shard
// identifies once with its [id, count]; those of a bucket at least the
// interval apart, across processes, and none refused. Every server's
// interactions and mentions reach one process, the one running the
// server's shard, once; a direct message goes to shard 0's. Only the
// process running shard 0 registers the commands.
func TestShardsSplitAcrossProcesses(t *testing.T) {
	t.Parallel()
	const count, interval = 4, time.Second
	guilds := map[string][]string{}
	var order []string
	for k := range 3 {
		for sh := range count {
			g := guildOnShard(k, sh, count)
			guilds[g] = []string{fmt.Sprintf("3%017d", len(order))}
			order = append(order, g)
		}
	}
	f := fakediscord.Start(t, fakediscord.Options{Guilds: guilds, MaxConcurrency: 2, IdentifyInterval: interval})
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "shared.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	procs := []struct {
		shards []int
		h      *stubbot.Stub
	}{{[]int{0, 1}, newStub()}, {[]int{2, 3}, newStub()}}
	for _, pr := range procs {
		runPlatform(t, f, pr.h, Config{ShardCount: count, Shards: pr.shards, Limits: st, IdentifyInterval: interval})
	}
	testutil.WaitFor(t, 20*time.Second, "four shards ready and the commands registered", func() bool {
		return len(f.ShardIdentifies()) >= count && len(f.Registrations()) >= 1
	})

	ids := f.ShardIdentifies()
	var got []int
	for _, id := range ids {
		if id.Refused || id.Count != count {
			t.Errorf("identify %+v: refused, or not of %d shards", id, count)
		}
		got = append(got, id.Shard)
	}
	slices.Sort(got)
	if !slices.Equal(got, []int{0, 1, 2, 3}) {
		t.Fatalf("shards identified: %v, want each of 0-3 once", got)
	}
	for i, a := range ids {
		for _, b := range ids[i+1:] {
			if a.Shard%2 == b.Shard%2 {
				if gap := b.At.Sub(a.At); gap < interval {
					t.Errorf("shards %d and %d, of one bucket, identified %v apart; want at least %v", a.Shard, b.Shard, gap, interval)
				}
			}
		}
	}
	t.Logf("identifies: %+v", ids)

	for i, g := range order {
		tok := f.Interaction(fmt.Sprintf("70%016d", i), "help", nil, fakediscord.Member{Guild: g})
		f.MessageCreateIn(g, guilds[g][0], fmt.Sprintf("71%016d", i), "<@"+fakediscord.BotID+"> briefing", true, "", nil)
		testutil.WaitFor(t, 5*time.Second, "the answers in guild "+g, func() bool {
			return len(f.MessagesFor(tok)) == 1 && len(f.ChannelMessages(guilds[g][0])) == 1
		})
	}
	dm := f.Interaction("720000000000000001", "help", nil, fakediscord.Member{DM: true})
	testutil.WaitFor(t, 5*time.Second, "the answer in the DM", func() bool { return len(f.MessagesFor(dm)) == 1 })
	time.Sleep(200 * time.Millisecond) // any second answer would come now

	for i, pr := range procs {
		seen := map[string]int{}
		for _, r := range pr.h.Requests() {
			seen[r.Space]++
		}
		for _, g := range order {
			mine := slices.Contains(pr.shards, shardOf(g, count))
			if want := map[bool]int{true: 2, false: 0}[mine]; seen[g] != want {
				t.Errorf("process %d (shards %v) handled %d events of guild %s (shard %d), want %d", i, pr.shards, seen[g], g, shardOf(g, count), want)
			}
		}
		if want := map[bool]int{true: 1, false: 0}[i == 0]; seen[""] != want {
			t.Errorf("process %d handled %d direct messages, want %d (shard 0's)", i, seen[""], want)
		}
	}
	if n := len(f.Registrations()); n != 1 {
		t.Errorf("the commands were registered %d times, want once (by shard 0's process)", n)
	}
	if n := len(f.Messages()); n != 2*len(order)+1 {
		t.Errorf("%d messages posted, want %d: one answer per event", n, 2*len(order)+1)
	}
}

// With DISCORD_SHARD_COUNT=auto a process runs the count Discord
// recommends, all of them when DISCORD_SHARDS does not say.
func TestShardCountAuto(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{RecommendedShards: 3, MaxConcurrency: 4})
	runPlatform(t, f, newStub(), Config{GuildID: fakediscord.GuildID})
	testutil.WaitFor(t, 10*time.Second, "three shards and the registration", func() bool {
		return len(f.ShardIdentifies()) == 3 && len(f.Registrations()) == 1
	})
	for _, id := range f.ShardIdentifies() {
		if id.Count != 3 || id.Refused {
			t.Errorf("identify %+v, want one of 3 shards", id)
		}
	}
	// One bucket each: they need not wait for one another.
	ids := f.ShardIdentifies()
	if spread := ids[2].At.Sub(ids[0].At); spread > 2*time.Second {
		t.Errorf("three shards of three buckets identified over %v", spread)
	}
}

// A process without the gateway (DISCORD_SHARDS=none) opens no session
// and registers nothing; it still posts.
func TestNoGateway(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	p := runPlatform(t, f, newStub(), Config{NoGateway: true})
	testutil.WaitFor(t, 5*time.Second, "the token checked", func() bool { return len(f.Requests("GET", "/api/v9/users/@me")) == 1 })
	time.Sleep(300 * time.Millisecond)
	if n := len(f.Requests("GET", "/api/v9/gateway")) + len(f.Identifies()) + len(f.Registrations()); n != 0 {
		t.Errorf("%d gateway requests, identifies or registrations without the gateway", n)
	}
	if _, err := p.Post(context.Background(), bot.Destination{Platform: "discord", Channel: fakediscord.ChannelID}, bot.Message{Kind: bot.KindInfo, Text: "x"}); err != nil {
		t.Error(err)
	}
}

func TestShardSettingsChecked(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{ShardCount: -1}, "DISCORD_SHARD_COUNT"},
		{Config{ShardCount: 4, Shards: []int{4}}, "DISCORD_SHARDS names shard 4, but DISCORD_SHARD_COUNT=4"},
		{Config{ShardCount: 4, Shards: []int{1, 1}}, "twice"},
		{Config{Shards: []int{0}}, "DISCORD_SHARD_COUNT must be a number"},
		{Config{ShardCount: 2, Shards: []int{}}, "names no shard"},
		{Config{NoGateway: true, Shards: []int{0}}, "none"},
	} {
		tc.cfg.Token = "x"
		if _, err := New(tc.cfg, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error with %q", tc.cfg, err, tc.want)
		}
	}
	if _, err := New(Config{Token: "x", ShardCount: 4, Shards: []int{3, 0}}, nil); err != nil {
		t.Error(err)
	}
}

// Discord refusing an identify (a bucket's turn not respected) fails the
// start with the shard named; the sessions opened are closed.
func TestShardRefusedStopsTheStart(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{MaxConcurrency: 1, IdentifyInterval: time.Hour})
	p, err := New(Config{Token: fakediscord.Token, APIBase: f.URL(), ShardCount: 2, IdentifyInterval: 50 * time.Millisecond}, testLogger())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	err = p.Run(ctx, newStub().Handler())
	if err == nil || !strings.Contains(err.Error(), "of 2: websocket: close 4008") || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run = %v, want the refusal of the second shard of 2 named", err)
	}
}

// Reconnections resume their sessions at once: a resume takes no identify
// turn (here the next turns are 11 s away).
func TestShardsResumeWithoutATurn(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{MaxConcurrency: 2})
	runPlatform(t, f, newStub(), Config{ShardCount: 2, IdentifyInterval: 10 * time.Second})
	f.WaitHandshake("READY")
	f.WaitHandshake("READY")
	t0 := time.Now()
	f.DropGateway()
	f.WaitHandshake("RESUMED")
	f.WaitHandshake("RESUMED")
	if took := time.Since(t0); took > 5*time.Second {
		t.Errorf("the shards resumed after %v", took)
	}
	if n := len(f.Identifies()); n != 2 {
		t.Errorf("%d identifies, want 2: reconnections resume", n)
	}
}
