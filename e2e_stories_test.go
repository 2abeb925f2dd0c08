package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/fakediscord"
	"github.com/briefbot/briefbot/internal/fakeslack"
	"github.com/briefbot/briefbot/internal/storytest"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/store"
)

// Stories end to end: the same events told by several outlets (seeds of
// internal/storytest), on the console, Discord and Slack.

const (
	bridgeOutlets = "Reported by 3 outlets: Northwire, Maplewood Courier, Daily Flash."
	bridgeUpdate  = "Update to a story posted here before: now reported by 4 outlets; new: Valley Radio."
)

// writeSeeds writes the files into the folder's seeds.
func writeSeeds(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "seeds"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, "seeds", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// waitRecorded waits until the bot has recorded a post with bullets in
// the channel (it records a post just after posting it), so that a reply
// to it finds it.
func waitRecorded(t *testing.T, dbPath, platform, channel string) {
	t.Helper()
	st, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	testutil.WaitFor(t, 5*time.Second, "the post recorded", func() bool {
		_, err := st.LatestBulletPost(context.Background(), platform, channel, "")
		return err == nil
	})
}

// On the console: /story, "who else reports this?", "source N" across
// outlets; digests post stories, and after a restart a story that grew is
// posted once with what is new in it, not again as new.
func TestEndToEndStoriesConsole(t *testing.T) {
	dir := t.TempDir()
	writeSeeds(t, dir, storytest.Files)
	cmd := botCmd(t, dir, "BRIEFING_ON_START=false", "LEASE_TTL=1s")
	cmd.Stdin = strings.NewReader(strings.Join([]string{
		"/story Harbor Bridge",
		"@briefbot who else reports this?",
		"/briefing Maplewood",
		"source 1",
		"/ask what did Elena Brandt say about the Harbor Bridge?",
		"/help",
	}, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("exit: %v", err)
	}
	text := string(out)
	for _, want := range []string{
		"Story: Harbor Bridge in Maplewood closed after inspectors find crack",
		bridgeOutlets,
		"Who else reports “Harbor Bridge in Maplewood closed after inspectors find crack”",
		"Source of bullet 1 of that briefing",
		`Source sentence: "We will not reopen the Harbor Bridge until engineers tell us it is safe," Mayor Elena Brandt said at a news conference.`,
		`Source sentence: "We will not reopen the Harbor Bridge until engineers tell us it is safe," Mayor Elena Brandt said.`,
		"reported by 3 outlets: Northwire, Maplewood Courier, Daily Flash",
		"/story [bullet number or words]",
		"who else reports this?",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("stdout lacks %q\n%s", want, text)
		}
	}

	// A console that ends with its input keeps the seeds' lease until it
	// expires: a short one lets the next run sync the seeds soon.
	env := []string{"BRIEFING_SCHEDULE=* * * * * *", "BRIEFING_ON_START=false", "CATCHUP_WINDOW=1m", "LEASE_TTL=1s"}
	_, stop := runUntil(t, botCmd(t, dir, env...), 2, 20*time.Second)
	p1 := stop
	_ = p1(syscall.SIGTERM)
	writeSeeds(t, dir, storytest.Later)
	p := testutil.Start(t, "briefbot again", botCmd(t, dir, env...))
	testutil.WaitFor(t, 20*time.Second, "the update of the grown story", func() bool {
		return strings.Contains(p.Stdout.String(), bridgeUpdate)
	})
	testutil.WaitFor(t, 20*time.Second, "two more digests", func() bool {
		parts := strings.SplitAfter(p.Stdout.String(), bridgeUpdate)
		return len(digestHeaders(parts[len(parts)-1])) >= 2
	})
	if err := p.Stop(t, syscall.SIGTERM, 20*time.Second); err != nil {
		t.Errorf("SIGTERM: %v", err)
	}
	second := p.Stdout.String()
	if n := strings.Count(second, bridgeUpdate); n != 1 {
		t.Errorf("the update posted %d times, want once:\n%s", n, second)
	}
	if strings.Contains(second, bridgeOutlets) || strings.Contains(second, "Reported by 4 outlets") {
		t.Errorf("after the restart, the grown story was posted again as new:\n%s", second)
	}
}

// On Discord: /story with its typed option, "who else reports this?" in
// reply to a posted story, digests of stories, and the update after a
// restart, once.
func TestEndToEndStoriesDiscord(t *testing.T) {
	binary(t)
	t.Parallel()
	f := fakediscord.Start(t, fakediscord.Options{Token: e2eDiscordToken})
	dir := t.TempDir()
	writeSeeds(t, dir, storytest.Files)
	// A short lease: the next run syncs the seeds soon even if this one
	// did not let go of them.
	env := append(discordEnv(f, dir, e2eDiscordToken),
		"BRIEFING_CHANNELS=discord:"+e2eDigestChannel,
		"BRIEFING_SCHEDULE=* * * * * *",
		"CATCHUP_WINDOW=1m",
		"LEASE_TTL=1s",
	)
	first := startDiscordBot(t, "first run", dir, env)
	waitReady(t, first, f)

	story := messageText(interact(t, f, "600000000000000101", "story", []fakediscord.Opt{{Name: "story", Value: "Harbor Bridge"}}))
	for _, want := range []string{"Story: Harbor Bridge in Maplewood closed after inspectors find crack", bridgeOutlets, "Maplewood Courier", "Daily Flash"} {
		if !strings.Contains(story, want) {
			t.Errorf("/story lacks %q:\n%s", want, story)
		}
	}

	f.MessageCreate("810000000000000101", "<@"+fakediscord.BotID+"> briefing Maplewood", true, "", nil)
	testutil.WaitFor(t, 5*time.Second, "the briefing", func() bool { return len(f.ChannelMessages(fakediscord.ChannelID)) > 0 })
	brief := f.ChannelMessages(fakediscord.ChannelID)[0]
	waitRecorded(t, filepath.Join(dir, "briefbot.db"), "discord", fakediscord.ChannelID)
	f.MessageCreate("810000000000000102", "<@"+fakediscord.BotID+"> who else reports this?", true, brief.ID, nil)
	testutil.WaitFor(t, 5*time.Second, "the answer to who else", func() bool { return len(f.ChannelMessages(fakediscord.ChannelID)) > 1 })
	who := messageText(f.ChannelMessages(fakediscord.ChannelID)[1:2])
	if !strings.Contains(who, "Who else reports") || !strings.Contains(who, "Reported by 3 outlets") {
		t.Errorf("who else reports this:\n%s", who)
	}

	testutil.WaitFor(t, 15*time.Second, "a digest of stories", func() bool {
		return strings.Contains(messageText(f.ChannelMessages(e2eDigestChannel)), bridgeOutlets)
	})
	if err := first.Stop(t, syscall.SIGTERM, 20*time.Second); err != nil {
		t.Errorf("SIGTERM: %v", err)
	}
	before := len(f.ChannelMessages(e2eDigestChannel))
	writeSeeds(t, dir, storytest.Later)
	second := startDiscordBot(t, "second run", dir, env)
	waitReady(t, second, f)
	testutil.WaitFor(t, 15*time.Second, "the update and two digests after it", func() bool {
		after := messageText(f.ChannelMessages(e2eDigestChannel)[before:])
		i := strings.Index(after, bridgeUpdate)
		return i >= 0 && strings.Count(after[i:], "Digest for ") >= 2
	})
	if err := second.Stop(t, syscall.SIGTERM, 20*time.Second); err != nil {
		t.Errorf("SIGTERM: %v", err)
	}
	after := messageText(f.ChannelMessages(e2eDigestChannel)[before:])
	if n := strings.Count(after, bridgeUpdate); n != 1 {
		t.Errorf("the update posted %d times, want once:\n%s", n, after)
	}
	if strings.Contains(after, bridgeOutlets) || strings.Contains(after, "Reported by 4 outlets") {
		t.Errorf("after the restart, the grown story was posted again as new:\n%s", after)
	}
}

// On Slack: /briefbot story, "who else reports this?" in the thread of a
// posted story, digests of stories, and the update after a restart, once.
func TestEndToEndStoriesSlack(t *testing.T) {
	binary(t)
	t.Parallel()
	e := newSlackE2E(t, true, "LEASE_TTL=1s") // see TestEndToEndStoriesDiscord
	writeSeeds(t, e.dir, storytest.Files)
	f := e.f
	first := e.start()

	e.command(fakeslack.Slash{Channel: "CSTORY", User: "UUSER", Text: "story Harbor Bridge", ResponseURL: f.ResponseURL(), Trigger: "trig-story"})
	story := postContent(t, e.answer("CSTORY"))
	for _, want := range []string{"Story: Harbor Bridge in Maplewood closed after inspectors find crack", bridgeOutlets, "Maplewood Courier", "Daily Flash"} {
		if !strings.Contains(story, want) {
			t.Errorf("/briefbot story lacks %q:\n%s", want, story)
		}
	}

	const ts = "1700000200.000100"
	e.event(fakeslack.MentionEvent("EvStory1", "CWHO", "UUSER", "<@"+fakeslack.BotUserID+"> briefing Maplewood", ts, ""), 0)
	if a := e.answer("CWHO"); !strings.Contains(postContent(t, a), bridgeOutlets) {
		t.Errorf("the briefing: %s", postContent(t, a))
	}
	waitRecorded(t, filepath.Join(e.dir, "e2e.db"), "slack", "CWHO")
	e.event(fakeslack.MentionEvent("EvStory2", "CWHO", "UUSER", "<@"+fakeslack.BotUserID+"> who else reports this?", "1700000201.000100", ts), 0)
	testutil.WaitFor(t, 5*time.Second, "the answer to who else", func() bool { return len(f.PostsTo("CWHO")) >= 2 })
	if who := postContent(t, f.PostsTo("CWHO")[1]); !strings.Contains(who, "Who else reports") || !strings.Contains(who, "Reported by 3 outlets") {
		t.Errorf("who else reports this:\n%s", who)
	}

	digestText := func(from int) string {
		var b strings.Builder
		for _, p := range f.PostsTo(digestChannel)[from:] {
			b.WriteString(postContent(t, p) + "\n")
		}
		return b.String()
	}
	testutil.WaitFor(t, 15*time.Second, "a digest of stories", func() bool { return strings.Contains(digestText(0), bridgeOutlets) })
	if err := first.Stop(t, syscall.SIGTERM, 15*time.Second); err != nil {
		t.Errorf("SIGTERM: %v", err)
	}
	before := len(f.PostsTo(digestChannel))
	writeSeeds(t, e.dir, storytest.Later)
	second := e.start()
	testutil.WaitFor(t, 15*time.Second, "the update and two digests after it", func() bool {
		after := digestText(before)
		i := strings.Index(after, bridgeUpdate)
		return i >= 0 && len(slackDigestRE.FindAllString(after[i:], -1)) >= 2
	})
	if err := second.Stop(t, syscall.SIGTERM, 15*time.Second); err != nil {
		t.Errorf("SIGTERM: %v", err)
	}
	after := digestText(before)
	if n := strings.Count(after, bridgeUpdate); n != 1 {
		t.Errorf("the update posted %d times, want once:\n%s", n, after)
	}
	if strings.Contains(after, bridgeOutlets) || strings.Contains(after, "Reported by 4 outlets") {
		t.Errorf("after the restart, the grown story was posted again as new:\n%s", after)
	}
}
