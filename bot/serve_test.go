package bot

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// replies records what Serve posts; its Reply returns ids and err.
type replies struct {
	mu   sync.Mutex
	got  []Message
	ctxs []error // each Reply's context's error when it was called
	to   Destination
	ids  []string
	err  error
}

func (r *replies) Reply(ctx context.Context, m Message) (Destination, []string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, m)
	r.ctxs = append(r.ctxs, ctx.Err())
	return r.to, r.ids, r.err
}

// Whatever the answer does (panics, overruns, outlives the request), the
// asker gets one message that says so, posted with a live context.
func TestServeAlwaysAnswers(t *testing.T) {
	for _, c := range []struct {
		name   string
		answer func(ctx context.Context) Message
		cancel bool // the request's context ends while answering
		want   string
	}{
		{"panic", func(context.Context) Message { panic("boom") }, false, "Something went wrong on my side"},
		{"overrun", func(ctx context.Context) Message { time.Sleep(time.Second); return Message{Text: "late"} }, false, "took too long"},
		{"stopping", func(ctx context.Context) Message { <-ctx.Done(); return Message{Text: "late"} }, true, "stopped before I could answer"},
		{"answer", func(context.Context) Message { return Message{Kind: KindInfo, Text: "fine"} }, false, "fine"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb := newTestBot(t, "", Config{})
			h := &Handler{Answer: func(ctx context.Context, _ Request) Message { return c.answer(ctx) }, Log: tb.log, Timeout: 50 * time.Millisecond}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if c.cancel {
				time.AfterFunc(10*time.Millisecond, cancel)
				h.Timeout = time.Minute
			}
			r := &replies{}
			h.Serve(ctx, Request{Platform: "chat", Channel: "C1", Command: "briefing"}, r)
			if len(r.got) != 1 || !strings.Contains(r.got[0].Text, c.want) {
				t.Fatalf("posted %+v, want one message saying %q", r.got, c.want)
			}
			if r.ctxs[0] != nil {
				t.Errorf("posted with a context already done: %v", r.ctxs[0])
			}
			if c.name != "answer" && r.got[0].Kind != KindError {
				t.Errorf("kind %s, want an error", r.got[0].Kind)
			}
		})
	}
}

// The bullets of a posted answer are recorded under the IDs and the place
// the adapter reports, even when only some parts were posted; an answer
// posted without IDs (shown to the asker alone) is not.
func TestServeRecordsPostedBullets(t *testing.T) {
	tb := newTestBot(t, "", Config{})
	ctx := context.Background()
	m := Message{Kind: KindBriefing, Stories: []Story{{ArticleID: "a1", Bullets: []Bullet{{N: 1, ArticleID: "a1", ClaimIndex: 3}}}}}
	h := &Handler{Answer: func(context.Context, Request) Message { return m }, Record: tb.record, Log: tb.log}
	thread := Destination{Platform: "chat", Channel: "C1", Thread: "T1"}
	h.Serve(ctx, Request{Platform: "chat", Channel: "C1", Mention: true}, &replies{to: thread, ids: []string{"m1", "m2"}, err: errors.New("third part failed")})
	h.Serve(ctx, Request{Platform: "chat", Channel: "C1", Command: "briefing"}, &replies{to: Destination{Platform: "chat", Channel: "C1"}})
	for _, id := range []string{"m1", "m2"} {
		p, err := tb.st.PostByMessage(ctx, "chat", "C1", id)
		if err != nil || p.ThreadID != "T1" || len(p.Bullets) != 1 || p.Bullets[0].ClaimIndex != 3 {
			t.Errorf("post %s: %+v, %v", id, p, err)
		}
	}
	if !strings.Contains(tb.logs.String(), "third part failed") {
		t.Errorf("the failed post is not logged:\n%s", tb.logs)
	}
}

// A caller's rights are asked once however often the answer needs them.
func TestServeAsksRightsOnce(t *testing.T) {
	asked := 0
	h := &Handler{Answer: func(ctx context.Context, req Request) Message {
		for range 3 {
			if ok, _ := req.Caller.IsAdmin(ctx); !ok {
				return errorMessage("not an admin")
			}
		}
		return Message{Text: "admin"}
	}}
	r := &replies{}
	h.Serve(context.Background(), Request{Caller: CallerFunc(func(context.Context) (bool, error) { asked++; return true, nil })}, r)
	if asked != 1 || r.got[0].Text != "admin" {
		t.Errorf("asked %d times, answered %+v", asked, r.got)
	}
}
