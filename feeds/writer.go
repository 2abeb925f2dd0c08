package feeds

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/briefbot/briefbot/store"
)

// Group commit. The polls analyse their articles in parallel, but a
// transaction stores one at a time, and a transaction per article costs
// more than the article's rows (its commit, a segment of the search index
// per article). So the polls hand their articles to the Manager's writer,
// which stores whatever is waiting in one transaction (store.PutArticles),
// and each poll waits for its own article before it goes on: its story
// lock, its statistics and the next item's duplicate check see the
// article committed, as before. The writer is a goroutine that runs while
// there is something to store.

// Bounds of a batch: a batch takes what is waiting, but at most
// maxBatchPuts articles or, past its first, maxBatchBytes of bodies.
const (
	maxBatchPuts  = 200
	maxBatchBytes = 1 << 20 // as a seeds sync's batch: the write lock held a fraction of a second
)

// writer stores the Manager's feed articles in batches.
type writer struct {
	put func(ctx context.Context, puts []store.ArticlePut) ([]bool, error) // store.PutArticles; tests fail it

	mu      sync.Mutex
	queue   []*pendingPut
	running chan struct{} // while the writer runs; closed when it stops
}

// pendingPut is a put waiting for its batch.
type pendingPut struct {
	ctx   context.Context // the poll's
	put   store.ArticlePut
	size  int
	taken bool            // by a batch (under writer.mu)
	done  chan putOutcome // its outcome, once
}

type putOutcome struct {
	added bool
	err   error
}

// store stores the put in the writer's next batch and returns what
// store.PutArticles said of it. If ctx ends first, a put still waiting is
// withdrawn (ctx's error, nothing stored); a put whose batch is under way
// waits for the batch, which ends soon: it is cancelled once the contexts
// of all its puts have ended.
func (w *writer) store(ctx context.Context, put store.ArticlePut) (added bool, err error) {
	p := &pendingPut{ctx: ctx, put: put, done: make(chan putOutcome, 1)}
	if an := put.Analysis; an != nil && an.Article != nil {
		p.size = len(an.Article.Body)
	}
	w.mu.Lock()
	w.queue = append(w.queue, p)
	if w.running == nil {
		w.running = make(chan struct{})
		go w.run(w.running)
	}
	w.mu.Unlock()
	select {
	case o := <-p.done:
		return o.added, o.err
	case <-ctx.Done():
	}
	w.mu.Lock()
	if !p.taken {
		w.queue = slices.DeleteFunc(w.queue, func(q *pendingPut) bool { return q == p })
		w.mu.Unlock()
		return false, ctx.Err()
	}
	w.mu.Unlock()
	o := <-p.done
	return o.added, o.err
}

// run writes batches until none is waiting, then closes running.
func (w *writer) run(running chan struct{}) {
	for {
		w.mu.Lock()
		n, size := 0, 0
		for n < len(w.queue) && n < maxBatchPuts && (n == 0 || size+w.queue[n].size <= maxBatchBytes) {
			w.queue[n].taken = true
			size += w.queue[n].size
			n++
		}
		if n == 0 {
			w.queue = nil
			w.running = nil
			close(running)
			w.mu.Unlock()
			return
		}
		batch := slices.Clone(w.queue[:n])
		w.queue = slices.Delete(w.queue, 0, n)
		w.mu.Unlock()
		w.write(batch)
	}
}

// write stores the batch in one transaction, and tells each put its
// outcome. If the batch fails, its puts are stored one at a time, each
// within its poll's context, so that one that cannot be stored (the
// article of a feed removed meanwhile) fails alone: not if every poll in
// it ended (each is told its own poll's end, never another put's error:
// a poll that read "feed removed" for its own article would count its
// item as handled), nor if the database was busy past its timeout
// (store.ErrBusy, which each put alone would wait out again).
func (w *writer) write(batch []*pendingPut) {
	puts := make([]store.ArticlePut, len(batch))
	for i, p := range batch {
		puts[i] = p.put
	}
	ctx, stop := batchContext(batch)
	added, err := w.safePut(ctx, puts)
	ended := ctx.Err() != nil
	stop()
	switch {
	case err == nil:
		for i, p := range batch {
			p.done <- putOutcome{added: added[i]}
		}
	case len(batch) == 1:
		batch[0].done <- putOutcome{err: err}
	case ended:
		for _, p := range batch {
			p.done <- putOutcome{err: fmt.Errorf("%w (its batch: %v)", context.Cause(p.ctx), err)}
		}
	case errors.Is(err, store.ErrBusy):
		for _, p := range batch {
			p.done <- putOutcome{err: fmt.Errorf("%w (its batch: %v)", store.ErrBusy, err)}
		}
	default:
		for _, p := range batch {
			added, err := w.safePut(p.ctx, []store.ArticlePut{p.put})
			p.done <- putOutcome{added: err == nil && added[0], err: err}
		}
	}
}

// safePut is w.put, with a panic turned into an error, as one in a poll
// is (see safeFetchFeed), rather than a crashed bot.
func (w *writer) safePut(ctx context.Context, puts []store.ArticlePut) (added []bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			added, err = nil, fmt.Errorf("internal error while storing %d articles: %v\n%s", len(puts), r, debug.Stack())
		}
	}()
	return w.put(ctx, puts)
}

// batchContext is the context of a batch's transaction: it ends when the
// contexts of all its puts have ended (their polls cut short, or the bot
// stopping), not before, so that one poll's deadline does not undo the
// others' articles. stop releases it.
func batchContext(batch []*pendingPut) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	var left atomic.Int64
	left.Store(int64(len(batch)))
	stops := make([]func() bool, len(batch))
	for i, p := range batch {
		pctx := p.ctx
		stops[i] = context.AfterFunc(pctx, func() {
			if left.Add(-1) == 0 {
				cancel(context.Cause(pctx))
			}
		})
	}
	return ctx, func() {
		for _, s := range stops {
			s()
		}
		cancel(nil)
	}
}

// wait waits until the writer has stopped: nothing is waiting to be
// stored.
func (w *writer) wait() {
	w.mu.Lock()
	running := w.running
	w.mu.Unlock()
	if running != nil {
		<-running
	}
}
