package feeds

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/store"
)

// benchFarm serves feeds and pages from several listeners on 127.0.0.1.
// Each listener is a host for the per-host limit, so polls of feeds on
// different listeners run in parallel (up to Config.Workers at a time),
// while the feeds on one listener are fetched one request at a time.
type benchFarm struct {
	listeners
	feedReqs, pageReqs, notModif atomic.Int64
	items                        int
}

func newBenchFarm(b *testing.B, listeners, items int) *benchFarm {
	f := &benchFarm{items: items}
	f.listeners = newListeners(b, listeners, f.handle)
	return f
}

// listeners are a farm's servers on 127.0.0.1, each a host of its own for
// the per-host limit.
type listeners []*httptest.Server

func newListeners(tb testing.TB, n int, h http.HandlerFunc) listeners {
	var l listeners
	for range n {
		srv := httptest.NewServer(h)
		tb.Cleanup(srv.Close)
		l = append(l, srv)
	}
	return l
}

// feedURL is feed i's address: on listener i mod the number of listeners.
func (l listeners) feedURL(i int) string {
	return fmt.Sprintf("%s/feed/%d", l[i%len(l)].URL, i)
}

func (f *benchFarm) handle(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	base := "http://" + r.Host
	switch {
	case len(parts) == 2 && parts[0] == "feed":
		f.feedReqs.Add(1)
		etag := `"` + parts[1] + `-v1"`
		if r.Header.Get("If-None-Match") == etag {
			f.notModif.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		items := make([]item, f.items)
		for j := range items {
			items[j] = item{
				Title: fmt.Sprintf("Story %d of feed %s", j, parts[1]),
				Link:  fmt.Sprintf("%s/story/%s/%d?utm_source=rss", base, parts[1], j),
				GUID:  fmt.Sprintf("feed-%s-item-%d", parts[1], j),
				Date:  time.Date(2026, 3, 1, 0, j, 0, 0, time.UTC).Format(time.RFC1123Z),
				Desc:  "A short summary of the story.",
			}
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", "Sun, 01 Mar 2026 00:00:00 GMT")
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, rssFeed("Feed "+parts[1], base, "", items...))
	case len(parts) == 3 && parts[0] == "story":
		f.pageReqs.Add(1)
		paras := []string{fmt.Sprintf("This is story %s of feed %s, told in the words of the test.", parts[2], parts[1])}
		paras = append(paras, libraryParas...)
		paras = append(paras, ferryParas...)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, articlePage("Bench Daily", "Story "+parts[2], "", paras))
	default:
		http.NotFound(w, r)
	}
}

// heapPeak samples the heap in use until stop is called.
func heapPeak() (stop func() uint64) {
	var (
		peak atomic.Uint64
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

func allocated() (bytes, mallocs uint64) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.TotalAlloc, ms.Mallocs
}

// BenchmarkPoll1000Feeds polls 1,000 feeds of 20 items each from 16 local
// listeners: a first poll that fetches every feed and page and stores
// 20,000 articles, then a second poll of the unchanged feeds, which must
// cost only conditional requests answered 304. Run it with
// -benchtime=1x: one iteration takes a while. Memory and CPU figures
// include the test servers, which run in the same process.
func BenchmarkPoll1000Feeds(b *testing.B) {
	const feeds, items, listeners = 1000, 20, 16
	n := feeds
	if s := testingShortFeeds(); s > 0 {
		n = s
	}
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		farm := newBenchFarm(b, listeners, items)
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		m := New(Config{AllowPrivate: true, Workers: listeners}, st, slog.New(slog.DiscardHandler))
		now := t0
		m.now = func() time.Time { return now }
		for i := 0; i < n; i++ {
			if _, _, err := st.AddFeed(ctx, farm.feedURL(i), store.FeedOwner{}, now, now); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		b.StartTimer()

		stopPeak := heapPeak()
		a0, m0 := allocated()
		start, cpu0 := time.Now(), cpuTime()
		s1, err := m.pollOnce(ctx)
		first, firstCPU := time.Since(start), cpuTime()-cpu0
		a1, m1 := allocated()
		peak1 := stopPeak()
		if err != nil || s1.Feeds != n || s1.New != n*items || s1.Failed != 0 {
			b.Fatalf("first poll: %+v, %v", s1, err)
		}

		now = now.Add(2 * m.cfg.PollInterval) // every feed is due again
		fr0, pr0 := farm.feedReqs.Load(), farm.pageReqs.Load()
		runtime.GC()
		stopPeak = heapPeak()
		start = time.Now()
		s2, err := m.pollOnce(ctx)
		second := time.Since(start)
		a2, m2 := allocated()
		peak2 := stopPeak()
		if err != nil || s2.Feeds != n || s2.New != 0 {
			b.Fatalf("second poll: %+v, %v", s2, err)
		}
		feedReqs, pageReqs := farm.feedReqs.Load()-fr0, farm.pageReqs.Load()-pr0
		if feedReqs != int64(n) || pageReqs != 0 || s2.NotModified != n || s2.Conditional != n {
			b.Errorf("second poll: %d feed requests, %d page requests, stats %+v; want %d conditional requests answered 304 and nothing else",
				feedReqs, pageReqs, s2, n)
		}

		b.ReportMetric(first.Seconds(), "first-poll-s")
		b.ReportMetric(float64(s1.New)/first.Seconds(), "first-poll-articles/s")
		b.ReportMetric(firstCPU.Seconds(), "first-poll-cpu-s")
		b.ReportMetric(float64(s1.New)/firstCPU.Seconds(), "first-poll-articles/cpu-s")
		b.ReportMetric(float64(s1.Requests), "first-poll-requests")
		b.ReportMetric(float64(a1-a0)/(1<<20), "first-poll-alloc-MB")
		b.ReportMetric(float64(m1-m0), "first-poll-allocs")
		b.ReportMetric(float64(peak1)/(1<<20), "first-poll-peak-heap-MB")
		b.ReportMetric(float64(second.Milliseconds()), "second-poll-ms")
		b.ReportMetric(float64(s2.Requests), "second-poll-requests")
		b.ReportMetric(float64(s2.NotModified), "second-poll-304s")
		b.ReportMetric(float64(pageReqs), "second-poll-page-requests")
		b.ReportMetric(float64(a2-a1)/(1<<20), "second-poll-alloc-MB")
		b.ReportMetric(float64(m2-m1), "second-poll-allocs")
		b.ReportMetric(float64(peak2)/(1<<20), "second-poll-peak-heap-MB")
		st.Close()
	}
}

// cpuTime is the user and system time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// testingShortFeeds lets a quick run poll fewer feeds:
// BENCH_FEEDS=100 go test -bench Poll1000 -benchtime=1x ./feeds.
func testingShortFeeds() int {
	n, _ := strconv.Atoi(strings.TrimSpace(os.Getenv("BENCH_FEEDS")))
	return n
}

// BenchmarkPerHostLimit shows what the one-request-per-host rule costs:
// 1,000 feeds without items polled twice (fetched, then 304), from one
// listener (every request in turn) and from 16.
func BenchmarkPerHostLimit(b *testing.B) {
	for _, listeners := range []int{1, 16} {
		b.Run(fmt.Sprintf("listeners=%d", listeners), func(b *testing.B) {
			const n = 1000
			ctx := context.Background()
			for b.Loop() {
				b.StopTimer()
				farm := newBenchFarm(b, listeners, 0)
				st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
				if err != nil {
					b.Fatal(err)
				}
				m := New(Config{AllowPrivate: true, Workers: 16}, st, slog.New(slog.DiscardHandler))
				now := t0
				m.now = func() time.Time { return now }
				for i := 0; i < n; i++ {
					if _, _, err := st.AddFeed(ctx, farm.feedURL(i), store.FeedOwner{}, now, now); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				start := time.Now()
				s1, err := m.pollOnce(ctx)
				first := time.Since(start)
				if err != nil || s1.Feeds != n || s1.Failed != 0 {
					b.Fatalf("first poll: %+v, %v", s1, err)
				}
				now = now.Add(2 * m.cfg.PollInterval)
				start = time.Now()
				s2, err := m.pollOnce(ctx)
				second := time.Since(start)
				if err != nil || s2.NotModified != n || s2.Requests != n {
					b.Fatalf("second poll: %+v, %v", s2, err)
				}
				b.ReportMetric(float64(first.Milliseconds()), "first-poll-ms")
				b.ReportMetric(float64(second.Milliseconds()), "second-poll-ms")
				st.Close()
			}
		})
	}
}

// BenchmarkBigPages polls 16 feeds at once from 16 listeners, each with
// 2 items whose pages are about 0.9 MiB of HTML (under MAX_ARTICLE_BYTES,
// with 20 KB of main text) or 1.9 MB (refused: the item's text is briefed
// instead), with the default Config.Parsers (GOMAXPROCS) and with one
// parser per worker. It reports the peak heap of the poll. Run it with
// -benchtime=1x.
func BenchmarkBigPages(b *testing.B) {
	for _, size := range []int{900 << 10, 1900 << 10} {
		for _, parsers := range []int{0, 16} {
			b.Run(fmt.Sprintf("page=%dKiB/parsers=%d", size>>10, parsers), func(b *testing.B) {
				benchBigPages(b, size, parsers)
			})
		}
	}
}

func benchBigPages(b *testing.B, size, parsers int) {
	const feeds, items = 16, 2
	var text strings.Builder
	for i := 0; text.Len() < 20<<10; i++ {
		fmt.Fprintf(&text, "<p>Paragraph %d: the council said on Monday that the ferry would run again in %d weeks. </p>\n", i, i%9+2)
	}
	filler := strings.Repeat(`<div class="nav"><a href="/x">A link that is not the story</a></div>`+"\n", size/140)
	page := "<!doctype html><html><head><title>Big</title></head><body>" + filler +
		"<article><h1>Big</h1>" + text.String() + "</article>" + filler + "</body></html>"
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		var servers []*httptest.Server
		for range feeds {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				base := "http://" + r.Host
				if r.URL.Path == "/feed" {
					var its []item
					for j := range items {
						its = append(its, item{Title: fmt.Sprint("Story ", j), Link: fmt.Sprintf("%s/story/%d", base, j),
							GUID: fmt.Sprint(j), Desc: "A short summary of the story, said the editor."})
					}
					fmt.Fprint(w, rssFeed("Big", base, "", its...))
					return
				}
				w.Header().Set("Content-Type", "text/html")
				fmt.Fprint(w, page)
			}))
			b.Cleanup(srv.Close)
			servers = append(servers, srv)
		}
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		m := New(Config{AllowPrivate: true, Workers: feeds, Parsers: parsers, SlowAfter: time.Hour, PollDeadline: time.Hour},
			st, slog.New(slog.DiscardHandler))
		m.now = func() time.Time { return t0 }
		for _, srv := range servers {
			if _, _, err := st.AddFeed(ctx, srv.URL+"/feed", store.FeedOwner{}, t0, t0); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		b.StartTimer()
		stopPeak := heapPeak()
		start := time.Now()
		s, err := m.pollOnce(ctx)
		elapsed := time.Since(start)
		peak := stopPeak()
		if err != nil || s.New != feeds*items || s.Failed != 0 || s.Cut != 0 {
			b.Fatalf("poll: %+v, %v", s, err)
		}
		b.ReportMetric(elapsed.Seconds(), "poll-s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(s.Fallbacks), "fallbacks")
		st.Close()
	}
}
