package feeds

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/store"
)

// The articles below are made up for these tests.

var libraryParas = []string{
	"The Millbrook town council voted on Tuesday to keep the public library open until nine o'clock every weeknight through the winter.",
	`"People have told us again and again that they need a warm, quiet place in the evenings," said Dana Whitfield, the council's chair.`,
	"According to the library's director, Omar Feld, the longer hours will cost about $40,000 a year, paid from an unused maintenance fund.",
	"Two council members voted against the plan, arguing that the money would be better spent on road repairs before the spring thaw.",
	"The new hours begin on the first of December and will be reviewed in April.",
}

var ferryParas = []string{
	"The harbour ferry between Eastpoint and Gull Island will stop running for three weeks in February while its engines are replaced, the transit authority said on Monday.",
	`"We know this is a hard time of year to lose the crossing," said Priya Lomax, a spokeswoman for the authority. "A shuttle bus will run every half hour instead."`,
	"Island residents said the bus route adds forty minutes to a trip that normally takes twelve.",
	"The repairs were first planned for last autumn but were put off because of a shortage of parts, according to an internal memo seen by the Gull Island Gazette.",
}

var cafeParas = []string{
	"Café owner Renée Dubois said the new parking rules on Rue Garnier had cut her lunch trade by about a third since they took effect in March.",
	"“Nobody wants to circle the block for twenty minutes to buy a sandwich,” Dubois told the Courier on Thursday.",
	"The city’s transport office said the rules would be reviewed in the spring, after a survey of shop owners along the street.",
	"Residents of the street have mostly welcomed the change, which has cut through-traffic by half, according to the office’s own counts.",
}

// item is a feed item for rssFeed and atomFeed.
type item struct {
	Title, Link, GUID, Date, Author, Desc, Content string
}

func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func rssFeed(title, link, extra string, items ...item) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>` + esc(title) + `</title><link>` + esc(link) + `</link><description>Test feed</description>` + extra + "\n")
	for _, it := range items {
		b.WriteString("<item><title>" + esc(it.Title) + "</title>")
		if it.Link != "" {
			b.WriteString("<link>" + esc(it.Link) + "</link>")
		}
		if it.GUID != "" {
			b.WriteString(`<guid isPermaLink="false">` + esc(it.GUID) + "</guid>")
		}
		if it.Date != "" {
			b.WriteString("<pubDate>" + it.Date + "</pubDate>")
		}
		if it.Author != "" {
			b.WriteString("<dc:creator>" + esc(it.Author) + "</dc:creator>")
		}
		if it.Desc != "" {
			b.WriteString("<description>" + esc(it.Desc) + "</description>")
		}
		if it.Content != "" {
			b.WriteString("<content:encoded>" + esc(it.Content) + "</content:encoded>")
		}
		b.WriteString("</item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return b.String()
}

func atomFeed(title, link string, items ...item) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>` + esc(title) + `</title>
<link href="` + esc(link) + `"/><id>urn:test:` + esc(title) + `</id><updated>2026-03-04T10:00:00Z</updated>` + "\n")
	for _, it := range items {
		b.WriteString("<entry><title>" + esc(it.Title) + "</title>")
		b.WriteString(`<link rel="alternate" href="` + esc(it.Link) + `"/>`)
		b.WriteString("<id>" + esc(it.GUID) + "</id>")
		b.WriteString("<updated>" + it.Date + "</updated><published>" + it.Date + "</published>")
		if it.Author != "" {
			b.WriteString("<author><name>" + esc(it.Author) + "</name></author>")
		}
		if it.Desc != "" {
			b.WriteString(`<summary type="html">` + esc(it.Desc) + "</summary>")
		}
		b.WriteString("</entry>\n")
	}
	b.WriteString("</feed>\n")
	return b.String()
}

// articlePage is an HTML page with navigation and a footer around the
// story; head is added to <head>.
func articlePage(site, title, head string, paras []string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><title>` + esc(title) + ` | ` + esc(site) + `</title>
<meta property="og:site_name" content="` + esc(site) + `">` + head + `
</head><body><header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>` + esc(title) + `</h1>`)
	for _, p := range paras {
		b.WriteString("<p>" + esc(p) + "</p>\n")
	}
	b.WriteString(`</article></main><footer><p>Copyright ` + esc(site) + `. All rights reserved.</p></footer></body></html>`)
	return b.String()
}

// server is an httptest server that counts requests by path and keeps
// their headers.
type server struct {
	*httptest.Server
	mux *http.ServeMux

	mu      sync.Mutex
	hits    map[string]int
	headers map[string][]http.Header
}

func newServer(t testing.TB) *server {
	s := &server{mux: http.NewServeMux(), hits: map[string]int{}, headers: map[string][]http.Header{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.headers[r.URL.Path] = append(s.headers[r.URL.Path], r.Header.Clone())
		s.mu.Unlock()
		s.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

func (s *server) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.hits {
		n += c
	}
	return n
}

func (s *server) lastHeader(path string) http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.headers[path]
	if len(h) == 0 {
		return nil
	}
	return h[len(h)-1]
}

// serve answers path with the body and content type.
func (s *server) serve(path, contentType, body string) {
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		fmt.Fprint(w, body)
	})
}

// env is a Manager on a fresh store with a fake clock and a log buffer.
type env struct {
	m   *Manager
	st  *store.Store
	clk *testutil.Clock
	log *testutil.Buffer
	ctx context.Context
}

func newEnv(t testing.TB, cfg Config) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "briefbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	log, lb := testutil.Logger(t)
	m := New(cfg, st, log)
	clk := testutil.NewClock(t0)
	m.now = clk.Now
	return &env{m: m, st: st, clk: clk, log: lb, ctx: ctx}
}

func (e *env) add(t testing.TB, u string) FeedState {
	t.Helper()
	fs, _, err := e.m.Add(e.ctx, u, store.FeedOwner{})
	if err != nil {
		t.Fatalf("Add(%s): %v", u, err)
	}
	return fs
}

func (e *env) poll(t testing.TB) pollStats {
	t.Helper()
	s, err := e.m.pollOnce(e.ctx)
	if err != nil {
		t.Fatalf("pollOnce: %v", err)
	}
	return s
}

// pollDue advances the clock past every feed's next poll, then polls.
func (e *env) pollDue(t testing.TB) pollStats {
	t.Helper()
	list, err := e.m.List(e.ctx, store.Global)
	if err != nil {
		t.Fatal(err)
	}
	latest := e.clk.Now()
	for _, f := range list {
		if !f.Paused && f.NextPoll.After(latest) {
			latest = f.NextPoll
		}
	}
	e.clk.Set(latest)
	return e.poll(t)
}

func (e *env) feed(t testing.TB, u string) FeedState {
	t.Helper()
	list, err := e.m.List(e.ctx, store.Global)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range list {
		if f.URL == u {
			return f
		}
	}
	t.Fatalf("feed %s not listed in %+v", u, list)
	return FeedState{}
}

// feedIn is the feed u as space lists it.
func (e *env) feedIn(t testing.TB, space, u string) FeedState {
	t.Helper()
	list, err := e.m.List(e.ctx, space)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range list {
		if f.URL == u {
			return f
		}
	}
	t.Fatalf("feed %s not listed in space %q: %+v", u, space, list)
	return FeedState{}
}

// busy reports whether the feed is being polled.
func (m *Manager) busy(u string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.inflight[u]
}

// articles returns the active articles, oldest first, with bodies.
func (e *env) articles(t testing.TB) []*store.StoredArticle {
	t.Helper()
	list, err := e.st.ActiveArticles(e.ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []*store.StoredArticle
	for i := len(list) - 1; i >= 0; i-- {
		a, err := e.st.Article(e.ctx, list[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}
