package bot

// Spaces. A space is a Discord server, a Slack workspace, a Discord direct
// message with the bot, or the console: everything a channel sees comes
// from the global sources (the seeds folder, FEEDS) and its space's own
// feeds, never another space's (see store/spaces.go). The bot names a
// space "platform:id": "discord:<guild ID>", "slack:<team ID>",
// "discord:dm:<channel ID>", and "console".

import "context"

// SpaceFinder is a [Platform] that can tell which space a channel is in,
// for the channels the bot posts to without a request from them to say so
// (BRIEFING_CHANNELS, and subscriptions made before spaces existed).
type SpaceFinder interface {
	// ChannelSpace returns what a Request from the channel would carry:
	// its Space (the server or workspace ID, "" for a direct message) and
	// whether it is a direct message with the bot.
	ChannelSpace(ctx context.Context, channel string) (space string, dm bool, err error)
}

// spaceKey names the space of a channel of the platform, from what a
// request says of it (Request.Space and Request.DM). ok is false when it
// does not say: such a channel sees the global sources only, and changes
// none.
func spaceKey(platform, space, channel string, dm bool) (key string, ok bool) {
	switch {
	case platform == "console":
		return "console", true
	case space != "":
		return platform + ":" + space, true
	case dm && channel != "":
		return platform + ":dm:" + channel, true
	}
	return "", false
}

// space is the space the request comes from (see spaceKey).
func (r Request) space() (string, bool) { return spaceKey(r.Platform, r.Space, r.Channel, r.DM) }

// spaceNoun says what the request's space is, for people: "this server".
func (r Request) spaceNoun() string {
	switch {
	case r.Platform == "console":
		return "this console"
	case r.DM:
		return "this conversation"
	case r.Platform == "slack":
		return "this workspace"
	case r.Platform == "discord":
		return "this server"
	}
	return "this space"
}

// channelSpace finds the space of a channel the bot posts to on its own
// (BRIEFING_CHANNELS, a subscription that does not know its space), from
// its platform. "" (the global sources only) when the platform cannot
// tell, which shows the channel less, never another space's sources.
func (b *Bot) channelSpace(ctx context.Context, d Destination) string {
	if d.Platform == "console" {
		return "console"
	}
	finder, ok := b.finders[d.Platform]
	if !ok {
		return ""
	}
	space, dm, err := finder.ChannelSpace(ctx, d.Channel)
	if err != nil {
		b.log.Warn("bot: cannot tell which space a channel is in; it gets the global sources only for now",
			"channel", d.Key(), "err", err)
		return ""
	}
	key, _ := spaceKey(d.Platform, space, d.Channel, dm)
	return key
}
