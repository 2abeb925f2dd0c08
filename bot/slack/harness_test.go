package slack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/fakeslack"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/internal/testutil/stubbot"
)

// newStub answers every request with answer; each answer takes delay.
// The caller's rights are asked, as the bot asks them, only when someone
// without them would be refused.
func newStub(delay time.Duration) *stubbot.Stub {
	return &stubbot.Stub{Answer: answer, Delay: delay, Ask: func(req bot.Request) bool { return bot.Refuses(req, false) }}
}

// answer answers deterministically, as the bot would.
func answer(req stubbot.Request) bot.Message {
	if req.Mention {
		if name, args, ok := bot.ParseCommand(req.Args); ok {
			req.Command, req.Args = name, args
		} else if strings.Contains(strings.ToLower(req.Args), "source") && req.ReplyTo != "" {
			return bot.Message{Kind: bot.KindSources, Title: "Sources for " + req.ReplyTo,
				Stories: []bot.Story{{Headline: "Bridge closes", Source: "Valley Courier", URL: "https://example.org/bridge",
					Bullets: []bot.Bullet{{N: 1, Text: "The bridge will close", Attribution: "the mayor said", Sentence: "The bridge will close, the mayor said."}}}}}
		} else {
			return bot.Message{Kind: bot.KindInfo, Text: "I can brief you on the news. Try “@briefbot briefing” or type /help."}
		}
	}
	switch req.Command {
	case "briefing":
		return briefingMessage("Briefing: " + req.Args)
	case "ask":
		m := briefingMessage("")
		m.Kind, m.Header, m.Text = bot.KindAnswer, "", "Answer to: "+req.Args
		return m
	case "source":
		return bot.Message{Kind: bot.KindSources, Title: "Source of " + req.Args,
			Stories: []bot.Story{{Headline: "Bridge closes", Context: "Around the claim.",
				Bullets: []bot.Bullet{{N: 2, Text: "Traffic will be diverted", Sentence: "Traffic will be diverted, the city said."}}}}}
	case "story":
		return bot.Message{Kind: bot.KindBriefing, Title: "Story: " + req.Args, Text: "Reported by 2 outlets: Valley Courier, Northwire.",
			Stories: []bot.Story{
				{Headline: "Bridge closes", Source: "Valley Courier", Bullets: []bot.Bullet{{N: 1, Text: "The bridge will close", Attribution: "the mayor"}}},
				{Headline: "Bridge shut for repairs", Source: "Northwire", Bullets: []bot.Bullet{{N: 2, Text: "The bridge will close", Attribution: "the mayor"}},
					Notes: []string{"Outlets differ on the cost: $2 million (Valley Courier); $3 million (Northwire)."}},
			}}
	case "claims":
		return bot.Message{Kind: bot.KindAnswer, Text: "What " + req.Args + " said:",
			Stories: []bot.Story{{Headline: "Bridge closes", Bullets: []bot.Bullet{{N: 1, Text: "We will rebuild", Quoted: true, Attribution: req.Args}}}}}
	case "subscribe":
		if !req.Admin {
			return bot.Message{Kind: bot.KindError, Private: true, Text: "Sorry, /subscribe changes this channel, so it needs a workspace admin."}
		}
		return bot.Message{Kind: bot.KindInfo, Text: "Subscribed: " + req.Args}
	case "unsubscribe":
		if !req.Admin {
			return bot.Message{Kind: bot.KindError, Private: true, Text: "Sorry, /unsubscribe needs a workspace admin."}
		}
		return bot.Message{Kind: bot.KindInfo, Text: "Unsubscribed."}
	case "schedule":
		return bot.Message{Kind: bot.KindInfo, Text: "No schedule here. Subscribe with /subscribe <schedule> [time zone]."}
	case "feeds":
		if action := strings.Fields(req.Args)[0]; (action == "add" || action == "remove") && !req.Admin {
			return bot.Message{Kind: bot.KindError, Private: true, Text: "Sorry, /feeds " + action + " needs a workspace admin."}
		}
		return bot.Message{Kind: bot.KindInfo, Title: "Feeds", Text: "I follow 1 feed: <" + req.Args + ">"}
	case "help":
		return bot.Message{Kind: bot.KindHelp, Title: "briefbot", Text: "/briefing [topic]\n    A briefing now\n/help\n    What briefbot can do"}
	case "boom":
		panic("boom")
	}
	return bot.Message{Kind: bot.KindError, Text: fmt.Sprintf("I don't know the command %q. Type /help to see what I can do.", req.Command)}
}

func briefingMessage(header string) bot.Message {
	return bot.Message{
		Kind:   bot.KindBriefing,
		Header: header,
		Stories: []bot.Story{{
			ArticleID: "a1", Headline: "Riverside bridge to close for six months", URL: "https://example.org/news/bridge",
			Source: "Valley Courier", Published: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC),
			Gist: "The Riverside Avenue bridge will close for repairs.",
			Bullets: []bot.Bullet{
				{N: 1, Text: "It is the only way to keep the bridge safe", Quoted: true, Attribution: "Mayor Ana Ruiz", ArticleID: "a1"},
				{N: 2, Text: "Traffic will be diverted to Main Street", Attribution: "according to the city", ArticleID: "a1", ClaimIndex: 1},
			},
		}},
		Footer: "Reply “source 2” in the thread to see where a claim comes from.",
	}
}

type running struct {
	p    *Platform
	f    *fakeslack.Slack
	h    *stubbot.Stub
	logs *testutil.Buffer
	base string // HTTP mode: the platform's URL
	stop func() // cancels Run and waits for it to return
}

// start runs the platform against the fake, in Socket Mode or HTTP mode,
// until the test ends.
func start(t testing.TB, f *fakeslack.Slack, h *stubbot.Stub, socket bool) *running {
	t.Helper()
	return startWith(t, f, h, socket, nil)
}

// startWith is start with the configuration changed by mod.
func startWith(t testing.TB, f *fakeslack.Slack, h *stubbot.Stub, socket bool, mod func(*Config)) *running {
	t.Helper()
	log, logs := testutil.Logger(t)
	cfg := Config{BotToken: fakeslack.BotToken, APIURL: f.URL()}
	if socket {
		cfg.AppToken = fakeslack.AppToken
	} else {
		cfg.SigningSecret, cfg.ListenAddr = testSecret, "127.0.0.1:0"
	}
	if mod != nil {
		mod(&cfg)
	}
	p, err := New(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	p.channelInterval = 5 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, h.Handler()) }()
	r := &running{p: p, f: f, h: h, logs: logs}
	var once sync.Once
	r.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("Run returned %v, want context.Canceled", err)
				}
			case <-time.After(15 * time.Second):
				t.Errorf("Run did not return after its context was canceled")
			}
		})
	}
	t.Cleanup(func() {
		r.stop()
		f.CheckNoProblems(t)
	})
	select {
	case <-p.ready:
	case err := <-done:
		t.Fatalf("Run ended before it was ready: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the platform did not get ready")
	}
	if !socket {
		p.mu.Lock()
		r.base = "http://" + p.addr.String()
		p.mu.Unlock()
	}
	return r
}

const testSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// sign signs a request as Slack does: v0=HMAC-SHA256("v0:ts:body").
var sign = fakeslack.Sign

// post sends a signed request to the platform and returns the status, the
// body and how long the answer took.
func (r *running) post(t testing.TB, path, contentType, body string, header http.Header) (int, string, time.Duration) {
	t.Helper()
	return r.send(t, path, contentType, body, func(req *http.Request) {
		sign(req, testSecret, body, time.Now())
		for k, v := range header {
			req.Header[k] = v
		}
	})
}

// send sends a request to the platform, readied by prepare (which may sign
// it, or not), and returns the status, the body and how long the answer
// took.
func (r *running) send(t testing.TB, path, contentType, body string, prepare func(*http.Request)) (int, string, time.Duration) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, r.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	prepare(req)
	startAt := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), time.Since(startAt)
}

// slash is a slash command as Slack sends it.
type slash = fakeslack.Slash

// sendCommand sends a slash command in the platform's mode and returns how
// long its acknowledgement took.
func (r *running) sendCommand(t testing.TB, s slash) time.Duration {
	t.Helper()
	if r.base == "" {
		id := r.f.Envelope(t, "slash_commands", s.Payload(), 0)
		return r.f.AckLatency(t, id)
	}
	status, body, took := r.post(t, commandsPath, "application/x-www-form-urlencoded", s.Form(), nil)
	if status != http.StatusOK || body != "" {
		t.Fatalf("slash command: status %d body %q, want 200 and an empty body", status, body)
	}
	return took
}

// mentionEvent is an app_mention event callback as Slack sends it.
var mentionEvent = fakeslack.MentionEvent
