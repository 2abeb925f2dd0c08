package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/fakediscord"
	"github.com/briefbot/briefbot/internal/fakeslack"
	"github.com/briefbot/briefbot/internal/pgtest"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/store"
)

// growingFeed serves an RSS feed whose items come one every second and a
// half (at most max), each linking to a page of its own on the same
// server, and records when the feed and each page were fetched.
type growingFeed struct {
	srv   *httptest.Server
	start time.Time
	max   int

	mu      sync.Mutex
	fetches []time.Time    // of the feed
	pages   map[string]int // fetches of each page, by path
}

func newGrowingFeed(t *testing.T, max int) *growingFeed {
	g := &growingFeed{start: time.Now(), max: max, pages: map[string]int{}}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *growingFeed) items() int {
	return min(g.max, 1+int(time.Since(g.start)/(1500*time.Millisecond)))
}

// harborStory is the text of item n, written for this test: a harbor
// council's decision with a quoted claim, a paraphrase and the article's
// own voice. Each item is its own event, in its own town (stories group
// the articles of one event).
func harborStory(n int) (headline, body string) {
	events := []struct{ town, head, lead, speaker string }{
		{"Port Amsel", "Inner harbor of Port Amsel to be dredged", "Dredgers will deepen the inner harbor of Port Amsel next spring so that larger cargo ships can dock.", "Mirela Costa"},
		{"Brennholm", "Ferry pier planned for Brennholm", "Brennholm will build a second ferry pier so that island boats no longer queue at the old jetty.", "Oskar Lind"},
		{"Calder", "Night buses to run to Calder docks", "Dock workers in Calder will get night buses from January, after years of walking home from late shifts.", "Nadia Fenwick"},
		{"Dunhaven", "Sea wall repairs begin in Dunhaven", "Masons began patching the crumbling sea wall in Dunhaven, which storms breached twice last winter.", "Rhys Morgan"},
		{"Elmsport", "Fish market opens on Quay Street in Elmsport", "Fishermen will sell their catch at a covered market on Quay Street in Elmsport from March.", "Greta Holm"},
		{"Fairhaven", "Cycle lanes for the Fairhaven harbor road", "Painted cycle lanes will run the length of the Fairhaven harbor road, separating bikes from lorries.", "Tomasz Wren"},
		{"Gorran", "Lighthouse in Gorran gets a tide gauge", "A tide gauge fixed to the Gorran lighthouse will warn sailors of unusually low water.", "Alma Reyes"},
		{"Hollin", "Flood barriers for the old town of Hollin", "Removable flood barriers will guard the medieval lanes of Hollin against spring tides.", "Bram Visser"},
		{"Irvik", "Swimming area by the Irvik breakwater", "Swimmers in Irvik will get a netted bathing area beside the breakwater next summer.", "Lena Strand"},
		{"Jarrow Bay", "Forty moorings for small boats in Jarrow Bay", "Owners of small boats in Jarrow Bay will rent forty new moorings instead of anchoring offshore.", "Colm Ward"},
		{"Kestle", "Solar panels to cover the Kestle ferry sheds", "The roofs of the Kestle ferry sheds will carry solar panels that power the ticket office and lights.", "Ines Duarte"},
		{"Lornick", "Customs house in Lornick becomes a museum", "The empty customs house of Lornick will reopen as a maritime museum with ship models and old ledgers.", "Pieter Aalto"},
	}
	e := events[(n-1)%len(events)]
	headline = fmt.Sprintf("%s (plan %d)", e.head, n)
	body = fmt.Sprintf(`<p>%[1]s</p>
<p>"%[2]s will earn this money back within a decade," said %[3]s, who presented plan %[4]d to the %[2]s council.</p>
<p>%[3]s said work on plan %[4]d would start in the spring and cost about $%[5]d million.</p>`, e.lead, e.town, e.speaker, n, n+1)
	return headline, body
}

func (g *growingFeed) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/feed.xml" {
		g.mu.Lock()
		g.fetches = append(g.fetches, time.Now())
		g.mu.Unlock()
		var items strings.Builder
		for n := g.items(); n >= 1; n-- {
			headline, _ := harborStory(n)
			fmt.Fprintf(&items, `<item><title>%s</title><link>%s/news/plan-%d</link><guid>harbor-plan-%d</guid><description>Plan %d.</description></item>`,
				headline, g.srv.URL, n, n, n)
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Port Amsel Herald</title><link>%s/</link><description>Harbor news</description>%s</channel></rss>`,
			g.srv.URL, items.String())
		return
	}
	var n int
	if _, err := fmt.Sscanf(r.URL.Path, "/news/plan-%d", &n); err != nil || n < 1 || n > g.max {
		http.NotFound(w, r)
		return
	}
	g.mu.Lock()
	g.pages[r.URL.Path]++
	g.mu.Unlock()
	headline, body := harborStory(n)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><html><head><title>%[1]s | Port Amsel Herald</title><meta property="og:site_name" content="Port Amsel Herald"></head>
<body><article><h1>%[1]s</h1>%[2]s</article></body></html>`, headline, body)
}

func (g *growingFeed) feedFetches() []time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.fetches)
}

func (g *growingFeed) pageFetches() map[string]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := map[string]int{}
	for k, v := range g.pages {
		out[k] = v
	}
	return out
}

// TestEndToEndReplicas runs three replicas of the built binary on one
// PostgreSQL database, on the fake Discord and the fake Slack, with
// per-second digests to a Discord and a Slack channel, a live Discord
// channel, the seeds folder and a feed on a local server whose items keep
// coming. Midway the replica that syncs the seeds folder is killed with
// kill -9. Every digest slot is posted once (or, reserved by the killed
// replica and not confirmed, reported and never posted), every feed
// story is posted live once, the feed is fetched once per interval (never
// twice at once by several replicas), the seeds folder is taken over by
// another replica once the lease expires, and briefbot leases shows who
// holds what.
func TestEndToEndReplicas(t *testing.T) {
	binary(t)
	dbURL := pgtest.URL(t)
	t.Parallel()
	ctx := context.Background()
	const (
		interval = 2 * time.Second // FEEDS_POLL_INTERVAL
		ttl      = 3 * time.Second // LEASE_TTL
	)
	liveChannel := fakediscord.ChannelID
	// The live subscription, made before the replicas start (as /subscribe
	// live would have).
	st, err := store.OpenPostgres(ctx, dbURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Subscribe(ctx, store.Subscription{Platform: "discord", Channel: liveChannel,
		Space: "discord:" + fakediscord.GuildID, Spec: store.LiveSpec, TZ: "UTC"}); err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	d := fakediscord.Start(t, fakediscord.Options{Token: e2eDiscordToken})
	s := fakeslack.New(t)
	feed := newGrowingFeed(t, 12)
	dir := workdir(t)
	env := append(discordEnv(d, dir, e2eDiscordToken),
		"DATABASE_URL="+dbURL,
		"LEASE_TTL="+ttl.String(),
		"BRIEFING_CHANNELS=discord:"+e2eDigestChannel+",slack:"+digestChannel,
		"BRIEFING_SCHEDULE=* * * * * *",
		"CATCHUP_WINDOW=1m",
		"FEEDS="+feed.srv.URL+"/feed.xml",
		"FEEDS_ALLOW_PRIVATE=true",
		"FEEDS_POLL_INTERVAL="+interval.String(),
		"SEEDS_POLL_INTERVAL=1s",
		"LIVE_CATCHUP=50",
		"SLACK_BOT_TOKEN="+fakeslack.BotToken, "SLACK_API_URL="+s.URL(),
	)
	replicas := map[string]*testutil.Proc{}
	for _, name := range []string{"r1", "r2", "r3"} {
		replicas[name] = testutil.Start(t, name, botCmd(t, dir, append(env,
			"REPLICA_ID="+name, "SLACK_SIGNING_SECRET="+e2eSecret, "SLACK_LISTEN_ADDR="+freeAddr(t))...))
	}
	for range replicas {
		select {
		case h := <-d.Handshakes():
			if h != "READY" {
				t.Fatalf("handshake %q", h)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the replicas did not all connect to Discord within 30 s")
		}
	}
	listLeases := func() string {
		t.Helper()
		cmd := botCmd(t, dir, append(env, "LOG_LEVEL=warn", "SLACK_SIGNING_SECRET="+e2eSecret, "SLACK_LISTEN_ADDR=127.0.0.1:0")...)
		cmd.Args = append(cmd.Args, "leases")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("briefbot leases: %v\n%s", err, out)
		}
		return string(out)
	}
	testutil.WaitFor(t, 20*time.Second, "digests and live posts from the three replicas", func() bool {
		return len(digests(d, e2eDigestChannel)) >= 4 && len(d.ChannelMessages(liveChannel)) >= 2
	})
	out := listLeases()
	for _, want := range []string{"replica r1 running", "replica r2 running", "replica r3 running", "seeds"} {
		if !strings.Contains(out, want) {
			t.Errorf("briefbot leases lacks %q:\n%s", want, out)
		}
	}
	t.Logf("briefbot leases:\n%s", out)

	// Kill the replica that syncs the seeds folder.
	var victim string
	all, err := st.Leases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		if l.Name == "seeds" {
			victim = l.Holder
		}
	}
	if replicas[victim] == nil {
		t.Fatalf("the seeds folder is held by %q: %+v", victim, all)
	}
	replicas[victim].Signal(syscall.SIGKILL)
	replicas[victim].Wait(t, 5*time.Second)
	killed := time.Now()
	t.Logf("killed %s", victim)

	testutil.WaitFor(t, ttl+10*time.Second, "another replica to take the seeds folder over", func() bool {
		for name, p := range replicas {
			if name != victim && strings.Contains(p.Stderr.String(), "seeds: took over the seeds folder") {
				return true
			}
		}
		return false
	})
	if took := time.Since(killed); took > ttl+5*time.Second {
		t.Errorf("the seeds folder was taken over %v after the kill, want within LEASE_TTL (%v) and a sync", took, ttl)
	}
	// Every story of the feed arrives and is posted live, after the kill.
	testutil.WaitFor(t, 40*time.Second, "every feed story posted live", func() bool {
		ids := feedArticles(t, st)
		posts, err := st.LivePosts(ctx, "discord", liveChannel)
		return err == nil && len(ids) == feed.max && allReserved(ids, posts)
	})
	time.Sleep(2 * time.Second) // more digests from the two left
	out = listLeases()
	if !strings.Contains(out, "replica "+victim+" running") || !strings.Contains(out, "expired") {
		t.Errorf("briefbot leases does not show %s's lease expired:\n%s", victim, out)
	}
	for name, p := range replicas {
		if name != victim {
			if err := p.Stop(t, syscall.SIGTERM, 20*time.Second); err != nil {
				t.Errorf("%s: exit after SIGTERM: %v", name, err)
			}
		}
	}

	// Digests: each slot posted once, and every slot from the first to
	// the last posted either posted or left pending by the killed replica.
	pending, err := st.PendingSlots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	checkSlots := func(channel string, posted []string) {
		t.Helper()
		seen := map[time.Time]bool{}
		var first, last time.Time
		for _, slot := range posted {
			at := slotTime(t, slot)
			if seen[at] {
				t.Errorf("%s: slot %s posted twice", channel, slot)
			}
			seen[at] = true
			if first.IsZero() || at.Before(first) {
				first = at
			}
			last = later(last, at)
		}
		left := map[time.Time]bool{}
		for _, p := range pending {
			if p.Channel == channel {
				if p.Owner != victim || seen[p.Time] {
					t.Errorf("%s: slot %v pending, owned by %s (posted: %v)", channel, p.Time, p.Owner, seen[p.Time])
				}
				left[p.Time] = true
			}
		}
		for at := first; !at.After(last); at = at.Add(time.Second) {
			if !seen[at] && !left[at] {
				t.Errorf("%s: slot %v lost: neither posted nor pending", channel, at)
			}
		}
		t.Logf("%s: %d slots posted from %v to %v, %d left pending by %s", channel, len(posted), first.Format(time.TimeOnly), last.Format(time.TimeOnly), len(left), victim)
		if len(posted) < 10 {
			t.Errorf("%s: only %d digests", channel, len(posted))
		}
	}
	var discordSlots []string
	for _, dg := range digests(d, e2eDigestChannel) {
		discordSlots = append(discordSlots, dg.Slot)
	}
	checkSlots(e2eDigestChannel, discordSlots)
	var slackSlots []string
	for _, p := range s.PostsTo(digestChannel) {
		if m := slackDigestRE.FindStringSubmatch(p.Text); m != nil {
			slackSlots = append(slackSlots, m[1])
		}
	}
	checkSlots(digestChannel, slackSlots)

	// Live posts: each story once; every one posted, or left pending by
	// the killed replica.
	posts, err := st.LivePosts(ctx, "discord", liveChannel)
	if err != nil {
		t.Fatal(err)
	}
	heads := liveHeadlines(d, liveChannel)
	for h, n := range heads {
		if n > 1 {
			t.Errorf("live story %q posted %d times", h, n)
		}
	}
	delivered := 0
	for _, p := range posts {
		switch {
		case p.State == "delivered":
			delivered++
		case p.State == "pending" && p.Owner == victim:
		default:
			t.Errorf("live post %+v", p)
		}
	}
	if delivered != len(heads) {
		t.Errorf("%d live posts delivered in the ledger, %d stories in the channel", delivered, len(heads))
	}
	if ids := feedArticles(t, st); len(ids) != feed.max || !allReserved(ids, posts) {
		t.Errorf("%d feed stories stored, not all posted live: %+v", len(ids), posts)
	}

	// The feed: never fetched twice at once by several replicas; about
	// once per interval.
	fetches := feed.feedFetches()
	for i := 1; i < len(fetches); i++ {
		if gap := fetches[i].Sub(fetches[i-1]); gap < interval/4 {
			t.Errorf("feed fetched twice within %v (fetches %d and %d): several replicas polled it", gap, i-1, i)
		}
	}
	span := fetches[len(fetches)-1].Sub(fetches[0])
	if max := int(span/(interval/2)) + 2; len(fetches) > max {
		t.Errorf("feed fetched %d times in %v, want about once per %v", len(fetches), span, interval)
	}
	for page, n := range feed.pageFetches() {
		if n > 2 { // twice at most: the killed replica's poll, and the one that took it over
			t.Errorf("page %s fetched %d times", page, n)
		}
	}
	t.Logf("feed fetched %d times in %v; %d live stories; %d pending slots", len(fetches), span.Round(time.Millisecond), len(heads), len(pending))
}

// liveHeadlines counts the stories posted to the channel, by headline
// (an embed's title).
func liveHeadlines(d *fakediscord.Fake, channel string) map[string]int {
	out := map[string]int{}
	for _, m := range d.ChannelMessages(channel) {
		for _, e := range m.Body.Embeds {
			out[e.Title]++
		}
	}
	return out
}

// feedArticles returns the IDs of the feed's articles in the store.
func feedArticles(t *testing.T, st *store.Store) []string {
	keys, err := st.Keys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for k, id := range keys {
		if strings.HasPrefix(k, "feed:") {
			ids = append(ids, id)
		}
	}
	return ids
}

// allReserved reports whether every article has a post in the live ledger.
func allReserved(ids []string, posts []store.LivePost) bool {
	for _, id := range ids {
		if !slices.ContainsFunc(posts, func(p store.LivePost) bool { return p.ArticleID == id }) {
			return false
		}
	}
	return true
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
