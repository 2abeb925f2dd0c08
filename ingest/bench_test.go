package ingest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/longarticle"
	"github.com/briefbot/briefbot/store"
)

// BenchmarkFirstSync is the first start of the bot on a seeds folder of
// 3,000 generated articles of about 330 words: an empty SQLite store, one
// Sync (loading, analysis, storing). An op is the whole folder.
func BenchmarkFirstSync(b *testing.B) {
	dir := b.TempDir()
	const n = 3000
	for i := range n {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("article_%04d.txt", i)), []byte(longarticle.Article(uint64(5000+i), 330)), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	ctx := context.Background()
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), "briefbot.db"))
		if err != nil {
			b.Fatal(err)
		}
		s := &Seeds{Dir: dir, Store: st, Log: slog.New(slog.DiscardHandler)}
		b.StartTimer()
		c := cpuTime()
		res, err := s.Sync(ctx)
		cpu += cpuTime() - c
		if err != nil || res.Added != n {
			b.Fatalf("%+v, %v", res, err)
		}
		b.StopTimer()
		// Closing checkpoints what the sync left in the WAL: its work
		// too, though not the first start's wait.
		c = cpuTime()
		st.Close()
		cpu += cpuTime() - c
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(n*b.N)/cpu.Seconds(), "articles/cpu-s")
}
