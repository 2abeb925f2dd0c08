package feeds

// HTTP: one client for feeds and pages, at most one request at a time per
// host, redirects followed by hand (each hop waits for its host's turn and
// dials through the address guard), a timeout per request that covers
// reading the body, a least transfer rate for bodies, and bodies capped
// while they stream.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// maxRedirects is the longest redirect chain followed.
const maxRedirects = 5

// fetcher makes the requests.
type fetcher struct {
	client    *http.Client
	userAgent string
	timeout   time.Duration
	rate      minRate

	mu    sync.Mutex
	hosts map[string]chan struct{} // per-host semaphores of capacity 1
}

// minRate is the least transfer rate of a body: once grace has passed
// since its first byte could be read, a body that has averaged fewer than
// perSecond bytes a second is cut off. perSecond 0 or less means no
// minimum.
type minRate struct {
	perSecond int64
	grace     time.Duration
}

func newFetcher(g *guard, userAgent string, timeout time.Duration, rate minRate) *fetcher {
	tr := &http.Transport{
		// No proxy: a proxy would connect on our behalf to addresses the
		// guard never sees.
		Proxy:                 nil,
		DialContext:           g.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &fetcher{
		client: &http.Client{
			Transport: tr,
			// Redirects are followed by get, hop by hop.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		userAgent: userAgent,
		timeout:   timeout,
		rate:      rate,
		hosts:     make(map[string]chan struct{}),
	}
}

// acquire waits for the host's turn; release gives it back.
func (f *fetcher) acquire(ctx context.Context, host string) (release func(), err error) {
	f.mu.Lock()
	sem, ok := f.hosts[host]
	if !ok {
		sem = make(chan struct{}, 1)
		f.hosts[host] = sem
	}
	f.mu.Unlock()
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}

// response is a fetched response. Its body is capped; Close must be
// called, and gives the host's turn back.
type response struct {
	URL    *url.URL // after redirects
	Status int
	Header http.Header
	Body   *capReader

	raw     *http.Response
	cancel  context.CancelFunc
	release func()
	closed  bool
}

// Close closes the body and lets the next request to the host go.
func (r *response) Close() {
	if r.closed {
		return
	}
	r.closed = true
	r.raw.Body.Close()
	r.cancel()
	r.release()
}

// tooSlowError is why a body was cut off by its rate watch.
type tooSlowError struct {
	n       int64
	elapsed time.Duration
	rate    minRate
}

func (e *tooSlowError) Error() string {
	return fmt.Sprintf("too slow: %d bytes in %s, under the least rate of %d bytes a second",
		e.n, e.elapsed.Round(time.Millisecond), e.rate.perSecond)
}

// watch cuts the body off (by cancelling its request with a
// *tooSlowError) when it averages under the fetcher's least rate, checked
// after the grace period and then every second (or every grace period, if
// shorter), until stop is closed.
func (f *fetcher) watch(body *capReader, cancel context.CancelCauseFunc, stop <-chan struct{}) {
	if f.rate.perSecond <= 0 {
		return
	}
	start := time.Now()
	every := min(f.rate.grace, time.Second)
	go func() {
		t := time.NewTimer(f.rate.grace)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			el := time.Since(start)
			if n := body.n.Load(); float64(n) < float64(f.rate.perSecond)*el.Seconds() {
				cancel(&tooSlowError{n: n, elapsed: el, rate: f.rate})
				return
			}
			t.Reset(every)
		}
	}()
}

// requestCounts counts requests for pollStats.
type requestCounts struct{ requests int }

// get fetches u with the headers, following up to maxRedirects redirects.
// Every hop takes its host's turn and gets its own timeout. A response is
// returned for every final status; errors are for transport failures,
// refused addresses and bad redirects, worded for people.
func (f *fetcher) get(ctx context.Context, u *url.URL, header http.Header, limit int64, n *requestCounts) (*response, error) {
	seen := map[string]bool{u.String(): true}
	for hop := 0; ; hop++ {
		release, err := f.acquire(ctx, hostKey(u))
		if err != nil {
			return nil, err
		}
		wctx, cancelWatch := context.WithCancelCause(ctx)
		rctx, cancelTimeout := context.WithTimeout(wctx, f.timeout)
		cancel := func() { cancelTimeout(); cancelWatch(nil) }
		req, err := http.NewRequestWithContext(rctx, http.MethodGet, u.String(), nil)
		if err != nil {
			cancel()
			release()
			return nil, fmt.Errorf("invalid address %s: %w", u, err)
		}
		for k, v := range header {
			req.Header[k] = v
		}
		req.Header.Set("User-Agent", f.userAgent)
		n.requests++
		resp, err := f.client.Do(req)
		if err != nil {
			cancel()
			release()
			return nil, f.describe(ctx, err)
		}
		if isRedirect(resp.StatusCode) {
			loc := resp.Header.Get("Location")
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // reuse the connection
			resp.Body.Close()
			cancel()
			release()
			if loc == "" {
				return nil, fmt.Errorf("HTTP %d redirect without a Location", resp.StatusCode)
			}
			next, err := u.Parse(loc)
			if err != nil {
				return nil, fmt.Errorf("redirect to an invalid address %q", loc)
			}
			if err := checkWebURL(next); err != nil {
				return nil, fmt.Errorf("redirect refused: %w", err)
			}
			next.Fragment, next.RawFragment = "", ""
			if seen[next.String()] {
				return nil, fmt.Errorf("redirect loop at %s", next)
			}
			if hop+1 > maxRedirects {
				return nil, fmt.Errorf("more than %d redirects", maxRedirects)
			}
			seen[next.String()] = true
			u = next
			continue
		}
		body := &capReader{r: resp.Body, limit: limit, ctx: rctx, parent: ctx, timeout: f.timeout}
		stop := make(chan struct{})
		f.watch(body, cancelWatch, stop)
		return &response{
			URL:    u,
			Status: resp.StatusCode,
			Header: resp.Header,
			Body:   body,
			raw:    resp, cancel: func() { close(stop); cancel() }, release: release,
		}, nil
	}
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// describe turns a transport error into a sentence without the method and
// URL the http package prefixes.
func (f *fetcher) describe(parent context.Context, err error) error {
	var ae *AddressError
	if errors.As(err, &ae) {
		return ae
	}
	if parent.Err() != nil {
		return context.Cause(parent)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("no answer within %s", f.timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Op == "dial" {
		return fmt.Errorf("cannot connect: %w", oe.Err)
	}
	return err
}

// errTooLarge is returned by a capReader past its limit.
var errTooLarge = errors.New("response too large")

// capReader reads at most limit bytes of a body and fails after that, so a
// response that does not end is cut off while it streams. A body not
// finished within the timeout, or cut off for its rate, fails with a
// clear error. Err keeps the first error other than io.EOF, for callers
// whose parser rewords it.
type capReader struct {
	r        io.Reader
	n        atomic.Int64 // read so far; the rate watch reads it too
	limit    int64
	exceeded bool
	err      error

	ctx, parent context.Context
	timeout     time.Duration
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if room := c.limit + 1 - c.n.Load(); int64(len(p)) > room {
		p = p[:room]
	}
	n, err := c.r.Read(p)
	total := c.n.Add(int64(n))
	if total > c.limit {
		c.exceeded = true
		c.err = fmt.Errorf("%w: larger than %s", errTooLarge, formatBytes(c.limit))
		return n - int(total-c.limit), c.err
	}
	if err != nil && err != io.EOF {
		var slow *tooSlowError
		switch {
		case errors.As(context.Cause(c.ctx), &slow):
			err = slow
		case c.ctx.Err() != nil && c.parent.Err() == nil:
			err = fmt.Errorf("no complete answer within %s", c.timeout)
		case c.parent.Err() != nil:
			err = context.Cause(c.parent)
		}
		c.err = err
	}
	return n, err
}

// formatBytes writes a size for people: "5 MiB", "1500 bytes".
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// maxHint is the longest wait a server's hint (max-age, ttl, Retry-After)
// can impose.
const maxHint = 24 * time.Hour

// retryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		d = time.Duration(min(secs, int64(maxHint/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return max(0, min(d, maxHint))
}

// maxAge reads the max-age of a Cache-Control header.
func maxAge(h http.Header) time.Duration {
	for _, v := range h.Values("Cache-Control") {
		for _, dir := range strings.Split(v, ",") {
			k, val, ok := strings.Cut(strings.TrimSpace(dir), "=")
			if !ok || !strings.EqualFold(k, "max-age") {
				continue
			}
			secs, err := strconv.ParseInt(strings.Trim(val, `"`), 10, 64)
			if err != nil || secs <= 0 {
				continue
			}
			return time.Duration(min(secs, int64(maxHint/time.Second))) * time.Second
		}
	}
	return 0
}
