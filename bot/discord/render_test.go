package discord

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/bot"
)

// checkLimits fails the test if a message breaks any of Discord's limits.
func checkLimits(t *testing.T, pt part) {
	t.Helper()
	if pt.Content == "" && len(pt.Embeds) == 0 {
		t.Errorf("empty message")
	}
	if n := dlen(pt.Content); n > maxContent {
		t.Errorf("content of %d characters", n)
	}
	if len(pt.Embeds) > maxEmbeds {
		t.Errorf("%d embeds", len(pt.Embeds))
	}
	total := 0
	for _, e := range pt.Embeds {
		if dlen(e.Title) > maxTitle || dlen(e.Description) > maxDescription || len(e.Fields) > maxFields {
			t.Errorf("embed over a limit: title %d, description %d, %d fields", dlen(e.Title), dlen(e.Description), len(e.Fields))
		}
		for _, f := range e.Fields {
			if dlen(f.Name) > maxFieldName || dlen(f.Value) > maxFieldValue {
				t.Errorf("field over a limit")
			}
		}
		if e.Footer != nil && dlen(e.Footer.Text) > maxFooter {
			t.Errorf("footer of %d", dlen(e.Footer.Text))
		}
		if e.Author != nil && dlen(e.Author.Name) > maxAuthor {
			t.Errorf("author of %d", dlen(e.Author.Name))
		}
		if e.URL != "" && validURL(e.URL) == "" {
			t.Errorf("invalid embed URL %q", e.URL)
		}
		if e.Title == "" && e.Description == "" {
			t.Errorf("empty embed")
		}
		total += embedLen(e)
	}
	if total > maxEmbedTotal {
		t.Errorf("%d characters across the embeds of one message", total)
	}
}

func TestRenderSplitsWithinLimits(t *testing.T) {
	longURL := "https://example.org/news/2026/03/04/a-rather-long-article-path_with_underscores?utm_source=x&id=12345"
	text := strings.Repeat("The council said the works would cost more than planned ", 4) + longURL + " and residents objected"
	m := bot.Message{Kind: bot.KindDigest, Header: "Daily digest · 08:00 Mon 2 Dec (Europe/Paris)", Footer: "3 more articles: " + strings.Repeat("another headline · ", 30)}
	for s := 0; s < 3; s++ {
		st := bot.Story{Headline: fmt.Sprintf("Story %d: %s", s, strings.Repeat("long headline ", 30)), URL: longURL, Source: "Valley Courier",
			Gist: strings.Repeat("A gist sentence. ", 20), Notes: []string{"Reported by 2 outlets: one, two."}}
		for i := 0; i < 40; i++ {
			st.Bullets = append(st.Bullets, bot.Bullet{N: s*40 + i + 1, Text: fmt.Sprintf("Claim %d: %s", i, text), Quoted: i%3 == 0, Attribution: "Jane Doe, council spokesperson, via Valley Courier"})
		}
		m.Stories = append(m.Stories, st)
	}
	parts := render(m)
	if len(parts) < 4 {
		t.Fatalf("%d messages for 120 long bullets; want several", len(parts))
	}
	var all strings.Builder
	for i, pt := range parts {
		checkLimits(t, pt)
		all.WriteString(pt.Content + "\n")
		for _, e := range pt.Embeds {
			all.WriteString(e.Title + "\n" + e.Description + "\n")
		}
		t.Logf("message %d: content %d, %d embeds", i, dlen(pt.Content), len(pt.Embeds))
	}
	out := all.String()
	// Every bullet is whole, with its number, quotes and attribution.
	for _, st := range m.Stories {
		for _, b := range st.Bullets {
			if line := bulletLine(b.N, b, maxDescription); !strings.Contains(out, line+"\n") {
				t.Errorf("bullet %d missing or cut: %q", b.N, line)
			}
		}
	}
	// No word and no link is cut: every word of the output is a word of the
	// input (escaped), and the link appears whole every time.
	if got, want := strings.Count(out, longURL), 3*40; got != want {
		t.Errorf("the link appears whole %d times, want %d", got, want)
	}
	if strings.Contains(parts[0].Content, "…") {
		t.Errorf("the header was cut")
	}
}

func TestRenderClipsOneOverlongBullet(t *testing.T) {
	words := strings.Fields(strings.Repeat("alpha beta gamma https://example.org/x_y delta ", 300))
	b := bot.Bullet{N: 7, Text: strings.Join(words, " "), Quoted: true, Attribution: "the mayor"}
	m := bot.Message{Kind: bot.KindBriefing, Stories: []bot.Story{{Headline: "H", Bullets: []bot.Bullet{b}}}}
	parts := render(m)
	if len(parts) != 1 || len(parts[0].Embeds) != 1 {
		t.Fatalf("rendered %+v", parts)
	}
	checkLimits(t, parts[0])
	d := parts[0].Embeds[0].Description
	if !strings.HasPrefix(d, "7. “alpha beta") || !strings.HasSuffix(d, "…” (the mayor)") {
		t.Fatalf("clipped bullet %q…%q", d[:30], d[len(d)-30:])
	}
	kept := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(d, "7. “"), "…” (the mayor)"))
	for i, w := range kept {
		if want := escape(words[i]); w != want {
			t.Fatalf("word %d is %q, want %q: a word was cut", i, w, want)
		}
	}
}

func TestRenderPlainContentSplitsAtLines(t *testing.T) {
	var lines []string
	for i := 0; i < 120; i++ {
		lines = append(lines, fmt.Sprintf("/command%d — does thing number %d with https://example.org/help#cmd%d", i, i, i))
	}
	m := bot.Message{Kind: bot.KindHelp, Title: "briefbot", Text: strings.Join(lines, "\n")}
	parts := render(m)
	if len(parts) < 3 {
		t.Fatalf("%d messages", len(parts))
	}
	got := 0
	for _, pt := range parts {
		checkLimits(t, pt)
		if len(pt.Embeds) != 0 {
			t.Errorf("help rendered with embeds")
		}
		for _, l := range strings.Split(pt.Content, "\n") {
			if strings.HasPrefix(l, "/command") {
				if !strings.HasSuffix(l, fmt.Sprintf("#cmd%d", got)) {
					t.Errorf("line %d cut: %q", got, l)
				}
				got++
			}
		}
	}
	if got != len(lines) {
		t.Errorf("%d lines out of %d", got, len(lines))
	}
	if !strings.HasPrefix(parts[0].Content, "**briefbot**\n\n/command0") {
		t.Errorf("first message %q", parts[0].Content[:40])
	}
}

func TestRenderKinds(t *testing.T) {
	for _, tc := range []struct {
		m    bot.Message
		want part
	}{
		{bot.Message{Kind: bot.KindError, Text: "Unknown time zone “Mars/Base”."}, part{Content: "Unknown time zone “Mars/Base”."}},
		{bot.Message{Kind: bot.KindInfo, Title: "Subscribed", Text: "Digest at 08:00.", Footer: "Next: Mon"}, part{Content: "**Subscribed**\n\nDigest at 08:00.\n\nNext: Mon"}},
		{bot.Message{Kind: bot.KindInfo}, part{Content: "(nothing to show)"}},
	} {
		got := render(tc.m)
		if len(got) != 1 || got[0].Content != tc.want.Content || len(got[0].Embeds) != 0 {
			t.Errorf("render(%+v) = %+v, want %+v", tc.m, got, tc.want)
		}
	}
	// Sources: the exact sentence under each bullet, the context after.
	m := bot.Message{Kind: bot.KindSources, Stories: []bot.Story{{
		Headline: "H", File: "000_x.txt", Context: "Before. The sentence. After.",
		Bullets: []bot.Bullet{{N: 2, Text: "claim", Attribution: "X", Sentence: "The sentence."}},
	}}}
	e := render(m)[0].Embeds[0]
	if e.Description != "2. claim (X)\n> “The sentence.”\n\nContext: Before. The sentence. After." || e.Footer == nil || e.Footer.Text != "000_x.txt" || e.URL != "" {
		t.Errorf("sources embed %+v / %q", e, e.Description)
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, “quoted”.":              "plain text, “quoted”.",
		"**bold** _it_ ~~s~~ `c` ||spoil||":  `\*\*bold\*\* \_it\_ \~\~s\~\~ \` + "`c\\`" + ` \|\|spoil\|\|`,
		"[click](https://evil.example/x_y)":  `\[click\](https://evil.example/x_y)`,
		"see https://example.org/a_b*c_d ok": "see https://example.org/a_b*c_d ok",
		"# Heading\n> quote\n- item\n1. one": "\\# Heading\n\\> quote\n\\- item\n1\\. one",
		"2024. A year":                       "2024\\. A year",
		"a > b - c # d":                      "a > b - c # d",
		"@everyone and @Here":                "@\u200beveryone and @\u200bHere",
		"hi <@123> <@&4> <#5> <t:1:R>":       `hi \<@123> \<@&4> \<#5> \<t:1:R>`,
		`back\slash`:                         `back\\slash`,
	} {
		if got := escape(in); got != want {
			t.Errorf("escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClip(t *testing.T) {
	if got := clip("one two three four", 12); got != "one two…" {
		t.Errorf("clip = %q", got)
	}
	if got := clip("short", 12); got != "short" {
		t.Errorf("clip = %q", got)
	}
	if got := clip("abcdefghijklmnop", 5); got != "abcd…" {
		t.Errorf("clip of one long word = %q", got)
	}
	if n := dlen("a😀"); n != 3 {
		t.Errorf("dlen counts %d for a + an astral emoji, want 3 (UTF-16)", n)
	}
}

func TestSlashCommandsFitDiscord(t *testing.T) {
	nameRE := regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)
	cmds := slashCommands(bot.Commands(), true)
	if len(cmds) != len(bot.Commands()) || len(cmds) > 100 {
		t.Fatalf("%d commands", len(cmds))
	}
	for _, c := range cmds {
		if !nameRE.MatchString(c.Name) || c.Description == "" || dlen(c.Description) > 100 || len(c.Options) > 25 {
			t.Errorf("command %q (%q) does not fit Discord's rules", c.Name, c.Description)
		}
		optional := false
		for _, o := range c.Options {
			if !nameRE.MatchString(o.Name) || o.Description == "" || dlen(o.Description) > 100 || o.Type != discordgo.ApplicationCommandOptionString {
				t.Errorf("/%s option %q does not fit", c.Name, o.Name)
			}
			if o.Required && optional {
				t.Errorf("/%s: required option %s after an optional one", c.Name, o.Name)
			}
			optional = optional || !o.Required
		}
	}
	// Choices become string choices.
	got := slashCommands([]bot.Command{{Name: "x", Description: "d", Options: []bot.Option{{Name: "o", Description: "d", Choices: []string{"a", "b"}}}}}, true)
	if ch := got[0].Options[0].Choices; len(ch) != 2 || ch[1].Name != "b" || ch[1].Value != "b" {
		t.Errorf("choices %+v", ch)
	}
}

func TestCommandArgs(t *testing.T) {
	spec, _ := bot.Lookup("subscribe")
	opts := []*discordgo.ApplicationCommandInteractionDataOption{
		{Name: "timezone", Type: discordgo.ApplicationCommandOptionString, Value: " Europe/Paris "},
		{Name: "schedule", Type: discordgo.ApplicationCommandOptionString, Value: "0 8 * * *"},
		{Name: "extra", Type: discordgo.ApplicationCommandOptionNumber, Value: float64(3)},
	}
	if got := commandArgs(spec, opts); got != "0 8 * * * Europe/Paris 3" {
		t.Errorf("args %q", got)
	}
	if got := stripMention("<@42>  hello <@!42> there <@7>", "42"); got != "hello there <@7>" {
		t.Errorf("stripMention = %q", got)
	}
}

type captureRT struct{ got *url.URL }

func (c *captureRT) RoundTrip(r *http.Request) (*http.Response, error) {
	c.got = r.URL
	return &http.Response{StatusCode: 204, Body: http.NoBody, Request: r}, nil
}

func TestRewriterKeepsPathPrefix(t *testing.T) {
	base, _ := url.Parse("http://127.0.0.1:8080/proxy/discord/")
	c := &captureRT{}
	rt := &rewriter{base: base, next: c}
	req, _ := http.NewRequest("GET", discordgo.EndpointUser("@me"), nil)
	if _, err := rt.RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if got := c.got.String(); got != "http://127.0.0.1:8080/proxy/discord/api/v9/users/@me" {
		t.Errorf("rewritten to %s", got)
	}
	if req.URL.Host != "discord.com" {
		t.Errorf("the caller's request was modified")
	}
	other, _ := http.NewRequest("GET", "https://cdn.discordapp.com/avatars/1/2.png", nil)
	_, _ = rt.RoundTrip(other)
	if c.got.Host != "cdn.discordapp.com" {
		t.Errorf("a non-API host was rewritten: %s", c.got)
	}
	_ = time.Second
}
