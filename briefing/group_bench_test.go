package briefing

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/longarticle"
)

// A synthetic week of news for the grouping benchmark: 2,000 events, each
// told by five articles from different outlets within a day and a half of
// each other, arriving over seven days. Events of the same kind (a bridge
// closure, a strike, …) share their words but not their places, people,
// organisations and numbers. Generated deterministically.

var syllables = strings.Fields(`ka lo mi ren tor val bri sen dal mor fen ash gro wel lin har cor bel tam
ris ven quo sta pel nor ell vik dun mar`)

func synthName(r *rand.Rand, parts int) string {
	var sb strings.Builder
	for i := 0; i < parts; i++ {
		sb.WriteString(syllables[r.IntN(len(syllables))])
	}
	s := sb.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

type synthKind struct {
	headline []string // %[1]s place, %[2]s person, %[3]s org, %[4]d number
	lead     []string
	quote    string
	extra    []string
}

var synthKinds = []synthKind{
	{
		headline: []string{"%[1]s closes bridge after inspectors find crack", "Bridge in %[1]s shut as girder cracks", "CRACKED: %[1]s bridge closed"},
		lead:     []string{"The city of %[1]s closed its main bridge on Monday after inspectors found a crack in a steel girder, officials said.", "Drivers in %[1]s faced long detours after the city shut its busiest bridge."},
		quote:    "We cannot let a single car onto that span until we know how deep the crack goes",
		extra:    []string{"About %[4]d vehicles cross the bridge each day.", "%[3]s will inspect the piers on Wednesday."},
	},
	{
		headline: []string{"Workers at %[3]s strike over pay", "Strike halts %[3]s in %[1]s", "WALKOUT: %[3]s staff down tools"},
		lead:     []string{"About %[4]d workers at %[3]s in %[1]s walked out on Wednesday in a dispute over pay, their union said.", "Staff at %[3]s began a two-day strike over pay and staffing."},
		quote:    "Our members have had one real pay rise in six years",
		extra:    []string{"The company said its offer was fair.", "Talks are due to resume next week."},
	},
	{
		headline: []string{"Fire kills %[4]d at %[3]s warehouse in %[1]s", "Warehouse blaze in %[1]s leaves %[4]d dead", "INFERNO at %[3]s depot"},
		lead:     []string{"At least %[4]d people were killed when fire swept through a warehouse run by %[3]s in %[1]s, fire officials said.", "A fire tore through the %[3]s depot in %[1]s on Thursday evening."},
		quote:    "The fire spread through the roof space in minutes",
		extra:    []string{"Investigators will examine whether exits were locked.", "The company denied that any fire exits were locked."},
	},
	{
		headline: []string{"%[3]s offers $%[4]d million for rival", "%[3]s bid rejected by board", "Mining giants in cash punch-up"},
		lead:     []string{"%[3]s offered $%[4]d million in cash for a smaller rival on Monday, but the target's board rejected the bid.", "The board of %[3]s's takeover target said the offer was too low."},
		quote:    "This is a fair offer that gives shareholders a substantial premium",
		extra:    []string{"Analysts said the bidder might raise its offer.", "The deal would create one of the largest producers in the region."},
	},
	{
		headline: []string{"River floods %[1]s, %[4]d evacuated", "Families flee as river bursts banks in %[1]s", "WASHED OUT in %[1]s"},
		lead:     []string{"About %[4]d residents of %[1]s were evacuated overnight after the river burst its banks, emergency officials said.", "Floodwater reached the first floor of homes in %[1]s on Friday."},
		quote:    "The river rose faster than any model predicted",
		extra:    []string{"Shelters have opened at the high school.", "Volunteers are collecting blankets at the church."},
	},
}

var synthOutlets = []string{"Meridian Wire", "The Daily Clarion", "Northern Ledger", "Capital Dispatch", "Coastline Herald", "Local Echo"}

type synthArticle struct {
	a     *Article
	event int
}

// synthWeek returns n articles over seven days starting at start, in
// arrival order.
func synthWeek(n int, start time.Time) []synthArticle {
	r := rand.New(rand.NewPCG(15, 2026))
	events := n / 5
	var out []synthArticle
	for e := 0; e < events; e++ {
		k := synthKinds[r.IntN(len(synthKinds))]
		place := synthName(r, 3) + " " + []string{"Falls", "Green", "Port", "Bridge", "Vale"}[r.IntN(5)]
		person := synthName(r, 2) + " " + synthName(r, 3)
		org := synthName(r, 3) + " " + []string{"Logistics", "Minerals", "Buses", "Health Trust", "Foods"}[r.IntN(5)]
		num := 10 + r.IntN(5000)
		t0 := start.Add(time.Duration(r.Int64N(int64(7 * 24 * time.Hour))))
		for i := 0; i < 5; i++ {
			f := func(s string) string { return fmt.Sprintf(s, place, person, org, num) }
			outlet := synthOutlets[(e+i)%len(synthOutlets)]
			body := f(k.lead[r.IntN(len(k.lead))]) + "\n\n"
			switch i % 3 {
			case 0:
				body += fmt.Sprintf("``%s,'' said %s, a spokesman for %s.", k.quote, person, org)
			case 1:
				body += fmt.Sprintf("'%s,' %s said.", k.quote, person)
			default:
				body += fmt.Sprintf("%s said %s.", person, strings.ToLower(k.quote[:1])+k.quote[1:])
			}
			for _, x := range k.extra {
				if r.IntN(2) == 0 {
					body += "\n\n" + f(x)
				}
			}
			body += fmt.Sprintf("\n\n%s said more details would follow on %s.", person, []string{"Monday", "Tuesday", "Friday"}[r.IntN(3)])
			pub := t0.Add(time.Duration(r.Int64N(int64(36 * time.Hour))))
			title := f(k.headline[r.IntN(len(k.headline))])
			a := &Article{Name: fmt.Sprintf("e%04d_%d.txt", e, i), Title: title, Source: outlet, Published: pub, Body: body}
			a.ID = ContentID(a.Title, a.Source, a.URL, a.Published, a.Author, a.Body)
			out = append(out, synthArticle{a: a, event: e})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].a.Published.Before(out[j].a.Published) })
	return out
}

var synthOnce struct {
	sync.Once
	ans    []*Analysis
	events []int
}

func synthAnalyses() ([]*Analysis, []int) {
	synthOnce.Do(func() {
		arts := synthWeek(10000, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
		for _, s := range arts {
			synthOnce.ans = append(synthOnce.ans, Analyze(s.a, Options{}))
			synthOnce.events = append(synthOnce.events, s.event)
		}
	})
	return synthOnce.ans, synthOnce.events
}

// BenchmarkGroupWeek groups 10,000 analysed articles arriving over a week
// (72-hour window) on one goroutine: Analyze's time is not counted. It
// reports articles grouped per second, the most articles held at once and
// the heap the grouper holds at the end (what the window costs).
func BenchmarkGroupWeek(b *testing.B) {
	ans, _ := synthAnalyses()
	b.ReportAllocs()
	var held uint64
	maxLen := 0
	b.ResetTimer()
	for b.Loop() {
		g := NewGrouper(StoryOptions{})
		for _, an := range ans {
			g.Add(an, an.Article.Published)
			maxLen = max(maxLen, g.Len())
		}
		b.StopTimer()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(g)
		g = nil
		runtime.GC()
		runtime.ReadMemStats(&before)
		held = after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
		b.StartTimer()
	}
	b.ReportMetric(float64(b.N*len(ans))/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(maxLen), "max-held-articles")
	b.ReportMetric(float64(held)/(1<<20), "held-MB")
}

// The synthetic week is grouped as generated: one story per event.
func TestGroupSyntheticWeek(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses 10,000 articles")
	}
	ans, events := synthAnalyses()
	g := NewGrouper(StoryOptions{})
	got, want := map[string]string{}, map[string]string{}
	for i, an := range ans {
		got[an.Article.Name] = g.Add(an, an.Article.Published)
		want[an.Article.Name] = fmt.Sprint(events[i])
	}
	pp, pr, bp, br := clusterScores(got, want)
	t.Logf("synthetic week: %d articles: pairwise P %.3f R %.3f, B-cubed P %.3f R %.3f; %d held at the end", len(ans), pp, pr, bp, br, g.Len())
	if pp < 0.95 || pr < 0.95 {
		t.Errorf("synthetic week grouped below 0.95")
	}
}

// The grouper forgets what only expired articles held: its vocabulary is
// the terms of the articles in the window, no more.
func TestGroupMemoryBounded(t *testing.T) {
	arts := synthWeek(3000, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	g := NewGrouper(StoryOptions{Window: 24 * time.Hour})
	for _, s := range arts {
		an := &Analysis{Article: s.a, Sentences: Segment(s.a.Body), Briefing: Briefing{Headline: s.a.Title}}
		g.Add(an, s.a.Published)
	}
	x := &g.idx
	held := map[int32]bool{}
	live := 0
	for _, m := range x.members {
		if m.dead {
			continue
		}
		live++
		for _, id := range m.terms {
			held[id] = true
		}
	}
	if live != g.Len() || live >= len(arts)/3 {
		t.Errorf("%d live members, Len %d, of %d articles over a week with a 24h window", live, g.Len(), len(arts))
	}
	if len(held) != len(x.ids) || len(x.terms)-len(x.free) != len(x.ids) {
		t.Errorf("vocabulary %d terms (%d slots, %d free), the window's articles hold %d", len(x.ids), len(x.terms), len(x.free), len(held))
	}
	if len(x.members) > 2*live+64 {
		t.Errorf("%d member slots for %d live articles", len(x.members), live)
	}
}

// BenchmarkBriefStoryLarge: the briefing of a story with a 1 MB article
// (thousands of claims) and two news articles costs about what one of
// news articles does: a story reads the top of each article.
func BenchmarkBriefStoryLarge(b *testing.B) {
	large, err := Parse("large.txt", []byte(longarticle.File(1_000_000)))
	if err != nil {
		b.Fatal(err)
	}
	ans := []*Analysis{Analyze(large, Options{})}
	for i := range 2 {
		a, err := Parse(fmt.Sprintf("news%d.txt", i), []byte(longarticle.Article(uint64(500+i), 330)))
		if err != nil {
			b.Fatal(err)
		}
		ans = append(ans, Analyze(a, Options{}))
	}
	b.ReportMetric(float64(len(ans[0].Claims)), "claims-of-large")
	b.ResetTimer()
	for b.Loop() {
		BriefStory("s", ans, Options{})
	}
}
