package store

import (
	"context"
	"errors"
	"io/fs"
	"testing"
	"time"
)

func TestFeedsAddEnsureList(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		path := db.fresh(t)
		s := openTest(t, path)

		f, created, err := s.AddFeed(ctx, "https://news.example/feed.xml", FeedOwner{}, t0, t0)
		if err != nil || !created {
			t.Fatalf("AddFeed = %v, %v", created, err)
		}
		if f.URL != "https://news.example/feed.xml" || !f.NextPoll.Equal(t0) || !f.AddedAt.Equal(t0) || !f.LastFetch.IsZero() || f.Paused {
			t.Errorf("added feed = %+v", f)
		}
		if created, err := s.EnsureFeed(ctx, "https://news.example/feed.xml", t0.Add(time.Hour), t0); err != nil || created {
			t.Errorf("EnsureFeed of a followed feed = %v, %v", created, err)
		}
		if created, err := s.EnsureFeed(ctx, "https://other.example/atom", t0.Add(time.Minute), t0.Add(time.Second)); err != nil || !created {
			t.Errorf("EnsureFeed of a new feed = %v, %v", created, err)
		}

		// A poll's outcome, then a pause.
		f.Title, f.ETag, f.LastModified = "Example News", `"v1"`, "Fri, 08 Nov 2024 14:00:00 GMT"
		f.LastFetch, f.NextPoll = t0.Add(time.Minute), t0.Add(16*time.Minute)
		f.Failures, f.LastError, f.Paused, f.PauseReason = 3, "HTTP 500", true, "failed 3 times in a row"
		if err := s.SaveFeedPoll(ctx, f); err != nil {
			t.Fatal(err)
		}
		due, err := s.DueFeeds(ctx, t0.Add(24*time.Hour))
		if err != nil || len(due) != 1 || due[0].URL != "https://other.example/atom" {
			t.Errorf("DueFeeds = %+v, %v; want only the unpaused feed", due, err)
		}
		if next, ok, err := s.NextFeedPoll(ctx); err != nil || !ok || !next.Equal(t0.Add(time.Minute)) {
			t.Errorf("NextFeedPoll = %v, %v, %v", next, ok, err)
		}

		// Reopened: everything survives.
		s.Close()
		s = openTest(t, path)
		list, err := s.Feeds(ctx)
		if err != nil || len(list) != 2 {
			t.Fatalf("Feeds = %+v, %v", list, err)
		}
		got := list[0]
		if got.Title != "Example News" || got.ETag != `"v1"` || got.LastModified != f.LastModified ||
			!got.LastFetch.Equal(f.LastFetch) || !got.NextPoll.Equal(f.NextPoll) || got.Failures != 3 ||
			got.LastError != "HTTP 500" || !got.Paused || got.PauseReason != "failed 3 times in a row" {
			t.Errorf("after reopen: %+v", got)
		}

		// Adding it again un-pauses it and polls it at the given time.
		f2, created, err := s.AddFeed(ctx, "https://news.example/feed.xml", FeedOwner{}, t0.Add(2*time.Hour), t0.Add(2*time.Hour))
		if err != nil || created {
			t.Fatalf("AddFeed again = %v, %v", created, err)
		}
		if f2.Paused || f2.PauseReason != "" || f2.Failures != 0 || !f2.NextPoll.Equal(t0.Add(2*time.Hour)) || f2.ETag != `"v1"` || !f2.AddedAt.Equal(t0) {
			t.Errorf("re-added feed = %+v", f2)
		}

		if err := s.SaveFeedPoll(ctx, Feed{URL: "https://gone.example/"}); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("SaveFeedPoll of an unknown feed = %v", err)
		}
		if _, err := s.Feed(ctx, "https://gone.example/"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Feed of an unknown feed = %v", err)
		}
	})
}

func TestFeedItemsAndRemove(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		for _, u := range []string{"https://a.example/feed", "https://b.example/feed"} {
			if _, _, err := s.AddFeed(ctx, u, FeedOwner{}, t0, t0); err != nil {
				t.Fatal(err)
			}
		}
		one, two := qatar(""), qatar(" More.")
		if _, err := s.PutArticle(ctx, "feed:https://news.example/one", one, t0); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutArticle(ctx, "feed:https://news.example/two", two, t0); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.HasArticle(ctx, one.Article.ID); err != nil || !ok {
			t.Errorf("HasArticle = %v, %v", ok, err)
		}
		if ok, err := s.HasArticle(ctx, "0000000000000000"); err != nil || ok {
			t.Errorf("HasArticle of nothing = %v, %v", ok, err)
		}
		items := []FeedItem{
			{FeedURL: "https://a.example/feed", GUID: "1", URL: "https://news.example/one", Link: "https://news.example/amp/one",
				Key: "feed:https://news.example/one", ArticleID: one.Article.ID, SeenAt: t0},
			{FeedURL: "https://a.example/feed", GUID: "2", URL: "https://news.example/two", Link: "https://news.example/amp/two",
				Key: "feed:https://news.example/two", ArticleID: two.Article.ID, Fallback: "page: HTTP 404", SeenAt: t0},
			{FeedURL: "https://a.example/feed", GUID: "3", URL: "https://news.example/empty", Link: "https://news.example/empty", SeenAt: t0},
			// The same story as item 2, in feed b.
			{FeedURL: "https://b.example/feed", GUID: "x", URL: "https://news.example/two", Link: "https://news.example/two",
				Key: "feed:https://news.example/two", ArticleID: two.Article.ID, SeenAt: t0.Add(time.Second)},
		}
		for _, it := range items {
			if err := s.PutFeedItem(ctx, it); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.PutFeedItem(ctx, FeedItem{FeedURL: "https://c.example/", GUID: "1"}); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("PutFeedItem of an unknown feed = %v", err)
		}
		guids, err := s.FeedGUIDs(ctx, "https://a.example/feed")
		if err != nil || len(guids) != 3 || !guids["1"] || !guids["2"] || !guids["3"] {
			t.Errorf("FeedGUIDs = %v, %v", guids, err)
		}
		a, _ := s.Feed(ctx, "https://a.example/feed")
		if a.Items != 2 || a.Fallbacks != 1 {
			t.Errorf("feed a: items %d fallbacks %d, want 2 and 1", a.Items, a.Fallbacks)
		}
		it, err := s.FeedItemByURL(ctx, "https://news.example/amp/one")
		if err != nil || it.GUID != "1" || it.ArticleID != one.Article.ID {
			t.Errorf("FeedItemByURL(link) = %+v, %v", it, err)
		}
		// Item 2 was briefed from its feed's text: its link stands for nothing.
		if it, err := s.FeedItemByURL(ctx, "https://news.example/amp/two"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("FeedItemByURL(link of a summary) = %+v, %v; want none", it, err)
		}
		if it, err := s.FeedItemByURL(ctx, "https://news.example/two"); err != nil || it.GUID != "x" {
			t.Errorf("FeedItemByURL(url) = %+v, %v; want the earliest that is not a summary", it, err)
		}
		if _, err := s.FeedItemByURL(ctx, "https://news.example/empty"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("FeedItemByURL of an item without article = %v", err)
		}
		if it, err := s.FeedItemByArticle(ctx, two.Article.ID); err != nil || it.Fallback != "page: HTTP 404" {
			t.Errorf("FeedItemByArticle = %+v, %v", it, err)
		}

		// Removing feed a deactivates story one; story two stays, feed b has it.
		if err := s.RemoveFeed(ctx, "https://a.example/feed", Global); err != nil {
			t.Fatal(err)
		}
		keys, _ := s.Keys(ctx)
		if _, ok := keys["feed:https://news.example/one"]; ok {
			t.Error("story one still active after its feed was removed")
		}
		if keys["feed:https://news.example/two"] != two.Article.ID {
			t.Error("story two deactivated though feed b still carries it")
		}
		if g, _ := s.FeedGUIDs(ctx, "https://a.example/feed"); len(g) != 0 {
			t.Errorf("items of the removed feed remain: %v", g)
		}
		if err := s.RemoveFeed(ctx, "https://a.example/feed", Global); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("RemoveFeed twice = %v", err)
		}
		if _, err := s.Article(ctx, one.Article.ID); err != nil {
			t.Errorf("the article of a removed feed should stay stored: %v", err)
		}
	})
}
