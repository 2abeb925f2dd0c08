package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/fakediscord"
	"github.com/briefbot/briefbot/internal/testutil"
)

// The built binary on Discord: a fake Discord on 127.0.0.1 (DISCORD_API_BASE)
// and the real discordgo client inside the binary, offline.

const (
	e2eDiscordToken   = "e2e-discord-bot-token"
	e2eDigestChannel  = "310000000000000042" // BRIEFING_CHANNELS=discord:<this>
	e2eSeedHeadline   = "Qatar has reportedly begun to exert pressure and Hamas is calling for the end of hostilities in Gaza"
	e2eSeedBulletPart = "Qatari government has told Hamas leaders"
)

// startDiscordBot runs the binary in dir with env, as name in the test's
// log.
func startDiscordBot(t *testing.T, name, dir string, env []string) *testutil.Proc {
	t.Helper()
	return testutil.Start(t, name, botCmd(t, dir, env...))
}

// waitReady waits for the binary's gateway session to be ready (IDENTIFY
// answered with READY), or fails if the process exits first.
func waitReady(t *testing.T, p *testutil.Proc, f *fakediscord.Fake) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case h := <-f.Handshakes():
			if h == "READY" {
				return
			}
		case <-p.Done():
			t.Fatalf("the bot exited before READY: %v", p.Err())
		case <-timeout:
			t.Fatal("no READY from the bot's gateway session within 10s")
		}
	}
}

func discordEnv(f *fakediscord.Fake, dir, token string) []string {
	return []string{
		"DISCORD_TOKEN=" + token,
		"DISCORD_API_BASE=" + f.URL(),
		"DISCORD_GUILD_ID=" + fakediscord.GuildID,
		"DATABASE_PATH=" + filepath.Join(dir, "briefbot.db"),
		"SEEDS_DIR=" + filepath.Join(dir, "seeds"),
		"LOG_LEVEL=debug",
		"SLACK_BOT_TOKEN=", "SLACK_APP_TOKEN=", "SLACK_SIGNING_SECRET=",
	}
}

type digest struct {
	Slot string // the text after "Digest for " in its header
	Late bool   // posted by the catch-up after a restart
}

// digests returns the digests posted to ch, in order.
func digests(f *fakediscord.Fake, ch string) []digest {
	var out []digest
	for _, m := range f.ChannelMessages(ch) {
		first, _, _ := strings.Cut(m.Body.Content, "\n")
		if slot, ok := strings.CutPrefix(first, "Digest for "); ok {
			slot, late := strings.CutSuffix(slot, " (posted late: the bot was down)")
			out = append(out, digest{Slot: slot, Late: late})
		}
	}
	return out
}

// slotTime parses a digest's slot, written in UTC.
func slotTime(t *testing.T, slot string) time.Time {
	t.Helper()
	for _, layout := range []string{"15:04:05 Mon 2 Jan 2006 MST", "15:04 Mon 2 Jan 2006 MST"} {
		if at, err := time.Parse(layout, slot); err == nil {
			return at
		}
	}
	t.Fatalf("digest slot %q is not a time", slot)
	return time.Time{}
}

// messageText is a message's content, embed titles and descriptions.
func messageText(ms []fakediscord.Message) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(m.Body.Content + "\n")
		for _, e := range m.Body.Embeds {
			b.WriteString(e.Title + "\n" + e.Description + "\n")
		}
	}
	return b.String()
}

// checkRegistration checks the n-th bulk overwrite of the commands: in the
// guild, with every command of the bot.
func checkRegistration(t *testing.T, f *fakediscord.Fake, n int) {
	t.Helper()
	testutil.WaitFor(t, 5*time.Second, "command registration", func() bool { return len(f.Registrations()) >= n })
	regs := f.Registrations()
	if len(regs) != n {
		t.Fatalf("%d command registrations, want %d (one bulk overwrite per start)", len(regs), n)
	}
	r := regs[n-1]
	if want := "/api/v9/applications/" + fakediscord.AppID + "/guilds/" + fakediscord.GuildID + "/commands"; r.Path != want || r.Status != 200 {
		t.Errorf("registration PUT %s answered %d, want PUT %s answered 200", r.Path, r.Status, want)
	}
	var cmds []struct {
		Name    string
		Options []struct{ Name string }
	}
	if err := json.Unmarshal(r.Body, &cmds); err != nil {
		t.Fatalf("registration body: %v", err)
	}
	var got, want []string
	for _, c := range cmds {
		got = append(got, c.Name)
	}
	for _, c := range bot.Commands() {
		want = append(want, c.Name)
		if i := slices.IndexFunc(cmds, func(x struct {
			Name    string
			Options []struct{ Name string }
		}) bool {
			return x.Name == c.Name
		}); i >= 0 && len(cmds[i].Options) != len(c.Options) {
			t.Errorf("/%s registered with %d options, want %d", c.Name, len(cmds[i].Options), len(c.Options))
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("registered commands %v, want %v", got, want)
	}
}

// interact sends /name and checks that it is deferred first, within 3 s,
// then answered by editing @original. It returns the answer's messages.
func interact(t *testing.T, f *fakediscord.Fake, id, name string, opts []fakediscord.Opt) []fakediscord.Message {
	t.Helper()
	msgs, _ := interactAs(t, f, id, name, opts, fakediscord.Member{})
	return msgs
}

// interactAs is interact by member m (a DM with m.DM), and returns the
// acknowledgement too.
func interactAs(t *testing.T, f *fakediscord.Fake, id, name string, opts []fakediscord.Opt, m fakediscord.Member) ([]fakediscord.Message, fakediscord.Callback) {
	t.Helper()
	x := f.RoundTrip(t, id, name, opts, m)
	cb, msgs := x.Callback, x.Messages
	if cb.Type != 5 { // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
		t.Errorf("/%s acknowledged with callback type %d, want 5 (deferred)", name, cb.Type)
	}
	t.Logf("/%s acknowledged in %v", name, x.Ack)
	if msgs[0].Via != "edit" {
		t.Errorf("/%s answered first by a %s, want an edit of @original", name, msgs[0].Via)
	}
	edits := f.Requests("PATCH", "/api/v9/webhooks/"+fakediscord.AppID+"/"+x.Token+"/messages/@original")
	if len(edits) == 0 || edits[0].At.Before(cb.At) {
		t.Errorf("/%s: @original edited before the deferral (edits %d)", name, len(edits))
	}
	return msgs, cb
}

// TestEndToEndDiscord runs the built binary against the fake Discord:
// commands registered, /help and /briefing answered (deferred, then the
// @original edit), a mention answered as a reply, per-second digests posted
// to the BRIEFING_CHANNELS channel, each slot once across a kill -9 and a
// restart on the same database (the latest slot missed meanwhile caught up,
// once), and SIGTERM ending with status 0.
func TestEndToEndDiscord(t *testing.T) {
	binary(t)
	t.Parallel()
	start := time.Now()
	f := fakediscord.Start(t, fakediscord.Options{Token: e2eDiscordToken})
	dir := workdir(t)
	env := append(discordEnv(f, dir, e2eDiscordToken),
		"BRIEFING_CHANNELS=discord:"+e2eDigestChannel,
		"BRIEFING_SCHEDULE=* * * * * *",
		"CATCHUP_WINDOW=1m",
	)

	first := startDiscordBot(t, "first run", dir, env)
	waitReady(t, first, f)
	checkRegistration(t, f, 1)
	if id := f.Identifies()[0]; id["token"] != "Bot "+e2eDiscordToken {
		t.Errorf("IDENTIFY token %v", id["token"])
	}

	help := messageText(interact(t, f, "600000000000000001", "help", nil))
	for _, want := range []string{"/briefing", "/subscribe"} {
		if !strings.Contains(help, want) {
			t.Errorf("/help answer lacks %q:\n%s", want, help)
		}
	}
	brief := messageText(interact(t, f, "600000000000000002", "briefing", []fakediscord.Opt{{Name: "topic", Value: "Qatar"}}))
	if !strings.Contains(brief, e2eSeedHeadline) || !strings.Contains(brief, e2eSeedBulletPart) {
		t.Errorf("/briefing Qatar answer lacks the seed's headline or bullet:\n%s", brief)
	}

	f.MessageCreate("810000000000000001", "<@"+fakediscord.BotID+"> briefing Qatar", true, "", nil)
	testutil.WaitFor(t, 5*time.Second, "the reply to the mention", func() bool {
		return len(f.ChannelMessages(fakediscord.ChannelID)) > 0
	})
	reply := f.ChannelMessages(fakediscord.ChannelID)[0]
	if ref := reply.Body.Reference; ref == nil || ref.MessageID != "810000000000000001" {
		t.Errorf("the mention's answer has reference %+v, want a reply to 810000000000000001", ref)
	}
	if am := reply.Body.AllowedMentions; am == nil || am.RepliedUser || len(am.Parse) != 0 {
		t.Errorf("the reply's allowed_mentions %+v: it must ping no one", am)
	}
	if text := messageText([]fakediscord.Message{reply}); !strings.Contains(text, e2eSeedHeadline) {
		t.Errorf("the mention's answer lacks the seed's headline:\n%s", text)
	}

	testutil.WaitFor(t, 10*time.Second, "3 digests in the first run", func() bool {
		return len(digests(f, e2eDigestChannel)) >= 3
	})
	if text := messageText(f.ChannelMessages(e2eDigestChannel)[:1]); !strings.Contains(text, e2eSeedHeadline) {
		t.Errorf("the first digest lacks the seed's headline:\n%s", text)
	}
	if !strings.Contains(first.Stdout.String(), "running on discord") {
		t.Errorf("stdout lacks the start line: %q", first.Stdout)
	}
	if logs := first.Stderr.String(); !strings.Contains(logs, `msg="discord: connected"`) || !strings.Contains(logs, "level=DEBUG") {
		t.Errorf("stderr lacks the debug logs of the connection")
	}

	first.Signal(syscall.SIGKILL)
	first.Wait(t, 5*time.Second)
	before := digests(f, e2eDigestChannel)
	last := time.Time{}
	for _, d := range before {
		if at := slotTime(t, d.Slot); at.After(last) {
			last = at
		}
	}
	// Restart once the slots after the last one posted have come while
	// the bot was down (two: the kill may have left the next one reserved
	// but not posted), so that the restart catches the latest one up.
	time.Sleep(time.Until(last.Add(2*time.Second + 200*time.Millisecond)))

	second := startDiscordBot(t, "second run", dir, env)
	waitReady(t, second, f)
	checkRegistration(t, f, 2)
	testutil.WaitFor(t, 10*time.Second, "3 digests after the restart", func() bool {
		return len(digests(f, e2eDigestChannel)) >= len(before)+3
	})
	if err := second.Stop(t, syscall.SIGTERM, 20*time.Second); err != nil {
		t.Errorf("exit after SIGTERM: %v, want status 0", err)
	}

	all := digests(f, e2eDigestChannel)
	seen := map[string]bool{}
	late := 0
	for i, d := range all {
		if seen[d.Slot] {
			t.Errorf("slot %s posted twice: %+v", d.Slot, all)
		}
		seen[d.Slot] = true
		if d.Late {
			late++
			if i < len(before) || !slotTime(t, d.Slot).After(last) {
				t.Errorf("digest %d %+v posted late, want only a slot after %v caught up after the restart", i, d, last)
			}
		}
	}
	if late != 1 {
		t.Errorf("%d digests caught up after the restart, want 1: %+v", late, all)
	}
	t.Logf("%d digests (%d before the kill), %s", len(all), len(before), time.Since(start).Round(time.Millisecond))
}

// A token Discord refuses makes the binary exit non-zero with a message
// naming DISCORD_TOKEN.
func TestEndToEndDiscordBadToken(t *testing.T) {
	binary(t)
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{Token: e2eDiscordToken})
	dir := workdir(t)
	p := startDiscordBot(t, "bad token", dir, discordEnv(f, dir, "not-the-token"))
	err := p.Wait(t, 10*time.Second)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() == 0 {
		t.Fatalf("exit %v, want a non-zero status", err)
	}
	if out := p.Stderr.String(); !strings.Contains(out, "DISCORD_TOKEN") {
		t.Errorf("stderr does not name DISCORD_TOKEN:\n%s", out)
	}
	if n := len(f.Identifies()) + len(f.Registrations()); n != 0 {
		t.Errorf("%d gateway identifications or registrations with a refused token", n)
	}
}

// A direct message with the bot is a space of its own: from a DM, the
// global feed cannot be removed, and a feed added there is for that DM
// alone, never listed in the server.
func TestEndToEndDiscordDirectMessageIsItsOwnSpace(t *testing.T) {
	binary(t)
	t.Parallel()
	srv := feedServer(t)
	feed := srv.URL + "/feed.xml"
	f := fakediscord.Start(t, fakediscord.Options{Token: e2eDiscordToken})
	dir := workdir(t)
	env := append(discordEnv(f, dir, e2eDiscordToken), "FEEDS="+feed, "FEEDS_ALLOW_PRIVATE=true", "FEEDS_POLL_INTERVAL=1h")
	p := startDiscordBot(t, "bot", dir, env)
	waitReady(t, p, f)
	checkRegistration(t, f, 1)

	dm := fakediscord.Member{DM: true}
	msgs, _ := interactAs(t, f, "630000000000000001", "feeds", []fakediscord.Opt{{Name: "action", Value: "remove"}, {Name: "url", Value: feed}}, dm)
	if text := messageText(msgs); !strings.Contains(text, "only whoever runs the bot can remove it") {
		t.Errorf("/feeds remove of the global feed by DM answered:\n%s", text)
	}
	msgs, _ = interactAs(t, f, "630000000000000002", "feeds", []fakediscord.Opt{{Name: "action", Value: "add"}, {Name: "url", Value: srv.URL + "/spoof.xml"}}, dm)
	if text := messageText(msgs); !strings.Contains(text, "for this conversation") {
		t.Errorf("/feeds add by DM answered:\n%s", text)
	}
	list := messageText(interact(t, f, "630000000000000009", "feeds", []fakediscord.Opt{{Name: "action", Value: "list"}}))
	if !strings.Contains(list, "This server reads 1 feed") || !strings.Contains(list, feed) || strings.Contains(list, "spoof") {
		t.Errorf("/feeds list in the server after the DMs:\n%s", list)
	}
	msgs, _ = interactAs(t, f, "630000000000000010", "feeds", []fakediscord.Opt{{Name: "action", Value: "list"}}, dm)
	dmList := messageText(msgs)
	if !strings.Contains(dmList, "This conversation reads 2 feeds") || !strings.Contains(dmList, "spoof") {
		t.Errorf("/feeds list in the DM:\n%s", dmList)
	}
	if logs := p.Stderr.String(); strings.Contains(logs, "bot: feed removed") || !strings.Contains(logs, "bot: feed added") {
		t.Errorf("logs of the DM's changes:\n%s", logs)
	}
	if err := p.Stop(t, syscall.SIGTERM, 20*time.Second); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
}

// e2eHarborArticle is a second seed article, with a link, for the tests of
// the buttons (written for these tests).
const e2eHarborArticle = `---
title: Millport harbor to be dredged from April
source: Coastal Ledger
url: https://news.example.org/millport-harbor
published: 2026-11-20
---
Dredging of the Millport harbor will begin in April, the port authority said on Tuesday.

"The channel has silted up faster than any of our models predicted," said Ruth Okafor, the authority's chief engineer. "Larger ships already wait for high tide."

The work will cost $18 million, according to the authority's budget. Fishing crews said they feared losing a season of catches.

Harbor master Tom Reyes said two of the six berths would stay open while the dredgers work. Council leader Ana Pryce said the town would pay a third of the cost from its reserves.
`

// addHarbor adds e2eHarborArticle to the seeds of the working directory.
func addHarbor(t *testing.T, dir string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "seeds", "harbor.md"), []byte(e2eHarborArticle), 0o644); err != nil {
		t.Fatal(err)
	}
}

// clickAs clicks the button customID (or chooses values in the menu
// customID) under message msg as member m, checks that the click is
// deferred privately within 3 s, and returns the text of the answer.
func clickAs(t *testing.T, f *fakediscord.Fake, id, msg, customID string, values []string, m fakediscord.Member) (string, []fakediscord.Message) {
	t.Helper()
	x := f.ClickTrip(t, id, msg, customID, values, m)
	if x.Callback.Type != 5 || x.Callback.Flags != 64 || x.Ack > 3*time.Second {
		t.Errorf("click %s: callback type %d flags %d after %v, want a private deferral (5, 64) within 3 s", customID, x.Callback.Type, x.Callback.Flags, x.Ack)
	}
	return messageText(x.Messages), x.Messages
}

// The built binary on Discord: every briefing and digest carries its
// buttons; Sources, More on this and the menus answer privately, also on a
// post from before a restart; Stop these is refused to a member who may
// not manage the channel and, for one who may, asks to confirm and then
// unsubscribes; IDs that do not parse or point nowhere get a clear private
// answer.
func TestEndToEndDiscordButtons(t *testing.T) {
	binary(t)
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{Token: e2eDiscordToken})
	dir := workdir(t)
	addHarbor(t, dir)
	env := append(discordEnv(f, dir, e2eDiscordToken), "BRIEFING_CHANNELS=discord:"+e2eDigestChannel, "BRIEFING_SCHEDULE=* * * * * *")
	admin := fakediscord.Member{Perms: discordgo.PermissionManageChannels}
	member := fakediscord.Member{Perms: discordgo.PermissionSendMessages}

	first := startDiscordBot(t, "first run", dir, env)
	waitReady(t, first, f)
	brief := interact(t, f, "660000000000000001", "briefing", []fakediscord.Opt{{Name: "topic", Value: "Qatar"}})
	post := brief[len(brief)-1]
	source1, ok1 := post.Button("Source 1")
	more, ok2 := post.Button("More on this")
	if !ok1 || !ok2 {
		t.Fatalf("the briefing lacks Source 1 or More on this: %+v", post.Body.Components)
	}
	harbor := interact(t, f, "660000000000000002", "briefing", []fakediscord.Opt{{Name: "topic", Value: "Millport harbor"}})
	if link, ok := harbor[len(harbor)-1].Button("Read the article"); !ok || link.Style != 5 || link.URL != "https://news.example.org/millport-harbor" {
		t.Errorf("the harbor briefing lacks its link button: %+v", harbor[len(harbor)-1].Body.Components)
	}
	testutil.WaitFor(t, 10*time.Second, "a digest", func() bool { return len(f.ChannelMessages(e2eDigestChannel)) > 0 })
	digest := f.ChannelMessages(e2eDigestChannel)[0]
	stop, ok := digest.Button("Stop these")
	menus := digest.Menus()
	if !ok || stop.Style != 4 || len(menus) != 2 || len(menus[0].Options) < 6 {
		t.Fatalf("the digest of two stories lacks Stop these or its menus: %+v", digest.Body.Components)
	}
	if _, ok := post.Button("Stop these"); ok {
		t.Error("a briefing on request has Stop these")
	}
	interactAs(t, f, "660000000000000003", "subscribe", []fakediscord.Opt{{Name: "schedule", Value: "0 8 * * *"}}, admin)
	if text, _ := clickAs(t, f, "660000000000000004", digest.ID, stop.CustomID, nil, member); !strings.Contains(text, "“Stop these” changes this channel, so it needs someone who can manage the channel") {
		t.Errorf("Stop these by a member answered:\n%s", text)
	}
	if err := first.Stop(t, syscall.SIGTERM, 20*time.Second); err != nil {
		t.Errorf("SIGTERM: %v", err)
	}

	second := startDiscordBot(t, "second run", dir, env)
	waitReady(t, second, f)
	if text, _ := clickAs(t, f, "660000000000000005", post.ID, source1.CustomID, nil, member); !strings.Contains(text, "Source of bullet 1 of that briefing") ||
		!strings.Contains(text, "the official told Reuters, speaking on the condition of anonymity") {
		t.Errorf("Source 1 after the restart answered:\n%s", text)
	}
	text, answer := clickAs(t, f, "660000000000000006", post.ID, more.CustomID, nil, member)
	if !strings.Contains(text, "More on this story") || !strings.Contains(text, e2eSeedHeadline) || !strings.Contains(text, "3. Hamas officials called for the end of hostilities") {
		t.Errorf("More on this after the restart answered:\n%s", text)
	}
	if _, ok := answer[0].Button("Source 3"); !ok {
		t.Errorf("the fuller briefing lacks its Sources: %+v", answer[0].Body.Components)
	}
	opt := menus[0].Options[len(menus[0].Options)-1]
	if text, _ := clickAs(t, f, "660000000000000007", digest.ID, menus[0].CustomID, []string{opt.Value}, member); !strings.Contains(text, "of that digest") {
		t.Errorf("the digest's last Sources option answered:\n%s", text)
	}
	if text, _ := clickAs(t, f, "660000000000000008", digest.ID, "bb1:more:ffffffffffffffff", nil, member); !strings.Contains(text, "I no longer have the article this story came from") {
		t.Errorf("More on an article the bot does not have answered:\n%s", text)
	}
	if text, _ := clickAs(t, f, "660000000000000009", digest.ID, "not-a-briefbot-button", nil, member); !strings.Contains(text, "I can't read that button") {
		t.Errorf("an unreadable button answered:\n%s", text)
	}
	_, ask := clickAs(t, f, "660000000000000010", digest.ID, stop.CustomID, nil, admin)
	yes, ok := ask[0].Button("Yes, stop them")
	if !ok || !strings.Contains(messageText(ask), "Stop the scheduled digests in this channel") {
		t.Fatalf("Stop these by an admin answered %+v, want a confirmation", ask)
	}
	if text, _ := clickAs(t, f, "660000000000000011", ask[0].ID, yes.CustomID, nil, admin); !strings.Contains(text, "Unsubscribed.") {
		t.Errorf("the confirmation answered:\n%s", text)
	}
	if text := messageText(interact(t, f, "660000000000000012", "schedule", nil)); !strings.Contains(text, "no digest schedule") {
		t.Errorf("/schedule after Stop these:\n%s", text)
	}
	if err := second.Stop(t, syscall.SIGTERM, 20*time.Second); err != nil {
		t.Errorf("SIGTERM: %v", err)
	}
}
