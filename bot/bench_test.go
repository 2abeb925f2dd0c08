package bot

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/store"
)

// BenchmarkDigest1000 measures a scheduled digest over 1,000 new articles:
// reading them from the store, grouping and ordering them, and building
// the message. Target: under 100 ms.
func BenchmarkDigest1000(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "digest.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	for i := range 1000 {
		name := []string{"harbor.txt", "clinic.txt"}[i%2]
		text := strings.Replace(articles[name], "title: ", fmt.Sprintf("title: Story %d: ", i), 1)
		text = strings.ReplaceAll(text, "April", []string{"May", "June", "July", "August"}[i%4])
		a, err := briefing.Parse(name, []byte(text))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := st.PutArticle(ctx, fmt.Sprintf("k/%d", i), briefing.Analyze(a, briefing.Options{}), now); err != nil {
			b.Fatal(err)
		}
	}
	plat := &fakePlatform{name: "chat"}
	bt := New(Config{Schedule: "0 8 * * *", TZ: "UTC"}, st, slog.New(slog.DiscardHandler), plat)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		arts, err := st.ActiveArticles(ctx, 0, 0)
		if err != nil || len(arts) != 1000 {
			b.Fatal(err, len(arts))
		}
		m := bt.digestOf(arts, briefing.DigestOptions{})
		if len(m.Stories) == 0 {
			b.Fatal("empty digest")
		}
	}
}
