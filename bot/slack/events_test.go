package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack/slackevents"

	"github.com/briefbot/briefbot/internal/fakeslack"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/store"
)

// sendEvent delivers an Events API callback in the platform's mode (retry >
// 0 marks it as Slack's retry) and checks it is acknowledged at once.
func (r *running) sendEvent(t testing.TB, ev map[string]any, retry int) {
	t.Helper()
	if r.base == "" {
		id := r.f.Envelope(t, "events_api", ev, retry)
		if d := r.f.AckLatency(t, id); d >= 3*time.Second {
			t.Errorf("event acknowledged after %v", d)
		}
		return
	}
	body, _ := json.Marshal(ev)
	header := http.Header{}
	if retry > 0 {
		header.Set("X-Slack-Retry-Num", "1")
		header.Set("X-Slack-Retry-Reason", "http_timeout")
	}
	status, _, took := r.post(t, eventsPath, "application/json", string(body), header)
	if status != http.StatusOK || took >= 3*time.Second {
		t.Errorf("event: status %d after %v, want 200 at once", status, took)
	}
}

func modes(t *testing.T, test func(t *testing.T, socket bool)) {
	t.Run("socket", func(t *testing.T) { test(t, true) })
	t.Run("http", func(t *testing.T) { test(t, false) })
}

// A mention is answered in its own thread; a mention inside the thread of
// a briefing the bot posted asks about that briefing (ReplyTo).
func TestMentions(t *testing.T) {
	modes(t, func(t *testing.T, socket bool) {
		f := fakeslack.New(t)
		h := newStub(0)
		r := start(t, f, h, socket)

		r.sendEvent(t, mentionEvent("Ev1", "C1", "UUSER", "<@UBOT> briefing Gaza", "1700000100.000100", ""), 0)
		testutil.WaitFor(t, 5*time.Second, "the answer", func() bool { return len(f.PostsTo("C1")) == 1 })
		briefing := f.PostsTo("C1")[0]
		if briefing.ThreadTS != "1700000100.000100" {
			t.Errorf("answered in thread %q, want the mention's own thread", briefing.ThreadTS)
		}
		if !strings.Contains(content(t, briefing), "Briefing: Gaza") {
			t.Errorf("answer = %q", content(t, briefing))
		}
		req := h.Requests()[0]
		if !req.Mention || req.Args != "briefing Gaza" || req.MessageID != "1700000100.000100" || req.ReplyTo != "" ||
			req.Channel != "C1" || req.User != "UUSER" || req.Command != "" {
			t.Errorf("request = %+v", req)
		}
		testutil.WaitFor(t, 5*time.Second, "Sent", func() bool { return len(h.Posts()) == 1 })
		if s := h.Posts()[0]; s.To.Thread != "1700000100.000100" || s.IDs[0] != briefing.TS {
			t.Errorf("Sent(%+v, %v)", s.To, s.IDs)
		}

		// "source?" in the thread of that briefing: the thread is the
		// briefing's own message.
		thread := briefing.TS
		r.sendEvent(t, mentionEvent("Ev2", "C1", "UUSER", "<@UBOT|briefbot> source?", "1700000200.000200", thread), 0)
		testutil.WaitFor(t, 5*time.Second, "the second answer", func() bool { return len(f.PostsTo("C1")) == 2 })
		src := f.PostsTo("C1")[1]
		if src.ThreadTS != thread {
			t.Errorf("answered in thread %q, want %q", src.ThreadTS, thread)
		}
		req = h.Requests()[1]
		if req.ReplyTo != thread || req.Args != "source?" || req.MessageID != "1700000200.000200" {
			t.Errorf("request = %+v, want ReplyTo %s", req, thread)
		}
		if got := content(t, src); !strings.Contains(got, "Sources for "+thread) || !strings.Contains(got, ">The bridge will close, the mayor said.") {
			t.Errorf("sources answer = %q", got)
		}

		// A mention from a bot is not answered.
		ev := mentionEvent("Ev3", "C1", "UOTHER", "<@UBOT> help", "1700000300.000300", "")
		ev["event"].(map[string]any)["bot_id"] = "B2"
		r.sendEvent(t, ev, 0)
		time.Sleep(100 * time.Millisecond)
		if n := len(h.Requests()); n != 2 {
			t.Errorf("%d requests, want a bot's mention ignored", n)
		}
	})
}

// Slack retries an event it thinks was lost: the retry is acknowledged at
// once and never answered a second time.
func TestRetriedEventAnsweredOnce(t *testing.T) {
	modes(t, func(t *testing.T, socket bool) {
		f := fakeslack.New(t)
		h := newStub(50 * time.Millisecond)
		r := start(t, f, h, socket)
		ev := mentionEvent("EvRetry", "C1", "UUSER", "<@UBOT> help", "1700000400.000400", "")
		r.sendEvent(t, ev, 0)
		r.sendEvent(t, ev, 1)
		r.sendEvent(t, ev, 2)
		testutil.WaitFor(t, 5*time.Second, "the answer", func() bool { return len(f.PostsTo("C1")) >= 1 })
		time.Sleep(200 * time.Millisecond)
		if n := len(f.PostsTo("C1")); n != 1 {
			t.Errorf("%d answers, want 1", n)
		}
		if n := len(h.Requests()); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
		if socket {
			for id, n := range f.AckCounts() {
				if n != 1 {
					t.Errorf("envelope %s acknowledged %d times, want once", id, n)
				}
			}
		}
	})
}

// Two replicas on one database (behind a load balancer, in HTTP mode):
// Slack's retry of an event the first one took reaches the second, which
// acknowledges it and does not answer it again.
func TestRetryToAnotherReplicaAnsweredOnce(t *testing.T) {
	f := fakeslack.New(t)
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "replicas.db"))
	if err != nil {
		t.Fatal(err)
	}
	h1, h2 := newStub(0), newStub(0)
	first := startWith(t, f, h1, false, func(c *Config) { c.Replay = st })
	second := startWith(t, f, h2, false, func(c *Config) { c.Replay = st })
	t.Cleanup(func() { st.Close() }) // after the platforms stop
	ev := mentionEvent("EvReplicas", "C1", "UUSER", "<@UBOT> help", "1700000500.000500", "")
	first.sendEvent(t, ev, 0)
	testutil.WaitFor(t, 5*time.Second, "the answer", func() bool { return len(f.PostsTo("C1")) == 1 })
	// Slack signs each retry anew, with its own timestamp: the signature
	// differs, the event ID does not.
	time.Sleep(1100 * time.Millisecond)
	second.sendEvent(t, ev, 1)
	second.sendEvent(t, ev, 2)
	time.Sleep(200 * time.Millisecond)
	if n := len(f.PostsTo("C1")); n != 1 {
		t.Errorf("%d answers, want 1", n)
	}
	if n1, n2 := len(h1.Requests()), len(h2.Requests()); n1 != 1 || n2 != 0 {
		t.Errorf("the replicas answered %d and %d requests, want 1 and 0", n1, n2)
	}
}

// A private answer to a mention is ephemeral, in the mention's thread.
func TestPrivateAnswerToMention(t *testing.T) {
	f := fakeslack.New(t)
	h := newStub(0)
	r := start(t, f, h, true)
	r.sendEvent(t, mentionEvent("Ev1", "C1", "UUSER", "<@UBOT> subscribe @daily", "1700000500.000500", ""), 0)
	testutil.WaitFor(t, 5*time.Second, "the ephemeral answer", func() bool { return len(f.Ephemeral()) == 1 })
	e := f.Ephemeral()[0]
	if e.Channel != "C1" || e.User != "UUSER" || e.ThreadTS != "1700000500.000500" {
		t.Errorf("ephemeral = %+v", e)
	}
	if len(f.PostsTo("C1")) != 0 {
		t.Error("a private answer was posted in the channel")
	}
	if req := h.Requests()[0]; req.Admin {
		t.Error("a user who is not a workspace admin got Admin")
	}
}

// Slack asks the bot to reconnect: it opens a new connection and keeps
// answering on it.
func TestSocketModeReconnectsAfterDisconnect(t *testing.T) {
	f := fakeslack.New(t)
	h := newStub(0)
	r := start(t, f, h, true)
	r.sendCommand(t, slash{Channel: "C1", User: "UUSER", Text: "help", ResponseURL: f.ResponseURL(), Trigger: "t1"})
	testutil.WaitFor(t, 5*time.Second, "the first answer", func() bool { return len(f.PostsTo("C1")) == 1 })

	f.Disconnect(t)
	f.WaitConn(t, 2)
	opens := f.Opens()
	if opens != 2 {
		t.Errorf("apps.connections.open called %d times, want 2", opens)
	}
	r.sendCommand(t, slash{Channel: "C2", User: "UUSER", Text: "briefing", ResponseURL: f.ResponseURL(), Trigger: "t2"})
	testutil.WaitFor(t, 5*time.Second, "the answer after reconnecting", func() bool { return len(f.PostsTo("C2")) == 1 })
}

func TestMentionRequest(t *testing.T) {
	p, err := New(Config{BotToken: "xoxb-1", AppToken: "xapp-1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.botUser = "UBOT"
	for _, c := range []struct{ text, args string }{
		{"<@UBOT> briefing Gaza", "briefing Gaza"},
		{"hey <@UBOT|briefbot>, source 2?", "hey , source 2?"},
		{"<@UBOT> briefing AT&amp;T &lt;b&gt;", "briefing AT&T <b>"},
		{"<@UBOT> ask <@U123> about <#C1|general> and <https://x.test/a|this>", "ask @U123 about #general and this"},
		{"<@UBOT> <!channel> <!here|here>", "@channel here"},
	} {
		ev := mentionEventData(c.text)
		if got := p.mention(ev, "T1").Args; got != c.args {
			t.Errorf("mention %q: Args = %q, want %q", c.text, got, c.args)
		}
	}
}

func mentionEventData(text string) *slackevents.AppMentionEvent {
	return &slackevents.AppMentionEvent{Type: "app_mention", User: "UUSER", Text: text, TimeStamp: "1.0", Channel: "C1"}
}

// Stopping the platform lets an answer under way be posted before Run
// returns.
func TestShutdownFinishesAnswersInProgress(t *testing.T) {
	modes(t, func(t *testing.T, socket bool) {
		f := fakeslack.New(t)
		h := newStub(time.Second)
		r := start(t, f, h, socket)
		r.sendCommand(t, slash{Channel: "C1", User: "UUSER", Text: "help", ResponseURL: f.ResponseURL(), Trigger: "t-stop"})
		testutil.WaitFor(t, 5*time.Second, "the request", func() bool { return len(h.Requests()) == 1 })
		r.stop()
		if posts := f.PostsTo("C1"); len(posts) != 1 || !strings.Contains(content(t, posts[0]), "What briefbot can do") {
			t.Errorf("answers posted by the time Run returned: %+v", posts)
		}
	})
}
