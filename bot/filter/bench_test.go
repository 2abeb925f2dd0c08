package filter

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkRoute10kx1k routes 1,000 new articles of about 400 words to
// 10,000 channel filters, as a digest or live posting does (issue 13: under
// 1 s on one core): each article prepared once, then matched through an
// Index of the filters. Parsing the filters and indexing them happen when
// subscriptions change, not per article: they are reported apart, as
// parse-ms and index-ms.
//
//	go test ./bot/filter -run XXX -bench Route10kx1k -benchtime 5x -cpu 1
//
// cpu-ns/op is the CPU time the process used (GC included), which other
// work on a shared machine does not inflate as it does ns/op.
func BenchmarkRoute10kx1k(b *testing.B) {
	rng := rand.New(rand.NewPCG(13, 1))
	texts := make([]string, 10_000)
	for i := range texts {
		texts[i] = benchFilter(rng)
	}
	start := time.Now()
	filters := make([]*Filter, len(texts))
	for i, s := range texts {
		f, err := Parse(s)
		if err != nil {
			b.Fatalf("Parse(%q): %v", s, err)
		}
		filters[i] = f
	}
	parsed := time.Since(start)
	x := NewIndex(filters)
	indexed := time.Since(start) - parsed
	docs := make([]Doc, 1_000)
	words := 0
	for i := range docs {
		docs[i] = benchDoc(rng)
		words += len(strings.Fields(docs[i].Text))
	}
	b.Logf("%d filters: %d%% with a phrase, %d%% with an excluded term, %d%% with a regular expression; "+
		"%d articles of %d words on average", len(filters), share(texts, `"`), share(texts, " -"), share(texts, "re:/"),
		len(docs), words/len(docs))
	b.ReportAllocs()
	passed, cpu0 := 0, cpuTime()
	var dst []int
	for b.Loop() {
		passed = 0
		for _, d := range docs {
			dst = x.Match(Prepare(d), dst[:0])
			passed += len(dst)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(passed), "deliveries/op")
	b.ReportMetric(float64(parsed.Microseconds())/1000, "parse-ms")
	b.ReportMetric(float64(indexed.Microseconds())/1000, "index-ms")
}

// share returns the percentage of texts that contain s.
func share(texts []string, s string) int {
	n := 0
	for _, t := range texts {
		if strings.Contains(" "+t, s) {
			n++
		}
	}
	return 100 * n / len(texts)
}

// cpuTime returns the CPU time the process has used, in ns: on a shared
// machine, wall time also counts the time other work held the core.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// Topics: words that come together in articles, and in filters.
var benchTopics = [][]string{
	{"climate", "emissions", "carbon", "warming", "drought", "heatwave", "glacier", "renewable", "solar", "wind"},
	{"energy", "gas", "pipeline", "oil", "prices", "grid", "nuclear", "reactor", "battery", "turbine"},
	{"election", "parliament", "minister", "vote", "coalition", "opposition", "senate", "ballot", "campaign", "reform"},
	{"inflation", "interest", "rates", "bank", "markets", "unemployment", "budget", "deficit", "tariffs", "exports"},
	{"hospital", "vaccine", "virus", "doctors", "patients", "outbreak", "cancer", "nurses", "clinic", "pandemic"},
	{"football", "league", "striker", "goal", "transfer", "coach", "stadium", "club", "penalty", "champions"},
	{"software", "chip", "startup", "data", "privacy", "artificial", "intelligence", "cloud", "hackers", "robot"},
	{"ceasefire", "troops", "missile", "border", "refugees", "sanctions", "talks", "hostages", "drone", "army"},
	{"flood", "storm", "rain", "hurricane", "snow", "evacuation", "landslide", "wildfire", "heat", "river"},
	{"court", "judge", "trial", "appeal", "ruling", "lawyers", "verdict", "prosecutor", "sentence", "jury"},
	{"space", "rocket", "telescope", "mars", "research", "species", "ocean", "fossil", "genome", "satellite"},
	{"film", "festival", "music", "museum", "art", "novel", "theatre", "album", "award", "exhibition"},
}

// benchPhrases holds each topic's phrases, which articles on it use.
var benchPhrases = [][]string{
	{"climate change", "sea level", "carbon tax"},
	{"heat pump", "gas prices", "power plant"},
	{"prime minister", "general election", "polling station"},
	{"interest rates", "central bank", "trade deal"},
	{"public health", "intensive care", "waiting list"},
	{"transfer window", "world cup", "red card"},
	{"artificial intelligence", "data centre", "social media"},
	{"peace talks", "human rights", "air strike"},
	{"flash flood", "red alert", "state of emergency"},
	{"supreme court", "high court", "plea deal"},
	{"space station", "climate model", "deep sea"},
	{"box office", "film festival", "art fair"},
}

var benchCommon = strings.Fields(`the of and to in a said that for on was with he it as is by at from his an
were are which this be has had not they have but after their who been its new more year people government
also two first last would will over city country week official report could about than into some other
when there what up out them only her she all said its most before our told may since while during`)

var benchMarkers = []string{"EU", "UN", "NATO", "COP29", "2025", "$40 billion", "G20", "Mazón", "São Paulo", "Zürich"}

// benchTail is a long tail of rarer words, made of syllables.
var benchTail = func() []string {
	syl := strings.Fields("ka lo mer dan vi tro sen pa ril gu ost bel na fi dor wes lim cha bro tu")
	rng := rand.New(rand.NewPCG(7, 7))
	out := make([]string, 3000)
	for i := range out {
		var b strings.Builder
		for range 2 + rng.IntN(3) {
			b.WriteString(syl[rng.IntN(len(syl))])
		}
		out[i] = b.String()
	}
	return out
}()

// benchNames are the speakers: first names and surnames of tail words.
var benchNames = func() []string {
	out := make([]string, 400)
	for i := range out {
		out[i] = upper(benchTail[i]) + " " + upper(benchTail[len(benchTail)-1-i])
	}
	return out
}()

func upper(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// zipf picks from list, often its first items.
func zipf(rng *rand.Rand, list []string) string { return list[rng.IntN(rng.IntN(len(list))+1)] }

// benchDoc writes an article of about 400 words on two topics, with up to
// four speakers.
func benchDoc(rng *rand.Rand) Doc {
	topics := []int{rng.IntN(len(benchTopics)), rng.IntN(len(benchTopics))}
	var d Doc
	for range rng.IntN(5) {
		d.Speakers = append(d.Speakers, benchNames[rng.IntN(len(benchNames))])
	}
	word := func() string {
		t := topics[rng.IntN(2)]
		switch r := rng.IntN(100); {
		case r < 45:
			return zipf(rng, benchCommon)
		case r < 78:
			return zipf(rng, benchTail)
		case r < 93:
			return benchTopics[t][rng.IntN(len(benchTopics[t]))]
		case r < 96:
			return benchPhrases[t][rng.IntN(len(benchPhrases[t]))]
		case r < 98 && len(d.Speakers) > 0:
			return d.Speakers[rng.IntN(len(d.Speakers))]
		default:
			return benchMarkers[rng.IntN(len(benchMarkers))]
		}
	}
	var h []string
	for range 6 + rng.IntN(5) {
		h = append(h, word())
	}
	d.Headline = upper(strings.Join(h, " "))
	var text strings.Builder
	for n := 0; n < 400; {
		k := 10 + rng.IntN(15)
		s := make([]string, k)
		for i := range s {
			s[i] = word()
		}
		text.WriteString(upper(strings.Join(s, " ")) + ". ")
		n += k
	}
	d.Text = text.String()
	return d
}

// benchFilter writes a channel's filter: a topic's words, often a phrase,
// often words or a phrase of another topic excluded, sometimes a must-have
// word, a headline or speaker term, and in 2% a regular expression.
func benchFilter(rng *rand.Rand) string {
	t, other := rng.IntN(len(benchTopics)), rng.IntN(len(benchTopics))
	var terms []string
	if rng.IntN(100) >= 5 { // 5% only exclude
		for range 1 + rng.IntN(4) {
			terms = append(terms, benchTopics[t][rng.IntN(len(benchTopics[t]))])
		}
	}
	pct := func(p int) bool { return rng.IntN(100) < p }
	if pct(25) {
		terms = append(terms, `"`+benchPhrases[t][rng.IntN(len(benchPhrases[t]))]+`"`)
	}
	if pct(10) {
		terms = append(terms, "+"+zipf(rng, benchCommon[20:]))
	}
	if pct(40) {
		for range 1 + rng.IntN(2) {
			terms = append(terms, "-"+benchTopics[other][rng.IntN(len(benchTopics[other]))])
		}
	}
	if pct(10) {
		terms = append(terms, `-"`+benchPhrases[other][rng.IntN(len(benchPhrases[other]))]+`"`)
	}
	if pct(5) {
		terms = append(terms, "headline:"+benchTopics[t][rng.IntN(len(benchTopics[t]))])
	}
	if pct(5) {
		terms = append(terms, "speaker:"+strings.Fields(benchNames[rng.IntN(len(benchNames))])[1])
	}
	if pct(2) {
		sign := []string{"", "+", "-"}[rng.IntN(3)]
		terms = append(terms, sign+[]string{
			`re:/\bEU\b/`,
			`re:/(?i)\b(un|united nations)\b/`,
			`re:/COP\d+/`,
			fmt.Sprintf(`re:/(?i)\b%s(s|es)?\b/`, benchTopics[t][rng.IntN(len(benchTopics[t]))]),
			`re:/\$\d+ (billion|million)/`,
			`re:/\d+ (dead|killed|injured)/`,
		}[rng.IntN(6)])
	}
	return strings.Join(terms, " ")
}
