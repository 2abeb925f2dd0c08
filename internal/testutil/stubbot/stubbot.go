// Package stubbot stands in for the bot's commands in the adapters' tests:
// a [Stub] gives a [bot.Handler], the bot's own request lifecycle (time
// limit, panic recovery, posting, recording), whose answers come from the
// test, and records every request, with what its Caller said of the
// caller's rights, and every answer posted; [Digest] is a post with the
// controls the bot gives one. Test support only.
package stubbot

import (
	"context"
	"fmt"
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

// Digest is a digest of stories stories of bullets bullets each, every
// story with a link, with the controls the bot gives a digest: Sources,
// More on this, the links and Stop these.
func Digest(stories, bullets int) bot.Message {
	m := bot.Message{Kind: bot.KindDigest, Header: "Digest for 08:00 Mon 2 Mar 2026 UTC"}
	c := &bot.Controls{Stop: &bot.Choice{Label: "Stop these", ID: "bb1:stop", Danger: true}}
	n := 0
	for s := 1; s <= stories; s++ {
		st := bot.Story{
			ArticleID: fmt.Sprintf("%016x", s), URL: fmt.Sprintf("https://example.org/news/%d", s),
			Headline: fmt.Sprintf("Story %d: the council votes on the riverside bridge, its budget and the detour", s),
			Source:   "Valley Courier", Published: time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC),
			Gist: "The Riverside Avenue bridge will close for repairs.",
		}
		for b := 0; b < bullets; b++ {
			n++
			st.Bullets = append(st.Bullets, bot.Bullet{N: n, Text: fmt.Sprintf("Claim %d of story %d", b+1, s), Attribution: "Mayor Jane Doe",
				ArticleID: st.ArticleID, ClaimIndex: b})
			c.Sources = append(c.Sources, bot.Choice{Label: fmt.Sprintf("Source %d", n), Detail: fmt.Sprintf("%d. Claim %d of story %d (Mayor Jane Doe)", n, b+1, s),
				ID: fmt.Sprintf("bb1:src:d:%d:%s:%d", n, st.ArticleID, b)})
		}
		c.More = append(c.More, bot.Choice{Label: "More on this", Detail: st.Headline, ID: "bb1:more:" + st.ArticleID})
		c.Links = append(c.Links, bot.Choice{Label: "Read the article", Detail: st.Headline, URL: st.URL})
		m.Stories = append(m.Stories, st)
	}
	m.Controls = c
	return m
}
