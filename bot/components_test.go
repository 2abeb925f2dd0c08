package bot

import (
	"context"
	"errors"
	"io/fs"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// click makes a click on the control id under message msg, by a caller who
// is (admin) or is not an admin of the channel.
func (tb *testBot) click(id, msg string, admin bool) Message {
	return tb.handle(context.Background(), Request{Platform: "chat", Channel: "C1", User: "U1", UserName: "uma",
		Click: id, ReplyTo: msg, Caller: asAdmin(admin)})
}

// Briefings, digests and answers get Sources for their bullets, More on
// this and a link for their stories; digests get Stop these; other
// messages get none. Every ID is short enough for Discord and reads back.
func TestControlsOfPosts(t *testing.T) {
	tb := newAskBot(t)
	ctx := context.Background()
	brief := tb.ask("briefing", "Orchard", false)
	c := brief.Controls
	if c == nil || len(c.Sources) != len(brief.Bullets()) || len(c.More) != 1 || len(c.Links) != 1 || c.Stop != nil {
		t.Fatalf("briefing's controls: %+v", c)
	}
	for i, s := range c.Sources {
		bl := brief.Bullets()[i]
		got, err := parseClick(s.ID)
		want := click{action: "src", kind: KindBriefing, n: bl.N, article: bl.ArticleID, claim: bl.ClaimIndex}
		if err != nil || got != want || s.Label != "Source "+strconv.Itoa(bl.N) || !strings.Contains(s.Detail, bl.Text) {
			t.Errorf("Sources[%d] = %+v (%+v, %v), want %+v", i, s, got, err, want)
		}
	}
	if c.Links[0].URL != brief.Stories[0].URL || c.Links[0].ID != "" || c.More[0].Detail != brief.Stories[0].Headline {
		t.Errorf("link %+v, more %+v", c.Links[0], c.More[0])
	}

	all := tb.ask("briefing", "", false)
	if len(all.Controls.More) != len(all.Stories) || len(all.Controls.Sources) != len(all.Bullets()) {
		t.Errorf("a briefing of %d stories, %d bullets: %d More, %d Sources", len(all.Stories), len(all.Bullets()), len(all.Controls.More), len(all.Controls.Sources))
	}
	if ans := tb.ask("ask", "what did Hamas say about the election?", false); ans.Controls == nil || len(ans.Controls.Sources) != len(ans.Bullets()) || ans.Controls.Stop != nil {
		t.Errorf("an answer's controls: %+v", ans.Controls)
	}

	tb.deliverAt(chat, time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC))
	tb.deliverAt(chat, time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)) // nothing new
	posts := tb.plat.posts()
	if len(posts) != 2 {
		t.Fatalf("%d digests", len(posts))
	}
	for i, p := range posts {
		if p.m.Controls == nil || p.m.Controls.Stop == nil || p.m.Controls.Stop.ID != stopAsk || !p.m.Controls.Stop.Danger {
			t.Errorf("digest %d: controls %+v, want Stop these", i, p.m.Controls)
		}
	}
	if n := len(posts[0].m.Controls.Sources); n == 0 || n != len(posts[0].m.Bullets()) {
		t.Errorf("the digest's Sources: %d for %d bullets", n, len(posts[0].m.Bullets()))
	}

	for _, m := range []Message{tb.ask("help", "", false), tb.ask("schedule", "", false), tb.ask("frobnicate", "", false),
		tb.ask("source", "the numbers simply do not work", false), tb.BriefingMessage(ctx, "", "")} {
		if m.Controls != nil {
			t.Errorf("%s message %q has controls %+v", m.Kind, m.Title, m.Controls)
		}
	}
	for _, m := range append([]Message{brief, all}, posts[0].m) {
		for _, ch := range append(append(m.Controls.Sources, m.Controls.More...), m.Controls.Links...) {
			if len(ch.ID) > MaxClickID {
				t.Errorf("ID %q over %d bytes", ch.ID, MaxClickID)
			}
			if _, err := parseClick(ch.ID); ch.URL == "" && err != nil {
				t.Errorf("ID %q does not parse: %v", ch.ID, err)
			}
		}
	}
}

// A Source click answers privately with the source of that bullet, the
// same as "source N" in reply to the post; after a restart too, since the
// ID alone says which claim: here a bot on another store with the same
// articles, and no post recorded.
func TestClickSource(t *testing.T) {
	tb := newAskBot(t)
	tb.postBriefing(t, "Orchard") // message chat-1
	brief := tb.plat.posts()[0].m
	for i, s := range brief.Controls.Sources {
		m := tb.click(s.ID, "chat-1", false)
		want := tb.mention("source "+strconv.Itoa(i+1), "chat-1")
		if !m.Private || m.Kind != KindSources || m.Title != "Source of bullet "+strconv.Itoa(i+1)+" of that briefing" || !reflect.DeepEqual(m.Stories, want.Stories) {
			t.Errorf("click %s: %+v\nwant the stories of %+v", s.ID, m, want)
		}
		tb.checkSource(t, m.Stories[0], brief.Bullets()[i])
	}
	fresh := newAskBot(t)
	m := fresh.click(brief.Controls.Sources[1].ID, "chat-1", false)
	if m.Kind != KindSources || !m.Private {
		t.Fatalf("click on a fresh bot: %+v", m)
	}
	fresh.checkSource(t, m.Stories[0], brief.Bullets()[1])
}

// More on this answers privately with the whole briefing of the story:
// all its bullets, its gist and its link, with Sources but no More; an
// article no longer in the sources says so.
func TestClickMore(t *testing.T) {
	tb := newAskBot(t)
	ctx := context.Background()
	all := tb.ask("briefing", "", false)
	var more Choice
	var story Story
	for i, s := range all.Stories {
		if s.URL != "" {
			more, story = all.Controls.More[i], s
			break
		}
	}
	art, err := tb.st.Article(ctx, story.ArticleID)
	if err != nil {
		t.Fatal(err)
	}
	m := tb.click(more.ID, "chat-1", false)
	if !m.Private || m.Kind != KindBriefing || len(m.Stories) != 1 || m.Text != "" {
		t.Fatalf("more: %+v", m)
	}
	s := m.Stories[0]
	if len(s.Bullets) != len(art.Briefing.Bullets) || s.Gist != art.Briefing.Gist || s.URL != story.URL || s.Headline != story.Headline {
		t.Errorf("more on %q: %+v; want its %d bullets, gist and link", story.Headline, s, len(art.Briefing.Bullets))
	}
	if c := m.Controls; c == nil || len(c.Sources) != len(s.Bullets) || c.More != nil || len(c.Links) != 1 || c.Stop != nil {
		t.Errorf("the answer's controls %+v", c)
	}
	if err := tb.st.RemoveKey(ctx, "seeds/"+art.Name); err != nil {
		t.Fatal(err)
	}
	if m := tb.click(more.ID, "chat-1", false); len(m.Stories) != 1 || !strings.Contains(m.Text, "no longer in my sources") {
		t.Errorf("more on a removed article: %+v", m)
	}
}

// IDs that point nowhere (an article the bot does not have, a claim it
// does not have) get a private answer that says so; IDs that do not parse
// get a clear private error. Nothing panics.
func TestClickNowhereOrUnreadable(t *testing.T) {
	tb := newAskBot(t)
	real := tb.ask("briefing", "Orchard", false).Stories[0].ArticleID
	for _, id := range []string{"bb1:src:d:2:ffffffffffffffff:1", "bb1:src:b:1:" + real + ":9999"} {
		m := tb.click(id, "", false)
		if !m.Private || m.Kind != KindSources || len(m.Stories) != 1 || !strings.Contains(m.Stories[0].Bullets[0].Text, "no longer have the article") {
			t.Errorf("click %s: %+v", id, m)
		}
	}
	if m := tb.click("bb1:more:ffffffffffffffff", "", false); !m.Private || !strings.Contains(m.Text, "no longer have the article") {
		t.Errorf("more on nothing: %+v", m)
	}
	for _, id := range []string{"x", "bb1:", "bb1:src", "bb2:more:" + real, "bb1:more:" + real + ":1", "bb1:more:../../etc",
		"bb1:src:z:1:" + real + ":1", "bb1:src:b:0:" + real + ":1", "bb1:src:b:01:" + real + ":1", "bb1:src:b:1:" + real + ":-1",
		"bb1:src:b:99999999999999999999:" + real + ":1", "bb1:stop:maybe", "bb1:more:" + strings.Repeat("a", 100), "bb1:more:caf\u00e9"} {
		m := tb.click(id, "", true)
		if !m.Private || m.Kind != KindError || !strings.Contains(m.Text, "can't read that button") {
			t.Errorf("click %q: %+v", id, m)
		}
	}
	if !strings.Contains(tb.logs.String(), `msg="bot: click not understood" id=bb1:stop:maybe user=U1`) {
		t.Errorf("unreadable click not logged:\n%s", tb.logs)
	}
}

// Stop these: someone who may manage the channel is asked to confirm, and
// the confirmation unsubscribes the channel (as /unsubscribe); Keep them
// keeps it; anyone else is refused privately, at either step.
func TestClickStop(t *testing.T) {
	tb := newTestBot(t, "", Config{})
	ctx := context.Background()
	if m := tb.ask("subscribe", "0 8 * * *", true); m.Kind != KindInfo {
		t.Fatal(m)
	}
	subscribed := func() bool {
		_, err := tb.st.Subscription(ctx, "chat", "C1")
		_, scheduled := tb.sched.entry(chat)
		return err == nil && scheduled
	}
	for _, id := range []string{stopAsk, stopYes} {
		m := tb.click(id, "chat-9", false)
		if !m.Private || m.Kind != KindError || !strings.Contains(m.Text, "“Stop these” changes this channel") || !subscribed() {
			t.Errorf("%s by a member: %+v", id, m)
		}
	}
	ask := tb.click(stopAsk, "chat-9", true)
	if !ask.Private || ask.Controls == nil || len(ask.Controls.Confirm) != 2 || ask.Controls.Confirm[0].ID != stopYes || !ask.Controls.Confirm[0].Danger {
		t.Fatalf("Stop these by an admin: %+v, want a confirmation", ask)
	}
	if m := tb.click(ask.Controls.Confirm[1].ID, "", false); !m.Private || !strings.Contains(m.Text, "Kept") || !subscribed() {
		t.Errorf("Keep them: %+v", m)
	}
	if m := tb.click(ask.Controls.Confirm[0].ID, "", true); !m.Private || m.Text != "Unsubscribed. This channel will get no more digests or live posts." || subscribed() {
		t.Errorf("Yes, stop them: %+v", m)
	}
	if _, err := tb.st.Subscription(ctx, "chat", "C1"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("subscription still stored: %v", err)
	}
	logs := tb.logs.String()
	if !strings.Contains(logs, `msg="bot: refused" click=bb1:stop dm=false user=U1 user_name=uma`) || !strings.Contains(logs, `msg="bot: unsubscribed" user=U1 user_name=uma`) {
		t.Errorf("logs lack the refusal or the unsubscription:\n%s", logs)
	}
}

// Clicks ask the caller's rights only for Stop these.
func TestClickRightsAskedOnlyForStop(t *testing.T) {
	tb := newTestBot(t, "", Config{})
	asked := 0
	caller := CallerFunc(func(context.Context) (bool, error) { asked++; return false, nil })
	h := &Handler{Answer: tb.handle}
	for _, c := range []struct {
		id   string
		asks int
	}{{"bb1:src:b:1:a1:0", 0}, {"bb1:more:a1", 0}, {stopNo, 0}, {"nonsense", 0}, {stopAsk, 1}, {stopYes, 1}} {
		asked = 0
		h.Serve(context.Background(), Request{Platform: "chat", Channel: "C1", Click: c.id, Caller: caller}, discard{})
		if asked != c.asks {
			t.Errorf("%s: rights asked %d times, want %d", c.id, asked, c.asks)
		}
		if Refuses(Request{Click: c.id}, false) != (c.asks > 0) {
			t.Errorf("Refuses(%s) = %v", c.id, !(c.asks > 0))
		}
	}
}

// "more N" (the console's More on this) gives the whole story of bullet
// N of the post referred to.
func TestMoreMention(t *testing.T) {
	tb := newAskBot(t)
	ctx := context.Background()
	all := tb.BriefingMessage(ctx, "", "")
	if err := tb.Post(ctx, chat, all); err != nil {
		t.Fatal(err)
	}
	last := all.Bullets()[len(all.Bullets())-1]
	m := tb.mention("more "+strconv.Itoa(last.N), "")
	if m.Kind != KindBriefing || len(m.Stories) != 1 || m.Stories[0].ArticleID != last.ArticleID || m.Title != "More on this story" {
		t.Errorf("more %d: %+v", last.N, m)
	}
	for _, c := range []struct{ args, want string }{
		{"more", "several stories"},
		{"more 0", "numbered from 1"},
		{"more 99", "no bullet 99"},
	} {
		if m := tb.mention(c.args, ""); m.Kind != KindError || !strings.Contains(m.Text, c.want) {
			t.Errorf("%q: %+v", c.args, m)
		}
	}
	one := tb.postBriefing(t, "Orchard")
	if m := tb.mention("More?", ""); len(m.Stories) != 1 || m.Stories[0].ArticleID != one.Stories[0].ArticleID {
		t.Errorf("more on a one-story briefing: %+v", m)
	}
	if m := tb.handle(ctx, Request{Platform: "chat", Channel: "C2", Mention: true, Args: "more 1"}); m.Kind != KindInfo || !strings.Contains(m.Text, "haven't posted") {
		t.Errorf("more where nothing was posted: %+v", m)
	}
}
