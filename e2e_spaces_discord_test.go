package main

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/fakediscord"
	"github.com/briefbot/briefbot/internal/testutil"
)

// Two Discord servers on one bot: G1 (the fake's guild, with its digest
// channel x1 and live channel l1) and G2 (channels c2, x2 for its digest,
// a2 where it adds a flaky feed).
const (
	dsG1 = fakediscord.GuildID
	dsX1 = "300000000000000011"
	dsL1 = "300000000000000012"
	dsG2 = "200000000000000002"
	dsC2 = "300000000000000021"
	dsX2 = "300000000000000022"
	dsA2 = "300000000000000023"
)

// discordSpaces sends interactions to the bot on the fake.
type discordSpaces struct {
	t *testing.T
	f *fakediscord.Fake
	n int
}

// cmd sends /name with the options (name, value, name, value...) as m,
// and returns the text of the answer.
func (d *discordSpaces) cmd(m fakediscord.Member, name string, opts ...string) string {
	d.t.Helper()
	d.n++
	var o []fakediscord.Opt
	for i := 0; i+1 < len(opts); i += 2 {
		o = append(o, fakediscord.Opt{Name: opts[i], Value: opts[i+1]})
	}
	msgs, _ := interactAs(d.t, d.f, fmt.Sprintf("64%016d", d.n), name, o, m)
	return messageText(msgs)
}

// waitFor asks /name until its answer contains want.
func (d *discordSpaces) waitFor(m fakediscord.Member, want, name string, opts ...string) {
	d.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		text := d.cmd(m, name, opts...)
		if strings.Contains(text, want) {
			return
		}
		if time.Now().After(deadline) {
			d.t.Fatalf("/%s %v never answered %q; last:\n%s", name, opts, want, text)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// channelText is everything posted to a channel, in order.
func channelText(f *fakediscord.Fake, ch string) string { return messageText(f.ChannelMessages(ch)) }

// TestEndToEndDiscordSpaces runs the built binary on two Discord servers:
// each reads the global sources and the feeds it added, never the
// other's, in briefings, answers, claims, mentions, feed lists and
// digests; a feed both follow is fetched once; a live channel gets its
// feed's stories that pass its filter (typed options; a bad regular
// expression is shown), each once across a kill -9, and after the
// downtime at most LIVE_CATCHUP of them and one line; a feed that keeps
// failing is paused and announced once in the channel where it was added,
// and its recovery once.
func TestEndToEndDiscordSpaces(t *testing.T) {
	binary(t)
	t.Parallel()
	s := newSite(t)
	s.publish("north", lighthouseStory)
	s.publish("south", orchestraStory)
	s.publish("rail", railStory)
	s.publish("grants")
	s.publish("flaky", flakyStory)
	s.fail("flaky", true)
	f := fakediscord.Start(t, fakediscord.Options{Token: e2eDiscordToken, Guilds: map[string][]string{
		dsG1: {dsX1, dsL1}, dsG2: {dsC2, dsX2, dsA2},
	}})
	dir := workdir(t)
	env := append(discordEnv(f, dir, e2eDiscordToken), "FEEDS_ALLOW_PRIVATE=true", "FEEDS_POLL_INTERVAL=1h",
		"FEEDS_MAX_FAILURES=2", "LIVE_CATCHUP=3", "LIVE_SUMMARY_DELAY=8s", "BRIEFING_CHANNELS=discord:"+dsX1+",discord:"+dsX2,
		"BRIEFING_SCHEDULE=* * * * * *", "BRIEFING_SKIP_EMPTY=true", "CATCHUP_WINDOW=1m")
	d := &discordSpaces{t: t, f: f}
	first := startDiscordBot(t, "first run", dir, env)
	waitReady(t, first, f)
	checkRegistration(t, f, 1)

	in1 := fakediscord.Member{Perms: 16} // Manage Channels
	in2 := fakediscord.Member{Perms: 16, Guild: dsG2}
	for _, c := range []struct {
		m    fakediscord.Member
		feed string
	}{{in1, "north"}, {in1, "rail"}, {in1, "grants"}, {in2, "south"}, {in2, "rail"}} {
		if text := d.cmd(c.m, "feeds", "action", "add", "url", s.feedURL(c.feed)); !strings.Contains(text, "Following "+s.feedURL(c.feed)+" for this server") {
			t.Fatalf("/feeds add %s answered:\n%s", c.feed, text)
		}
	}
	d.waitFor(in1, lighthouseStory.title, "briefing")
	d.waitFor(in1, railStory.title, "briefing")
	d.waitFor(in2, orchestraStory.title, "briefing")
	d.waitFor(in2, railStory.title, "briefing")

	// Each server sees its own and the shared feed, never the other's.
	for _, c := range []struct {
		m         fakediscord.Member
		sees, not siteStory
	}{{in1, lighthouseStory, orchestraStory}, {in2, orchestraStory, lighthouseStory}} {
		text := d.cmd(c.m, "briefing")
		if !strings.Contains(text, c.sees.title) || !strings.Contains(text, e2eSeedHeadline) || strings.Contains(text, c.not.title) {
			t.Errorf("a server's briefing:\n%s", text)
		}
	}
	if text := d.cmd(in2, "ask", "question", "what did Edda Lindqvist say about the lamp room?"); strings.Contains(text, "last keeper") || !strings.Contains(text, "don't have that") {
		t.Errorf("G2's /ask about G1's story:\n%s", text)
	}
	if text := d.cmd(in1, "ask", "question", "what did Edda Lindqvist say about the lamp room?"); !strings.Contains(text, "last keeper") {
		t.Errorf("G1's /ask about its story:\n%s", text)
	}
	if text := d.cmd(in2, "claims", "speaker", "Lindqvist"); !strings.Contains(text, "no claims by") {
		t.Errorf("G2's /claims of G1's speaker:\n%s", text)
	}
	f.MessageCreateIn(dsG2, dsC2, "820000000000000001", "<@"+fakediscord.BotID+`> who said "exactly as the last keeper left it"?`, true, "", nil)
	testutil.WaitFor(t, 10*time.Second, "the answer to the mention in G2", func() bool { return len(f.ChannelMessages(dsC2)) > 0 })
	if text := channelText(f, dsC2); strings.Contains(text, "Lindqvist") || strings.Contains(text, lighthouseStory.title) {
		t.Errorf("a mention in G2 answered from G1's feed:\n%s", text)
	}
	list2 := d.cmd(in2, "feeds", "action", "list")
	if strings.Contains(list2, s.feedURL("north")) || !strings.Contains(list2, s.feedURL("south")) || !strings.Contains(list2, "This server reads 2 feeds") {
		t.Errorf("G2's /feeds list:\n%s", list2)
	}
	if text := d.cmd(in2, "feeds", "action", "remove", "url", s.feedURL("north")); !strings.Contains(text, "This server does not follow") {
		t.Errorf("G2 removing G1's feed:\n%s", text)
	}
	if n := s.fetched("rail"); n != 1 {
		t.Errorf("the feed both servers follow was fetched %d times, want once", n)
	}

	// Digests: the configured channel of each server gets its stories.
	testutil.WaitFor(t, 15*time.Second, "both digests", func() bool {
		return strings.Contains(channelText(f, dsX1), lighthouseStory.title) && strings.Contains(channelText(f, dsX2), orchestraStory.title)
	})
	if x1, x2 := channelText(f, dsX1), channelText(f, dsX2); strings.Contains(x1, orchestraStory.title) || strings.Contains(x2, lighthouseStory.title) {
		t.Errorf("digests crossed servers:\nG1:\n%s\nG2:\n%s", x1, x2)
	}

	// A live channel with a filter, by typed options; a bad one is refused.
	l1 := fakediscord.Member{Perms: 16, Channel: dsL1}
	if text := d.cmd(l1, "subscribe", "schedule", "live", "regex", "(unclosed"); !strings.Contains(text, "I can't use that filter") {
		t.Errorf("a bad regular expression:\n%s", text)
	}
	text := d.cmd(l1, "subscribe", "schedule", "live", "feeds", s.feedURL("grants"), "include", `"heat pump"`, "exclude", "football")
	if !strings.Contains(text, "each new story as it arrives") || !strings.Contains(text, `Filter: "heat pump" -football`) {
		t.Fatalf("/subscribe live answered:\n%s", text)
	}
	s.publish("grants", heatPumpStory(1, false), heatPumpStory(1, true))
	d.cmd(in1, "feeds", "action", "add", "url", s.feedURL("grants")) // fetch it now
	testutil.WaitFor(t, 20*time.Second, "the live post", func() bool {
		return strings.Contains(channelText(f, dsL1), heatPumpStory(1, false).title)
	})
	if text := d.cmd(l1, "schedule", "action", "test"); !strings.Contains(text, "✗ "+heatPumpStory(1, true).title+" — excluded by -football") {
		t.Errorf("/schedule test:\n%s", text)
	}

	// The flaky feed, added in a2: paused after two failed polls, said once.
	a2 := fakediscord.Member{Perms: 16, Guild: dsG2, Channel: dsA2}
	d.cmd(a2, "feeds", "action", "add", "url", s.feedURL("flaky"))
	testutil.WaitFor(t, 10*time.Second, "the first failed poll", func() bool { return s.fetched("flaky") == 1 })
	d.cmd(a2, "feeds", "action", "add", "url", s.feedURL("flaky")) // again: a second poll, a second failure
	testutil.WaitFor(t, 15*time.Second, "the pause to be announced", func() bool {
		return strings.Contains(channelText(f, dsA2), "Feed paused")
	})

	// kill -9, five more stories meanwhile, a restart.
	first.Signal(syscall.SIGKILL)
	first.Wait(t, 5*time.Second)
	for n := 2; n <= 6; n++ {
		s.publish("grants", heatPumpStory(n, false))
	}
	second := startDiscordBot(t, "second run", dir, env)
	waitReady(t, second, f)
	d.cmd(in1, "feeds", "action", "add", "url", s.feedURL("grants"))
	testutil.WaitFor(t, 30*time.Second, "the catch-up line", func() bool {
		return strings.Contains(channelText(f, dsL1), "more new stories for this channel")
	})
	live := f.ChannelMessages(dsL1)
	posted := map[string]int{}
	for _, m := range live {
		for _, e := range m.Body.Embeds {
			posted[e.Title]++
		}
	}
	for title, n := range posted {
		if n != 1 {
			t.Errorf("%q posted %d times in the live channel", title, n)
		}
	}
	// One story before the kill; after it, LIVE_CATCHUP in ten minutes
	// leaves two, and one line for the three others.
	if len(posted) != 3 || posted[heatPumpStory(1, false).title] != 1 || posted[heatPumpStory(1, true).title] != 0 {
		t.Errorf("live stories %v, want round 1 and two of rounds 2 to 6", posted)
	}
	if text := channelText(f, dsL1); strings.Count(text, "more new stories for this channel") != 1 || !strings.Contains(text, "…and 3 more new stories") {
		t.Errorf("the live channel:\n%s", text)
	}

	// The flaky feed works again: added again, fetched, announced once.
	s.fail("flaky", false)
	d.cmd(a2, "feeds", "action", "add", "url", s.feedURL("flaky"))
	testutil.WaitFor(t, 15*time.Second, "the recovery to be announced", func() bool {
		return strings.Contains(channelText(f, dsA2), "works again")
	})
	time.Sleep(3 * time.Second) // a watch round or two more: nothing is told twice
	alerts := channelText(f, dsA2)
	if strings.Count(alerts, "Feed paused") != 1 || strings.Count(alerts, "works again") != 1 ||
		!strings.Contains(alerts, "has failed 2 times in a row since") || !strings.Contains(alerts, "HTTP 500") ||
		!strings.Contains(alerts, "/feeds remove "+s.feedURL("flaky")) {
		t.Errorf("the alerts in a2:\n%s", alerts)
	}
	for _, ch := range []string{dsX1, dsL1, fakediscord.ChannelID, dsC2} {
		if strings.Contains(channelText(f, ch), "Feed paused") {
			t.Errorf("the alert was posted in %s too", ch)
		}
	}
	if err := second.Stop(t, syscall.SIGTERM, 20*time.Second); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
}
