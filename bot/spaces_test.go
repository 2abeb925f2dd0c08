package bot

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/feeds"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/store"
)

// A bot on a real store and feed manager, with two servers of the
// platform "chat": G1 follows feed A, G2 follows feed B. The feeds are
// never polled: their stories are stored as the manager would.
const (
	feedA = "https://a.example/feed"
	feedB = "https://b.example/feed"
)

func newSpacesBot(t *testing.T, path string, cfg Config) *testBot {
	t.Helper()
	tb := newTestBot(t, path, cfg)
	tb.cfg.Feeds = feeds.New(feeds.Config{AllowPrivate: true}, tb.st, nil)
	return tb
}

// follow makes the space follow the feed, added in the channel.
func (tb *testBot) follow(t *testing.T, feed, space, channel string) {
	t.Helper()
	if _, _, err := tb.st.AddFeed(context.Background(), feed, store.FeedOwner{Space: space, Platform: "chat", Channel: channel}, t0, t0); err != nil {
		t.Fatal(err)
	}
}

// feedStory stores the test article (bot/testdata) as a new item of the
// feed.
func (tb *testBot) feedStory(t *testing.T, feed, name string) string {
	t.Helper()
	an := loadArticle(t, filepath.Join("testdata", name+".txt"))
	it := store.FeedItem{FeedURL: feed, GUID: name, URL: "https://news.example/" + name, Link: "https://news.example/" + name,
		Key: "feed:https://news.example/" + name, ArticleID: an.Article.ID, SeenAt: tb.clock.Now()}
	if _, err := tb.st.PutFeedArticle(context.Background(), it, an); err != nil {
		t.Fatal(err)
	}
	return an.Briefing.Headline
}

// in sends a command from channel ch of the server g, by an admin.
func (tb *testBot) in(g, ch, command, args string) Message {
	return tb.handle(context.Background(), Request{Platform: "chat", Space: g, Channel: ch, User: "U1", Command: command, Args: args, Caller: asAdmin(true)})
}

// Two servers on one bot see nothing of each other: briefings, answers,
// claims, source lookups, mentions, feed lists and digests come from the
// global sources and their own feeds only.
func TestSpacesSeeNothingOfEachOther(t *testing.T) {
	tb := newSpacesBot(t, "", Config{})
	tb.put(t, "harbor.txt") // a global seed
	tb.follow(t, feedA, "chat:G1", "C1")
	tb.follow(t, feedB, "chat:G2", "C2")
	bakery := tb.feedStory(t, feedA, "bakery_closure")
	otters := tb.feedStory(t, feedB, "otters_goalkeeper")

	for _, c := range []struct {
		space, sees, not string
	}{{"G1", bakery, otters}, {"G2", otters, bakery}} {
		text := PlainText(tb.in(c.space, "C", "briefing", ""))
		if !strings.Contains(text, c.sees) || !strings.Contains(text, "Harbor dredging") || strings.Contains(text, c.not) {
			t.Errorf("%s's briefing:\n%s", c.space, text)
		}
	}
	for _, c := range []struct{ command, args string }{
		{"briefing", "Orchard"},
		{"ask", "what did Grace Mbeki say about the bakery?"},
		{"claims", "Mbeki"},
		{"source", "the numbers simply do not work"},
	} {
		in1, in2 := PlainText(tb.in("G1", "C1", c.command, c.args)), PlainText(tb.in("G2", "C2", c.command, c.args))
		if !strings.Contains(in1, "Orchard") {
			t.Errorf("/%s %s in G1, whose feed has the story:\n%s", c.command, c.args, in1)
		}
		if strings.Contains(in2, bakery) || strings.Contains(in2, "Grace Mbeki") || strings.Contains(in2, "Ortiz") {
			t.Errorf("/%s %s in G2 shows G1's story:\n%s", c.command, c.args, in2)
		}
	}
	mention := tb.handle(context.Background(), Request{Platform: "chat", Space: "G2", Channel: "C2", Mention: true, Args: "what did Daniel Ortiz say?"})
	if text := PlainText(mention); strings.Contains(text, "numbers simply do not work") {
		t.Errorf("a mention in G2 answered from G1's feed:\n%s", text)
	}
	// A click from G2 that names G1's story (a button's ID, forged) tells
	// nothing of it, as of a story the bot does not have.
	bakeryID := tb.in("G1", "C1", "briefing", "Orchard").Stories[0].ArticleID
	for _, id := range []string{"bb1:more:" + bakeryID, "bb1:src:b:1:" + bakeryID + ":0"} {
		m := tb.handle(context.Background(), Request{Platform: "chat", Space: "G2", Channel: "C2", User: "U1", Click: id, Caller: asAdmin(true)})
		if text := PlainText(m); strings.Contains(text, bakery) || strings.Contains(text, "Ortiz") || !strings.Contains(text, "no longer have the article") {
			t.Errorf("click %s in G2:\n%s", id, text)
		}
		m = tb.handle(context.Background(), Request{Platform: "chat", Space: "G1", Channel: "C1", User: "U1", Click: id, Caller: asAdmin(true)})
		if text := PlainText(m); !strings.Contains(text, "Orchard") {
			t.Errorf("click %s in G1:\n%s", id, text)
		}
	}
	if text := tb.in("G2", "C2", "feeds", "list").Text; strings.Contains(text, feedA) || !strings.Contains(text, feedB) {
		t.Errorf("G2's feed list:\n%s", text)
	}
	// Neither can remove the other's feed, by its URL or otherwise.
	if m := tb.in("G2", "C2", "feeds", "remove "+feedA); strings.Contains(m.Text, "Stopped") {
		t.Errorf("G2 removed G1's feed: %+v", m)
	}
	if list, _ := tb.st.SpaceFeeds(context.Background(), "chat:G1"); len(list) != 1 {
		t.Errorf("G1's feeds after G2's attempt: %+v", list)
	}

	// Digests: each server's channel gets its own story and the global one.
	for _, c := range []struct{ space, ch string }{{"G1", "D1"}, {"G2", "D2"}} {
		if m := tb.in(c.space, c.ch, "subscribe", "0 8 * * *"); !strings.Contains(m.Text, "Subscribed") {
			t.Fatalf("subscribe: %+v", m)
		}
	}
	slot := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	tb.deliverAt(Destination{Platform: "chat", Channel: "D1"}, slot)
	tb.deliverAt(Destination{Platform: "chat", Channel: "D2"}, slot)
	for _, p := range tb.plat.posts() {
		text := PlainText(p.m)
		want, not := bakery, otters
		if p.to.Channel == "D2" {
			want, not = otters, bakery
		}
		if !strings.Contains(text, want) || strings.Contains(text, not) || !strings.Contains(text, "Harbor dredging") {
			t.Errorf("digest in %s:\n%s", p.to.Channel, text)
		}
	}
}

// A channel chooses its feeds and topics: a digest holds only the stories
// of its feeds that pass its filter (words, phrases, exclusions, a
// regular expression); /schedule shows the choices and tests them on the
// latest stories, saying why each one passes or not.
func TestSubscriptionChoosesFeedsAndTopics(t *testing.T) {
	tb := newSpacesBot(t, "", Config{})
	ctx := context.Background()
	tb.follow(t, feedA, "chat:G1", "C1")
	tb.follow(t, feedB, "chat:G1", "C1")
	tb.follow(t, "https://c.example/feed", "chat:G2", "C9")
	tb.put(t, "harbor.txt")
	bakery := tb.feedStory(t, feedA, "bakery_closure")
	flu := tb.feedStory(t, feedA, "flu_clinics")
	landfill := tb.feedStory(t, feedB, "landfill_ruling")
	otters := tb.feedStory(t, feedB, "otters_goalkeeper")
	buses := tb.feedStory(t, feedB, "council_bus_lanes")

	// Wrong choices are refused with what is wrong.
	for args, want := range map[string]string{
		"@daily feeds: 7":                             "“7” is not one of the feeds",
		"@daily feeds: https://c.example/feed":        "is not one of the feeds this space reads", // G2's
		"@daily regex: (unclosed":                     "I can't use that filter",
		`@daily include: "heat pump`:                  "I can't use that filter",
		"live Europe/Paris":                           "no time zone",
		"@daily include: " + strings.Repeat("x", 600): "too long",
	} {
		if m := tb.in("G1", "C1", "subscribe", args); m.Kind != KindError || !strings.Contains(m.Text, want) {
			t.Errorf("subscribe %s: %+v, want an error with %q", clip(args, 60), m, want)
		}
	}
	if _, err := tb.st.Subscription(ctx, "chat", "C1"); !isNotExist(err) {
		t.Fatalf("a refused subscription was saved: %v", err)
	}

	digest := func(ch string, day int) string {
		t.Helper()
		n := len(tb.plat.posts())
		tb.deliverAt(Destination{Platform: "chat", Channel: ch}, time.Date(2026, 11, 27+day, 8, 0, 0, 0, time.UTC))
		posts := tb.plat.posts()
		if len(posts) != n+1 {
			t.Fatalf("%d posts, want one more", len(posts)-n)
		}
		return PlainText(posts[n].m)
	}
	check := func(name, text string, want, not []string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q:\n%s", name, w, text)
			}
		}
		for _, n := range not {
			if strings.Contains(text, n) {
				t.Errorf("%s has %q:\n%s", name, n, text)
			}
		}
	}

	// Feed B only (by its number in /feeds list), no football.
	m := tb.in("G1", "C1", "subscribe", "0 8 * * * feeds: 2 exclude: goalkeeper")
	check("subscribe", m.Text, []string{"Subscribed", "From: " + feedB, "Filter: -goalkeeper"}, nil)
	check("digest of feed B without goalkeepers", digest("C1", 0), []string{landfill, buses}, []string{otters, bakery, flu, "Harbor"})

	// A phrase and a word, of any feed.
	tb.in("G1", "C2", "subscribe", `0 8 * * * include: "bus lanes" hospital`)
	check("digest of bus lanes or hospitals", digest("C2", 0), []string{buses, flu}, []string{otters, bakery, landfill, "Harbor"})

	// A regular expression, and Discord's typed options.
	req := Request{Platform: "chat", Space: "G1", Channel: "C3", Command: "subscribe", Caller: asAdmin(true),
		Options: map[string]string{"schedule": "0 8 * * *", "timezone": "Europe/Paris", "regex": `(?i)\bJUDGE\b|\b240 jobs\b`, "feeds": feedA + ", " + feedB}}
	if m := tb.handle(ctx, req); !strings.Contains(m.Text, "(Europe/Paris)") || !strings.Contains(m.Text, `re:/(?i)\bJUDGE\b|\b240 jobs\b/`) {
		t.Fatalf("typed subscribe: %+v", m)
	}
	check("digest by regex", digest("C3", 0), []string{bakery, landfill}, []string{otters, buses, flu, "Harbor"})
	if sub, _ := tb.st.Subscription(ctx, "chat", "C3"); len(sub.Feeds) != 2 || sub.TZ != "Europe/Paris" {
		t.Errorf("typed subscription saved as %+v", sub)
	}

	// /schedule shows the choices; /schedule test tries them.
	show := tb.in("G1", "C1", "schedule", "")
	check("/schedule", show.Text, []string{"“0 8 * * *” (UTC)", "From: " + feedB, "Filter: -goalkeeper", "Next runs:", "/schedule test"}, nil)
	test := tb.in("G1", "C1", "schedule", "test").Text
	check("/schedule test", test, []string{
		"Of the latest 6 stories this space reads, 2 would reach this channel",
		"✓ " + buses,
		"✗ " + otters + " — excluded by -goalkeeper (in the headline)",
		"✗ " + bakery + " — not from the feeds this channel chose",
		"✗ Harbor dredging to start in April — not from a feed",
	}, nil)
}

// liveRound runs a round of live posts as the watch loop does.
func (tb *testBot) liveRound(ctx context.Context) { tb.summarize(ctx, tb.postLive(ctx)) }

// A live channel gets each new story once: not again on the next round,
// nor after a restart on the same database; a burst, after downtime or
// over several rounds, is cut to LIVE_CATCHUP stories and one line.
func TestLivePostsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "live.db")
	ctx := context.Background()
	tb := newSpacesBot(t, path, Config{LiveCatchup: 2})
	tb.follow(t, feedA, "chat:G1", "C1")
	tb.follow(t, feedB, "chat:G2", "C9")
	tb.feedStory(t, feedA, "bakery_closure") // before the subscription: not posted
	if m := tb.in("G1", "L1", "subscribe", "live exclude: goalkeeper"); !strings.Contains(m.Text, "each new story as it arrives") {
		t.Fatalf("subscribe live: %+v", m)
	}
	if _, ok := tb.sched.entry(Destination{Platform: "chat", Channel: "L1"}); ok {
		t.Error("a live subscription has a cron schedule")
	}
	flu := tb.feedStory(t, feedA, "flu_clinics")
	tb.feedStory(t, feedA, "otters_goalkeeper") // filtered out
	tb.feedStory(t, feedB, "landfill_ruling")   // G2's
	tb.liveRound(ctx)
	tb.liveRound(ctx)
	posts := tb.plat.posts()
	if len(posts) != 1 || posts[0].to.Channel != "L1" || len(posts[0].m.Stories) != 1 || posts[0].m.Stories[0].Headline != flu {
		t.Fatalf("live posts: %+v", posts)
	}
	if p, err := tb.st.PostByMessage(ctx, "chat", "L1", "chat-1"); err != nil || len(p.Bullets) == 0 {
		t.Errorf("the live post is not recorded for source lookups: %+v, %v", p, err)
	}

	// A restart an hour later: what was posted is not posted again; of
	// what came meanwhile (the landfill story is new to G1 now, its feed
	// carries it), the newest LIVE_CATCHUP, and one line for the rest.
	again := newSpacesBot(t, path, Config{LiveCatchup: 2})
	again.clock.Set(t0.Add(time.Hour))
	for _, name := range []string{"council_bus_lanes", "landfill_ruling"} {
		again.feedStory(t, feedA, name)
	}
	harbor := analyze(t, "harbor.txt", articles["harbor.txt"])
	if _, err := again.st.PutFeedArticle(ctx, store.FeedItem{FeedURL: feedA, GUID: "harbor", Key: "feed:https://news.example/harbor",
		ArticleID: harbor.Article.ID, SeenAt: t0}, harbor); err != nil {
		t.Fatal(err)
	}
	again.liveRound(ctx)
	again.liveRound(ctx)
	if n := len(again.plat.posts()); n != 2 {
		t.Errorf("%d posts before the burst is over, want the 2 stories", n)
	}
	again.clock.Set(t0.Add(time.Hour + time.Minute)) // LIVE_SUMMARY_DELAY after the last skip
	again.liveRound(ctx)
	again.liveRound(ctx)
	posts = again.plat.posts()
	if len(posts) != 3 {
		t.Fatalf("%d posts after the restart, want 2 stories and a line: %+v", len(posts), posts)
	}
	if posts[0].m.Stories[0].Headline == flu || posts[1].m.Stories[0].Headline != "Harbor dredging to start in April" {
		t.Errorf("after the restart: %q, %q", posts[0].m.Stories[0].Headline, posts[1].m.Stories[0].Headline)
	}
	if line := posts[2].m.Text; !strings.Contains(line, "and 1 more new story for this channel") || !strings.Contains(line, "Brackton council") {
		t.Errorf("the summary line: %q", line)
	}
	ledger, _ := again.st.LivePosts(ctx, "chat", "L1")
	states := map[string]int{}
	for _, p := range ledger {
		states[p.State]++
	}
	if states["delivered"] != 3 || states["summarized"] != 1 || len(ledger) != 4 {
		t.Errorf("live ledger: %v", states)
	}

	// A burst over two rounds, within the window: two stories, and one
	// line for the three others, once it is over.
	// Each a different event (stories group articles of one event: five
	// retellings of one article would be one story).
	events := map[string]string{
		"Clinic one":   "A walk-in clinic in Eastvale will stay open until midnight, county officials said.",
		"Clinic two":   "Dentists in Norbury will offer free checkups to pupils this winter, the school district said.",
		"Clinic three": "Farmers near Lakemoor reported a strong barley crop after a wet summer.",
		"Clinic four":  "The Brackton library will lend telescopes to readers from January, its director announced.",
		"Clinic five":  "A ferry between Westport and Gull Island will run twice as often in summer, the operator said.",
		"Clinic six":   "Volunteers planted four hundred oak trees along the Millbrook river on Sunday.",
	}
	story := func(title string) {
		t.Helper()
		an := analyze(t, title+".txt", "---\ntitle: "+title+"\nsource: Valley Courier\npublished: 2026-11-21\n---\n"+events[title]+"\n")
		if _, err := again.st.PutFeedArticle(ctx, store.FeedItem{FeedURL: feedA, GUID: title, Key: "feed:https://news.example/" + title,
			ArticleID: an.Article.ID, SeenAt: again.clock.Now()}, an); err != nil {
			t.Fatal(err)
		}
	}
	again.clock.Set(t0.Add(2 * time.Hour))
	again.plat.sent = nil
	story("Clinic one")
	story("Clinic two")
	story("Clinic three")
	again.liveRound(ctx)
	again.clock.Set(t0.Add(2*time.Hour + time.Minute))
	story("Clinic four")
	story("Clinic five")
	again.liveRound(ctx)
	again.liveRound(ctx)
	again.clock.Set(t0.Add(2*time.Hour + 2*time.Minute))
	again.liveRound(ctx)
	var texts []string
	for _, p := range again.plat.posts() {
		texts = append(texts, PlainText(p.m))
	}
	if len(texts) != 3 || !strings.HasPrefix(texts[0], "Clinic two") || !strings.HasPrefix(texts[1], "Clinic three") ||
		!strings.Contains(texts[2], "and 3 more new stories") || !strings.Contains(texts[2], "“Clinic five”") {
		t.Errorf("the burst:\n%s", strings.Join(texts, "\n---\n"))
	}

	// A channel that is gone pauses its subscription.
	again.clock.Set(t0.Add(3 * time.Hour))
	again.plat.fail = ErrChannelGone
	story("Clinic six")
	again.liveRound(ctx)
	if sub, _ := again.st.Subscription(ctx, "chat", "L1"); !sub.Paused {
		t.Errorf("the subscription of a channel that is gone is not paused: %+v", sub)
	}
}

// A paused feed is told once in the channel where its server added it, in
// words that say what failed, since when, and how to retry or remove it;
// its recovery once too. A global feed's pause stays in the log.
func TestFeedAlertsInTheirChannel(t *testing.T) {
	tb := newSpacesBot(t, "", Config{})
	ctx := context.Background()
	tb.follow(t, feedA, "chat:G1", "C1")
	tb.follow(t, feedA, "chat:G2", "C7")
	if _, err := tb.st.EnsureFeed(ctx, "https://global.example/feed", t0, t0); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{feedA, "https://global.example/feed"} {
		f, _ := tb.st.Feed(ctx, u)
		f.Title, f.Failures, f.FailingSince, f.LastError, f.Paused = "Alpha News", 10, t0, "HTTP 404 Not Found", true
		if err := tb.st.SaveFeedPoll(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	tb.alertFeeds(ctx)
	tb.alertFeeds(ctx)
	posts := tb.plat.posts()
	if len(posts) != 2 {
		t.Fatalf("%d alerts, want one in each server's channel: %+v", len(posts), posts)
	}
	for i, ch := range []string{"C1", "C7"} {
		text := PlainText(posts[i].m)
		if posts[i].to.Channel != ch {
			t.Errorf("alert %d in %s, want %s", i, posts[i].to.Channel, ch)
		}
		for _, want := range []string{"“Alpha News” (" + feedA + ")", "failed 10 times in a row since 07:59 Fri 27 Nov 2026 UTC",
			"HTTP 404 Not Found", "/feeds add " + feedA, "/feeds remove " + feedA} {
			if !strings.Contains(text, want) {
				t.Errorf("alert lacks %q:\n%s", want, text)
			}
		}
	}
	// G1 adds it again, and it works: both are told, once.
	if m := tb.in("G1", "C1", "feeds", "add "+feedA); !strings.Contains(m.Text, "already reads") {
		t.Errorf("feeds add again: %+v", m)
	}
	f, _ := tb.st.Feed(ctx, feedA)
	f.LastFetch = tb.clock.Now().Add(time.Hour)
	if err := tb.st.SaveFeedPoll(ctx, f); err != nil {
		t.Fatal(err)
	}
	tb.alertFeeds(ctx)
	tb.alertFeeds(ctx)
	posts = tb.plat.posts()[2:]
	if len(posts) != 2 || !strings.Contains(posts[0].m.Text, "works again") || !strings.Contains(posts[1].m.Text, "works again") {
		t.Errorf("recovery alerts: %+v", posts)
	}
}

// finderPlatform is a fake platform that can tell a channel's space.
type finderPlatform struct {
	*fakePlatform
	spaces map[string]string
}

func (p finderPlatform) ChannelSpace(ctx context.Context, channel string) (string, bool, error) {
	return p.spaces[channel], false, nil
}

// A channel of BRIEFING_CHANNELS has no request to say its space: the bot
// asks its platform, and its digest has its server's feeds, not another's.
func TestConfiguredChannelFindsItsSpace(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	plat := finderPlatform{&fakePlatform{name: "chat"}, map[string]string{"CFG": "G2"}}
	log, logs := testutil.Logger(t)
	clk := testutil.NewClock(t0)
	b := New(Config{Schedule: "0 8 * * *", TZ: "UTC", Channels: []Destination{{Platform: "chat", Channel: "CFG"}}, Now: clk.Now}, st, log, plat)
	tb := &testBot{Bot: b, st: st, plat: plat.fakePlatform, clock: clk, logs: logs}
	tb.follow(t, feedA, "chat:G1", "C1")
	tb.follow(t, feedB, "chat:G2", "C2")
	tb.feedStory(t, feedA, "bakery_closure")
	tb.feedStory(t, feedB, "otters_goalkeeper")
	b.sched.set(Destination{Platform: "chat", Channel: "CFG"}, b.defaultSchedule(), true, &route{})
	b.deliver(ctx, Destination{Platform: "chat", Channel: "CFG"}, time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), false)
	posts := plat.posts()
	if len(posts) != 1 {
		t.Fatalf("%d digests", len(posts))
	}
	if text := PlainText(posts[0].m); !strings.Contains(text, "Rivertown Otters") || strings.Contains(text, "Orchard") {
		t.Errorf("the configured channel's digest:\n%s", text)
	}
}
