package slack

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/textutil"
)

// Slack's limits on a message.
const (
	maxBlocks      = 50   // blocks per message
	maxSectionText = 3000 // characters in a section's text; we count bytes, which are never fewer
	maxHeaderText  = 150  // characters in a header block
	maxFallback    = 3000 // our own cap on the notification text
	maxLabel       = 200  // characters of a link label
	maxURL         = 2000
)

// part is one Slack message: Block Kit blocks and the plain-text fallback
// Slack shows in notifications. Both are already escaped.
type part struct {
	Blocks []slack.Block
	Text   string
}

// group is blocks that belong together (a story): a message is split
// between groups when it can be.
type group struct {
	blocks   []slack.Block
	fallback string
}

// render turns a bot message into one or more Slack messages within Slack's
// limits: a header block, mrkdwn sections for text, gists and numbered
// bullets, context blocks for sources, links and dates, and dividers
// between stories, and the message's controls in an actions block at its
// end (see actionsBlock). Every piece of text is escaped, so nothing from an
// article or a user can notify anyone or forge a link; the only links are
// the articles' own http(s) URLs. Long text is split between words and
// never inside a link; a message with more than 50 blocks becomes several,
// cut between stories where possible.
func render(m bot.Message) []part {
	m = slackCommands(m)
	var groups []group

	// The opening: header, title, text.
	var top group
	head, title := textutil.OneLine(m.Header), textutil.OneLine(m.Title)
	if head == "" {
		head, title = title, ""
	}
	if head != "" {
		top.blocks = append(top.blocks, headerBlock(head))
		top.fallback = esc(head)
	}
	if title != "" {
		top.blocks = append(top.blocks, sections("*"+esc(title)+"*")...)
		top.fallback = joinNonEmpty("\n", top.fallback, esc(title))
	}
	if text := strings.TrimSpace(m.Text); text != "" {
		top.blocks = append(top.blocks, sections(paragraphs(text)...)...)
		top.fallback = joinNonEmpty("\n", top.fallback, esc(text))
	}
	if len(top.blocks) > 0 {
		groups = append(groups, top)
	}

	n := 0 // bullet numbers when the bot left them zero
	for i, s := range m.Stories {
		g := renderStory(s, &n, m.Kind == bot.KindSources)
		if i > 0 || len(groups) > 0 {
			g.blocks = append([]slack.Block{slack.NewDividerBlock()}, g.blocks...)
		}
		groups = append(groups, g)
	}

	if footer := strings.TrimSpace(m.Footer); footer != "" {
		var g group
		for _, t := range packText(maxSectionText, paragraphs(footer)...) {
			g.blocks = append(g.blocks, contextBlock(t))
		}
		g.fallback = esc(footer)
		groups = append(groups, g)
	}

	if b := actionsBlock(m.Controls); b != nil {
		groups = append(groups, group{blocks: []slack.Block{b}})
	}
	if len(groups) == 0 {
		groups = append(groups, group{blocks: sections("…"), fallback: "…"})
	}
	return pack(groups)
}

// renderStory renders one article: its headline and gist, its numbered
// bullets (with their source sentences for a source lookup), the context
// around a claim, related headlines and a line with outlet, date and link.
func renderStory(s bot.Story, n *int, sources bool) group {
	var g group
	headline := textutil.OneLine(s.Headline)
	if headline == "" {
		headline = textutil.OneLine(s.File)
	}
	var lead []string
	if headline != "" {
		lead = append(lead, "*"+esc(headline)+"*")
	}
	if gist := strings.TrimSpace(s.Gist); gist != "" {
		lead = append(lead, esc(gist))
	}
	if len(lead) > 0 {
		g.blocks = append(g.blocks, sections(strings.Join(lead, "\n"))...)
	}

	var lines []string
	for _, b := range s.Bullets {
		num := b.N
		if num <= 0 {
			*n++
			num = *n
		} else {
			*n = max(*n, num)
		}
		line := "*" + strconv.Itoa(num) + ".* " + esc(textutil.OneLine(b.Line()))
		if sentence := strings.TrimSpace(b.Sentence); sentence != "" && sources {
			line += "\n" + quote(sentence)
		}
		lines = append(lines, line)
	}
	if len(lines) > 0 {
		g.blocks = append(g.blocks, sections(lines...)...)
	}
	if c := strings.TrimSpace(s.Context); c != "" {
		g.blocks = append(g.blocks, sections(quote(c))...)
	}
	var notes []string
	for _, note := range s.Notes {
		if note = textutil.OneLine(note); note != "" {
			notes = append(notes, esc(note))
		}
	}
	if len(notes) > 0 {
		for _, t := range packText(maxSectionText, notes...) {
			g.blocks = append(g.blocks, contextBlock(t))
		}
	}

	var meta []string
	if src := textutil.OneLine(s.Source); src != "" {
		meta = append(meta, esc(clipLabel(src, maxLabel)))
	}
	if !s.Published.IsZero() {
		meta = append(meta, s.Published.Format("2 Jan 2006"))
	}
	if l := link(s.URL, ""); l != "" {
		meta = append(meta, l)
	} else if f := textutil.OneLine(s.File); f != "" && f != headline {
		meta = append(meta, esc(clipLabel(f, maxLabel)))
	}
	if len(meta) > 0 {
		g.blocks = append(g.blocks, contextBlock(strings.Join(meta, " · ")))
	}

	g.fallback = "• " + esc(headline)
	if src := textutil.OneLine(s.Source); src != "" {
		g.fallback += " (" + esc(src) + ")"
	}
	return g
}

// pack fills messages of at most maxBlocks blocks with the groups, starting
// a new message rather than splitting a group that fits in one. A divider
// never opens a message.
func pack(groups []group) []part {
	var parts []part
	var blocks []slack.Block
	var texts []string
	flush := func() {
		if len(blocks) > 0 {
			parts = append(parts, part{Blocks: blocks, Text: fallbackText(strings.Join(texts, "\n"))})
		}
		blocks, texts = nil, nil
	}
	for _, g := range groups {
		bs := g.blocks
		if len(blocks) > 0 && len(blocks)+len(bs) > maxBlocks && len(dropDivider(bs)) <= maxBlocks {
			flush()
		}
		if len(blocks) == 0 {
			bs = dropDivider(bs)
		}
		if g.fallback != "" {
			texts = append(texts, g.fallback)
		}
		for len(bs) > 0 {
			if len(blocks) == maxBlocks {
				flush()
				bs = dropDivider(bs)
				continue
			}
			n := min(maxBlocks-len(blocks), len(bs))
			blocks = append(blocks, bs[:n]...)
			bs = bs[n:]
		}
	}
	flush()
	return parts
}

func dropDivider(bs []slack.Block) []slack.Block {
	if len(bs) > 0 {
		if _, ok := bs[0].(*slack.DividerBlock); ok {
			return bs[1:]
		}
	}
	return bs
}

func fallbackText(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "(continued)"
	}
	if len(s) <= maxFallback {
		return s
	}
	return splitText(s, maxFallback-len("…"))[0] + "…"
}

// sections packs lines of mrkdwn into as few section blocks as fit.
func sections(lines ...string) []slack.Block {
	var out []slack.Block
	for _, t := range packText(maxSectionText, lines...) {
		out = append(out, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, t, false, true), nil, nil))
	}
	return out
}

func contextBlock(text string) slack.Block {
	return slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, text, false, true))
}

func headerBlock(plain string) slack.Block {
	return slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, fitHeader(plain), true, false))
}

// fitHeader escapes plain and shortens it, between words, to a header's 150
// characters (see fitPlain).
func fitHeader(plain string) string { return fitPlain(plain, maxHeaderText) }

// fitPlain escapes plain and shortens it, between words, to n characters
// (counted as UTF-16 units, as Slack does, after escaping).
func fitPlain(plain string, n int) string { return esc(textutil.Clip(plain, n, escapedUTF16)) }

// escapedUTF16 counts a rune as its escape does in UTF-16 units.
func escapedUTF16(r rune) int {
	switch r {
	case '&':
		return len("&amp;")
	case '<', '>':
		return len("&lt;")
	}
	return textutil.UTF16(r)
}

// packText joins units (paragraphs or lines of mrkdwn, already escaped)
// with newlines into texts of at most limit bytes, splitting a unit that is
// too long by itself (see splitText).
func packText(limit int, units ...string) []string {
	return textutil.Pack(textutil.Lines(units...), limit, textutil.Bytes, whole)
}

// splitText cuts escaped mrkdwn into pieces of at most limit bytes (see
// textutil.Split), never inside a link or an entity.
func splitText(s string, limit int) []string { return textutil.Split(s, limit, textutil.Bytes, whole) }

// whole matches what a cut must not split in escaped mrkdwn: links and
// entities.
var whole = regexp.MustCompile(`<[^<>]*>|&[a-z]+;`)

// escaper makes text safe for mrkdwn and the fallback text: with &, < and
// > escaped, "<!channel>", "<!here>", "<!everyone>", "<@U123>" and
// "<https://evil|innocent>" are shown as typed and do nothing.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func esc(s string) string { return escaper.Replace(s) }

// link makes an mrkdwn link to an http or https URL, labelled with label
// (or the URL's host). It returns "" for any other URL.
func link(raw, label string) string {
	u, ok := safeURL(raw)
	if !ok {
		return ""
	}
	if label = textutil.OneLine(label); label == "" {
		pu, _ := url.Parse(strings.TrimSpace(raw))
		label = strings.TrimPrefix(pu.Hostname(), "www.")
	}
	return "<" + u + "|" + esc(clipLabel(label, maxLabel)) + ">"
}

var urlEscaper = strings.NewReplacer("<", "%3C", ">", "%3E", "|", "%7C", " ", "%20", "\"", "%22", "&", "&amp;")

// safeURL checks that raw is an absolute http(s) URL and encodes it for the
// inside of an mrkdwn link.
func safeURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > maxURL {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", false
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return "", false
	}
	out := u.String()
	if strings.ContainsFunc(out, unicode.IsControl) {
		return "", false
	}
	return urlEscaper.Replace(out), true
}

// paragraphs splits plain text at blank lines and escapes each paragraph.
func paragraphs(text string) []string {
	var out []string
	for p := range strings.SplitSeq(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, esc(p))
		}
	}
	return out
}

// quote renders plain text as an mrkdwn block quote.
func quote(text string) string {
	var lines []string
	for l := range strings.SplitSeq(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, ">"+esc(l))
		}
	}
	return strings.Join(lines, "\n")
}

// clipLabel shortens a label to at most n characters, between words.
func clipLabel(s string, n int) string { return textutil.Clip(s, n, textutil.Runes) }

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// commandRef finds "/help", "/subscribe ..." in the bot's own text.
var commandRef = sync.OnceValue(func() *regexp.Regexp {
	cmds := bot.Commands()
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = regexp.QuoteMeta(c.Name)
	}
	return regexp.MustCompile(`(^|[\s(“"'‘])/(` + strings.Join(names, "|") + `)\b`)
})

// slackCommands rewrites the bot's "/help" and "/subscribe ..." as Slack's
// "/briefbot help" and "/briefbot subscribe ...", in the bot's own words
// only (help, errors and notices; never in stories).
func slackCommands(m bot.Message) bot.Message {
	switch m.Kind {
	case bot.KindHelp, bot.KindError, bot.KindInfo:
	default:
		return m
	}
	re := commandRef()
	fix := func(s string) string { return re.ReplaceAllString(s, "${1}"+Command+" ${2}") }
	m.Header, m.Title, m.Text, m.Footer = fix(m.Header), fix(m.Title), fix(m.Text), fix(m.Footer)
	return m
}

// plainText turns Slack's message markup from a user (mentions, links,
// escaped characters) back into the plain text the bot expects.
func plainText(s string) string {
	s = markup.ReplaceAllStringFunc(s, func(tok string) string {
		inner := tok[1 : len(tok)-1]
		target, label, hasLabel := strings.Cut(inner, "|")
		switch {
		case hasLabel && label != "":
			if strings.HasPrefix(target, "#") {
				return "#" + label
			}
			if strings.HasPrefix(target, "@") {
				return "@" + label
			}
			return label
		case strings.HasPrefix(target, "@"), strings.HasPrefix(target, "#"):
			return target
		case strings.HasPrefix(target, "!"):
			return "@" + strings.TrimPrefix(strings.SplitN(target, "^", 2)[0], "!")
		}
		return target
	})
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

var markup = regexp.MustCompile(`<[^<>\s][^<>]*>`)
