package discord

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/fakediscord"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/internal/testutil/stubbot"
)

// rowsOf describes the rows of components: "button:Source 1|button:More
// on this", "menu:25".
func rowsOf(cs []discordgo.MessageComponent) []string {
	var out []string
	for _, r := range cs {
		var items []string
		for _, c := range r.(discordgo.ActionsRow).Components {
			switch c := c.(type) {
			case discordgo.Button:
				items = append(items, fmt.Sprintf("%d:%s", c.Style, c.Label))
			case discordgo.SelectMenu:
				items = append(items, fmt.Sprintf("menu:%d", len(c.Options)))
			}
		}
		out = append(out, strings.Join(items, "|"))
	}
	return out
}

// The controls' layout, within Discord's limits: a button per bullet when
// there are at most five, menus otherwise; More on this, Stop these and the
// links in a row of buttons; never more than five rows.
func TestComponentsLayout(t *testing.T) {
	one := stubbot.Digest(1, 3)
	one.Kind, one.Controls.Stop = bot.KindBriefing, nil
	long := bot.Choice{Label: strings.Repeat("x", 90), ID: "bb1:src:b:9:" + strings.Repeat("a", 100) + ":1"}
	one.Controls.Sources = append(one.Controls.Sources, one.Controls.Sources[0], long) // a duplicate and an ID too long: left out
	one.Controls.Links = append(one.Controls.Links, bot.Choice{Label: "Read", URL: "javascript:alert(1)"})
	for _, c := range []struct {
		name string
		c    *bot.Controls
		want []string
	}{
		{"briefing", one.Controls, []string{"2:Source 1|2:Source 2|2:Source 3", "1:More on this|5:Read the article"}},
		{"digest of 3", stubbot.Digest(3, 2).Controls, []string{"menu:6", "menu:3",
			"4:Stop these|5:Story 1: the council votes on the…|5:Story 2: the council votes on the…|5:Story 3: the council votes on the…"}},
		{"digest of 10", stubbot.Digest(10, 3).Controls, []string{"menu:25", "menu:5", "menu:10",
			"4:Stop these|5:Story 1: the council votes on the…|5:Story 2: the council votes on the…|5:Story 3: the council votes on the…|5:Story 4: the council votes on the…",
			"5:Story 5: the council votes on the…|5:Story 6: the council votes on the…|5:Story 7: the council votes on the…|5:Story 8: the council votes on the…|5:Story 9: the council votes on the…"}},
		{"confirmation", &bot.Controls{Confirm: []bot.Choice{{Label: "Yes, stop them", ID: "bb1:stop:yes", Danger: true}, {Label: "Keep them", ID: "bb1:stop:no"}}},
			[]string{"4:Yes, stop them|2:Keep them"}},
		{"none", nil, nil},
	} {
		got := rowsOf(components(c.c))
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s: rows\n%s\nwant\n%s", c.name, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
	menu := components(stubbot.Digest(10, 3).Controls)[0].(discordgo.ActionsRow).Components[0].(discordgo.SelectMenu)
	if o := menu.Options[0]; o.Label != "1. Claim 1 of story 1 (Mayor Jane Doe)" || o.Value != "bb1:src:d:1:0000000000000001:0" {
		t.Errorf("first option %+v", o)
	}
}

// Posts and answers carry their controls on their last message, which
// the fake accepts only within Discord's limits.
func TestPostWithComponents(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	p, err := New(Config{Token: fakediscord.Token, APIBase: f.URL()}, testLogger())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []bot.Message{stubbot.Digest(10, 3), stubbot.Digest(1, 5)} {
		if _, err := p.Post(context.Background(), bot.Destination{Platform: "discord", Channel: "300000000000000042"}, m); err != nil {
			t.Fatalf("post: %v", err)
		}
	}
	msgs := f.ChannelMessages("300000000000000042")
	if len(msgs) != 2 {
		t.Fatalf("%d messages", len(msgs))
	}
	for _, m := range msgs {
		if b, ok := m.Button("Stop these"); !ok || b.Style != 4 || b.CustomID != "bb1:stop" {
			t.Errorf("no red Stop these button: %+v", m.Body.Components)
		}
	}
	if b, ok := msgs[1].Button("Read the article"); !ok || b.URL != "https://example.org/news/1" {
		t.Errorf("no link button: %+v", msgs[1].Body.Components)
	}
}

// A click is deferred privately at once (type 5, ephemeral), decoded into
// a request whose Click is the button's custom_id or the menu option's
// value and whose ReplyTo is the message clicked, and answered privately
// by editing the deferred response, controls included; a private answer
// is not recorded as a post anyone could refer to.
func TestClickRoundTrip(t *testing.T) {
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{})
	h := &stubbot.Stub{Answer: func(r stubbot.Request) bot.Message {
		m := stubbot.Digest(1, 2)
		m.Kind, m.Header, m.Controls.Stop, m.Private = bot.KindBriefing, "You clicked "+r.Click, nil, true
		return m
	}}
	start(t, f, h, nil)
	for i, c := range []struct {
		custom string
		values []string
		member fakediscord.Member
		want   bot.Request
		admin  bool
	}{
		{"bb1:more:0000000000000001", nil, fakediscord.Member{Perms: discordgo.PermissionSendMessages},
			bot.Request{Channel: fakediscord.ChannelID, Space: fakediscord.GuildID, Click: "bb1:more:0000000000000001"}, false},
		{"menu:sources:1", []string{"bb1:src:d:2:0000000000000001:1"}, fakediscord.Member{Perms: discordgo.PermissionManageChannels},
			bot.Request{Channel: fakediscord.ChannelID, Space: fakediscord.GuildID, Click: "bb1:src:d:2:0000000000000001:1"}, true},
		{"bb1:stop", nil, fakediscord.Member{DM: true},
			bot.Request{Channel: fakediscord.DMChannelID, DM: true, Click: "bb1:stop"}, true},
	} {
		id := fmt.Sprintf("64000000000000000%d", i)
		x := f.ClickTrip(t, id, "950000000000000001", c.custom, c.values, c.member)
		if x.Callback.Type != int(discordgo.InteractionResponseDeferredChannelMessageWithSource) || x.Callback.Flags != int(discordgo.MessageFlagsEphemeral) {
			t.Errorf("click %s: callback type %d flags %d, want a private deferral (5, 64)", c.custom, x.Callback.Type, x.Callback.Flags)
		}
		if x.Ack > 3*time.Second {
			t.Errorf("click %s acknowledged after %v", c.custom, x.Ack)
		}
		msg := x.Messages[0]
		if msg.Via != "edit" || !strings.Contains(msg.Body.Content, "You clicked "+c.want.Click) || len(msg.Body.Components) != 2 {
			t.Errorf("click %s answered %+v, want an edit of the private response with the answer and its controls", c.custom, msg)
		}
		got := h.Requests()[i]
		got.Received = time.Time{}
		c.want.Platform, c.want.User, c.want.UserName, c.want.ReplyTo = "discord", fakediscord.UserID, "alice", "950000000000000001"
		if !reflect.DeepEqual(got, stubbot.Request{Request: c.want, Admin: c.admin}) {
			t.Errorf("click %s: request %+v\nwant %+v (admin %v)", c.custom, got, c.want, c.admin)
		}
	}
	testutil.WaitFor(t, 2*time.Second, "the answers", func() bool { return len(f.Messages()) == 3 })
	if posts := h.Posts(); len(posts) != 0 {
		t.Errorf("private answers recorded as posts: %+v", posts)
	}
}
