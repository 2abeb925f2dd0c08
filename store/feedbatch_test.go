package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
)

// feedPut is the put of an as the article of the feed's item guid, under
// the key of its own URL unless key is given.
func feedPut(feedURL, guid, key string, an *briefing.Analysis, at time.Time) ArticlePut {
	if key == "" {
		key = "feed:https://news.example/" + guid
	}
	return ArticlePut{Analysis: an, Item: &FeedItem{FeedURL: feedURL, GUID: guid, URL: "https://news.example/" + guid,
		Link: "https://news.example/" + guid, Key: key, ArticleID: an.Article.ID, SeenAt: at}}
}

// feedState is what puts of feed articles leave in s: keys, items, feeds'
// counts, what each space sees in which order, claims, index rows,
// stories and space rows.
func feedState(t *testing.T, s *Store, spaces ...string) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	keys, err := s.Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "keys %v\n", keys)
	items, err := queryRows(ctx, s.db, func(row scanner) (string, error) {
		it, err := scanFeedItem(row)
		return fmt.Sprintf("%+v", it), err
	}, `SELECT `+feedItemCols+` FROM feed_items ORDER BY feed_url, guid`)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "items %v\n", items)
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		fmt.Fprintf(&b, "feed %s: %d items, %d fallbacks\n", f.URL, f.Items, f.Fallbacks)
	}
	for _, sp := range spaces {
		fmt.Fprintf(&b, "space %q sees %v\n", sp, visibleIDs(t, s, sp, 0))
	}
	fmt.Fprintf(&b, "%d claims, %d index rows\n", countRows(t, s, "claims"), countRows(t, s, "claims_fts"))
	b.WriteString(storiesAndSpaces(t, s))
	return b.String()
}

// A batch of feed articles (ArticlePut.Item), mixed with global ones,
// stores what PutFeedArticle and PutArticle store one at a time, in the
// same order of arrival in each space: new articles, the same article
// from two feeds, an article stored before and no longer active, a key
// that moves to another article, an item of a feed that two spaces
// follow.
func TestPutArticlesFeedItems(t *testing.T) {
	const feedA, feedB = "https://a.example/feed", "https://b.example/feed"
	puts := []ArticlePut{
		feedPut(feedA, "a1", "", numbered(1), t0),
		feedPut(feedB, "b1", "", numbered(2), t0),
		{Key: "seeds/s.txt", Analysis: numbered(3), Now: t0},
		feedPut(feedA, "a2", "", numbered(2), t0), // b1's article, under another key
		feedPut(feedB, "b2", "", numbered(0), t0), // stored before, no longer active
		{Key: "seeds/t.txt", Analysis: numbered(6), Now: t0},
		feedPut(feedA, "a1", "", numbered(4), t0),                // the item again, another article
		feedPut(feedB, "b3", "seeds/moved.txt", numbered(7), t0), // a global key becomes the feed's
		feedPut(feedA, "a3", "", numbered(3), t0),                // the seed's article
		feedPut(feedA, "a4", "", numbered(8), t0),
		feedPut(feedA, "a4", "feed:other", numbered(8), t0), // the item under another key
		{Key: "seeds/u.txt", Analysis: numbered(9)},
		{Key: "seeds/u.txt", Analysis: numbered(10)}, // the key leaves an article of the batch
		feedPut(feedB, "b4", "", numbered(11), t0),
		feedPut(feedB, "b4", "", numbered(12), t0), // so does the item's
	}
	for i := range puts {
		at := t0.Add(time.Duration(i+1) * time.Minute)
		if puts[i].Item != nil {
			puts[i].Item.SeenAt = at
			puts[i].Key, puts[i].Now = "ignored", t0 // the item's are used
		} else {
			puts[i].Now = at
		}
	}
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		prepare := func() *Store {
			s := db.store(t)
			addFeed(t, s, feedA, "chat:1", "c1")
			addFeed(t, s, feedB, "chat:2", "c2")
			addFeed(t, s, feedB, Global, "")
			mustPut(t, s, "seeds/old.txt", numbered(0), t0)
			mustPut(t, s, "seeds/moved.txt", numbered(5), t0)
			if err := s.RemoveKey(ctx, "seeds/old.txt"); err != nil {
				t.Fatal(err)
			}
			return s
		}
		one := prepare()
		var want []bool
		for _, p := range puts {
			var (
				added bool
				err   error
			)
			if p.Item != nil {
				added, err = one.PutFeedArticle(ctx, *p.Item, p.Analysis)
			} else {
				added, err = one.PutArticle(ctx, p.Key, p.Analysis, p.Now)
			}
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, added)
		}
		spaces := []string{Global, "chat:1", "chat:2", "chat:3"}
		wantState := feedState(t, one, spaces...)

		for _, prepared := range []bool{false, true} {
			batch := prepare()
			in := slices.Clone(puts)
			if prepared {
				for i := range in {
					p, err := Prepare(in[i].Analysis)
					if err != nil {
						t.Fatal(err)
					}
					in[i].Prepared = p
				}
			}
			got, err := batch.PutArticles(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("prepared=%v: added %v, one at a time %v", prepared, got, want)
			}
			if g := feedState(t, batch, spaces...); g != wantState {
				t.Errorf("prepared=%v: batch:\n%s\none at a time:\n%s", prepared, g, wantState)
			}
		}
	})
}

// A batch with the article of a feed that is no longer followed fails as
// a whole, with an error wrapping fs.ErrNotExist, and stores nothing; the
// others, put again without it, are stored.
func TestPutArticlesRemovedFeed(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		addFeed(t, s, "https://a.example/feed", Global, "")
		addFeed(t, s, "https://gone.example/feed", Global, "")
		if err := s.RemoveFeed(ctx, "https://gone.example/feed", Global); err != nil {
			t.Fatal(err)
		}
		puts := []ArticlePut{
			feedPut("https://a.example/feed", "1", "", numbered(1), t0),
			feedPut("https://gone.example/feed", "2", "", numbered(2), t0),
			feedPut("https://a.example/feed", "3", "", numbered(3), t0),
		}
		if _, err := s.PutArticles(ctx, puts); !isNotExist(err) {
			t.Fatalf("PutArticles with a removed feed = %v", err)
		}
		for i, p := range puts {
			if ok, _ := s.HasArticle(ctx, p.Analysis.Article.ID); ok {
				t.Errorf("article %d stored", i)
			}
		}
		if keys, _ := s.Keys(ctx); len(keys) != 0 {
			t.Errorf("keys: %v", keys)
		}
		if seen, _ := s.FeedGUIDs(ctx, "https://a.example/feed"); len(seen) != 0 {
			t.Errorf("items recorded: %v", seen)
		}
		added, err := s.PutArticles(ctx, []ArticlePut{puts[0], puts[2]})
		if err != nil || !slices.Equal(added, []bool{true, true}) {
			t.Fatalf("PutArticles without it = %v, %v", added, err)
		}
		if seen, _ := s.FeedGUIDs(ctx, "https://a.example/feed"); len(seen) != 2 {
			t.Errorf("items recorded: %v", seen)
		}
		if _, err := s.PutArticles(ctx, []ArticlePut{{Analysis: numbered(4), Item: &FeedItem{FeedURL: "https://a.example/feed", Key: "feed:x"}}}); err == nil {
			t.Error("a feed article without a GUID was put")
		}
	})
}
