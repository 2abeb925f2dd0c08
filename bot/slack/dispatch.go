package slack

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
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
		Caller:   p.caller(cmd.UserID),
		DM:       isDM(cmd.ChannelID),
		Space:    cmd.TeamID,
		Received: time.Now(),
	}
	if name := strings.ToLower(strings.TrimPrefix(cmd.Command, "/")); name != strings.TrimPrefix(Command, "/") {
		if _, ok := bot.Lookup(name); ok {
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
		Caller:    p.caller(ev.User),
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

// reply posts the answer to a request: where, and how, the request says.
type reply struct {
	p           *Platform
	req         bot.Request
	channel     string
	user        string
	thread      string // mentions: the thread to answer in
	responseURL string // slash commands
}

// dispatch serves to.req in its own goroutine, once it is known not to be a
// replay. The caller has already acknowledged the request to Slack.
func (p *Platform) dispatch(ctx context.Context, h *bot.Handler, to reply) {
	p.inflight.Add(1)
	go func() {
		defer p.inflight.Done()
		if p.firstUse(ctx, to) {
			h.Serve(ctx, to.req, to)
		}
	}()
}

// Reply posts an answer. Slash commands: in the channel with
// chat.postMessage (so the message IDs are known), or through the
// response_url when the bot is not in the channel; private answers and
// errors are ephemeral through the response_url. Mentions: in the
// mention's thread; private answers as an ephemeral message there.
func (to reply) Reply(ctx context.Context, m bot.Message) (bot.Destination, []string, error) {
	p, req := to.p, to.req
	dest := bot.Destination{Platform: p.Name(), Channel: to.channel, Thread: to.thread}
	parts := render(m)
	log := p.log.With("channel", to.channel, "command", req.Command, "mention", req.Mention, "kind", m.Kind)

	if m.Private || (m.Kind == bot.KindError && !req.Mention) {
		if to.responseURL != "" {
			err := p.respond(ctx, to.responseURL, slack.ResponseTypeEphemeral, parts)
			if err == nil {
				return dest, nil, nil
			}
			log.Warn("slack: response_url failed; trying chat.postEphemeral", "err", err)
		}
		for _, pt := range parts {
			opts := []slack.MsgOption{slack.MsgOptionText(pt.Text, false), slack.MsgOptionBlocks(pt.Blocks...)}
			if to.thread != "" {
				opts = append(opts, slack.MsgOptionTS(to.thread))
			}
			if _, err := p.api.PostEphemeralContext(ctx, to.channel, to.user, opts...); err != nil {
				return dest, nil, fmt.Errorf("slack: private reply in %s: %w", to.channel, err)
			}
		}
		return dest, nil, nil
	}

	ids, err := p.postParts(ctx, to.channel, to.thread, parts)
	if err == nil || !errors.Is(err, bot.ErrChannelGone) || to.responseURL == "" || len(ids) > 0 {
		return dest, ids, err
	}
	// Not in the channel (a DM, a private channel): answer through the
	// command's response_url; its messages have no known IDs.
	log.Info("slack: not in the channel; replying through response_url", "err", err)
	if req.Command == "subscribe" {
		parts = append(parts, part{
			Text:   "Invite me to this channel so I can post the digest here.",
			Blocks: []slack.Block{contextBlock("Invite me to this channel (/invite @briefbot) so I can post the digest here.")},
		})
	}
	return dest, nil, p.respond(ctx, to.responseURL, slack.ResponseTypeInChannel, parts)
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

// caller is the Slack user as the bot's Caller. Slack's payloads carry no
// channel permissions, so the policy is: workspace owners and admins
// (users.info is_owner or is_admin) may change a channel's subscription and
// the feeds; nobody else, and nobody when Slack cannot be asked. Answers
// are cached for a few minutes.
func (p *Platform) caller(user string) bot.Caller {
	return bot.CallerFunc(func(ctx context.Context) (bool, error) {
		if user == "" {
			return false, nil
		}
		if admin, ok := p.admins.Get(user); ok {
			return admin, nil
		}
		if err := p.enter(ctx); err != nil {
			return false, err
		}
		u, err := p.api.GetUserInfoContext(ctx, user)
		p.leave()
		if err != nil {
			return false, fmt.Errorf("slack: users.info of %s: %w", user, err)
		}
		admin := (u.IsAdmin || u.IsOwner || u.IsPrimaryOwner) && !u.Deleted && !u.IsBot && !u.IsRestricted && !u.IsUltraRestricted
		p.admins.Put(user, admin)
		return admin, nil
	})
}

// first reports whether key names a request not seen before, and
// remembers it, so that Slack's retries never produce a second answer. An
// empty key is always new.
func (p *Platform) first(key string) bool { return key == "" || p.seen.Add(key, struct{}{}) }

// eventWindow is how long an event's ID is remembered in the database:
// Slack retries an event three times, the last about five minutes after
// the first.
const eventWindow = time.Hour

// firstEvent reports whether no process on the database (Config.Replay)
// has taken the event with the key before, and records it: a retry that
// reaches another replica is not answered twice. When the database cannot
// tell, the event is answered (a duplicate is less bad than silence).
func (p *Platform) firstEvent(ctx context.Context, key string) bool {
	if key == "" || p.cfg.Replay == nil {
		return true
	}
	p.replayMu.Lock()
	first, err := p.cfg.Replay.FirstUse(ctx, "slack-"+key, time.Now().Add(eventWindow))
	p.replayMu.Unlock()
	if err != nil {
		p.log.Warn("slack: cannot check the event against other replicas; answering it", "event", key, "err", err)
		return true
	}
	return first
}

// onEvent answers an Events API callback (Socket Mode or HTTP), once per
// event: a retry of an event already seen is ignored.
func (p *Platform) onEvent(ctx context.Context, h *bot.Handler, ev slackevents.EventsAPIEvent, retry int) {
	cb, _ := ev.Data.(*slackevents.EventsAPICallbackEvent)
	switch inner := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		key := ""
		if cb != nil && cb.EventID != "" {
			key = "event:" + cb.EventID
		}
		if !p.first(key) || !p.first("mention:"+inner.Channel+":"+inner.TimeStamp) || !p.firstEvent(ctx, key) {
			p.log.Debug("slack: duplicate event ignored", "event", key, "retry", retry)
			return
		}
		if inner.BotID != "" || (inner.User != "" && inner.User == p.botUserID()) {
			return // never answer bots, ourselves included: no loops
		}
		if inner.Edited != nil {
			return // an edited mention was answered when it was posted
		}
		p.dispatch(ctx, h, reply{p: p, req: p.mention(inner, ev.TeamID), channel: inner.Channel, user: inner.User, thread: threadOf(inner)})
	default:
		p.log.Debug("slack: event ignored", "type", ev.InnerEvent.Type)
	}
}

// onCommand answers a slash command (Socket Mode or HTTP), once per
// trigger_id.
func (p *Platform) onCommand(ctx context.Context, h *bot.Handler, cmd slack.SlashCommand) {
	if cmd.TriggerID != "" && !p.first("command:"+cmd.TriggerID) {
		p.log.Debug("slack: duplicate command ignored", "trigger", cmd.TriggerID)
		return
	}
	p.dispatch(ctx, h, reply{p: p, req: p.command(cmd), channel: cmd.ChannelID, user: cmd.UserID, responseURL: cmd.ResponseURL})
}
