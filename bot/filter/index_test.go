package filter

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestIndexAgrees checks that an Index finds exactly the filters that pass,
// over the benchmark's filters and articles and some of every shape, and
// that Explain agrees with Match.
func TestIndexAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var filters []*Filter
	for _, s := range []string{``, `-football`, `re:/\bEU\b/`, `-re:/\bEU\b/`, `+re:/COP\d+/`, `flood re:/COP\d+/`,
		`"heat pump"`, `+"heat pump" flood`, `headline:storm`, `+speaker:mazon`, `-speaker:mazon`, `climate -"peace talks"`} {
		f, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		filters = append(filters, f, nil)
	}
	for range 3000 {
		s := benchFilter(rng)
		f, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		filters = append(filters, f)
	}
	x := NewIndex(filters)
	var got []int
	for range 60 {
		p := Prepare(benchDoc(rng))
		var want []int
		for i, f := range filters {
			if f.Match(p) {
				want = append(want, i)
			}
			if pass, why := f.Explain(p); pass != f.Match(p) || why == "" {
				t.Fatalf("%q: Explain %v %q, Match %v", f, pass, why, f.Match(p))
			}
		}
		if got = x.Match(p, got[:0]); !slices.Equal(got, want) {
			t.Fatalf("Index.Match found %d filters, Match %d", len(got), len(want))
		}
	}
	if NewIndex(nil).Match(Prepare(valencia), nil) != nil {
		t.Errorf("an empty index found filters")
	}
}
