package feeds

import (
	"compress/gzip"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/briefbot/briefbot/briefing"
	"golang.org/x/text/encoding/charmap"
)

// words returns about n bytes of made-up sentences.
func words(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "Sentence %d of a very long report says the river rose again overnight. ", i)
	}
	return b.String()
}

// gzipped answers with the body compressed, as a server does when the
// client accepts gzip (Go's client then decompresses it on the fly).
func gzipped(contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write([]byte(body))
		zw.Close()
	}
}

// TestOversizedPages: a page is held to MaxArticleBytes as it streams,
// after decompression, and once converted to UTF-8; a refused page falls
// back to the item's text, with the reason recorded.
func TestOversizedPages(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true, MaxArticleBytes: 64 << 10})
	srv.serve("/big", "text/html", articlePage("Ledger", "Big", "", []string{words(100 << 10)}))
	srv.mux.HandleFunc("/bomb", gzipped("text/html", articlePage("Ledger", "Bomb", "", []string{words(8 << 20)})))
	// 40 KiB in windows-1252, about 100 KiB in UTF-8.
	latin, err := charmap.Windows1252.NewEncoder().String(articlePage("Ledger", "Latin", "",
		[]string{strings.Repeat("“é” ", 10000)}))
	if err != nil {
		t.Fatal(err)
	}
	if len(latin) > 48<<10 {
		t.Fatalf("the windows-1252 page is %d bytes, want it under the limit", len(latin))
	}
	srv.serve("/latin", "text/html; charset=windows-1252", latin)
	srv.mux.HandleFunc("/small", gzipped("text/html", articlePage("Ledger", "Library hours", "", libraryParas)))
	summary := "A short summary of the story, which the ledger's editor said was all the feed would carry."
	srv.serve("/feed", "application/rss+xml", rssFeed("Ledger", srv.URL, "",
		item{Title: "Big", Link: srv.URL + "/big", GUID: "1", Date: "Mon, 02 Mar 2026 10:00:00 +0000", Desc: summary},
		item{Title: "Bomb", Link: srv.URL + "/bomb", GUID: "2", Date: "Mon, 02 Mar 2026 11:00:00 +0000", Desc: summary + " Bomb."},
		item{Title: "Latin", Link: srv.URL + "/latin", GUID: "3", Date: "Mon, 02 Mar 2026 12:00:00 +0000", Desc: summary + " Latin."},
		item{Title: "Library hours", Link: srv.URL + "/small", GUID: "4", Date: "Mon, 02 Mar 2026 13:00:00 +0000", Desc: summary + " Small."},
	))
	e.add(t, srv.URL+"/feed")
	if st := e.poll(t); st.New != 4 || st.Fallbacks != 3 {
		t.Fatalf("stats = %+v\n%s", st, e.log)
	}
	want := map[string]string{
		"Big":           "page not usable: response too large: larger than 64 KiB",
		"Bomb":          "page not usable: response too large: larger than 64 KiB",
		"Latin":         "page not usable: response too large: larger than 64 KiB once converted to UTF-8",
		"Library hours": "",
	}
	for _, a := range e.articles(t) {
		o, err := e.st.FeedItemByArticle(e.ctx, a.ID)
		if err != nil || o.Fallback != want[a.Title] {
			t.Errorf("%s: fallback %q, %v; want %q", a.Title, o.Fallback, err, want[a.Title])
		}
		if len(a.Body) > 64<<10 {
			t.Errorf("%s: a body of %d bytes was stored", a.Title, len(a.Body))
		}
	}
	if !strings.Contains(e.log.String(), "larger than 64 KiB once converted to UTF-8") {
		t.Errorf("the reason is not logged:\n%s", e.log)
	}
}

// TestOversizedItems: an item's own text over MaxArticleBytes is not
// briefed (the item is skipped with the reason when its page fails too,
// and its description is used when only its content is too large); nor is
// a title of a megabyte.
func TestOversizedItems(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true, MaxArticleBytes: 64 << 10})
	srv.mux.HandleFunc("/gone/", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	srv.serve("/library", "text/html", articlePage("Ledger", "Library hours", "", libraryParas))
	huge := words(200 << 10)
	srv.serve("/feed", "application/rss+xml", rssFeed("Ledger", srv.URL, "",
		item{Title: "Huge", Link: srv.URL + "/gone/1", GUID: "1", Date: "Mon, 02 Mar 2026 10:00:00 +0000", Desc: huge},
		item{Title: "Huge content", Link: srv.URL + "/gone/2", GUID: "2", Date: "Mon, 02 Mar 2026 11:00:00 +0000",
			Content: huge, Desc: strings.Join(ferryParas, " ")},
		item{Title: words(100 << 10), Link: srv.URL + "/library", GUID: "3", Date: "Mon, 02 Mar 2026 12:00:00 +0000", Content: huge},
	))
	e.add(t, srv.URL+"/feed")
	st := e.poll(t)
	if st.New != 2 || st.Skipped != 1 || st.Fallbacks != 1 {
		t.Fatalf("stats = %+v\n%s", st, e.log)
	}
	if !strings.Contains(e.log.String(), "page not usable: HTTP 404 Not Found, and the item's text is larger than 64 KiB") {
		t.Errorf("the skip is not explained:\n%s", e.log)
	}
	arts := e.articles(t)
	if len(arts) != 2 {
		t.Fatalf("%d articles", len(arts))
	}
	if a := arts[0]; a.Title != "Huge content" || a.Body != strings.Join(ferryParas, " ") {
		t.Errorf("content too large: %q, body %.80q", a.Title, a.Body)
	}
	if a := arts[1]; len(a.Title) > maxTitleBytes || !strings.HasPrefix(a.Body, libraryParas[0]) {
		t.Errorf("huge title: %d bytes, body %.80q", len(a.Title), a.Body)
	}
}

// TestHugeGzipFeed: the feed cap counts the bytes after decompression.
func TestHugeGzipFeed(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true, MaxFeedBytes: 256 << 10})
	items := make([]item, 20000)
	for i := range items {
		items[i] = item{Title: "Again", GUID: fmt.Sprint(i), Desc: "The same summary, many times over."}
	}
	srv.mux.HandleFunc("/feed", gzipped("application/rss+xml", rssFeed("Bomb", srv.URL, "", items...)))
	e.add(t, srv.URL+"/feed")
	if st := e.poll(t); st.Failed != 1 {
		t.Fatalf("stats = %+v", st)
	}
	if f := e.feed(t, srv.URL+"/feed"); f.LastError != "feed response too large: larger than 256 KiB" {
		t.Errorf("error = %q", f.LastError)
	}
}

// TestParsersBound: however many feeds are polled at once, at most
// Config.Parsers articles are analysed at the same time.
func TestParsersBound(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true, Workers: 8, Parsers: 2})
	at := namedHosts(e, srv)
	var cur, peak atomic.Int32
	var mu sync.Mutex
	e.m.analyze = func(a *briefing.Article, o briefing.Options) *briefing.Analysis {
		n := cur.Add(1)
		defer cur.Add(-1)
		mu.Lock()
		peak.Store(max(peak.Load(), n))
		mu.Unlock()
		for range 20 { // long enough for the others to pile up
			briefing.Analyze(a, o)
		}
		return briefing.Analyze(a, o)
	}
	srv.mux.HandleFunc("/story/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, articlePage("Ledger", "Story "+r.Host, "", append([]string{"Story from " + r.Host + "."}, libraryParas...)))
	})
	srv.mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, rssFeed("Ledger", "http://"+r.Host, "", item{Title: "Story", Link: "http://" + r.Host + "/story/1", GUID: "1"}))
	})
	for i := range 8 {
		e.add(t, at(fmt.Sprintf("news%d.example", i), "/feed"))
	}
	if st := e.poll(t); st.New != 8 {
		t.Fatalf("stats = %+v", st)
	}
	if p := peak.Load(); p > 2 || p < 1 {
		t.Errorf("%d articles analysed at once, want at most 2", p)
	}
}
