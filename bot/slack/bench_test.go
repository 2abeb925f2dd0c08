package slack

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/bot"
	"github.com/briefbot/briefbot/internal/fakeslack"
	"github.com/briefbot/briefbot/internal/testutil"
	"github.com/briefbot/briefbot/store"
)

// BenchmarkAckBurst sends bursts of 200 slash commands at once and
// measures how long each waits for its acknowledgement (Slack allows 3 s).
// The handler takes 100 ms per command: acknowledgements must not wait for
// it. Replies go to a channel per command, so the per-channel limit does
// not come into it. "http-db" is HTTP mode with the replay guard in a
// database, as the bot runs it; "http" keeps it in memory.
func BenchmarkAckBurst(b *testing.B) {
	for _, mode := range []string{"socket", "http", "http-db"} {
		b.Run(mode, func(b *testing.B) {
			socket := mode == "socket"
			var mod func(*Config)
			if mode == "http-db" {
				st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
				if err != nil {
					b.Fatal(err)
				}
				b.Cleanup(func() { st.Close() }) // after the platform stops
				mod = func(c *Config) { c.Replay = st }
			}
			f := fakeslack.New(b)
			h := newStub(100 * time.Millisecond)
			r := startWith(b, f, h, socket, mod)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
			const burst = 200
			var lat []time.Duration
			posted := 0
			for i := 0; b.Loop(); i++ {
				cmds := make([]slash, burst)
				for j := range cmds {
					cmds[j] = slash{Channel: fmt.Sprintf("B%d-%d", i, j), User: "UUSER", Text: "briefing",
						ResponseURL: f.ResponseURL(), Trigger: fmt.Sprintf("b%d-%d", i, j)}
				}
				if socket {
					ids := make([]string, burst)
					for j, c := range cmds {
						ids[j] = f.Envelope(b, "slash_commands", c.Payload(), 0)
					}
					for _, id := range ids {
						lat = append(lat, f.AckLatency(b, id))
					}
				} else {
					var mu sync.Mutex
					var wg sync.WaitGroup
					for _, c := range cmds {
						wg.Go(func() {
							d := r.postWith(b, client, commandsPath, c.Form())
							mu.Lock()
							lat = append(lat, d)
							mu.Unlock()
						})
					}
					wg.Wait()
				}
				posted += burst
				b.StopTimer()
				testutil.WaitFor(b, 30*time.Second, "the replies", func() bool { return len(f.Posts()) >= posted })
				b.StartTimer()
			}
			slices.Sort(lat)
			pct := func(p float64) float64 {
				return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(0.50), "p50-ack-ms")
			b.ReportMetric(pct(0.99), "p99-ack-ms")
			b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ack-ms")
			if pct(0.99) >= 250 {
				b.Errorf("p99 acknowledgement %.1f ms, want under 250 ms", pct(0.99))
			}
		})
	}
}

// postWith posts a signed slash command and returns the time to the 200.
func (r *running) postWith(t testing.TB, client *http.Client, path, body string) time.Duration {
	req, _ := http.NewRequest(http.MethodPost, r.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	sign(req, testSecret, body, time.Now())
	start := time.Now()
	res, err := client.Do(req)
	if err != nil {
		t.Error(err)
		return 0
	}
	d := time.Since(start)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("status %d", res.StatusCode)
	}
	return d
}

// BenchmarkDigest1000Channels delivers one digest to 1,000 channels with
// Slack's limit of one message per second per channel (the real 1 s), the
// way the scheduler does: one Post per channel, concurrently. A digest of
// two messages needs at least 1 s per channel; done one channel after the
// other that is 1,000 s, in parallel about 1 s. The fake counts any two
// posts to one channel less than 990 ms apart.
func BenchmarkDigest1000Channels(b *testing.B) {
	for _, stories := range []int{5, 15, 25} {
		m := digest(stories)
		parts := len(render(m))
		b.Run(fmt.Sprintf("%d-messages", parts), func(b *testing.B) {
			f := fakeslack.New(b)
			f.SetMinGap(990 * time.Millisecond)
			p, _ := platform(b, f)
			const channels = 1000
			var wall time.Duration
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				var wg sync.WaitGroup
				for j := range channels {
					wg.Go(func() {
						to := bot.Destination{Platform: "slack", Channel: fmt.Sprintf("D%d-%d", i, j)}
						if ids, err := p.Post(context.Background(), to, m); err != nil || len(ids) != parts {
							b.Errorf("Post to %s = %v, %v", to.Channel, ids, err)
						}
					})
				}
				wg.Wait()
				wall += time.Since(start)
			}
			n := float64(b.N)
			b.ReportMetric(wall.Seconds()/n, "s/digest")
			b.ReportMetric(channels*float64(parts)*n/wall.Seconds(), "msgs/s")
			if n := f.TooFast(); n != 0 {
				b.Errorf("%d posts came less than a second after the previous one in their channel", n)
			}
			if n := len(f.Posts()); n != channels*parts*b.N {
				b.Errorf("%d posts, want %d", n, channels*parts*b.N)
			}
		})
	}
}
