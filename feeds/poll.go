package feeds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/internal/textutil"
	"github.com/briefbot/briefbot/store"
	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/rss"
)

// pollStats count what a poll did.
type pollStats struct {
	Feeds        int // feeds polled
	Requests     int // HTTP requests made: feeds, pages, redirect hops
	FeedRequests int // requests for feeds (redirect hops included)
	Conditional  int // feed requests with If-None-Match or If-Modified-Since
	NotModified  int // feed requests answered 304 Not Modified
	PageRequests int // requests for article pages (redirect hops included)
	Items        int // items in the feeds fetched
	New          int // articles new to the store
	Duplicates   int // new items whose story was already stored (same URL or content)
	Fallbacks    int // new items briefed from the feed's own text
	Skipped      int // new items that gave no article (no usable page, no text)
	Failed       int // feed polls that failed
	Paused       int // feeds paused by this poll
	Cut          int // feed polls cut short (Config.PollDeadline, or past Config.SlowAfter with the slow lane full)
	Deferred     int // new items left for the next poll (Config.MaxItems, or a poll cut short)
}

func (s *pollStats) add(o pollStats) {
	s.Feeds += o.Feeds
	s.Requests += o.Requests
	s.FeedRequests += o.FeedRequests
	s.Conditional += o.Conditional
	s.NotModified += o.NotModified
	s.PageRequests += o.PageRequests
	s.Items += o.Items
	s.New += o.New
	s.Duplicates += o.Duplicates
	s.Fallbacks += o.Fallbacks
	s.Skipped += o.Skipped
	s.Failed += o.Failed
	s.Paused += o.Paused
	s.Cut += o.Cut
	s.Deferred += o.Deferred
}

// pollOnce polls every feed that is due now (not paused, next poll
// reached), Config.Workers at a time, and returns when all are done. Feeds
// that Run is polling at the moment are left out.
func (m *Manager) pollOnce(ctx context.Context) (pollStats, error) {
	due, err := m.st.DueFeeds(ctx, m.now())
	if err != nil {
		return pollStats{}, err
	}
	var (
		mu    sync.Mutex
		total pollStats
		wg    sync.WaitGroup
		p     = m.newPool()
	)
	for len(due) > 0 && ctx.Err() == nil {
		ended := m.pollEnded()
		due = m.dispatch(ctx, due, p, &wg, func(s pollStats) {
			mu.Lock()
			total.add(s)
			mu.Unlock()
		})
		if len(due) > 0 { // their hosts are busy: wait for a poll to end
			select {
			case <-ended:
			case <-ctx.Done():
			}
		}
	}
	wg.Wait()
	m.writer.wait()
	return total, ctx.Err()
}

// pool is the workers of a pollOnce or a Run: Config.Workers slots, and
// Config.SlowWorkers slots of the slow lane, for polls that go on past
// Config.SlowAfter.
type pool struct{ slots, slow chan struct{} }

func (m *Manager) newPool() *pool {
	return &pool{slots: make(chan struct{}, m.cfg.Workers), slow: make(chan struct{}, m.cfg.SlowWorkers)}
}

// dispatch polls each due feed that is not already being polled, at most
// one feed of a host at a time and cap(p.slots) feeds at a time (see
// pollTurn), and calls done with each poll's stats. It returns the feeds
// it left because a feed of their host was being polled: the caller tries
// them again when a poll ends (see pollEnded). It stops starting polls
// when ctx is done; wg counts the polls it started.
func (m *Manager) dispatch(ctx context.Context, due []store.Feed, p *pool, wg *sync.WaitGroup, done func(pollStats)) (hostBusy []store.Feed) {
	for i, f := range due {
		host := feedHost(f.URL)
		switch m.claim(f.URL, host) {
		case claimedFeed:
			continue // being polled: that poll is enough
		case claimedHost:
			hostBusy = append(hostBusy, f)
			continue
		}
		select {
		case p.slots <- struct{}{}:
		case <-ctx.Done():
			m.unclaim(f.URL, host)
			return append(hostBusy, due[i:]...)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := m.pollLeased(ctx, f, p)
			if m.unclaim(f.URL, host) {
				m.pollAgain(ctx, f.URL)
			}
			done(st) // after unclaim, so that the poll it may start is not refused as a duplicate
		}()
	}
	return hostBusy
}

// feedHost is the key of a feed's host for dispatch (see hostKey).
func feedHost(feedURL string) string {
	u, err := url.Parse(feedURL)
	if err != nil {
		return feedURL
	}
	return hostKey(u)
}

// Outcomes of claim.
const (
	claimed     = iota
	claimedFeed // the feed is being polled
	claimedHost // another feed of its host is being polled
)

// claim marks the feed and its host as being polled, unless either is.
// A host's feeds are polled one at a time: they would only wait for each
// other's requests (one request at a time per host), holding workers that
// the feeds of other hosts could use.
func (m *Manager) claim(u, host string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case m.inflight[u]:
		return claimedFeed
	case m.busyHosts[host]:
		return claimedHost
	}
	m.inflight[u] = true
	m.busyHosts[host] = true
	return claimed
}

// unclaim ends the feed's poll, and reports whether the feed was asked to
// be polled now while it was being polled (see Add).
func (m *Manager) unclaim(u, host string) (again bool) {
	m.mu.Lock()
	again = m.again[u]
	delete(m.again, u)
	delete(m.inflight, u)
	delete(m.busyHosts, host)
	close(m.ended)
	m.ended = make(chan struct{})
	m.mu.Unlock()
	return again
}

// askAgain notes that the feed is to be polled now: if it is being polled,
// its poll started before the request and may save a later next poll, so
// it is polled once more when it ends (see pollAgain).
func (m *Manager) askAgain(u string) {
	m.mu.Lock()
	if m.inflight[u] {
		m.again[u] = true
	}
	m.mu.Unlock()
}

// pollAgain makes the feed due now, after a poll that ended while a
// person asked for a new one.
func (m *Manager) pollAgain(ctx context.Context, u string) {
	f, err := m.st.Feed(ctx, u)
	if err != nil {
		return // removed meanwhile, or the bot is stopping
	}
	f.NextPoll = m.now()
	if err := m.st.SaveFeedPoll(ctx, f); err != nil && ctx.Err() == nil {
		m.log.Warn("feeds: cannot make a feed due again", "feed", u, "err", err)
	}
}

// pollEnded returns a channel that is closed when the next poll ends.
func (m *Manager) pollEnded() <-chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ended
}

// pollLeased polls f (see pollTurn) if no other replica on the database
// is polling it: it holds the feed's lease ("feed:" and its URL) while it
// polls, and polls only if the feed is still due once the lease is held
// (another replica may have polled it since DueFeeds was read, and saved
// its next poll before it let the lease go). A replica that dies while
// polling stops renewing the lease: another takes the feed over once the
// lease has expired, at most Config.LeaseTTL later, and says so in the
// log. Without the lease (another replica is polling the feed), or with a
// feed no longer due, nothing is done. The slot of p that dispatch took
// is given back in every case.
func (m *Manager) pollLeased(ctx context.Context, f store.Feed, p *pool) pollStats {
	var st pollStats
	name := "feed:" + f.URL
	ran, prev, err := m.st.HoldLease(ctx, name, m.cfg.Replica, m.cfg.LeaseTTL, false, func(lctx context.Context) {
		cur, err := m.st.Feed(lctx, f.URL)
		if err != nil || cur.Paused || cur.NextPoll.After(m.now()) {
			<-p.slots // removed, paused or polled meanwhile
			return
		}
		st = m.pollTurn(lctx, cur, p)
	})
	switch {
	case err != nil:
		if ctx.Err() == nil {
			m.log.Warn("feeds: cannot take the lease of a feed; polled next time", "feed", f.URL, "err", err)
		}
	case !ran:
		m.log.Debug("feeds: another replica is polling the feed", "feed", f.URL, "replica", prev.Holder)
	case prev.Holder != "" && prev.Holder != m.cfg.Replica:
		m.log.Info("feeds: took over a feed from a replica that stopped polling it (its lease expired)",
			"feed", f.URL, "from", prev.Holder, "replica", m.cfg.Replica)
	}
	if !ran {
		<-p.slots
	}
	return st
}

// pollTurn polls f, on a slot of p.slots that dispatch took for it, for at
// most Config.PollDeadline. A poll still running after Config.SlowAfter
// gives its slot back, so that other feeds are not kept waiting, and goes
// on in the slow lane if one of its Config.SlowWorkers slots is free; if
// none is, it is cut short there and then. A poll cut short keeps what it
// did; the rest of its items wait for the next poll.
func (m *Manager) pollTurn(ctx context.Context, f store.Feed, p *pool) pollStats {
	cctx, cut := context.WithCancelCause(ctx)
	defer cut(nil)
	pctx, cancel := context.WithTimeoutCause(cctx, m.cfg.PollDeadline,
		fmt.Errorf("the poll took longer than %s", m.cfg.PollDeadline))
	defer cancel()

	var mu sync.Mutex
	held := p.slots // the slot this poll holds; nil once it has ended
	slow := time.AfterFunc(m.cfg.SlowAfter, func() {
		mu.Lock()
		defer mu.Unlock()
		if held == nil {
			return
		}
		select {
		case p.slow <- struct{}{}:
			<-p.slots
			held = p.slow
		default:
			cut(fmt.Errorf("the poll took longer than %s while the slow lane was full", m.cfg.SlowAfter))
		}
	})
	st := m.pollFeed(ctx, pctx, f)
	slow.Stop()
	mu.Lock()
	<-held
	held = nil
	mu.Unlock()
	return st
}

// Run polls the feeds until ctx is done, then waits for the polls under
// way and returns nil. Each feed is polled when its next poll is due (see
// the package documentation), Config.Workers feeds at a time; Add and
// EnsureConfigured wake it at once. Feeds overdue when Run starts (the
// bot was down) are spread over the first minute.
func (m *Manager) Run(ctx context.Context) error {
	if err := m.spreadOverdue(ctx); err != nil && ctx.Err() == nil {
		m.log.Warn("feeds: could not reschedule overdue feeds", "err", err)
	}
	var (
		wg sync.WaitGroup
		p  = m.newPool()
	)
	defer m.writer.wait()
	defer wg.Wait()
	for {
		due, err := m.st.DueFeeds(ctx, m.now())
		if err != nil && ctx.Err() == nil {
			m.log.Warn("feeds: cannot read the feeds due", "err", err)
		}
		m.dispatch(ctx, due, p, &wg, func(pollStats) { m.poke() }) // feeds of busy hosts: next time round
		wait := m.cfg.PollInterval
		if next, ok, err := m.st.NextFeedPoll(ctx); err == nil && ok {
			wait = min(max(next.Sub(m.now()), time.Second), m.cfg.PollInterval)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-m.wake:
			timer.Stop()
		case <-timer.C:
		}
	}
}

// spreadOverdue reschedules the feeds whose poll is overdue over the
// start window, each at its hash's offset.
func (m *Manager) spreadOverdue(ctx context.Context) error {
	now := m.now()
	due, err := m.st.DueFeeds(ctx, now)
	if err != nil {
		return err
	}
	for _, f := range due {
		if now.Sub(f.NextPoll) < m.startSpread() {
			continue // due just now: a feed added in chat, or on time
		}
		f.NextPoll = now.Add(m.startOffset(f.URL))
		if err := m.st.SaveFeedPoll(ctx, f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// nextSlot returns the first time after t at which the feed's polls fall:
// times that are the feed's hash offset past a multiple of the interval.
func (m *Manager) nextSlot(feedURL string, t time.Time) time.Time {
	iv := int64(m.cfg.PollInterval)
	off := int64(urlHash(feedURL) % uint64(iv))
	n := t.UnixNano()
	k := (n - off) / iv
	next := k*iv + off
	for next <= n {
		next += iv
	}
	return time.Unix(0, next).UTC()
}

// scheduleOK returns the next poll after a successful one: the feed's
// next slot at least half an interval and at least hint (max-age, ttl)
// from now.
func (m *Manager) scheduleOK(feedURL string, now time.Time, hint time.Duration) time.Time {
	return m.nextSlot(feedURL, now.Add(max(m.cfg.PollInterval/2, min(hint, maxHint))))
}

// backoff is the wait after the failures'th failure in a row: the
// interval doubled for each failure after the first, at most a day, with
// ±20% jitter.
func (m *Manager) backoff(failures int) time.Duration {
	d := m.cfg.PollInterval
	for i := 1; i < failures && d < maxHint; i++ {
		d *= 2
	}
	d = min(d, maxHint)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

// pollFailure is a failed poll: why, and how long the server asked us to
// wait.
type pollFailure struct {
	err        error
	retryAfter time.Duration
}

// pollFeed polls one feed within pctx and saves its state. ctx is the
// poller's: when it ends, the bot is shutting down, and nothing is saved.
func (m *Manager) pollFeed(ctx, pctx context.Context, f store.Feed) pollStats {
	st := pollStats{Feeds: 1}
	var n requestCounts
	hint, fail := m.safeFetchFeed(pctx, &f, &st, &n)
	st.Requests += n.requests
	if ctx.Err() != nil {
		return st // shutting down: not the feed's fault, nothing saved
	}
	now := m.now()
	if fail != nil {
		st.Failed++
		if f.Failures == 0 {
			f.FailingSince = now
		}
		f.Failures++
		f.LastError = fail.err.Error()
		f.NextPoll = now.Add(max(m.backoff(f.Failures), fail.retryAfter))
		if f.Failures >= m.cfg.MaxFailures {
			f.Paused = true
			f.PauseReason = fmt.Sprintf("paused after %d failed polls in a row (last: %s); add the feed again to resume", f.Failures, f.LastError)
			st.Paused++
			m.log.Warn("feed paused: it failed too many times in a row and will not be polled until it is added again",
				"feed", f.URL, "failures", f.Failures, "err", f.LastError)
		} else {
			m.log.Info("feed poll failed", "feed", f.URL, "failures", f.Failures, "err", f.LastError, "next", f.NextPoll)
		}
	} else {
		f.Failures, f.FailingSince, f.LastError = 0, time.Time{}, ""
		f.LastFetch = now
		f.NextPoll = m.scheduleOK(f.URL, now, hint)
	}
	if err := m.st.SaveFeedPoll(context.WithoutCancel(ctx), f); err != nil && !errors.Is(err, fs.ErrNotExist) {
		m.log.Warn("feeds: cannot save a poll", "feed", f.URL, "err", err)
	}
	return st
}

// safeFetchFeed is fetchFeed, with a panic (a parser choking on hostile
// input) turned into a failed poll rather than a crashed bot.
func (m *Manager) safeFetchFeed(ctx context.Context, f *store.Feed, st *pollStats, n *requestCounts) (hint time.Duration, fail *pollFailure) {
	defer func() {
		if r := recover(); r != nil {
			m.log.Error("feeds: panic while polling a feed", "feed", f.URL, "panic", r, "stack", string(debug.Stack()))
			hint, fail = 0, &pollFailure{err: fmt.Errorf("internal error: %v", r)}
		}
	}()
	return m.fetchFeed(ctx, f, st, n)
}

// fetchFeed fetches and parses the feed and processes its new items. It
// updates f's title and validators, and returns the server's hint for the
// next poll, or why the poll failed.
func (m *Manager) fetchFeed(ctx context.Context, f *store.Feed, st *pollStats, n *requestCounts) (time.Duration, *pollFailure) {
	u, err := url.Parse(f.URL)
	if err != nil {
		return 0, &pollFailure{err: fmt.Errorf("invalid feed address: %w", err)}
	}
	h := http.Header{}
	h.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
	if f.ETag != "" {
		h.Set("If-None-Match", f.ETag)
	}
	if f.LastModified != "" {
		h.Set("If-Modified-Since", f.LastModified)
	}
	before := n.requests
	resp, err := m.fetch.get(ctx, u, h, m.cfg.MaxFeedBytes, n)
	st.FeedRequests += n.requests - before
	if f.ETag != "" || f.LastModified != "" {
		st.Conditional += n.requests - before
	}
	if err != nil {
		return 0, &pollFailure{err: err}
	}
	defer resp.Close()
	now := m.now()
	switch {
	case resp.Status == http.StatusNotModified:
		st.NotModified++
		return maxAge(resp.Header), nil
	case resp.Status == http.StatusTooManyRequests || resp.Status == http.StatusServiceUnavailable:
		ra := retryAfter(resp.Header, now)
		msg := fmt.Sprintf("HTTP %d %s", resp.Status, http.StatusText(resp.Status))
		if ra > 0 {
			msg += fmt.Sprintf(" (retry after %s)", ra)
		}
		return 0, &pollFailure{err: errors.New(msg), retryAfter: ra}
	case resp.Status < 200 || resp.Status > 299:
		return 0, &pollFailure{err: fmt.Errorf("HTTP %d %s", resp.Status, http.StatusText(resp.Status))}
	}

	data, err := io.ReadAll(resp.Body)
	switch {
	case resp.Body.exceeded:
		return 0, &pollFailure{err: fmt.Errorf("feed %w", resp.Body.err)}
	case err != nil:
		return 0, &pollFailure{err: err}
	}
	resp.Close() // the item pages may be on the same host
	// Parsed like a page, Config.Parsers at a time.
	var (
		feed     *gofeed.Feed
		parseErr error
	)
	if err := m.heavy(ctx, func() {
		fp := gofeed.NewParser()
		fp.KeepOriginalFeed = true
		feed, parseErr = fp.Parse(bytes.NewReader(data))
	}); err != nil {
		return 0, &pollFailure{err: context.Cause(ctx)}
	}
	switch err := parseErr; {
	case errors.Is(err, gofeed.ErrFeedTypeNotDetected):
		ct := resp.Header.Get("Content-Type")
		return 0, &pollFailure{err: fmt.Errorf("not an RSS or Atom feed (the address gives %q; is it a web page rather than its feed?)", ct)}
	case err != nil:
		return 0, &pollFailure{err: fmt.Errorf("malformed feed: %v", err)}
	}
	etag, lastMod := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	hint := maxAge(resp.Header)
	if rf, ok := feed.OriginalFeed().(*rss.Feed); ok {
		if ttl, err := strconv.Atoi(strings.TrimSpace(rf.TTL)); err == nil && ttl > 0 {
			hint = max(hint, min(time.Duration(ttl)*time.Minute, maxHint))
		}
	}

	if t := textutil.OneLine(feed.Title); t != "" {
		f.Title = t
	}
	st.Items += len(feed.Items)
	left, err := m.processItems(ctx, f, resp.URL, feed, st, n)
	if err != nil && ctx.Err() == nil {
		// Keep the old validators: the next poll must fetch the items again.
		return 0, &pollFailure{err: err}
	}
	st.Deferred += left
	switch {
	case err != nil:
		st.Cut++
		m.log.Info("feed poll cut short: its other new items wait for the next poll",
			"feed", f.URL, "reason", context.Cause(ctx), "left", left)
	case left > 0:
		m.log.Info("feed has more new items than are handled in one poll: the older ones wait for the next poll",
			"feed", f.URL, "handled", m.cfg.MaxItems, "left", left)
	default:
		// Every item is handled: the next poll may be conditional. Until
		// then the old validators stay, so the next poll fetches the
		// items again.
		f.ETag, f.LastModified = etag, lastMod
	}
	return hint, nil
}

// processItems handles the feed's items not seen before: the newest
// Config.MaxItems of them (by date if every item has one, else in the
// feed's order, newest first), oldest first, so that stories are stored in
// the order they were published. It returns how many new items are left
// for the next poll. Only store errors and the end of ctx are returned: an
// item that gives no article is recorded and skipped.
func (m *Manager) processItems(ctx context.Context, f *store.Feed, feedURL *url.URL, feed *gofeed.Feed, st *pollStats, n *requestCounts) (left int, err error) {
	seen, err := m.st.FeedGUIDs(ctx, f.URL)
	if err != nil {
		return 0, err
	}
	items := slices.DeleteFunc(slices.Clone(feed.Items), func(it *gofeed.Item) bool { return it == nil })
	if allDated(items) {
		slices.SortStableFunc(items, func(a, b *gofeed.Item) int { return itemTime(b).Compare(itemTime(a)) })
	}
	base := feedURL
	if l, err := url.Parse(feed.Link); err == nil && feed.Link != "" {
		base = feedURL.ResolveReference(l)
	}
	type newItem struct {
		it         *gofeed.Item
		guid, link string
	}
	var fresh []newItem // newest first
	inFeed := make(map[string]bool, len(items))
	for _, it := range items {
		link := canonicalString(base, it.Link)
		guid := itemGUID(it, link)
		if seen[guid] || inFeed[guid] {
			continue
		}
		inFeed[guid] = true
		fresh = append(fresh, newItem{it, guid, link})
	}
	if len(fresh) > m.cfg.MaxItems {
		left = len(fresh) - m.cfg.MaxItems
		fresh = fresh[:m.cfg.MaxItems]
	}
	slices.Reverse(fresh)
	for i, x := range fresh {
		if ctx.Err() != nil {
			return left + len(fresh) - i, ctx.Err()
		}
		if err := m.processItem(ctx, f, feedURL, feed, x.it, x.guid, x.link, st, n); err != nil {
			return left + len(fresh) - i, err
		}
	}
	return left, nil
}

// processItem turns a new item into an article and records it.
func (m *Manager) processItem(ctx context.Context, f *store.Feed, feedURL *url.URL, feed *gofeed.Feed, it *gofeed.Item, guid, link string, st *pollStats, n *requestCounts) error {
	rec := store.FeedItem{FeedURL: f.URL, GUID: guid, URL: link, Link: link, SeenAt: m.now()}
	put := func() error {
		err := m.st.PutFeedItem(ctx, rec)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // the feed was removed meanwhile
		}
		return err
	}
	// duplicate records the item as another telling of a stored story.
	duplicate := func(u string) (bool, error) {
		if u == "" {
			return false, nil
		}
		prev, err := m.st.FeedItemByURL(ctx, u)
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		} else if err != nil {
			return false, err
		}
		rec.URL, rec.Key, rec.ArticleID, rec.Fallback = prev.URL, prev.Key, prev.ArticleID, prev.Fallback
		st.Duplicates++
		m.log.Debug("feed item already briefed", "feed", f.URL, "link", link, "article", prev.ArticleID)
		return true, put()
	}
	if dup, err := duplicate(link); dup || err != nil {
		return err
	}

	before := n.requests
	a, fallback, err := m.buildArticle(ctx, feed, feedURL, it, link, n)
	st.PageRequests += n.requests - before
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		st.Skipped++
		rec.Fallback = fallback
		m.log.Warn("feed item skipped: no usable page and no text of its own", "feed", f.URL, "link", link, "err", err)
		return put()
	}
	rec.URL = a.URL
	// From here to the record, one story at a time: two feeds polled at
	// once may carry it under different links.
	mu := &m.storyLocks[urlHash(a.URL)%uint64(len(m.storyLocks))]
	mu.Lock()
	defer mu.Unlock()
	if dup, err := duplicate(a.URL); dup || err != nil {
		return err
	}

	// A summary gets a key of its own, so that it never takes the place of
	// the story's page under the story's URL.
	key := KeyPrefix + a.URL
	if a.URL == "" || fallback != "" {
		key = KeyPrefix + f.URL + "#" + guid
	}
	known, err := m.st.HasArticle(ctx, a.ID)
	if err != nil {
		return err
	}
	an := &briefing.Analysis{Article: a}
	// What storing it makes of it is made here, not by the writer.
	var (
		prep    *store.Prepared
		prepErr error
	)
	if !known {
		if err := m.heavy(ctx, func() {
			an = m.analyze(a, m.cfg.Brief)
			prep, prepErr = store.Prepare(an)
		}); err != nil {
			return err
		}
	} else {
		prep, prepErr = store.Prepare(an)
	}
	if prepErr != nil {
		return prepErr
	}
	rec.Key, rec.ArticleID, rec.Fallback = key, a.ID, fallback
	// The article and its item in one go: the article is seen by the
	// spaces that follow the feed, and only by them, from the start. It is
	// committed, with other polls' articles, before this poll goes on.
	if _, err := m.writer.store(ctx, store.ArticlePut{Analysis: an, Prepared: prep, Item: &rec}); errors.Is(err, fs.ErrNotExist) && ctx.Err() == nil {
		return nil // the feed was removed meanwhile: nothing stored
	} else if err != nil {
		return err
	}
	if known {
		st.Duplicates++
	} else {
		st.New++
		if fallback != "" {
			st.Fallbacks++
			m.log.Info("feed article briefed from the feed's own text", "feed", f.URL, "link", link, "reason", fallback, "article", a.ID)
		} else {
			m.log.Debug("feed article stored", "feed", f.URL, "url", a.URL, "article", a.ID)
		}
	}
	return nil
}

// itemGUID is the item's GUID, else its canonical link, else a hash of its
// title and text.
func itemGUID(it *gofeed.Item, link string) string {
	if g := strings.TrimSpace(it.GUID); g != "" {
		return g
	}
	if link != "" {
		return link
	}
	return "sha256:" + briefing.ContentID(it.Title, "", "", time.Time{}, "", it.Description+"\x00"+it.Content)
}

func itemTime(it *gofeed.Item) time.Time {
	if it.PublishedParsed != nil {
		return *it.PublishedParsed
	}
	if it.UpdatedParsed != nil {
		return *it.UpdatedParsed
	}
	return time.Time{}
}

func allDated(items []*gofeed.Item) bool {
	for _, it := range items {
		if it == nil || itemTime(it).IsZero() {
			return false
		}
	}
	return true
}
