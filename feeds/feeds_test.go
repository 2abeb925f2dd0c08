package feeds

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/store"
	"golang.org/x/text/encoding/charmap"
)

func TestRSSFeed(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	srv.serve("/feed.xml", "application/rss+xml", rssFeed("Millbrook Ledger: local news", srv.URL+"/", "",
		item{Title: "Library to stay open late through winter", Link: srv.URL + "/2026/library-hours?utm_source=rss&utm_medium=feed",
			GUID: "ledger-101", Date: "Tue, 03 Mar 2026 09:15:00 +0000", Author: "Mara Quill", Desc: "The council votes for longer hours."},
		item{Title: "Ferry to stop for engine work", Link: srv.URL + "/2026/ferry",
			GUID: "ledger-102", Date: "Wed, 04 Mar 2026 08:00:00 +0000", Desc: "Three weeks without the crossing."},
	))
	srv.serve("/2026/library-hours", "text/html; charset=utf-8", articlePage("Millbrook Ledger", "Library to stay open late through winter",
		`<link rel="canonical" href="/2026/library-hours">`, libraryParas))
	srv.serve("/2026/ferry", "text/html", articlePage("Millbrook Ledger", "Ferry to stop for engine work", "", ferryParas))

	e.add(t, srv.URL+"/feed.xml")
	st := e.poll(t)
	if st.Feeds != 1 || st.New != 2 || st.Items != 2 || st.Fallbacks != 0 || st.Failed != 0 || st.PageRequests != 2 || st.FeedRequests != 1 {
		t.Fatalf("stats = %+v", st)
	}
	arts := e.articles(t)
	if len(arts) != 2 {
		t.Fatalf("%d articles stored, want 2", len(arts))
	}
	lib, ferry := arts[0], arts[1] // oldest first
	if lib.Title != "Library to stay open late through winter" || lib.Source != "Millbrook Ledger" ||
		lib.URL != srv.URL+"/2026/library-hours" || lib.Author != "Mara Quill" ||
		!lib.Published.Equal(time.Date(2026, 3, 3, 9, 15, 0, 0, time.UTC)) {
		t.Errorf("library article = %q %q %q %q %v", lib.Title, lib.Source, lib.URL, lib.Author, lib.Published)
	}
	if want := strings.Join(libraryParas, "\n\n"); lib.Body != want {
		t.Errorf("library body =\n%s\nwant\n%s", lib.Body, want)
	}
	if ferry.URL != srv.URL+"/2026/ferry" || !strings.Contains(ferry.Body, "Priya Lomax") || strings.Contains(ferry.Body, "Sport") {
		t.Errorf("ferry article = %q\n%s", ferry.URL, ferry.Body)
	}
	claims, err := e.st.Claims(e.ctx, lib.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range claims {
		if c.Speaker == "Dana Whitfield" && c.Kind == briefing.Direct && c.Verbatim && lib.Body[c.Start:c.End] != "" {
			found = true
		}
	}
	if !found {
		t.Errorf("no direct quote by Dana Whitfield among %+v", claims)
	}
	if keys, _ := e.st.Keys(e.ctx); keys["feed:"+srv.URL+"/2026/library-hours"] != lib.ID {
		t.Errorf("source keys = %v", keys)
	}
	if ua := srv.lastHeader("/feed.xml").Get("User-Agent"); !strings.Contains(ua, "briefbot") {
		t.Errorf("User-Agent = %q", ua)
	}
	if ua := srv.lastHeader("/2026/ferry").Get("User-Agent"); !strings.Contains(ua, "briefbot") {
		t.Errorf("page User-Agent = %q", ua)
	}
	f := e.feed(t, srv.URL+"/feed.xml")
	if f.Title != "Millbrook Ledger: local news" || f.Items != 2 || !f.LastFetch.Equal(t0) || f.Failures != 0 || f.LastError != "" {
		t.Errorf("feed state = %+v", f)
	}
	if d := f.NextPoll.Sub(t0); d < 15*time.Minute/2 || d > 15*time.Minute*3/2 {
		t.Errorf("next poll in %v, want about the interval", d)
	}

	// The next poll fetches the feed (no validators here) but no page.
	st = e.pollDue(t)
	if st.New != 0 || st.PageRequests != 0 || st.Requests != 1 {
		t.Errorf("second poll stats = %+v", st)
	}
	if o, err := e.st.FeedItemByArticle(e.ctx, lib.ID); err != nil || o.GUID != "ledger-101" || o.Fallback != "" || o.FeedURL != srv.URL+"/feed.xml" {
		t.Errorf("Origin = %+v, %v", o, err)
	}
}

func TestAtomFeed(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	srv.serve("/atom", "application/atom+xml", atomFeed("Harbour Notes", srv.URL+"/",
		item{Title: "Ferry to stop for engine work", Link: srv.URL + "/ferry", GUID: "tag:harbour,2026:1",
			Date: "2026-03-02T07:30:00Z", Author: "Tomas Reyes", Desc: "<p>No crossing for three weeks.</p>"},
	))
	// The page names no site: the feed's title stands for the outlet.
	srv.mux.HandleFunc("/ferry", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xhtml+xml")
		page := strings.Replace(articlePage("", "Ferry to stop for engine work", "", ferryParas), `<meta property="og:site_name" content="">`, "", 1)
		fmt.Fprint(w, page)
	})
	e.add(t, srv.URL+"/atom")
	if st := e.poll(t); st.New != 1 || st.Failed != 0 {
		t.Fatalf("stats = %+v, log:\n%s", st, e.log)
	}
	a := e.articles(t)[0]
	if a.Source != "Harbour Notes" || a.Author != "Tomas Reyes" || a.URL != srv.URL+"/ferry" ||
		!a.Published.Equal(time.Date(2026, 3, 2, 7, 30, 0, 0, time.UTC)) || !strings.HasPrefix(a.Body, ferryParas[0]) {
		t.Errorf("article = %q %q %q %v\n%s", a.Source, a.Author, a.URL, a.Published, a.Body)
	}
}

func TestMalformedFeed(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	srv.serve("/broken.xml", "application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>Half an item`)
	srv.serve("/page", "text/html", articlePage("Site", "Not a feed", "", libraryParas))
	srv.mux.HandleFunc("/missing", http.NotFound)
	for _, path := range []string{"/broken.xml", "/page", "/missing"} {
		e.add(t, srv.URL+path)
	}
	st := e.poll(t)
	if st.Failed != 3 || st.New != 0 {
		t.Errorf("stats = %+v", st)
	}
	for path, want := range map[string]string{
		"/broken.xml": "malformed feed",
		"/page":       "not an RSS or Atom feed",
		"/missing":    "HTTP 404 Not Found",
	} {
		f := e.feed(t, srv.URL+path)
		if !strings.Contains(f.LastError, want) || f.Failures != 1 || f.Paused {
			t.Errorf("%s: state %+v, want error %q", path, f, want)
		}
		// Backoff: the first retry is about one interval later (±20%).
		if d := f.NextPoll.Sub(t0); d < 12*time.Minute || d > 18*time.Minute {
			t.Errorf("%s: retry in %v", path, d)
		}
	}
}

func TestNotModified(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	const etag = `"ledger-v7"`
	const lastMod = "Wed, 04 Mar 2026 08:00:00 GMT"
	body := rssFeed("Ledger", srv.URL+"/", "", item{Title: "Library hours", Link: srv.URL + "/library", GUID: "1"})
	srv.mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, body)
	})
	srv.serve("/library", "text/html", articlePage("Ledger", "Library hours", "", libraryParas))
	e.add(t, srv.URL+"/feed")
	if st := e.poll(t); st.New != 1 || st.Conditional != 0 {
		t.Fatalf("first poll = %+v", st)
	}
	st := e.pollDue(t)
	if st.Requests != 1 || st.Conditional != 1 || st.NotModified != 1 || st.PageRequests != 0 || st.Failed != 0 {
		t.Errorf("second poll = %+v", st)
	}
	h := srv.lastHeader("/feed")
	if h.Get("If-None-Match") != etag || h.Get("If-Modified-Since") != lastMod {
		t.Errorf("conditional headers = %q, %q", h.Get("If-None-Match"), h.Get("If-Modified-Since"))
	}
	f := e.feed(t, srv.URL+"/feed")
	if !f.LastFetch.Equal(e.clk.Now()) || f.Failures != 0 || f.Items != 1 {
		t.Errorf("after 304: %+v", f)
	}
}

func TestPollHints(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	srv.mux.HandleFunc("/limited", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	srv.mux.HandleFunc("/maintenance", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", t0.Add(5*time.Hour).Format(http.TimeFormat))
		http.Error(w, "back soon", http.StatusServiceUnavailable)
	})
	srv.serve("/ttl", "application/rss+xml", rssFeed("TTL", srv.URL, "<ttl>120</ttl>"))
	srv.mux.HandleFunc("/maxage", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=7200")
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rssFeed("Max age", srv.URL, ""))
	})
	for _, p := range []string{"/limited", "/maintenance", "/ttl", "/maxage"} {
		e.add(t, srv.URL+p)
	}
	e.poll(t)
	for p, min := range map[string]time.Duration{"/limited": time.Hour, "/maintenance": 5 * time.Hour, "/ttl": 2 * time.Hour, "/maxage": 2 * time.Hour} {
		f := e.feed(t, srv.URL+p)
		if d := f.NextPoll.Sub(t0); d < min || d > min+15*time.Minute {
			t.Errorf("%s: next poll in %v, want at least %v (and within an interval of it)", p, d, min)
		}
	}
	if f := e.feed(t, srv.URL+"/limited"); !strings.Contains(f.LastError, "HTTP 429") || !strings.Contains(f.LastError, "retry after 1h0m0s") || f.Failures != 1 {
		t.Errorf("429: %+v", f)
	}
	// Nothing is polled before its time.
	e.clk.Add(59 * time.Minute)
	before := srv.total()
	if st := e.poll(t); st.Feeds != 0 || srv.total() != before {
		t.Errorf("polled too early: %+v", st)
	}
}

func TestSlowServer(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true, Timeout: 300 * time.Millisecond})
	release := make(chan struct{})
	defer close(release)
	srv.mux.HandleFunc("/slow-headers", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	srv.mux.HandleFunc("/slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title>`)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	e.add(t, srv.URL+"/slow-headers")
	e.add(t, srv.URL+"/slow-body")
	start := time.Now()
	st := e.poll(t)
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("poll took %v with a 300ms timeout", el)
	}
	if st.Failed != 2 {
		t.Errorf("stats = %+v", st)
	}
	if f := e.feed(t, srv.URL+"/slow-headers"); f.LastError != "no answer within 300ms" {
		t.Errorf("slow headers: %q", f.LastError)
	}
	if f := e.feed(t, srv.URL+"/slow-body"); f.LastError != "no complete answer within 300ms" {
		t.Errorf("slow body: %q", f.LastError)
	}
}

func TestHugeFeed(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true, MaxFeedBytes: 256 << 10})
	var written atomic.Int64
	done := make(chan struct{})
	srv.mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Endless</title>`)
		chunk := []byte(strings.Repeat(`<item><title>More and more</title><description>Filler text that never ends.</description></item>`, 100))
		for i := 0; i < 1<<20; i++ { // about 10 GB: the client must stop first
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	e.add(t, srv.URL+"/endless")
	st := e.poll(t)
	if st.Failed != 1 {
		t.Fatalf("stats = %+v", st)
	}
	if f := e.feed(t, srv.URL+"/endless"); f.LastError != "feed response too large: larger than 256 KiB" {
		t.Errorf("error = %q", f.LastError)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the server is still streaming: the client did not hang up")
	}
	if n := written.Load(); n > 16<<20 {
		t.Errorf("server wrote %d bytes before the client hung up", n)
	}
}

func TestRedirects(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	srv.mux.Handle("/loop-a", http.RedirectHandler("/loop-b", http.StatusFound))
	srv.mux.Handle("/loop-b", http.RedirectHandler("/loop-a", http.StatusMovedPermanently))
	for i := 0; i < 8; i++ {
		srv.mux.Handle(fmt.Sprintf("/chain%d", i), http.RedirectHandler(fmt.Sprintf("/chain%d", i+1), http.StatusTemporaryRedirect))
	}
	srv.mux.Handle("/short", http.RedirectHandler("/feeds/real.xml", http.StatusMovedPermanently))
	srv.serve("/feeds/real.xml", "application/rss+xml", rssFeed("Real", srv.URL, ""))
	srv.mux.Handle("/to-ftp", http.RedirectHandler("ftp://files.example/feed", http.StatusFound))
	for _, p := range []string{"/loop-a", "/chain0", "/short", "/to-ftp"} {
		e.add(t, srv.URL+p)
	}
	e.poll(t)
	if f := e.feed(t, srv.URL+"/loop-a"); !strings.HasPrefix(f.LastError, "redirect loop at ") {
		t.Errorf("loop: %q", f.LastError)
	}
	if srv.count("/loop-a") != 1 || srv.count("/loop-b") != 1 {
		t.Errorf("loop requests: a %d, b %d", srv.count("/loop-a"), srv.count("/loop-b"))
	}
	if f := e.feed(t, srv.URL+"/chain0"); f.LastError != "more than 5 redirects" || srv.count("/chain6") != 0 {
		t.Errorf("chain: %q, /chain6 fetched %d times", f.LastError, srv.count("/chain6"))
	}
	if f := e.feed(t, srv.URL+"/short"); f.LastError != "" || f.Title != "Real" {
		t.Errorf("one redirect: %+v", f)
	}
	if f := e.feed(t, srv.URL+"/to-ftp"); !strings.Contains(f.LastError, "only http and https") {
		t.Errorf("redirect to ftp: %q", f.LastError)
	}
}

func TestLegacyCharsets(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	encode := func(s string) string {
		b, err := charmap.Windows1252.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// One page says its charset in the header, the other only in <meta>
	// (as ISO-8859-1, which browsers read as windows-1252).
	page := articlePage("Le Courrier", "Parking rules hurt lunch trade, café says", "", cafeParas)
	srv.serve("/header", "text/html; charset=windows-1252", encode(page))
	srv.serve("/meta", "text/html", encode(strings.Replace(page, "<head>", `<head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">`, 1)))
	srv.serve("/feed", "application/rss+xml", rssFeed("Le Courrier", srv.URL, "",
		item{Title: "Parking rules hurt lunch trade, café says", Link: srv.URL + "/header", GUID: "1", Date: "Mon, 02 Mar 2026 10:00:00 +0000"},
		item{Title: "Parking rules: the café’s side", Link: srv.URL + "/meta", GUID: "2", Date: "Tue, 03 Mar 2026 10:00:00 +0000"},
	))
	e.add(t, srv.URL+"/feed")
	if st := e.poll(t); st.New != 2 || st.Fallbacks != 0 {
		t.Fatalf("stats = %+v\n%s", st, e.log)
	}
	want := strings.Join(cafeParas, "\n\n")
	for _, a := range e.articles(t) {
		if a.Body != want {
			t.Errorf("%s: body =\n%s\nwant\n%s", a.URL, a.Body, want)
		}
		claims, _ := e.st.Claims(e.ctx, a.ID)
		ok := false
		for _, c := range claims {
			if c.Kind == briefing.Direct && c.Verbatim && strings.Contains(a.Body[c.Start:c.End], "circle the block") {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s: the curly-quoted quote was not found: %+v", a.URL, claims)
		}
	}
}

func TestPageFailsFallback(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	desc := "<p>" + esc(ferryParas[0]) + "</p><p>" + esc(ferryParas[1]) + "</p><script>alert('x')</script>"
	srv.mux.HandleFunc("/ferry", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", http.StatusInternalServerError) })
	srv.serve("/brochure.pdf", "application/pdf", "%PDF-1.4 not really")
	srv.serve("/feed", "application/rss+xml", rssFeed("Harbour Notes", srv.URL, "",
		item{Title: "Ferry to stop for engine work", Link: srv.URL + "/ferry", GUID: "ferry", Date: "Mon, 02 Mar 2026 10:00:00 +0000", Desc: desc},
		item{Title: "Ferry brochure", Link: srv.URL + "/brochure.pdf", GUID: "pdf", Date: "Tue, 03 Mar 2026 10:00:00 +0000", Desc: "A brochure about the ferry timetable, which Priya Lomax said would be posted at both piers."},
		item{Title: "Nothing at all", Link: srv.URL + "/ferry?x=1", GUID: "empty", Date: "Wed, 04 Mar 2026 10:00:00 +0000"},
	))
	e.add(t, srv.URL+"/feed")
	st := e.poll(t)
	if st.New != 2 || st.Fallbacks != 2 || st.Skipped != 1 || st.Failed != 0 {
		t.Fatalf("stats = %+v", st)
	}
	arts := e.articles(t)
	ferry := arts[0]
	if want := ferryParas[0] + "\n\n" + ferryParas[1]; ferry.Body != want {
		t.Errorf("fallback body =\n%q\nwant\n%q", ferry.Body, want)
	}
	// The feed's own text is credited to the feed's host, not its title;
	// its link is on the feed's own site, so it stays the story's address.
	if ferry.URL != srv.URL+"/ferry" || ferry.Title != "Ferry to stop for engine work" || ferry.Source != "summary from feed 127.0.0.1" {
		t.Errorf("fallback article = %q %q %q", ferry.URL, ferry.Title, ferry.Source)
	}
	o, err := e.st.FeedItemByArticle(e.ctx, ferry.ID)
	if err != nil || o.Fallback != "page not usable: HTTP 500 Internal Server Error" {
		t.Errorf("Origin = %+v, %v", o, err)
	}
	if o, _ := e.st.FeedItemByArticle(e.ctx, arts[1].ID); o.Fallback != "page not usable: the page is application/pdf, not HTML" {
		t.Errorf("pdf fallback = %q", o.Fallback)
	}
	if f := e.feed(t, srv.URL+"/feed"); f.Items != 2 || f.Fallbacks != 2 {
		t.Errorf("feed state = %+v", f)
	}
	log := e.log.String()
	if !strings.Contains(log, "briefed from the feed's own text") || !strings.Contains(log, "feed item skipped") {
		t.Errorf("log does not say so:\n%s", log)
	}
	// The skipped item is not retried.
	before := srv.count("/ferry")
	e.pollDue(t)
	if srv.count("/ferry") != before {
		t.Error("a recorded item was fetched again")
	}
}

func TestSameStoryOnce(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	story := articlePage("Millbrook Ledger", "Library to stay open late", `<link rel="canonical" href="`+srv.URL+`/news/library">`, libraryParas)
	srv.serve("/news/library", "text/html", story)
	srv.serve("/amp/library", "text/html", story) // says its canonical is /news/library
	srv.serve("/print/library", "text/html", strings.Replace(story, srv.URL+"/news/library", "https://elsewhere.example/news/library", 1))
	srv.serve("/feed1", "application/rss+xml", rssFeed("Ledger", srv.URL, "",
		item{Title: "Library to stay open late", Link: srv.URL + "/news/library?utm_source=rss&utm_campaign=winter", GUID: "a", Date: "Mon, 02 Mar 2026 10:00:00 +0000"},
		item{Title: "Library to stay open late", Link: srv.URL + "/news/library?fbclid=XYZ&mc_cid=1#comments", GUID: "b", Date: "Mon, 02 Mar 2026 11:00:00 +0000"},
	))
	srv.serve("/feed2", "application/rss+xml", rssFeed("Ledger mobile", srv.URL, "",
		item{Title: "Library to stay open late (AMP)", Link: srv.URL + "/amp/library", GUID: "amp-1", Date: "Mon, 02 Mar 2026 12:00:00 +0000"},
		item{Title: "Library to stay open late", Link: "HTTP://" + strings.ToUpper(strings.TrimPrefix(srv.URL, "http://")) + "/news/library?gclid=1", GUID: "upper", Date: "Mon, 02 Mar 2026 13:00:00 +0000"},
	))
	e.add(t, srv.URL+"/feed1")
	e.add(t, srv.URL+"/feed2")
	st := e.poll(t)
	if st.New != 1 || st.Duplicates != 3 {
		t.Errorf("stats = %+v", st)
	}
	arts := e.articles(t)
	if len(arts) != 1 || arts[0].URL != srv.URL+"/news/library" {
		t.Fatalf("articles: %d, first %q", len(arts), arts[0].URL)
	}
	if n := srv.count("/news/library"); n != 1 {
		t.Errorf("the story's page was fetched %d times", n)
	}
	// Both feeds list it; removing one keeps it active.
	if f := e.feed(t, srv.URL+"/feed2"); f.Items != 2 {
		t.Errorf("feed2 items = %d", f.Items)
	}
	if err := e.m.Remove(e.ctx, srv.URL+"/feed1", store.Global); err != nil {
		t.Fatal(err)
	}
	if len(e.articles(t)) != 1 {
		t.Error("the story was deactivated though feed2 carries it")
	}
	if err := e.m.Remove(e.ctx, srv.URL+"/feed2", store.Global); err != nil {
		t.Fatal(err)
	}
	if len(e.articles(t)) != 0 {
		t.Error("the story is still active after both feeds were removed")
	}
	if err := e.m.Remove(e.ctx, srv.URL+"/feed2", store.Global); !errors.Is(err, fs.ErrNotExist) || err.Error() != srv.URL+"/feed2 is not a followed feed" {
		t.Errorf("Remove twice = %v", err)
	}

	// A canonical link to another site is not believed.
	e.add(t, srv.URL+"/feed3")
	srv.serve("/feed3", "application/rss+xml", rssFeed("Print", srv.URL, "",
		item{Title: "Library (print)", Link: srv.URL + "/print/library", GUID: "p"}))
	e.poll(t)
	var urls []string
	for _, a := range e.articles(t) {
		urls = append(urls, a.URL)
	}
	if len(urls) != 1 || urls[0] != srv.URL+"/print/library" {
		t.Errorf("print article URLs = %v", urls)
	}
}

func TestSameContentNewGUID(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	// An item without a link, re-published under a new GUID: only the
	// content hash (the article ID) tells it is the same story.
	it := item{Title: "Ferry to stop", GUID: "v1", Date: "Mon, 02 Mar 2026 10:00:00 +0000", Desc: strings.Join(ferryParas, " ")}
	var version atomic.Int32
	srv.mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		x := it
		if version.Load() > 0 {
			x.GUID = "v2"
		}
		fmt.Fprint(w, rssFeed("Harbour", srv.URL, "", x))
	})
	e.add(t, srv.URL+"/feed")
	if st := e.poll(t); st.New != 1 || st.Fallbacks != 1 {
		t.Fatalf("first poll = %+v", st)
	}
	version.Store(1)
	if st := e.pollDue(t); st.New != 0 || st.Duplicates != 1 {
		t.Errorf("second poll = %+v", st)
	}
	if n, _ := e.st.MaxSeq(e.ctx); n != 1 {
		t.Errorf("%d articles stored, want 1", n)
	}
}

func TestPauseAfterFailures(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true, MaxFailures: 3})
	var broken atomic.Bool
	broken.Store(true)
	srv.mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		if broken.Load() {
			http.Error(w, "broken", http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, rssFeed("Back", srv.URL, ""))
	})
	e.add(t, srv.URL+"/feed")
	var gaps []time.Duration
	for i := 0; i < 3; i++ {
		st := e.pollDue(t)
		if st.Failed != 1 {
			t.Fatalf("poll %d: %+v", i, st)
		}
		gaps = append(gaps, e.feed(t, srv.URL+"/feed").NextPoll.Sub(e.clk.Now()))
	}
	if gaps[0] < 12*time.Minute || gaps[0] > 18*time.Minute || gaps[1] < 24*time.Minute || gaps[1] > 36*time.Minute {
		t.Errorf("retries after %v, want about 15m then 30m", gaps)
	}
	f := e.feed(t, srv.URL+"/feed")
	if !f.Paused || f.Failures != 3 || !strings.Contains(f.PauseReason, "paused after 3 failed polls in a row") ||
		!strings.Contains(f.PauseReason, "HTTP 500") {
		t.Errorf("after 3 failures: %+v", f)
	}
	if n := strings.Count(e.log.String(), "feed paused"); n != 1 {
		t.Errorf("pause logged %d times:\n%s", n, e.log)
	}
	if !strings.Contains(e.log.String(), "level=WARN msg=\"feed paused") {
		t.Errorf("pause not logged at warn level:\n%s", e.log)
	}
	// A paused feed is not polled, however long we wait.
	before := srv.count("/feed")
	e.clk.Add(30 * 24 * time.Hour)
	if st := e.poll(t); st.Feeds != 0 || srv.count("/feed") != before {
		t.Errorf("paused feed polled: %+v", st)
	}
	if n := strings.Count(e.log.String(), "feed paused"); n != 1 {
		t.Errorf("pause logged %d times", n)
	}

	// Adding it again resumes it.
	broken.Store(false)
	if f := e.add(t, srv.URL+"/feed"); f.Paused || f.Failures != 0 {
		t.Errorf("re-added: %+v", f)
	}
	if st := e.poll(t); st.Feeds != 1 || st.Failed != 0 {
		t.Errorf("resumed poll: %+v", st)
	}
}

func TestBackoffGrows(t *testing.T) {
	e := newEnv(t, Config{PollInterval: 10 * time.Minute})
	for n, want := range map[int]time.Duration{1: 10 * time.Minute, 2: 20 * time.Minute, 4: 80 * time.Minute, 20: 24 * time.Hour} {
		for i := 0; i < 20; i++ {
			d := e.m.backoff(n)
			if d < want*8/10 || d > want*12/10 {
				t.Errorf("backoff(%d) = %v, want %v ± 20%%", n, d, want)
			}
		}
	}
}

func TestSpreadOverInterval(t *testing.T) {
	e := newEnv(t, Config{})
	slots := map[time.Duration]bool{}
	for i := 0; i < 50; i++ {
		u := fmt.Sprintf("https://news%d.example/feed", i)
		next := e.m.scheduleOK(u, t0, 0)
		if d := next.Sub(t0); d <= 15*time.Minute/2 || d > 15*time.Minute*3/2 {
			t.Errorf("%s: next poll in %v", u, d)
		}
		if again := e.m.scheduleOK(u, t0, 0); !again.Equal(next) {
			t.Errorf("%s: not stable", u)
		}
		slots[next.Sub(t0).Truncate(time.Minute)] = true
	}
	if len(slots) < 8 {
		t.Errorf("50 feeds fall in only %d distinct minutes", len(slots))
	}
}

func TestPerHostLimit(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true, Workers: 8})
	var cur, peak atomic.Int32
	srv.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		n := cur.Add(1)
		defer cur.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		if strings.HasPrefix(r.URL.Path, "/feed") {
			fmt.Fprint(w, rssFeed("F", srv.URL, "",
				item{Title: "Story", Link: srv.URL + "/story" + r.URL.Path, GUID: "g", Desc: libraryParas[0]}))
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, articlePage("S", "Story", "", append([]string{r.URL.Path}, libraryParas...)))
	})
	for i := 0; i < 8; i++ {
		e.add(t, fmt.Sprintf("%s/feed%d", srv.URL, i))
	}
	st := e.poll(t)
	if st.New != 8 || st.Requests != 16 {
		t.Errorf("stats = %+v", st)
	}
	if p := peak.Load(); p != 1 {
		t.Errorf("%d requests at once to one host, want 1", p)
	}
}

func TestPersistence(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	srv.serve("/feed", "application/rss+xml", rssFeed("Ledger", srv.URL, "",
		item{Title: "Library hours", Link: srv.URL + "/library", GUID: "1"}))
	srv.serve("/library", "text/html", articlePage("Ledger", "Library hours", "", libraryParas))
	e.add(t, srv.URL+"/feed")
	e.poll(t)
	// A second manager on the same store (a restart) knows the feed and
	// its items.
	m2 := New(Config{AllowPrivate: true}, e.st, nil)
	m2.now = func() time.Time { return t0.Add(time.Hour) }
	list, err := m2.List(e.ctx, store.Global)
	if err != nil || len(list) != 1 || list[0].Items != 1 || list[0].Title != "Ledger" {
		t.Fatalf("List after restart = %+v, %v", list, err)
	}
	st, err := m2.pollOnce(e.ctx)
	if err != nil || st.Feeds != 1 || st.PageRequests != 0 || st.New != 0 {
		t.Errorf("poll after restart = %+v, %v", st, err)
	}
}

func TestEnsureConfigured(t *testing.T) {
	e := newEnv(t, Config{})
	err := e.m.EnsureConfigured(e.ctx, []string{"https://news.example/feed.xml", " https://NEWS.example:443/feed.xml#top ", "ftp://x.example/", "http://10.0.0.8/rss", "https://other.example/atom"})
	if err == nil || !strings.Contains(err.Error(), `FEEDS: "ftp://x.example/": only http and https`) || !strings.Contains(err.Error(), "10.0.0.8 is a private address") {
		t.Errorf("error = %v", err)
	}
	list, _ := e.m.List(e.ctx, store.Global)
	if len(list) != 2 || list[0].URL != "https://news.example/feed.xml" || list[1].URL != "https://other.example/atom" {
		t.Fatalf("List = %+v", list)
	}
	for _, f := range list {
		if d := f.NextPoll.Sub(t0); d < 0 || d >= time.Minute {
			t.Errorf("%s: first poll in %v, want within a minute", f.URL, d)
		}
	}
	// A second start changes nothing.
	if err := e.m.EnsureConfigured(e.ctx, []string{"https://news.example/feed.xml"}); err != nil {
		t.Error(err)
	}
}

func TestRun(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	e.m.now = time.Now
	srv.serve("/feed", "application/rss+xml", rssFeed("Ledger", srv.URL, "",
		item{Title: "Library hours", Link: srv.URL + "/library", GUID: "1"}))
	srv.serve("/library", "text/html", articlePage("Ledger", "Library hours", "", libraryParas))
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan error, 1)
	go func() { done <- e.m.Run(ctx) }()
	e.add(t, srv.URL+"/feed")
	deadline := time.Now().Add(10 * time.Second)
	for len(e.articles(t)) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("Run did not poll the added feed")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
	if n := srv.count("/feed"); n != 1 {
		t.Errorf("feed fetched %d times", n)
	}
}

// TestAddAgainWhilePolled: a feed added again while it is being polled (a
// channel manager retrying a failing feed) is polled once more after that
// poll, whose own next poll (saved as it ends) must not swallow the request.
func TestAddAgainWhilePolled(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	e.m.now = time.Now
	entered, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	srv.mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			close(entered)
			<-release
		}
		http.Error(w, "down", http.StatusInternalServerError)
	})
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan error, 1)
	go func() { done <- e.m.Run(ctx) }()
	defer func() { cancel(); <-done }()
	e.add(t, srv.URL+"/flaky")
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not poll the added feed")
	}
	e.add(t, srv.URL+"/flaky") // again, while the first poll waits for its answer
	close(release)
	deadline := time.Now().Add(10 * time.Second)
	for calls.Load() < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the feed added again during a poll was not polled again (%d requests)\n%s", calls.Load(), e.log)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The second poll's outcome is saved after its request was answered.
	for st := e.feed(t, srv.URL+"/flaky"); st.Failures != 2; st = e.feed(t, srv.URL+"/flaky") {
		if time.Now().After(deadline) {
			t.Fatalf("failures = %d after two failed polls, want 2\n%s", st.Failures, e.log)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestJoinWhilePolled: a space that starts following a feed others follow,
// while the feed is being polled, does not make it polled again: a feed
// followed by several spaces is fetched once per interval.
func TestJoinWhilePolled(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	e.m.now = time.Now
	entered, release := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	srv.mux.HandleFunc("/shared", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			close(entered)
			<-release
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rssFeed("Ledger", srv.URL, ""))
	})
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan error, 1)
	go func() { done <- e.m.Run(ctx) }()
	defer func() { cancel(); <-done }()
	u := srv.URL + "/shared"
	if _, _, err := e.m.Add(e.ctx, u, store.FeedOwner{Space: "discord:1"}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not poll the added feed")
	}
	if _, joined, err := e.m.Add(e.ctx, u, store.FeedOwner{Space: "discord:2"}); err != nil || !joined {
		t.Fatalf("Add by a second space = %v, %v", joined, err)
	}
	close(release)
	deadline := time.Now().Add(10 * time.Second)
	for e.m.busy(u) || e.feedIn(t, "discord:2", u).LastFetch.IsZero() {
		if time.Now().After(deadline) {
			t.Fatal("the poll did not end")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if st := e.feedIn(t, "discord:2", u); !st.NextPoll.After(time.Now().Add(time.Minute)) {
		t.Errorf("after its poll the feed is due again at %v: a space joining it asked for another poll", st.NextPoll)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("fetched %d times, want once", n)
	}
}

func TestHugePage(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true, MaxArticleBytes: 64 << 10})
	var written atomic.Int64
	srv.mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html><body><article>")
		chunk := []byte(strings.Repeat("<p>The same paragraph again and again.</p>", 200))
		for i := 0; i < 1<<20; i++ {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	srv.serve("/feed", "application/rss+xml", rssFeed("Ledger", srv.URL, "",
		item{Title: "Library hours", Link: srv.URL + "/endless", GUID: "1", Desc: strings.Join(libraryParas, "\n")}))
	e.add(t, srv.URL+"/feed")
	if st := e.poll(t); st.New != 1 || st.Fallbacks != 1 {
		t.Fatalf("stats = %+v", st)
	}
	a := e.articles(t)[0]
	if o, _ := e.st.FeedItemByArticle(e.ctx, a.ID); o.Fallback != "page not usable: response too large: larger than 64 KiB" {
		t.Errorf("fallback = %q", o.Fallback)
	}
	if a.Body != strings.Join(libraryParas, "\n\n") {
		t.Errorf("body = %q", a.Body)
	}
	if n := written.Load(); n > 16<<20 {
		t.Errorf("server wrote %d bytes", n)
	}
}
