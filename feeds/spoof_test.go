package feeds

import (
	"context"
	"net/http"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/briefbot/briefbot/briefing"
)

// namedHosts makes every host name resolve to srv's listener, so that
// one test server can stand for several sites: the URL of path on host is
// host(name, path).
func namedHosts(e *env, srv *server) func(name, path string) string {
	port := srv.URL[strings.LastIndexByte(srv.URL, ':')+1:]
	e.m.guard.lookup = func(context.Context, string) ([]netip.Addr, error) {
		return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
	}
	return func(name, path string) string { return "http://" + name + ":" + port + path }
}

// TestSpoofedOutlet replays the attack seen: a feed titled "Reuters"
// publishes made-up text with a link to a reuters address whose page
// cannot be fetched at that moment. Its text must be credited to the
// feed's own host and marked as the feed's summary, its link must not be
// shown as the story's address, and the real Reuters feed's item for that
// address must still be fetched and briefed rather than refused as
// "already briefed".
func TestSpoofedOutlet(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	at := namedHosts(e, srv)
	story := at("www.reuters.example", "/world/ferry-halted")
	var published atomic.Bool
	srv.mux.HandleFunc("/world/ferry-halted", func(w http.ResponseWriter, r *http.Request) {
		if !published.Load() {
			http.Error(w, "not yet", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(articlePage("Reuters", "Ferry to stop for engine work", "", ferryParas)))
	})
	made := "The ferry company admitted on Monday that its boats were unsafe and would never sail again, a spokeswoman said."
	srv.serve("/spoof.xml", "application/rss+xml", rssFeed("Reuters", at("feeds.spoof.example", "/"), "",
		item{Title: "Ferry company admits its boats are unsafe", Link: story, GUID: "s1", Date: "Mon, 02 Mar 2026 10:00:00 +0000", Desc: made}))
	srv.serve("/world.xml", "application/rss+xml", rssFeed("Reuters World", at("www.reuters.example", "/"), "",
		item{Title: "Ferry to stop for engine work", Link: story, GUID: "r1", Date: "Mon, 02 Mar 2026 11:00:00 +0000", Desc: "Three weeks without the crossing."}))

	spoofFeed := at("feeds.spoof.example", "/spoof.xml")
	e.add(t, spoofFeed)
	if st := e.poll(t); st.New != 1 || st.Fallbacks != 1 {
		t.Fatalf("spoof poll = %+v\n%s", st, e.log)
	}
	arts := e.articles(t)
	spoof := arts[0]
	if spoof.Source != "summary from feed feeds.spoof.example" {
		t.Errorf("the feed's text is credited to %q, want the feed's own host, marked as its summary", spoof.Source)
	}
	if spoof.URL != "" || strings.Contains(spoof.Name, "reuters") {
		t.Errorf("the unverified link is shown as the story's address: URL %q, name %q", spoof.URL, spoof.Name)
	}
	if o, err := e.st.FeedItemByArticle(e.ctx, spoof.ID); err != nil || o.Link != story || o.URL != "" || o.Fallback == "" {
		t.Errorf("Origin = %+v, %v: want the item's link kept as its link, no canonical URL, and the fallback reason", o, err)
	}

	// The real outlet publishes the page and its own feed lists it.
	published.Store(true)
	e.add(t, at("feeds.reuters.example", "/world.xml"))
	st := e.poll(t)
	if st.New != 1 || st.Duplicates != 0 || st.Fallbacks != 0 {
		t.Fatalf("real poll = %+v: the real story was refused\n%s", st, e.log)
	}
	var real *struct{ source, url, body string }
	for _, a := range e.articles(t) {
		if a.ID != spoof.ID {
			real = &struct{ source, url, body string }{a.Source, a.URL, a.Body}
		}
	}
	if real == nil || real.source != "Reuters" || real.url != story || !strings.Contains(real.body, "Priya Lomax") {
		t.Errorf("real article = %+v", real)
	}
	if n := len(e.articles(t)); n != 2 {
		t.Errorf("%d active articles, want the summary and the real story", n)
	}
}

// TestSpoofedPage: a page fetched from one site may not claim another
// site's address as its canonical URL, and a feed's title names the outlet
// only of pages on the feed's own site.
func TestSpoofedPage(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	at := namedHosts(e, srv)
	story := at("www.reuters.example", "/world/ferry-halted")
	srv.serve("/world/ferry-halted", "text/html", articlePage("Reuters", "Ferry to stop for engine work", "", ferryParas))
	// A copy on another site, whose canonical link claims the real one.
	srv.serve("/copy", "text/html", articlePage("Reuters", "Ferry to stop for engine work",
		`<link rel="canonical" href="`+story+`">`, ferryParas[:3]))
	// A page that names no outlet, on a site that is not the feed's.
	srv.serve("/post", "text/html", strings.Replace(articlePage("", "Library hours", "", libraryParas),
		`<meta property="og:site_name" content="">`, "", 1))
	srv.serve("/spoof.xml", "application/rss+xml", rssFeed("Reuters", at("feeds.spoof.example", "/"), "",
		item{Title: "Ferry to stop", Link: at("copies.spoof.example", "/copy"), GUID: "c1", Date: "Mon, 02 Mar 2026 09:00:00 +0000"},
		item{Title: "Library hours", Link: at("blog.other.example", "/post"), GUID: "c2", Date: "Mon, 02 Mar 2026 09:30:00 +0000"}))
	srv.serve("/world.xml", "application/rss+xml", rssFeed("Reuters World", at("www.reuters.example", "/"), "",
		item{Title: "Ferry to stop for engine work", Link: story, GUID: "r1", Date: "Mon, 02 Mar 2026 11:00:00 +0000"}))

	e.add(t, at("feeds.spoof.example", "/spoof.xml"))
	if st := e.poll(t); st.New != 2 || st.Fallbacks != 0 {
		t.Fatalf("spoof poll = %+v\n%s", st, e.log)
	}
	byURL := map[string]string{}
	for _, a := range e.articles(t) {
		byURL[a.URL] = a.Source
	}
	if _, ok := byURL[at("copies.spoof.example", "/copy")]; !ok {
		t.Errorf("the copy took another site's canonical URL: %v", byURL)
	}
	if src := byURL[at("blog.other.example", "/post")]; src != "blog.other.example" {
		t.Errorf("a page of another site is credited to %q, want its host", src)
	}
	e.add(t, at("feeds.reuters.example", "/world.xml"))
	if st := e.poll(t); st.New != 1 || st.Duplicates != 0 {
		t.Errorf("real poll = %+v: the real story was refused\n%s", st, e.log)
	}
}

// TestFeedTextHasNoInvisibleCharacters: a feed's title, author and text
// reach the store without bidi overrides or zero-width characters, as
// seed files do, so speaker names and headlines built from them cannot be
// disguised.
func TestFeedTextHasNoInvisibleCharacters(t *testing.T) {
	srv := newServer(t)
	e := newEnv(t, Config{AllowPrivate: true})
	srv.serve("/f.xml", "application/rss+xml", rssFeed("Gull\u202eIsland Gazette", srv.URL+"/", "",
		item{Title: "Ferry\u200b to stop \u2066for\u2069 engine work", GUID: "g1", Date: "Mon, 02 Mar 2026 10:00:00 +0000",
			Author: "Priya\u200d\u200d Lomax", Desc: strings.Join(ferryParas, "\n\n") + "\u202e"}))
	e.add(t, srv.URL+"/f.xml")
	if st := e.poll(t); st.New != 1 {
		t.Fatalf("poll = %+v\n%s", st, e.log)
	}
	for _, a := range e.articles(t) {
		for field, v := range map[string]string{"title": a.Title, "source": a.Source, "author": a.Author, "body": a.Body} {
			if v != briefing.StripInvisible(v) {
				t.Errorf("%s keeps invisible characters: %q", field, v)
			}
		}
	}
}
