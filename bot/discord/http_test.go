package discord

import (
	"context"
	"crypto/ed25519"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/internal/fakediscord"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/internal/testutil/stubbot"
	"github.com/briefbot/briefbot/store"
)

// withHTTP has the platform take interactions over HTTP too, on a free
// port, verified with the fake's public key.
func withHTTP(f *fakediscord.Fake) func(*Config) {
	return func(c *Config) { c.PublicKey, c.InteractionsAddr = f.PublicKey(), "127.0.0.1:0" }
}

// endpoint is the platform's Interactions Endpoint URL, once it listens.
func endpoint(t *testing.T, p *Platform) string {
	t.Helper()
	testutil.WaitFor(t, 5*time.Second, "the interactions server", func() bool { return p.InteractionsAddr() != "" })
	return "http://" + p.InteractionsAddr() + InteractionsPath
}

// A command and a click over HTTP take the gateway's way: the deferral is
// the answer to the request (public for a command, private for a click or
// a refusal certain in advance), then the answer replaces it through the
// webhook; nothing is acknowledged over REST.
func TestHTTPCommandAndClick(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	h := newStub()
	r := start(t, f, h, withHTTP(f))
	url := endpoint(t, r.p)

	x := f.HTTPRoundTrip(t, url, "730000000000000001", "briefing", []fakediscord.Opt{{Name: "topic", Value: "bridge"}}, fakediscord.Member{})
	if x.Callback.Type != int(discordgo.InteractionResponseDeferredChannelMessageWithSource) || x.Callback.Flags != 0 {
		t.Errorf("command answered %s, want a public deferral (type 5)", x.Callback.Raw)
	}
	if !strings.Contains(string(x.Callback.Raw), `"allowed_mentions":{"parse":[]`) {
		t.Errorf("deferral %s has no empty allowed_mentions", x.Callback.Raw)
	}
	if len(x.Messages) != 1 || x.Messages[0].Via != "edit" || !strings.Contains(x.Messages[0].Body.Content, "command=briefing args=bridge") {
		t.Errorf("answer %+v, want the edit of @original", x.Messages)
	}
	t.Logf("acknowledged in %v", x.Ack)

	x = f.HTTPClickTrip(t, url, "730000000000000002", "910000000000000001", "bb1:more:00000000000000aa", nil, fakediscord.Member{})
	if x.Callback.Type != 5 || x.Callback.Flags != int(discordgo.MessageFlagsEphemeral) {
		t.Errorf("click answered %s, want a private deferral", x.Callback.Raw)
	}
	x = f.HTTPRoundTrip(t, url, "730000000000000003", "unsubscribe", nil, fakediscord.Member{Perms: discordgo.PermissionSendMessages})
	if x.Callback.Flags != int(discordgo.MessageFlagsEphemeral) {
		t.Errorf("/unsubscribe by a member who may not answered %s, want a private deferral", x.Callback.Raw)
	}
	reqs := h.Requests()
	if len(reqs) != 3 || reqs[0].Command != "briefing" || reqs[0].Space != fakediscord.GuildID || reqs[1].Click != "bb1:more:00000000000000aa" || reqs[1].ReplyTo != "910000000000000001" ||
		reqs[2].Command != "unsubscribe" || reqs[2].Admin {
		t.Errorf("requests %+v", reqs)
	}
	if n := len(f.Requests("POST", "/api/v9/interactions/")); n != 0 {
		t.Errorf("%d acknowledgements over REST for interactions that came over HTTP", n)
	}
}

// Only signed, fresh, first-time requests are taken: one unsigned, signed
// with another key, signed for another body, with a timestamp more than 5
// minutes off, or accepted before, gets 401 and nothing else happens. A
// PING is answered PONG.
func TestHTTPSignatures(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	h := newStub()
	r := start(t, f, h, withHTTP(f))
	url := endpoint(t, r.p)

	status, body, err := f.PostSigned(url, f.PingBody(), f.Sign(f.PingBody(), time.Now()))
	if err != nil || status != http.StatusOK || strings.TrimSpace(string(body)) != `{"type":1}` {
		t.Errorf("PING answered %d %s %v, want 200 {\"type\":1}", status, body, err)
	}

	valid := f.CommandBody("740000000000000001", "help", nil, fakediscord.Member{})
	validSig := f.Sign(valid, time.Now())
	if status, body, err := f.PostSigned(url, valid, validSig); err != nil || status != http.StatusOK {
		t.Fatalf("a signed command: %d %s %v", status, body, err)
	}
	testutil.WaitFor(t, 5*time.Second, "the answer", func() bool { return len(f.MessagesFor("tok740000000000000001")) == 1 })

	_, forger, _ := ed25519.GenerateKey(nil)
	other := f.CommandBody("740000000000000009", "help", nil, fakediscord.Member{})
	for name, try := range map[string]struct {
		body []byte
		h    http.Header
	}{
		"unsigned":          {other, nil},
		"no timestamp":      {other, http.Header{"X-Signature-Ed25519": f.Sign(other, time.Now())["X-Signature-Ed25519"]}},
		"another key":       {other, fakediscord.SignWith(forger, other, time.Now())},
		"another body":      {other, f.Sign(valid, time.Now())},
		"not hexadecimal":   {other, http.Header{"X-Signature-Ed25519": {"zz"}, "X-Signature-Timestamp": {"1"}}},
		"six minutes old":   {other, f.Sign(other, time.Now().Add(-6*time.Minute))},
		"six minutes ahead": {other, f.Sign(other, time.Now().Add(6*time.Minute))},
		"replayed":          {valid, validSig},
	} {
		status, body, err := f.PostSigned(url, try.body, try.h)
		if err != nil || status != http.StatusUnauthorized {
			t.Errorf("%s: %d %s %v, want 401", name, status, body, err)
		}
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(h.Requests()); n != 1 {
		t.Errorf("%d requests reached the bot, want 1: refused ones must not", n)
	}
	if _, _, ok := f.Callback("740000000000000009"); ok || len(f.MessagesFor("tok740000000000000009")) != 0 {
		t.Error("a refused request was answered")
	}
	if status, _, _ := f.PostSigned(strings.TrimSuffix(url, InteractionsPath)+"/other", valid, f.Sign(valid, time.Now())); status != http.StatusNotFound {
		t.Errorf("another path: %d, want 404", status)
	}
}

// A request accepted by one process is refused by another on the same
// database: the signatures are kept there.
func TestHTTPReplayToAnotherProcess(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "shared.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var urls []string
	for range 2 {
		p := runPlatform(t, f, newStub(), Config{NoGateway: true, PublicKey: f.PublicKey(), InteractionsAddr: "127.0.0.1:0", Replay: st})
		urls = append(urls, endpoint(t, p))
	}
	// Stateless processes, without the gateway, answer commands.
	x := f.HTTPRoundTrip(t, urls[0], "750000000000000001", "help", nil, fakediscord.Member{})
	if len(x.Messages) != 1 {
		t.Fatalf("answer %+v", x.Messages)
	}
	body := f.CommandBody("750000000000000002", "help", nil, fakediscord.Member{})
	sig := f.Sign(body, time.Now())
	if status, _, _ := f.PostSigned(urls[1], body, sig); status != http.StatusOK {
		t.Fatalf("a new request to the second process: %d", status)
	}
	if status, _, _ := f.PostSigned(urls[0], body, sig); status != http.StatusUnauthorized {
		t.Errorf("its replay to the first process: %d, want 401", status)
	}
}

type failingGuard struct{}

func (failingGuard) FirstUse(context.Context, string, time.Time) (bool, error) {
	return false, errors.New("database is down")
}

// When the database cannot say whether a request is a replay, it is
// refused with 503, not taken.
func TestHTTPReplayGuardUnavailable(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	h := newStub()
	r := start(t, f, h, func(c *Config) { withHTTP(f)(c); c.Replay = failingGuard{} })
	body := f.CommandBody("760000000000000001", "help", nil, fakediscord.Member{})
	if status, _, _ := f.PostSigned(endpoint(t, r.p), body, f.Sign(body, time.Now())); status != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503", status)
	}
	if len(h.Requests()) != 0 {
		t.Error("the request reached the bot")
	}
}

func TestHTTPSettingsChecked(t *testing.T) {
	key := strings.Repeat("ab", 32)
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{PublicKey: key}, "DISCORD_INTERACTIONS_ADDR is not"},
		{Config{InteractionsAddr: ":8080"}, "DISCORD_PUBLIC_KEY is not"},
		{Config{PublicKey: "abc", InteractionsAddr: ":8080"}, "DISCORD_PUBLIC_KEY"},
		{Config{PublicKey: key, InteractionsAddr: "8080"}, "DISCORD_INTERACTIONS_ADDR"},
	} {
		tc.cfg.Token = "x"
		if _, err := New(tc.cfg, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%+v) = %v, want an error with %q", tc.cfg, err, tc.want)
		}
	}
	f := fakediscord.Start(t, fakediscord.Options{})
	busy := runPlatform(t, f, newStub(), Config{NoGateway: true, PublicKey: key, InteractionsAddr: "127.0.0.1:0"})
	p, err := New(Config{Token: fakediscord.Token, APIBase: f.URL(), NoGateway: true, PublicKey: key, InteractionsAddr: endpointAddr(t, busy)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Run(context.Background(), (&stubbot.Stub{}).Handler()); err == nil || !strings.Contains(err.Error(), "DISCORD_INTERACTIONS_ADDR") {
		t.Errorf("Run on an address in use = %v, want an error naming DISCORD_INTERACTIONS_ADDR", err)
	}
}

func endpointAddr(t *testing.T, p *Platform) string {
	endpoint(t, p)
	return p.InteractionsAddr()
}
