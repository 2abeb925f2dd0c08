package slack

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/textutil"
)

// Slack's limits on interactive elements.
const (
	maxElements      = 25  // elements of an actions block
	maxOptions       = 100 // options of a menu
	maxElementText   = 75  // characters of a button's or an option's text
	maxOptionValue   = 150 // characters of an option's value
	maxActionID      = 255 // characters of an action_id (a button's value may have 2,000)
	maxButtonURL     = 3000
	maxSourceButtons = 5 // up to this many bullets get a button each, more a menu
)

// linkActionPrefix starts the action_id of a link button: Slack reports
// its clicks too, and the bot has nothing to answer (Slack opens the page).
const linkActionPrefix = "link-"

// actionsBlock lays a message's controls out as one actions block, within
// Slack's limits: Sources as one button per bullet when there are at most
// five, else as a menu; More on this as a button for one story, a menu for
// several; Stop these (red); the answers to a confirmation; and links to
// the articles, as many as fit. A choice's ID is its button's value and
// action_id, or its option's value. nil if there is nothing to show.
func actionsBlock(c *bot.Controls) slack.Block {
	if c == nil {
		return nil
	}
	seen := map[string]bool{} // action_ids are unique in a block
	usable := func(choices []bot.Choice) []bot.Choice {
		var out []bot.Choice
		for _, ch := range choices {
			if ch.ID != "" && len(ch.ID) <= min(maxActionID, maxOptionValue) && !seen[ch.ID] {
				seen[ch.ID] = true
				out = append(out, ch)
			}
		}
		return out
	}
	var els []slack.BlockElement
	if sources := usable(c.Sources); len(sources) <= maxSourceButtons {
		els = append(els, buttons(sources, "")...)
	} else {
		els = append(els, menu("menu-sources", "Where does a bullet come from?", sources))
	}
	switch more := usable(c.More); {
	case len(more) == 1:
		els = append(els, buttons(more, slack.StylePrimary)...)
	case len(more) > 1:
		els = append(els, menu("menu-more", "More on a story…", more))
	}
	if c.Stop != nil {
		els = append(els, buttons(usable([]bot.Choice{*c.Stop}), "")...)
	}
	els = append(els, buttons(usable(c.Confirm), "")...)
	var links []bot.Choice
	for _, l := range c.Links {
		if u, ok := safeURL(l.URL); ok && len(u) <= maxButtonURL {
			links = append(links, l)
		}
	}
	for i, l := range links[:min(len(links), maxElements-len(els))] {
		label := l.Label
		if len(links) > 1 {
			label = l.Detail // which article
		}
		b := slack.NewButtonBlockElement(linkActionPrefix+strconv.Itoa(i), "", plainText75(label))
		els = append(els, b.WithURL(strings.TrimSpace(l.URL)))
	}
	if len(els) == 0 {
		return nil
	}
	return slack.NewActionBlock("bb1-controls", els...)
}

// plainText75 is a button's or an option's text: plain, escaped, on one
// line, at most 75 characters.
func plainText75(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, fitPlain(textutil.OneLine(s), maxElementText), false, false)
}

// buttons makes a button of each choice, in style ("" is Slack's default);
// a dangerous choice is red.
func buttons(choices []bot.Choice, style slack.Style) []slack.BlockElement {
	out := make([]slack.BlockElement, len(choices))
	for i, ch := range choices {
		b := slack.NewButtonBlockElement(ch.ID, ch.ID, plainText75(ch.Label))
		switch {
		case ch.Danger:
			b = b.WithStyle(slack.StyleDanger)
		case style != "":
			b = b.WithStyle(style)
		}
		out[i] = b
	}
	return out
}

// menu makes a menu of the first 100 choices, each option's text the
// choice's detail.
func menu(actionID, placeholder string, choices []bot.Choice) slack.BlockElement {
	choices = choices[:min(len(choices), maxOptions)]
	opts := make([]*slack.OptionBlockObject, len(choices))
	for i, ch := range choices {
		text := ch.Detail
		if text == "" {
			text = ch.Label
		}
		opts[i] = slack.NewOptionBlockObject(ch.ID, plainText75(text), nil)
	}
	return slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plainText75(placeholder), actionID, opts...)
}

// onAction answers a click on one of the bot's controls (block_actions,
// in Socket Mode or HTTP mode), once per trigger_id: the bot answers it
// privately, through the interaction's response_url. Clicks on links are
// not answered: Slack opens the page.
func (p *Platform) onAction(ctx context.Context, h *bot.Handler, cb slack.InteractionCallback) {
	if cb.Type != slack.InteractionTypeBlockActions {
		p.log.Debug("slack: interaction ignored", "type", cb.Type)
		return
	}
	id, ok := clickID(cb.ActionCallback.BlockActions)
	if !ok {
		return
	}
	if cb.TriggerID != "" && !p.first("action:"+cb.TriggerID) {
		p.log.Debug("slack: duplicate action ignored", "trigger", cb.TriggerID)
		return
	}
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	req := bot.Request{
		Platform: p.Name(),
		Channel:  channel,
		User:     cb.User.ID,
		UserName: cb.User.Name,
		Click:    id,
		ReplyTo:  cb.Container.MessageTs,
		Caller:   p.caller(cb.User.ID),
		DM:       isDM(channel),
		Space:    cb.Team.ID,
		Received: time.Now(),
	}
	p.dispatch(ctx, h, reply{p: p, req: req, channel: channel, user: cb.User.ID, responseURL: cb.ResponseURL})
}

// clickID is the ID of the choice clicked: a menu's chosen option's value,
// or a button's value. ok is false for a link. An empty ID is still a
// click, which the bot says it cannot read.
func clickID(actions []*slack.BlockAction) (id string, ok bool) {
	for _, a := range actions {
		if strings.HasPrefix(a.ActionID, linkActionPrefix) {
			continue
		}
		id = a.Value
		if a.SelectedOption.Value != "" {
			id = a.SelectedOption.Value
		}
		if id == "" {
			id = "(empty)"
		}
		return id, true
	}
	return "", false
}
