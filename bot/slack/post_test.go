package slack

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/fakeslack"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/internal/ttlcache"
)

// platform makes a platform on the fake for Post, which needs no Run.
func platform(t testing.TB, f *fakeslack.Slack) (*Platform, *testutil.Buffer) {
	t.Helper()
	log, logs := testutil.Logger(t)
	p, err := New(Config{BotToken: fakeslack.BotToken, AppToken: fakeslack.AppToken, APIURL: f.URL()}, log)
	if err != nil {
		t.Fatal(err)
	}
	return p, logs
}

func digest(stories int) bot.Message {
	m := bot.Message{Kind: bot.KindDigest, Header: "Daily digest · 08:00 Mon 2 Dec (Europe/Paris)"}
	for i := range stories {
		m.Stories = append(m.Stories, bot.Story{
			ArticleID: fmt.Sprint("a", i), Headline: fmt.Sprintf("Story %d", i), URL: fmt.Sprintf("https://example.org/%d", i),
			Source: "Wire", Gist: "A gist.", Bullets: []bot.Bullet{{N: i + 1, Text: "A claim", Attribution: "someone"}},
		})
	}
	return m
}

// A 429 is waited out (Retry-After: 1) and the post retried.
func TestPostRateLimitedThenSucceeds(t *testing.T) {
	f := fakeslack.New(t)
	f.RateLimit("C1", 1)
	p, logs := platform(t, f)
	start := time.Now()
	ids, err := p.Post(context.Background(), bot.Destination{Platform: "slack", Channel: "C1"}, briefingMessage("Now"))
	took := time.Since(start)
	if err != nil || len(ids) != 1 {
		t.Fatalf("Post = %v, %v", ids, err)
	}
	if took < 900*time.Millisecond {
		t.Errorf("retried after %v, before Retry-After's 1 s", took)
	}
	attempts := f.Attempts("C1")
	if attempts != 2 || len(f.PostsTo("C1")) != 1 || f.PostsTo("C1")[0].TS != ids[0] {
		t.Errorf("%d attempts, posts %v, want 2 attempts and one post", attempts, f.PostsTo("C1"))
	}
	if !strings.Contains(logs.String(), "rate limited") {
		t.Error("the 429 was not logged")
	}
}

// Waiting out a 429 honors the context; retries are bounded.
func TestPostRateLimitedBounded(t *testing.T) {
	f := fakeslack.New(t)
	f.RateLimit("C1", 100)
	p, _ := platform(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := p.Post(ctx, bot.Destination{Platform: "slack", Channel: "C1"}, briefingMessage("Now"))
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("Post = %v after %v, want the context's error at once", err, time.Since(start))
	}

	p.maxRateRetries = 1
	_, err = p.Post(context.Background(), bot.Destination{Platform: "slack", Channel: "C1"}, briefingMessage("Now"))
	if err == nil || !strings.Contains(err.Error(), "rate limited") || errors.Is(err, bot.ErrChannelGone) {
		t.Errorf("Post = %v, want a rate-limit error", err)
	}
}

func TestPostChannelGone(t *testing.T) {
	f := fakeslack.New(t)
	p, _ := platform(t, f)
	for code, gone := range map[string]bool{"not_in_channel": true, "channel_not_found": true, "is_archived": true, "msg_too_long": false, "internal_error": false} {
		ch := "C-" + code
		f.FailPosts(ch, code)
		_, err := p.Post(context.Background(), bot.Destination{Platform: "slack", Channel: ch}, briefingMessage("x"))
		if err == nil || errors.Is(err, bot.ErrChannelGone) != gone || !strings.Contains(err.Error(), code) {
			t.Errorf("%s: Post = %v, want ErrChannelGone %v", code, err, gone)
		}
	}
}

// Parts of one message go out in order, a second apart in one channel (here
// shortened), while other channels are not held up.
func TestPostPerChannelLimit(t *testing.T) {
	f := fakeslack.New(t)
	f.SetMinGap(190 * time.Millisecond)
	p, _ := platform(t, f)
	p.channelInterval = 200 * time.Millisecond
	m := digest(60) // 3 parts
	if n := len(render(m)); n < 3 {
		t.Fatalf("%d parts, want at least 3", n)
	}
	var wg sync.WaitGroup
	var ids1 []string
	var err1 error
	wg.Go(func() {
		ids1, err1 = p.Post(context.Background(), bot.Destination{Platform: "slack", Channel: "C1"}, m)
	})
	time.Sleep(20 * time.Millisecond)
	start := time.Now()
	ids2, err2 := p.Post(context.Background(), bot.Destination{Platform: "slack", Channel: "C2", Thread: "1.5"}, briefingMessage("x"))
	if other := time.Since(start); other > 150*time.Millisecond || err2 != nil || len(ids2) != 1 {
		t.Errorf("another channel waited %v (%v)", other, err2)
	}
	wg.Wait()
	if err1 != nil || len(ids1) != len(render(m)) {
		t.Fatalf("Post = %v, %v", ids1, err1)
	}
	posts := f.PostsTo("C1")
	for i := range posts {
		if posts[i].TS != ids1[i] {
			t.Errorf("IDs %v out of order with posts", ids1)
		}
		if i > 0 && posts[i].At.Sub(posts[i-1].At) < 190*time.Millisecond {
			t.Errorf("parts %d and %d only %v apart", i-1, i, posts[i].At.Sub(posts[i-1].At))
		}
	}
	if !strings.Contains(content(t, posts[0]), "Daily digest") {
		t.Error("the first part does not carry the header")
	}
	if c2 := f.PostsTo("C2"); len(c2) != 1 || c2[0].ThreadTS != "1.5" {
		t.Errorf("thread post: %+v", c2)
	}
	if n := f.TooFast(); n != 0 {
		t.Errorf("%d posts came faster than one a second per channel", n)
	}
}

func TestDedupe(t *testing.T) {
	d := &Platform{seen: ttlcache.New[string, struct{}](50*time.Millisecond, 3)}
	if !d.first("a") || d.first("a") || !d.first("b") || !d.first("") || !d.first("") {
		t.Error("first/repeat wrong")
	}
	d.first("c")
	d.first("d") // evicts a: at most 3 remembered (see ttlcache)
	if !d.first("a") {
		t.Error("not bounded")
	}
	time.Sleep(60 * time.Millisecond)
	if !d.first("d") {
		t.Error("not expired")
	}
}
