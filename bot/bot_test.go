package bot

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/store"
)

// fakePlatform records what the bot posts.
type fakePlatform struct {
	name string
	mu   sync.Mutex
	sent []posted
	fail error // returned by Post when set
	n    int
}

type posted struct {
	to Destination
	m  Message
}

func (f *fakePlatform) Name() string { return f.name }

func (f *fakePlatform) Run(ctx context.Context, h *Handler) error {
	<-ctx.Done()
	return nil
}

func (f *fakePlatform) Post(ctx context.Context, to Destination, m Message) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return nil, f.fail
	}
	f.n++
	f.sent = append(f.sent, posted{to, m})
	return []string{fmt.Sprintf("%s-%d", f.name, f.n)}, nil
}

func (f *fakePlatform) posts() []posted {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]posted(nil), f.sent...)
}

// Test articles, written for these tests.
var articles = map[string]string{
	"harbor.txt": `---
title: Harbor dredging to start in April
source: Coastal Ledger
url: https://example.org/harbor
published: 2026-11-20
---
Dredging of the Millport harbor will begin in April, the port authority said Tuesday.

"The channel has silted up faster than any model predicted," said Ruth Okafor, the authority's chief engineer. "Larger ships already wait for high tide."

The work will cost $18 million, according to the authority's budget. Fishing crews said they feared losing a season of catches.`,
	"clinic.txt": `---
title: Night clinic opens in Eastvale
source: Valley Courier
published: 2026-11-21
---
A walk-in clinic in Eastvale will stay open until midnight starting next month, county health officials announced on Monday.

Dr. Samuel Reyes, who will run the clinic, said evening visits would ease pressure on the hospital's emergency room. "Half of the people we see at night do not need an emergency room," he said.

The clinic will be paid for by a state grant of $2.1 million.`,
}

func analyze(t testing.TB, name, text string) *briefing.Analysis {
	t.Helper()
	a, err := briefing.Parse(name, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return briefing.Analyze(a, briefing.Options{})
}

type testBot struct {
	*Bot
	st    *store.Store
	plat  *fakePlatform
	clock *testutil.Clock
	logs  *testutil.Buffer
}

var t0 = time.Date(2026, 11, 27, 7, 59, 0, 0, time.UTC)

func newTestBot(t *testing.T, path string, cfg Config) *testBot {
	t.Helper()
	ctx := context.Background()
	if path == "" {
		path = filepath.Join(t.TempDir(), "bot.db")
	}
	st, err := openStore(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := testutil.NewClock(t0)
	cfg.Now = clk.Now
	if cfg.Schedule == "" {
		cfg.Schedule, cfg.TZ = "0 8 * * *", "UTC"
	}
	plat := &fakePlatform{name: "chat"}
	log, logs := testutil.Logger(t)
	return &testBot{Bot: New(cfg, st, log, plat), st: st, plat: plat, clock: clk, logs: logs}
}

// openStore opens the store at loc: a file, or a postgres:// URL.
func openStore(ctx context.Context, loc string) (*store.Store, error) {
	if strings.HasPrefix(loc, "postgres") {
		return store.OpenPostgres(ctx, loc, nil)
	}
	return store.Open(ctx, loc)
}

func (tb *testBot) put(t *testing.T, name string) {
	t.Helper()
	if _, err := tb.st.PutArticle(context.Background(), "seeds/"+name, analyze(t, name, articles[name]), tb.clock.Now()); err != nil {
		t.Fatal(err)
	}
}

// ask sends a command to channel C1 of the server G1.
func (tb *testBot) ask(command, args string, admin bool) Message {
	return tb.handle(context.Background(), Request{Platform: "chat", Channel: "C1", Space: "G1", User: "U1", Command: command, Args: args, Caller: asAdmin(admin)})
}

func TestBriefingCommand(t *testing.T) {
	tb := newTestBot(t, "", Config{})
	if m := tb.ask("briefing", "", false); m.Kind != KindInfo || !strings.Contains(m.Text, "no articles yet") {
		t.Errorf("empty store: %+v", m)
	}
	tb.put(t, "harbor.txt")
	tb.put(t, "clinic.txt")

	m := tb.ask("briefing", "", false)
	if m.Kind != KindBriefing || len(m.Stories) != 2 {
		t.Fatalf("briefing: %+v", m)
	}
	n := 0
	for _, b := range m.Bullets() {
		n++
		if b.N != n || b.ArticleID == "" || b.Attribution == "" {
			t.Errorf("bullet %d: %+v", n, b)
		}
	}
	if n == 0 {
		t.Fatal("no bullets")
	}

	m = tb.ask("briefing", "harbor", false)
	if len(m.Stories) != 1 || m.Stories[0].Headline != "Harbor dredging to start in April" {
		t.Fatalf("briefing harbor: %+v", m)
	}
	text := PlainText(m)
	for _, want := range []string{"Ruth Okafor", "“The channel has silted up faster than any model predicted”", "Coastal Ledger · 2026-11-20 · https://example.org/harbor"} {
		if !strings.Contains(text, want) {
			t.Errorf("briefing lacks %q:\n%s", want, text)
		}
	}

	m = tb.ask("briefing", "volcano eruption", false)
	if m.Kind != KindInfo || !strings.Contains(m.Text, "no article about “volcano eruption” in my sources") ||
		!strings.Contains(m.Text, "Night clinic opens in Eastvale") {
		t.Errorf("unknown topic: %+v", m)
	}
}

func TestSubscribeScheduleUnsubscribe(t *testing.T) {
	tb := newTestBot(t, "", Config{})
	ctx := context.Background()

	if m := tb.ask("schedule", "", false); !strings.Contains(m.Text, "no digest schedule") {
		t.Errorf("schedule before: %+v", m)
	}
	if m := tb.ask("subscribe", "0 8 * * *", false); m.Kind != KindError || !strings.Contains(m.Text, "manage the channel") {
		t.Errorf("non-admin subscribe: %+v", m)
	}
	for _, bad := range []struct{ args, want string }{
		{"", "cron schedule"},
		{"0 25 * * *", "can't use that schedule"},
		{"0 8 * * * Mars/Olympus", "unknown time zone"},
		{"CRON_TZ=", "time zone separately"},
		{"* * * * * *", "once a minute"},
	} {
		m := tb.ask("subscribe", bad.args, true)
		if m.Kind != KindError || !strings.Contains(m.Text, bad.want) || !strings.Contains(m.Text, "0 8 * * *") {
			t.Errorf("subscribe %q: %+v; want an error about %q with an example", bad.args, m, bad.want)
		}
	}

	m := tb.ask("subscribe", "30 7 * * 1-5 Europe/Paris", true)
	if m.Kind != KindInfo || !strings.Contains(m.Text, "“30 7 * * 1-5” (Europe/Paris)") ||
		!strings.Contains(m.Text, "07:30 Mon 30 Nov 2026 CET") {
		t.Fatalf("subscribe: %+v", m)
	}
	sub, err := tb.st.Subscription(ctx, "chat", "C1")
	if err != nil || sub.Spec != "30 7 * * 1-5" || sub.TZ != "Europe/Paris" {
		t.Fatalf("stored subscription %+v, %v", sub, err)
	}
	m = tb.ask("schedule", "", false)
	if !strings.Contains(m.Text, "Next runs: 07:30 Mon 30 Nov 2026 CET; 07:30 Tue 1 Dec 2026 CET; 07:30 Wed 2 Dec 2026 CET") {
		t.Errorf("schedule: %q", m.Text)
	}
	if _, ok := tb.sched.entry(Destination{Platform: "chat", Channel: "C1"}); !ok {
		t.Error("subscription not scheduled")
	}

	if m := tb.ask("unsubscribe", "", true); !strings.Contains(m.Text, "Unsubscribed") {
		t.Errorf("unsubscribe: %+v", m)
	}
	if _, err := tb.st.Subscription(ctx, "chat", "C1"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("subscription still stored: %v", err)
	}
	if _, ok := tb.sched.entry(Destination{Platform: "chat", Channel: "C1"}); ok {
		t.Error("still scheduled after unsubscribe")
	}
	if m := tb.ask("unsubscribe", "", true); !strings.Contains(m.Text, "nothing to stop") {
		t.Errorf("second unsubscribe: %+v", m)
	}
}

func TestSplitSchedule(t *testing.T) {
	tests := []struct{ in, spec, tz string }{
		{"0 8 * * *", "0 8 * * *", ""},
		{"0 8 * * * Europe/Paris", "0 8 * * *", "Europe/Paris"},
		{"*/10 * * * * *", "*/10 * * * * *", ""},
		{"*/10 * * * * * America/New_York", "*/10 * * * * *", "America/New_York"},
		{"0 8 * * MON-FRI UTC", "0 8 * * MON-FRI", "UTC"},
		{"30 7 * * 1-5", "30 7 * * 1-5", ""},
		{"@daily Asia/Tokyo", "@daily", "Asia/Tokyo"},
		{"@every 1h UTC", "@every 1h", "UTC"},
		{`"0 8 * * *" Europe/Paris`, "0 8 * * *", "Europe/Paris"},
	}
	for _, tt := range tests {
		spec, tz := splitSchedule(tt.in)
		if spec != tt.spec || tz != tt.tz {
			t.Errorf("splitSchedule(%q) = %q, %q; want %q, %q", tt.in, spec, tz, tt.spec, tt.tz)
		}
	}
}

func TestUnknownCommandAndMention(t *testing.T) {
	tb := newTestBot(t, "", Config{})
	if m := tb.ask("frobnicate", "", true); m.Kind != KindError || !strings.Contains(m.Text, "/help") {
		t.Errorf("unknown command: %+v", m)
	}
	m := tb.handle(context.Background(), Request{Platform: "chat", Channel: "C1", Mention: true, Args: "help"})
	if m.Kind != KindHelp || !strings.Contains(m.Text, "/subscribe <schedule or live> [time zone]") {
		t.Errorf("mention help: %+v", m)
	}
}

// TestCommandsAreCopies checks that the command table, built once, is
// handed out as copies: what a caller does to the commands Commands or
// Lookup returned changes neither the next ones nor the dispatch.
func TestCommandsAreCopies(t *testing.T) {
	want := fmt.Sprintf("%+v", Commands())
	cmds := Commands()
	for i := range cmds {
		cmds[i].Name += "x"
		cmds[i].Right = ManageChannel
		for j := range cmds[i].Options {
			cmds[i].Options[j].Description = "changed"
			for k := range cmds[i].Options[j].Choices {
				cmds[i].Options[j].Choices[k] = "changed"
			}
		}
		for j := range cmds[i].Actions {
			cmds[i].Actions[j].Right = Anyone
		}
	}
	for _, name := range []string{"ask", "schedule", "feeds"} {
		c, ok := Lookup(name)
		if !ok {
			t.Fatalf("Lookup(%q): not found", name)
		}
		c.Options[0].Description = "changed"
		if len(c.Options[0].Choices) > 0 {
			c.Options[0].Choices[0] = "changed"
		}
		if len(c.Actions) > 0 {
			c.Actions[1].Right = Anyone
		}
	}
	if got := fmt.Sprintf("%+v", Commands()); got != want {
		t.Errorf("the commands changed with the copies handed out:\n%s\nwant\n%s", got, want)
	}
	if name, _, ok := ParseCommand("/ask what now?"); !ok || name != "ask" {
		t.Errorf("ParseCommand: %q, %v", name, ok)
	}
	if r, what := rightOf(Request{Command: "feeds", Args: "add https://example.org/feed"}); r != ManageSources || what != "/feeds add" {
		t.Errorf("rightOf /feeds add: %v, %q", r, what)
	}
}

// deliverAt runs the delivery of one slot as the scheduler would.
func (tb *testBot) deliverAt(d Destination, slot time.Time) {
	tb.clock.Set(slot.Add(200 * time.Millisecond))
	tb.deliver(context.Background(), d, slot, false)
}

var chat = Destination{Platform: "chat", Channel: "C1"}

func TestDigestCoversNewArticlesOnce(t *testing.T) {
	tb := newTestBot(t, "", Config{})
	ctx := context.Background()
	tb.put(t, "harbor.txt")
	slot1 := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	tb.deliverAt(chat, slot1)
	tb.deliverAt(chat, slot1) // the same slot again: nothing
	posts := tb.plat.posts()
	if len(posts) != 1 {
		t.Fatalf("%d posts, want 1", len(posts))
	}
	m := posts[0].m
	if m.Kind != KindDigest || m.Header != "Digest for 08:00 Fri 27 Nov 2026 UTC" || len(m.Stories) != 1 {
		t.Errorf("digest: %+v", m)
	}
	// The post is traceable: its message maps to its bullets.
	p, err := tb.st.PostByMessage(ctx, "chat", "C1", "chat-1")
	if err != nil || len(p.Bullets) != len(m.Bullets()) || p.Bullets[0].ArticleID == "" {
		t.Errorf("recorded post %+v, %v", p, err)
	}

	// Next slot: only the article added since.
	tb.put(t, "clinic.txt")
	tb.deliverAt(chat, slot1.Add(24*time.Hour))
	posts = tb.plat.posts()
	if len(posts) != 2 || len(posts[1].m.Stories) != 1 || posts[1].m.Stories[0].Headline != "Night clinic opens in Eastvale" {
		t.Fatalf("second digest: %+v", posts[len(posts)-1].m)
	}
	// Nothing new: one short line.
	tb.deliverAt(chat, slot1.Add(48*time.Hour))
	posts = tb.plat.posts()
	if len(posts) != 3 || posts[2].m.Text != "No new articles since the last digest." || len(posts[2].m.Stories) != 0 {
		t.Errorf("empty digest: %+v", posts[2].m)
	}
}

func TestDigestSkipEmpty(t *testing.T) {
	tb := newTestBot(t, "", Config{SkipEmpty: true})
	slot := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	tb.deliverAt(chat, slot)
	if n := len(tb.plat.posts()); n != 0 {
		t.Errorf("%d posts with nothing new and BRIEFING_SKIP_EMPTY", n)
	}
	if last, err := tb.st.LastDelivery(context.Background(), "chat", "C1"); err != nil || !last.Time.Equal(slot) {
		t.Errorf("slot not completed: %+v, %v", last, err)
	}
}

// Two bots on one database (two processes, say) post each slot once.
func TestTwoBotsPostASlotOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	a := newTestBot(t, path, Config{})
	b := newTestBot(t, path, Config{})
	a.put(t, "harbor.txt")
	for i := range 20 {
		slot := time.Date(2026, 11, 27, 8, i, 0, 0, time.UTC)
		var wg sync.WaitGroup
		for _, tb := range []*testBot{a, b} {
			wg.Go(func() { tb.deliver(context.Background(), chat, slot, false) })
		}
		wg.Wait()
	}
	if n := len(a.plat.posts()) + len(b.plat.posts()); n != 20 {
		t.Errorf("%d posts for 20 slots", n)
	}
}

// A crash after the slot was reserved and before it was confirmed leaves it
// pending: the next start reports it and never posts it again.
func TestCrashBetweenReserveAndPost(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crash.db")
	ctx := context.Background()
	first := newTestBot(t, path, Config{Channels: []Destination{chat}, Catchup: time.Hour})
	slot := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	if ok, err := first.st.ReserveSlot(ctx, "chat", "C1", slot, "crashed", slot); !ok || err != nil {
		t.Fatal(ok, err)
	}
	// ... and the process dies here.

	second := newTestBot(t, path, Config{Channels: []Destination{chat}, Catchup: time.Hour})
	second.put(t, "harbor.txt")
	second.clock.Set(slot.Add(10 * time.Minute))
	ctx2, cancel := context.WithCancel(ctx)
	if err := second.sched.start(ctx2); err != nil {
		t.Fatal(err)
	}
	second.deliver(ctx2, chat, slot, false)
	cancel()
	second.sched.stop()
	if n := len(second.plat.posts()); n != 0 {
		t.Errorf("pending slot posted again: %d posts", n)
	}
	if !strings.Contains(second.logs.String(), "interrupted before it was confirmed") {
		t.Errorf("pending slot not reported:\n%s", second.logs.String())
	}
}

// A slot missed while the bot was down is posted once on start if it is
// within the catch-up window, and skipped (and logged) otherwise.
func TestCatchUp(t *testing.T) {
	for _, tt := range []struct {
		name    string
		window  time.Duration
		wantOut int
		log     string
	}{
		{"inside", time.Hour, 1, "missed while the bot was down"},
		{"outside", 10 * time.Minute, 0, "outside the catch-up window"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "catchup.db")
			tb := newTestBot(t, path, Config{Channels: []Destination{chat}, Catchup: tt.window})
			tb.put(t, "harbor.txt")
			day1 := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
			tb.deliverAt(chat, day1)
			tb.put(t, "clinic.txt")

			// Down over day 2's slot; back 20 minutes after it.
			back := newTestBot(t, path, Config{Channels: []Destination{chat}, Catchup: tt.window})
			back.clock.Set(day1.Add(24*time.Hour + 20*time.Minute))
			ctx, cancel := context.WithCancel(context.Background())
			if err := back.sched.start(ctx); err != nil {
				t.Fatal(err)
			}
			cancel()
			back.sched.stop()
			posts := back.plat.posts()
			if len(posts) != tt.wantOut {
				t.Fatalf("%d posts, want %d", len(posts), tt.wantOut)
			}
			if tt.wantOut == 1 && !strings.Contains(posts[0].m.Header, "08:00 Fri 27 Nov 2026 UTC (posted late") {
				t.Errorf("catch-up header %q", posts[0].m.Header)
			}
			if !strings.Contains(back.logs.String(), tt.log) {
				t.Errorf("log lacks %q:\n%s", tt.log, back.logs.String())
			}
			// Starting again posts nothing more.
			again := newTestBot(t, path, Config{Channels: []Destination{chat}, Catchup: tt.window})
			again.clock.Set(back.clock.Now())
			ctx, cancel = context.WithCancel(context.Background())
			if err := again.sched.start(ctx); err != nil {
				t.Fatal(err)
			}
			cancel()
			again.sched.stop()
			if n := len(again.plat.posts()); n != 0 {
				t.Errorf("second start posted %d", n)
			}
		})
	}
}

// A channel that is gone pauses its subscription, said once, and is not
// retried.
func TestChannelGonePausesSubscription(t *testing.T) {
	tb := newTestBot(t, "", Config{})
	ctx := context.Background()
	if m := tb.ask("subscribe", "0 8 * * *", true); m.Kind != KindInfo {
		t.Fatal(m)
	}
	tb.plat.fail = fmt.Errorf("post: unknown channel: %w", ErrChannelGone)
	slot := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	tb.deliverAt(chat, slot)
	sub, err := tb.st.Subscription(ctx, "chat", "C1")
	if err != nil || !sub.Paused || !strings.Contains(sub.PauseReason, "gone") {
		t.Errorf("subscription %+v, %v; want paused", sub, err)
	}
	if _, ok := tb.sched.entry(chat); ok {
		t.Error("paused channel still scheduled")
	}
	if m := tb.ask("schedule", "", false); !strings.Contains(m.Text, "paused") {
		t.Errorf("schedule of a paused channel: %q", m.Text)
	}
	if n := strings.Count(tb.logs.String(), "channel paused"); n != 1 {
		t.Errorf("pause said %d times", n)
	}
}

// The scheduler really fires: a per-second schedule delivers slots through
// robfig/cron, each once.
func TestSchedulerFires(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the clock")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "fire.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	plat := &fakePlatform{name: "chat"}
	b := New(Config{Schedule: "* * * * * *", TZ: "UTC", Channels: []Destination{chat}}, st, slog.New(slog.DiscardHandler), plat)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- b.Run(runCtx) }()
	deadline := time.Now().Add(10 * time.Second)
	for len(plat.posts()) < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	posts := plat.posts()
	if len(posts) < 2 {
		t.Fatalf("%d digests in 10 s from a per-second schedule", len(posts))
	}
	seen := map[string]bool{}
	for _, p := range posts {
		if seen[p.m.Header] {
			t.Errorf("slot posted twice: %s", p.m.Header)
		}
		seen[p.m.Header] = true
	}
}

// asAdmin is a caller who is (yes) or is not an admin of the channel.
func asAdmin(yes bool) Caller {
	return CallerFunc(func(context.Context) (bool, error) { return yes, nil })
}

// discard is a Replier that posts nowhere.
type discard struct{}

func (discard) Reply(context.Context, Message) (Destination, []string, error) {
	return Destination{}, nil, nil
}
