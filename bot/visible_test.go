package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/feeds"
)

// No post carries a bidi override or a zero-width character, whatever
// brought it in: an article stored without going through the loader (as a
// feed's are), a feed's title, or the user's own words echoed back.
func TestPostsCarryNoInvisibleCharacters(t *testing.T) {
	ff := &fakeFeeds{list: []feeds.FeedState{{URL: "https://news.example.org/rss", Title: "Daily \u202Eswen\u202C Wire"}}}
	tb := newTestBot(t, "", Config{Feeds: ff})
	ctx := context.Background()
	a := &briefing.Article{
		Name: "spoof", Title: "Mayor \u202Edenrub\u202C the ferry", Source: "Reu\u200Bters\u2066", URL: "https://news.example.org/ferry",
		Author: "Lena\u2060 Brandt",
		Body: "The ferry will stop running in May, the county said on Monday.\n\n" +
			"\u201CWe cannot pay for the fuel, \u05e9\u05dc\u05d5\u05dd,\u201D said Tomas Al\u202Evik\u202C, the board\u2019s chair.",
	}
	a.ID = briefing.ContentID(a.Title, a.Source, a.URL, a.Published, a.Author, a.Body)
	if _, err := tb.st.PutArticle(ctx, "feed:https://news.example.org/ferry", briefing.Analyze(a, briefing.Options{}), tb.clock.Now()); err != nil {
		t.Fatal(err)
	}
	answers := []Message{
		tb.ask("briefing", "", false),
		tb.ask("briefing", "\u202Eyrref", false),
		tb.ask("claims", "Tomas Alvik", false),
		tb.ask("feeds", "list", false),
	}
	tb.Post(ctx, Destination{Platform: "chat", Channel: "C1"}, tb.BriefingMessage(ctx, ""))
	tb.deliverAt(Destination{Platform: "chat", Channel: "C2"}, t0.Add(time.Minute))
	for _, p := range tb.plat.posts() {
		answers = append(answers, p.m)
	}
	if len(answers) != 6 {
		t.Fatalf("%d answers and posts, want 6", len(answers))
	}
	all := ""
	for _, m := range answers {
		all += PlainText(m) + "\n"
	}
	for i, r := range all {
		if briefing.StripInvisible(string(r)) == "" {
			t.Errorf("an invisible character %+q at byte %d of the posts:\n%s", r, i, all)
		}
	}
	for _, want := range []string{"Mayor denrub the ferry", "Reuters", "Tomas Alvik", "Daily swen Wire", "\u05e9\u05dc\u05d5\u05dd"} {
		if !strings.Contains(all, want) {
			t.Errorf("posts lack %q:\n%s", want, all)
		}
	}
}
