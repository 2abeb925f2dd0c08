package main

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/fakeslack"
	"github.com/briefbot/briefbot/internal/testutil"
)

// slackSpaces sends slash commands to the bot from two workspaces.
type slackSpaces struct {
	e *slackE2E
	n int
}

// cmd sends "/briefbot text" from the channel of the workspace, by user,
// and returns the answer posted in the channel.
func (s *slackSpaces) cmd(team, ch, user, text string) string {
	s.e.t.Helper()
	s.n++
	before := len(s.e.f.PostsTo(ch))
	s.e.command(fakeslack.Slash{Team: team, Channel: ch, User: user, Text: text, ResponseURL: s.e.f.ResponseURL(), Trigger: fmt.Sprintf("trig-%d", s.n)})
	testutil.WaitFor(s.e.t, 10*time.Second, "the answer to /briefbot "+text, func() bool { return len(s.e.f.PostsTo(ch)) > before })
	return postContent(s.e.t, s.e.f.PostsTo(ch)[before])
}

// waitFor sends the command until its answer contains want.
func (s *slackSpaces) waitFor(team, ch, text, want string) {
	s.e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got := s.cmd(team, ch, "UUSER", text)
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			s.e.t.Fatalf("/briefbot %s never answered %q; last:\n%s", text, want, got)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// channelContent is everything posted to a channel.
func (s *slackSpaces) channelContent(ch string) string {
	var b strings.Builder
	for _, p := range s.e.f.PostsTo(ch) {
		b.WriteString(postContent(s.e.t, p) + "\n")
	}
	return b.String()
}

// TestEndToEndSlackSpaces runs the built binary on the fake Slack with
// requests from two workspaces (an organization-wide install): each reads
// the global sources and the feeds it added, never the other's, in
// briefings, answers, claims, mentions, feed lists, digests and live
// posts; neither removes the other's feed.
func TestEndToEndSlackSpaces(t *testing.T) {
	binary(t)
	t.Parallel()
	site := newSite(t)
	site.publish("north", lighthouseStory)
	site.publish("south", orchestraStory)
	e := newSlackE2E(t, true, "FEEDS_ALLOW_PRIVATE=true", "FEEDS_POLL_INTERVAL=1h", "BRIEFING_SKIP_EMPTY=true")
	s := &slackSpaces{e: e}
	p := e.start()
	const t1, t2 = fakeslack.TeamID, fakeslack.TeamID2

	if got := s.cmd(t1, "C1A", "UADMIN", "feeds add "+site.feedURL("north")); !strings.Contains(got, "for this workspace") {
		t.Fatalf("T1's feeds add: %q", got)
	}
	if got := s.cmd(t2, "C2A", "UADMIN", "feeds add "+site.feedURL("south")); !strings.Contains(got, "for this workspace") {
		t.Fatalf("T2's feeds add: %q", got)
	}
	if got := s.cmd(t2, "C2L", "UADMIN", "subscribe live"); !strings.Contains(got, "each new story as it arrives") {
		t.Fatalf("T2's subscribe live: %q", got)
	}
	s.waitFor(t1, "C1B", "briefing", lighthouseStory.title)
	s.waitFor(t2, "C2B", "briefing", orchestraStory.title)

	for _, c := range []struct {
		team, ch  string
		sees, not siteStory
	}{{t1, "C1C", lighthouseStory, orchestraStory}, {t2, "C2C", orchestraStory, lighthouseStory}} {
		got := s.cmd(c.team, c.ch, "UUSER", "briefing")
		if !strings.Contains(got, c.sees.title) || !strings.Contains(got, seedHeadline) || strings.Contains(got, c.not.title) {
			t.Errorf("%s's briefing:\n%s", c.team, got)
		}
	}
	if got := s.cmd(t2, "C2D", "UUSER", "ask what did Edda Lindqvist say about the lamp room?"); strings.Contains(got, "last keeper") {
		t.Errorf("T2's ask about T1's story:\n%s", got)
	}
	if got := s.cmd(t1, "C1D", "UUSER", "ask what did Edda Lindqvist say about the lamp room?"); !strings.Contains(got, "last keeper") {
		t.Errorf("T1's ask about its story:\n%s", got)
	}
	if got := s.cmd(t1, "C1E", "UUSER", "claims Marco Ferrante"); !strings.Contains(got, "no claims by") {
		t.Errorf("T1's claims of T2's speaker:\n%s", got)
	}
	e.event(fakeslack.MentionEventIn(t2, "EvSp1", "C2M", "UUSER", "<@"+fakeslack.BotUserID+"> what did Edda Lindqvist say?", "1700000200.000100", ""), 0)
	if got := postContent(t, e.answer("C2M")); strings.Contains(got, "last keeper") || strings.Contains(got, "Lindqvist,") {
		t.Errorf("a mention in T2 answered from T1's feed:\n%s", got)
	}
	if got := s.cmd(t2, "C2E", "UUSER", "feeds list"); strings.Contains(got, site.feedURL("north")) || !strings.Contains(got, "This workspace reads 1 feed") {
		t.Errorf("T2's feeds list:\n%s", got)
	}
	if got := s.cmd(t2, "C2F", "UADMIN", "feeds remove "+site.feedURL("north")); !strings.Contains(got, "does not follow") {
		t.Errorf("T2 removing T1's feed:\n%s", got)
	}

	// Digests and live posts: T1's configured channel (the bot token's
	// workspace) and T2's live channel get their own stories.
	site.publish("south", heatPumpStory(1, false))
	s.cmd(t2, "C2G", "UADMIN", "feeds add "+site.feedURL("south")) // fetch it now
	testutil.WaitFor(t, 20*time.Second, "T2's live post", func() bool {
		return strings.Contains(s.channelContent("C2L"), heatPumpStory(1, false).title)
	})
	testutil.WaitFor(t, 10*time.Second, "T1's digest", func() bool {
		return strings.Contains(s.channelContent(digestChannel), lighthouseStory.title)
	})
	if d := s.channelContent(digestChannel); strings.Contains(d, orchestraStory.title) || strings.Contains(d, heatPumpStory(1, false).title) {
		t.Errorf("T1's digest has T2's stories:\n%s", d)
	}
	posts := 0
	for _, p := range e.f.PostsTo("C2L") {
		if strings.Contains(postContent(t, p), heatPumpStory(1, false).title) {
			posts++
		}
	}
	if l := s.channelContent("C2L"); strings.Contains(l, lighthouseStory.title) || posts != 1 {
		t.Errorf("T2's live channel (%d posts of the story, want 1):\n%s", posts, l)
	}
	e.f.CheckNoProblems(t)
	if err := p.Stop(t, syscall.SIGTERM, 15*time.Second); err != nil {
		t.Errorf("SIGTERM: %v", err)
	}
}
