package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/store"
)

// fillStore stores n distinct articles, made by varying the benchmark
// article's names and numbers, so the store looks like a real one.
func fillStore(tb testing.TB, path string, n int) {
	tb.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	data, err := os.ReadFile("briefing/testdata/bench_bridge.txt")
	if err != nil {
		tb.Fatal(err)
	}
	base := string(data)
	towns := []string{"Riverside", "Eastgate", "Millport", "Northfield", "Oakdale", "Pinecrest", "Lakeview", "Stonebridge"}
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		text := strings.ReplaceAll(base, "Riverside", towns[i%len(towns)])
		text = strings.ReplaceAll(text, "18,000", fmt.Sprintf("%d", 1000+i))
		text = strings.Replace(text, "title: ", fmt.Sprintf("title: (%d) ", i), 1)
		a, err := briefing.Parse(fmt.Sprintf("article-%05d.txt", i), []byte(text))
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := st.PutArticle(ctx, fmt.Sprintf("bench/%05d", i), briefing.Analyze(a, briefing.Options{}), now.Add(time.Duration(i)*time.Second)); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkStartup measures `briefbot serve` on the console with 10,000
// articles in the store: the time from start to the end of its first
// briefing, and the peak resident memory. Targets: under 1 s, under 150 MB.
func BenchmarkStartup(b *testing.B) {
	bin := binary(b)
	dir := b.TempDir()
	db := filepath.Join(dir, "big.db")
	fillStore(b, db, 10000)
	os.MkdirAll(filepath.Join(dir, "seeds"), 0o755)
	var maxRSS int64
	b.ResetTimer()
	for b.Loop() {
		cmd := exec.Command(bin)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "DATABASE_PATH="+db, "LOG_LEVEL=warn")
		cmd.Stdin = strings.NewReader("") // end of input: stop after the start-up briefing
		out, err := cmd.Output()
		if err != nil || !strings.Contains(string(out), "10000 articles") {
			b.Fatalf("%v: %.300s", err, out)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			maxRSS = max(maxRSS, ru.Maxrss)
		}
	}
	b.ReportMetric(float64(maxRSS)/1024, "peak-RSS-MB")
}
