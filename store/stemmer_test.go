package store

import (
	"maps"
	"testing"
)

// The words foldedWords finds have the stems stems finds.
func TestFoldedWordsAsStems(t *testing.T) {
	texts := []string{
		"Officials said the elections were postponed", "HAMAS’s leaders, in Doha", "Café owners protested; naïve résumé",
		"e\u0301lection (a combining accent)", "東京 officials", "ªµ 3.5% of 1,200", "bad \xff utf-8 \xc3", "", "   ",
		"running runs ran", "Egyptian Egypt", "U.S. officials", "don't won’t", "ǅemal İstanbul ΣΟΦΙΑ",
	}
	var buf []byte
	for range 2 {
		for _, s := range texts {
			m := map[string]bool{}
			for _, text := range []string{s, "and the officials"} {
				buf = foldedWords(text, buf, func(w []byte) { m[porterStem(string(w))] = true })
			}
			if want := stems(s, "and the officials"); !maps.Equal(m, want) {
				t.Errorf("%q: %v, want %v", s, m, want)
			}
		}
	}
}

// The terms a hit's texts hold, as the scorer finds them, are those whose
// in finds them among the texts' stems.
func TestHitScorerTermsAsIn(t *testing.T) {
	texts := []string{
		"Officials said the elections were postponed", "HAMAS’s leaders, in Doha", "Café owners protested; naïve résumé",
		"e\u0301lection (a combining accent)", "東京 officials", "ªµ 3.5% of 1,200", "bad \xff utf-8 \xc3", "", "   ",
		"running runs ran", "Egyptian Egypt", "U.S. officials", "don't won’t", "ǅemal İstanbul ΣΟΦΙΑ", "she chose the Egyptians",
	}
	terms := parseQuestion("Did the Egypt officials choose to run an election in Istanbul about cafe resumes?")
	if len(terms) < 8 {
		t.Fatalf("terms: %+v", terms)
	}
	sc := newHitScorer(terms)
	for range 2 {
		for _, s := range texts {
			got := sc.termsIn(s, "and the officials")
			set := stems(s, "and the officials")
			for i, term := range terms {
				if in := got&(1<<i) != 0; in != term.in(set) {
					t.Errorf("%q: term %q: %v, want %v", s, term.word, in, term.in(set))
				}
			}
		}
	}
}
