// Package stubbot stands in for the bot's commands in the adapters' tests:
// a [Stub] gives a [bot.Handler], the bot's own request lifecycle (time
// limit, panic recovery, posting, recording), whose answers come from the
// test, and records every request, with what its Caller said of the
// caller's rights, and every answer posted. Test support only.
package stubbot

import (
	"context"
	"sync"
	"time"

	"github.com/briefbot/briefbot/bot"
)

// Request is a request as the adapter decoded it.
type Request struct {
	bot.Request      // Caller cleared, so that requests compare with ==
	Admin       bool // what the request's Caller said
}

// Post is an answer posted, as the Replier reported it.
type Post struct {
	To  bot.Destination
	IDs []string
	Msg bot.Message
}

// Stub answers requests with Answer, after Delay.
type Stub struct {
	Answer func(req Request) bot.Message
	Delay  time.Duration // each answer waits this long, or until its context ends
	// Ask says which requests' Caller is asked for the caller's rights, as
	// the bot asks only for what needs them; nil asks every one.
	Ask func(req bot.Request) bool

	mu    sync.Mutex
	reqs  []Request
	posts []Post
}

// Handler is the bot's request lifecycle around the stub's answers.
func (s *Stub) Handler() *bot.Handler {
	return &bot.Handler{Answer: s.answer, Record: s.record}
}

func (s *Stub) answer(ctx context.Context, req bot.Request) bot.Message {
	r := Request{Request: req}
	if req.Caller != nil && (s.Ask == nil || s.Ask(req)) {
		r.Admin, _ = req.Caller.IsAdmin(ctx)
	}
	r.Caller = nil
	s.mu.Lock()
	s.reqs = append(s.reqs, r)
	answer, delay := s.Answer, s.Delay
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-ctx.Done():
		}
	}
	if answer == nil {
		return bot.Message{Kind: bot.KindInfo, Text: "ok"}
	}
	return answer(r)
}

func (s *Stub) record(_ context.Context, to bot.Destination, ids []string, m bot.Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.posts = append(s.posts, Post{To: to, IDs: append([]string(nil), ids...), Msg: m})
}

// Requests returns the requests answered so far, in order.
func (s *Stub) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Posts returns the answers posted with IDs so far, in order.
func (s *Stub) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Post(nil), s.posts...)
}
