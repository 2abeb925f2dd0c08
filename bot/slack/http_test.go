package slack

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/fakeslack"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/internal/testutil/stubbot"
	"github.com/briefbot/briefbot/store"
)

// Every request is verified before anything else: a missing, wrong or
// expired signature gets 401, is logged without its body, and reaches
// nothing.
func TestSignatures(t *testing.T) {
	f := fakeslack.New(t)
	h := newStub(0)
	r := start(t, f, h, false)
	const marker = "SECRET-BODY-MARKER"
	body := slash{Channel: "C1", User: "UUSER", Text: "briefing " + marker, ResponseURL: f.ResponseURL(), Trigger: "t1"}.Form()

	send := func(path string, prepare func(*http.Request)) int {
		t.Helper()
		status, _, _ := r.send(t, path, "application/x-www-form-urlencoded", body, prepare)
		return status
	}
	for _, c := range []struct {
		name    string
		path    string
		prepare func(*http.Request)
	}{
		{"missing", commandsPath, func(*http.Request) {}},
		{"wrong secret", commandsPath, func(r *http.Request) { sign(r, "not-the-secret", body, time.Now()) }},
		{"other body", commandsPath, func(r *http.Request) { sign(r, testSecret, body+"&x=1", time.Now()) }},
		{"expired", commandsPath, func(r *http.Request) { sign(r, testSecret, body, time.Now().Add(-6*time.Minute)) }},
		{"future", commandsPath, func(r *http.Request) { sign(r, testSecret, body, time.Now().Add(6*time.Minute)) }},
		{"malformed", commandsPath, func(r *http.Request) {
			sign(r, testSecret, body, time.Now())
			r.Header.Set("X-Slack-Signature", "v0=zz")
		}},
		{"events", eventsPath, func(r *http.Request) { sign(r, "not-the-secret", body, time.Now()) }},
		{"unknown path", "/admin", func(*http.Request) {}},
	} {
		if got := send(c.path, c.prepare); got != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", c.name, got)
		}
	}
	if got := send(commandsPath, func(r *http.Request) { sign(r, testSecret, body, time.Now().Add(-4*time.Minute)) }); got != http.StatusOK {
		t.Errorf("valid signature 4 minutes old: status %d, want 200", got)
	}
	testutil.WaitFor(t, 5*time.Second, "the answer", func() bool { return len(f.PostsTo("C1")) == 1 })
	if n := len(h.Requests()); n != 1 {
		t.Errorf("%d requests reached the bot, want only the valid one", n)
	}
	logs := r.logs.String()
	if strings.Contains(logs, marker) || strings.Contains(logs, "UUSER") {
		t.Errorf("a rejected request's body was logged:\n%s", logs)
	}
	if n := strings.Count(logs, "rejected an unsigned or badly signed request"); n != 8 {
		t.Errorf("%d rejections logged, want 8:\n%s", n, logs)
	}
	for _, reason := range []string{"missing signature headers", "signature does not match", "timestamp more than 5 minutes off", "malformed signature headers"} {
		if !strings.Contains(logs, reason) {
			t.Errorf("no rejection logged with reason %q", reason)
		}
	}

	// Larger than the limit: refused without being read in full.
	big := strings.Repeat("a", maxBody+1)
	req, _ := http.NewRequest(http.MethodPost, r.base+eventsPath, strings.NewReader(big))
	sign(req, testSecret, big, time.Now())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("%d-byte request: status %d, want 413", len(big), res.StatusCode)
	}

	// A signed GET is verified, then refused.
	req, _ = http.NewRequest(http.MethodGet, r.base+commandsPath, nil)
	sign(req, testSecret, "", time.Now())
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("signed GET: status %d, want 405", res.StatusCode)
	}
}

func TestURLVerification(t *testing.T) {
	f := fakeslack.New(t)
	h := newStub(0)
	r := start(t, f, h, false)
	if status, _, _ := r.post(t, commandsPath, "application/x-www-form-urlencoded", "ssl_check=1&token=x", nil); status != http.StatusOK {
		t.Errorf("ssl_check: status %d", status)
	}
	status, body, _ := r.post(t, eventsPath, "application/json",
		`{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`, nil)
	if status != http.StatusOK || strings.TrimSpace(body) != `{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}` {
		t.Errorf("url_verification: %d %q", status, body)
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(h.Requests()); n != 0 {
		t.Errorf("%d requests reached the bot", n)
	}
}

// A bad bot token stops Run at once with an error naming the variable,
// before any connection or listener.
func TestBadToken(t *testing.T) {
	modes(t, func(t *testing.T, socket bool) {
		f := fakeslack.New(t)
		cfg := Config{BotToken: "xoxb-wrong", APIURL: f.URL()}
		if socket {
			cfg.AppToken = fakeslack.AppToken
		} else {
			cfg.SigningSecret, cfg.ListenAddr = testSecret, "127.0.0.1:0"
		}
		p, err := New(cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = p.Run(ctx, newStub(0).Handler())
		if err == nil || !strings.Contains(err.Error(), "SLACK_BOT_TOKEN") || !strings.Contains(err.Error(), "invalid_auth") {
			t.Errorf("Run = %v, want an error naming SLACK_BOT_TOKEN", err)
		}
		opens := f.Opens()
		if p.addr != nil || opens != 0 {
			t.Error("connected or listened despite the bad token")
		}
	})
}

func TestBadAppToken(t *testing.T) {
	f := fakeslack.New(t)
	p, err := New(Config{BotToken: fakeslack.BotToken, AppToken: "xapp-wrong", APIURL: f.URL()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = p.Run(ctx, newStub(0).Handler())
	if err == nil || !strings.Contains(err.Error(), "SLACK_APP_TOKEN") {
		t.Errorf("Run = %v, want an error naming SLACK_APP_TOKEN", err)
	}
}

func TestUnreachableAPI(t *testing.T) {
	p, err := New(Config{BotToken: "xoxb-1", AppToken: "xapp-1", APIURL: "http://127.0.0.1:1/api"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = p.Run(context.Background(), newStub(0).Handler())
	if err == nil || !strings.Contains(err.Error(), "SLACK_API_URL") {
		t.Errorf("Run = %v, want an error naming SLACK_API_URL", err)
	}
}

func TestNewValidates(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string // in the error; "" for none
	}{
		{Config{}, "SLACK_BOT_TOKEN is not set"},
		{Config{BotToken: "xoxp-user"}, "SLACK_BOT_TOKEN must be a bot token"},
		{Config{BotToken: "xoxb-1 2", AppToken: "xapp-1"}, "SLACK_BOT_TOKEN"},
		{Config{BotToken: "xoxb-1"}, "SLACK_APP_TOKEN is not set"},
		{Config{BotToken: "xoxb-1", AppToken: "xoxb-2"}, "SLACK_APP_TOKEN must be an app-level token"},
		{Config{BotToken: "xoxb-1", ListenAddr: ":3000"}, "SLACK_SIGNING_SECRET is not set"},
		{Config{BotToken: "xoxb-1", SigningSecret: "s"}, "SLACK_LISTEN_ADDR is not set"},
		{Config{BotToken: "xoxb-1", SigningSecret: "s", ListenAddr: "3000"}, "SLACK_LISTEN_ADDR"},
		{Config{BotToken: "xoxb-1", AppToken: "xapp-1", APIURL: "ftp://x/"}, "SLACK_API_URL"},
		{Config{BotToken: "xoxb-1", AppToken: "xapp-1", APIURL: "slack.com/api/"}, "SLACK_API_URL"},
		{Config{BotToken: "xoxb-1", AppToken: "xapp-1"}, ""},
		{Config{BotToken: " xoxb-1 ", SigningSecret: "s", ListenAddr: ":3000", APIURL: "http://127.0.0.1:9/api"}, ""},
	} {
		p, err := New(c.cfg, nil)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("New(%+v) = %v", c.cfg, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("New(%+v) = %v, want an error with %q", c.cfg, err, c.want)
		case err == nil && !strings.HasSuffix(p.cfg.APIURL, "/"):
			t.Errorf("API URL %q does not end with /", p.cfg.APIURL)
		}
	}
	p, _ := New(Config{BotToken: "xoxb-1", AppToken: "xapp-1"}, nil)
	if p.cfg.APIURL != defaultAPIURL || !p.SocketMode() || p.Name() != "slack" {
		t.Errorf("defaults: %+v", p.cfg)
	}
}

// Run ends cleanly when its context is done, in both modes.
func TestRunStops(t *testing.T) {
	modes(t, func(t *testing.T, socket bool) {
		f := fakeslack.New(t)
		start(t, f, newStub(0), socket) // its cleanup cancels and checks that Run returns context.Canceled
	})
}

// A signed request is accepted once: the same request sent again (a
// captured request replayed) is acknowledged and ignored, within the run
// and after a restart on the same database, whatever the case of its
// signature's hexadecimal; a signature older than 5 minutes is refused as
// before.
func TestReplayRefusedAfterRestart(t *testing.T) {
	f := fakeslack.New(t)
	path := filepath.Join(t.TempDir(), "briefbot.db")
	body := slash{Channel: "C1", User: "UADMIN", Text: "feeds add https://news.example.org/rss", ResponseURL: f.ResponseURL(), Trigger: "t-replay"}.Form()
	captured, _ := http.NewRequest(http.MethodPost, "/", nil)
	sign(captured, testSecret, body, time.Now())

	send := func(r *running, body string, header http.Header) int {
		t.Helper()
		status, _, _ := r.send(t, commandsPath, "application/x-www-form-urlencoded", body, func(req *http.Request) {
			for k, v := range header {
				req.Header[k] = v
			}
		})
		return status
	}
	run := func(t *testing.T) (*running, *stubbot.Stub) {
		st, err := store.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		h := newStub(0)
		r := startWith(t, f, h, false, func(c *Config) { c.Replay = st })
		t.Cleanup(func() { st.Close() }) // after the platform stops
		return r, h
	}
	upper := captured.Header.Clone()
	upper.Set("X-Slack-Signature", "v0="+strings.ToUpper(strings.TrimPrefix(upper.Get("X-Slack-Signature"), "v0=")))

	t.Run("first run", func(t *testing.T) {
		r, h := run(t)
		if got := send(r, body, captured.Header); got != http.StatusOK {
			t.Fatalf("status %d, want 200", got)
		}
		testutil.WaitFor(t, 5*time.Second, "the request", func() bool { return len(h.Requests()) == 1 })
		if got := send(r, body, captured.Header); got != http.StatusOK {
			t.Errorf("replay: status %d, want 200 (acknowledged, ignored)", got)
		}
		if got := send(r, body, upper); got != http.StatusOK {
			t.Errorf("replay in upper case: status %d", got)
		}
		time.Sleep(100 * time.Millisecond)
		if n := len(h.Requests()); n != 1 {
			t.Errorf("%d requests reached the bot, want 1", n)
		}
	})
	t.Run("after a restart", func(t *testing.T) {
		r, h := run(t)
		for _, hd := range []http.Header{captured.Header, upper} {
			if got := send(r, body, hd); got != http.StatusOK {
				t.Errorf("replay after a restart: status %d, want 200 (acknowledged, ignored)", got)
			}
		}
		old, _ := http.NewRequest(http.MethodPost, "/", nil)
		sign(old, testSecret, body, time.Now().Add(-5*time.Minute-2*time.Second))
		if got := send(r, body, old.Header); got != http.StatusUnauthorized {
			t.Errorf("a signature over 5 minutes old: status %d, want 401", got)
		}
		time.Sleep(100 * time.Millisecond)
		if n := len(h.Requests()); n != 0 {
			t.Errorf("%d replayed requests reached the bot after a restart, want none", n)
		}
		fresh := slash{Channel: "C2", User: "UUSER", Text: "help", ResponseURL: f.ResponseURL(), Trigger: "t-fresh"}.Form()
		if status, _, _ := r.post(t, commandsPath, "application/x-www-form-urlencoded", fresh, nil); status != http.StatusOK {
			t.Errorf("a new request: status %d", status)
		}
		testutil.WaitFor(t, 5*time.Second, "the new request", func() bool { return len(h.Requests()) == 1 })
		if logs := r.logs.String(); strings.Count(logs, "a replay") != 2 {
			t.Errorf("replays not logged:\n%s", logs)
		}
	})
}

type failingGuard struct{}

func (failingGuard) FirstUse(context.Context, string, time.Time) (bool, error) {
	return false, errors.New("database is locked")
}

// When the replay guard cannot be asked, a signed request is not let
// through: it is acknowledged (Slack's 3 seconds do not wait for the
// database) and refused with a private message to try again.
func TestReplayGuardUnavailable(t *testing.T) {
	f := fakeslack.New(t)
	h := newStub(0)
	r := startWith(t, f, h, false, func(c *Config) { c.Replay = failingGuard{} })
	cmd := slash{Channel: "C1", User: "UUSER", Text: "help", ResponseURL: f.ResponseURL(), Trigger: "t1"}
	r.sendCommand(t, cmd)
	testutil.WaitFor(t, 5*time.Second, "the refusal", func() bool { return len(f.ResponsesTo(cmd.ResponseURL)) > 0 })
	if res := f.ResponsesTo(cmd.ResponseURL)[0]; res.Msg["response_type"] != "ephemeral" || !strings.Contains(content(t, res), "Please try again") {
		t.Errorf("answer %v %q, want a private refusal", res.Msg["response_type"], content(t, res))
	}
	if n := len(h.Requests()); n != 0 {
		t.Errorf("%d requests reached the bot", n)
	}
}
