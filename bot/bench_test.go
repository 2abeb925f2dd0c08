package bot

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"

	"github.com/briefbot/briefbot/bot/filter"
	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/store"
)

// BenchmarkDigest1000 measures a scheduled digest over 1,000 new articles:
// reading them from the store, grouping them into their stories and
// ordering these, and briefing the stories shown. The articles are
// retellings of two (the same text with another title and month), so
// they make two stories of 500 articles each. Target: under 100 ms.
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
		m, _, err := bt.storyDigest(ctx, store.Global, nil, nil, arts, briefing.DigestOptions{})
		if err != nil || len(m.Stories) == 0 {
			b.Fatal("empty digest", err)
		}
	}
}

// BenchmarkDigestStories measures a scheduled digest over 1,000 new
// articles about 200 events, each told by 5 outlets: reading the
// articles, grouping them into their stories, reading what the channel was
// shown of each, and briefing the 10 stories shown from their articles
// (briefing.BriefStory). Run with
//
//	go test ./bot -run XXX -bench DigestStories -count 5 -cpu 1
func BenchmarkDigestStories(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "stories.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	const events, outlets = 200, 5
	rng := rand.New(rand.NewPCG(15, 15))
	word := func() string {
		const letters = "bcdfghklmnprstvz"
		var sb strings.Builder
		for range 3 {
			sb.WriteByte(letters[rng.IntN(len(letters))])
			sb.WriteByte("aeiou"[rng.IntN(5)])
		}
		return sb.String()
	}
	for e := range events {
		place, thing, who := strings.ToUpper(word()[:1])+word(), word()+" "+word(), "Mayor "+strings.ToUpper(word()[:1])+word()
		for o := range outlets {
			text := fmt.Sprintf(`---
title: %[1]s %[2]s closed after inspectors find %[3]s
source: Outlet %[4]d
published: 2026-11-27T0%[4]d:00:00Z
---
%[1]s closed the %[2]s on Monday after inspectors found %[3]s, officials said.

"We will not reopen the %[2]s until it is safe," %[5]s said.

About %[6]d people use the %[2]s in %[1]s each day, outlet %[4]d reported.
`, place, thing, word(), o+1, who, 1000*(e+1)+o)
			a, err := briefing.Parse(fmt.Sprintf("e%d_o%d.txt", e, o), []byte(text))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := st.PutArticle(ctx, fmt.Sprintf("k/%d/%d", e, o), briefing.Analyze(a, briefing.Options{}), now); err != nil {
				b.Fatal(err)
			}
		}
	}
	plat := &fakePlatform{name: "chat"}
	bt := New(Config{Schedule: "0 8 * * *", TZ: "UTC"}, st, slog.New(slog.DiscardHandler), plat)
	d := Destination{Platform: "chat", Channel: "C1"}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		arts, err := st.VisibleArticles(ctx, store.Global, 0, 0)
		if err != nil || len(arts) != events*outlets {
			b.Fatal(err, len(arts))
		}
		m, _, err := bt.storyDigest(ctx, store.Global, &d, nil, arts, briefing.DigestOptions{})
		if err != nil || len(m.Stories) != 10 || len(m.Stories[0].Notes) == 0 {
			b.Fatalf("digest: %v, %d stories:\n%s", err, len(m.Stories), PlainText(m))
		}
	}
}

// BenchmarkRoute measures the routing of live posts: which of 1,000 new
// articles each of 10,000 channel subscriptions gets, by its space (100 of
// them), its chosen feeds (50) and its topic filter, as a live round finds
// them (liveRoutes: the filters indexed, then each article matched against
// them all at once). Indexing the filters and preparing each article for
// them are inside the timed loop. Articles are 8 words of headline and 400
// of text drawn from a vocabulary of 20,000 words with Zipf's law, like
// news text, with a few names and figures; filters take 1 to 3 words (past
// the commonest), a phrase of an article, a + word, words to exclude, and
// one in fifty a regular expression. cpu-ns/op is the CPU time the process
// used, which other work on a shared machine does not inflate as it does
// ns/op. Target: under 1 s on one core:
//
//	go test ./bot -run XXX -bench Route -benchtime 5x -cpu 1
func BenchmarkRoute(b *testing.B) {
	rng := rand.New(rand.NewPCG(13, 13))
	var vocab []string
	seen := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(articles)) {
		for _, w := range strings.FieldsFunc(strings.ToLower(articles[name]), func(r rune) bool { return !unicode.IsLetter(r) }) {
			if !seen[w] {
				seen[w] = true
				vocab = append(vocab, w)
			}
		}
	}
	syllables := strings.Fields("ba be bi bo bu da de di do du fa fe fi fo ga ge go ka ke ki ko ku la le li lo lu ma me mi mo mu " +
		"na ne ni no nu pa pe pi po ra re ri ro ru sa se si so ta te ti to tu va ve vi vo za ze zo bra tre pla sto gri")
	for len(vocab) < 20000 { // made-up words, as varied as real ones
		w := ""
		for range 2 + rng.IntN(3) {
			w += syllables[rng.IntN(len(syllables))]
		}
		if !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	zipf := rand.NewZipf(rng, 1.1, 2, uint64(len(vocab)-1))
	markers := []string{"EU", "UN", "NATO", "COP29", "2025", "$40 billion", "12 dead", "São Paulo"}
	text := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[zipf.Uint64()]
			if rng.IntN(100) < 2 {
				ws[i] = markers[rng.IntN(len(markers))]
			}
		}
		return strings.Join(ws, " ")
	}
	topic := func() string { return vocab[50+rng.IntN(5000)] } // past the commonest words
	feedURL := func(i int) string { return fmt.Sprintf("https://feeds.example/%d.xml", i) }
	space := func(i int) string { return fmt.Sprintf("chat:G%d", i) }
	routes := make([]*store.Route, 1000)
	for i := range routes {
		var body strings.Builder
		for range 40 {
			body.WriteString(text(10) + ". ")
		}
		routes[i] = &store.Route{Headline: text(8), Body: body.String(),
			Speakers: []string{"Ada " + topic(), "Marco " + topic()}, Feeds: []string{feedURL(rng.IntN(50))}}
	}
	subs, spaces := make([]*route, 10000), make([]string, 10000)
	regexes := 0
	for i := range subs {
		rt := &route{}
		if rng.IntN(10) < 3 {
			for range 1 + rng.IntN(3) {
				rt.feeds = append(rt.feeds, feedURL(rng.IntN(50)))
			}
		}
		var include, exclude, regex string
		if rng.IntN(10) < 7 {
			for range 1 + rng.IntN(3) {
				include += " " + topic()
			}
		}
		if rng.IntN(10) < 2 { // a phrase of some article, not "of the"
			f := strings.Fields(routes[rng.IntN(len(routes))].Body)
			j := rng.IntN(len(f) - 1)
			for slices.Contains(vocab[:50], f[j]) || slices.Contains(vocab[:50], f[j+1]) {
				j = rng.IntN(len(f) - 1)
			}
			include += ` "` + strings.Trim(f[j], ".") + " " + strings.Trim(f[j+1], ".") + `"`
		}
		if rng.IntN(10) == 0 {
			include += " +" + topic()
		}
		if rng.IntN(10) < 4 {
			exclude = topic() + " " + vocab[rng.IntN(50)]
		}
		if rng.IntN(50) == 0 { // 2%, of the kinds people write
			regex, regexes = []string{`\bEU\b`, `(?i)\b(un|united nations)\b`, `COP\d+`, `(?i)\b` + topic() + `(s|es)?\b`,
				`\$\d+ (billion|million)`, `\d+ (dead|killed|injured)`}[rng.IntN(6)], regexes+1
		}
		if include+exclude+regex != "" {
			f, err := filter.FromOptions(include, exclude, regex)
			if err != nil {
				b.Fatal(err)
			}
			rt.filter = f
		}
		subs[i], spaces[i] = rt, space(rng.IntN(100))
	}
	matched := 0
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		arts := make([]*arrived, len(routes))
		for i, r := range routes {
			sp := store.Global
			if i%2 == 1 {
				sp = space(i % 100)
			}
			arts[i] = &arrived{id: fmt.Sprint(i), rows: []store.Arrival{{Seq: int64(i + 1), Space: sp, Active: true}}, story: newStory(r)}
		}
		matched = 0
		for _, f := range newLiveRoutes(subs, spaces, make([]int64, len(subs))).news(arts) {
			matched += len(f)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(matched)/float64(len(subs)), "articles/subscription")
	b.Logf("10,000 subscriptions (%d with a regular expression) over 1,000 articles: %d routed", regexes, matched)
}

// cpuTime is the CPU time the process has used so far, in ns.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
