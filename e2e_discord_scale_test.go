package main

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/fakediscord"
	"github.com/briefbot/briefbot/internal/testutil"
)

// waitListening waits for the binary p to listen for interactions.
func waitListening(t *testing.T, p *testutil.Proc) {
	t.Helper()
	testutil.WaitFor(t, 10*time.Second, "the binary listening for interactions", func() bool {
		select {
		case <-p.Done():
			t.Fatalf("the bot exited: %v", p.Err())
		default:
		}
		return strings.Contains(p.Stderr.String(), "discord: listening for interactions")
	})
}

// edits is how many times the answer to the interaction token replaced its
// deferral: how many times it was answered.
func edits(f *fakediscord.Fake, token string) int {
	n := 0
	for _, m := range f.MessagesFor(token) {
		if m.Via == "edit" {
			n++
		}
	}
	return n
}

// The built binary takes interactions over HTTP (DISCORD_PUBLIC_KEY,
// DISCORD_INTERACTIONS_ADDR) besides the gateway: /briefing and a click on
// its Sources answered through the HTTP endpoint, unsigned requests and
// replays refused with 401, a replay still refused after a kill -9 and a
// restart (the signatures are kept in the database).
func TestEndToEndDiscordHTTPInteractions(t *testing.T) {
	binary(t)
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{Token: e2eDiscordToken})
	dir := workdir(t)
	addr := freeAddr(t)
	url := "http://" + addr + "/discord/interactions"
	env := append(discordEnv(f, dir, e2eDiscordToken), "DISCORD_PUBLIC_KEY="+f.PublicKey(), "DISCORD_INTERACTIONS_ADDR="+addr)

	first := startDiscordBot(t, "first run", dir, env)
	waitReady(t, first, f)
	waitListening(t, first)
	if out := first.Stdout.String(); !strings.Contains(out, "interactions over HTTP on "+addr) {
		t.Errorf("the start line does not say where interactions are taken: %q", out)
	}

	x := f.HTTPRoundTrip(t, url, "640000000000000001", "briefing", []fakediscord.Opt{{Name: "topic", Value: "Qatar"}}, fakediscord.Member{})
	if x.Callback.Type != 5 || x.Callback.Flags != 0 {
		t.Errorf("/briefing over HTTP answered %s, want a public deferral", x.Callback.Raw)
	}
	if text := messageText(x.Messages); !strings.Contains(text, e2eSeedHeadline) {
		t.Errorf("/briefing over HTTP lacks the seed's headline:\n%s", text)
	}
	src, ok := x.Messages[len(x.Messages)-1].Button("Source 1")
	if !ok {
		t.Fatalf("the answer has no Source 1: %+v", x.Messages[len(x.Messages)-1].Body.Components)
	}
	click := f.HTTPClickTrip(t, url, "640000000000000002", x.Messages[len(x.Messages)-1].ID, src.CustomID, nil, fakediscord.Member{})
	if click.Callback.Flags != 64 || !strings.Contains(messageText(click.Messages), "Qatar") {
		t.Errorf("the click on Source 1 over HTTP: %s, answered:\n%s", click.Callback.Raw, messageText(click.Messages))
	}

	help := f.CommandBody("640000000000000003", "help", nil, fakediscord.Member{})
	sig := f.Sign(help, time.Now())
	if status, body, err := f.PostSigned(url, help, sig); status != http.StatusOK || err != nil {
		t.Fatalf("/help over HTTP: %d %s %v", status, body, err)
	}
	if status, _, _ := f.PostSigned(url, help, sig); status != http.StatusUnauthorized {
		t.Errorf("a replay: %d, want 401", status)
	}
	if status, _, _ := f.PostSigned(url, help, nil); status != http.StatusUnauthorized {
		t.Errorf("an unsigned request: %d, want 401", status)
	}

	// The answer to /help follows its acknowledgement: wait for it before
	// the kill, so that a second answer after the restart would show.
	testutil.WaitFor(t, 20*time.Second, "the answer to /help", func() bool { return edits(f, "tok640000000000000003") >= 1 })
	first.Signal(syscall.SIGKILL)
	first.Wait(t, 5*time.Second)
	second := startDiscordBot(t, "second run", dir, env)
	waitListening(t, second)
	if status, _, _ := f.PostSigned(url, help, sig); status != http.StatusUnauthorized {
		t.Errorf("a replay after a restart: %d, want 401", status)
	}
	if n := edits(f, "tok640000000000000003"); n != 1 {
		t.Errorf("/help answered %d times, want once", n)
	}
	if err := second.Stop(t, syscall.SIGTERM, 20*time.Second); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
}

// Two replicas of the binary on one database share the bot's two shards
// (DISCORD_SHARD_COUNT=2, DISCORD_SHARDS=0 and 1): each shard identifies
// once, in one replica; the commands are registered once, by shard 0's;
// every server's commands and mentions are answered once, by the replica
// that runs its shard.
func TestEndToEndDiscordShardedReplicas(t *testing.T) {
	binary(t)
	t.Parallel()
	guilds := map[string][]string{}
	var order []string
	for k := range 4 {
		g := strconv.FormatUint(uint64(5000+k)<<22|1, 10) // shard k%2 of 2
		guilds[g] = []string{fmt.Sprintf("32%016d", k)}
		order = append(order, g)
	}
	f := fakediscord.Start(t, fakediscord.Options{Token: e2eDiscordToken, Guilds: guilds, MaxConcurrency: 2, IdentifyInterval: 5 * time.Second})
	dir := workdir(t)
	var procs []*testutil.Proc
	for sh := range 2 {
		env := append(discordEnv(f, dir, e2eDiscordToken), "DISCORD_SHARD_COUNT=2", "DISCORD_SHARDS="+strconv.Itoa(sh))
		p := startDiscordBot(t, "replica "+strconv.Itoa(sh), dir, env)
		waitReady(t, p, f)
		procs = append(procs, p)
	}
	checkRegistration(t, f, 1)
	ids := f.ShardIdentifies()
	if len(ids) != 2 || ids[0].Refused || ids[1].Refused || ids[0].Shard == ids[1].Shard || ids[0].Count != 2 || ids[1].Count != 2 {
		t.Fatalf("identifies %+v, want shards 0 and 1 of 2, once each", ids)
	}

	for i, g := range order {
		f.RoundTrip(t, fmt.Sprintf("65000000000000000%d", i), "help", nil, fakediscord.Member{Guild: g})
		ch := guilds[g][0]
		f.MessageCreateIn(g, ch, fmt.Sprintf("66000000000000000%d", i), "<@"+fakediscord.BotID+"> briefing Qatar", true, "", nil)
		testutil.WaitFor(t, 10*time.Second, "the reply in guild "+g, func() bool { return len(f.ChannelMessages(ch)) > 0 })
	}
	time.Sleep(time.Second) // a second answer would come now
	for i, g := range order {
		if n := len(f.ChannelMessages(guilds[g][0])); n != 1 {
			t.Errorf("the mention in guild %s answered %d times, want once", g, n)
		}
		if n := edits(f, fmt.Sprintf("tok65000000000000000%d", i)); n != 1 {
			t.Errorf("/help in guild %s answered %d times, want once", g, n)
		}
	}
	if n := len(f.Registrations()); n != 1 {
		t.Errorf("the commands were registered %d times, want once", n)
	}
	for i, p := range procs {
		if logs := p.Stderr.String(); !strings.Contains(logs, fmt.Sprintf("shards=\"%d of 2\"", i)) {
			t.Errorf("replica %d does not log that it runs shard %d of 2", i, i)
		}
		if err := p.Stop(t, syscall.SIGTERM, 20*time.Second); err != nil {
			t.Errorf("replica %d: exit after SIGTERM: %v", i, err)
		}
	}
}
