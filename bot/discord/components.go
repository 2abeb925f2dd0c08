package discord

import (
	"strconv"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/textutil"
)

// Discord's limits on message components.
const (
	maxRows        = 5   // action rows per message
	maxRowButtons  = 5   // buttons per row (a menu fills a row alone)
	maxMenuOptions = 25  // options per menu
	maxSourceMenus = 2   // menus of Sources: 50 bullets, more than any post has
	maxButtonLabel = 80  // characters of a button's label
	maxOptionText  = 100 // characters of an option's label
	maxCustomID    = 100 // characters of a custom_id or an option's value
	maxLinkURL     = 512 // characters of a link button's URL
	maxLinkLabel   = 40  // a link named by its headline, among several: short
)

// components lays a message's controls out as Discord action rows, within
// Discord's limits: Sources as one button per bullet when there are at
// most five, else as menus; More on this as a button for one story, a menu
// for several; then a row of buttons: More on this, Stop these (red), the
// answers to a confirmation, and links to the articles, as many as fit.
func components(c *bot.Controls) []discordgo.MessageComponent {
	if c == nil {
		return nil
	}
	seen := map[string]bool{} // custom_ids are unique in a message
	usable := func(choices []bot.Choice) []bot.Choice {
		var out []bot.Choice
		for _, ch := range choices {
			if ch.ID != "" && len(ch.ID) <= maxCustomID && !seen[ch.ID] {
				seen[ch.ID] = true
				out = append(out, ch)
			}
		}
		return out
	}
	var rows []discordgo.MessageComponent
	if sources := usable(c.Sources); len(sources) <= maxRowButtons {
		if len(sources) > 0 {
			rows = append(rows, row(buttons(sources, discordgo.SecondaryButton)...))
		}
	} else {
		for i := 0; i < maxSourceMenus && i*maxMenuOptions < len(sources); i++ {
			rows = append(rows, row(menu("menu:sources:"+strconv.Itoa(i+1), "Where does a bullet come from?", sources[i*maxMenuOptions:])))
		}
	}
	var acts []discordgo.MessageComponent
	switch more := usable(c.More); {
	case len(more) == 1:
		acts = append(acts, buttons(more, discordgo.PrimaryButton)...)
	case len(more) > 1:
		rows = append(rows, row(menu("menu:more", "More on a story…", more)))
	}
	if c.Stop != nil {
		acts = append(acts, buttons(usable([]bot.Choice{*c.Stop}), discordgo.DangerButton)...)
	}
	acts = append(acts, buttons(usable(c.Confirm), discordgo.SecondaryButton)...)
	var links []bot.Choice
	for _, l := range c.Links {
		if u := validURL(l.URL); u != "" && len(u) <= maxLinkURL {
			l.URL = u
			links = append(links, l)
		}
	}
	for _, l := range links[:min(len(links), (maxRows-len(rows))*maxRowButtons-len(acts))] {
		label := l.Label
		if len(links) > 1 {
			label = l.Detail // which article
		}
		acts = append(acts, discordgo.Button{Label: clip(textutil.OneLine(label), maxLinkLabel), Style: discordgo.LinkButton, URL: l.URL})
	}
	for len(acts) > 0 {
		n := min(len(acts), maxRowButtons)
		rows = append(rows, row(acts[:n]...))
		acts = acts[n:]
	}
	return rows
}

func row(cs ...discordgo.MessageComponent) discordgo.MessageComponent {
	return discordgo.ActionsRow{Components: cs}
}

// buttons makes a button of each choice, in style; a dangerous choice is
// red whatever the style.
func buttons(choices []bot.Choice, style discordgo.ButtonStyle) []discordgo.MessageComponent {
	out := make([]discordgo.MessageComponent, len(choices))
	for i, ch := range choices {
		s := style
		if ch.Danger {
			s = discordgo.DangerButton
		}
		out[i] = discordgo.Button{Label: clip(textutil.OneLine(ch.Label), maxButtonLabel), Style: s, CustomID: ch.ID}
	}
	return out
}

// menu makes a menu of the first 25 choices, each option labelled with its
// detail (plain text: Discord shows no markdown there); a choice's ID is
// its option's value.
func menu(id, placeholder string, choices []bot.Choice) discordgo.MessageComponent {
	choices = choices[:min(len(choices), maxMenuOptions)]
	opts := make([]discordgo.SelectMenuOption, len(choices))
	for i, ch := range choices {
		label := ch.Detail
		if label == "" {
			label = ch.Label
		}
		opts[i] = discordgo.SelectMenuOption{Label: clip(textutil.OneLine(label), maxOptionText), Value: ch.ID}
	}
	return discordgo.SelectMenu{MenuType: discordgo.StringSelectMenu, CustomID: id, Placeholder: placeholder, Options: opts}
}

// clickRequest decodes a click under message i.Message: the custom_id of
// a button, or the value of the option chosen in a menu. An empty ID is
// still a click, which the bot says it cannot read.
func clickRequest(i *discordgo.Interaction, data discordgo.MessageComponentInteractionData) bot.Request {
	req := bot.Request{Click: data.CustomID}
	if len(data.Values) > 0 {
		req.Click = data.Values[0]
	}
	if req.Click == "" {
		req.Click = "(empty)"
	}
	if i.Message != nil {
		req.ReplyTo = i.Message.ID
	}
	return req
}
