package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/fakeslack"
	"github.com/briefbot/briefbot/internal/testutil"
)

// End-to-end tests of the built binary on Slack: it runs against the fake
// Slack of internal/fakeslack (SLACK_API_URL), in Socket Mode and in HTTP
// mode, offline.

const (
	e2eSecret     = "e2e-signing-secret-0123456789abcdef"
	seedHeadline  = "Qatar has reportedly begun to exert pressure"
	digestChannel = "CDIGEST"
)

var slackDigestRE = regexp.MustCompile(`Digest for (\S+ \S+ \S+ \S+ \S+ \S+)`)

// slackE2E is the binary on the fake Slack in one mode.
type slackE2E struct {
	t      *testing.T
	f      *fakeslack.Slack
	socket bool
	dir    string // the working directory, with the seed and the database
	env    []string
	addr   string // HTTP mode: SLACK_LISTEN_ADDR
	runs   int
	client *http.Client
}

func newSlackE2E(t *testing.T, socket bool, env ...string) *slackE2E {
	t.Helper()
	f := fakeslack.New(t)
	dir := workdir(t)
	e := &slackE2E{t: t, f: f, socket: socket, dir: dir, client: &http.Client{
		Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true},
	}}
	e.env = []string{
		"DATABASE_PATH=" + filepath.Join(dir, "e2e.db"),
		"SEEDS_DIR=" + filepath.Join(dir, "seeds"),
		"BRIEFING_CHANNELS=slack:" + digestChannel,
		"BRIEFING_SCHEDULE=* * * * * *",
		"CATCHUP_WINDOW=1m",
		"LOG_LEVEL=debug",
		"DISCORD_TOKEN=",
		"SLACK_BOT_TOKEN=" + fakeslack.BotToken,
		"SLACK_API_URL=" + f.URL(),
	}
	if socket {
		e.env = append(e.env, "SLACK_APP_TOKEN="+fakeslack.AppToken, "SLACK_SIGNING_SECRET=", "SLACK_LISTEN_ADDR=")
	} else {
		e.addr = freeAddr(t)
		e.env = append(e.env, "SLACK_APP_TOKEN=", "SLACK_SIGNING_SECRET="+e2eSecret, "SLACK_LISTEN_ADDR="+e.addr)
	}
	e.env = append(e.env, env...)
	return e
}

// freeAddr returns a 127.0.0.1 address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start runs the binary and waits until it is connected (Socket Mode) or
// listening (HTTP mode).
func (e *slackE2E) start() *testutil.Proc {
	e.t.Helper()
	conns := e.f.Conns()
	e.runs++
	p := testutil.Start(e.t, fmt.Sprintf("run %d", e.runs), botCmd(e.t, e.dir, e.env...))
	testutil.WaitFor(e.t, 15*time.Second, "the bot to connect", func() bool {
		select {
		case <-p.Done():
			e.t.Fatalf("the bot exited at start: %v", p.Err())
		default:
		}
		if e.socket {
			return e.f.Conns() > conns
		}
		return strings.Contains(p.Stderr.String(), "slack: listening for Slack")
	})
	return p
}

// post sends a request signed with secret to the binary's HTTP endpoint and
// returns the status, the body and how long the answer took.
func (e *slackE2E) post(path, contentType, body, secret string, header http.Header) (int, string, time.Duration) {
	e.t.Helper()
	return e.postSignedAt(time.Now(), path, contentType, body, secret, header)
}

// postSignedAt is post with the signature's timestamp at.
func (e *slackE2E) postSignedAt(at time.Time, path, contentType, body, secret string, header http.Header) (int, string, time.Duration) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://"+e.addr+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	fakeslack.Sign(req, secret, body, at)
	for k, v := range header {
		req.Header[k] = v
	}
	start := time.Now()
	res, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), time.Since(start)
}

// command sends a slash command and checks it is acknowledged within Slack's
// 3 seconds.
func (e *slackE2E) command(s fakeslack.Slash) {
	e.t.Helper()
	var took time.Duration
	if e.socket {
		took = e.f.AckLatency(e.t, e.f.Envelope(e.t, "slash_commands", s.Payload(), 0))
	} else {
		var status int
		var body string
		status, body, took = e.post("/slack/commands", "application/x-www-form-urlencoded", s.Form(), e2eSecret, nil)
		if status != http.StatusOK || body != "" {
			e.t.Fatalf("/briefbot %s: status %d body %q, want 200 and an empty body", s.Text, status, body)
		}
	}
	if took >= 3*time.Second {
		e.t.Errorf("/briefbot %s acknowledged after %v, want under 3 s", s.Text, took)
	}
}

// event sends an Events API callback; retry > 0 marks it as Slack's retry.
func (e *slackE2E) event(ev map[string]any, retry int) {
	e.t.Helper()
	var took time.Duration
	if e.socket {
		took = e.f.AckLatency(e.t, e.f.Envelope(e.t, "events_api", ev, retry))
	} else {
		body, _ := json.Marshal(ev)
		header := http.Header{}
		// Slack signs each retry when it sends it, later than the first
		// attempt (its signature is then not that of the first).
		at := time.Now().Add(time.Duration(retry) * time.Second)
		if retry > 0 {
			header.Set("X-Slack-Retry-Num", fmt.Sprint(retry))
			header.Set("X-Slack-Retry-Reason", "http_timeout")
		}
		var status int
		status, _, took = e.postSignedAt(at, "/slack/events", "application/json", string(body), e2eSecret, header)
		if status != http.StatusOK {
			e.t.Fatalf("event: status %d, want 200", status)
		}
	}
	if took >= 3*time.Second {
		e.t.Errorf("event acknowledged after %v, want under 3 s", took)
	}
}

// answer waits for the first message posted to ch and returns it.
func (e *slackE2E) answer(ch string) fakeslack.Post {
	e.t.Helper()
	testutil.WaitFor(e.t, 10*time.Second, "an answer in "+ch, func() bool { return len(e.f.PostsTo(ch)) > 0 })
	return e.f.PostsTo(ch)[0]
}

func postContent(t *testing.T, p fakeslack.Post) string {
	t.Helper()
	s, err := p.Content()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// digests returns the slot of every digest posted to the digest channel,
// in order.
func (e *slackE2E) digests() []string {
	var slots []string
	for _, p := range e.f.PostsTo(digestChannel) {
		if m := slackDigestRE.FindStringSubmatch(p.Text); m != nil {
			slots = append(slots, m[1])
		}
	}
	return slots
}

// TestEndToEndSlack runs the built binary against the fake Slack, in Socket
// Mode and in HTTP mode: slash commands and a mention answered, a retried
// event answered once, a bad signature refused, digests posted once per
// slot across a kill -9 and a restart, and SIGTERM a clean exit.
func TestEndToEndSlack(t *testing.T) {
	binary(t) // build before the parallel subtests
	for _, mode := range []string{"socket", "http"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			testSlackMode(t, mode == "socket")
		})
	}
}

func testSlackMode(t *testing.T, socket bool) {
	e := newSlackE2E(t, socket)
	f := e.f
	first := e.start()

	// Slash commands: acknowledged at once, answered in the channel.
	e.command(fakeslack.Slash{Channel: "CHELP", User: "UUSER", Text: "help", ResponseURL: f.ResponseURL(), Trigger: "trig-help"})
	e.command(fakeslack.Slash{Channel: "CBRIEF", User: "UUSER", Text: "briefing", ResponseURL: f.ResponseURL(), Trigger: "trig-brief"})
	if got := postContent(t, e.answer("CHELP")); !strings.Contains(got, "/briefbot briefing") {
		t.Errorf("/briefbot help answered %q", got)
	}
	if got := postContent(t, e.answer("CBRIEF")); !strings.Contains(got, seedHeadline) {
		t.Errorf("/briefbot briefing answered %q, want the seed's headline", got)
	}

	// A mention, and Slack's retry of it: answered once, in its thread.
	const mentionTS = "1700000100.000100"
	mention := fakeslack.MentionEvent("EvE2E1", "CMENTION", "UUSER", "<@"+fakeslack.BotUserID+"> briefing", mentionTS, "")
	e.event(mention, 0)
	e.event(mention, 1)
	if a := e.answer("CMENTION"); a.ThreadTS != mentionTS || !strings.Contains(postContent(t, a), seedHeadline) {
		t.Errorf("mention answered in thread %q with %q, want thread %s and the seed's headline", a.ThreadTS, postContent(t, a), mentionTS)
	}
	testutil.WaitFor(e.t, 5*time.Second, "the retry to be ignored", func() bool {
		return strings.Contains(first.Stderr.String(), "slack: duplicate event ignored")
	})

	// HTTP mode: a request signed with another secret is refused and never
	// reaches the bot.
	if !socket {
		bad := fakeslack.Slash{Channel: "CBAD", User: "UUSER", Text: "briefing", ResponseURL: f.ResponseURL(), Trigger: "trig-bad"}
		if status, _, _ := e.post("/slack/commands", "application/x-www-form-urlencoded", bad.Form(), "not-the-secret", nil); status != http.StatusUnauthorized {
			t.Errorf("badly signed command: status %d, want 401", status)
		}
		if status, _, _ := e.post("/slack/events", "application/json", `{"type":"event_callback"}`, "not-the-secret", nil); status != http.StatusUnauthorized {
			t.Errorf("badly signed event: status %d, want 401", status)
		}
	}

	// Digests every second; kill -9 after three, restart on the same
	// database, three more, then SIGTERM.
	testutil.WaitFor(e.t, 15*time.Second, "3 digests", func() bool { return len(e.digests()) >= 3 })
	if got := postContent(t, f.PostsTo(digestChannel)[0]); !strings.Contains(got, seedHeadline) {
		t.Errorf("the first digest lacks the seed article: %q", got)
	}
	if err := first.Stop(t, syscall.SIGKILL, 15*time.Second); err == nil {
		t.Error("kill -9: exit status 0")
	}
	n := len(e.digests())
	second := e.start()
	testutil.WaitFor(e.t, 15*time.Second, "3 digests after the restart", func() bool { return len(e.digests()) >= n+3 })
	if err := second.Stop(t, syscall.SIGTERM, 15*time.Second); err != nil {
		t.Errorf("SIGTERM: exit %v, want status 0", err)
	}

	slots := e.digests()
	seen := map[string]bool{}
	for _, s := range slots {
		if seen[s] {
			t.Errorf("slot %s posted twice (digests: %v)", s, slots)
		}
		seen[s] = true
	}
	for _, p := range f.PostsTo(digestChannel) {
		if p.ThreadTS != "" {
			t.Errorf("a digest was posted in a thread: %+v", p)
		}
	}
	if n := len(f.PostsTo("CMENTION")); n != 1 {
		t.Errorf("%d answers to the mention and its retry, want 1", n)
	}
	for _, ch := range []string{"CHELP", "CBRIEF"} {
		if n := len(f.PostsTo(ch)); n != 1 {
			t.Errorf("%d answers in %s, want 1", n, ch)
		}
	}
	if n := len(f.PostsTo("CBAD")); n != 0 {
		t.Errorf("a badly signed command was answered %d times", n)
	}
	f.CheckNoProblems(t)
	t.Logf("%d digests, slots %s .. %s", len(slots), slots[0], slots[len(slots)-1])
}

// A bot token Slack rejects stops the binary, in either mode, with an error
// naming SLACK_BOT_TOKEN.
func TestEndToEndSlackBadToken(t *testing.T) {
	binary(t)
	for _, mode := range []string{"socket", "http"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			e := newSlackE2E(t, mode == "socket", "SLACK_BOT_TOKEN=xoxb-revoked")
			p := testutil.Start(t, "bad token", botCmd(t, t.TempDir(), e.env...))
			err := p.Wait(t, 15*time.Second)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() == 0 {
				t.Errorf("exit %v, want a non-zero status", err)
			}
			out := p.Stderr
			if !strings.Contains(out.String(), "SLACK_BOT_TOKEN") || !strings.Contains(out.String(), "invalid_auth") {
				t.Errorf("the error does not name SLACK_BOT_TOKEN:\n%s", out.String())
			}
			if e.f.Conns() != 0 || e.f.Opens() != 0 || len(e.f.Posts()) != 0 {
				t.Error("connected or posted despite the bad token")
			}
		})
	}
}

// The binary in HTTP mode: a workspace admin adds and removes a feed, a
// member may not, and a captured signed request (the admin's /briefbot
// feeds remove) replayed after a restart on the same database is ignored.
func TestEndToEndSlackFeedsAndReplay(t *testing.T) {
	binary(t)
	t.Parallel()
	srv := feedServer(t)
	feed := srv.URL + "/feed.xml"
	e := newSlackE2E(t, false, "FEEDS_ALLOW_PRIVATE=true", "FEEDS_POLL_INTERVAL=1h", "BRIEFING_CHANNELS=")
	f := e.f
	slash := func(ch, user, text string) fakeslack.Slash {
		return fakeslack.Slash{Channel: ch, User: user, Text: text, ResponseURL: f.ResponseURL(), Trigger: "trig-" + ch}
	}
	// send posts body with fixed signature headers, as a replay would.
	send := func(body string, header http.Header) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, "http://"+e.addr+"/slack/commands", strings.NewReader(body))
		req.Header = header.Clone()
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := e.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}

	first := e.start()
	member := slash("CMEMBER", "UUSER", "feeds add "+feed)
	e.command(member)
	testutil.WaitFor(e.t, 10*time.Second, "the refusal", func() bool { return len(f.ResponsesTo(member.ResponseURL)) > 0 })
	if r := f.ResponsesTo(member.ResponseURL)[0]; r.Msg["response_type"] != "ephemeral" || !strings.Contains(mustContent(t, r), "needs someone who can manage the channel") {
		t.Errorf("a member's /briefbot feeds add answered %v %q, want a private refusal", r.Msg["response_type"], mustContent(t, r))
	}
	e.command(slash("CADD1", "UADMIN", "feeds add "+feed))
	if got := postContent(t, e.answer("CADD1")); !strings.Contains(got, "Following "+feed) {
		t.Errorf("an admin's /briefbot feeds add answered %q", got)
	}
	remove := slash("CREMOVE", "UADMIN", "feeds remove "+feed).Form()
	captured, _ := http.NewRequest(http.MethodPost, "/", nil)
	fakeslack.Sign(captured, e2eSecret, remove, time.Now())
	if status := send(remove, captured.Header); status != http.StatusOK {
		t.Fatalf("feeds remove: status %d", status)
	}
	if got := postContent(t, e.answer("CREMOVE")); !strings.Contains(got, "Stopped following "+feed) {
		t.Errorf("an admin's /briefbot feeds remove answered %q", got)
	}
	if err := first.Stop(t, syscall.SIGTERM, 15*time.Second); err != nil {
		t.Errorf("SIGTERM: %v", err)
	}

	second := e.start()
	e.command(slash("CADD2", "UADMIN", "feeds add "+feed))
	e.answer("CADD2")
	if status := send(remove, captured.Header); status != http.StatusOK {
		t.Errorf("the replay: status %d, want 200 (acknowledged and ignored)", status)
	}
	e.command(slash("CLIST", "UUSER", "feeds list"))
	if got := postContent(t, e.answer("CLIST")); !strings.Contains(got, "I follow 1 feed") {
		t.Errorf("after the replay, /briefbot feeds list answered %q", got)
	}
	if n := len(f.PostsTo("CREMOVE")); n != 1 {
		t.Errorf("the remove was answered %d times, want once", n)
	}
	if out := second.Stderr.String(); !strings.Contains(out, "a replay") || !strings.Contains(out, `msg="bot: feed added" url=`+feed+" user=UADMIN user_name=uadmin space=T1 channel=slack:CADD2") {
		t.Errorf("the second run's log lacks the replay or the feed change with IDs:\n%s", out)
	}
	if err := second.Stop(t, syscall.SIGTERM, 15*time.Second); err != nil {
		t.Errorf("SIGTERM: %v", err)
	}
}

func mustContent(t *testing.T, r fakeslack.Response) string {
	t.Helper()
	s, err := r.Content()
	if err != nil {
		t.Fatal(err)
	}
	return s
}
