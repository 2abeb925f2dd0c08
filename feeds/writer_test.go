package feeds

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/store"
)

// batchFeeds serves n feeds, each on a server of its own (so that they are
// polled at once), each with items items whose pages are stories of
// their own, and follows them. It returns the feeds' URLs.
func batchFeeds(t *testing.T, e *env, n, items int) []string {
	t.Helper()
	var urls []string
	stripes := map[uint64]bool{}
	for i := range n {
		// A poll holds its story's lock (storyLocks) while its article
		// waits in a batch: stories of different feeds on one lock would
		// wait for each other, and a test that holds the writer until
		// every feed's article waits would wait for ever. So each feed's
		// stories get locks of their own (the servers' ports decide).
		var srv *server
		for tries := 0; srv == nil; tries++ {
			if tries == 1000 {
				t.Fatal("no server whose stories' locks are free")
			}
			cand, mine := newServer(t), map[uint64]bool{}
			for j := range items {
				mine[urlHash(cand.URL+fmt.Sprintf("/story/%d", j))%uint64(len(e.m.storyLocks))] = true
			}
			if len(mine) < items {
				continue
			}
			free := true
			for k := range mine {
				free = free && !stripes[k]
			}
			if free {
				srv = cand
				maps.Copy(stripes, mine)
			}
		}
		var its []item
		for j := range items {
			path := fmt.Sprintf("/story/%d", j)
			its = append(its, item{Title: fmt.Sprintf("Story %d of feed %d", j, i), Link: srv.URL + path, GUID: fmt.Sprint(j),
				Date: time.Date(2026, 3, 1, 0, j, 0, 0, time.UTC).Format(time.RFC1123Z)})
			paras := append([]string{fmt.Sprintf("This is story %d of feed %d.", j, i)}, libraryParas...)
			srv.serve(path, "text/html", articlePage("Ledger", fmt.Sprintf("Story %d of feed %d", j, i), "", paras))
		}
		srv.serve("/feed", "application/rss+xml", rssFeed(fmt.Sprintf("Feed %d", i), srv.URL, "", its...))
		urls = append(urls, srv.URL+"/feed")
		e.add(t, srv.URL+"/feed")
	}
	return urls
}

// holdWriter holds the writer of e until want puts wait, so that they
// make its next batch, and calls then, if not nil, before each batch is
// stored. It returns the sizes of the batches stored.
func holdWriter(t *testing.T, e *env, want int, then func(ctx context.Context, n int, puts []store.ArticlePut)) func() []int {
	t.Helper()
	var (
		mu    sync.Mutex
		sizes []int
	)
	const hold = "hold" // the ID of the put that holds the writer
	holding := make(chan struct{})
	put := e.m.writer.put
	e.m.writer.put = func(ctx context.Context, puts []store.ArticlePut) ([]bool, error) {
		if puts[0].Analysis.Article.ID == hold {
			close(holding)
			for deadline := time.Now().Add(time.Minute); ; time.Sleep(time.Millisecond) {
				e.m.writer.mu.Lock()
				waiting := len(e.m.writer.queue)
				e.m.writer.mu.Unlock()
				if waiting >= want {
					break
				}
				if time.Now().After(deadline) {
					t.Errorf("%d puts wait, want %d", waiting, want)
					break
				}
			}
			return []bool{false}, nil
		}
		mu.Lock()
		n := len(sizes)
		sizes = append(sizes, len(puts))
		mu.Unlock()
		if then != nil {
			then(ctx, n, puts)
		}
		return put(ctx, puts)
	}
	go e.m.writer.store(e.ctx, store.ArticlePut{Analysis: &briefing.Analysis{Article: &briefing.Article{ID: hold}}})
	<-holding
	return func() []int {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(sizes)
	}
}

// storedState is what polls stored: the active articles' titles and
// keys, and each feed's items, in an order that does not depend on the
// order of the polls.
func storedState(t *testing.T, e *env, feedURLs []string) string {
	t.Helper()
	var titles []string
	for _, a := range e.articles(t) {
		titles = append(titles, a.Title)
	}
	slices.Sort(titles)
	keys, err := e.st.Keys(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d articles %q\n%d keys\n", len(titles), titles, len(keys))
	for _, u := range feedURLs {
		guids, err := e.st.FeedGUIDs(e.ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "feed %s: %d items recorded, %d listed\n", u, len(guids), e.feed(t, u).Items)
	}
	return b.String()
}

// The polls' articles are stored in batches, each poll waiting for its
// own: what is stored is what puts one at a time store.
func TestGroupCommit(t *testing.T) {
	const feeds, items = 6, 3
	var states []string
	for _, oneAtATime := range []bool{true, false} {
		t.Run(fmt.Sprintf("oneAtATime=%v", oneAtATime), func(t *testing.T) {
			e := newEnv(t, Config{AllowPrivate: true, Workers: feeds})
			urls := batchFeeds(t, e, feeds, items)
			var sizes func() []int
			if oneAtATime {
				put := e.m.writer.put
				e.m.writer.put = func(ctx context.Context, puts []store.ArticlePut) ([]bool, error) {
					var added []bool
					for _, p := range puts {
						a, err := put(ctx, []store.ArticlePut{p})
						if err != nil {
							return nil, err
						}
						added = append(added, a...)
					}
					return added, nil
				}
			} else {
				sizes = holdWriter(t, e, feeds, nil)
			}
			st := e.poll(t)
			if st.New != feeds*items || st.Failed != 0 {
				t.Fatalf("stats %+v", st)
			}
			if sizes != nil {
				got := sizes()
				if len(got) < 2 || got[0] != feeds {
					t.Errorf("batches of %v puts; want the first of %d", got, feeds)
				}
			}
			// Host names differ by their ports: the feeds' own numbers
			// stand for them.
			s := storedState(t, e, urls)
			for i, u := range urls {
				s = strings.ReplaceAll(s, u, fmt.Sprint("feed ", i))
			}
			states = append(states, s)
			if again := e.pollDue(t); again.New != 0 || again.PageRequests != 0 {
				t.Errorf("second poll %+v", again)
			}
		})
	}
	if len(states) == 2 && states[0] != states[1] {
		t.Errorf("one at a time:\n%s\nin batches:\n%s", states[0], states[1])
	}
}

// A feed removed while its article waits in a batch: the batch fails, its
// puts are stored one at a time, and only that feed's article is not
// stored (nothing is, as when PutFeedArticle meets a removed feed).
func TestGroupCommitRemovedFeed(t *testing.T) {
	const feeds = 4
	e := newEnv(t, Config{AllowPrivate: true, Workers: feeds})
	urls := batchFeeds(t, e, feeds, 1)
	var removed atomic.Value
	sizes := holdWriter(t, e, feeds, func(ctx context.Context, n int, puts []store.ArticlePut) {
		if n == 0 {
			u := puts[1].Item.FeedURL
			removed.Store(u)
			if err := e.st.RemoveFeed(ctx, u, store.Global); err != nil {
				t.Error(err)
			}
		}
	})
	st := e.poll(t)
	if st.New != feeds-1 || st.Failed != 0 {
		t.Errorf("stats %+v", st)
	}
	if got := sizes(); !slices.Equal(got, []int{feeds, 1, 1, 1, 1}) {
		t.Errorf("batches of %v puts; want the batch of %d that fails, then its puts one at a time", got, feeds)
	}
	gone, _ := removed.Load().(string)
	if len(e.articles(t)) != feeds-1 {
		t.Errorf("%d articles stored, want %d", len(e.articles(t)), feeds-1)
	}
	for _, u := range urls {
		seen, err := e.st.FeedGUIDs(e.ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if want := u != gone; (len(seen) == 1) != want {
			t.Errorf("feed %s (removed: %v): items recorded %v", u, !want, seen)
		}
	}
}

// A poll that ends (the bot stops, or dies) while its batch is being
// stored stores nothing of that batch; the next poll, of a new manager
// on the same store, stores those articles, once.
func TestGroupCommitCrash(t *testing.T) {
	const feeds, items = 4, 2
	e := newEnv(t, Config{AllowPrivate: true, Workers: feeds})
	urls := batchFeeds(t, e, feeds, items)
	ctx, stop := context.WithCancel(e.ctx)
	defer stop()
	holdWriter(t, e, feeds, func(bctx context.Context, n int, puts []store.ArticlePut) {
		if n == 1 {
			stop()
			<-bctx.Done() // the batch's context ends with the polls' (see batchContext)
		}
	})
	done := make(chan struct{})
	var (
		st  pollStats
		err error
	)
	go func() {
		defer close(done)
		st, err = e.m.pollOnce(ctx)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the poll did not end when its context did")
	}
	if !errors.Is(err, context.Canceled) || st.New != feeds {
		t.Fatalf("pollOnce = %+v, %v; want the first batch's %d articles only", st, err, feeds)
	}
	if n := len(e.articles(t)); n != feeds {
		t.Fatalf("%d articles stored, want the first batch's %d", n, feeds)
	}

	m2 := New(Config{AllowPrivate: true, Workers: feeds}, e.st, nil)
	m2.now = e.clk.Now
	st2, err := m2.pollOnce(e.ctx)
	if err != nil || st2.New != feeds*(items-1) || st2.Failed != 0 {
		t.Fatalf("poll after the restart = %+v, %v; want the %d other articles", st2, err, feeds*(items-1))
	}
	if n := len(e.articles(t)); n != feeds*items {
		t.Errorf("%d articles stored, want %d", n, feeds*items)
	}
	for _, u := range urls {
		if f := e.feed(t, u); f.Items != items {
			t.Errorf("feed %s: %d items, want %d", u, f.Items, items)
		}
	}
}

// The writer on its own: a put whose context ends while it waits is
// withdrawn and never stored; a batch that fails is put again one at a
// time, so that only its bad put fails; a panic is an error, not a crash;
// wait returns once nothing is left to store.
func TestWriter(t *testing.T) {
	article := func(body string) store.ArticlePut {
		return store.ArticlePut{Analysis: &briefing.Analysis{Article: &briefing.Article{ID: body, Body: body}}}
	}
	var (
		mu    sync.Mutex
		calls [][]string
	)
	started, release := make(chan struct{}), make(chan struct{})
	w := &writer{put: func(ctx context.Context, puts []store.ArticlePut) ([]bool, error) {
		var ids []string
		for _, p := range puts {
			ids = append(ids, p.Analysis.Article.ID)
		}
		mu.Lock()
		calls = append(calls, ids)
		mu.Unlock()
		switch {
		case ids[0] == "first":
			close(started)
			<-release
		case slices.Contains(ids, "panic"):
			panic("store broke")
		case slices.Contains(ids, "bad"):
			return nil, fmt.Errorf("bad put: %w", fs.ErrNotExist)
		}
		added := make([]bool, len(puts))
		for i := range added {
			added[i] = true
		}
		return added, nil
	}}
	type result struct {
		id    string
		added bool
		err   error
	}
	results := make(chan result, 10)
	put := func(ctx context.Context, id string) {
		added, err := w.store(ctx, article(id))
		results <- result{id, added, err}
	}
	queued := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			w.mu.Lock()
			q := len(w.queue)
			w.mu.Unlock()
			if q == n {
				return
			}
		}
		t.Fatalf("want %d puts waiting", n)
	}
	ctx := context.Background()
	go put(ctx, "first")
	<-started // the first batch, under way
	gone, cancel := context.WithCancel(ctx)
	go put(gone, "withdrawn")
	queued(1)
	go put(ctx, "good1")
	go put(ctx, "bad")
	go put(ctx, "good2")
	queued(4)
	cancel()
	if r := <-results; r.id != "withdrawn" || !errors.Is(r.err, context.Canceled) {
		t.Fatalf("withdrawn put: %+v", r)
	}
	close(release)
	got := map[string]result{}
	for range 4 {
		r := <-results
		got[r.id] = r
	}
	for id, want := range map[string]bool{"first": true, "good1": true, "good2": true} {
		if r := got[id]; r.err != nil || r.added != want {
			t.Errorf("%s: %+v", id, r)
		}
	}
	if r := got["bad"]; !errors.Is(r.err, fs.ErrNotExist) {
		t.Errorf("bad: %+v", r)
	}
	go put(ctx, "panic")
	if r := <-results; r.err == nil || !strings.Contains(r.err.Error(), "store broke") {
		t.Errorf("panic: %+v", r)
	}
	w.wait()
	w.mu.Lock()
	running := w.running
	w.mu.Unlock()
	if running != nil {
		t.Error("the writer still runs")
	}
	mu.Lock()
	defer mu.Unlock()
	for _, c := range calls {
		if slices.Contains(c, "withdrawn") {
			t.Errorf("a withdrawn put was stored: %v", calls)
		}
	}
	// first; the batch of three, which fails; its puts one at a time; panic.
	if len(calls) != 6 || len(calls[1]) != 3 {
		t.Errorf("calls %v", calls)
	}
}

// A batch goes on while any of its polls does: one poll's end does not
// undo the others' articles, and the poll that ended is told the batch's
// outcome. When every poll has ended, each is told of its own end, never
// of another put's error: a removed feed's fs.ErrNotExist read by another
// poll would count that poll's item as handled.
func TestWriterBatchEndsWithItsPolls(t *testing.T) {
	for _, allEnd := range []bool{false, true} {
		t.Run(fmt.Sprintf("allEnd=%v", allEnd), func(t *testing.T) {
			held, inBatch, release := make(chan struct{}), make(chan struct{}), make(chan struct{})
			w := &writer{}
			w.put = func(ctx context.Context, puts []store.ArticlePut) ([]bool, error) {
				if puts[0].Analysis.Article.ID == "hold" {
					close(held)
					for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
						w.mu.Lock()
						n := len(w.queue)
						w.mu.Unlock()
						if n == 2 {
							break
						}
					}
					return []bool{true}, nil
				}
				if len(puts) != 2 {
					return nil, fmt.Errorf("a batch of %d", len(puts))
				}
				close(inBatch)
				<-release
				if allEnd { // the batch's context ends once its polls' have (after them)
					select {
					case <-ctx.Done():
					case <-time.After(10 * time.Second):
					}
				}
				if ctx.Err() != nil {
					return nil, fmt.Errorf("%w (feed b: %w)", context.Cause(ctx), fs.ErrNotExist)
				}
				return []bool{true, true}, nil
			}
			type result struct {
				added bool
				err   error
			}
			results := make(map[string]chan result)
			put := func(ctx context.Context, id string) {
				r := make(chan result, 1)
				results[id] = r
				go func() {
					added, err := w.store(ctx, store.ArticlePut{Analysis: &briefing.Analysis{Article: &briefing.Article{ID: id, Body: id}}})
					r <- result{added, err}
				}()
			}
			bg := context.Background()
			put(bg, "hold")
			<-held
			actx, cancelA := context.WithCancel(bg)
			bctx, cancelB := context.WithCancel(bg)
			defer cancelB()
			put(actx, "a")
			put(bctx, "b")
			<-inBatch
			cancelA()
			if allEnd {
				cancelB()
			}
			close(release)
			a, b := <-results["a"], <-results["b"]
			if !allEnd {
				if a.err != nil || !a.added || b.err != nil || !b.added {
					t.Errorf("a %+v, b %+v; want both stored", a, b)
				}
				return
			}
			for id, r := range map[string]result{"a": a, "b": b} {
				if !errors.Is(r.err, context.Canceled) || errors.Is(r.err, fs.ErrNotExist) {
					t.Errorf("%s: %v; want its own poll's end, not the batch's fs.ErrNotExist", id, r.err)
				}
			}
			if r := <-results["hold"]; r.err != nil {
				t.Error(r.err)
			}
		})
	}
}
