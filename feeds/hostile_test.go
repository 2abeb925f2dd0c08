package feeds

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// trickle answers with the start of a body, then a byte every `every`
// until the client hangs up.
func trickle(contentType, start string, every time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		fmt.Fprint(w, start)
		w.(http.Flusher).Flush()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-t.C:
				if _, err := w.Write([]byte("a")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
			}
		}
	}
}

// steady answers with a page that never ends, at about perSecond bytes a
// second: above any least rate the tests set, so only a timeout, a
// deadline or a cut stops it.
func steady(perSecond int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body><article>")
		para := []byte("<p>" + strings.Repeat("More words arrive slowly but surely. ", perSecond/10/37+1) + "</p>")
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-t.C:
				if _, err := w.Write(para); err != nil {
					return
				}
				w.(http.Flusher).Flush()
			}
		}
	}
}

// TestMinTransferRate: a feed or a page that trickles a byte at a time is
// cut off once its grace period is over, long before the request's
// timeout; the page's item falls back to its own text.
func TestMinTransferRate(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true, Timeout: 30 * time.Second, MinRate: 1000, RateGrace: 200 * time.Millisecond})
	srv.mux.HandleFunc("/slow-feed", trickle("application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>`, 50*time.Millisecond))
	srv.mux.HandleFunc("/slow-page", trickle("text/html", "<html><body><article><p>", 50*time.Millisecond))
	srv.serve("/feed", "application/rss+xml", rssFeed("Ledger", srv.URL, "",
		item{Title: "Library hours", Link: srv.URL + "/slow-page", GUID: "1", Desc: strings.Join(libraryParas, "\n")}))
	e.add(t, srv.URL+"/slow-feed")
	e.add(t, srv.URL+"/feed")
	start := time.Now()
	st := e.poll(t)
	if el := time.Since(start); el > 20*time.Second {
		t.Errorf("the poll took %v: the trickles were not cut before the 30s timeout", el)
	}
	if st.Failed != 1 || st.New != 1 || st.Fallbacks != 1 {
		t.Fatalf("stats = %+v\n%s", st, e.log)
	}
	if f := e.feed(t, srv.URL+"/slow-feed"); !strings.HasPrefix(f.LastError, "too slow: ") || !strings.Contains(f.LastError, "under the least rate of 1000 bytes a second") {
		t.Errorf("slow feed: %q", f.LastError)
	}
	a := e.articles(t)[0]
	if o, _ := e.st.FeedItemByArticle(e.ctx, a.ID); !strings.HasPrefix(o.Fallback, "page not usable: too slow: ") {
		t.Errorf("slow page: fallback %q", o.Fallback)
	}
}

// TestSlowFeedsDoNotStarveOthers: feeds whose pages stream slowly but
// steadily (above the least rate) on several hosts hold every worker; a
// normal feed due after them is still polled at once, because a poll past
// SlowAfter gives its worker back (to the slow lane, or by being cut),
// and every poll ends by its deadline.
func TestSlowFeedsDoNotStarveOthers(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true, Workers: 3, SlowWorkers: 1, SlowAfter: time.Second,
		PollDeadline: 6 * time.Second, Timeout: 30 * time.Second, MinRate: 1000, RateGrace: 200 * time.Millisecond,
		MaxArticleBytes: 16 << 20})
	at := namedHosts(e, srv)
	srv.mux.HandleFunc("/steady/", steady(4000))
	srv.mux.HandleFunc("/slow.xml", func(w http.ResponseWriter, r *http.Request) {
		var items []item
		for i := range 5 {
			items = append(items, item{Title: fmt.Sprint("Slow ", i), Link: fmt.Sprintf("http://%s/steady/%d", r.Host, i), GUID: fmt.Sprint(i), Desc: "A summary."})
		}
		fmt.Fprint(w, rssFeed("Slow", "http://"+r.Host, "", items...))
	})
	var normalAt atomic.Int64
	srv.mux.HandleFunc("/normal.xml", func(w http.ResponseWriter, r *http.Request) {
		normalAt.CompareAndSwap(0, time.Now().UnixNano())
		fmt.Fprint(w, rssFeed("Ledger", "http://"+r.Host, "", item{Title: "Library hours", Link: "http://" + r.Host + "/library", GUID: "1"}))
	})
	srv.serve("/library", "text/html", articlePage("Ledger", "Library hours", "", libraryParas))
	// The slow feeds are due first.
	for i := range 6 {
		if _, _, err := e.st.AddFeed(e.ctx, at(fmt.Sprintf("slow%d.example", i), "/slow.xml"), t0.Add(-time.Hour), t0); err != nil {
			t.Fatal(err)
		}
	}
	e.add(t, at("news.example", "/normal.xml"))

	start := time.Now()
	st := e.poll(t)
	elapsed := time.Since(start)
	if normalAt.Load() == 0 {
		t.Fatalf("the normal feed was not polled: %+v", st)
	}
	// Without the slow lane it would wait for a slow poll to end at its
	// deadline (without a deadline, 5 pages of 30s each).
	if wait := time.Duration(normalAt.Load() - start.UnixNano()); wait >= 6*time.Second {
		t.Errorf("the normal feed waited %v for a worker", wait)
	}
	if elapsed > 25*time.Second {
		t.Errorf("the poll took %v: the slow polls were not cut", elapsed)
	}
	if st.New != 1 || st.Failed != 0 || st.Cut != 6 || st.Deferred != 30 {
		t.Errorf("stats = %+v: want the normal story, and the 6 slow polls cut with their 5 items each left", st)
	}
	if f := e.feed(t, at("news.example", "/normal.xml")); f.Items != 1 || f.LastError != "" {
		t.Errorf("normal feed: %+v", f)
	}
	log := e.log.String()
	if !strings.Contains(log, "while the slow lane was full") || !strings.Contains(log, "the poll took longer than 6s") {
		t.Errorf("the cuts are not logged with their reasons:\n%s", log)
	}
}

// TestOneHostManyFeeds: the feeds of one host are polled one at a time,
// so that they do not hold workers only to wait for their host's turn: a
// feed of another host due after them gets a worker at once, while the
// first page of the busy host is still streaming.
func TestOneHostManyFeeds(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true, Workers: 2, MaxItems: 1, Timeout: time.Second})
	at := namedHosts(e, srv)
	var pagesDone atomic.Int32
	normalAfter := int32(-1)
	srv.mux.HandleFunc("/busy/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, rssFeed("Busy", "http://"+r.Host, "", item{Title: "Slow", Link: "http://" + r.Host + "/steady" + r.URL.Path, GUID: "1", Desc: "A summary."}))
	})
	srv.mux.HandleFunc("/steady/", func(w http.ResponseWriter, r *http.Request) {
		defer pagesDone.Add(1)
		steady(4000)(w, r) // cut by the 1s timeout
	})
	srv.mux.HandleFunc("/normal.xml", func(w http.ResponseWriter, r *http.Request) {
		atomic.CompareAndSwapInt32(&normalAfter, -1, pagesDone.Load())
		fmt.Fprint(w, rssFeed("Ledger", "http://"+r.Host, ""))
	})
	for i := range 3 {
		if _, _, err := e.st.AddFeed(e.ctx, at("busy.example", fmt.Sprintf("/busy/%d", i)), t0.Add(-time.Hour), t0); err != nil {
			t.Fatal(err)
		}
	}
	e.add(t, at("news.example", "/normal.xml"))
	st := e.poll(t)
	if st.Feeds != 4 || st.Fallbacks != 3 {
		t.Errorf("stats = %+v", st)
	}
	// Without the rule, both workers take a busy feed (one fetching, one
	// waiting for the host), and the normal feed waits for one to end.
	if n := atomic.LoadInt32(&normalAfter); n != 0 {
		t.Errorf("the normal feed was polled after %d pages of the busy host had ended, want 0 (it should not wait for a worker)", n)
	}
}

// TestItemsPerPoll: a feed of many new items gets its newest MaxItems
// handled per poll; the rest come in the next polls, newest first, and
// the feed's validators are kept back until all are handled, so that a
// 304 cannot hide them.
func TestItemsPerPoll(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true, MaxItems: 10})
	var items []item
	for i := range 25 { // listed newest first, as feeds do
		n := 24 - i
		items = append(items, item{Title: fmt.Sprintf("Council item %d approved", n), GUID: fmt.Sprint(n),
			Date: t0.Add(time.Duration(n) * time.Minute).Format(time.RFC1123Z),
			Desc: fmt.Sprintf("The council approved item %d on Monday, a spokeswoman said.", n)})
	}
	doc := rssFeed("Council", srv.URL, "", items...)
	srv.mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprint(w, doc)
	})
	e.add(t, srv.URL+"/feed")
	newest := func(from, to int) string {
		var s []string
		for n := from; n <= to; n++ {
			s = append(s, fmt.Sprintf("Council item %d approved", n))
		}
		return strings.Join(s, ", ")
	}
	stored := 0
	for i, want := range []struct {
		titles   string
		new, def int
	}{{newest(15, 24), 10, 15}, {newest(5, 14), 10, 5}, {newest(0, 4), 5, 0}} {
		var st pollStats
		if i == 0 {
			st = e.poll(t)
		} else {
			st = e.pollDue(t)
		}
		if st.New != want.new || st.Deferred != want.def || st.NotModified != 0 {
			t.Errorf("poll %d: %+v", i+1, st)
		}
		if h := srv.lastHeader("/feed").Get("If-None-Match"); h != "" {
			t.Errorf("poll %d was conditional (%s) with items left", i+1, h)
		}
		arts := e.articles(t)
		var got []string
		for _, a := range arts[stored:] {
			got = append(got, a.Title)
		}
		stored = len(arts)
		if strings.Join(got, ", ") != want.titles {
			t.Errorf("poll %d stored %s\nwant %s", i+1, strings.Join(got, ", "), want.titles)
		}
	}
	if st := e.pollDue(t); st.NotModified != 1 || st.New != 0 {
		t.Errorf("once all are handled the poll should be conditional: %+v", st)
	}
}
