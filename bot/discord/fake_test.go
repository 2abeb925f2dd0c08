package discord

// A fake Discord on 127.0.0.1 for the tests: the REST endpoints the adapter
// uses, recording every request, and a gateway speaking enough of the
// protocol for discordgo (HELLO, IDENTIFY, READY, heartbeats, dispatches,
// RESUME). The real discordgo client talks to it through Session.Client.

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

const (
	fakeToken   = "fake-bot-token"
	fakeAppID   = "100000000000000001"
	fakeBotID   = "100000000000000002"
	fakeGuildID = "200000000000000001"
	fakeChannel = "300000000000000001"
	fakeUserID  = "400000000000000001"

	roleAdminsID = "500000000000000001" // "Briefing Admins", no permissions
	roleModsID   = "500000000000000002" // "Mods", Manage Channels
	roleOtherID  = "500000000000000003" // "Readers"
)

type fakeRequest struct {
	Method, Path string
	Body         []byte
	At           time.Time
	Status       int
}

// sentBody is what the adapter sends to create or edit a message.
type sentBody struct {
	Content         string                      `json:"content"`
	Embeds          []*discordgo.MessageEmbed   `json:"embeds"`
	AllowedMentions *allowedMentions            `json:"allowed_mentions"`
	Reference       *discordgo.MessageReference `json:"message_reference"`
	Flags           int                         `json:"flags"`
}

type allowedMentions struct {
	Parse       []string `json:"parse"`
	Users       []string `json:"users"`
	Roles       []string `json:"roles"`
	RepliedUser bool     `json:"replied_user"`
}

type fakeMessage struct {
	ID, Channel string
	Via         string // "channel", "edit", "followup"
	Token       string // the interaction token, for edits and follow-ups
	Body        sentBody
	Raw         []byte
}

type callback struct {
	Type  int
	Flags int
	At    time.Time
	Raw   []byte
}

type fakeDiscord struct {
	t           testing.TB
	srv         *httptest.Server
	heartbeatMS int

	mu         sync.Mutex
	reqs       []fakeRequest
	nextID     int64
	messages   []fakeMessage
	fail       map[string]int // channel -> HTTP status to answer (404, 403, 500)
	tooMany    map[string]int // channel -> how many 429s before a success
	global     *globalLimit
	originals  map[string]string // interaction token -> @original message ID
	callbacks  map[string]callback
	dispatched map[string]time.Time // interaction ID -> when its dispatch was written
	commands   map[string][]byte    // registration path -> body
	roles      []*discordgo.Role
	guildState bool // send GUILD_CREATE after READY

	gwMu       sync.Mutex // serialises writes to gw
	gw         *websocket.Conn
	conns      map[*websocket.Conn]bool // every open gateway connection
	seq        int64
	sessionID  string
	identifies []map[string]any
	resumes    []map[string]any
	handshakes chan string // "READY" or "RESUMED", after each handshake
	gwClosed   chan struct{}
}

func newFakeDiscord(t testing.TB) *fakeDiscord {
	f := &fakeDiscord{
		t:           t,
		heartbeatMS: 250,
		nextID:      900000000000000000,
		fail:        map[string]int{},
		tooMany:     map[string]int{},
		originals:   map[string]string{},
		callbacks:   map[string]callback{},
		dispatched:  map[string]time.Time{},
		commands:    map[string][]byte{},
		guildState:  true,
		handshakes:  make(chan string, 64),
		conns:       map[*websocket.Conn]bool{},
		gwClosed:    make(chan struct{}, 16),
		roles: []*discordgo.Role{
			{ID: fakeGuildID, Name: "@everyone", Permissions: discordgo.PermissionSendMessages | discordgo.PermissionViewChannel},
			{ID: roleAdminsID, Name: "Briefing Admins"},
			{ID: roleModsID, Name: "Mods", Permissions: discordgo.PermissionManageChannels},
			{ID: roleOtherID, Name: "Readers"},
		},
	}
	mux := http.NewServeMux()
	api := "/api/v9"
	mux.HandleFunc("GET "+api+"/gateway", f.auth(func(w http.ResponseWriter, r *http.Request, _ []byte) {
		writeJSON(w, 200, map[string]string{"url": "ws://" + r.Host + "/gateway"})
	}))
	mux.HandleFunc("GET "+api+"/users/@me", f.auth(func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		writeJSON(w, 200, map[string]any{"id": fakeBotID, "username": "briefbot", "bot": true})
	}))
	register := f.auth(func(w http.ResponseWriter, r *http.Request, body []byte) {
		var cmds []map[string]any
		if err := json.Unmarshal(body, &cmds); err != nil {
			writeJSON(w, 400, map[string]any{"message": "Invalid Form Body", "code": 50035})
			return
		}
		f.mu.Lock()
		f.commands[r.URL.Path] = body
		f.mu.Unlock()
		for i, c := range cmds {
			c["id"] = strconv.Itoa(700 + i)
			c["application_id"] = r.PathValue("app")
		}
		writeJSON(w, 200, cmds)
	})
	mux.HandleFunc("PUT "+api+"/applications/{app}/commands", register)
	mux.HandleFunc("PUT "+api+"/applications/{app}/guilds/{guild}/commands", register)
	mux.HandleFunc("GET "+api+"/guilds/{guild}/roles", f.auth(func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		f.mu.Lock()
		roles := f.roles
		f.mu.Unlock()
		writeJSON(w, 200, roles)
	}))
	mux.HandleFunc("POST "+api+"/interactions/{id}/{token}/callback", f.record(func(w http.ResponseWriter, r *http.Request, body []byte) {
		var cb struct {
			Type int `json:"type"`
			Data struct {
				Flags int `json:"flags"`
			} `json:"data"`
		}
		_ = json.Unmarshal(body, &cb)
		f.mu.Lock()
		if _, dup := f.callbacks[r.PathValue("id")]; dup {
			f.mu.Unlock()
			writeJSON(w, 400, map[string]any{"message": "Interaction has already been acknowledged.", "code": 40060})
			return
		}
		f.callbacks[r.PathValue("id")] = callback{Type: cb.Type, Flags: cb.Data.Flags, At: time.Now(), Raw: body}
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	mux.HandleFunc("PATCH "+api+"/webhooks/{app}/{token}/messages/@original", f.record(func(w http.ResponseWriter, r *http.Request, body []byte) {
		token := r.PathValue("token")
		f.mu.Lock()
		id, ok := f.originals[token]
		if !ok {
			id = f.newID()
			f.originals[token] = id
		}
		f.mu.Unlock()
		f.store(w, fakeMessage{ID: id, Via: "edit", Token: token, Raw: body})
	}))
	mux.HandleFunc("POST "+api+"/webhooks/{app}/{token}", f.record(func(w http.ResponseWriter, r *http.Request, body []byte) {
		f.mu.Lock()
		id := f.newID()
		f.mu.Unlock()
		f.store(w, fakeMessage{ID: id, Via: "followup", Token: r.PathValue("token"), Raw: body})
	}))
	mux.HandleFunc("POST "+api+"/channels/{channel}/messages", f.auth(f.channelMessage))
	mux.HandleFunc("GET /gateway", f.serveGateway)
	mux.HandleFunc("GET /gateway/", f.serveGateway) // discordgo appends a slash
	mux.HandleFunc("/", f.record(func(w http.ResponseWriter, r *http.Request, _ []byte) {
		writeJSON(w, 404, map[string]any{"message": "404: Not Found", "code": 0})
	}))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: mux}}
	f.srv.Start()
	t.Cleanup(f.close)
	return f
}

func (f *fakeDiscord) close() {
	f.gwMu.Lock()
	for c := range f.conns {
		c.Close()
	}
	f.gwMu.Unlock()
	f.srv.Close()
}

// URL is the base URL to give as DISCORD_API_BASE.
func (f *fakeDiscord) URL() string { return f.srv.URL + "/" }

func (f *fakeDiscord) newID() string { // with f.mu held
	f.nextID++
	return strconv.FormatInt(f.nextID, 10)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// statusRecorder keeps the status a handler answered, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

type handlerWithBody func(w http.ResponseWriter, r *http.Request, body []byte)

// record logs every request with its body and the status answered.
func (f *fakeDiscord) record(h handlerWithBody) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		at := time.Now()
		h(rec, r, body)
		f.mu.Lock()
		f.reqs = append(f.reqs, fakeRequest{Method: r.Method, Path: r.URL.Path, Body: body, At: at, Status: rec.status})
		f.mu.Unlock()
	}
}

// auth is record plus the bot token check Discord does on bot endpoints.
func (f *fakeDiscord) auth(h handlerWithBody) http.HandlerFunc {
	return f.record(func(w http.ResponseWriter, r *http.Request, body []byte) {
		if r.Header.Get("Authorization") != "Bot "+fakeToken {
			writeJSON(w, 401, map[string]any{"message": "401: Unauthorized", "code": 0})
			return
		}
		h(w, r, body)
	})
}

func (f *fakeDiscord) store(w http.ResponseWriter, m fakeMessage) {
	if err := json.Unmarshal(m.Raw, &m.Body); err != nil {
		writeJSON(w, 400, map[string]any{"message": "Invalid Form Body", "code": 50035})
		return
	}
	if m.Channel == "" {
		m.Channel = fakeChannel
	}
	f.mu.Lock()
	f.messages = append(f.messages, m)
	f.mu.Unlock()
	writeJSON(w, 200, map[string]any{
		"id": m.ID, "channel_id": m.Channel, "content": m.Body.Content, "embeds": m.Body.Embeds,
		"author": map[string]any{"id": fakeBotID, "username": "briefbot", "bot": true},
		"type":   0,
	})
}

// channelMessage is POST /channels/{id}/messages, with the failures a test
// asks for and an optional global rate limit.
func (f *fakeDiscord) channelMessage(w http.ResponseWriter, r *http.Request, body []byte) {
	ch := r.PathValue("channel")
	f.mu.Lock()
	status := f.fail[ch]
	n429 := f.tooMany[ch]
	if n429 > 0 {
		f.tooMany[ch] = n429 - 1
	}
	g := f.global
	f.mu.Unlock()
	if g != nil {
		if ok, after := g.allow(); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(after))))
			w.Header().Set("X-RateLimit-Global", "true")
			w.Header().Set("X-RateLimit-Scope", "global")
			writeJSON(w, 429, map[string]any{"message": "You are being rate limited.", "retry_after": after, "global": true})
			return
		}
	}
	switch {
	case n429 > 0:
		w.Header().Set("Retry-After", "1")
		w.Header().Set("X-RateLimit-Limit", "5")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset-After", "0.05")
		w.Header().Set("X-RateLimit-Bucket", "fakebucket")
		w.Header().Set("X-RateLimit-Scope", "user")
		writeJSON(w, 429, map[string]any{"message": "You are being rate limited.", "retry_after": 0.05, "global": false})
	case status == 404:
		writeJSON(w, 404, map[string]any{"message": "Unknown Channel", "code": 10003})
	case status == 403:
		writeJSON(w, 403, map[string]any{"message": "Missing Permissions", "code": 50013})
	case status != 0:
		writeJSON(w, status, map[string]any{"message": "Internal Server Error", "code": 0})
	default:
		f.mu.Lock()
		id := f.newID()
		f.mu.Unlock()
		f.store(w, fakeMessage{ID: id, Channel: ch, Via: "channel", Raw: body})
	}
}

// globalLimit is Discord's global rate limit: perSec requests in each
// one-second window, then 429s with the time left as retry_after.
type globalLimit struct {
	mu      sync.Mutex
	perSec  int
	start   time.Time
	count   int
	limited int // 429s answered
}

func (g *globalLimit) allow() (bool, float64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := time.Now()
	if now.Sub(g.start) >= time.Second {
		g.start, g.count = now, 0
	}
	if g.count < g.perSec {
		g.count++
		return true, 0
	}
	g.limited++
	return false, g.start.Add(time.Second).Sub(now).Seconds()
}

// --- gateway ---

type gatewayPayload struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  int64           `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

func (f *fakeDiscord) serveGateway(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{}
	c, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	f.gwMu.Lock()
	f.conns[c] = true
	f.gwMu.Unlock()
	defer func() {
		c.Close()
		f.gwMu.Lock()
		delete(f.conns, c)
		if f.gw == c {
			f.gw = nil
		}
		f.gwMu.Unlock()
		select {
		case f.gwClosed <- struct{}{}:
		default:
		}
	}()
	f.gwMu.Lock()
	err = c.WriteJSON(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": f.heartbeatMS}})
	f.gwMu.Unlock()
	if err != nil {
		return
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	var hello gatewayPayload
	if err := c.ReadJSON(&hello); err != nil {
		return
	}
	c.SetReadDeadline(time.Time{})
	var d map[string]any
	_ = json.Unmarshal(hello.D, &d)
	switch hello.Op {
	case 2:
		f.mu.Lock()
		f.identifies = append(f.identifies, d)
		f.mu.Unlock()
		if d["token"] != "Bot "+fakeToken {
			c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."))
			return
		}
		f.mu.Lock()
		f.sessionID = fmt.Sprintf("session-%d", len(f.identifies))
		f.seq = 0
		sid := f.sessionID
		f.mu.Unlock()
		f.setConn(c)
		f.dispatch("READY", map[string]any{
			"v": 9, "session_id": sid,
			"user":        map[string]any{"id": fakeBotID, "username": "briefbot", "bot": true},
			"application": map[string]any{"id": fakeAppID, "flags": 0},
			"guilds":      []any{map[string]any{"id": fakeGuildID, "unavailable": true}},
		})
		if f.guildState {
			f.mu.Lock()
			roles := f.roles
			f.mu.Unlock()
			f.dispatch("GUILD_CREATE", map[string]any{
				"id": fakeGuildID, "name": "Newsroom", "owner_id": "400000000000000999",
				"roles":    roles,
				"channels": []any{map[string]any{"id": fakeChannel, "type": 0, "name": "news", "guild_id": fakeGuildID}},
			})
		}
		f.handshakes <- "READY"
	case 6:
		f.mu.Lock()
		f.resumes = append(f.resumes, d)
		ok := d["session_id"] == f.sessionID
		f.mu.Unlock()
		if !ok {
			f.gwMu.Lock()
			c.WriteJSON(map[string]any{"op": 9, "d": false})
			f.gwMu.Unlock()
			return
		}
		f.setConn(c)
		f.dispatch("RESUMED", map[string]any{})
		f.handshakes <- "RESUMED"
	default:
		return
	}
	for {
		var p gatewayPayload
		if err := c.ReadJSON(&p); err != nil {
			return
		}
		if p.Op == 1 {
			f.gwMu.Lock()
			err := c.WriteJSON(map[string]any{"op": 11})
			f.gwMu.Unlock()
			if err != nil {
				return
			}
		}
	}
}

func (f *fakeDiscord) setConn(c *websocket.Conn) {
	f.gwMu.Lock()
	f.gw = c
	f.gwMu.Unlock()
}

// dispatch sends an event (op 0) with the next sequence number.
func (f *fakeDiscord) dispatch(t string, d any) {
	raw, err := json.Marshal(d)
	if err != nil {
		f.t.Errorf("fake: marshal %s: %v", t, err)
		return
	}
	f.gwMu.Lock()
	defer f.gwMu.Unlock()
	if f.gw == nil {
		f.t.Errorf("fake: dispatch %s with no gateway connection", t)
		return
	}
	f.mu.Lock()
	f.seq++
	p := gatewayPayload{Op: 0, T: t, S: f.seq, D: raw}
	f.mu.Unlock()
	if err := f.gw.WriteJSON(p); err != nil {
		f.t.Errorf("fake: write %s: %v", t, err)
	}
}

// dropGateway breaks the connection without a close frame, as a network
// failure would.
func (f *fakeDiscord) dropGateway() {
	f.gwMu.Lock()
	defer f.gwMu.Unlock()
	if f.gw != nil {
		f.gw.UnderlyingConn().Close()
		f.gw = nil
	}
}

// askReconnect sends op 7: Discord asks the client to reconnect and resume.
func (f *fakeDiscord) askReconnect() {
	f.gwMu.Lock()
	defer f.gwMu.Unlock()
	if f.gw != nil {
		f.gw.WriteJSON(map[string]any{"op": 7, "d": nil})
	}
}

func (f *fakeDiscord) waitHandshake(want string) {
	f.t.Helper()
	select {
	case got := <-f.handshakes:
		if got != want {
			f.t.Fatalf("gateway handshake: got %s, want %s", got, want)
		}
	case <-time.After(10 * time.Second):
		f.t.Fatalf("no %s within 10s", want)
	}
}

// --- building events ---

type member struct {
	perms int64
	roles []string
	dm    bool
}

type opt struct{ name, value string }

// interaction sends an INTERACTION_CREATE for /name with options and
// returns its ID and token.
func (f *fakeDiscord) interaction(id, name string, opts []opt, m member) (token string) {
	token = "tok" + id
	var options []any
	for _, o := range opts {
		options = append(options, map[string]any{"name": o.name, "type": 3, "value": o.value})
	}
	ev := map[string]any{
		"id": id, "application_id": fakeAppID, "type": 2, "token": token, "version": 1,
		"channel_id": fakeChannel,
		"data":       map[string]any{"id": "cmd-" + name, "name": name, "type": 1, "options": options},
	}
	user := map[string]any{"id": fakeUserID, "username": "alice"}
	if m.dm {
		ev["user"] = user
	} else {
		ev["guild_id"] = fakeGuildID
		roles := m.roles
		if roles == nil {
			roles = []string{}
		}
		ev["member"] = map[string]any{"user": user, "roles": roles, "permissions": strconv.FormatInt(m.perms, 10)}
	}
	f.mu.Lock()
	f.dispatched[id] = time.Now()
	f.mu.Unlock()
	f.dispatch("INTERACTION_CREATE", ev)
	return token
}

// message sends a MESSAGE_CREATE.
func (f *fakeDiscord) message(id, content string, mentionBot bool, replyTo string, roles []string) {
	ev := map[string]any{
		"id": id, "channel_id": fakeChannel, "guild_id": fakeGuildID, "content": content, "type": 0,
		"author":    map[string]any{"id": fakeUserID, "username": "alice"},
		"member":    map[string]any{"roles": roles},
		"mentions":  []any{},
		"timestamp": "2026-03-04T10:00:00.000000+00:00",
	}
	if mentionBot {
		ev["mentions"] = []any{map[string]any{"id": fakeBotID, "username": "briefbot", "bot": true}}
	}
	if replyTo != "" {
		ev["type"] = 19
		ev["message_reference"] = map[string]any{"message_id": replyTo, "channel_id": fakeChannel, "guild_id": fakeGuildID}
	}
	f.dispatch("MESSAGE_CREATE", ev)
}

// --- reading what was recorded ---

func (f *fakeDiscord) requests(method, pathPrefix string) []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeRequest
	for _, r := range f.reqs {
		if r.Method == method && strings.HasPrefix(r.Path, pathPrefix) {
			out = append(out, r)
		}
	}
	return out
}

func (f *fakeDiscord) allMessages() []fakeMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeMessage(nil), f.messages...)
}

// messagesFor returns the edits and follow-ups of an interaction token, in
// order.
func (f *fakeDiscord) messagesFor(token string) []fakeMessage {
	var out []fakeMessage
	for _, m := range f.allMessages() {
		if m.Token == token {
			out = append(out, m)
		}
	}
	return out
}

func (f *fakeDiscord) channelMessages(ch string) []fakeMessage {
	var out []fakeMessage
	for _, m := range f.allMessages() {
		if m.Via == "channel" && m.Channel == ch {
			out = append(out, m)
		}
	}
	return out
}

func (f *fakeDiscord) callbackFor(id string) (callback, time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	cb, ok := f.callbacks[id]
	return cb, f.dispatched[id], ok
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
