// Package fakeslack is a fake Slack for tests: [New] runs a [Slack]. Test
// infrastructure only, imported by _test.go files and never by the bot
// itself.
//
// It serves, on 127.0.0.1 only, what the real slack-go client needs: the
// Web API methods the bot calls (auth.test, chat.postMessage,
// chat.postEphemeral, users.info, apps.connections.open), recording every
// post; response_url endpoints, recording every POST to them; and Socket
// Mode, a websocket that says hello, pings, sends the envelopes a test
// pushes (slash_commands, events_api, disconnect) and checks their acks.
// A test can make chat.postMessage answer 429 or an error code for a
// channel.
//
// Point the bot at it with SLACK_API_URL (or slack.Config.APIURL) set to
// URL(), and the tokens BotToken and AppToken. Protocol errors the fake
// sees (an unknown method, an ack of an unknown envelope, a response that is
// not JSON) are collected; CheckNoProblems reports them.
package fakeslack

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/gorilla/websocket"
)

// The credentials the fake accepts, and who the bot is.
const (
	BotToken  = "xoxb-fake-bot"
	AppToken  = "xapp-fake-app"
	BotUserID = "UBOT"
	TeamID    = "T1"
)

// Slack is Slack on 127.0.0.1 for the real slack-go client: the Web API
// methods the bot calls (recording every post), response_url endpoints, and
// Socket Mode (apps.connections.open and a websocket that says hello, pings,
// sends envelopes and checks their acks).
type Slack struct {
	srv *httptest.Server

	mu         sync.Mutex
	posts      []Post // chat.postMessage calls that succeeded
	attempts   map[string]int
	ephemeral  []Post
	responses  []Response // POSTs to response URLs
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
	conns      []*conn
	opens      int
	nextEnv    int
	envSent    map[string]time.Time
	acks       map[string]time.Time
	ackCount   map[string]int
	pingEvery  time.Duration
	responseNo int
}

// Post is a chat.postMessage (or chat.postEphemeral) call.
type Post struct {
	Channel  string
	ThreadTS string
	User     string // ephemeral only
	Text     string
	Blocks   string // JSON
	TS       string
	Unfurl   string
	At       time.Time
}

// Response is a POST to a response_url.
type Response struct {
	URL  string
	Msg  map[string]any
	Body string
	At   time.Time
}

type conn struct {
	ws     *websocket.Conn
	wmu    sync.Mutex
	closed chan struct{}
}

// New starts a fake Slack on 127.0.0.1; it stops when the test ends. User
// UADMIN is a workspace admin.
func New(t testing.TB) *Slack {
	t.Helper()
	f := &Slack{
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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("fake Slack: %v", err)
	}
	f.srv = httptest.NewUnstartedServer(mux)
	f.srv.Listener.Close()
	f.srv.Listener = ln
	f.srv.Start()
	t.Cleanup(f.close)
	return f
}

// URL is the Web API's base URL, ending in "/": SLACK_API_URL.
func (f *Slack) URL() string { return f.srv.URL + "/" }

// ResponseURL returns a new response_url, for one slash command.
func (f *Slack) ResponseURL() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.responseNo++
	return f.srv.URL + "/response/" + strconv.Itoa(f.responseNo)
}

func (f *Slack) close() {
	f.mu.Lock()
	conns := f.conns
	f.mu.Unlock()
	for _, c := range conns {
		c.ws.Close()
	}
	f.srv.Close()
}

func (f *Slack) problem(s string) {
	f.mu.Lock()
	f.problems = append(f.problems, s)
	f.mu.Unlock()
}

// CheckNoProblems fails the test for every protocol error the fake saw.
func (f *Slack) CheckNoProblems(t testing.TB) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.problems {
		t.Errorf("fake Slack: %s", p)
	}
}

// Injected failures and limits.

// RateLimit makes the next n chat.postMessage calls to channel answer 429
// with Retry-After: 1.
func (f *Slack) RateLimit(channel string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rateLimit[channel] = n
}

// FailPosts makes every chat.postMessage to channel fail with the error
// code ("not_in_channel"); "" makes them succeed again.
func (f *Slack) FailPosts(channel, code string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs[channel] = code
}

// SetMinGap sets the least time between two posts to one channel; posts
// closer than that are counted by TooFast.
func (f *Slack) SetMinGap(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.minGap = d
}

// What the fake received.

// TooFast is how many posts came closer than SetMinGap's gap to the
// previous post in their channel.
func (f *Slack) TooFast() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tooFast
}

// Attempts is how many chat.postMessage calls were made to channel,
// failed ones included.
func (f *Slack) Attempts(channel string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.attempts[channel]
}

// Opens is how many times apps.connections.open was called with the app
// token.
func (f *Slack) Opens() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.opens
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (f *Slack) tokenOK(r *http.Request, want string) bool {
	tok := r.PostFormValue("token")
	if tok == "" {
		tok = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	}
	return tok == want
}

func (f *Slack) authTest(w http.ResponseWriter, r *http.Request) {
	if !f.tokenOK(r, BotToken) {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	writeJSON(w, map[string]any{"ok": true, "url": "https://fake.slack.test/", "team": "Fake", "user": "briefbot",
		"team_id": TeamID, "user_id": BotUserID, "bot_id": "B1"})
}

func (f *Slack) postMessage(w http.ResponseWriter, r *http.Request) {
	if !f.tokenOK(r, BotToken) {
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
	f.posts = append(f.posts, Post{Channel: ch, ThreadTS: r.PostFormValue("thread_ts"), Text: r.PostFormValue("text"),
		Blocks: r.PostFormValue("blocks"), TS: ts, Unfurl: r.PostFormValue("unfurl_links"), At: now})
	f.mu.Unlock()
	if delay > 0 {
		time.Sleep(delay)
	}
	writeJSON(w, map[string]any{"ok": true, "channel": ch, "ts": ts, "message": map[string]any{"ts": ts, "text": r.PostFormValue("text")}})
}

func (f *Slack) postEphemeral(w http.ResponseWriter, r *http.Request) {
	if !f.tokenOK(r, BotToken) {
		writeJSON(w, map[string]any{"ok": false, "error": "invalid_auth"})
		return
	}
	f.mu.Lock()
	f.nextTS++
	ts := fmt.Sprintf("1700000000.%06d", f.nextTS)
	f.ephemeral = append(f.ephemeral, Post{Channel: r.PostFormValue("channel"), User: r.PostFormValue("user"),
		ThreadTS: r.PostFormValue("thread_ts"), Text: r.PostFormValue("text"), Blocks: r.PostFormValue("blocks"), TS: ts, At: time.Now()})
	f.mu.Unlock()
	writeJSON(w, map[string]any{"ok": true, "message_ts": ts})
}

func (f *Slack) usersInfo(w http.ResponseWriter, r *http.Request) {
	if !f.tokenOK(r, BotToken) {
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

func (f *Slack) response(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var msg map[string]any
	if err := json.Unmarshal(body, &msg); err != nil {
		f.problem("response_url body is not JSON: " + err.Error())
	}
	f.mu.Lock()
	f.responses = append(f.responses, Response{URL: r.URL.Path, Msg: msg, Body: string(body), At: time.Now()})
	f.mu.Unlock()
	_, _ = w.Write([]byte("ok"))
}

// Socket Mode.

func (f *Slack) connectionsOpen(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+AppToken {
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

func (f *Slack) websocket(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		f.problem("websocket upgrade: " + err.Error())
		return
	}
	c := &conn{ws: ws, closed: make(chan struct{})}
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

func (c *conn) write(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteJSON(v)
}

// Conns is how many websocket connections were opened so far.
func (f *Slack) Conns() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.conns)
}

// WaitConn waits (up to 5 s) for the n-th websocket connection (from 1).
func (f *Slack) WaitConn(t testing.TB, n int) {
	t.Helper()
	f.conn(t, n)
}

func (f *Slack) conn(t testing.TB, n int) *conn {
	t.Helper()
	var c *conn
	testutil.WaitFor(t, 5*time.Second, fmt.Sprintf("websocket connection %d", n), func() bool {
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

// Envelope sends a Socket Mode envelope (typ "slash_commands",
// "events_api") on the newest connection, waiting for one if there is
// none, and returns its ID. retry > 0 marks it as Slack's retry.
func (f *Slack) Envelope(t testing.TB, typ string, payload any, retry int) string {
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

// Disconnect asks the client on the newest connection to reconnect, as
// Slack does before it closes a connection.
func (f *Slack) Disconnect(t testing.TB) {
	t.Helper()
	f.mu.Lock()
	c := f.conns[len(f.conns)-1]
	f.mu.Unlock()
	if err := c.write(map[string]any{"type": "disconnect", "reason": "refresh_requested", "debug_info": map[string]any{"host": "fake"}}); err != nil {
		t.Fatalf("send disconnect: %v", err)
	}
}

// AckLatency waits (up to 5 s) for the envelope's ack and returns how long
// it took.
func (f *Slack) AckLatency(t testing.TB, id string) time.Duration {
	t.Helper()
	var d time.Duration
	testutil.WaitFor(t, 5*time.Second, "ack of "+id, func() bool {
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

// AckCounts returns, for every envelope sent, how many times it was
// acknowledged.
func (f *Slack) AckCounts() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]int, len(f.envSent))
	for id := range f.envSent {
		out[id] = f.ackCount[id]
	}
	return out
}

// PostsTo returns the messages posted to ch, in order.
func (f *Slack) PostsTo(ch string) []Post {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Post
	for _, p := range f.posts {
		if p.Channel == ch {
			out = append(out, p)
		}
	}
	return out
}

// Posts returns every message posted, in order.
func (f *Slack) Posts() []Post {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Post(nil), f.posts...)
}

// Ephemeral returns every chat.postEphemeral message.
func (f *Slack) Ephemeral() []Post {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Post(nil), f.ephemeral...)
}

// ResponsesTo returns the POSTs to one response_url.
func (f *Slack) ResponsesTo(url string) []Response {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Response
	for _, r := range f.responses {
		if strings.HasSuffix(url, r.URL) {
			out = append(out, r)
		}
	}
	return out
}

// Responses returns every POST to a response_url.
func (f *Slack) Responses() []Response {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Response(nil), f.responses...)
}
