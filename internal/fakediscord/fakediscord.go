// Package fakediscord is a fake Discord for tests: [Start] runs a [Fake].
// It is test infrastructure only: nothing outside tests imports it, and it
// listens on 127.0.0.1 only.
//
// It serves the REST endpoints the Discord adapter (bot/discord) uses,
// recording every request (gateway URL, /users/@me, command registration,
// interaction callbacks, @original edits, follow-ups, channel messages with
// their components, checked against Discord's limits, channels, guild
// roles, GET /gateway/bot with the recommended shard count and
// max_concurrency), and a gateway speaking enough of the protocol for the
// real discordgo client (HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats,
// dispatches, RESUME), sharded as Discord shards: any number of sessions,
// each for the shard its IDENTIFY names, each guild's events sent to the
// sessions of shard (guild_id >> 22) % count (direct messages to shard 0),
// and identifies of one max_concurrency bucket refused when they come
// closer than Options.IdentifyInterval. Point the adapter at it with
// DISCORD_API_BASE (or Config.APIBase) set to URL().
//
// A test pushes events with [Fake.Interaction] and [Fake.Click] (or
// [Fake.RoundTrip] and [Fake.ClickTrip], which wait for the answer),
// MessageCreate and Dispatch, reads
// what the bot sent with Registrations, Commands, Callback, MessagesFor,
// ChannelMessages, Messages and Requests, and injects failures with Fail
// (403, 404, 5xx), RateLimit (429), Options.GlobalRateLimit (429s across
// all requests, counted by GlobalLimited), DropGateway and AskReconnect;
// ShardIdentifies tells which shards identified, and when.
package fakediscord

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// The defaults of Options, and the fixed IDs of the fake guild.
const (
	Token     = "fake-bot-token"
	AppID     = "100000000000000001"
	BotID     = "100000000000000002"
	GuildID   = "200000000000000001"
	ChannelID = "300000000000000001"
	// DMChannelID is the direct message channel between alice and the bot,
	// where interactions built with Member.DM happen.
	DMChannelID = "300000000000000009"
	UserID      = "400000000000000001" // "alice", the author of the events the fake builds

	RoleAdminsID = "500000000000000001" // "Briefing Admins", no permissions
	RoleModsID   = "500000000000000002" // "Mods", Manage Channels
	RoleOtherID  = "500000000000000003" // "Readers"
)

// Options configures a fake. Zero fields take the defaults above.
type Options struct {
	Token     string // the bot token accepted, without "Bot "
	AppID     string // the application's ID, in READY
	BotID     string // the bot user's ID
	GuildID   string // the one guild, in READY and GUILD_CREATE
	ChannelID string // its text channel: events built by Interaction and MessageCreate happen there
	// HeartbeatInterval is the interval given in HELLO; default 250 ms.
	HeartbeatInterval time.Duration
	// NoGuildCreate leaves GUILD_CREATE out after READY: the guild's roles
	// are then known over REST only.
	NoGuildCreate bool
	// GlobalRateLimit, if positive, is Discord's global rate limit: that
	// many requests of the bot per one-second window, across all its
	// connections (answers to interactions excepted), then 429s with
	// global: true and the time left as retry_after. GlobalLimited counts
	// them.
	GlobalRateLimit int
	// Guilds are more guilds the bot is in, each with its text channels
	// (guild ID -> channel IDs; under GuildID, more channels of the
	// default guild), sent in READY and GUILD_CREATE like the default
	// one and known to GET /channels/{id}; interactions and messages happen
	// there with Member.Guild and Member.Channel, and MessageCreateIn.
	Guilds map[string][]string
	// RecommendedShards is the shard count GET /gateway/bot recommends;
	// default 1. MaxConcurrency is its session_start_limit.max_concurrency,
	// default 1: shards whose ID is the same modulo it share an identify
	// bucket.
	RecommendedShards, MaxConcurrency int
	// IdentifyInterval, if positive, is the least time between two
	// IDENTIFYs of one bucket (Discord's is 5 s): one sooner is refused
	// with close code 4008 and recorded as Refused in ShardIdentifies.
	IdentifyInterval time.Duration
}

// Request is one REST request the fake received.
type Request struct {
	Method, Path string
	Body         []byte
	At           time.Time
	Status       int
}

// SentBody is what the adapter sends to create or edit a message.
type SentBody struct {
	Content         string                      `json:"content"`
	Embeds          []*discordgo.MessageEmbed   `json:"embeds"`
	AllowedMentions *AllowedMentions            `json:"allowed_mentions"`
	Reference       *discordgo.MessageReference `json:"message_reference"`
	Flags           int                         `json:"flags"`
	Components      []Component                 `json:"components"`
}

// Component is a message component as sent: an action row (type 1) of
// buttons (type 2) or of one string menu (type 3).
type Component struct {
	Type        int                          `json:"type"`
	Components  []Component                  `json:"components"` // an action row's
	Style       int                          `json:"style"`
	Label       string                       `json:"label"`
	CustomID    string                       `json:"custom_id"`
	URL         string                       `json:"url"`
	Placeholder string                       `json:"placeholder"`
	Options     []discordgo.SelectMenuOption `json:"options"`
}

// AllowedMentions is a message's allowed_mentions as sent.
type AllowedMentions struct {
	Parse       []string `json:"parse"`
	Users       []string `json:"users"`
	Roles       []string `json:"roles"`
	RepliedUser bool     `json:"replied_user"`
}

// Message is a message the bot created or edited.
type Message struct {
	ID, Channel string
	Via         string // "channel", "edit" (of @original), "followup"
	Token       string // the interaction token, for edits and follow-ups
	Body        SentBody
	Raw         []byte
}

// Callback is the bot's response to an interaction (its acknowledgement).
type Callback struct {
	Type  int
	Flags int
	At    time.Time
	Raw   []byte
}

// Fake is a running fake Discord.
type Fake struct {
	t           testing.TB
	opts        Options
	srv         *httptest.Server
	heartbeatMS int

	mu         sync.Mutex
	reqs       []Request
	nextID     int64
	messages   []Message
	fail       map[string]int // channel -> HTTP status to answer (404, 403, 500)
	tooMany    map[string]int // channel -> how many 429s before a success
	global     *globalLimit
	originals  map[string]string // interaction token -> @original message ID
	callbacks  map[string]Callback
	dispatched map[string]time.Time // interaction ID -> when its dispatch was written
	roles      []*discordgo.Role
	guildState bool // send GUILD_CREATE after READY

	gwMu     sync.Mutex               // serialises writes to the gateway connections
	conns    map[*websocket.Conn]bool // every open gateway connection
	sessions []*session               // every session identified, in order

	seq             int64 // of the last dispatch, on any session
	identifies      []map[string]any
	shardIdentifies []ShardIdentify
	resumes         []map[string]any
	handshakes      chan string // "READY" or "RESUMED", after each handshake
	gwClosed        chan struct{}
}

// Start starts a fake on 127.0.0.1; it is closed when the test ends.
func Start(t testing.TB, opts Options) *Fake {
	t.Helper()
	def := func(s *string, d string) {
		if *s == "" {
			*s = d
		}
	}
	def(&opts.Token, Token)
	def(&opts.AppID, AppID)
	def(&opts.BotID, BotID)
	def(&opts.GuildID, GuildID)
	def(&opts.ChannelID, ChannelID)
	if opts.RecommendedShards <= 0 {
		opts.RecommendedShards = 1
	}
	if opts.MaxConcurrency <= 0 {
		opts.MaxConcurrency = 1
	}
	if opts.HeartbeatInterval <= 0 {
		opts.HeartbeatInterval = 250 * time.Millisecond
	}
	f := &Fake{
		t:           t,
		opts:        opts,
		heartbeatMS: int(opts.HeartbeatInterval / time.Millisecond),
		nextID:      900000000000000000,
		fail:        map[string]int{},
		tooMany:     map[string]int{},
		originals:   map[string]string{},
		callbacks:   map[string]Callback{},
		dispatched:  map[string]time.Time{},
		guildState:  !opts.NoGuildCreate,
		handshakes:  make(chan string, 256),
		conns:       map[*websocket.Conn]bool{},
		gwClosed:    make(chan struct{}, 16),
		roles: []*discordgo.Role{
			{ID: opts.GuildID, Name: "@everyone", Permissions: discordgo.PermissionSendMessages | discordgo.PermissionViewChannel},
			{ID: RoleAdminsID, Name: "Briefing Admins"},
			{ID: RoleModsID, Name: "Mods", Permissions: discordgo.PermissionManageChannels},
			{ID: RoleOtherID, Name: "Readers"},
		},
	}
	if opts.GlobalRateLimit > 0 {
		f.global = &globalLimit{perSec: opts.GlobalRateLimit}
	}
	mux := http.NewServeMux()
	api := "/api/v9"
	mux.HandleFunc("GET "+api+"/gateway", f.auth(func(w http.ResponseWriter, r *http.Request, _ []byte) {
		writeJSON(w, 200, map[string]string{"url": "ws://" + r.Host + "/gateway"})
	}))
	mux.HandleFunc("GET "+api+"/gateway/bot", f.auth(func(w http.ResponseWriter, r *http.Request, _ []byte) {
		f.mu.Lock()
		used := len(f.identifies)
		f.mu.Unlock()
		writeJSON(w, 200, map[string]any{
			"url": "ws://" + r.Host + "/gateway", "shards": f.opts.RecommendedShards,
			"session_start_limit": map[string]any{
				"total": 1000, "remaining": max(1000-used, 0), "reset_after": 86400000, "max_concurrency": f.opts.MaxConcurrency,
			},
		})
	}))
	mux.HandleFunc("GET "+api+"/users/@me", f.auth(func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		writeJSON(w, 200, map[string]any{"id": f.opts.BotID, "username": "briefbot", "bot": true})
	}))
	register := f.auth(func(w http.ResponseWriter, r *http.Request, body []byte) {
		var cmds []map[string]any
		if err := json.Unmarshal(body, &cmds); err != nil || !validCommands(cmds) {
			writeJSON(w, 400, map[string]any{"message": "Invalid Form Body", "code": 50035})
			return
		}
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
		f.callbacks[r.PathValue("id")] = Callback{Type: cb.Type, Flags: cb.Data.Flags, At: time.Now(), Raw: body}
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
		f.store(w, Message{ID: id, Via: "edit", Token: token, Raw: body})
	}))
	mux.HandleFunc("POST "+api+"/webhooks/{app}/{token}", f.record(func(w http.ResponseWriter, r *http.Request, body []byte) {
		f.mu.Lock()
		id := f.newID()
		f.mu.Unlock()
		f.store(w, Message{ID: id, Via: "followup", Token: r.PathValue("token"), Raw: body})
	}))
	mux.HandleFunc("POST "+api+"/channels/{channel}/messages", f.auth(f.channelMessage))
	mux.HandleFunc("GET "+api+"/channels/{channel}", f.auth(func(w http.ResponseWriter, r *http.Request, _ []byte) {
		id := r.PathValue("channel")
		switch guild, ok := f.guildOf(id); {
		case id == DMChannelID:
			writeJSON(w, 200, map[string]any{"id": id, "type": 1, "recipients": []any{map[string]any{"id": UserID, "username": "alice"}}})
		case ok:
			writeJSON(w, 200, map[string]any{"id": id, "type": 0, "guild_id": guild, "name": "news"})
		default:
			writeJSON(w, 404, map[string]any{"message": "Unknown Channel", "code": 10003})
		}
	}))
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

func (f *Fake) close() {
	f.gwMu.Lock()
	for c := range f.conns {
		c.Close()
	}
	f.gwMu.Unlock()
	f.srv.Close()
}

// validCommands checks what Discord checks of the fields that say who may
// use a command and where: default_member_permissions is a string of
// digits (a permission bit set) or null; contexts are 0 (guild), 1 (bot
// DM) or 2 (private channel); integration_types are 0 (guild install) or
// 1 (user install).
func validCommands(cmds []map[string]any) bool {
	inRange := func(v any, max float64) bool {
		list, ok := v.([]any)
		if !ok {
			return false
		}
		for _, x := range list {
			if n, ok := x.(float64); !ok || n < 0 || n > max || n != math.Trunc(n) {
				return false
			}
		}
		return true
	}
	for _, c := range cmds {
		if p, ok := c["default_member_permissions"]; ok && p != nil {
			s, ok := p.(string)
			if _, err := strconv.ParseUint(s, 10, 64); !ok || err != nil {
				return false
			}
		}
		if v, ok := c["contexts"]; ok && v != nil && !inRange(v, 2) {
			return false
		}
		if v, ok := c["integration_types"]; ok && v != nil && !inRange(v, 1) {
			return false
		}
	}
	return true
}

// guilds are the fake's guilds and their text channels, the default one
// first, with its channel first.
func (f *Fake) guilds() []guildChannels {
	out := []guildChannels{{f.opts.GuildID, append([]string{f.opts.ChannelID}, f.opts.Guilds[f.opts.GuildID]...)}}
	for g, chs := range f.opts.Guilds {
		if g != f.opts.GuildID {
			out = append(out, guildChannels{g, chs})
		}
	}
	return out
}

type guildChannels struct {
	id       string
	channels []string
}

// guildOf is the guild of a text channel.
func (f *Fake) guildOf(channel string) (string, bool) {
	for _, g := range f.guilds() {
		if slices.Contains(g.channels, channel) {
			return g.id, true
		}
	}
	return "", false
}

// URL is the base URL to give as DISCORD_API_BASE.
func (f *Fake) URL() string { return f.srv.URL + "/" }

// Options are the fake's options, defaults filled in.
func (f *Fake) Options() Options { return f.opts }

func (f *Fake) newID() string { // with f.mu held
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

// record logs every request with its body and the status answered. The
// request is logged before it is handled, so whoever sees its effect (a
// stored message) also finds the request; its status is filled in after.
func (f *Fake) record(h handlerWithBody) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		f.mu.Lock()
		i := len(f.reqs)
		f.reqs = append(f.reqs, Request{Method: r.Method, Path: r.URL.Path, Body: body, At: time.Now()})
		f.mu.Unlock()
		h(rec, r, body)
		f.mu.Lock()
		f.reqs[i].Status = rec.status
		f.mu.Unlock()
	}
}

// auth is record plus the bot token check Discord does on bot endpoints,
// and the global rate limit, which binds every request of the bot but the
// answers to interactions.
func (f *Fake) auth(h handlerWithBody) http.HandlerFunc {
	return f.record(func(w http.ResponseWriter, r *http.Request, body []byte) {
		if r.Header.Get("Authorization") != "Bot "+f.opts.Token {
			writeJSON(w, 401, map[string]any{"message": "401: Unauthorized", "code": 0})
			return
		}
		if f.global != nil {
			if ok, after := f.global.allow(); !ok {
				w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(after))))
				w.Header().Set("X-RateLimit-Global", "true")
				w.Header().Set("X-RateLimit-Scope", "global")
				writeJSON(w, 429, map[string]any{"message": "You are being rate limited.", "retry_after": after, "global": true})
				return
			}
		}
		h(w, r, body)
	})
}

func (f *Fake) store(w http.ResponseWriter, m Message) {
	if err := json.Unmarshal(m.Raw, &m.Body); err != nil {
		writeJSON(w, 400, map[string]any{"message": "Invalid Form Body", "code": 50035})
		return
	}
	if err := checkComponents(m.Body.Components); err != nil {
		writeJSON(w, 400, map[string]any{"message": "Invalid Form Body", "code": 50035, "errors": err.Error()})
		return
	}
	if m.Channel == "" {
		m.Channel = f.opts.ChannelID
	}
	f.mu.Lock()
	f.messages = append(f.messages, m)
	f.mu.Unlock()
	writeJSON(w, 200, map[string]any{
		"id": m.ID, "channel_id": m.Channel, "content": m.Body.Content, "embeds": m.Body.Embeds,
		"author": map[string]any{"id": f.opts.BotID, "username": "briefbot", "bot": true},
		"type":   0,
	})
}

// channelMessage is POST /channels/{id}/messages, with the failures a test
// asks for.
func (f *Fake) channelMessage(w http.ResponseWriter, r *http.Request, body []byte) {
	ch := r.PathValue("channel")
	f.mu.Lock()
	status := f.fail[ch]
	n429 := f.tooMany[ch]
	if n429 > 0 {
		f.tooMany[ch] = n429 - 1
	}
	f.mu.Unlock()
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
		f.store(w, Message{ID: id, Channel: ch, Via: "channel", Raw: body})
	}
}

// checkComponents checks a message's components as Discord does: at most
// 5 action rows, each of 1 to 5 buttons or of one menu; a button with a
// label of at most 80 characters, and a custom_id of 1 to 100 or, for a
// link (style 5), a URL; a menu with a custom_id, a placeholder of at most
// 150 characters and 1 to 25 options, each with a label and a value of 1
// to 100 characters; custom_ids unique in the message.
func checkComponents(rows []Component) error {
	if len(rows) > 5 {
		return fmt.Errorf("%d action rows, at most 5", len(rows))
	}
	ids := map[string]bool{}
	id := func(s string) error {
		if n := utf8.RuneCountInString(s); n < 1 || n > 100 {
			return fmt.Errorf("custom_id %q: %d characters, 1 to 100", s, n)
		}
		if ids[s] {
			return fmt.Errorf("custom_id %q twice", s)
		}
		ids[s] = true
		return nil
	}
	for _, r := range rows {
		if r.Type != 1 || len(r.Components) == 0 || len(r.Components) > 5 {
			return fmt.Errorf("row of type %d with %d components: want an action row of 1 to 5", r.Type, len(r.Components))
		}
		for _, c := range r.Components {
			switch {
			case c.Type == 2 && c.Style == 5:
				if c.URL == "" || c.CustomID != "" || len(c.URL) > 512 || utf8.RuneCountInString(c.Label) > 80 {
					return fmt.Errorf("link button %+v", c)
				}
			case c.Type == 2 && c.Style >= 1 && c.Style <= 4:
				if c.URL != "" || c.Label == "" || utf8.RuneCountInString(c.Label) > 80 {
					return fmt.Errorf("button %+v", c)
				}
				if err := id(c.CustomID); err != nil {
					return err
				}
			case c.Type == 3 && len(r.Components) == 1:
				if err := id(c.CustomID); err != nil {
					return err
				}
				if len(c.Options) < 1 || len(c.Options) > 25 || utf8.RuneCountInString(c.Placeholder) > 150 {
					return fmt.Errorf("menu %q with %d options", c.CustomID, len(c.Options))
				}
				values := map[string]bool{}
				for _, o := range c.Options {
					if l, v := utf8.RuneCountInString(o.Label), utf8.RuneCountInString(o.Value); l < 1 || l > 100 || v < 1 || v > 100 ||
						utf8.RuneCountInString(o.Description) > 100 || values[o.Value] {
						return fmt.Errorf("menu option %+v", o)
					}
					values[o.Value] = true
				}
			default:
				return fmt.Errorf("component %+v in a row of %d", c, len(r.Components))
			}
		}
	}
	return nil
}

// Button returns the button labelled label under the message.
func (m Message) Button(label string) (Component, bool) {
	for _, r := range m.Body.Components {
		for _, c := range r.Components {
			if c.Type == 2 && c.Label == label {
				return c, true
			}
		}
	}
	return Component{}, false
}

// Menus returns the menus under the message.
func (m Message) Menus() []Component {
	var out []Component
	for _, r := range m.Body.Components {
		for _, c := range r.Components {
			if c.Type == 3 {
				out = append(out, c)
			}
		}
	}
	return out
}

// Fail makes every post to channel answer status: 404 (Unknown Channel),
// 403 (Missing Permissions) or another (a server error); 0 undoes it.
func (f *Fake) Fail(channel string, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[channel] = status
}

// RateLimit makes the next n posts to channel answer 429 (retry_after
// 50 ms) before they succeed again.
func (f *Fake) RateLimit(channel string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tooMany[channel] = n
}

// GlobalLimited is how many 429s the global rate limit answered.
func (f *Fake) GlobalLimited() int {
	if f.global == nil {
		return 0
	}
	f.global.mu.Lock()
	defer f.global.mu.Unlock()
	return f.global.limited
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

// session is a gateway session: one shard of the bot, identified once,
// resumed on later connections.
type session struct {
	id           string
	shard, count int
	conn         *websocket.Conn // nil while disconnected
	seq          int64
}

// carries reports whether the session receives the events of guild ("" for
// direct messages, which go to shard 0): Discord's routing, (guild_id >>
// 22) % shard_count.
func (s *session) carries(guild string) bool {
	return s.shard == ShardOf(guild, s.count)
}

// ShardOf is the shard, of count, that carries the events of guild: "" (a
// direct message) is shard 0's.
func ShardOf(guild string, count int) int {
	id, err := strconv.ParseUint(guild, 10, 64)
	if err != nil || count <= 1 {
		return 0
	}
	return int((id >> 22) % uint64(count))
}

// ShardIdentify is an IDENTIFY the gateway received: the shard it asked
// for, of how many, and when; Refused if it came too soon after another of
// its max_concurrency bucket (closed with 4008) or named a shard out of
// range (closed with 4010).
type ShardIdentify struct {
	Shard, Count int
	At           time.Time
	Refused      bool
}

func (f *Fake) serveGateway(w http.ResponseWriter, r *http.Request) {
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
		for _, s := range f.sessions {
			if s.conn == c {
				s.conn = nil
			}
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
		if !f.identify(c, d) {
			return
		}
	case 6:
		f.mu.Lock()
		f.resumes = append(f.resumes, d)
		f.mu.Unlock()
		f.gwMu.Lock()
		var s *session
		for _, x := range f.sessions {
			if x.id == d["session_id"] {
				s = x
			}
		}
		if s == nil {
			c.WriteJSON(map[string]any{"op": 9, "d": false})
			f.gwMu.Unlock()
			return
		}
		s.conn = c
		f.gwMu.Unlock()
		f.send(s, "RESUMED", map[string]any{})
		f.handshake("RESUMED")
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

// identify answers an IDENTIFY (its d) on c: a new session for the shard it
// names ([0, 1] if none), with READY and GUILD_CREATE for the guilds the
// shard carries; or a close frame if the token is wrong (4004), the shard
// out of range (4010), or the identify too soon after another of its
// bucket (4008). It reports whether the session started.
func (f *Fake) identify(c *websocket.Conn, d map[string]any) bool {
	shard, count := 0, 1
	if sh, ok := d["shard"].([]any); ok && len(sh) == 2 {
		a, _ := sh[0].(float64)
		b, _ := sh[1].(float64)
		shard, count = int(a), int(b)
	}
	now := time.Now()
	f.mu.Lock()
	f.identifies = append(f.identifies, d)
	rec := ShardIdentify{Shard: shard, Count: count, At: now}
	code, reason := 0, ""
	switch {
	case d["token"] != "Bot "+f.opts.Token:
		code, reason = 4004, "Authentication failed."
	case count < 1 || shard < 0 || shard >= count:
		code, reason = 4010, "Invalid shard."
	case f.opts.IdentifyInterval > 0:
		for _, prev := range f.shardIdentifies {
			if !prev.Refused && prev.Shard%f.opts.MaxConcurrency == shard%f.opts.MaxConcurrency && now.Sub(prev.At) < f.opts.IdentifyInterval {
				code, reason = 4008, "Rate limited."
			}
		}
	}
	rec.Refused = code != 0 && code != 4004
	f.shardIdentifies = append(f.shardIdentifies, rec)
	n := len(f.identifies)
	f.mu.Unlock()
	if code != 0 {
		f.gwMu.Lock()
		c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason))
		f.gwMu.Unlock()
		return false
	}
	s := &session{id: fmt.Sprintf("session-%d", n), shard: shard, count: count, conn: c}
	f.gwMu.Lock()
	f.sessions = append(f.sessions, s)
	f.gwMu.Unlock()
	var guilds []any
	for _, g := range f.guilds() {
		if s.carries(g.id) {
			guilds = append(guilds, map[string]any{"id": g.id, "unavailable": true})
		}
	}
	ready := map[string]any{
		"v": 9, "session_id": s.id,
		"user":        map[string]any{"id": f.opts.BotID, "username": "briefbot", "bot": true},
		"application": map[string]any{"id": f.opts.AppID, "flags": 0},
		"guilds":      guilds,
	}
	if _, ok := d["shard"]; ok {
		ready["shard"] = []int{shard, count}
	}
	f.send(s, "READY", ready)
	if f.guildState {
		f.mu.Lock()
		roles := f.roles
		f.mu.Unlock()
		for _, g := range f.guilds() {
			if !s.carries(g.id) {
				continue
			}
			var channels []any
			for _, ch := range g.channels {
				channels = append(channels, map[string]any{"id": ch, "type": 0, "name": "news", "guild_id": g.id})
			}
			f.send(s, "GUILD_CREATE", map[string]any{
				"id": g.id, "name": "Newsroom " + g.id, "owner_id": "400000000000000999",
				"roles":    roles,
				"channels": channels,
			})
		}
	}
	f.handshake("READY")
	return true
}

// handshake tells Handshakes of a handshake done; one nobody waits for is
// dropped once 256 are waiting.
func (f *Fake) handshake(what string) {
	select {
	case f.handshakes <- what:
	default:
	}
}

// send writes the event t on the session's connection, with its next
// sequence number.
func (f *Fake) send(s *session, t string, d any) {
	raw, err := json.Marshal(d)
	if err != nil {
		f.t.Errorf("fake: marshal %s: %v", t, err)
		return
	}
	f.gwMu.Lock()
	defer f.gwMu.Unlock()
	f.writeEvent(s, t, raw)
}

func (f *Fake) writeEvent(s *session, t string, raw json.RawMessage) { // with gwMu held
	if s.conn == nil {
		f.t.Errorf("fake: dispatch %s on shard %d with no gateway connection", t, s.shard)
		return
	}
	s.seq++
	f.mu.Lock()
	f.seq = s.seq
	f.mu.Unlock()
	if err := s.conn.WriteJSON(gatewayPayload{Op: 0, T: t, S: s.seq, D: raw}); err != nil {
		f.t.Errorf("fake: write %s: %v", t, err)
	}
}

// Dispatch sends an event (op 0) of type t to the sessions that carry it,
// as Discord routes events: those of a guild (d's guild_id) to the shard
// that carries the guild, the others to shard 0. Every connected session
// of that shard gets it, as Discord does for two processes running the
// same shard. It fails the test if no connected session carries it.
func (f *Fake) Dispatch(t string, d any) {
	raw, err := json.Marshal(d)
	if err != nil {
		f.t.Errorf("fake: marshal %s: %v", t, err)
		return
	}
	var ev struct {
		GuildID string `json:"guild_id"`
	}
	_ = json.Unmarshal(raw, &ev)
	f.gwMu.Lock()
	defer f.gwMu.Unlock()
	sent := false
	for _, s := range f.sessions {
		if s.conn != nil && s.carries(ev.GuildID) {
			f.writeEvent(s, t, raw)
			sent = true
		}
	}
	if !sent {
		f.t.Errorf("fake: dispatch %s for guild %q: no gateway connection carries it", t, ev.GuildID)
	}
}

// DropGateway breaks every gateway connection without a close frame, as a
// network failure would.
func (f *Fake) DropGateway() {
	f.gwMu.Lock()
	defer f.gwMu.Unlock()
	for _, s := range f.sessions {
		if s.conn != nil {
			s.conn.UnderlyingConn().Close()
			s.conn = nil
		}
	}
}

// AskReconnect sends op 7 on every gateway connection: Discord asks the
// client to reconnect and resume.
func (f *Fake) AskReconnect() {
	f.gwMu.Lock()
	defer f.gwMu.Unlock()
	for _, s := range f.sessions {
		if s.conn != nil {
			s.conn.WriteJSON(map[string]any{"op": 7, "d": nil})
		}
	}
}

// Handshakes receives "READY" after each IDENTIFY and "RESUMED" after each
// RESUME, once the fake has answered it.
func (f *Fake) Handshakes() <-chan string { return f.handshakes }

// WaitHandshake fails the test unless the next handshake is want, within
// 10 seconds.
func (f *Fake) WaitHandshake(want string) {
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

// GatewayClosed receives a value each time a gateway connection ends.
func (f *Fake) GatewayClosed() <-chan struct{} { return f.gwClosed }

// Identifies are the d fields of every IDENTIFY received, in order.
func (f *Fake) Identifies() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.identifies...)
}

// ShardIdentifies are the IDENTIFYs received, with their shard and time,
// in order.
func (f *Fake) ShardIdentifies() []ShardIdentify {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]ShardIdentify(nil), f.shardIdentifies...)
}

// Resumes are the d fields of every RESUME received, in order.
func (f *Fake) Resumes() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.resumes...)
}

// Seq is the sequence number of the last dispatch sent, on whichever
// session it went.
func (f *Fake) Seq() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seq
}

// --- building events ---

// Member is who sends an interaction: a guild member with permissions in
// the channel and roles, or a user in a direct message; and where: the
// default guild and its channel unless Guild and Channel say otherwise.
type Member struct {
	Perms   int64
	Roles   []string
	DM      bool
	Guild   string // the fake's guild (the default) or one of Options.Guilds
	Channel string // a channel of Guild; default the guild's first channel
}

// Opt is a string option of a slash command.
type Opt struct{ Name, Value string }

// Interaction sends an INTERACTION_CREATE for /name with options, from
// alice in the fake's channel (as a guild member), or in her direct message
// with the bot (m.DM: a user and no member, as Discord sends it), and
// returns its token ("tok" + id).
func (f *Fake) Interaction(id, name string, opts []Opt, m Member) (token string) {
	return f.interaction(id, int(discordgo.InteractionApplicationCommand), commandData(name, opts), nil, m)
}

// commandData is the data of the slash command /name with options.
func commandData(name string, opts []Opt) map[string]any {
	var options []any
	for _, o := range opts {
		options = append(options, map[string]any{"name": o.Name, "type": 3, "value": o.Value})
	}
	return map[string]any{"id": "cmd-" + name, "name": name, "type": 1, "options": options}
}

// Click sends an INTERACTION_CREATE for a click (type 3, a message
// component) under the message messageID, by m as Interaction does: on the
// button customID, or, with values, the choice of those values in the menu
// customID. It returns the interaction's token.
func (f *Fake) Click(id, messageID, customID string, values []string, m Member) (token string) {
	data, message := f.clickData(messageID, customID, values)
	return f.interaction(id, int(discordgo.InteractionMessageComponent), data, message, m)
}

// clickData is the data of a click on customID (with values, in a menu)
// under the bot's message messageID, and that message.
func (f *Fake) clickData(messageID, customID string, values []string) (data, message map[string]any) {
	data = map[string]any{"custom_id": customID, "component_type": int(discordgo.ButtonComponent)}
	if values != nil {
		data["component_type"], data["values"] = int(discordgo.SelectMenuComponent), values
	}
	return data, map[string]any{"id": messageID, "channel_id": f.opts.ChannelID, "content": "", "type": 0,
		"author": map[string]any{"id": f.opts.BotID, "username": "briefbot", "bot": true}}
}

// interaction sends an INTERACTION_CREATE of type typ with data, under
// message (for a click), by m.
func (f *Fake) interaction(id string, typ int, data, message map[string]any, m Member) (token string) {
	ev := f.interactionEvent(id, typ, data, message, m)
	f.mu.Lock()
	f.dispatched[id] = time.Now()
	f.mu.Unlock()
	f.Dispatch("INTERACTION_CREATE", ev)
	return ev["token"].(string)
}

// interactionEvent is an interaction of type typ with data, under message
// (for a click), by m, as the gateway and HTTP carry it; its token is
// "tok" + id.
func (f *Fake) interactionEvent(id string, typ int, data, message map[string]any, m Member) map[string]any {
	guild, channel := f.opts.GuildID, f.opts.ChannelID
	if m.Guild != "" && m.Guild != guild {
		guild, channel = m.Guild, f.opts.Guilds[m.Guild][0]
	}
	if m.Channel != "" {
		channel = m.Channel
	}
	ev := map[string]any{
		"id": id, "application_id": f.opts.AppID, "type": typ, "token": "tok" + id, "version": 1,
		"channel_id": channel, "data": data,
	}
	if message != nil {
		ev["message"] = message
	}
	user := map[string]any{"id": UserID, "username": "alice"}
	if m.DM {
		ev["user"] = user
		ev["channel_id"] = DMChannelID
		ev["context"] = int(discordgo.InteractionContextBotDM)
	} else {
		ev["context"] = int(discordgo.InteractionContextGuild)
		ev["guild_id"] = guild
		roles := m.Roles
		if roles == nil {
			roles = []string{}
		}
		ev["member"] = map[string]any{"user": user, "roles": roles, "permissions": strconv.FormatInt(m.Perms, 10)}
	}
	return ev
}

// Exchange is an interaction sent with RoundTrip and what the bot made of
// it.
type Exchange struct {
	Token    string
	Callback Callback
	Ack      time.Duration // from the dispatch to the callback
	Messages []Message     // the answer, once its first message came
}

// RoundTrip sends the interaction /name as Interaction does, and waits up
// to 3 s for its callback and 5 s more for the first message of its
// answer.
func (f *Fake) RoundTrip(t testing.TB, id, name string, opts []Opt, m Member) Exchange {
	t.Helper()
	return f.roundTrip(t, id, "/"+name, func() string { return f.Interaction(id, name, opts, m) })
}

// ClickTrip sends a click as Click does and waits for it as RoundTrip
// does.
func (f *Fake) ClickTrip(t testing.TB, id, messageID, customID string, values []string, m Member) Exchange {
	t.Helper()
	return f.roundTrip(t, id, "the click on "+customID, func() string { return f.Click(id, messageID, customID, values, m) })
}

func (f *Fake) roundTrip(t testing.TB, id, what string, send func() string) Exchange {
	t.Helper()
	x := Exchange{Token: send()}
	var sent time.Time
	testutil.WaitFor(t, 3*time.Second, "the callback of "+what+" "+id, func() bool {
		var ok bool
		x.Callback, sent, ok = f.Callback(id)
		return ok
	})
	x.Ack = x.Callback.At.Sub(sent)
	testutil.WaitFor(t, 5*time.Second, "the answer to "+what+" "+id, func() bool { return len(f.MessagesFor(x.Token)) > 0 })
	x.Messages = f.MessagesFor(x.Token)
	return x
}

// MessageCreate sends a MESSAGE_CREATE from alice, with her roles, in the
// fake's channel: mentioning the bot if mentionBot, as a reply to the
// message replyTo if not empty.
func (f *Fake) MessageCreate(id, content string, mentionBot bool, replyTo string, roles []string) {
	f.MessageCreateIn(f.opts.GuildID, f.opts.ChannelID, id, content, mentionBot, replyTo, roles)
}

// MessageCreateIn is MessageCreate in the channel of the guild.
func (f *Fake) MessageCreateIn(guild, channel, id, content string, mentionBot bool, replyTo string, roles []string) {
	ev := map[string]any{
		"id": id, "channel_id": channel, "guild_id": guild, "content": content, "type": 0,
		"author":    map[string]any{"id": UserID, "username": "alice"},
		"member":    map[string]any{"roles": roles},
		"mentions":  []any{},
		"timestamp": "2026-03-04T10:00:00.000000+00:00",
	}
	if mentionBot {
		ev["mentions"] = []any{map[string]any{"id": f.opts.BotID, "username": "briefbot", "bot": true}}
	}
	if replyTo != "" {
		ev["type"] = 19
		ev["message_reference"] = map[string]any{"message_id": replyTo, "channel_id": channel, "guild_id": guild}
	}
	f.Dispatch("MESSAGE_CREATE", ev)
}

// --- reading what was recorded ---

// Requests are the requests received with method whose path starts with
// pathPrefix, in order. It waits (briefly) for those still being handled,
// so every request returned has its final status.
func (f *Fake) Requests(method, pathPrefix string) []Request {
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		f.mu.Lock()
		var out []Request
		pending := false
		for _, r := range f.reqs {
			if r.Method == method && strings.HasPrefix(r.Path, pathPrefix) {
				out = append(out, r)
				pending = pending || r.Status == 0
			}
		}
		f.mu.Unlock()
		if !pending || time.Now().After(deadline) {
			return out
		}
	}
}

// Registrations are the bulk overwrites of the application's commands
// (PUT .../commands, global or in a guild), in order; Body is the list.
func (f *Fake) Registrations() []Request {
	return f.Requests("PUT", "/api/v9/applications/")
}

// Commands are the commands of the latest registration, as Discord stored
// them, or nil if there was none.
func (f *Fake) Commands() []*discordgo.ApplicationCommand {
	regs := f.Registrations()
	if len(regs) == 0 {
		return nil
	}
	var cmds []*discordgo.ApplicationCommand
	if err := json.Unmarshal(regs[len(regs)-1].Body, &cmds); err != nil {
		f.t.Errorf("fake: registered commands: %v", err)
	}
	return cmds
}

// Messages are all the messages created or edited, in order.
func (f *Fake) Messages() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Message(nil), f.messages...)
}

// MessagesFor returns the edits and follow-ups of an interaction token, in
// order.
func (f *Fake) MessagesFor(token string) []Message {
	var out []Message
	for _, m := range f.Messages() {
		if m.Token == token {
			out = append(out, m)
		}
	}
	return out
}

// ChannelMessages are the messages posted to channel ch (not interaction
// answers), in order.
func (f *Fake) ChannelMessages(ch string) []Message {
	var out []Message
	for _, m := range f.Messages() {
		if m.Via == "channel" && m.Channel == ch {
			out = append(out, m)
		}
	}
	return out
}

// Callback returns the response to interaction id, when its dispatch was
// written, and whether there was a response.
func (f *Fake) Callback(id string) (Callback, time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	cb, ok := f.callbacks[id]
	return cb, f.dispatched[id], ok
}
