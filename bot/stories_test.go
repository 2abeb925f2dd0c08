package bot

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/storytest"
	"github.com/briefbot/briefbot/store"
)

// putStories stores storytest articles as seeds, seen by every space.
func (tb *testBot) putStories(t *testing.T, files map[string]string) {
	t.Helper()
	for _, name := range storytest.Names(files) {
		if _, err := tb.st.PutArticle(context.Background(), "seeds/"+name, storytest.Analyze(name), tb.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

// storyNamed is the story of the message whose headline has the words.
func storyNamed(m Message, words string) *Story {
	for i := range m.Stories {
		if strings.Contains(m.Stories[i].Headline, words) {
			return &m.Stories[i]
		}
	}
	return nil
}

// A digest posts one entry per story, with its outlets and claims merged
// across them; a story that grows is posted again with what is new in it
// only, once, also after a restart; a story with nothing new is not
// posted again.
func TestDigestPostsStories(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bot.db")
	tb := newTestBot(t, path, Config{})
	tb.putStories(t, storytest.Files)
	slot1 := time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)
	tb.deliverAt(chat, slot1)
	posts := tb.plat.posts()
	if len(posts) != 1 {
		t.Fatalf("%d posts, want 1 digest", len(posts))
	}
	m := posts[0].m
	text := PlainText(m)
	if len(m.Stories) != 3 {
		t.Fatalf("%d entries, want 3 stories (bridge, school week, harvest):\n%s", len(m.Stories), text)
	}
	bridge := storyNamed(m, "Harbor Bridge")
	if bridge == nil || m.Stories[0].StoryID != bridge.StoryID {
		t.Fatalf("the story most reported does not come first:\n%s", text)
	}
	if len(bridge.Notes) == 0 || bridge.Notes[0] != "Reported by 3 outlets: Northwire, Maplewood Courier, Daily Flash." {
		t.Errorf("the bridge's outlets: %q", bridge.Notes)
	}
	var shared *Bullet
	articlesOfBullets := map[string]bool{}
	for i, bl := range bridge.Bullets {
		articlesOfBullets[bl.ArticleID] = true
		if strings.Contains(bl.Text, "We will not reopen the Harbor Bridge") {
			shared = &bridge.Bullets[i]
		}
	}
	if shared == nil || !strings.Contains(shared.Attribution, "Elena Brandt") || !strings.Contains(shared.Attribution, "reported by 3 outlets") || len(shared.Also) != 2 {
		t.Errorf("the mayor's words, told by three outlets: %+v\n%s", shared, text)
	}
	disputed := false
	for _, bl := range bridge.Bullets {
		if strings.HasSuffix(bl.Prefix, " disputes this:") {
			disputed = true
			// What the contractor denies, never shown as if it said it.
			if bl.Prefix != "Ridgeline Works disputes this:" || !strings.HasPrefix(bl.Text, "denied that its repairs") {
				t.Errorf("the denial is shown as %q %q", bl.Prefix, bl.Text)
			}
		}
	}
	if !disputed {
		t.Errorf("the contractor's denial is not beside the claim:\n%s", text)
	}
	harvest := storyNamed(m, "apple harvest")
	if harvest == nil || len(harvest.Notes) != 0 {
		t.Errorf("a story of one outlet has no outlets line: %+v", harvest)
	}

	// Restart: a new bot on the same database. The radio's report joins
	// the bridge story: the next digest says what is new in it only.
	tb2 := newTestBot(t, path, Config{})
	tb2.clock.Set(slot1.Add(time.Hour))
	tb2.putStories(t, storytest.Later)
	slot2 := slot1.Add(24 * time.Hour)
	tb2.deliverAt(chat, slot2)
	posts = tb2.plat.posts()
	if len(posts) != 1 || len(posts[0].m.Stories) != 1 {
		t.Fatalf("second digest: %+v", posts)
	}
	up := posts[0].m.Stories[0]
	text = PlainText(posts[0].m)
	if up.StoryID != bridge.StoryID || len(up.Notes) == 0 || !strings.HasPrefix(up.Notes[0], "Update to a story posted here before: now reported by 4 outlets; new: Valley Radio.") {
		t.Errorf("the update:\n%s", text)
	}
	for _, bl := range up.Bullets {
		if strings.Contains(bl.Text, "We will not reopen") {
			t.Errorf("the update repeats what was posted: %s", bl.Line())
		}
	}
	if !strings.Contains(text, "ferry") {
		t.Errorf("the update lacks the new development:\n%s", text)
	}

	// Nothing new: nothing posted as new again.
	tb3 := newTestBot(t, path, Config{})
	tb3.deliverAt(chat, slot2.Add(24*time.Hour))
	posts = tb3.plat.posts()
	if len(posts) != 1 || len(posts[0].m.Stories) != 0 || posts[0].m.Text != "No new articles since the last digest." {
		t.Errorf("third digest: %+v", posts)
	}
}

// A space's digest briefs a story from the articles it sees only: another
// server's feed article of the story is not among its outlets.
func TestStoryOfSpaceSeesItsOwnArticles(t *testing.T) {
	tb := newSpacesBot(t, "", Config{})
	ctx := context.Background()
	feed := "https://courier.example/feed"
	tb.follow(t, feed, "chat:G2", "C9")
	for _, name := range []string{"bridge_wire.txt", "bridge_flash.txt"} {
		if _, err := tb.st.PutArticle(ctx, "seeds/"+name, storytest.Analyze(name), tb.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	an := storytest.Analyze("bridge_courier.txt")
	it := store.FeedItem{FeedURL: feed, GUID: "c1", URL: "https://courier.example/c1", Link: "https://courier.example/c1",
		Key: "feed:https://courier.example/c1", ArticleID: an.Article.ID, SeenAt: tb.clock.Now()}
	if _, err := tb.st.PutFeedArticle(ctx, it, an); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ space, want string }{
		{"G1", "Reported by 2 outlets: Northwire, Daily Flash."},
		{"G2", "Reported by 3 outlets: Northwire, Maplewood Courier, Daily Flash."},
	} {
		m := tb.in(c.space, "C1", "briefing", "")
		text := PlainText(m)
		if len(m.Stories) != 1 || !strings.Contains(text, c.want) {
			t.Errorf("space %s:\n%s", c.space, text)
		}
		if c.space == "G1" && strings.Contains(text, "Courier") {
			t.Errorf("space G1 sees another server's article:\n%s", text)
		}
		story := tb.in(c.space, "C1", "story", "Harbor Bridge")
		if st := PlainText(story); c.space == "G1" && strings.Contains(st, "Courier") || !strings.Contains(st, c.want) {
			t.Errorf("/story in space %s:\n%s", c.space, st)
		}
	}

	// A channel that chose the Courier's feed gets the story as the
	// Courier tells it.
	if m := tb.in("G2", "C9", "subscribe", "0 8 * * * feeds: "+feed); m.Kind != KindInfo {
		t.Fatalf("subscribe: %+v", m)
	}
	tb.deliverAt(Destination{Platform: "chat", Channel: "C9"}, time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC))
	posts := tb.plat.posts()
	if len(posts) != 1 || len(posts[0].m.Stories) != 1 {
		t.Fatalf("the digest of the chosen feed: %+v", posts)
	}
	if text := PlainText(posts[0].m); !strings.Contains(text, "Maplewood Courier") || strings.Contains(text, "Northwire") || strings.Contains(text, "Daily Flash") {
		t.Errorf("the digest of the chosen feed tells the story by other outlets:\n%s", text)
	}
}

// /story shows each outlet's telling; "who else reports this?" in reply
// to a post names the other outlets; "source N" shows the bullet in every
// article that carries it; /ask cites every outlet of its claim.
func TestStoryCommandsAndMentions(t *testing.T) {
	tb := newTestBot(t, "", Config{})
	ctx := context.Background()
	tb.putStories(t, storytest.Files)

	m := tb.ask("story", "Harbor Bridge", false)
	text := PlainText(m)
	if m.Kind != KindBriefing || !strings.HasPrefix(m.Title, "Story: ") || len(m.Stories) != 3 || !strings.Contains(m.Text, "Reported by 3 outlets") {
		t.Fatalf("/story:\n%s", text)
	}
	for _, outlet := range []string{"Northwire", "Maplewood Courier", "Daily Flash"} {
		found := false
		for _, s := range m.Stories {
			found = found || s.Source == outlet
		}
		if !found {
			t.Errorf("/story lacks %s:\n%s", outlet, text)
		}
	}
	if m := tb.ask("story", "volcano eruption", false); m.Kind != KindInfo || !strings.Contains(m.Text, "no article about") {
		t.Errorf("/story of nothing: %+v", m)
	}

	// A briefing of the bridge, posted; mentions in reply to it.
	brief := tb.BriefingMessage(ctx, "", "Maplewood")
	if len(brief.Stories) != 1 || len(brief.Stories[0].Notes) == 0 {
		t.Fatalf("briefing of the bridge:\n%s", PlainText(brief))
	}
	if err := tb.Post(ctx, chat, brief); err != nil {
		t.Fatal(err)
	}
	msg := "chat-1"
	who := tb.mention("who else reports this?", msg)
	wt := PlainText(who)
	if who.Kind != KindBriefing || len(who.Stories) != 2 || !strings.Contains(who.Text, "Reported by 3 outlets") {
		t.Errorf("who else reports this:\n%s", wt)
	}
	if got := tb.ask("story", "1", false); !strings.HasPrefix(got.Title, "Story: ") || len(got.Stories) != 3 {
		t.Errorf("/story 1 in reply to nothing (the latest post here):\n%s", PlainText(got))
	}

	var n int
	var shared Bullet
	for _, bl := range brief.Bullets() {
		if len(bl.Also) > 0 {
			n, shared = bl.N, bl
			break
		}
	}
	if n == 0 {
		t.Fatalf("no bullet carried by several outlets:\n%s", PlainText(brief))
	}
	src := tb.mention("source "+strconv.Itoa(n), msg)
	if src.Kind != KindSources || len(src.Stories) != 1+len(shared.Also) {
		t.Errorf("source %d: %d stories, want one per article that carries it:\n%s", n, len(src.Stories), PlainText(src))
	}
	for _, s := range src.Stories {
		if len(s.Bullets) != 1 || s.Bullets[0].Sentence == "" || !strings.Contains(s.Bullets[0].Sentence, "We will not reopen") {
			t.Errorf("source %d in %s: %+v", n, s.Source, s.Bullets)
		}
	}

	// The Sources button of that bullet, clicked under the post: the same.
	var clickID string
	for _, c := range controlsOf(brief).Sources {
		if c.Label == "Source "+strconv.Itoa(n) {
			clickID = c.ID
		}
	}
	if got := tb.click(clickID, msg, false); got.Kind != KindSources || len(got.Stories) != 1+len(shared.Also) {
		t.Errorf("Source %d clicked: %d stories, want one per article that carries it:\n%s", n, len(got.Stories), PlainText(got))
	}

	ans := tb.ask("ask", "what did Elena Brandt say about reopening the Harbor Bridge?", false)
	at := PlainText(ans)
	if ans.Kind != KindAnswer || len(ans.Bullets()) == 0 || !strings.Contains(ans.Bullets()[0].Attribution, "reported by 3 outlets: ") || len(ans.Bullets()[0].Also) != 2 {
		t.Errorf("/ask does not cite every outlet:\n%s", at)
	}
	if n := strings.Count(at, "We will not reopen"); n != 1 {
		t.Errorf("/ask cites the same claim %d times, want once with its outlets:\n%s", n, at)
	}
}

// A live channel gets each story once, as it first arrives, and a report
// that joins it later as what is new in it; nothing for a report that
// brings nothing new.
func TestLivePostsStories(t *testing.T) {
	tb := newTestBot(t, "", Config{LiveCatchup: 20})
	ctx := context.Background()
	if m := tb.ask("subscribe", "live", true); m.Kind != KindInfo {
		t.Fatalf("subscribe live: %+v", m)
	}
	tb.putStories(t, storytest.Files)
	tb.liveRound(ctx)
	posts := tb.plat.posts()
	var heads []string
	for _, p := range posts {
		for _, s := range p.m.Stories {
			heads = append(heads, s.Headline)
		}
	}
	if len(posts) != 3 {
		t.Fatalf("%d live posts, want one per story (3): %q", len(posts), heads)
	}
	tb.putStories(t, storytest.Later)
	tb.liveRound(ctx)
	posts = tb.plat.posts()
	if len(posts) != 4 || !strings.Contains(PlainText(posts[3].m), "Update to a story posted here before: now reported by 4 outlets; new: Valley Radio.") {
		t.Fatalf("after the radio's report: %d posts, last:\n%s", len(posts), PlainText(posts[len(posts)-1].m))
	}
	tb.liveRound(ctx)
	if n := len(tb.plat.posts()); n != 4 {
		t.Errorf("%d posts after a round with nothing new, want 4", n)
	}
}

// An answer's bullet names every outlet of its story that carries its
// claim, also when no other bullet of the answer comes from that story:
// asked about two people, /ask cites the school board chair (two outlets)
// and the mayor once, from one of the three bridge articles, and names
// the other two, which it found no hit in.
func TestAskNamesEveryOutletOfAClaim(t *testing.T) {
	tb := newTestBot(t, "", Config{})
	tb.putStories(t, storytest.Files)
	ans := tb.ask("ask", "What did Priya Naidu and Elena Brandt say?", false)
	text := PlainText(ans)
	if ans.Kind != KindAnswer {
		t.Fatalf("not an answer:\n%s", text)
	}
	var mayor, chair *Bullet
	for _, bl := range ans.Bullets() {
		switch {
		case strings.Contains(bl.Text, "We will not reopen the Harbor Bridge"):
			mayor = &bl
		case strings.Contains(bl.Text, "keep its teachers"):
			chair = &bl
		}
	}
	if mayor == nil || !strings.Contains(mayor.Attribution, "reported by 3 outlets: ") || len(mayor.Also) != 2 {
		t.Errorf("the mayor's words, told by three outlets:\n%s", text)
	} else {
		for _, outlet := range []string{"Northwire", "Maplewood Courier", "Daily Flash"} {
			if !strings.Contains(mayor.Attribution, outlet) {
				t.Errorf("the mayor's words lack %s: %q", outlet, mayor.Attribution)
			}
		}
	}
	if chair == nil || !strings.Contains(chair.Attribution, "reported by 2 outlets: ") || !strings.Contains(chair.Attribution, "Lindenfield Gazette") {
		t.Errorf("the chair's words, told by two outlets:\n%s", text)
	}
	if n := strings.Count(text, "We will not reopen"); n != 1 {
		t.Errorf("the mayor's words cited %d times, want once:\n%s", n, text)
	}
}
