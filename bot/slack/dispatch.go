package slack

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/briefbot/briefbot/bot"
)

// maxResponseURLPosts is how many times Slack lets a response_url be used.
const maxResponseURLPosts = 5

// command turns a slash command into a request: "/briefbot subscribe 0 8 *
// * *" runs subscribe; an empty "/briefbot" runs help; a slash command
// named after a bot command ("/briefing Gaza") runs it. An unknown word is
// passed on as the command, and the bot says it does not know it.
func (p *Platform) command(cmd slack.SlashCommand) bot.Request {
	text := strings.TrimSpace(plainText(cmd.Text))
	req := bot.Request{
		Platform: p.Name(),
		Channel:  cmd.ChannelID,
		User:     cmd.UserID,
		UserName: cmd.UserName,
		DM:       isDM(cmd.ChannelID),
		Space:    cmd.TeamID,
		Received: time.Now(),
	}
	if name := strings.ToLower(strings.TrimPrefix(cmd.Command, "/")); name != strings.TrimPrefix(Command, "/") {
		if _, ok := bot.Spec(name); ok {
			req.Command, req.Args = name, text
			return req
		}
	}
	switch name, args, ok := bot.ParseCommand(text); {
	case text == "":
		req.Command = "help"
	case ok:
		req.Command, req.Args = name, args
	default:
		word, rest, _ := strings.Cut(text, " ")
		req.Command, req.Args = strings.ToLower(word), strings.TrimSpace(rest)
	}
	return req
}

// isDM reports whether a channel is a direct message with the bot: Slack's
// IDs of direct message channels start with D.
func isDM(channel string) bool { return strings.HasPrefix(channel, "D") }

// mention turns an app_mention into a request: the text without the bot's
// own mention; ReplyTo is the thread the mention is in, if any (so
// "source?" under a briefing the bot posted refers to that briefing).
// team is the workspace the event comes from.
func (p *Platform) mention(ev *slackevents.AppMentionEvent, team string) bot.Request {
	text := ev.Text
	if id := p.botUserID(); id != "" {
		re := regexp.MustCompile(`<@` + regexp.QuoteMeta(id) + `(\|[^>]*)?>[ \t]*`)
		text = re.ReplaceAllString(text, "")
	}
	req := bot.Request{
		Platform:  p.Name(),
		Channel:   ev.Channel,
		User:      ev.User,
		Args:      strings.TrimSpace(plainText(text)),
		Mention:   true,
		MessageID: ev.TimeStamp,
		DM:        isDM(ev.Channel),
		Space:     team,
		Received:  time.Now(),
	}
	if ev.ThreadTimeStamp != "" && ev.ThreadTimeStamp != ev.TimeStamp {
		req.ReplyTo = ev.ThreadTimeStamp
	}
	return req
}

// threadOf is the thread a mention is answered in.
func threadOf(ev *slackevents.AppMentionEvent) string {
	if ev.ThreadTimeStamp != "" {
		return ev.ThreadTimeStamp
	}
	return ev.TimeStamp
}

// reply says where and how an answer goes.
type reply struct {
	channel     string
	user        string
	thread      string // mentions: the thread to answer in
	responseURL string // slash commands
}

// dispatch answers req in its own goroutine: it asks the handler (turning
// a panic into an error message), then posts the answer and reports it
// with h.Sent. The caller has already acknowledged the request to Slack.
func (p *Platform) dispatch(ctx context.Context, h bot.Handler, req bot.Request, to reply) {
	p.inflight.Add(1)
	go func() {
		defer p.inflight.Done()
		ctx, cancel := context.WithTimeout(ctx, p.handleTimeout)
		defer cancel()
		if !p.firstUse(ctx, h, req, to) {
			return
		}
		p.setAdmin(ctx, &req)
		m := p.handle(ctx, h, req)
		if ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled) {
			return // shutting down
		}
		p.deliver(ctx, h, req, to, m)
	}()
}

func (p *Platform) handle(ctx context.Context, h bot.Handler, req bot.Request) (m bot.Message) {
	defer func() {
		if r := recover(); r != nil {
			p.log.Error("slack: handler panicked", "command", req.Command, "mention", req.Mention, "panic", r, "stack", string(debug.Stack()))
			m = bot.Message{Kind: bot.KindError, Text: "Something went wrong on my side while answering that. Please try again."}
		}
	}()
	return h.Handle(ctx, req)
}

// deliver posts an answer. Slash commands: in the channel with
// chat.postMessage (so the message IDs are known), or through the
// response_url when the bot is not in the channel; private answers and
// errors are ephemeral through the response_url. Mentions: in the
// mention's thread; private answers as an ephemeral message there.
func (p *Platform) deliver(ctx context.Context, h bot.Handler, req bot.Request, to reply, m bot.Message) {
	parts := render(m)
	log := p.log.With("channel", to.channel, "command", req.Command, "mention", req.Mention, "kind", m.Kind)
	ephemeral := m.Private || (m.Kind == bot.KindError && !req.Mention)

	if ephemeral {
		if to.responseURL != "" {
			err := p.respond(ctx, to.responseURL, slack.ResponseTypeEphemeral, parts)
			if err == nil {
				return
			}
			log.Warn("slack: response_url failed; trying chat.postEphemeral", "err", err)
		}
		for _, pt := range parts {
			opts := []slack.MsgOption{slack.MsgOptionText(pt.Text, false), slack.MsgOptionBlocks(pt.Blocks...)}
			if to.thread != "" {
				opts = append(opts, slack.MsgOptionTS(to.thread))
			}
			if _, err := p.api.PostEphemeralContext(ctx, to.channel, to.user, opts...); err != nil {
				log.Error("slack: could not post the private reply", "err", err)
				return
			}
		}
		return
	}

	ids, err := p.postParts(ctx, to.channel, to.thread, parts)
	if len(ids) > 0 {
		h.Sent(ctx, bot.Destination{Platform: p.Name(), Channel: to.channel, Thread: to.thread}, ids, m)
	}
	if err == nil {
		return
	}
	if errors.Is(err, bot.ErrChannelGone) && to.responseURL != "" && len(ids) == 0 {
		// Not in the channel (a DM, a private channel): answer through the
		// command's response_url; its messages have no known IDs.
		log.Info("slack: not in the channel; replying through response_url", "err", err)
		if req.Command == "subscribe" {
			parts = append(parts, part{
				Text:   "Invite me to this channel so I can post the digest here.",
				Blocks: []slack.Block{contextBlock("Invite me to this channel (/invite @briefbot) so I can post the digest here.")},
			})
		}
		if err := p.respond(ctx, to.responseURL, slack.ResponseTypeInChannel, parts); err != nil {
			log.Error("slack: could not reply", "err", err)
		}
		return
	}
	log.Error("slack: could not post the reply", "err", err, "posted", len(ids))
}

// respond posts parts to a slash command's response_url.
func (p *Platform) respond(ctx context.Context, responseURL, responseType string, parts []part) error {
	u, err := url.Parse(responseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("bad response_url")
	}
	if len(parts) > maxResponseURLPosts {
		parts = parts[:maxResponseURLPosts]
	}
	off := false
	for _, pt := range parts {
		blocks := slack.Blocks{BlockSet: pt.Blocks}
		msg := &slack.WebhookMessage{
			Text:         pt.Text,
			Blocks:       &blocks,
			ResponseType: responseType,
			UnfurlLinks:  &off,
			UnfurlMedia:  &off,
		}
		if err := p.enter(ctx); err != nil {
			return err
		}
		err := slack.PostWebhookCustomHTTPContext(ctx, responseURL, p.http, msg)
		p.leave()
		if err != nil {
			return err
		}
	}
	return nil
}

// setAdmin decides Request.Admin, only for the requests that need it
// (bot.NeedsAdmin: /subscribe, /unsubscribe, /feeds add and remove).
// Slack's payloads carry no channel permissions, so the policy is:
// workspace owners and admins (users.info is_owner or is_admin) may change
// a channel's subscription and the feeds; nobody else, and nobody when
// Slack cannot be asked. Answers are cached for a few minutes.
func (p *Platform) setAdmin(ctx context.Context, req *bot.Request) {
	if !bot.NeedsAdmin(*req) || req.User == "" {
		return
	}
	if admin, ok := p.admins.get(req.User, p.adminTTL); ok {
		req.Admin = admin
		return
	}
	if err := p.enter(ctx); err != nil {
		return
	}
	u, err := p.api.GetUserInfoContext(ctx, req.User)
	p.leave()
	if err != nil {
		p.log.Warn("slack: users.info failed; treating the user as not an admin", "user", req.User, "err", err)
		return
	}
	req.Admin = (u.IsAdmin || u.IsOwner || u.IsPrimaryOwner) && !u.Deleted && !u.IsBot && !u.IsRestricted && !u.IsUltraRestricted
	p.admins.put(req.User, req.Admin)
}

// adminCache remembers users.info answers.
type adminCache struct {
	mu    sync.Mutex
	max   int
	users map[string]adminEntry
}

type adminEntry struct {
	admin bool
	at    time.Time
}

func newAdminCache(max int) *adminCache {
	return &adminCache{max: max, users: map[string]adminEntry{}}
}

func (c *adminCache) get(user string, ttl time.Duration) (bool, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.users[user]
	if !ok || time.Since(e.at) > ttl {
		return false, false
	}
	return e.admin, true
}

func (c *adminCache) put(user string, admin bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.users) >= c.max {
		clear(c.users)
	}
	c.users[user] = adminEntry{admin: admin, at: time.Now()}
}

// dedupe remembers the IDs of events already answered, for a while and up
// to a number, so that Slack's retries never produce a second answer.
type dedupe struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	seen  map[string]time.Time
	order []string // keys in insertion order, oldest first
}

func newDedupe(ttl time.Duration, max int) *dedupe {
	return &dedupe{ttl: ttl, max: max, seen: map[string]time.Time{}}
}

// first reports whether key is new, and remembers it.
func (d *dedupe) first(key string) bool {
	if key == "" {
		return true
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	now := time.Now()
	for len(d.order) > 0 {
		k := d.order[0]
		if t, ok := d.seen[k]; ok && now.Sub(t) <= d.ttl && len(d.order) < d.max {
			break
		}
		delete(d.seen, k)
		d.order = d.order[1:]
	}
	if _, ok := d.seen[key]; ok {
		return false
	}
	d.seen[key] = now
	d.order = append(d.order, key)
	return true
}

// onEvent answers an Events API callback (Socket Mode or HTTP), once per
// event: a retry of an event already seen is ignored.
func (p *Platform) onEvent(ctx context.Context, h bot.Handler, ev slackevents.EventsAPIEvent, retry int) {
	cb, _ := ev.Data.(*slackevents.EventsAPICallbackEvent)
	switch inner := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		key := ""
		if cb != nil && cb.EventID != "" {
			key = "event:" + cb.EventID
		}
		if !p.seen.first(key) || !p.seen.first("mention:"+inner.Channel+":"+inner.TimeStamp) {
			p.log.Debug("slack: duplicate event ignored", "event", key, "retry", retry)
			return
		}
		if inner.BotID != "" || (inner.User != "" && inner.User == p.botUserID()) {
			return // never answer bots, ourselves included: no loops
		}
		if inner.Edited != nil {
			return // an edited mention was answered when it was posted
		}
		req := p.mention(inner, ev.TeamID)
		p.dispatch(ctx, h, req, reply{channel: inner.Channel, user: inner.User, thread: threadOf(inner)})
	default:
		p.log.Debug("slack: event ignored", "type", ev.InnerEvent.Type)
	}
}

// onCommand answers a slash command (Socket Mode or HTTP), once per
// trigger_id.
func (p *Platform) onCommand(ctx context.Context, h bot.Handler, cmd slack.SlashCommand) {
	if cmd.TriggerID != "" && !p.seen.first("command:"+cmd.TriggerID) {
		p.log.Debug("slack: duplicate command ignored", "trigger", cmd.TriggerID)
		return
	}
	req := p.command(cmd)
	p.dispatch(ctx, h, req, reply{channel: cmd.ChannelID, user: cmd.UserID, responseURL: cmd.ResponseURL})
}
