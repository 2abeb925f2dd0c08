package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/testutil"
)

// A test article, written for this test, served as a web page.
const ferryPage = `<!doctype html>
<html><head>
<title>Island ferry fares to rise in spring | Harbor Gazette</title>
<meta property="og:title" content="Island ferry fares to rise in spring">
<meta property="og:site_name" content="Harbor Gazette">
<meta property="article:published_time" content="2026-11-25T09:00:00Z">
<meta name="author" content="Lena Brandt">
</head><body>
<nav><a href="/">Home</a> <a href="/sports">Sports</a></nav>
<article>
<h1>Island ferry fares to rise in spring</h1>
<p>Round-trip fares on the ferry to Gull Island will rise by 15 percent in March, the county transit board decided on Wednesday.</p>
<p>"Fuel has doubled in price in two years, and the boats are older than most of our riders," said Tomas Alvik, the board's chair. "We held the fares as long as we could."</p>
<p>Island residents will keep their discount, Alvik said, and students will ride free on weekday mornings.</p>
<p>The Gull Island Residents Association said in a statement that the increase would hurt families who commute to the mainland for work.</p>
<p>According to the board's budget, the ferry lost $3.2 million last year.</p>
</article>
<footer>Copyright Harbor Gazette</footer>
</body></html>`

func feedServer(t *testing.T) *httptest.Server {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprintf(w, `<?xml version="1.0"?>
<rss version="2.0"><channel>
<title>Harbor Gazette</title><link>%[1]s/</link><description>Local news</description>
<item><title>Island ferry fares to rise in spring</title>
<link>%[1]s/news/ferry-fares?utm_source=rss</link>
<guid>ferry-fares-2026</guid>
<pubDate>Wed, 25 Nov 2026 09:00:00 GMT</pubDate>
<description>Ferry fares will rise by 15 percent.</description></item>
</channel></rss>`, srv.URL)
		case "/news/ferry-fares":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, ferryPage)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// With FEEDS pointing at a feed, the bot briefs the linked article with its
// outlet, link and date, and answers questions and source lookups from it.
func TestEndToEndFeeds(t *testing.T) {
	srv := feedServer(t)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "seeds"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := testutil.Start(t, "briefbot", botCmd(t, dir, "FEEDS="+srv.URL+"/feed.xml", "FEEDS_ALLOW_PRIVATE=true", "FEEDS_POLL_INTERVAL=1s", "BRIEFING_ON_START=false"))
	// Ask for the briefing until the feed's article has arrived.
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(p.Stdout.String(), "Island ferry fares to rise in spring\n") {
		if time.Now().After(deadline) {
			t.Fatalf("the feed's article never arrived:\n%s", p.Stdout)
		}
		fmt.Fprintln(p.Input(), "/briefing ferry")
		time.Sleep(300 * time.Millisecond)
	}
	fmt.Fprintln(p.Input(), "/ask what did Tomas Alvik say about fuel?")
	fmt.Fprintln(p.Input(), "/source 1")
	fmt.Fprintln(p.Input(), "/feeds list")
	p.CloseInput()
	if err := p.Wait(t, 20*time.Second); err != nil {
		t.Fatalf("exit: %v", err)
	}
	got := p.Stdout.String()
	if testing.Verbose() {
		t.Logf("console output:\n%s", got)
	}
	for _, want := range []string{
		"Harbor Gazette · 2026-11-25 · " + srv.URL + "/news/ferry-fares", // outlet, date, canonical link
		"Tomas Alvik",
		"Fuel has doubled in price in two years", // the answer cites the quote
		"I follow 1 feed",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "utm_source") {
		t.Errorf("tracking parameters kept in a link:\n%s", got)
	}
}
