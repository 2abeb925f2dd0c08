package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/internal/storytest"
)

// putStory stores a storytest article under a seed key.
func putStory(t *testing.T, s *Store, name string, now time.Time) string {
	t.Helper()
	an := storytest.Analyze(name)
	mustPut(t, s, "seed:"+name, an, now)
	return an.Article.ID
}

func storyOf(t *testing.T, s *Store, id string) string {
	t.Helper()
	m, err := s.StoryIDs(context.Background(), []string{id})
	if err != nil {
		t.Fatal(err)
	}
	return m[id]
}

// Articles get their story as they are stored, and keep it: the same
// story after a restart, and a later article of the story joins it after
// the restart (the grouper is rebuilt from the store).
func TestStoriesAssignedAndKeptAcrossRestart(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		loc := db.fresh(t)
		s := openTest(t, loc)
		now := time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC)
		wire := putStory(t, s, "bridge_wire.txt", now)
		courier := putStory(t, s, "bridge_courier.txt", now)
		school := putStory(t, s, "school_wire.txt", now)
		if got := storyOf(t, s, wire); got != wire {
			t.Errorf("first article's story = %q, want its own ID %q", got, wire)
		}
		if got := storyOf(t, s, courier); got != wire {
			t.Errorf("second outlet's story = %q, want %q", got, wire)
		}
		if got := storyOf(t, s, school); got != school {
			t.Errorf("another event's story = %q, want its own ID %q", got, school)
		}
		s.Close()

		s2 := openTest(t, loc)
		if got := storyOf(t, s2, courier); got != wire {
			t.Errorf("after restart: story = %q, want %q", got, wire)
		}
		radio := putStory(t, s2, "bridge_radio.txt", now.Add(20*time.Hour))
		if got := storyOf(t, s2, radio); got != wire {
			t.Errorf("after restart, a later article of the story: story = %q, want %q", got, wire)
		}
		gazette := putStory(t, s2, "school_gazette.txt", now.Add(20*time.Hour))
		if got := storyOf(t, s2, gazette); got != school {
			t.Errorf("after restart, the other event: story = %q, want %q", got, school)
		}
		arts, err := s2.StoryArticles(ctx, Global, []string{wire})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, a := range arts[wire] {
			ids = append(ids, a.ID)
		}
		if want := []string{wire, courier, radio}; !slices.Equal(ids, want) {
			t.Errorf("articles of the story = %v, want %v in the order they joined", ids, want)
		}
	})
}

// Two processes on one database (replicas) assign stories as one would:
// each takes in the other's assignments before assigning its own.
func TestStoriesAcrossProcesses(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		loc := db.fresh(t)
		a, b := openTest(t, loc), openTest(t, loc)
		now := time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC)
		wire := putStory(t, a, "bridge_wire.txt", now)
		putStory(t, b, "harvest_press.txt", now) // b builds its grouper: it sees wire
		courier := putStory(t, a, "bridge_courier.txt", now)
		flash := putStory(t, b, "bridge_flash.txt", now) // b catches up with courier
		for _, id := range []string{courier, flash} {
			if got := storyOf(t, a, id); got != wire {
				t.Errorf("story of %s = %q, want %q", id, got, wire)
			}
		}
	})
}

// A story's articles are those the space sees: another space's feed
// article of the same story is not among them.
func TestStoryArticlesOfSpace(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		t0 := time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC)
		wire := putStory(t, s, "bridge_wire.txt", t0) // global
		if _, _, err := s.AddFeed(ctx, "https://courier.example/feed", FeedOwner{Space: "discord:A"}, t0, t0); err != nil {
			t.Fatal(err)
		}
		courier := storytest.Analyze("bridge_courier.txt")
		putFeedStory(t, s, "https://courier.example/feed", "c1", courier, t0)
		if got := storyOf(t, s, courier.Article.ID); got != wire {
			t.Fatalf("story of the feed's article = %q, want %q", got, wire)
		}
		ids := func(space string) []string {
			arts, err := s.StoryArticles(ctx, space, []string{wire})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, a := range arts[wire] {
				out = append(out, a.ID)
			}
			return out
		}
		if got, want := ids("discord:A"), []string{wire, courier.Article.ID}; !slices.Equal(got, want) {
			t.Errorf("space A sees %v, want %v", got, want)
		}
		if got, want := ids("discord:B"), []string{wire}; !slices.Equal(got, want) {
			t.Errorf("space B sees %v, want %v", got, want)
		}
	})
}

// StoriesOf reads, in one query, what StoryIDs then StoryMembers read (of
// each article, its Seq, ID, Name, Source and Published): each article's
// story's articles that the space sees, in the order they joined it, for articles assigned a story and for one stored before
// stories (its own story), in a list of IDs longer than a query binds.
func TestStoriesOf(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		t0 := time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC)
		wire := putStory(t, s, "bridge_wire.txt", t0)
		radio := putStory(t, s, "bridge_radio.txt", t0.Add(time.Hour))
		school := putStory(t, s, "school_wire.txt", t0)
		gazette := putStory(t, s, "school_gazette.txt", t0)
		old := putStory(t, s, "harvest_press.txt", t0)
		if _, err := s.db.ExecContext(ctx, `DELETE FROM article_stories WHERE article_id = ?`, old); err != nil {
			t.Fatal(err) // stored as before stories: no story of its own
		}
		if _, _, err := s.AddFeed(ctx, "https://courier.example/feed", FeedOwner{Space: "discord:A"}, t0, t0); err != nil {
			t.Fatal(err)
		}
		courier := storytest.Analyze("bridge_courier.txt")
		putFeedStory(t, s, "https://courier.example/feed", "c1", courier, t0)
		if got := storyOf(t, s, courier.Article.ID); got != wire {
			t.Fatalf("story of the feed's article = %q, want %q", got, wire)
		}

		// An article of the space's feed only, stored as before stories:
		// its own story, which discord:A sees and no other space does.
		flash := storytest.Analyze("bridge_flash.txt")
		putFeedStory(t, s, "https://courier.example/feed", "c2", flash, t0)
		if _, err := s.db.ExecContext(ctx, `DELETE FROM article_stories WHERE article_id = ?`, flash.Article.ID); err != nil {
			t.Fatal(err)
		}

		ids := []string{radio, courier.Article.ID, "no-such-article", school}
		for i := range routeChunk {
			ids = append(ids, fmt.Sprintf("unknown-%d", i))
		}
		ids = append(ids, wire, old, gazette, flash.Article.ID) // in the second chunk
		ids = append(ids, radio, wire)                          // repeated: listed once
		for _, space := range []string{Global, "discord:A", "discord:B"} {
			got, err := s.StoriesOf(ctx, space, ids)
			if err != nil {
				t.Fatal(err)
			}
			sids, err := s.StoryIDs(ctx, ids)
			if err != nil {
				t.Fatal(err)
			}
			var list []string
			for _, id := range ids {
				if sid := sids[id]; sid != "" && !slices.Contains(list, sid) {
					list = append(list, sid)
				}
			}
			members, err := s.StoryMembers(ctx, space, list)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string][]*StoredArticle{}
			for _, id := range ids {
				if _, done := want[id]; done {
					continue // a repeated ID
				}
				for _, a := range members[sids[id]] {
					want[id] = append(want[id], &StoredArticle{Seq: a.Seq, Article: briefing.Article{
						ID: a.ID, Name: a.Name, Source: a.Source, Published: a.Published}})
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("space %q: StoriesOf = %v, want %v", space, storyIDsOf(got), storyIDsOf(want))
			}
			if n := len(got[wire]); n != map[string]int{Global: 2, "discord:A": 3, "discord:B": 2}[space] {
				t.Errorf("space %q: %d articles of the bridge story", space, n)
			}
			if n := len(got[old]); n != 1 {
				t.Errorf("space %q: %d articles of the story of an article stored before stories, want 1", space, n)
			}
			if n, want := len(got[flash.Article.ID]), map[string]int{"discord:A": 1}[space]; n != want {
				t.Errorf("space %q: %d articles of the story of a feed's article stored before stories, want %d", space, n, want)
			}
		}
	})
}

// distinct drops repeated IDs, keeping the first of each in order, in
// short lists (compared one by one) and long ones (through a map), and
// hands back a list without repeats as it is.
func TestDistinct(t *testing.T) {
	long := func(extra ...string) []string {
		var ids []string
		for i := range 40 {
			ids = append(ids, fmt.Sprint("id", i))
		}
		return append(ids, extra...)
	}
	for _, c := range []struct{ in, want []string }{
		{nil, nil},
		{[]string{"a"}, []string{"a"}},
		{[]string{"a", "b", "c"}, []string{"a", "b", "c"}},
		{[]string{"a", "a"}, []string{"a"}},
		{[]string{"a", "b", "a", "c", "b", "d"}, []string{"a", "b", "c", "d"}},
		{long(), long()},
		{long("id3", "x", "id39", "x"), long("x")},
	} {
		in := slices.Clone(c.in)
		got := distinct(in)
		if !slices.Equal(got, c.want) || !slices.Equal(in, c.in) {
			t.Errorf("distinct(%q) = %q, want %q (input now %q)", c.in, got, c.want, in)
		}
		if len(c.in) > 0 && len(got) == len(c.in) && &got[0] != &in[0] {
			t.Errorf("distinct(%q) copied a list without repeats", c.in)
		}
	}
}

// storyIDsOf are the IDs of the articles of each story, for messages.
func storyIDsOf(m map[string][]*StoredArticle) map[string][]string {
	out := map[string][]string{}
	for id, arts := range m {
		for _, a := range arts {
			out[id] = append(out[id], a.ID)
		}
	}
	return out
}

// What a channel was shown of each story adds up.
func TestStoriesShown(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		now := time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC)
		if err := s.RecordStoriesShown(ctx, "slack", "C1", map[string][]string{"s1": {"a", "b"}}, now); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordStoriesShown(ctx, "slack", "C1", map[string][]string{"s1": {"b", "c"}, "s2": {"x"}}, now); err != nil {
			t.Fatal(err)
		}
		got, err := s.StoriesShown(ctx, "slack", "C1", []string{"s1", "s2", "s3"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got["s1"], []string{"a", "b", "c"}) || !slices.Equal(got["s2"], []string{"x"}) || got["s3"] != nil {
			t.Errorf("shown = %v", got)
		}
		other, err := s.StoriesShown(ctx, "slack", "C2", []string{"s1"})
		if err != nil || len(other) != 0 {
			t.Errorf("another channel: %v, %v", other, err)
		}
	})
}

// BenchmarkStoryRebuild measures what a process does before it stores its
// first article after a start: rebuilding the grouper from the 2,000
// assignments of the window (each article read back with its claims and
// sentences, then Restore).
func BenchmarkStoryRebuild(b *testing.B) {
	s := newTestStore(b)
	fill(b, s, 2000)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		err := s.stories.rebuild(ctx, s.db)
		if err != nil || s.stories.g.Len() != 2000 {
			b.Fatal(err, s.stories.g.Len())
		}
	}
}

// A growth of a story is claimed for a channel once: a second claim on
// the same state fails, one on the new state succeeds.
func TestClaimStoryShown(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		now := time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC)
		claim := func(was, ids []string) bool {
			t.Helper()
			ok, err := s.ClaimStoryShown(ctx, "discord", "L1", "s1", was, ids, now)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !claim(nil, []string{"a", "b"}) {
			t.Error("the first claim failed")
		}
		if claim(nil, []string{"a", "c"}) {
			t.Error("a second claim on nothing shown succeeded")
		}
		if !claim([]string{"b", "a"}, []string{"a", "b", "c"}) {
			t.Error("a claim on what was shown failed")
		}
		got, err := s.StoriesShown(ctx, "discord", "L1", []string{"s1"})
		if err != nil || !slices.Equal(got["s1"], []string{"a", "b", "c"}) {
			t.Errorf("shown: %v, %v", got, err)
		}
	})
}

// Articles stored in one batch get their stories as if stored one at a
// time; a batch that fails leaves the grouper as if it never ran, so the
// articles stored after it join the right stories.
func TestStoriesInBatches(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := openTest(t, db.fresh(t))
		now := time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC)
		put := func(names ...string) ([]string, error) {
			var puts []ArticlePut
			var ids []string
			for _, n := range names {
				an := storytest.Analyze(n)
				puts = append(puts, ArticlePut{Key: "seed:" + n, Analysis: an, Now: now})
				ids = append(ids, an.Article.ID)
			}
			_, err := s.PutArticles(ctx, puts)
			return ids, err
		}

		// A failed batch: the school story's articles never stored.
		failed := errors.New("the process dies here")
		putArticlesHook = func(i int) error {
			if i == 1 {
				return failed
			}
			return nil
		}
		_, err := put("school_wire.txt", "school_gazette.txt")
		putArticlesHook = nil
		if !errors.Is(err, failed) {
			t.Fatalf("PutArticles: %v, want the failure", err)
		}

		ids, err := put("bridge_wire.txt", "school_gazette.txt", "bridge_courier.txt", "bridge_flash.txt")
		if err != nil {
			t.Fatal(err)
		}
		wire, gazette := ids[0], ids[1]
		want := []string{wire, gazette, wire, wire}
		for i, id := range ids {
			if got := storyOf(t, s, id); got != want[i] {
				t.Errorf("article %d of the batch: story %q, want %q", i, got, want[i])
			}
		}
		// After the failed batch, the school story is the gazette's own:
		// the rolled-back wire article left no trace in the grouper.
		later, err := put("school_wire.txt")
		if err != nil {
			t.Fatal(err)
		}
		if got := storyOf(t, s, later[0]); got != gazette {
			t.Errorf("the school story's wire article: story %q, want the gazette's %q", got, gazette)
		}
	})
}

// LatestHeadlines are the headlines of LatestArticles, in its order, for
// each space: the global articles, and a space's own feed article.
func TestLatestHeadlines(t *testing.T) {
	forEachDB(t, func(t *testing.T, db testDB) {
		ctx := context.Background()
		s := db.store(t)
		t0 := time.Date(2026, 11, 28, 13, 0, 0, 0, time.UTC)
		for _, name := range []string{"bridge_wire.txt", "school_wire.txt", "harvest_press.txt", "school_gazette.txt"} {
			putStory(t, s, name, t0)
		}
		if _, _, err := s.AddFeed(ctx, "https://courier.example/feed", FeedOwner{Space: "discord:A"}, t0, t0); err != nil {
			t.Fatal(err)
		}
		putFeedStory(t, s, "https://courier.example/feed", "c1", storytest.Analyze("bridge_courier.txt"), t0)
		for _, space := range []string{Global, "discord:A", "discord:B"} {
			for _, limit := range []int{1, 3, 10} {
				arts, err := s.LatestArticles(ctx, space, limit)
				if err != nil {
					t.Fatal(err)
				}
				var want []string
				for _, a := range arts {
					want = append(want, a.Briefing.Headline)
				}
				got, err := s.LatestHeadlines(ctx, space, limit)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, want) || len(want) == 0 || want[0] == "" {
					t.Errorf("space %q, %d: LatestHeadlines = %q, want %q", space, limit, got, want)
				}
			}
		}
	})
}
