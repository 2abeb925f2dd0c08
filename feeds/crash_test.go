package feeds

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/crashtest"
	"github.com/briefbot/briefbot/internal/longarticle"
	"github.com/briefbot/briefbot/store"
)

// The crash test's feeds: crashFeeds feeds of crashItems items each, on
// crashListeners listeners (hosts), polled crashListeners at a time.
const crashFeeds, crashItems, crashListeners = 10, 5, 5

// crashFarm serves the crash test's feeds and their stories' pages. A
// feed has an ETag and a Last-Modified date and answers 304 to a request
// that sends its ETag back, as the feeds of a news site do. Until grown
// is set, each feed has its first crashOld items only, under ETags and
// dates of their own.
type crashFarm struct {
	listeners
	feedReqs, notMod atomic.Int64
	grown            atomic.Bool
}

// crashOld is the number of items a feed has before the farm grows.
const crashOld = 2

func newCrashFarm(t *testing.T) *crashFarm {
	f := &crashFarm{}
	f.listeners = newListeners(t, crashListeners, f.handle)
	return f
}

func (f *crashFarm) handle(w http.ResponseWriter, r *http.Request) {
	var feed, story int
	base := "http://" + r.Host
	switch {
	case func() bool { _, err := fmt.Sscanf(r.URL.Path, "/story/%d/%d", &feed, &story); return err == nil }():
		// A story of about 120 words, made up (see longarticle), as the
		// paragraphs of a page.
		text := longarticle.Article(uint64(1000*feed+story), 120)
		body := text[strings.Index(text[4:], "---\n")+8:]
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, articlePage("Crash Daily", fmt.Sprintf("Story %d of feed %d", story, feed), "", strings.Split(strings.TrimSpace(body), "\n\n")))
	case func() bool { _, err := fmt.Sscanf(r.URL.Path, "/feed/%d", &feed); return err == nil }():
		f.feedReqs.Add(1)
		n, etag, modified := crashItems, fmt.Sprintf(`"feed-%d-v2"`, feed), "Mon, 02 Mar 2026 00:00:00 GMT"
		if !f.grown.Load() {
			n, etag, modified = crashOld, fmt.Sprintf(`"feed-%d-v1"`, feed), "Sun, 01 Mar 2026 00:00:00 GMT"
		}
		if r.Header.Get("If-None-Match") == etag {
			f.notMod.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		items := make([]item, n)
		for j := range items {
			items[j] = item{
				Title: fmt.Sprintf("Story %d of feed %d", j, feed),
				Link:  fmt.Sprintf("%s/story/%d/%d", base, feed, j),
				GUID:  fmt.Sprintf("feed-%d-item-%d", feed, j),
				Date:  time.Date(2026, 3, 1, 0, j, 0, 0, time.UTC).Format(time.RFC1123Z),
				Desc:  "A short summary of the story.",
			}
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", modified)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rssFeed(fmt.Sprint("Feed ", feed), base, "", items...))
	default:
		http.NotFound(w, r)
	}
}

// crashNowEnv is the child's clock, in Unix seconds.
const crashNowEnv = "BRIEFBOT_CRASH_NOW"

// crashManager is a manager of the crash test's feeds on st, at now.
func crashManager(st *store.Store, now time.Time) *Manager {
	m := New(Config{AllowPrivate: true, Workers: crashListeners}, st, slog.New(slog.DiscardHandler))
	m.now = func() time.Time { return now }
	return m
}

// TestCrashChild is the child process of TestPollKilledMidBatch: it polls
// the feeds the database follows once, announcing each batch of its
// writer on its standard output (see internal/crashtest), until it is
// killed.
func TestCrashChild(t *testing.T) {
	if os.Getenv(crashtest.ModeEnv) != "feeds" {
		t.Skip("run by TestPollKilledMidBatch as a separate process")
	}
	a := crashtest.NewAnnouncer(os.Stdout)
	st := a.OpenStore(t, os.Getenv(crashtest.DBEnv))
	sec, err := strconv.ParseInt(os.Getenv(crashNowEnv), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	m := crashManager(st, time.Unix(sec, 0).UTC())
	m.writer.put = a.Put(m.writer.put) // the writer stores one batch at a time
	s, err := m.pollOnce(context.Background())
	if err != nil || s.Failed != 0 {
		t.Fatalf("poll: %+v, %v", s, err)
	}
	st.Close()
}

// A poll of many feeds killed with SIGKILL inside the transaction of one
// of its writer's batches (a child process, killed a random short delay
// after it said, from inside the batch's transaction, that it had begun;
// once half the articles are stored) leaves a sound database holding
// whole batches only, and no feed item recorded without its article: the
// items of the batch under way are not seen. The next poll, by a new
// manager, fetches the feeds whose polls were cut short in full again
// (their new validators were not saved: a conditional request answered
// 304 would have lost those items for good), stores exactly the articles
// that were missing, and the database then holds what clean polls store:
// every item's article once, with the same claims, and every feed counts
// its items. A poll after it stores nothing. Two cases: the first poll of
// the feeds (no validators yet), and a poll of feeds that have grown since
// the last one (whose validators were saved). A round whose kill came
// after the batch's commit, or whose poll ended first, proves less; rounds
// are repeated, a few at most, until one kill lands inside the
// transaction (which crashtest's Kill.Inside tells exactly).
func TestPollKilledMidBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("polls 10 feeds of up to 5 items several times")
	}
	const total = crashFeeds * crashItems
	farm := newCrashFarm(t)
	follow := func(t *testing.T, loc string) {
		st := crashtest.OpenStore(t, loc)
		defer st.Close()
		for i := range crashFeeds {
			if _, _, err := st.AddFeed(context.Background(), farm.feedURL(i), store.FeedOwner{}, t0, t0); err != nil {
				t.Fatal(err)
			}
		}
	}
	poll := func(t *testing.T, loc string, now time.Time) pollStats {
		st := crashtest.OpenStore(t, loc)
		defer st.Close()
		s, err := crashManager(st, now).pollOnce(context.Background())
		if err != nil {
			t.Fatalf("poll: %v", err)
		}
		return s
	}
	// The polls: the one before the feeds grow (if any), the killed one,
	// the one after it, and a last one; each a day after the one before,
	// when every feed is due again.
	day := func(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }
	// prepare follows the feeds in a new database at loc, and polls them
	// before they grow if grown.
	prepare := func(t *testing.T, loc string, grown bool) {
		follow(t, loc)
		if grown {
			farm.grown.Store(false)
			if s := poll(t, loc, day(0)); s.New != crashFeeds*crashOld || s.Failed != 0 {
				t.Fatalf("the poll before the feeds grow: %+v", s)
			}
		}
		farm.grown.Store(true)
	}

	for _, db := range crashtest.DBs {
		for _, grown := range []bool{false, true} {
			name := db.Name + "/first"
			if grown {
				name = db.Name + "/grown"
			}
			t.Run(name, func(t *testing.T) {
				clean := db.Fresh(t)
				prepare(t, clean, grown)
				base := 0 // the articles stored before the killed poll
				if grown {
					base = crashFeeds * crashOld
				}
				if s := poll(t, clean, day(1)); s.New != total-base || s.Failed != 0 {
					t.Fatalf("clean poll: %+v", s)
				}
				want := crashtest.Check(t, clean)
				if len(want.Keys) != total {
					t.Fatalf("clean polls stored %d keys, want %d", len(want.Keys), total)
				}
				t.Logf("a clean run: %d articles, search index of %s, %s", len(want.Claims), want.Index, want.Rows)

				inside := false
				for round := 0; round < 5 && !inside; round++ {
					loc := db.Fresh(t)
					prepare(t, loc, grown)
					child := crashtest.Start(t, "TestCrashChild", "feeds", loc, fmt.Sprint(crashNowEnv, "=", day(1).Unix()))
					k := child.KillInBatch(t, round, func(_, before int) bool { return before >= (total-base)/2 })
					if !k.Killed {
						t.Logf("round %d: the poll ended before it was killed", round)
						continue
					}
					got := crashtest.Check(t, loc)
					stored := len(got.Keys)
					if k.Inside(t, round, stored, base) {
						inside = true
					}
					crashtest.Part(t, "after the kill", got, want)
					if items, bare := feedItems(t, loc); items != stored || bare != 0 {
						t.Errorf("round %d: after the kill, %d feed items recorded (%d without their article) for %d articles", round, items, bare, stored)
					}

					req0, nm0 := farm.feedReqs.Load(), farm.notMod.Load()
					s := poll(t, loc, day(2))
					if s.New != total-stored || s.Failed != 0 || s.Duplicates != 0 {
						t.Errorf("round %d: the poll after the kill: %+v; want the %d articles not stored", round, s, total-stored)
					}
					t.Logf("round %d: the poll after the kill: %d feed requests, %d answered 304", round,
						farm.feedReqs.Load()-req0, farm.notMod.Load()-nm0)
					crashtest.Same(t, "after the poll that followed the kill", crashtest.Check(t, loc), want)
					if items, bare := feedItems(t, loc); items != total || bare != 0 {
						t.Errorf("round %d: %d feed items recorded (%d without their article), want %d", round, items, bare, total)
					}
					var off int
					if err := crashtest.Open(t, loc).QueryRow(fmt.Sprintf(`SELECT count(*) FROM feeds WHERE items <> %d`, crashItems)).Scan(&off); err != nil || off != 0 {
						t.Errorf("round %d: %d feeds do not count %d items (%v)", round, off, crashItems, err)
					}
					if s := poll(t, loc, day(3)); s.New != 0 || s.NotModified != crashFeeds {
						t.Errorf("round %d: a last poll: %+v; want only 304s", round, s)
					}
				}
				if !inside {
					t.Error("no kill landed inside a batch's transaction")
				}
			})
		}
	}
}

// feedItems counts the feed items recorded, and those whose article is not
// stored.
func feedItems(t *testing.T, loc string) (items, bare int) {
	t.Helper()
	db := crashtest.Open(t, loc)
	err := db.QueryRow(`SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = i.article_id))
		FROM feed_items i`).Scan(&items, &bare)
	if err != nil {
		t.Fatal(err)
	}
	return items, bare
}
