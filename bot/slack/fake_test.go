package slack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeSlack is Slack on 127.0.0.1 for the real slack-go client: the Web API
// methods the bot calls (recording every post), response_url endpoints, and
// Socket Mode (apps.connections.open and a websocket that says hello, pings,
// sends envelopes and checks their acks).
type fakeSlack struct {
	srv      *httptest.Server
	botToken string
	appToken string

	mu         sync.Mutex
	posts      []fakePost // chat.postMessage calls that succeeded
	attempts   map[string]int
	ephemeral  []fakePost
	responses  []fakeResponse // POSTs to response URLs
	nextTS     int
	rateLimit  map[string]int    // channel -> 429s still to answer
	errs       map[string]string // channel -> chat.postMessage error
	admins     map[string]bool
	userInfo   int
	lastPost   map[string]time.Time
	minGap     time.Duration // posts to one channel closer than this are counted in tooFast
	tooFast    int
	postDelay  time.Duration
	problems   []string // protocol errors seen by the fake
	conns      []*fakeConn
	opens      int
	nextEnv    int
	envSent    map[string]time.Time
	acks       map[string]time.Time
	ackCount   map[string]int
	pingEvery  time.Duration
	responseNo int
}

type fakePost struct {
	Channel  string
	ThreadTS string
	User     string // ephemeral only
	Text     string
	Blocks   string // JSON
	TS       string
	Unfurl   string
	At       time.Time
}

type fakeResponse struct {
	URL  string
	Msg  map[string]any
	Body string
	At   time.Time
}

type fakeConn struct {
	ws     *websocket.Conn
	wmu    sync.Mutex
	closed chan struct{}
}

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{
		botToken:  "xoxb-fake-bot",
		appToken:  "xapp-fake-app",
		attempts:  map[string]int{},
		rateLimit: map[string]int{},
		errs:      map[string]string{},
		admins:    map[string]bool{"UADMIN": true},
		lastPost:  map[string]time.Time{},
		envSent:   map[string]time.Time{},
		acks:      map[string]time.Time{},
		ackCount:  map[string]int{},
		pingEvery: 50 * time.Millisecond,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/auth.test", f.authTest)
	mux.HandleFunc("/chat.postMessage", f.postMessage)
	mux.HandleFunc("/chat.postEphemeral", f.postEphemeral)
	mux.HandleFunc("/users.info", f.usersInfo)
	mux.HandleFunc("/apps.connections.open", f.connectionsOpen)
	mux.HandleFunc("/ws", f.websocket)
	mux.HandleFunc("/response/", f.response)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		f.problem("unexpected call " + r.URL.Path)
		writeJSON(w, map[string]any{"ok": false, "error": "unknown_method"})
	})
	f.srv = httptest.NewServer(mux) // 127.0.0.1
	t.Cleanup(f.close)
	return f
}

func (f *fakeSlack) URL() string { return f.srv.URL + "/" }

func (f *fakeSlack) responseURL() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.responseNo++
	return f.srv.URL + "/response/" + strconv.Itoa(f.responseNo)
}

func (f *fakeSlack) close() {
	f.mu.Lock()
	conns := f.conns
	f.mu.Unlock()
	for _, c := range conns {
		c.ws.Close()
	}
	f.srv.Close()
}

func (f *fakeSlack) problem(s string) {
	f.mu.Lock()
	f.problems = append(f.problems, s)
	f.mu.Unlock()
}

func (f *fakeSlack) checkNoProblems(t testing.TB) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.problems {
		t.Errorf("fake Slack: %s", p)
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeSlack) tokenOK(r *http.Request, want string) bool {
	tok := r.PostFormValue("token")
	if tok == "" {
		tok = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
	return tok == want
}

func (f *fakeSlack) authTest(w http.ResponseWriter, r *http.Request) {
	if !f.tokenOK(r, f.botToken) {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	writeJSON(w, map[string]any{"ok": true, "url": "https://fake.slack.test/", "team": "Fake", "user": "briefbot",
		"team_id": "T1", "user_id": "UBOT", "bot_id": "B1"})
}

func (f *fakeSlack) postMessage(w http.ResponseWriter, r *http.Request) {
	if !f.tokenOK(r, f.botToken) {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	ch := r.PostFormValue("channel")
	f.mu.Lock()
	delay := f.postDelay
	f.attempts[ch]++
	if code := f.errs[ch]; code != "" {
		f.mu.Unlock()
		writeJSON(w, map[string]any{"ok": false, "error": code})
		return
	}
	if f.rateLimit[ch] > 0 {
		f.rateLimit[ch]--
		f.mu.Unlock()
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"ok":false,"error":"ratelimited"}`))
		return
	}
	now := time.Now()
	if last, ok := f.lastPost[ch]; ok && f.minGap > 0 && now.Sub(last) < f.minGap {
		f.tooFast++
	}
	f.lastPost[ch] = now
	f.nextTS++
	ts := fmt.Sprintf("1700000000.%06d", f.nextTS)
	f.posts = append(f.posts, fakePost{Channel: ch, ThreadTS: r.PostFormValue("thread_ts"), Text: r.PostFormValue("text"),
		Blocks: r.PostFormValue("blocks"), TS: ts, Unfurl: r.PostFormValue("unfurl_links"), At: now})
	f.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	writeJSON(w, map[string]any{"ok": true, "channel": ch, "ts": ts, "message": map[string]any{"ts": ts, "text": r.PostFormValue("text")}})
}

func (f *fakeSlack) postEphemeral(w http.ResponseWriter, r *http.Request) {
	if !f.tokenOK(r, f.botToken) {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	f.mu.Lock()
	f.nextTS++
	ts := fmt.Sprintf("1700000000.%06d", f.nextTS)
	f.ephemeral = append(f.ephemeral, fakePost{Channel: r.PostFormValue("channel"), User: r.PostFormValue("user"),
		ThreadTS: r.PostFormValue("thread_ts"), Text: r.PostFormValue("text"), Blocks: r.PostFormValue("blocks"), TS: ts, At: time.Now()})
	f.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "message_ts": ts})
}

func (f *fakeSlack) usersInfo(w http.ResponseWriter, r *http.Request) {
	if !f.tokenOK(r, f.botToken) {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	u := r.PostFormValue("user")
	f.mu.Lock()
	f.userInfo++
	admin := f.admins[u]
	f.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "user": map[string]any{"id": u, "name": strings.ToLower(u), "is_admin": admin}})
}

func (f *fakeSlack) response(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var msg map[string]any
	if err := json.Unmarshal(body, &msg); err != nil {
		f.problem("response_url body is not JSON: " + err.Error())
	}
	f.mu.Lock()
	f.responses = append(f.responses, fakeResponse{URL: r.URL.Path, Msg: msg, Body: string(body), At: time.Now()})
	f.mu.Unlock()
	_, _ = w.Write([]byte("ok"))
}

// Socket Mode.

func (f *fakeSlack) connectionsOpen(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+f.appToken {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	f.mu.Lock()
	f.opens++
	f.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws"})
}

// upgrader accepts the Origin slack-go sends, as Slack does.
var upgrader = websocket.Upgrader{CheckOrigin: func(r *http.Request) bool {
	return r.Header.Get("Origin") == "https://api.slack.com"
}}

func (f *fakeSlack) websocket(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		f.problem("websocket upgrade: " + err.Error())
		return
	}
	c := &fakeConn{ws: ws, closed: make(chan struct{})}
	if err := c.write(map[string]any{"type": "hello", "num_connections": 1,
		"connection_info": map[string]any{"app_id": "A1"}, "debug_info": map[string]any{"host": "fake"}}); err != nil {
		ws.Close()
		return
	}
	f.mu.Lock()
	f.conns = append(f.conns, c)
	every := f.pingEvery
	f.mu.Unlock()

	go func() { // Slack pings; slack-go reconnects when the pings stop.
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-c.closed:
				return
			case <-t.C:
				if ws.WriteControl(websocket.PingMessage, []byte("ping"), time.Now().Add(time.Second)) != nil {
					return
				}
			}
		}
	}()
	go func() { // Acks.
		defer close(c.closed)
		for {
			_, data, err := ws.ReadMessage()
			if err != nil {
				return
			}
			var ack struct {
				EnvelopeID string          `json:"envelope_id"`
				Payload    json.RawMessage `json:"payload"`
			}
			if err := json.Unmarshal(data, &ack); err != nil || ack.EnvelopeID == "" {
				f.problem("not an ack: " + string(data))
				continue
			}
			if len(data) >= 20*1024 {
				f.problem("ack of 20 KB or more: Slack drops it")
			}
			f.mu.Lock()
			if _, ok := f.envSent[ack.EnvelopeID]; !ok {
				f.problems = append(f.problems, "ack of an unknown envelope "+ack.EnvelopeID)
			}
			if _, ok := f.acks[ack.EnvelopeID]; !ok {
				f.acks[ack.EnvelopeID] = time.Now()
			}
			f.ackCount[ack.EnvelopeID]++
			f.mu.Unlock()
		}
	}()
}

func (c *fakeConn) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteJSON(v)
}

// conn waits for the n-th websocket connection (from 1).
func (f *fakeSlack) conn(t testing.TB, n int) *fakeConn {
	t.Helper()
	var c *fakeConn
	waitFor(t, 5*time.Second, fmt.Sprintf("websocket connection %d", n), func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		if len(f.conns) >= n {
			c = f.conns[n-1]
			return true
		}
		return false
	})
	return c
}

// envelope sends a Socket Mode envelope on the newest connection and
// returns its ID.
func (f *fakeSlack) envelope(t testing.TB, typ string, payload any, retry int) string {
	t.Helper()
	f.mu.Lock()
	n := len(f.conns)
	f.mu.Unlock()
	c := f.conn(t, max(n, 1))
	f.mu.Lock()
	f.nextEnv++
	id := fmt.Sprintf("env-%d", f.nextEnv)
	f.envSent[id] = time.Now()
	f.mu.Unlock()
	env := map[string]any{"envelope_id": id, "type": typ, "payload": payload,
		"accepts_response_payload": typ == "slash_commands", "retry_attempt": retry}
	if retry > 0 {
		env["retry_reason"] = "timeout"
	}
	if err := c.write(env); err != nil {
		t.Fatalf("send envelope: %v", err)
	}
	return id
}

func (f *fakeSlack) disconnect(t testing.TB) {
	t.Helper()
	f.mu.Lock()
	c := f.conns[len(f.conns)-1]
	f.mu.Unlock()
	if err := c.write(map[string]any{"type": "disconnect", "reason": "refresh_requested", "debug_info": map[string]any{"host": "fake"}}); err != nil {
		t.Fatalf("send disconnect: %v", err)
	}
}

// ackLatency waits for the envelope's ack and returns how long it took.
func (f *fakeSlack) ackLatency(t testing.TB, id string) time.Duration {
	t.Helper()
	var d time.Duration
	waitFor(t, 5*time.Second, "ack of "+id, func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		at, ok := f.acks[id]
		if ok {
			d = at.Sub(f.envSent[id])
		}
		return ok
	})
	return d
}

func (f *fakeSlack) postsTo(ch string) []fakePost {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakePost
	for _, p := range f.posts {
		if p.Channel == ch {
			out = append(out, p)
		}
	}
	return out
}

func (f *fakeSlack) allPosts() []fakePost {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakePost(nil), f.posts...)
}

func (f *fakeSlack) allEphemeral() []fakePost {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakePost(nil), f.ephemeral...)
}

func (f *fakeSlack) responsesTo(url string) []fakeResponse {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeResponse
	for _, r := range f.responses {
		if strings.HasSuffix(url, r.URL) {
			out = append(out, r)
		}
	}
	return out
}

func (f *fakeSlack) allResponses() []fakeResponse {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeResponse(nil), f.responses...)
}

func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// logBuffer collects the platform's log lines, to check what is (not) logged.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func testLogger(t testing.TB) (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("platform log:\n%s", b.String())
		}
	})
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}
