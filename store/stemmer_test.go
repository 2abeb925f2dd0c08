package store

import (
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// foldedWordsFrom finds the words of foldedWords that begin with a byte
// first marks, in order.
func TestFoldedWordsFrom(t *testing.T) {
	texts := []string{
		"Officials said the elections were postponed", "HAMAS’s leaders, in Doha", "Café owners protested; naïve résumé",
		"e\u0301lection (a combining accent) \u0301x \u0301", "東京 officials", "ªµ 3.5% of 1,200", "bad \xff utf-8 \xc3", "", "   ",
		"running runs ran", "Egyptian Egypt", "U.S. officials", "don't won’t", "ǅemal İstanbul ΣΟΦΙΑ Éclair école",
		"a\xffb c\u0301d ÉÉ 9a a9 _x_ x_y",
	}
	// And random strings of pieces of those.
	pieces := []string{"a", "E", "z", "9", " ", ".", "é", "É", "\u0301", "東", "\xff", "\xc3", "Σ", "ǅ", "-", "eX"}
	texts = append(texts, randomTexts(rand.New(rand.NewPCG(1, 2)), pieces, 2000, 0, 12)...)
	for _, marks := range []string{"", "e", "oé", "abcdefghijklmnopqrstuvwxyz0123456789", "\xc3\xe6\xcf\x33d"} {
		var first [256]bool
		for i := range len(marks) {
			first[marks[i]] = true
		}
		var buf []byte
		for _, s := range texts {
			var want, got []string
			buf = foldedWords(s, buf, func(w []byte) {
				if first[w[0]] {
					want = append(want, string(w))
				}
			})
			buf = foldedWordsFrom(s, buf, &first, func(w []byte) { got = append(got, string(w)) })
			if !slices.Equal(got, want) {
				t.Errorf("%q, first %q: %q, want %q", s, marks, got, want)
			}
		}
	}
}

// A word's stem begins with the word's first byte, which the scorer
// relies on (hitScorer.first).
func TestPorterStemKeepsFirstByte(t *testing.T) {
	words := []string{"ies", "sses", "eed", "ing", "yying", "ying", "yes", "eying", "ation", "ization", "aliti", "iveness",
		"ement", "ably", "eeded", "ees", "ied", "ss", "y", "ye", "yy", "yyy", "ened", "eing", "abli", "alli", "ousli"}
	for _, dir := range []string{"../seeds", "../bot/testdata", "../briefing/testdata/eval/dev"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			foldedWords(string(data), nil, func(w []byte) { words = append(words, string(w)) })
		}
	}
	// And every word of up to four letters of a small alphabet.
	const letters = "aeiyuslbtdgnzc"
	var all func(prefix string, n int)
	all = func(prefix string, n int) {
		if n == 0 {
			return
		}
		for i := range len(letters) {
			w := prefix + letters[i:i+1]
			words = append(words, w, w+"ing", w+"ed", w+"ies", w+"ation", w+"e", w+"y")
			all(w, n-1)
		}
	}
	all("", 4)
	for _, w := range words {
		if s := porterStem(w); s == "" || s[0] != w[0] {
			t.Errorf("%q: stem %q", w, s)
		}
	}
	t.Logf("%d words", len(words))
}

// randomTexts returns n strings, each of least+rng.IntN(spread) of the
// pieces picked by rng: inputs for the tests that hold a fast path to the
// code it stands for.
func randomTexts(rng *rand.Rand, pieces []string, n, least, spread int) []string {
	texts := make([]string, n)
	for i := range texts {
		var sb strings.Builder
		for range least + rng.IntN(spread) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		texts[i] = sb.String()
	}
	return texts
}
