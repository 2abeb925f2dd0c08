package briefing

import (
	"os"
	"testing"
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
