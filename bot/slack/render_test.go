package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/fakeslack"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/internal/textutil"
)

// partTexts returns the text fields of a rendered part, as sent.
func partTexts(t testing.TB, pt part) []string {
	t.Helper()
	b, err := json.Marshal(pt.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	return texts(t, pt.Text, string(b))
}

var linkToken = regexp.MustCompile(`<[^<>]*>`)

// checkSafe fails when a text could notify anyone or carries a link that
// is not one of ours: every "<" must open an http(s) link closed in the
// same text, with nothing special in it.
func checkSafe(t testing.TB, where, s string) {
	t.Helper()
	for _, bad := range []string{"<!", "<@", "<#", "<javascript", "<mailto"} {
		if strings.Contains(strings.ToLower(s), bad) {
			t.Errorf("%s: %q contains %q", where, s, bad)
		}
	}
	s = regexp.MustCompile(`(?m)^>`).ReplaceAllString(s, "") // our block quotes
	rest := linkToken.ReplaceAllStringFunc(s, func(tok string) string {
		if !strings.HasPrefix(tok, "<http://") && !strings.HasPrefix(tok, "<https://") || strings.Count(tok, "|") > 1 {
			t.Errorf("%s: unexpected markup %q", where, tok)
		}
		return ""
	})
	if strings.ContainsAny(rest, "<>") {
		t.Errorf("%s: unbalanced < or > in %q", where, s)
	}
}

const evil = "<!channel> <!here> <!everyone> <@U1> <#C1> <https://evil.test|click> & more"

func evilMessage(kind bot.Kind) bot.Message {
	return bot.Message{
		Kind: kind, Header: "Header " + evil, Title: "Title " + evil, Text: "Text " + evil + "\n\nSecond /help " + evil,
		Footer: "Footer " + evil,
		Stories: []bot.Story{{
			Headline: "Headline " + evil, URL: "https://example.org/a?b=1&c=<!channel>|x> y", Source: "Source " + evil,
			File: "File " + evil, Gist: "Gist " + evil, Notes: []string{"Related " + evil}, Context: "Context " + evil,
			Published: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC),
			Bullets:   []bot.Bullet{{N: 1, Text: "Bullet " + evil, Quoted: true, Attribution: "Attribution " + evil, Sentence: "Sentence " + evil}},
		}, {
			Headline: "Second", URL: "javascript:alert(document.cookie)", File: "second.txt", Gist: "Gist",
		}, {
			Headline: "Third", URL: "https://example.org/x>|<!channel>", Gist: "Gist",
		}},
	}
}

// Text from articles and users is escaped in every field, so an attempted
// <!channel> notifies no one; only the articles' http(s) links are links.
func TestRenderEscapes(t *testing.T) {
	for _, kind := range []bot.Kind{bot.KindSources, bot.KindDigest, bot.KindError} {
		m := evilMessage(kind)
		all := ""
		for i, pt := range render(m) {
			for _, s := range partTexts(t, pt) {
				checkSafe(t, fmt.Sprintf("%s part %d", kind, i), s)
				all += s + "\n"
			}
		}
		for _, want := range []string{"&lt;!channel&gt;", "&lt;@U1&gt;", "&amp; more", "<https://example.org/a?b=1&amp;c=%3C!channel%3E%7Cx%3E%20y|example.org>",
			"“Bullet &lt;!channel&gt;", "Headline &lt;!channel&gt; &lt;!here&gt;", "Source &lt;!channel&gt;", "Related &lt;!channel&gt;", "&lt;!everyone&gt; &lt;@U1&gt; &lt;#C1&gt;", ">Context &lt;!channel&gt;", "&lt;https://evil.test|click&gt;", "4 Mar 2026"} {
			if !strings.Contains(all, want) {
				t.Errorf("%s: rendered text lacks %q:\n%s", kind, want, all)
			}
		}
		if kind == bot.KindSources && !strings.Contains(all, ">Sentence &lt;!channel&gt;") {
			t.Errorf("the source sentence is not quoted: %s", all)
		}
		if strings.Contains(all, "javascript") {
			t.Error("a javascript: URL was linked")
		}
	}
}

// The same, end to end: what reaches Slack through chat.postMessage, the
// response_url and a mention's thread.
func TestEscapedEndToEnd(t *testing.T) {
	f := fakeslack.New(t)
	p, _ := platform(t, f)
	if _, err := p.Post(context.Background(), bot.Destination{Platform: "slack", Channel: "C1"}, evilMessage(bot.KindDigest)); err != nil {
		t.Fatal(err)
	}
	r := start(t, f, newStub(0), true)
	for _, post := range f.Posts() {
		for _, s := range texts(t, post.Text, post.Blocks) {
			checkSafe(t, "chat.postMessage", s)
		}
		if !strings.Contains(content(t, post), "&lt;!channel&gt;") {
			t.Error("the text was dropped instead of escaped")
		}
	}

	// A user's text echoed back through the response_url and a mention.
	url := f.ResponseURL()
	r.sendCommand(t, slash{Channel: "C2", User: "UUSER", Text: "&lt;!channel&gt; please", ResponseURL: url, Trigger: "t1"})
	r.sendEvent(t, mentionEvent("Ev1", "C3", "UUSER", "<@UBOT> briefing <!here> &lt;@U1&gt;", "1700000000.000001", ""), 0)
	testutil.WaitFor(t, 5*time.Second, "the answers", func() bool { return len(f.ResponsesTo(url)) == 1 && len(f.PostsTo("C3")) == 1 })
	res := f.ResponsesTo(url)[0]
	text, _ := res.Msg["text"].(string)
	for _, s := range texts(t, text, res.Msg["blocks"]) {
		checkSafe(t, "response_url", s)
	}
	if !strings.Contains(content(t, res), "&lt;!channel&gt;") {
		t.Errorf("response = %q", content(t, res))
	}
	post := f.PostsTo("C3")[0]
	for _, s := range texts(t, post.Text, post.Blocks) {
		checkSafe(t, "mention answer", s)
	}
	if !strings.Contains(content(t, post), "Briefing: @here &lt;@U1&gt;") {
		t.Errorf("mention answer = %q", content(t, post))
	}
}

// Slack's limits: at most 50 blocks per message, 3000 characters per
// section text, 150 per header; long text split between words and never
// inside a link; a plain-text fallback on every part.
func TestRenderLimitsAndSplitting(t *testing.T) {
	word := func(s, i int) string { return fmt.Sprintf("w%dx%d", s, i) }
	words := map[string]bool{}
	text := func(s, n int) string {
		var ws []string
		for i := range n {
			w := word(s, i)
			words[w] = true
			ws = append(ws, w)
		}
		return strings.Join(ws, " ")
	}
	m := bot.Message{Kind: bot.KindDigest, Header: strings.Repeat("Very long header & more ", 20), Title: "Title",
		Text: text(999, 900) + "\n\n" + text(998, 50), Footer: text(997, 700)}
	for s := range 30 {
		st := bot.Story{Headline: fmt.Sprintf("Story %d", s), URL: fmt.Sprintf("https://example.org/%d?a=1&b=2", s), Source: "Wire",
			Gist: text(s, 800), Notes: []string{"Reported by 2 outlets: One, Two."}}
		for b := range 6 {
			st.Bullets = append(st.Bullets, bot.Bullet{Text: text(1000+s*10+b, 30), Quoted: b%2 == 0, Attribution: "someone"})
		}
		m.Stories = append(m.Stories, st)
	}
	m.Stories[3].Gist += " " + strings.Repeat("&", 4000) + " end" // one enormous "word" of entities
	parts := render(m)
	if len(parts) < 5 {
		t.Fatalf("%d parts, want the message split", len(parts))
	}
	seen := map[string]bool{}
	numbers := 0
	for i, pt := range parts {
		if len(pt.Blocks) == 0 || len(pt.Blocks) > maxBlocks {
			t.Errorf("part %d has %d blocks", i, len(pt.Blocks))
		}
		if _, ok := pt.Blocks[0].(*slack.DividerBlock); ok {
			t.Errorf("part %d opens with a divider", i)
		}
		if pt.Text == "" || len(pt.Text) > maxFallback {
			t.Errorf("part %d fallback has %d bytes", i, len(pt.Text))
		}
		for _, b := range pt.Blocks {
			var s []string
			switch b := b.(type) {
			case *slack.HeaderBlock:
				if n := textutil.Len(b.Text.Text, textutil.UTF16); n > maxHeaderText || !strings.HasSuffix(b.Text.Text, "…") {
					t.Errorf("header of %d characters: %q", n, b.Text.Text)
				}
			case *slack.SectionBlock:
				s = append(s, b.Text.Text)
				if !b.Text.Verbatim {
					t.Error("a section is not verbatim: Slack would auto-link in it")
				}
			case *slack.ContextBlock:
				if len(b.ContextElements.Elements) > 10 {
					t.Error("context block with more than 10 elements")
				}
				for _, e := range b.ContextElements.Elements {
					s = append(s, e.(*slack.TextBlockObject).Text)
				}
			}
			for _, x := range s {
				if len(x) == 0 || len(x) > maxSectionText {
					t.Errorf("part %d: text of %d bytes", i, len(x))
				}
				checkSafe(t, "split text", x)
				if strings.HasSuffix(x, "&") || regexp.MustCompile(`&[a-z]{0,3}$`).MatchString(x) || strings.HasPrefix(x, "amp;") {
					t.Errorf("an entity was cut: …%q", x[max(0, len(x)-10):])
				}
				for _, f := range strings.Fields(x) {
					f = strings.Trim(f, "*“”")
					if strings.HasPrefix(f, "w") && strings.Contains(f, "x") && regexp.MustCompile(`^w\d+x\d+$`).MatchString(f) {
						if !words[f] {
							t.Errorf("a word was cut: %q", f)
						}
						seen[f] = true
					}
				}
				numbers += len(regexp.MustCompile(`(?m)^\*\d+\.\* `).FindAllString(x, -1))
			}
		}
	}
	for w := range words {
		if !seen[w] {
			t.Errorf("word %q lost", w)
			break
		}
	}
	if numbers != 30*6 {
		t.Errorf("%d numbered bullets, want %d", numbers, 30*6)
	}
}

func TestSplitTextKeepsLinks(t *testing.T) {
	var b strings.Builder
	for i := range 200 {
		fmt.Fprintf(&b, "word%d <https://example.org/%d|a label with spaces %d> ", i, i, i)
	}
	for _, limit := range []int{60, 100, 333, 3000} {
		for _, piece := range splitText(b.String(), limit) {
			if len(piece) > limit {
				t.Errorf("limit %d: piece of %d bytes", limit, len(piece))
			}
			checkSafe(t, "piece", piece)
		}
	}
}

func TestRenderBullets(t *testing.T) {
	parts := render(briefingMessage("Head"))
	all := strings.Join(partTexts(t, parts[0]), "\n")
	for _, want := range []string{"*1.* “It is the only way to keep the bridge safe” (Mayor Ana Ruiz)", "*2.* Traffic will be diverted to Main Street (according to the city)",
		"Valley Courier · 4 Mar 2026 · <https://example.org/news/bridge|example.org>", "*Riverside bridge to close for six months*\nThe Riverside Avenue bridge"} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in:\n%s", want, all)
		}
	}
	if _, ok := parts[0].Blocks[0].(*slack.HeaderBlock); !ok {
		t.Error("no header block")
	}
}

func TestSlackCommandNames(t *testing.T) {
	m := slackCommands(bot.Message{Kind: bot.KindHelp, Text: "/briefing [topic]\n/help, or (/subscribe 0 8 * * *). Not /helpful, https://x.test/help or /briefbot help",
		Stories: []bot.Story{{Gist: "type /help"}}})
	want := "/briefbot briefing [topic]\n/briefbot help, or (/briefbot subscribe 0 8 * * *). Not /helpful, https://x.test/help or /briefbot help"
	if m.Text != want || m.Stories[0].Gist != "type /help" {
		t.Errorf("got %q", m.Text)
	}
	if d := slackCommands(bot.Message{Kind: bot.KindDigest, Text: "/help"}); d.Text != "/help" {
		t.Error("a digest was rewritten")
	}
}
