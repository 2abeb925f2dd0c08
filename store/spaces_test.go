package store

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// putFeedStory stores an as the article of a new item of the feed, as the
// feed manager does.
func putFeedStory(t *testing.T, s *Store, feedURL, guid string, an *briefing.Analysis, at time.Time) {
	t.Helper()
	it := FeedItem{FeedURL: feedURL, GUID: guid, URL: "https://news.example/" + guid, Link: "https://news.example/" + guid,
		Key: "feed:https://news.example/" + guid, ArticleID: an.Article.ID, SeenAt: at}
	if _, err := s.PutFeedArticle(context.Background(), it, an); err != nil {
		t.Fatal(err)
	}
}

// visibleIDs are the IDs of the articles the space sees after afterSeq,
// latest arrival first.
func visibleIDs(t *testing.T, s *Store, space string, afterSeq int64) []string {
	t.Helper()
	list, err := s.VisibleArticles(context.Background(), space, afterSeq, 0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	return ids
}

func addFeed(t *testing.T, s *Store, url, space, channel string) bool {
	t.Helper()
	_, joined, err := s.AddFeed(context.Background(), url, FeedOwner{Space: space, Platform: "chat", Channel: channel}, t0, t0)
	if err != nil {
		t.Fatal(err)
	}
	return joined
}

// Two spaces on one store: each sees the global sources and its own feeds,
// never the other's, in listings, searches, speakers and its feed list.
func TestSpacesSeeOnlyTheirSources(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		seed, bridge, qa := seedAnalysis(t), bridgeAnalysis(t), qatar("")
		mustPut(t, s, "seeds/seed.txt", seed, t0) // global
		addFeed(t, s, "https://a.example/feed", "discord:A", "CA")
		addFeed(t, s, "https://b.example/feed", "discord:B", "CB")
		putFeedStory(t, s, "https://a.example/feed", "bridge", bridge, t0)
		putFeedStory(t, s, "https://b.example/feed", "qatar", qa, t0)

		for space, want := range map[string][]string{
			"discord:A": {bridge.Article.ID, seed.Article.ID},
			"discord:B": {qa.Article.ID, seed.Article.ID},
			"discord:C": {seed.Article.ID},
			Global:      {seed.Article.ID},
		} {
			if got := visibleIDs(t, s, space, 0); !slices.Equal(got, want) {
				t.Errorf("VisibleArticles(%q) = %v, want %v", space, got, want)
			}
		}

		// Search: Maria Lopez (the bridge) only in A.
		for space, want := range map[string]bool{"discord:A": true, "discord:B": false, Global: false} {
			res, err := s.Search(ctx, "what did Maria Lopez say about the bridge deck?", SearchOptions{Space: space, Now: t0})
			if err != nil {
				t.Fatal(err)
			}
			found := len(res.Hits) > 0 && res.Hits[0].Article.ID == bridge.Article.ID
			if found != want {
				t.Errorf("Search in %q found the bridge: %v, want %v", space, found, want)
			}
			for _, h := range append(res.Hits, res.Near...) {
				if h.Article.ID == bridge.Article.ID && !want {
					t.Errorf("Search in %q shows a claim of another space's article: %+v", space, h.Claim)
				}
			}
			hits, n, err := s.ClaimsBySpeaker(ctx, space, "Lopez", 0)
			if err != nil || (n > 0) != want || len(hits) != n {
				t.Errorf("ClaimsBySpeaker(%q, Lopez) = %d, %v; want some: %v", space, n, err, want)
			}
			speakers, err := s.Speakers(ctx, space, 50)
			if err != nil || slices.Contains(speakers, "Maria Lopez") != want {
				t.Errorf("Speakers(%q) = %v, %v; want Maria Lopez: %v", space, speakers, err, want)
			}
			found2, err := s.FindArticles(ctx, space, "Riverside", 0)
			if err != nil || (len(found2) == 1) != want {
				t.Errorf("FindArticles(%q, Riverside) = %d articles, %v", space, len(found2), err)
			}
		}

		feedsOf := func(space string) []string {
			list, err := s.SpaceFeeds(ctx, space)
			if err != nil {
				t.Fatal(err)
			}
			var urls []string
			for _, f := range list {
				urls = append(urls, f.URL)
			}
			return urls
		}
		if got := feedsOf("discord:A"); !slices.Equal(got, []string{"https://a.example/feed"}) {
			t.Errorf("SpaceFeeds(A) = %v", got)
		}
		if _, err := s.EnsureFeed(ctx, "https://global.example/rss", t0, t0); err != nil {
			t.Fatal(err)
		}
		if got := feedsOf("discord:B"); !slices.Equal(got, []string{"https://global.example/rss", "https://b.example/feed"}) {
			t.Errorf("SpaceFeeds(B) with a global feed = %v, want the global one first", got)
		}

		// Nobody removes another space's feed, nor a global one.
		if err := s.RemoveFeed(ctx, "https://a.example/feed", "discord:B"); !isNotExist(err) {
			t.Errorf("B removing A's feed: %v", err)
		}
		if err := s.RemoveFeed(ctx, "https://global.example/rss", "discord:B"); !isNotExist(err) {
			t.Errorf("B removing a global feed: %v", err)
		}
		if got := visibleIDs(t, s, "discord:A", 0); len(got) != 2 {
			t.Errorf("A after B's attempts: %v", got)
		}

		// The routes of an article: its text, speakers and feeds.
		routes, err := s.Routes(ctx, []string{bridge.Article.ID, seed.Article.ID, "nothing"})
		if err != nil {
			t.Fatal(err)
		}
		if r := routes[bridge.Article.ID]; r == nil || !slices.Equal(r.Feeds, []string{"https://a.example/feed"}) ||
			!slices.Contains(r.Speakers, "Maria Lopez") || !strings.Contains(r.Body, "deck is cracking") {
			t.Errorf("route of the bridge = %+v", r)
		}
		if r := routes[seed.Article.ID]; r == nil || len(r.Feeds) != 0 || len(routes) != 2 {
			t.Errorf("routes = %+v", routes)
		}
	})
}

// One feed followed by two spaces is one feed: fetched once, its articles
// seen by both; a space that stops following it leaves it to the other,
// and the last one removes it.
func TestSameFeedInTwoSpaces(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		const url = "https://shared.example/feed"
		if !addFeed(t, s, url, "slack:T1", "C1") {
			t.Fatal("a space following a feed should be new to it")
		}
		f, _ := s.Feed(ctx, url)
		f.NextPoll = t0.Add(time.Hour)
		if err := s.SaveFeedPoll(ctx, f); err != nil {
			t.Fatal(err)
		}
		if !addFeed(t, s, url, "slack:T2", "C2") {
			t.Fatal("a space joining a feed should be new to it")
		}
		if f, _ := s.Feed(ctx, url); !f.NextPoll.Equal(t0.Add(time.Hour)) {
			t.Errorf("a space joining the feed moved its next poll to %v: it is fetched once for both", f.NextPoll)
		}
		if addFeed(t, s, url, "slack:T1", "C9") {
			t.Error("adding a feed a space follows again reports it as new")
		}
		if f, _ := s.Feed(ctx, url); !f.NextPoll.Equal(t0) {
			t.Errorf("a feed added again by a space that follows it is polled at %v, want now", f.NextPoll)
		}
		if all, _ := s.Feeds(ctx); len(all) != 1 {
			t.Fatalf("%d feeds, want one for both spaces", len(all))
		}
		if due, _ := s.DueFeeds(ctx, t0); len(due) != 1 {
			t.Errorf("%d feeds due, want the shared one once", len(due))
		}
		qa := qatar("")
		putFeedStory(t, s, url, "q", qa, t0)
		for _, sp := range []string{"slack:T1", "slack:T2"} {
			if got := visibleIDs(t, s, sp, 0); len(got) != 1 {
				t.Errorf("%s sees %v, want the shared story", sp, got)
			}
		}
		if err := s.RemoveFeed(ctx, url, "slack:T1"); err != nil {
			t.Fatal(err)
		}
		if got := visibleIDs(t, s, "slack:T1", 0); len(got) != 0 {
			t.Errorf("T1 still sees %v after removing the feed", got)
		}
		if got := visibleIDs(t, s, "slack:T2", 0); len(got) != 1 {
			t.Errorf("T2 sees %v after T1 removed the feed, want the story", got)
		}
		if f, err := s.Feed(ctx, url); err != nil || f.Items != 1 {
			t.Errorf("the feed after T1 left: %+v, %v", f, err)
		}
		if err := s.RemoveFeed(ctx, url, "slack:T2"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Feed(ctx, url); !isNotExist(err) {
			t.Errorf("the feed is still followed by nobody: %v", err)
		}
		if keys, _ := s.Keys(ctx); len(keys) != 0 {
			t.Errorf("keys left after the last space removed the feed: %v", keys)
		}
		// T1 follows it again: the story it saw before is not new to it.
		addFeed(t, s, url, "slack:T1", "C1")
		putFeedStory(t, s, url, "q", qa, t0)
		if got := visibleIDs(t, s, "slack:T1", 0); len(got) != 1 {
			t.Errorf("T1 after following again: %v", got)
		}
	})
}

// An article is new to a space when it first comes to it: a story a space
// saw as a global one is not new again when its own feed carries it too.
func TestArrivalsAreFirstArrivals(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		one, two := qatar(""), qatar(" Two.")
		addFeed(t, s, "https://a.example/feed", "discord:A", "CA")
		mustPut(t, s, "seeds/one.txt", one, t0)
		cursor, err := s.LastArrival(ctx)
		if err != nil || cursor == 0 {
			t.Fatalf("LastArrival = %d, %v", cursor, err)
		}
		// The global story, now also in A's feed, and a story new to A.
		if _, err := s.PutFeedArticle(ctx, FeedItem{FeedURL: "https://a.example/feed", GUID: "1", Key: "seeds/one.txt", ArticleID: one.Article.ID, SeenAt: t0}, one); err != nil {
			t.Fatal(err)
		}
		putFeedStory(t, s, "https://a.example/feed", "two", two, t0)
		if got := visibleIDs(t, s, "discord:A", cursor); !slices.Equal(got, []string{two.Article.ID}) {
			t.Errorf("new to A after the cursor: %v, want only story two", got)
		}
		rows, more, err := s.Arrivals(ctx, cursor, 10)
		if err != nil || more != 0 {
			t.Fatalf("Arrivals = %v, %d, %v", rows, more, err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.Space+"/"+r.ArticleID[:4])
		}
		want := []string{"/" + one.Article.ID[:4], "discord:A/" + one.Article.ID[:4], "discord:A/" + two.Article.ID[:4]}
		if !slices.Equal(got, want) {
			t.Errorf("Arrivals = %v, want %v (every row of the articles that arrived)", got, want)
		}
		if _, more, _ := s.Arrivals(ctx, cursor, 1); more != 1 {
			t.Errorf("Arrivals with limit 1: %d more, want 1", more)
		}
		// A seed file removed: nobody sees the story any more.
		if err := s.RemoveKey(ctx, "seeds/one.txt"); err != nil {
			t.Fatal(err)
		}
		if got := visibleIDs(t, s, "discord:B", 0); len(got) != 0 {
			t.Errorf("B sees %v after the seed file went", got)
		}
	})
}

// The article of an item of a feed removed meanwhile is not stored.
func TestPutFeedArticleOfARemovedFeed(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		qa := qatar("")
		_, err := s.PutFeedArticle(ctx, FeedItem{FeedURL: "https://gone.example/", GUID: "1", Key: "feed:https://x.example/1", ArticleID: qa.Article.ID, SeenAt: t0}, qa)
		if !isNotExist(err) {
			t.Fatalf("PutFeedArticle of an unknown feed = %v", err)
		}
		if ok, _ := s.HasArticle(ctx, qa.Article.ID); ok {
			t.Error("the article was stored")
		}
		if keys, _ := s.Keys(ctx); len(keys) != 0 {
			t.Errorf("keys: %v", keys)
		}
	})
}

// A database of the schema before spaces upgrades in place: its feeds
// become global, its articles are seen by every space at the arrival of
// their seq (so a digest's cursor keeps its place), its subscriptions and
// ledger stay.
func TestMigrateToSpaces(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		path := db.fresh(t)
		old, err := openAt(ctx, path, 6)
		if err != nil {
			t.Fatal(err)
		}
		seed, qa, gone := seedAnalysis(t), qatar(""), qatar(" Gone.")
		putVersion1(t, old, "seeds/seed.txt", seed, t0)
		if _, err := old.db.ExecContext(ctx, `INSERT INTO feeds (url, next_poll, added_at) VALUES ('https://old.example/feed', 0, 1)`); err != nil {
			t.Fatal(err)
		}
		putVersion1(t, old, "feed:https://news.example/q", qa, t0)
		if _, err := old.db.ExecContext(ctx, `INSERT INTO feed_items (feed_url, guid, url, link, key, article_id, fallback, seen_at)
		VALUES ('https://old.example/feed', 'g', 'https://news.example/q', '', 'feed:https://news.example/q', ?, '', 0)`, qa.Article.ID); err != nil {
			t.Fatal(err)
		}
		putVersion1(t, old, "seeds/gone.txt", gone, t0)
		if _, err := old.db.ExecContext(ctx, `DELETE FROM sources WHERE key = 'seeds/gone.txt'`); err != nil {
			t.Fatal(err)
		}
		if _, err := old.db.ExecContext(ctx, `INSERT INTO subscriptions (platform, channel, spec, tz, created_at) VALUES ('discord', 'C1', '0 8 * * *', 'UTC', 0)`); err != nil {
			t.Fatal(err)
		}
		var seedSeq int64
		if err := old.db.QueryRowContext(ctx, `SELECT seq FROM articles WHERE id = ?`, seed.Article.ID).Scan(&seedSeq); err != nil {
			t.Fatal(err)
		}
		old.Close()

		s := openTest(t, path)
		if v := userVersion(t, s); v != len(migrations) {
			t.Fatalf("user_version = %d", v)
		}
		f, err := s.Feed(ctx, "https://old.example/feed")
		if err != nil || !f.Global || f.Items != 0 {
			t.Errorf("the old feed after the upgrade: %+v, %v; want it global", f, err)
		}
		for _, space := range []string{"discord:G1", "slack:T1", Global} {
			got := visibleIDs(t, s, space, 0)
			if !slices.Equal(got, []string{qa.Article.ID, seed.Article.ID}) {
				t.Errorf("%q sees %v, want both active articles", space, got)
			}
			if after := visibleIDs(t, s, space, seedSeq); !slices.Equal(after, []string{qa.Article.ID}) {
				t.Errorf("%q after the seed's seq sees %v: a cursor must keep its place", space, after)
			}
		}
		list, err := s.VisibleArticles(ctx, "discord:G1", 0, 0)
		if err != nil || list[1].Seq != seedSeq {
			t.Errorf("the seed's arrival = %d, want its seq %d (%v)", list[1].Seq, seedSeq, err)
		}
		sub, err := s.Subscription(ctx, "discord", "C1")
		if err != nil || sub.Space != Global || sub.Spec != "0 8 * * *" || sub.Feeds != nil || sub.Filter != "" {
			t.Errorf("the old subscription: %+v, %v", sub, err)
		}
		// New articles arrive after the old ones; the old feed can be removed
		// only as a global one.
		putFeedStory(t, s, "https://old.example/feed", "new", qatar(" New."), t0)
		if got := visibleIDs(t, s, "discord:G1", seedSeq); len(got) != 2 {
			t.Errorf("after a new story: %v", got)
		}
		if err := s.RemoveFeed(ctx, "https://old.example/feed", "discord:G1"); !isNotExist(err) {
			t.Errorf("a space removing a global feed: %v", err)
		}
		if err := s.RemoveFeed(ctx, "https://old.example/feed", Global); err != nil {
			t.Errorf("removing the global feed: %v", err)
		}
	})
}

// A paused feed is told once in the channel where each space added it, and
// its recovery once; a global feed has no channel to tell.
func TestFeedAlerts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		const url = "https://flaky.example/feed"
		addFeed(t, s, url, "discord:A", "CA")
		addFeed(t, s, url, "discord:B", "CB")
		if _, err := s.EnsureFeed(ctx, url, t0, t0); err != nil {
			t.Fatal(err)
		}
		alerts := func() []string {
			t.Helper()
			list, err := s.FeedAlerts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, a := range list {
				kind := "paused"
				if a.Recovered {
					kind = "recovered"
				}
				out = append(out, a.Space+" "+a.Channel+" "+kind)
			}
			return out
		}
		claimAll := func(at time.Time) int {
			t.Helper()
			list, _ := s.FeedAlerts(ctx)
			n := 0
			for _, a := range list {
				for range 2 { // the second claim, as by a second process, loses
					ok, err := s.ClaimFeedAlert(ctx, a, at)
					if err != nil {
						t.Fatal(err)
					}
					if ok {
						n++
					}
				}
			}
			return n
		}
		if got := alerts(); len(got) != 0 {
			t.Fatalf("alerts of a healthy feed: %v", got)
		}
		f, _ := s.Feed(ctx, url)
		f.Failures, f.FailingSince, f.LastError, f.Paused, f.PauseReason = 10, t0.Add(time.Minute), "HTTP 500", true, "paused"
		if err := s.SaveFeedPoll(ctx, f); err != nil {
			t.Fatal(err)
		}
		if got, want := alerts(), []string{"discord:A CA paused", "discord:B CB paused"}; !reflect.DeepEqual(got, want) {
			t.Errorf("alerts = %v, want %v", got, want)
		}
		if n := claimAll(t0.Add(time.Hour)); n != 2 {
			t.Errorf("%d pause alerts claimed, want 2 (one per space)", n)
		}
		if got := alerts(); len(got) != 0 {
			t.Errorf("alerts after they were told: %v", got)
		}
		// Added again and fetched: recovered, told once.
		if _, _, err := s.AddFeed(ctx, url, FeedOwner{Space: "discord:A"}, t0.Add(2*time.Hour), t0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := alerts(); len(got) != 0 {
			t.Errorf("alerts before a successful fetch: %v", got)
		}
		f, _ = s.Feed(ctx, url)
		f.LastFetch = t0.Add(3 * time.Hour)
		if err := s.SaveFeedPoll(ctx, f); err != nil {
			t.Fatal(err)
		}
		if got, want := alerts(), []string{"discord:A CA recovered", "discord:B CB recovered"}; !reflect.DeepEqual(got, want) {
			t.Errorf("alerts = %v, want %v", got, want)
		}
		if n := claimAll(t0.Add(3 * time.Hour)); n != 2 {
			t.Errorf("%d recoveries claimed, want 2", n)
		}
		// A new run of failures, paused again: told again.
		f, _ = s.Feed(ctx, url)
		f.Failures, f.FailingSince, f.Paused = 10, t0.Add(4*time.Hour), true
		if err := s.SaveFeedPoll(ctx, f); err != nil {
			t.Fatal(err)
		}
		if n := claimAll(t0.Add(5 * time.Hour)); n != 2 {
			t.Errorf("%d alerts of the second pause, want 2", n)
		}
	})
}

// The live ledger: an article is posted once per channel, whoever tries.
func TestLiveLedger(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		ok, err := s.ReserveLive(ctx, "discord", "C1", "art1", "p1", false, t0)
		if err != nil || !ok {
			t.Fatalf("ReserveLive = %v, %v", ok, err)
		}
		for _, skip := range []bool{false, true} {
			if ok, err := s.ReserveLive(ctx, "discord", "C1", "art1", "p2", skip, t0); err != nil || ok {
				t.Errorf("second ReserveLive (skip %v) = %v, %v", skip, ok, err)
			}
		}
		if ok, _ := s.ReserveLive(ctx, "discord", "C2", "art1", "p2", false, t0); !ok {
			t.Error("another channel could not reserve the article")
		}
		if ok, _ := s.ReserveLive(ctx, "discord", "C1", "art2", "p1", true, t0); !ok {
			t.Error("skipping a new article")
		}
		if err := s.CompleteLive(ctx, "discord", "C1", "art1", []string{"m1"}, t0); err != nil {
			t.Fatal(err)
		}
		if err := s.CompleteLive(ctx, "discord", "C1", "art1", []string{"m1"}, t0); !isNotExist(err) {
			t.Errorf("completing twice = %v", err)
		}
		if err := s.FailLive(ctx, "discord", "C2", "art1", "gone", t0); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.ReserveLive(ctx, "discord", "C3", "art1", "p1", false, t0); !ok {
			t.Fatal("C3")
		}
		pending, err := s.PendingLive(ctx)
		if err != nil || len(pending) != 1 || pending[0].Channel != "C3" {
			t.Errorf("PendingLive = %+v, %v", pending, err)
		}
		posts, err := s.LivePosts(ctx, "discord", "C1")
		if err != nil || len(posts) != 2 || posts[0].State != "delivered" || !slices.Equal(posts[0].MessageIDs, []string{"m1"}) || posts[1].State != "skipped" {
			t.Errorf("LivePosts(C1) = %+v, %v", posts, err)
		}
	})
}

// A search in a space finds its claims even when another space's claims
// crowd the best matches of every space.
func TestSearchPastAnotherSpacesMatches(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		addFeed(t, s, "https://b.example/feed", "discord:B", "CB")
		analysis := func(name, text string) *briefing.Analysis {
			a, err := briefing.Parse(name+".txt", []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			return briefing.Analyze(a, briefing.Options{})
		}
		for i := range 3 * candidateLimit {
			an := analysis(fmt.Sprintf("b%d", i), fmt.Sprintf("Lamp keeper number %d said the lighthouse lamp needs a new lamp bulb, and the lamp room needs paint.", i))
			putFeedStory(t, s, "https://b.example/feed", fmt.Sprintf("b%d", i), an, t0)
		}
		mustPut(t, s, "seeds/a.txt", analysis("a", "The harbor master said the old lamp will go to the museum, with the ropes and the anchors of the pier."), t0)
		res, err := s.Search(ctx, "what did they say about the lamp?", SearchOptions{Space: "discord:A", Now: t0})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Claim.Text, "museum") {
			t.Fatalf("A's search: %v", texts(res.Hits))
		}
		for _, h := range append(res.Hits, res.Near...) {
			if strings.Contains(h.Claim.Text, "keeper") {
				t.Errorf("A's search shows B's claim %q", h.Claim.Text)
			}
		}
		if res, _ := s.Search(ctx, "what did they say about the lamp?", SearchOptions{Space: "discord:B", Now: t0}); len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Claim.Text, "lamp") {
			t.Errorf("B's search: %v", texts(res.Hits))
		}
	})
}
