package discord

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/textutil"
)

// Discord's message limits. Lengths are measured in UTF-16 code units,
// which is never less than Discord's own count.
const (
	maxContent     = 2000
	maxEmbeds      = 10
	maxEmbedTotal  = 6000 // title, description, fields, footer and author of all embeds of a message
	maxTitle       = 256
	maxDescription = 4096
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxAuthor      = 256
	maxURL         = 2048

	// maxStoryFooter keeps a story's footer short, so that a title, a full
	// description and the footer always fit in one message.
	maxStoryFooter = 512
)

// Embed colours by kind of message.
var kindColor = map[bot.Kind]int{
	bot.KindBriefing: 0x2F80ED,
	bot.KindDigest:   0x27AE60,
	bot.KindAnswer:   0x9B51E0,
	bot.KindSources:  0xF2994A,
}

// part is one Discord message of a rendered bot.Message.
type part struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent // the message's controls, on its last part
}

// noMentions is set on every message the bot sends: nothing in it may
// notify anyone, whatever the text says ("@everyone", "<@123>", "<@&456>"),
// and a reply does not ping the author of the message it answers.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

func (pt part) embeds() []*discordgo.MessageEmbed {
	if pt.Embeds == nil {
		return []*discordgo.MessageEmbed{}
	}
	return pt.Embeds
}

func (pt part) messageSend() *discordgo.MessageSend {
	return &discordgo.MessageSend{Content: pt.Content, Embeds: pt.embeds(), Components: pt.Components, AllowedMentions: noMentions()}
}

func (pt part) webhookEdit() *discordgo.WebhookEdit {
	content, embeds := pt.Content, pt.embeds()
	e := &discordgo.WebhookEdit{Content: &content, Embeds: &embeds, AllowedMentions: noMentions()}
	if pt.Components != nil {
		e.Components = &pt.Components
	}
	return e
}

func (pt part) webhookParams(flags discordgo.MessageFlags) *discordgo.WebhookParams {
	return &discordgo.WebhookParams{Content: pt.Content, Embeds: pt.Embeds, Components: pt.Components, AllowedMentions: noMentions(), Flags: flags}
}

// render turns a bot message into one or more Discord messages, each
// within every limit. The header, title and text become the content of the
// first messages; each story becomes an embed (several if its bullets do not
// fit in one description), and the message's footer a last small embed.
// Help, info and error messages are plain content. The message's controls
// go under its last part (see components). Splits fall between
// paragraphs, lines or bullets; a single bullet too long for an embed is cut
// at a word boundary with "…"; nothing cuts a word or a link in half.
func render(m bot.Message) []part {
	var blocks []string
	if m.Header != "" {
		blocks = append(blocks, escape(m.Header))
	}
	if m.Title != "" {
		blocks = append(blocks, "**"+escape(m.Title)+"**")
	}
	if m.Text != "" {
		blocks = append(blocks, escape(m.Text))
	}
	var embeds []*discordgo.MessageEmbed
	if len(m.Stories) == 0 {
		if m.Footer != "" {
			blocks = append(blocks, escape(m.Footer))
		}
	} else {
		n := 0
		for _, s := range m.Stories {
			embeds = append(embeds, storyEmbeds(m.Kind, s, &n)...)
		}
		if m.Footer != "" {
			for _, c := range splitText(escape(m.Footer), maxDescription) {
				embeds = append(embeds, &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Description: c})
			}
		}
	}
	parts := pack(strings.Join(blocks, "\n\n"), embeds)
	parts[len(parts)-1].Components = components(m.Controls)
	return parts
}

// pack fills messages: content chunks first, the last one sharing its
// message with the first embeds, then as many embeds per message as the
// limits allow.
func pack(content string, embeds []*discordgo.MessageEmbed) []part {
	var parts []part
	chunks := splitText(content, maxContent)
	cur := part{}
	for i, c := range chunks {
		if i < len(chunks)-1 {
			parts = append(parts, part{Content: c})
		} else {
			cur.Content = c
		}
	}
	total := 0
	for _, e := range embeds {
		n := embedLen(e)
		if len(cur.Embeds) == maxEmbeds || (len(cur.Embeds) > 0 && total+n > maxEmbedTotal) {
			parts = append(parts, cur)
			cur, total = part{}, 0
		}
		cur.Embeds = append(cur.Embeds, e)
		total += n
	}
	if cur.Content != "" || len(cur.Embeds) > 0 {
		parts = append(parts, cur)
	}
	if len(parts) == 0 {
		parts = append(parts, part{Content: "(nothing to show)"})
	}
	return parts
}

// storyEmbeds renders one story: the headline as a linked title, the gist,
// the numbered bullets with their attribution, related headlines and
// context, and the outlet and date in the footer. n numbers bullets that
// have no number of their own.
func storyEmbeds(kind bot.Kind, s bot.Story, n *int) []*discordgo.MessageEmbed {
	var units []textutil.Unit
	for _, para := range strings.Split(escape(strings.TrimSpace(s.Gist)), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			units = append(units, textutil.Unit{Text: para, Gap: len(units) > 0})
		}
	}
	first := true
	for _, b := range s.Bullets {
		*n++
		num := b.N
		if num <= 0 {
			num = *n
		}
		units = append(units, textutil.Unit{Text: bulletLine(num, b, maxDescription), Gap: first && len(units) > 0})
		first = false
		if kind == bot.KindSources && strings.TrimSpace(b.Sentence) != "" {
			units = append(units, textutil.Unit{Text: clip("> “"+escape(textutil.OneLine(b.Sentence))+"”", maxDescription)})
		}
	}
	if c := strings.TrimSpace(s.Context); c != "" {
		units = append(units, textutil.Unit{Text: "Context: " + escape(c), Gap: len(units) > 0})
	}
	for i, note := range s.Notes {
		if note = strings.TrimSpace(textutil.OneLine(note)); note != "" {
			units = append(units, textutil.Unit{Text: clip("*"+escape(note)+"*", maxDescription), Gap: i == 0 && len(units) > 0})
		}
	}

	headline := strings.TrimSpace(textutil.OneLine(s.Headline))
	if headline == "" && s.File != "" {
		headline = s.File
	}
	title := clip(escape(headline), maxTitle)
	link := validURL(s.URL)
	footer := storyFooter(s, link == "")
	descs := textutil.Pack(units, maxDescription, textutil.UTF16, urlRE)
	if len(descs) == 0 {
		descs = []string{""}
	}
	out := make([]*discordgo.MessageEmbed, len(descs))
	for i, d := range descs {
		e := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Description: d, Color: kindColor[kind]}
		if i == 0 {
			e.Title, e.URL = title, link
		} else if headline != "" {
			e.Title = clip(escape(headline), maxTitle-len(" (continued)")) + " (continued)"
		}
		if i == len(descs)-1 && footer != "" {
			e.Footer = &discordgo.MessageEmbedFooter{Text: footer}
		}
		out[i] = e
	}
	return out
}

// bulletLine renders "3. “quoted text” (attribution)" within limit, cutting
// the claim's text, not its quotation marks or attribution, if it must.
func bulletLine(n int, b bot.Bullet, limit int) string {
	prefix := fmt.Sprintf("%d. ", n)
	open, close := "", ""
	if b.Quoted {
		open, close = "“", "”"
	}
	attr := ""
	if a := strings.TrimSpace(textutil.OneLine(b.Attribution)); a != "" {
		attr = " (" + escape(a) + ")"
	}
	text := escape(strings.TrimSpace(textutil.OneLine(b.Text)))
	if p := strings.TrimSpace(textutil.OneLine(b.Prefix)); p != "" {
		prefix += escape(p) + " "
	}
	line := prefix + open + text + close + attr
	if dlen(line) <= limit {
		return line
	}
	if room := limit - dlen(prefix+open+close+attr); room >= limit/2 {
		return prefix + open + clip(text, room) + close + attr
	}
	return clip(line, limit)
}

// storyFooter is "Outlet · 4 Mar 2026", plus the file name when the story
// has no link. Embed footers show no markdown, so nothing is escaped.
func storyFooter(s bot.Story, withFile bool) string {
	var bits []string
	if src := strings.TrimSpace(textutil.OneLine(s.Source)); src != "" {
		bits = append(bits, src)
	}
	if !s.Published.IsZero() {
		bits = append(bits, s.Published.Format("2 Jan 2006"))
	}
	if withFile && s.File != "" {
		bits = append(bits, s.File)
	}
	return clip(strings.Join(bits, " · "), maxStoryFooter)
}

// splitText cuts s into chunks of at most limit (see textutil.Split),
// never inside a link.
func splitText(s string, limit int) []string { return textutil.Split(s, limit, textutil.UTF16, urlRE) }

// clip shortens s to at most limit, at a word boundary, ending with "…".
func clip(s string, limit int) string { return textutil.Clip(s, limit, textutil.UTF16) }

// dlen is a string's length as Discord limits count it, or more.
func dlen(s string) int { return textutil.Len(s, textutil.UTF16) }

// embedLen is what an embed counts towards the 6000 characters of a message.
func embedLen(e *discordgo.MessageEmbed) int {
	n := dlen(e.Title) + dlen(e.Description)
	for _, f := range e.Fields {
		n += dlen(f.Name) + dlen(f.Value)
	}
	if e.Footer != nil {
		n += dlen(e.Footer.Text)
	}
	if e.Author != nil {
		n += dlen(e.Author.Name)
	}
	return n
}

// validURL returns u if Discord will accept it as an embed link, else "".
func validURL(u string) string {
	u = strings.TrimSpace(u)
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || len(u) > maxURL {
		return ""
	}
	return u
}

var (
	urlRE      = regexp.MustCompile(`https?://[^\s<>]+`)
	everyoneRE = regexp.MustCompile(`(?i)@(everyone|here)\b`)
)

// escape makes plain text from articles and users safe for Discord
// markdown: it shows as written, with no bold, italics, spoilers, code,
// headings, lists, quotes or masked links made of it, and no mention pills.
// Links are left intact so that they stay clickable. "@everyone" and
// "@here" get a zero-width space after the "@"; AllowedMentions already
// keeps them from notifying anyone, this keeps them from looking like it.
func escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	last, lineStart := 0, true
	for _, loc := range urlRE.FindAllStringIndex(s, -1) {
		escapeText(&b, s[last:loc[0]], lineStart)
		b.WriteString(s[loc[0]:loc[1]])
		last, lineStart = loc[1], false
	}
	escapeText(&b, s[last:], lineStart)
	return everyoneRE.ReplaceAllString(b.String(), "@\u200b$1")
}

// escapeText escapes markdown in text that holds no link; lineStart says
// whether text begins a line. It returns whether the text ends at the start
// of a line.
func escapeText(b *strings.Builder, text string, lineStart bool) bool {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if lineStart {
			switch {
			case c == ' ' || c == '\t':
				b.WriteByte(c)
				continue
			case c == '#' || c == '>' || c == '-' || c == '+':
				b.WriteByte('\\')
				b.WriteByte(c)
				lineStart = false
				continue
			case c >= '0' && c <= '9':
				j := i
				for j < len(text) && text[j] >= '0' && text[j] <= '9' {
					j++
				}
				b.WriteString(text[i:j])
				if j < len(text) && (text[j] == '.' || text[j] == ')') {
					b.WriteByte('\\')
					b.WriteByte(text[j])
					j++
				}
				i = j - 1
				lineStart = false
				continue
			}
			lineStart = false
		}
		switch c {
		case '\\', '*', '_', '~', '`', '|', '[', ']', '<':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteByte(c)
			lineStart = true
		default:
			b.WriteByte(c)
		}
	}
	return lineStart
}
