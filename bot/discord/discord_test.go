package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/fakediscord"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/internal/testutil/stubbot"
)

// newStub answers every request with echo.
func newStub() *stubbot.Stub { return &stubbot.Stub{Answer: echo} }

func echoText(req stubbot.Request) string {
	return fmt.Sprintf("echo command=%s args=%s admin=%v mention=%v", req.Command, req.Args, req.Admin, req.Mention)
}

func echo(req stubbot.Request) bot.Message {
	return bot.Message{Kind: bot.KindInfo, Text: echoText(req)}
}

func testLogger() *slog.Logger {
	if os.Getenv("DISCORD_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

type running struct {
	p    *Platform
	stop func() error
}

// start runs a platform against f until the test ends.
func start(t testing.TB, f *fakediscord.Fake, h *stubbot.Stub, mod func(*Config)) *running {
	t.Helper()
	cfg := Config{Token: fakediscord.Token, APIBase: f.URL(), GuildID: fakediscord.GuildID, AdminRole: "Briefing Admins"}
	if mod != nil {
		mod(&cfg)
	}
	p, err := New(cfg, testLogger())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- p.Run(ctx, h.Handler()) }()
	select {
	case got := <-f.Handshakes():
		if got != "READY" {
			t.Fatalf("first handshake %s", got)
		}
	case err := <-errc:
		cancel()
		t.Fatalf("Run: %v", err)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("no READY within 10s")
	}
	testutil.WaitFor(t, 5*time.Second, "command registration", func() bool {
		return len(f.Requests("PUT", "/api/v9/applications/")) > 0
	})
	var once sync.Once
	var stopErr error
	r := &running{p: p}
	r.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-errc:
			case <-time.After(20 * time.Second):
				stopErr = errors.New("Run did not return within 20s of cancel")
			}
		})
		return stopErr
	}
	t.Cleanup(func() {
		if err := r.stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return r
}

func TestNewValidates(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "DISCORD_TOKEN"},
		{Config{Token: "   "}, "DISCORD_TOKEN"},
		{Config{Token: "a b"}, "DISCORD_TOKEN"},
		{Config{Token: "x", APIBase: "discord.com"}, "DISCORD_API_BASE"},
		{Config{Token: "x", APIBase: "ftp://127.0.0.1/"}, "DISCORD_API_BASE"},
		{Config{Token: "x", GuildID: "my-server"}, "DISCORD_GUILD_ID"},
	} {
		_, err := New(tc.cfg, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error naming %s", tc.cfg, err, tc.want)
		}
	}
	p, err := New(Config{Token: "Bot abc", APIBase: "http://127.0.0.1:9/prefix", GuildID: "123"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name() != "discord" || p.s.Token != "Bot abc" {
		t.Errorf("name %q token %q", p.Name(), p.s.Token)
	}
	if p2, _ := New(Config{Token: "abc"}, nil); p2.s.Token != "Bot abc" || p2.base != nil {
		t.Errorf("token %q base %v: want \"Bot abc\" and no rewriting for Discord itself", p2.s.Token, p2.base)
	}
}

func TestBadTokenStopsTheStart(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	p, err := New(Config{Token: "not-the-token", APIBase: f.URL(), GuildID: fakediscord.GuildID}, testLogger())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = p.Run(ctx, newStub().Handler())
	if err == nil || !strings.Contains(err.Error(), "DISCORD_TOKEN") || !strings.Contains(err.Error(), "401") {
		t.Fatalf("Run with a bad token = %v, want an error naming DISCORD_TOKEN and 401", err)
	}
	t.Log(err)
	if n := len(f.Requests("GET", "/api/v9/gateway")) + len(f.Requests("PUT", "/")); n != 0 {
		t.Errorf("%d gateway or registration requests after a bad token", n)
	}
	if len(f.Identifies()) != 0 {
		t.Errorf("the gateway was opened after a bad token")
	}
}

func TestUnreachableAPIBase(t *testing.T) {
	t.Parallel()
	p, err := New(Config{Token: "x", APIBase: "http://127.0.0.1:1/"}, testLogger())
	if err != nil {
		t.Fatal(err)
	}
	err = p.Run(context.Background(), newStub().Handler())
	if err == nil || !strings.Contains(err.Error(), "DISCORD_API_BASE") {
		t.Fatalf("Run = %v, want an error naming DISCORD_API_BASE", err)
	}
}

func TestStartRegistersCommands(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, guild, path string
	}{
		{"guild", fakediscord.GuildID, "/api/v9/applications/" + fakediscord.AppID + "/guilds/" + fakediscord.GuildID + "/commands"},
		{"global", "", "/api/v9/applications/" + fakediscord.AppID + "/commands"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := fakediscord.Start(t, fakediscord.Options{})
			start(t, f, newStub(), func(c *Config) { c.GuildID = tc.guild })
			puts := f.Requests("PUT", "/api/v9/applications/")
			if len(puts) != 1 || puts[0].Path != tc.path {
				t.Fatalf("registration requests %+v, want one PUT %s", puts, tc.path)
			}
			var cmds []struct {
				Name, Description string
				Type              int
				Options           []struct {
					Type              int
					Name, Description string
					Required          bool
					Choices           []struct{ Name, Value string }
				}
			}
			if err := json.Unmarshal(puts[0].Body, &cmds); err != nil {
				t.Fatal(err)
			}
			if len(cmds) != len(bot.Commands()) {
				t.Fatalf("%d commands registered, want %d", len(cmds), len(bot.Commands()))
			}
			for i, spec := range bot.Commands() {
				c := cmds[i]
				if c.Name != spec.Name || c.Description != spec.Description || c.Type != 1 {
					t.Errorf("command %d = %+v, want %s: %s", i, c, spec.Name, spec.Description)
				}
				if len(c.Options) != len(spec.Options) {
					t.Errorf("/%s: %d options, want %d", spec.Name, len(c.Options), len(spec.Options))
					continue
				}
				for _, o := range spec.Options {
					j := slices.IndexFunc(c.Options, func(x struct {
						Type              int
						Name, Description string
						Required          bool
						Choices           []struct{ Name, Value string }
					}) bool {
						return x.Name == o.Name
					})
					if j < 0 {
						t.Errorf("/%s: option %s missing", spec.Name, o.Name)
						continue
					}
					got := c.Options[j]
					if got.Type != int(discordgo.ApplicationCommandOptionString) || got.Description != o.Description || got.Required != o.Required || len(got.Choices) != len(o.Choices) {
						t.Errorf("/%s %s = %+v, want a string option %+v", spec.Name, o.Name, got, o)
					}
				}
			}
			identifies := f.Identifies()
			if len(identifies) != 1 {
				t.Fatalf("%d identifies", len(identifies))
			}
			if got := identifies[0]["intents"]; got != float64(intents) {
				t.Errorf("intents %v, want %d (guilds and guild messages, nothing privileged)", got, intents)
			}
		})
	}
}

// interactionRoundTrip sends /name and returns the callback, the ack
// latency and the messages the answer became.
func interactionRoundTrip(t *testing.T, f *fakediscord.Fake, id, name string, opts []fakediscord.Opt, m fakediscord.Member) (fakediscord.Callback, time.Duration, []fakediscord.Message) {
	t.Helper()
	x := f.RoundTrip(t, id, name, opts, m)
	return x.Callback, x.Ack, x.Messages
}

func TestEveryCommandRoundTrip(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	h := newStub()
	start(t, f, h, nil)
	values := map[string][]fakediscord.Opt{
		"briefing": {{Name: "topic", Value: "gaza ceasefire"}},
		// given out of order: Args follow the command's own order
		"subscribe": {{Name: "timezone", Value: "Europe/Paris"}, {Name: "schedule", Value: "0 8 * * *"}},
	}
	wantArgs := map[string]string{"briefing": "gaza ceasefire", "subscribe": "0 8 * * * Europe/Paris"}
	for i, spec := range bot.Commands() {
		id := fmt.Sprintf("6000000000000000%02d", i)
		cb, ack, msgs := interactionRoundTrip(t, f, id, spec.Name, values[spec.Name], fakediscord.Member{Perms: discordgo.PermissionManageChannels})
		t.Logf("/%s acknowledged in %v", spec.Name, ack)
		if cb.Type != int(discordgo.InteractionResponseDeferredChannelMessageWithSource) || cb.Flags != 0 {
			t.Errorf("/%s callback type %d flags %d, want a public deferral (5)", spec.Name, cb.Type, cb.Flags)
		}
		if ack > 3*time.Second {
			t.Errorf("/%s acknowledged after %v", spec.Name, ack)
		}
		want := stubbot.Request{Request: bot.Request{Platform: "discord", Channel: fakediscord.ChannelID, User: fakediscord.UserID, UserName: "alice", Command: spec.Name, Args: wantArgs[spec.Name]}, Admin: true}
		if len(msgs) != 1 || msgs[0].Via != "edit" || msgs[0].Body.Content != escape(echoText(want)) {
			t.Errorf("/%s answered with %+v, want an edit of @original saying %q", spec.Name, msgs, escape(echoText(want)))
		}
	}
	reqs := h.Requests()
	testutil.WaitFor(t, 2*time.Second, "Sent calls", func() bool { return len(h.Posts()) == len(bot.Commands()) })
	sent := h.Posts()
	for i, spec := range bot.Commands() {
		r := reqs[i]
		if r.Platform != "discord" || r.Channel != fakediscord.ChannelID || r.User != fakediscord.UserID || r.UserName != "alice" ||
			r.Command != spec.Name || r.Args != wantArgs[spec.Name] || !r.Admin || r.Mention || r.Received.IsZero() {
			t.Errorf("request %d = %+v", i, r)
		}
		if sent[i].To != (bot.Destination{Platform: "discord", Channel: fakediscord.ChannelID}) || len(sent[i].IDs) != 1 {
			t.Errorf("Sent %d = %+v", i, sent[i])
		}
	}
}

func TestAdmin(t *testing.T) {
	t.Parallel()
	type check struct {
		name string
		m    fakediscord.Member
		want bool
	}
	groups := []struct {
		adminRole string
		state     bool // the guild's roles are in the gateway state
		checks    []check
	}{
		{"", true, []check{
			{"manage channels", fakediscord.Member{Perms: discordgo.PermissionManageChannels | discordgo.PermissionSendMessages}, true},
			{"administrator", fakediscord.Member{Perms: discordgo.PermissionAdministrator}, true},
			{"plain member", fakediscord.Member{Perms: discordgo.PermissionSendMessages}, false},
			{"no admin role set", fakediscord.Member{Roles: []string{fakediscord.RoleAdminsID}}, false},
			{"direct message", fakediscord.Member{DM: true}, true},
		}},
		{"Briefing Admins", true, []check{
			{"plain member", fakediscord.Member{Perms: discordgo.PermissionSendMessages, Roles: []string{fakediscord.RoleOtherID}}, false},
			{"admin role by name", fakediscord.Member{Roles: []string{fakediscord.RoleOtherID, fakediscord.RoleAdminsID}}, true},
		}},
		{"@briefing admins", true, []check{
			{"admin role by name, any case", fakediscord.Member{Roles: []string{fakediscord.RoleAdminsID}}, true},
		}},
		{fakediscord.RoleAdminsID, true, []check{
			{"admin role by ID", fakediscord.Member{Roles: []string{fakediscord.RoleAdminsID}}, true},
			{"other role", fakediscord.Member{Roles: []string{fakediscord.RoleModsID}}, false},
		}},
		{"Briefing Admins", false, []check{
			{"admin role by name over REST", fakediscord.Member{Roles: []string{fakediscord.RoleAdminsID}}, true},
			{"other role over REST", fakediscord.Member{Roles: []string{fakediscord.RoleOtherID}}, false},
		}},
	}
	for _, g := range groups {
		t.Run(fmt.Sprintf("role=%q,state=%v", g.adminRole, g.state), func(t *testing.T) {
			t.Parallel()
			f := fakediscord.Start(t, fakediscord.Options{NoGuildCreate: !g.state})
			h := newStub()
			start(t, f, h, func(c *Config) { c.AdminRole = g.adminRole })
			for i, c := range g.checks {
				cb, _, msgs := interactionRoundTrip(t, f, fmt.Sprintf("61000000000000000%d", i), "unsubscribe", nil, c.m)
				reqs := h.Requests()
				if len(reqs) != i+1 || reqs[i].Admin != c.want {
					t.Fatalf("%s: request %+v, want Admin=%v", c.name, reqs[len(reqs)-1], c.want)
				}
				// An admin command certain to be refused is deferred privately.
				wantFlags := 0
				if !c.want && g.state {
					wantFlags = int(discordgo.MessageFlagsEphemeral)
				}
				if cb.Flags != wantFlags {
					t.Errorf("%s: callback flags %d, want %d", c.name, cb.Flags, wantFlags)
				}
				if len(msgs) != 1 {
					t.Errorf("%s: answer %+v", c.name, msgs)
				}
			}
			// Role names come from the gateway's state, else from REST.
			if rest := len(f.Requests("GET", "/api/v9/guilds/"+fakediscord.GuildID+"/roles")); (rest > 0) != !g.state {
				t.Errorf("%d role lookups over REST with the roles in state: %v", rest, g.state)
			}
		})
	}
}

func TestMentionAndReplyMention(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	h := newStub()
	start(t, f, h, nil)

	// Not for the bot, or from a bot: ignored.
	f.MessageCreate("810000000000000001", "good morning", false, "", nil)
	bots := map[string]any{
		"id": "810000000000000002", "channel_id": fakediscord.ChannelID, "guild_id": fakediscord.GuildID, "type": 0,
		"content": "<@" + fakediscord.BotID + "> briefing", "author": map[string]any{"id": "999", "username": "otherbot", "bot": true},
		"mentions": []any{map[string]any{"id": fakediscord.BotID}},
	}
	f.Dispatch("MESSAGE_CREATE", bots)

	f.MessageCreate("810000000000000003", "<@"+fakediscord.BotID+"> briefing   gaza", true, "", []string{fakediscord.RoleModsID})
	testutil.WaitFor(t, 5*time.Second, "the reply to a mention", func() bool { return len(f.ChannelMessages(fakediscord.ChannelID)) == 1 })
	f.MessageCreate("810000000000000004", "<@!"+fakediscord.BotID+"> source 2?", true, "810000000000000099", nil)
	testutil.WaitFor(t, 5*time.Second, "the reply to a reply-mention", func() bool { return len(f.ChannelMessages(fakediscord.ChannelID)) == 2 })
	testutil.WaitFor(t, 2*time.Second, "Sent calls", func() bool { return len(h.Posts()) == 2 })

	reqs := h.Requests()
	if len(reqs) != 2 {
		t.Fatalf("handled %d messages, want 2: %+v", len(reqs), reqs)
	}
	want := []stubbot.Request{
		{Request: bot.Request{Platform: "discord", Channel: fakediscord.ChannelID, User: fakediscord.UserID, UserName: "alice", Args: "briefing gaza", Mention: true, MessageID: "810000000000000003", Space: fakediscord.GuildID}, Admin: true},
		{Request: bot.Request{Platform: "discord", Channel: fakediscord.ChannelID, User: fakediscord.UserID, UserName: "alice", Args: "source 2?", Mention: true, MessageID: "810000000000000004", ReplyTo: "810000000000000099", Space: fakediscord.GuildID}, Admin: false},
	}
	for i, w := range want {
		got := reqs[i]
		got.Received = time.Time{}
		if got != w {
			t.Errorf("request %d = %+v\nwant        %+v", i, got, w)
		}
	}
	for i, m := range f.ChannelMessages(fakediscord.ChannelID) {
		ref := m.Body.Reference
		if ref == nil || ref.MessageID != want[i].MessageID {
			t.Errorf("reply %d has reference %+v, want a reply to %s", i, ref, want[i].MessageID)
		}
		if am := m.Body.AllowedMentions; am == nil || am.RepliedUser || len(am.Parse) != 0 {
			t.Errorf("reply %d allowed_mentions %+v: must ping no one, not even the author", i, am)
		}
		if m.Body.Content != escape(echoText(reqs[i])) {
			t.Errorf("reply %d content %q", i, m.Body.Content)
		}
	}
	for i, s := range h.Posts() {
		if s.To != (bot.Destination{Platform: "discord", Channel: fakediscord.ChannelID, Thread: want[i].MessageID}) || len(s.IDs) != 1 {
			t.Errorf("Sent %d = %+v", i, s)
		}
	}
}

func briefingMessage(bullets int, text string) bot.Message {
	s := bot.Story{
		ArticleID: "a1", Headline: "Riverside bridge to close for six months", URL: "https://example.org/news/riverside-bridge?id=1_2",
		Source: "Valley Courier", Published: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC),
		Gist: "The Riverside Avenue bridge will close for repairs.",
	}
	for i := 1; i <= bullets; i++ {
		s.Bullets = append(s.Bullets, bot.Bullet{N: i, Text: fmt.Sprintf("%s claim %d", text, i), Quoted: i%2 == 0, Attribution: "Mayor Jane Doe, via Valley Courier", ArticleID: "a1", ClaimIndex: i})
	}
	return bot.Message{Kind: bot.KindBriefing, Header: "Briefing", Stories: []bot.Story{s}, Footer: "Reply “source 2” to see where a claim comes from."}
}

func TestPost(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	p, err := New(Config{Token: fakediscord.Token, APIBase: f.URL()}, testLogger())
	if err != nil {
		t.Fatal(err)
	}
	// Post works without Run: it needs REST only.
	ids, err := p.Post(context.Background(), bot.Destination{Platform: "discord", Channel: fakediscord.ChannelID}, briefingMessage(3, "The bridge"))
	if err != nil {
		t.Fatal(err)
	}
	msgs := f.ChannelMessages(fakediscord.ChannelID)
	if len(ids) != 1 || len(msgs) != 1 || msgs[0].ID != ids[0] {
		t.Fatalf("ids %v, messages %+v", ids, msgs)
	}
	b := msgs[0].Body
	if b.Content != "Briefing" || len(b.Embeds) != 2 {
		t.Fatalf("posted %+v", b)
	}
	e := b.Embeds[0]
	if e.Title != "Riverside bridge to close for six months" || e.URL != "https://example.org/news/riverside-bridge?id=1_2" ||
		e.Footer == nil || e.Footer.Text != "Valley Courier · 4 Mar 2026" {
		t.Errorf("embed %+v", e)
	}
	wantDesc := "The Riverside Avenue bridge will close for repairs.\n\n" +
		"1. The bridge claim 1 (Mayor Jane Doe, via Valley Courier)\n" +
		"2. “The bridge claim 2” (Mayor Jane Doe, via Valley Courier)\n" +
		"3. The bridge claim 3 (Mayor Jane Doe, via Valley Courier)"
	if e.Description != wantDesc {
		t.Errorf("description\n%s\nwant\n%s", e.Description, wantDesc)
	}
	if b.Embeds[1].Description != "Reply “source 2” to see where a claim comes from." {
		t.Errorf("footer embed %+v", b.Embeds[1])
	}

	// A reply: to.Thread is the message to answer.
	if _, err := p.Post(context.Background(), bot.Destination{Platform: "discord", Channel: fakediscord.ChannelID, Thread: "810000000000000005"}, bot.Message{Kind: bot.KindInfo, Text: "ok"}); err != nil {
		t.Fatal(err)
	}
	if ref := f.ChannelMessages(fakediscord.ChannelID)[1].Body.Reference; ref == nil || ref.MessageID != "810000000000000005" {
		t.Errorf("reference %+v", ref)
	}
}

func TestPostRateLimitedThenDelivered(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	f.RateLimit(fakediscord.ChannelID, 1)
	p, _ := New(Config{Token: fakediscord.Token, APIBase: f.URL()}, testLogger())
	start := time.Now()
	ids, err := p.Post(context.Background(), bot.Destination{Platform: "discord", Channel: fakediscord.ChannelID}, briefingMessage(2, "x"))
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	posts := f.Requests("POST", "/api/v9/channels/"+fakediscord.ChannelID+"/messages")
	if len(posts) != 2 || posts[0].Status != 429 || posts[1].Status != 200 {
		t.Fatalf("requests %+v, want a 429 then a success", posts)
	}
	if msgs := f.ChannelMessages(fakediscord.ChannelID); len(ids) != 1 || len(msgs) != 1 {
		t.Fatalf("delivered %d times (ids %v), want once", len(msgs), ids)
	}
	if took < 50*time.Millisecond {
		t.Errorf("retried after %v, before retry_after (50ms)", took)
	}
}

func TestPostChannelGone(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	p, _ := New(Config{Token: fakediscord.Token, APIBase: f.URL()}, testLogger())
	f.Fail("301", 404)
	f.Fail("302", 403)
	f.Fail("303", 500)
	for ch, gone := range map[string]bool{"301": true, "302": true, "303": false, "general": true} {
		_, err := p.Post(context.Background(), bot.Destination{Platform: "discord", Channel: ch}, bot.Message{Kind: bot.KindDigest, Text: "x"})
		if err == nil || errors.Is(err, bot.ErrChannelGone) != gone {
			t.Errorf("Post to %s: %v, want ErrChannelGone=%v", ch, err, gone)
		}
	}
	if n := len(f.Requests("POST", "/api/v9/channels/general")); n != 0 {
		t.Errorf("a channel name was sent to Discord")
	}
	if _, err := p.Post(context.Background(), bot.Destination{Platform: "slack", Channel: "C1"}, bot.Message{Text: "x"}); err == nil {
		t.Errorf("Post to a Slack destination succeeded")
	}
}

func TestGatewayDropThenResume(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	h := newStub()
	start(t, f, h, nil)
	interactionRoundTrip(t, f, "620000000000000001", "help", nil, fakediscord.Member{})
	seq := f.Seq()

	f.DropGateway()
	f.WaitHandshake("RESUMED")
	identifies, resumes := len(f.Identifies()), f.Resumes()
	if identifies != 1 || len(resumes) != 1 {
		t.Fatalf("%d identifies and %d resumes, want 1 and 1", identifies, len(resumes))
	}
	if resumes[0]["session_id"] != "session-1" || resumes[0]["seq"] != float64(seq) || resumes[0]["token"] != "Bot "+fakediscord.Token {
		t.Errorf("resume %v, want session-1 at seq %d", resumes[0], seq)
	}
	_, _, msgs := interactionRoundTrip(t, f, "620000000000000002", "schedule", nil, fakediscord.Member{})
	if len(msgs) != 1 || !strings.Contains(msgs[0].Body.Content, "command=schedule") {
		t.Errorf("after the resume: %+v", msgs)
	}

	// Discord asking for a reconnection (op 7) resumes the same way.
	f.AskReconnect()
	f.WaitHandshake("RESUMED")
	_, _, msgs = interactionRoundTrip(t, f, "620000000000000003", "help", nil, fakediscord.Member{})
	if len(msgs) != 1 || !strings.Contains(msgs[0].Body.Content, "command=help") {
		t.Errorf("after the second resume: %+v", msgs)
	}
	if identifies, resumes := f.Identifies(), f.Resumes(); len(identifies) != 1 || len(resumes) != 2 {
		t.Errorf("%d identifies and %d resumes, want 1 and 2", len(identifies), len(resumes))
	}
}

func TestHandlerPanicStillCompletes(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	h := &stubbot.Stub{Answer: func(stubbot.Request) bot.Message { panic("boom") }}
	start(t, f, h, nil)
	_, _, msgs := interactionRoundTrip(t, f, "630000000000000001", "briefing", nil, fakediscord.Member{})
	if len(msgs) != 1 || !strings.Contains(msgs[0].Body.Content, "Something went wrong") {
		t.Fatalf("answer after a panic: %+v", msgs)
	}
}

func TestLongAnswerIsEditPlusFollowUps(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	long := strings.Repeat("word ", 50) + "https://example.org/a/very/long/path_with_underscores?q=1"
	h := &stubbot.Stub{Answer: func(stubbot.Request) bot.Message { return briefingMessage(40, long) }}
	start(t, f, h, nil)
	token := f.Interaction("640000000000000001", "briefing", nil, fakediscord.Member{})
	want := len(render(briefingMessage(40, long)))
	if want < 2 {
		t.Fatalf("the test message renders as %d message(s); want several", want)
	}
	testutil.WaitFor(t, 5*time.Second, "every part", func() bool { return len(f.MessagesFor(token)) == want })
	msgs := f.MessagesFor(token)
	testutil.WaitFor(t, 2*time.Second, "Sent", func() bool { return len(h.Posts()) == 1 })
	var ids []string
	for i, m := range msgs {
		if (i == 0) != (m.Via == "edit") {
			t.Errorf("part %d via %s", i, m.Via)
		}
		checkLimits(t, part{Content: m.Body.Content, Embeds: m.Body.Embeds})
		ids = append(ids, m.ID)
	}
	if got := h.Posts()[0].IDs; !slices.Equal(got, ids) {
		t.Errorf("Sent ids %v, want %v", got, ids)
	}
}

// TestNoOnePinged sends article and user text full of mentions through
// every path (an interaction answer with follow-ups, a mention reply, a
// post) and checks that every message forbids all mentions.
func TestNoOnePinged(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	nasty := "@everyone @here <@123> <@!123> <@&1> <#5> look"
	msg := briefingMessage(30, nasty+" "+strings.Repeat("filler ", 40))
	msg.Header = "@everyone digest"
	msg.Stories[0].Headline = "@here <@&1> headline"
	h := &stubbot.Stub{Answer: func(stubbot.Request) bot.Message { return msg }}
	r := start(t, f, h, nil)

	token := f.Interaction("650000000000000001", "briefing", []fakediscord.Opt{{Name: "topic", Value: "@everyone"}}, fakediscord.Member{})
	parts := len(render(msg))
	testutil.WaitFor(t, 5*time.Second, "the answer", func() bool { return len(f.MessagesFor(token)) == parts })
	f.MessageCreate("850000000000000001", "<@"+fakediscord.BotID+"> @everyone <@&1>", true, "", nil)
	testutil.WaitFor(t, 5*time.Second, "the reply", func() bool { return len(f.ChannelMessages(fakediscord.ChannelID)) == parts })
	if _, err := r.p.Post(context.Background(), bot.Destination{Platform: "discord", Channel: "310000000000000001"}, msg); err != nil {
		t.Fatal(err)
	}

	all := f.Messages()
	if len(all) != 3*parts {
		t.Fatalf("%d messages, want %d", len(all), 3*parts)
	}
	for _, m := range all {
		var raw struct {
			AllowedMentions *json.RawMessage `json:"allowed_mentions"`
		}
		_ = json.Unmarshal(m.Raw, &raw)
		if raw.AllowedMentions == nil {
			t.Errorf("%s message %s has no allowed_mentions", m.Via, m.ID)
			continue
		}
		am := m.Body.AllowedMentions
		if am.Parse == nil || len(am.Parse) != 0 || len(am.Users) != 0 || len(am.Roles) != 0 || am.RepliedUser {
			t.Errorf("%s message %s allowed_mentions %s, want {\"parse\":[]}", m.Via, m.ID, *raw.AllowedMentions)
		}
		text := m.Body.Content
		for _, e := range m.Body.Embeds {
			text += e.Title + e.Description
		}
		for _, bad := range []string{"@everyone", "@here", " <@123>", " <@&1>"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s message %s shows %q unescaped", m.Via, m.ID, bad)
			}
		}
	}
	cb, _, _ := f.Callback("650000000000000001")
	if !strings.Contains(string(cb.Raw), `"allowed_mentions":{"parse":[]`) {
		t.Errorf("callback %s has no empty allowed_mentions", cb.Raw)
	}
}

func TestShutdownIsClean(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	r := start(t, f, newStub(), nil)
	t0 := time.Now()
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
	t.Logf("Run returned %v after cancel", time.Since(t0))
	select {
	case <-f.GatewayClosed():
	case <-time.After(3 * time.Second):
		t.Fatal("the gateway connection is still open after Run returned")
	}
	time.Sleep(300 * time.Millisecond)
	if identifies, resumes := f.Identifies(), f.Resumes(); len(identifies)+len(resumes) != 1 {
		t.Errorf("reconnected after shutdown: %d identifies, %d resumes", len(identifies), len(resumes))
	}
}

func TestRunTwice(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	r := start(t, f, newStub(), nil)
	if err := r.p.Run(context.Background(), newStub().Handler()); err == nil {
		t.Error("a second Run while running succeeded")
	}
}

// TestAckDoesNotWaitForTheAnswer holds the answer until the deferral has
// arrived: the acknowledgement must not depend on how long answering takes.
func TestAckDoesNotWaitForTheAnswer(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	release := make(chan struct{})
	h := &stubbot.Stub{Answer: func(req stubbot.Request) bot.Message {
		<-release
		return echo(req)
	}}
	start(t, f, h, nil)
	token := f.Interaction("660000000000000001", "briefing", nil, fakediscord.Member{})
	testutil.WaitFor(t, 3*time.Second, "the deferral while the answer is held", func() bool {
		_, _, ok := f.Callback("660000000000000001")
		return ok
	})
	if n := len(f.MessagesFor(token)); n != 0 {
		t.Fatalf("%d answers before the handler returned", n)
	}
	close(release)
	testutil.WaitFor(t, 3*time.Second, "the answer", func() bool { return len(f.MessagesFor(token)) == 1 })
}

// TestShutdownFinishesAnswersInProgress cancels Run while an answer is
// being prepared: the answer is still posted, before Run returns.
func TestShutdownFinishesAnswersInProgress(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	started := make(chan struct{})
	h := &stubbot.Stub{Answer: func(req stubbot.Request) bot.Message {
		close(started)
		time.Sleep(1500 * time.Millisecond)
		return echo(req)
	}}
	r := start(t, f, h, nil)
	token := f.Interaction("670000000000000001", "briefing", nil, fakediscord.Member{})
	<-started
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
	if msgs := f.MessagesFor(token); len(msgs) != 1 {
		t.Fatalf("answers after Run returned: %+v", msgs)
	}
	if len(h.Posts()) != 1 {
		t.Errorf("Sent not called before Run returned")
	}
}

// Every command says where it may be used (server channels and a DM with
// the bot, installed in servers), and the admin commands need Manage
// Channels by default, so that Discord hides them from members who lack
// it; unless DISCORD_ADMIN_ROLE names a role Discord cannot know of, in
// which case they stay visible and the bot alone checks.
func TestCommandsDeclareWhereAndWhoMayUseThem(t *testing.T) {
	t.Parallel()
	for _, role := range []string{"", "Briefing Admins"} {
		t.Run("role="+role, func(t *testing.T) {
			t.Parallel()
			f := fakediscord.Start(t, fakediscord.Options{})
			start(t, f, newStub(), func(c *Config) { c.AdminRole = role })
			cmds := f.Commands()
			if len(cmds) != len(bot.Commands()) {
				t.Fatalf("%d commands registered, want %d", len(cmds), len(bot.Commands()))
			}
			if r := f.Registrations(); r[len(r)-1].Status != 200 {
				t.Fatalf("registration answered %d", r[len(r)-1].Status)
			}
			for i, spec := range bot.Commands() {
				c := cmds[i]
				if c.Contexts == nil || !slices.Equal(*c.Contexts, []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}) {
					t.Errorf("/%s contexts %v, want guild and bot DM only", c.Name, c.Contexts)
				}
				if c.IntegrationTypes == nil || !slices.Equal(*c.IntegrationTypes, []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}) {
					t.Errorf("/%s integration types %v, want guild install only", c.Name, c.IntegrationTypes)
				}
				hidden := spec.Right != bot.Anyone && role == ""
				switch p := c.DefaultMemberPermissions; {
				case hidden && (p == nil || *p != discordgo.PermissionManageChannels):
					t.Errorf("/%s default_member_permissions %v, want Manage Channels", c.Name, p)
				case !hidden && p != nil:
					t.Errorf("/%s default_member_permissions %d, want none (everyone)", c.Name, *p)
				}
			}
			var raw []map[string]any
			if err := json.Unmarshal(f.Registrations()[0].Body, &raw); err != nil {
				t.Fatal(err)
			}
			for _, c := range raw {
				if p, ok := c["default_member_permissions"]; ok && p != "16" {
					t.Errorf("/%s default_member_permissions sent as %#v, want the string \"16\"", c["name"], p)
				}
			}
		})
	}
}

// A direct message has no member, only a user: the bot learns that it is
// a DM (so it refuses changes to shared state), and a feed change from
// there is deferred privately, since its refusal is certain.
func TestDirectMessageInteraction(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	h := newStub()
	start(t, f, h, nil)
	dm := fakediscord.Member{DM: true}
	cb, _, _ := interactionRoundTrip(t, f, "620000000000000001", "feeds", []fakediscord.Opt{{Name: "action", Value: "remove"}, {Name: "url", Value: "https://news.example.org/rss"}}, dm)
	if cb.Flags != int(discordgo.MessageFlagsEphemeral) {
		t.Errorf("/feeds remove by DM deferred with flags %d, want ephemeral", cb.Flags)
	}
	cb, _, _ = interactionRoundTrip(t, f, "620000000000000002", "feeds", []fakediscord.Opt{{Name: "action", Value: "list"}}, dm)
	if cb.Flags != 0 {
		t.Errorf("/feeds list by DM deferred with flags %d, want public", cb.Flags)
	}
	reqs := h.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if !r.DM || r.Space != "" || r.Channel != fakediscord.DMChannelID || r.User != fakediscord.UserID || r.Args != "remove https://news.example.org/rss" {
		t.Errorf("DM request %+v", r)
	}
	if !bot.Refuses(r.Request, r.Admin) {
		t.Errorf("the bot would not refuse %+v", r)
	}
	// Outside a DM with the bot (a group DM: no guild, no member), nobody
	// is an admin.
	p := &Platform{}
	for _, c := range []struct {
		ctx  discordgo.InteractionContextType
		want bool
	}{{discordgo.InteractionContextBotDM, true}, {discordgo.InteractionContextPrivateChannel, false}} {
		admin, sure := p.quickAdmin(&discordgo.Interaction{Context: c.ctx, User: &discordgo.User{ID: "1"}})
		if admin != c.want || !sure {
			t.Errorf("context %d: admin %v (sure %v), want %v", c.ctx, admin, sure, c.want)
		}
	}
}
