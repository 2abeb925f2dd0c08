package main

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// The end-to-end tests of spaces (e2e_spaces_discord_test.go,
// e2e_spaces_slack_test.go) read their feeds from a news site on
// 127.0.0.1 whose feeds and stories a test changes as it goes, and which
// counts the fetches of each feed. The stories are written for these
// tests.

// siteStory is a story of the site: a page, and an item of a feed.
type siteStory struct {
	slug, title string
	paragraphs  []string
	published   time.Time
}

var (
	lighthouseStory = siteStory{slug: "lighthouse", title: "Cape Morrow lighthouse to reopen as a museum", paragraphs: []string{
		"The Cape Morrow lighthouse will reopen to visitors in June as a maritime museum, the Morrow Heritage Trust said on Tuesday.",
		`"The lamp room will stay exactly as the last keeper left it," said Edda Lindqvist, the trust's director. "Visitors will climb the same 112 steps."`,
		"The trust raised $1.4 million for the restoration, according to its annual report.",
	}}
	orchestraStory = siteStory{slug: "orchestra", title: "Valley Symphony cancels its winter season", paragraphs: []string{
		"The Valley Symphony has cancelled its winter season after losing its rehearsal hall, the orchestra announced on Monday.",
		`"We could not find a stage large enough for ninety players," said Marco Ferrante, the orchestra's music director. "The musicians are heartbroken."`,
		"Ticket holders will be refunded by the end of the month, according to the orchestra.",
	}}
	railStory = siteStory{slug: "rail-strike", title: "Regional rail strike called off after overnight talks", paragraphs: []string{
		"A strike that would have halted regional trains on Friday was called off after overnight talks, the rail union said on Thursday.",
		`"Our members won a fair schedule and will be back at work," said Priya Nair, the union's general secretary.`,
		"The operator said every train would run as timetabled.",
	}}
	flakyStory = siteStory{slug: "flaky", title: "Dunmore market hall gets a new roof", paragraphs: []string{
		"Dunmore's covered market hall will get a new roof this summer, the town council said on Wednesday.",
		`"The old one has leaked over the fish stalls for a decade," said Councillor Ada Brenner.`,
	}}
)

// heatPumpLater are the events of heatPumpStory after the first: each its
// own event, in its own town (stories group the articles of one event, so
// retellings of one article would make one story).
var heatPumpLater = []struct{ title, lead, speaker string }{
	{"Kellsby school swaps its old boiler", "Kellsby primary school replaced its oil boiler over the holidays, the headteacher said on Monday.", "headteacher Moira Quill"},
	{"Orrin Falls library wins energy award", "The Orrin Falls library won a regional award for halving its energy use, the county said on Tuesday.", "librarian Felix Adeyemi"},
	{"Westmarch hospital trims winter bills", "Westmarch hospital expects lower bills this winter after refitting two wards, its managers said.", "estates manager Carla Voss"},
	{"Lowbridge swimming pool reopens warmer", "The Lowbridge swimming pool reopened on Saturday with warmer water and a new roof, staff said.", "pool manager Tariq Bello"},
	{"Fennick brewery cuts its gas use", "A brewery in Fennick halved its gas use this autumn, its owners said on Thursday.", "brewer Ines Marlow"},
}

// heatPumpStory is the n-th story of a series about heat pumps (n from 1
// to 6), each its own event; with football, about a football club
// instead.
func heatPumpStory(n int, football bool) siteStory {
	s := siteStory{slug: fmt.Sprintf("grants-%d", n), title: fmt.Sprintf("Dunmore opens heat pump grant round %d", n), paragraphs: []string{
		fmt.Sprintf("Dunmore council opened round %d of its heat pump grants on Monday, offering up to $%d,000 to each household.", n, 3+n),
		fmt.Sprintf(`"Round %d will reach streets the first rounds missed," said Councillor Ada Brenner, who leads the scheme.`, n),
		fmt.Sprintf("The council expects %d applications, according to its housing office.", 100*n),
	}}
	if n >= 2 && n-2 < len(heatPumpLater) && !football {
		e := heatPumpLater[n-2]
		s.title = e.title
		s.paragraphs = []string{e.lead,
			fmt.Sprintf(`"The new heat pump paid for itself sooner than we hoped," said %s.`, e.speaker)}
	}
	if football {
		s.slug, s.title = fmt.Sprintf("football-%d", n), fmt.Sprintf("Dunmore football club fits heat pump at stadium, round %d", n)
		s.paragraphs[0] = fmt.Sprintf("Dunmore's football club will heat its stadium with a heat pump from round %d of the league, the club said.", n)
	}
	return s
}

// site is the news site.
type site struct {
	t   *testing.T
	srv *httptest.Server

	mu      sync.Mutex
	feeds   map[string][]siteStory // by feed name, newest last
	stories map[string]siteStory   // by slug
	failing map[string]bool        // feeds answering 500
	fetches map[string]int         // of each feed
}

func newSite(t *testing.T) *site {
	s := &site{t: t, feeds: map[string][]siteStory{}, stories: map[string]siteStory{}, failing: map[string]bool{}, fetches: map[string]int{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// feedURL is the address of the feed named name.
func (s *site) feedURL(name string) string { return s.srv.URL + "/feeds/" + name + ".xml" }

// publish adds the stories to the feed named name (making it if needed).
func (s *site) publish(name string, stories ...siteStory) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.feeds[name]; !ok {
		s.feeds[name] = nil
	}
	for _, st := range stories {
		st.published = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC).Add(time.Duration(len(s.stories)) * time.Hour)
		s.stories[st.slug] = st
		s.feeds[name] = append(s.feeds[name], st)
	}
}

// fail makes the feed answer 500 (or work again).
func (s *site) fail(name string, failing bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failing[name] = failing
}

// fetched is how many times the feed was fetched.
func (s *site) fetched(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fetches[name]
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if name, ok := strings.CutPrefix(r.URL.Path, "/feeds/"); ok {
		name = strings.TrimSuffix(name, ".xml")
		stories, ok := s.feeds[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		s.fetches[name]++
		if s.failing[name] {
			http.Error(w, "the feed is broken", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title><link>%s/</link><description>News</description>`,
			html.EscapeString(strings.ToUpper(name[:1])+name[1:]+" News"), s.srv.URL)
		for _, st := range stories {
			fmt.Fprintf(w, `<item><title>%s</title><link>%s/stories/%s</link><guid>%s</guid><pubDate>%s</pubDate><description>%s</description></item>`,
				html.EscapeString(st.title), s.srv.URL, st.slug, st.slug, st.published.Format(time.RFC1123Z), html.EscapeString(st.paragraphs[0]))
		}
		fmt.Fprint(w, `</channel></rss>`)
		return
	}
	st, ok := s.stories[strings.TrimPrefix(r.URL.Path, "/stories/")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><html><head><title>%[1]s</title><meta property="og:title" content="%[1]s">
<meta property="og:site_name" content="Dunmore Observer"><meta property="article:published_time" content="%[2]s">
</head><body><article><h1>%[1]s</h1>`, html.EscapeString(st.title), st.published.Format(time.RFC3339))
	for _, p := range st.paragraphs {
		fmt.Fprintf(w, "<p>%s</p>\n", html.EscapeString(p))
	}
	fmt.Fprint(w, `</article></body></html>`)
}
