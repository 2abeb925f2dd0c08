package store

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/internal/longarticle"
)

// BenchmarkPutArticles stores 1,000 analysed articles of about 330 words
// (generated) in an empty SQLite store, in batches of 200 as a seeds sync
// does (prepared ahead or not), or one at a time (PutArticle); an op is
// one article.
func BenchmarkPutArticles(b *testing.B) {
	const n = 1000
	ans := make([]*briefing.Analysis, n)
	for i := range ans {
		a, err := briefing.Parse(fmt.Sprintf("article_%04d.txt", i), []byte(longarticle.Article(uint64(7000+i), 330)))
		if err != nil {
			b.Fatal(err)
		}
		ans[i] = briefing.Analyze(a, briefing.Options{})
	}
	ctx := context.Background()
	// prepared: the batches' puts come prepared (ArticlePut.Prepared,
	// made by the workers that analyse, in a seeds sync), so that their
	// CPU is the transaction's alone.
	for _, bc := range []struct {
		batch    int
		prepared bool
	}{{1, false}, {200, false}, {200, true}} {
		batch, name := bc.batch, fmt.Sprintf("batch=%d", bc.batch)
		var preps []*Prepared
		if bc.prepared {
			name += "/prepared"
			preps = make([]*Prepared, n)
			for i, an := range ans {
				var err error
				if preps[i], err = Prepare(an); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.Run(name, func(b *testing.B) {
			var cpu time.Duration
			var s *Store
			i := n
			for b.Loop() {
				if i == n { // a new store every n articles
					b.StopTimer()
					if s != nil {
						// Closing checkpoints what the puts left in the
						// WAL: their work too.
						c := cpuTime()
						s.Close()
						cpu += cpuTime() - c
					}
					s = openTest(b, testPath(b))
					i = 0
					b.StartTimer()
				}
				if i%batch != 0 {
					i++
					continue
				}
				c := cpuTime()
				if batch == 1 {
					if _, err := s.PutArticle(ctx, fmt.Sprintf("seeds/%d", i), ans[i], t0); err != nil {
						b.Fatal(err)
					}
				} else {
					puts := make([]ArticlePut, 0, batch)
					for k := i; k < i+batch && k < n; k++ {
						put := ArticlePut{Key: fmt.Sprintf("seeds/%d", k), Analysis: ans[k], Now: t0}
						if preps != nil {
							put.Prepared = preps[k]
						}
						puts = append(puts, put)
					}
					if _, err := s.PutArticles(ctx, puts); err != nil {
						b.Fatal(err)
					}
				}
				cpu += cpuTime() - c
				i++
			}
			if s != nil {
				c := cpuTime()
				s.Close()
				cpu += cpuTime() - c
			}
			b.ReportMetric(float64(b.N)/cpu.Seconds(), "articles/cpu-s")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
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
