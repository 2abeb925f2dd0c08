package briefing

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/longarticle"
)

// maxAllocPerMB is the most MB Parse and Analyze may allocate per MB of
// article, whatever the shape of its text (news text takes about 45; see
// README, "Bounded work per article"). Unlike time, it does not depend on
// the machine, so a test checks it; BenchmarkAnalyzeLarge reports both.
const maxAllocPerMB = 128

// longShapes are long bodies of about size bytes in shapes that once made
// the engine's work grow with the square of the article's length: plain
// news (ranking compared every sentence with every other), many people
// sharing a last name and pronouns with nothing to refer to (name lookups
// and references scanned everything seen so far), and a name run repeated
// as every claim's speaker (a claim's attribution grew with the body).
func longShapes(size int) map[string]string {
	shapes := map[string]string{"news": longarticle.Body(size)}
	var sb strings.Builder
	for i := 0; sb.Len() < size; i++ {
		fmt.Fprintf(&sb, "Officer Ka%dro Smith said the plan was fine. It said the road would close. The official said so. They said more. ", i)
		if i%5 == 4 {
			sb.WriteString("\n\n")
		}
	}
	shapes["namesakes"] = sb.String()
	long := strings.Repeat("Alpha Beta Gamma Delta ", size/4/len("Alpha Beta Gamma Delta ")) + "Smith said the plan was fine.\n\n"
	shapes["long name"] = long + strings.Repeat("Smith said the plan was fine. ", (size-len(long))/len("Smith said the plan was fine. "))
	return shapes
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A long article costs memory in proportion to its length, and its claims
// take space in proportion to it too, whatever its shape.
func TestLongArticleCostIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("analyzes several MB")
	}
	const size = 1 << 20
	for name, body := range longShapes(size) {
		var an *Analysis
		bytes := allocated(func() {
			a, err := Parse("long.txt", []byte(body))
			if err != nil {
				t.Fatal(err)
			}
			an = Analyze(a, Options{})
		})
		if mb := float64(bytes) / float64(len(body)); mb > maxAllocPerMB {
			t.Errorf("%s: Parse and Analyze allocated %.0f MB for a %.1f MB article, %.0f per MB (ceiling %d)",
				name, float64(bytes)/(1<<20), float64(len(body))/(1<<20), mb, maxAllocPerMB)
		}
		fields := 0
		for _, c := range an.Claims {
			fields += len(c.Text) + len(c.Speaker) + len(c.SpeakerRole) + len(c.Via)
		}
		if fields > 16*len(body) {
			t.Errorf("%s: the claims of a %d-byte article hold %d bytes", name, len(body), fields)
		}
		if len(an.Briefing.Bullets) == 0 && name == "news" {
			t.Errorf("%s: no bullets", name)
		}
	}
}

// Attribution strings are bounded: a run of capitalized words longer than
// maxPhraseBytes is no name, and only its last words are kept.
func TestLongNameRunIsBounded(t *testing.T) {
	body := strings.Repeat("Alpha Beta ", 100) + "Smith said the plan was fine. Smith said the road was closed."
	claims := Extract(body)
	if len(claims) != 2 {
		t.Fatalf("got %d claims, want 2: %+v", len(claims), claims)
	}
	for _, c := range claims {
		if len(c.Speaker) > maxPhraseBytes || !strings.HasSuffix(c.Speaker, "Beta Smith") || strings.HasPrefix(c.Speaker, " ") {
			t.Errorf("speaker %q (%d bytes), want the last words of the run within %d bytes", c.Speaker, len(c.Speaker), maxPhraseBytes)
		}
	}
}

// The sentences after the first maxRanked get a centrality too, on
// LexRank's scale, and the first maxRanked keep theirs.
func TestRankBeyondTheCap(t *testing.T) {
	body := longarticle.Body(200_000)
	sents := Segment(body)
	if len(sents) <= maxRanked+100 {
		t.Fatalf("only %d sentences", len(sents))
	}
	scores, _, _ := rankSentences(body, sents, "")
	head, _, _ := rankSentences(body, sents[:maxRanked], "")
	beyond := 0
	for i, s := range scores {
		if s < 0 || s > 1 {
			t.Fatalf("score %d is %v", i, s)
		}
		if i >= maxRanked && s > 0.4/(1+float64(i)) {
			beyond++ // more than its position gives: it is central or like the headline
		}
	}
	if beyond < (len(sents)-maxRanked)/2 {
		t.Errorf("only %d of the %d sentences beyond the cap have a centrality", beyond, len(sents)-maxRanked)
	}
	// The ranked sentences' centrality does not depend on what follows,
	// apart from the IDF weights, which see the whole article: check the
	// order of the top sentences rather than the values.
	if top(scores[:maxRanked]) != top(head) {
		t.Errorf("the best of the first %d sentences is %d, alone %d", maxRanked, top(scores[:maxRanked]), top(head))
	}
}

func top(scores []float64) int {
	best := 0
	for i, s := range scores {
		if s > scores[best] {
			best = i
		}
	}
	return best
}

// BenchmarkAnalyzeLarge loads and analyzes generated articles of 1, 4 and
// 16 MB. Besides time and bytes per op it reports seconds and MB
// allocated per MB of article, and the peak of the live heap during the
// op, sampled every millisecond.
//
//	go test ./briefing -run XXX -bench AnalyzeLarge -benchtime 1x -cpu 1
func BenchmarkAnalyzeLarge(b *testing.B) {
	for _, mb := range []int{1, 4, 16} {
		data := []byte(longarticle.File(mb << 20))
		b.Run(fmt.Sprintf("%dMB", mb), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var total uint64
			peak := 0.0
			for b.Loop() {
				stop := samplePeakHeap(&peak)
				total += allocated(func() {
					a, err := Parse("long.txt", data)
					if err != nil {
						b.Fatal(err)
					}
					Analyze(a, Options{})
				})
				stop()
			}
			size := float64(len(data)) / (1 << 20)
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/size, "s/MB")
			b.ReportMetric(float64(total)/float64(b.N)/(1<<20)/size, "MB-alloc/MB")
			b.ReportMetric(peak/(1<<20), "MB-peak-heap")
		})
	}
}

// samplePeakHeap records in *peak the largest size of the heap's objects,
// live or not yet collected, above its size now, until stop is called.
func samplePeakHeap(peak *float64) (stop func()) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() float64 {
		metrics.Read(sample)
		return float64(sample[0].Value.Uint64())
	}
	base := read()
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			*peak = max(*peak, read()-base)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		*peak = max(*peak, read()-base)
	}
}
