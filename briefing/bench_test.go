package briefing

import (
	"fmt"
	"github.com/briefbot/briefbot/internal/longarticle"
	"os"
	"syscall"
	"testing"
	"time"
)

// BenchmarkAnalyze runs the whole pipeline (segmentation, claim
// extraction, ranking, briefing) on a 600-word article.
func BenchmarkAnalyze(b *testing.B) {
	data, err := os.ReadFile("testdata/bench_bridge.txt")
	if err != nil {
		b.Fatal(err)
	}
	a, err := Parse("bench_bridge.txt", data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(a.Body)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Analyze(a, Options{})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkParseAndAnalyze adds loading from bytes (front matter, body
// normalization, content hash).
func BenchmarkParseAndAnalyze(b *testing.B) {
	data, err := os.ReadFile("testdata/bench_bridge.txt")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		a, err := Parse("bench_bridge.txt", data)
		if err != nil {
			b.Fatal(err)
		}
		Analyze(a, Options{})
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkAnalyzeCorpus analyses generated articles of about 330 words,
// one after the other, as `briefbot brief` does; an op is one article.
func BenchmarkAnalyzeCorpus(b *testing.B) {
	benchCorpus(b, func(a *Article) { Analyze(a, Options{}) })
}

// BenchmarkAnalyzeClaimsCorpus is BenchmarkAnalyzeCorpus with extraction
// only (AnalyzeClaims, the work of `briefbot claims`); an op is one article.
func BenchmarkAnalyzeClaimsCorpus(b *testing.B) {
	benchCorpus(b, func(a *Article) { AnalyzeClaims(a) })
}

// benchCorpus runs analyse over 200 generated articles of about 330 words
// in turn, an op an article, and reports articles per second and per CPU
// second.
func benchCorpus(b *testing.B, analyse func(*Article)) {
	arts := make([]*Article, 200)
	for i := range arts {
		a, err := Parse(fmt.Sprintf("article_%03d.txt", i), []byte(longarticle.Article(uint64(1000+i), 330)))
		if err != nil {
			b.Fatal(err)
		}
		arts[i] = a
	}
	b.ReportAllocs()
	i := 0
	cpu := cpuTime()
	for b.Loop() {
		analyse(arts[i%len(arts)])
		i++
	}
	cpu = cpuTime() - cpu
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
	// The process's CPU time, steadier than the wall clock on a shared
	// machine (it counts the garbage collector's work on other threads).
	b.ReportMetric(float64(b.N)/cpu.Seconds(), "articles/cpu-s")
}

// cpuTime is the user and system time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
