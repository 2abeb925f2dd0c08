package discord

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/fakediscord"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/store"
)

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted)) + 0.5)
	return sorted[min(max(i-1, 0), len(sorted)-1)]
}

// BenchmarkInteractionAckBurst200 sends bursts of 200 interactions back to
// back on the gateway and measures, for each, the time from the fake
// writing the dispatch to the fake receiving the deferral (the
// acknowledgement Discord wants within 3 s). Each burst is also answered in
// full (200 edits of @original) before the next.
func BenchmarkInteractionAckBurst200(b *testing.B) {
	const burst = 200
	f := fakediscord.Start(b, fakediscord.Options{})
	h := newStub()
	start(b, f, h, nil)
	var lat []time.Duration
	answered := 0
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		ids := make([]string, burst)
		for i := range ids {
			ids[i] = fmt.Sprintf("7%05d%012d", n, i)
			f.Interaction(ids[i], "help", nil, fakediscord.Member{})
		}
		answered += burst
		testutil.WaitFor(b, 60*time.Second, "every answer", func() bool {
			return len(f.Messages()) >= answered
		})
		for _, id := range ids {
			cb, sent, ok := f.Callback(id)
			if !ok {
				b.Fatalf("no callback for %s", id)
			}
			lat = append(lat, cb.At.Sub(sent))
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(percentile(lat, 0.50)), "ack-p50-ms")
	b.ReportMetric(ms(percentile(lat, 0.99)), "ack-p99-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "ack-max-ms")
	if p99 := percentile(lat, 0.99); p99 > 250*time.Millisecond {
		b.Errorf("ack p99 %v over the 250 ms target", p99)
	}
}

// BenchmarkDigestTo1000Channels posts one digest to 1,000 channels against
// a fake that enforces Discord's global rate limit (50 requests per second
// per bot, across all its connections, then 429 with retry_after). The
// channels are shared out among processes (Platforms in this process), each
// posting with workers goroutines; with "db" they book the global limit in
// one database, as replicas of the bot do, with "own" each keeps to it
// alone. The floor is 20 s: 1,000 requests at 50 a second.
func BenchmarkDigestTo1000Channels(b *testing.B) {
	const channels = 1000
	digest := bot.Message{Kind: bot.KindDigest, Header: "Daily digest · 08:00 Mon 2 Dec (Europe/Paris)"}
	for s := 1; s <= 5; s++ {
		digest.Stories = append(digest.Stories, briefingMessage(4, fmt.Sprintf("Story %d says", s)).Stories[0])
	}
	if parts := render(digest); len(parts) != 1 {
		b.Fatalf("the digest renders as %d messages; want 1", len(parts))
	}
	for _, tc := range []struct {
		processes, workers int
		shared             bool
	}{
		{1, 1, false}, {1, 16, false}, {3, 1, true}, {3, 16, true}, {3, 1, false},
	} {
		limits := "own"
		if tc.shared {
			limits = "db"
		}
		b.Run(fmt.Sprintf("processes=%d/workers=%d/limits=%s", tc.processes, tc.workers, limits), func(b *testing.B) {
			f := fakediscord.Start(b, fakediscord.Options{GlobalRateLimit: 50})
			var book Booker
			if tc.shared {
				st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
				if err != nil {
					b.Fatal(err)
				}
				defer st.Close()
				book = st
			}
			ps := make([]*Platform, tc.processes)
			for i := range ps {
				p, err := New(Config{Token: fakediscord.Token, APIBase: f.URL(), Limits: book}, testLogger())
				if err != nil {
					b.Fatal(err)
				}
				ps[i] = p
			}
			var wall time.Duration
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				work := make([]chan string, len(ps))
				var wg sync.WaitGroup
				var mu sync.Mutex
				var errs []error
				t0 := time.Now()
				for i, p := range ps {
					work[i] = make(chan string)
					for w := 0; w < tc.workers; w++ {
						wg.Add(1)
						go func() {
							defer wg.Done()
							for ch := range work[i] {
								if _, err := p.Post(context.Background(), bot.Destination{Platform: "discord", Channel: ch}, digest); err != nil {
									mu.Lock()
									errs = append(errs, err)
									mu.Unlock()
								}
							}
						}()
					}
				}
				var feed sync.WaitGroup
				for i := range ps {
					feed.Add(1)
					go func() {
						defer feed.Done()
						for c := i; c < channels; c += len(ps) {
							work[i] <- fmt.Sprintf("3%02d%015d", n, c)
						}
						close(work[i])
					}()
				}
				feed.Wait()
				wg.Wait()
				wall += time.Since(t0)
				if len(errs) > 0 {
					b.Fatalf("%d posts failed, first: %v", len(errs), errs[0])
				}
			}
			b.StopTimer()
			if got := len(f.Messages()); got != channels*b.N {
				b.Fatalf("%d messages delivered, want %d (each channel exactly once)", got, channels*b.N)
			}
			limited := f.GlobalLimited()
			b.ReportMetric(wall.Seconds()/float64(b.N), "s/digest")
			b.ReportMetric(float64(channels*b.N)/wall.Seconds(), "posts/s")
			b.ReportMetric(float64(limited)/float64(b.N), "429s/digest")
		})
	}
}
