package bot

import (
	"context"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/feeds"
	"github.com/briefbot/briefbot/store"
)

// In a direct message nobody changes what others see: /feeds add and
// /feeds remove are refused privately, whatever the user's rights, and the
// feeds stay as they were. What concerns the DM alone (its own digest) and
// reading the list stay allowed.
func TestDirectMessageCannotChangeFeeds(t *testing.T) {
	ff := &fakeFeeds{list: []feeds.FeedState{{URL: "https://news.example.org/rss"}}}
	tb := newTestBot(t, "", Config{Feeds: ff})
	ctx := context.Background()
	dm := func(command, args string, mention bool) Message {
		return tb.handle(ctx, Request{Platform: "chat", Channel: "D1", User: "U9", UserName: "mallory",
			Command: command, Args: args, Mention: mention, Caller: asAdmin(true), DM: true})
	}
	for _, c := range []struct {
		command, args string
		mention       bool
	}{
		{"feeds", "remove https://news.example.org/rss", false},
		{"feeds", "add https://spoof.example/rss", false},
		{"feeds", "ADD https://spoof.example/rss", false},
		{"", "feeds remove https://news.example.org/rss", true},
	} {
		m := dm(c.command, c.args, c.mention)
		if m.Kind != KindError || !m.Private || !strings.Contains(m.Text, "cannot be done from a direct message") {
			t.Errorf("DM %q %q: %+v, want a private refusal", c.command, c.args, m)
		}
	}
	if len(ff.list) != 1 || ff.list[0].URL != "https://news.example.org/rss" {
		t.Fatalf("feeds changed by direct messages: %+v", ff.list)
	}
	if m := dm("feeds", "list", false); !strings.Contains(m.Text, "I follow 1 feed") {
		t.Errorf("DM /feeds list: %+v", m)
	}
	if m := dm("subscribe", "0 8 * * *", false); m.Kind != KindInfo || !strings.Contains(m.Text, "Subscribed") {
		t.Errorf("DM /subscribe of the DM itself: %+v", m)
	}
	if !strings.Contains(tb.logs.String(), `msg="bot: refused" command=feeds args="remove https://news.example.org/rss" dm=true user=U9 user_name=mallory`) {
		t.Errorf("refusal not logged with the user:\n%s", tb.logs)
	}
}

func TestNeedsAdminAndRefused(t *testing.T) {
	for _, c := range []struct {
		req          Request
		admin        bool
		needs, refus bool
	}{
		{Request{Command: "briefing", Args: "gaza"}, false, false, false},
		{Request{Command: "feeds", Args: "list"}, false, false, false},
		{Request{Command: "feeds"}, false, false, false},
		{Request{Command: "feeds", Args: "add https://x.example/rss"}, false, true, true},
		{Request{Command: "feeds", Args: "Remove https://x.example/rss"}, false, true, true},
		{Request{Command: "feeds", Args: "add https://x.example/rss"}, true, true, false},
		{Request{Command: "feeds", Args: "add https://x.example/rss", DM: true}, true, true, true},
		{Request{Command: "subscribe", Args: "@daily"}, false, true, true},
		{Request{Command: "subscribe", Args: "@daily", DM: true}, true, true, false},
		{Request{Command: "unsubscribe"}, true, true, false},
		{Request{Mention: true, Args: "feeds add https://x.example/rss"}, false, true, true},
		{Request{Mention: true, Args: "feeds add https://x.example/rss"}, true, true, false},
		{Request{Mention: true, Args: "what did the mayor say about feeds add?"}, false, false, false},
	} {
		if got := needsAdmin(c.req); got != c.needs {
			t.Errorf("needsAdmin(%+v) = %v", c.req, got)
		}
		if got := Refuses(c.req, c.admin); got != c.refus {
			t.Errorf("Refuses(%+v, admin %v) = %v", c.req, c.admin, got)
		}
	}
}

// The caller's rights are asked only for what needs them, and once.
func TestRightsAskedOnlyWhenNeeded(t *testing.T) {
	ff := &fakeFeeds{}
	tb := newTestBot(t, "", Config{Feeds: ff})
	asked := 0
	caller := CallerFunc(func(context.Context) (bool, error) { asked++; return true, nil })
	h := &Handler{Answer: tb.handle}
	for _, c := range []struct {
		command, args string
		mention       bool
		asks          int
	}{
		{"briefing", "", false, 0},
		{"feeds", "list", false, 0},
		{"", "what did the mayor say?", true, 0},
		{"feeds", "add https://news.example.org/rss", false, 1},
		{"", "subscribe @daily", true, 1},
		{"unsubscribe", "", false, 1},
	} {
		asked = 0
		h.Serve(context.Background(), Request{Platform: "chat", Channel: "C1", Command: c.command, Args: c.args, Mention: c.mention, Caller: caller}, discard{})
		if asked != c.asks {
			t.Errorf("%q %q: rights asked %d times, want %d", c.command, c.args, asked, c.asks)
		}
	}
}

// Changes to feeds and subscriptions are logged with who made them: the
// user's ID and name, the server or workspace, and the channel.
func TestChangesAreLoggedWithIDs(t *testing.T) {
	ff := &fakeFeeds{}
	tb := newTestBot(t, "", Config{Feeds: ff})
	req := Request{Platform: "chat", Channel: "C7", User: "U42", UserName: "ana", Space: "G5", Caller: asAdmin(true)}
	for _, args := range []string{"add https://news.example.org/rss", "remove https://news.example.org/rss"} {
		req.Command, req.Args = "feeds", args
		if m := tb.handle(context.Background(), req); m.Kind != KindInfo {
			t.Fatalf("/feeds %s: %+v", args, m)
		}
	}
	req.Command, req.Args = "subscribe", "0 8 * * *"
	tb.handle(context.Background(), req)
	logs := tb.logs.String()
	for _, want := range []string{
		`msg="bot: feed added" url=https://news.example.org/rss user=U42 user_name=ana space=G5 channel=chat:C7`,
		`msg="bot: feed removed" url=https://news.example.org/rss user=U42 user_name=ana space=G5 channel=chat:C7`,
		`msg="bot: subscribed" schedule="0 8 * * *" tz=UTC user=U42 user_name=ana space=G5 channel=chat:C7`,
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
}

// A chat channel gets at most a digest a minute: /subscribe refuses any
// schedule that can fire twice within a minute, however it is written;
// the console may use seconds.
func TestSubscribeAtMostOncePerMinute(t *testing.T) {
	tb := newTestBot(t, "", Config{})
	for _, c := range []struct {
		spec string
		ok   bool
	}{
		{`"0-3 3 * * * *"`, false},
		{"*/30 * * * * *", false},
		{"0,30 0 8 * * *", false},
		{"@every 30s", false},
		{"@every 1m", true},
		{"30 0-3 * * * *", true},
		{"0 */2 * * * *", true},
		{"* * * * *", true},
		{"@hourly", true},
		{"@daily Europe/Paris", true},
	} {
		m := tb.ask("subscribe", c.spec, true)
		if ok := m.Kind == KindInfo; ok != c.ok {
			t.Errorf("/subscribe %s: %+v, want accepted %v", c.spec, m, c.ok)
		}
		if !c.ok && !strings.Contains(m.Text, "once a minute") {
			t.Errorf("/subscribe %s refused with %q", c.spec, m.Text)
		}
	}
	console := Request{Platform: "console", Channel: "console", Command: "subscribe", Args: `"0-3 3 * * * *"`, Caller: asAdmin(true)}
	if m := tb.handle(context.Background(), console); m.Kind != KindInfo {
		t.Errorf("the console's /subscribe with seconds: %+v", m)
	}
}

// A subscription saved before /subscribe checked the interval is paused
// at start, said in the log, instead of flooding its channel.
func TestSavedSubMinuteSchedulePaused(t *testing.T) {
	tb := newTestBot(t, "", Config{})
	ctx := context.Background()
	for ch, spec := range map[string]string{"C8": "0 3 * * * *", "C9": "0-3 3 * * * *"} {
		if err := tb.st.Subscribe(ctx, store.Subscription{Platform: "chat", Channel: ch, Spec: spec, TZ: "UTC", CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
	}
	if err := tb.sched.start(ctx); err != nil {
		t.Fatal(err)
	}
	defer tb.sched.stop()
	if _, ok := tb.sched.entry(Destination{Platform: "chat", Channel: "C8"}); !ok {
		t.Error("a once-a-minute schedule is not scheduled")
	}
	if _, ok := tb.sched.entry(Destination{Platform: "chat", Channel: "C9"}); ok {
		t.Error("a schedule firing four times a minute is scheduled")
	}
	if sub, err := tb.st.Subscription(ctx, "chat", "C9"); err != nil || !sub.Paused || !strings.Contains(sub.PauseReason, "more than once a minute") {
		t.Errorf("subscription %+v (%v), want it paused", sub, err)
	}
	if !strings.Contains(tb.logs.String(), "more than once a minute in a chat channel; paused") {
		t.Errorf("the pause is not logged:\n%s", tb.logs)
	}
}
