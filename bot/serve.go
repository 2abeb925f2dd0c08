package bot

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"
)

// answerTimeout is how long an answer may take before the asker is told
// it took too long.
const answerTimeout = 5 * time.Minute

// postTimeout bounds posting an answer once it is ready, even when the
// request's context is done (the platform is stopping).
const postTimeout = 30 * time.Second

// Handler runs the life of every request a platform receives, the same on
// every platform: it answers the request within a time limit, turns a
// panic or an overrun into a message saying so, posts the answer through
// the adapter's [Replier], and records which bullets the posted messages
// carry. Platforms get the bot's from [Bot.Run]; a test can make one
// around a stub.
type Handler struct {
	// Answer answers a request: the bot's commands. It may panic or
	// overrun its context; Serve copes with both.
	Answer func(ctx context.Context, req Request) Message
	// Record remembers which platform messages carried an answer; nil
	// remembers nothing.
	Record func(ctx context.Context, to Destination, ids []string, m Message)
	// Log receives what goes wrong; nil discards it.
	Log *slog.Logger
	// Timeout bounds Answer; zero means five minutes.
	Timeout time.Duration
}

// Serve answers req and posts the answer through r, then returns. It never
// fails and never panics: whatever happens, the asker gets a message. The
// rights of req.Caller are asked for at most once, and only if the answer
// needs them. ctx is the request's: when it ends before the answer is
// ready (the platform is stopping), the asker is told so.
func (h *Handler) Serve(ctx context.Context, req Request, r Replier) {
	req.Caller = &askOnce{caller: req.Caller}
	m := h.answer(ctx, req)
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), postTimeout)
	defer cancel()
	to, ids, err := r.Reply(pctx, m)
	if err != nil {
		h.log().Error("bot: answer not posted", "platform", req.Platform, "channel", req.Channel, "command", req.Command,
			"mention", req.Mention, "posted", len(ids), "err", err)
	}
	if len(ids) > 0 && h.Record != nil {
		h.Record(pctx, to, ids, m)
	}
}

// answer calls h.Answer in a goroutine, so that an answer that overruns
// its context cannot hold the asker up, and turns a panic into a message.
func (h *Handler) answer(ctx context.Context, req Request) Message {
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = answerTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	done := make(chan Message, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				h.log().Error("bot: answer panicked", "command", req.Command, "mention", req.Mention, "panic", r, "stack", string(debug.Stack()))
				done <- errorMessage("Something went wrong on my side while answering that. Please try again.")
			}
		}()
		done <- h.Answer(ctx, req)
	}()
	select {
	case m := <-done:
		return m
	case <-ctx.Done():
		h.log().Warn("bot: no answer in time", "platform", req.Platform, "channel", req.Channel, "command", req.Command,
			"mention", req.Mention, "err", ctx.Err())
		if errors.Is(ctx.Err(), context.Canceled) {
			return errorMessage("Sorry, I was stopped before I could answer that. Please try again in a moment.")
		}
		return errorMessage("Sorry, that took too long to answer. Please try again.")
	}
}

// Drain is for a platform that stops: it waits up to ten seconds for the
// answers under way (counted in wg), then cancels them with cancel, so
// that their askers are told, and waits up to two seconds more for those
// messages. It reports whether it had to cancel any.
func Drain(wg *sync.WaitGroup, cancel context.CancelFunc) bool {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return false
	case <-time.After(10 * time.Second):
	}
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	return true
}

func (h *Handler) log() *slog.Logger {
	if h.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return h.Log
}

// askOnce asks a caller's rights once, the first time they are needed,
// and gives the same answer after.
type askOnce struct {
	caller Caller
	once   sync.Once
	admin  bool
	err    error
}

func (a *askOnce) IsAdmin(ctx context.Context) (bool, error) {
	a.once.Do(func() {
		if a.caller != nil {
			a.admin, a.err = a.caller.IsAdmin(ctx)
		}
	})
	return a.admin, a.err
}
