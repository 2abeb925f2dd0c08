package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// adminPerms are the permissions that make a member an admin of the bot in
// a channel: Manage Channels, or Administrator (which implies it).
const adminPerms = discordgo.PermissionManageChannels | discordgo.PermissionAdministrator

// ack sends the response that acknowledges an interaction: over REST for
// one from the gateway (restAck), as the answer to the request for one
// that came over HTTP.
type ack func(*discordgo.InteractionResponse) error

// restAck acknowledges an interaction from the gateway, within Discord's
// deadline.
func (p *Platform) restAck(ctx context.Context, i *discordgo.Interaction) ack {
	return func(r *discordgo.InteractionResponse) error {
		ctx, cancel := context.WithTimeout(ctx, discordgo.InteractionDeadline)
		defer cancel()
		return p.s.InteractionRespond(i, r, discordgo.WithContext(ctx))
	}
}

// onInteraction answers a slash command, or a click on one of the bot's
// controls (see components.go), from the gateway or over HTTP: it defers
// at once with respond (Discord wants an acknowledgement within 3
// seconds), then hands the request to the bot, whose answer replaces the
// deferred response, with follow-ups if it takes several messages. It
// returns without responding to what is neither.
func (p *Platform) onInteraction(ctx context.Context, h *bot.Handler, i *discordgo.Interaction, respond ack) {
	if i == nil {
		return
	}
	var req bot.Request
	switch data := i.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		if i.Type != discordgo.InteractionApplicationCommand {
			return // autocomplete: the bot offers none
		}
		spec, _ := bot.Lookup(data.Name)
		req.Command, req.Args, req.Options = data.Name, commandArgs(spec, data.Options), commandOptions(data.Options)
	case discordgo.MessageComponentInteractionData:
		req = clickRequest(i, data)
	default:
		return
	}
	received := time.Now()
	user := i.User
	if i.Member != nil && i.Member.User != nil {
		user = i.Member.User
	}
	admin, sure := p.quickAdmin(i)
	req.Platform = p.Name()
	req.Channel = i.ChannelID
	req.Caller = bot.CallerFunc(func(ctx context.Context) (bool, error) {
		if sure {
			return admin, nil
		}
		return p.restRoleAdmin(ctx, i.GuildID, i.Member.Roles)
	})
	req.DM = i.GuildID == ""
	req.Space = i.GuildID
	req.Received = received
	if user != nil {
		req.User, req.UserName = user.ID, user.Username
	}

	// The deferred response is public, since whether an answer is private
	// is only known once the bot has answered; except when the bot is
	// certain to refuse (an admin command from someone who is not, a feed
	// change from a direct message), where the refusal is shown to that
	// person alone, and for clicks, whose answers are always private.
	var flags discordgo.MessageFlags
	if req.Click != "" || bot.Refuses(req, true) || sure && bot.Refuses(req, admin) {
		flags = discordgo.MessageFlagsEphemeral
	}
	err := respond(&discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: flags, AllowedMentions: noMentions()},
	})
	if err != nil {
		p.log.Warn("discord: cannot acknowledge interaction", "command", req.Command, "click", req.Click, "channel", i.ChannelID, "err", err)
		return
	}
	h.Serve(ctx, req, interactionReply{p: p, i: i, flags: flags})
}

// interactionReply completes a deferred interaction with the answer.
type interactionReply struct {
	p     *Platform
	i     *discordgo.Interaction
	flags discordgo.MessageFlags
}

// Reply returns no IDs for a private answer: nobody but its asker sees it,
// so no one can refer to it.
func (r interactionReply) Reply(ctx context.Context, m bot.Message) (bot.Destination, []string, error) {
	ids, err := r.p.complete(ctx, r.i, m, r.flags)
	if r.flags&discordgo.MessageFlagsEphemeral != 0 {
		ids = nil
	}
	return bot.Destination{Platform: r.p.Name(), Channel: r.i.ChannelID}, ids, err
}

// complete turns the deferred response into the answer: the first message
// edits the response, the others are follow-ups. It returns the IDs of the
// messages that carry the answer.
func (p *Platform) complete(ctx context.Context, i *discordgo.Interaction, m bot.Message, flags discordgo.MessageFlags) ([]string, error) {
	parts := render(m)
	first, err := p.editOriginal(ctx, i, parts[0].webhookEdit())
	if err != nil {
		// Do not leave the user with "briefbot is thinking…" forever.
		fallback := part{Content: "Sorry, I could not post my answer here. Please try again."}
		if _, err2 := p.editOriginal(ctx, i, fallback.webhookEdit()); err2 != nil {
			p.log.Warn("discord: fallback answer failed too", "err", err2)
		}
		return nil, fmt.Errorf("edit original response: %w", err)
	}
	ids := []string{first.ID}
	for _, pt := range parts[1:] {
		msg, err := p.answerRequest(ctx, i, "POST", discordgo.EndpointWebhookToken(p.app(i), i.Token)+"?wait=true", pt.webhookParams(flags))
		if err != nil {
			return ids, fmt.Errorf("follow-up message: %w", err)
		}
		ids = append(ids, msg.ID)
	}
	return ids, nil
}

// editOriginal is InteractionResponseEdit, in answerRequest's buckets.
func (p *Platform) editOriginal(ctx context.Context, i *discordgo.Interaction, data *discordgo.WebhookEdit) (*discordgo.Message, error) {
	return p.answerRequest(ctx, i, "PATCH", discordgo.EndpointWebhookMessage(p.app(i), i.Token, "@original"), data)
}

func (p *Platform) app(i *discordgo.Interaction) string {
	if i.AppID != "" {
		return i.AppID
	}
	app, _ := p.appID.Load().(string)
	return app
}

// answerBuckets is how many answers to interactions may be sent at once.
const answerBuckets = 32

// answerRequest sends an edit or a follow-up of an interaction's answer.
// discordgo would put every edit of the bot in one rate-limit bucket, so a
// burst would be answered one request at a time, and every follow-up in a
// bucket of its own, kept forever; here interaction tokens are spread over
// a fixed set of buckets instead.
func (p *Platform) answerRequest(ctx context.Context, i *discordgo.Interaction, method, uri string, data any) (*discordgo.Message, error) {
	h := fnv.New32a()
	h.Write([]byte(i.Token))
	bucket := fmt.Sprintf("briefbot/interaction-answers/%d", h.Sum32()%answerBuckets)
	body, err := p.s.RequestWithBucketID(method, uri, data, bucket, discordgo.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	var msg discordgo.Message
	if err := json.Unmarshal(body, &msg); err != nil {
		return nil, fmt.Errorf("decode message: %w", err)
	}
	return &msg, nil
}

// commandArgs joins the options' values in the order the bot defines them
// ("0 8 * * * Europe/Paris" for /subscribe), then any option it does not
// know, in the order given.
func commandArgs(spec bot.Command, opts []*discordgo.ApplicationCommandInteractionDataOption) string {
	vals := make(map[string]string, len(opts))
	for _, o := range opts {
		vals[o.Name] = optionString(o.Value)
	}
	var args []string
	for _, o := range spec.Options {
		if v, ok := vals[o.Name]; ok {
			if v != "" {
				args = append(args, v)
			}
			delete(vals, o.Name)
		}
	}
	for _, o := range opts {
		if v, ok := vals[o.Name]; ok && v != "" {
			args = append(args, v)
		}
	}
	return strings.Join(args, " ")
}

// commandOptions are the options given, by name.
func commandOptions(opts []*discordgo.ApplicationCommandInteractionDataOption) map[string]string {
	out := make(map[string]string, len(opts))
	for _, o := range opts {
		out[o.Name] = optionString(o.Value)
	}
	return out
}

func optionString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return strings.TrimSpace(fmt.Sprint(v))
	}
}

// onMessage hands a message that mentions the bot to the bot, whose
// answer is a reply to it.
func (p *Platform) onMessage(ctx context.Context, h *bot.Handler, m *discordgo.Message) {
	if m == nil || m.Author == nil || m.Author.Bot || m.WebhookID != "" {
		return
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return
	}
	me, _ := p.botID.Load().(string)
	if me == "" || m.Author.ID == me || !mentions(m, me) {
		return
	}
	req := bot.Request{
		Platform:  p.Name(),
		Channel:   m.ChannelID,
		User:      m.Author.ID,
		UserName:  m.Author.Username,
		Args:      stripMention(m.Content, me),
		Mention:   true,
		MessageID: m.ID,
		Caller:    bot.CallerFunc(func(ctx context.Context) (bool, error) { return p.mentionAdmin(ctx, m) }),
		DM:        m.GuildID == "",
		Space:     m.GuildID,
		Received:  time.Now(),
	}
	if ref := m.MessageReference; ref != nil && ref.Type == discordgo.MessageReferenceTypeDefault && ref.MessageID != "" {
		req.ReplyTo = ref.MessageID
	}
	h.Serve(ctx, req, mentionReply{p: p, m: m})
}

// mentionReply answers a mention with a reply to its message.
type mentionReply struct {
	p *Platform
	m *discordgo.Message
}

func (r mentionReply) Reply(ctx context.Context, answer bot.Message) (bot.Destination, []string, error) {
	ids, err := r.p.send(ctx, r.m.ChannelID, r.m.ID, render(answer))
	return bot.Destination{Platform: r.p.Name(), Channel: r.m.ChannelID, Thread: r.m.ID}, ids, err
}

// mentions reports whether m mentions the user me: by name in the text, or
// as the author of the message it replies to, with the ping left on.
func mentions(m *discordgo.Message, me string) bool {
	for _, u := range m.Mentions {
		if u != nil && u.ID == me {
			return true
		}
	}
	return strings.Contains(m.Content, "<@"+me+">") || strings.Contains(m.Content, "<@!"+me+">")
}

// stripMention removes the mentions of me ("<@id>", "<@!id>") from text.
func stripMention(text, me string) string {
	text = strings.ReplaceAll(text, "<@!"+me+">", " ")
	text = strings.ReplaceAll(text, "<@"+me+">", " ")
	return strings.Join(strings.Fields(text), " ")
}

// quickAdmin decides from the interaction alone, or the gateway's state,
// whether its author is an admin; sure is false when it would take a REST
// call to know (the admin role is a name and the guild's roles are not in
// the state). In a direct message with the bot the user manages that
// conversation (its digest) and nothing else: the bot refuses changes to
// shared state from a DM whatever this says (bot.Request.DM). Without a
// member, anywhere else (a group DM), nobody is an admin.
func (p *Platform) quickAdmin(i *discordgo.Interaction) (admin, sure bool) {
	if i.Member == nil {
		return i.GuildID == "" && i.Context == discordgo.InteractionContextBotDM, true
	}
	if i.Member.Permissions&adminPerms != 0 {
		return true, true
	}
	return p.roleAdmin(i.GuildID, i.Member.Roles)
}

// mentionAdmin decides whether the author of a message is an admin: the
// admin role, or Manage Channels in the channel, computed from the state
// (the guild's roles and the channel's overwrites) or else over REST.
func (p *Platform) mentionAdmin(ctx context.Context, m *discordgo.Message) (bool, error) {
	if m.GuildID == "" {
		return true, nil // a direct message: its own conversation (see quickAdmin)
	}
	if m.Member != nil {
		admin, sure := p.roleAdmin(m.GuildID, m.Member.Roles)
		if !sure {
			var err error
			if admin, err = p.restRoleAdmin(ctx, m.GuildID, m.Member.Roles); err != nil {
				return false, err
			}
		}
		if admin {
			return true, nil
		}
	}
	perms, err := p.gw.Load().state(m.GuildID).MessagePermissions(m)
	if err != nil {
		perms, err = p.s.UserChannelPermissions(m.Author.ID, m.ChannelID, discordgo.WithContext(ctx))
	}
	if err != nil {
		return false, fmt.Errorf("discord: permissions of user %s in channel %s: %w", m.Author.ID, m.ChannelID, err)
	}
	return perms&adminPerms != 0, nil
}

// roleAdmin checks the member's roles against DISCORD_ADMIN_ROLE, by ID or,
// with the guild's roles from the state, by name.
func (p *Platform) roleAdmin(guildID string, roles []string) (admin, sure bool) {
	want := p.cfg.AdminRole
	if want == "" {
		return false, true
	}
	for _, r := range roles {
		if r == want {
			return true, true
		}
	}
	if isSnowflake(want) || len(roles) == 0 {
		return false, true
	}
	st := p.gw.Load().state(guildID)
	g, err := st.Guild(guildID)
	if err != nil {
		return false, false // not in the state (or its shard runs elsewhere)
	}
	st.RLock()
	known := !g.Unavailable && len(g.Roles) > 0 // READY lists guilds before GUILD_CREATE fills them in
	st.RUnlock()
	if !known {
		return false, false
	}
	for _, id := range roles {
		if role, err := st.Role(guildID, id); err == nil && strings.EqualFold(role.Name, want) {
			return true, true
		}
	}
	return false, true
}

// restRoleAdmin checks the member's roles against DISCORD_ADMIN_ROLE by
// name, with the guild's roles fetched over REST (and kept a few minutes).
func (p *Platform) restRoleAdmin(ctx context.Context, guildID string, roles []string) (bool, error) {
	names, ok := p.roles.Get(guildID)
	if !ok {
		list, err := p.s.GuildRoles(guildID, discordgo.WithContext(ctx))
		if err != nil {
			return false, fmt.Errorf("discord: roles of guild %s: %w", guildID, err)
		}
		names = make(map[string]string, len(list))
		for _, r := range list {
			names[r.ID] = r.Name
		}
		p.roles.Put(guildID, names)
	}
	for _, r := range roles {
		if strings.EqualFold(names[r], p.cfg.AdminRole) {
			return true, nil
		}
	}
	return false, nil
}
