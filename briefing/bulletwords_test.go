package briefing

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// wordTestStrings returns texts that mix the bytes the word helpers treat
// differently: ASCII letters and digits, punctuation of the cut sets,
// white space (ASCII and not), curly quotes, accented letters and invalid
// UTF-8.
func wordTestStrings() []string {
	pieces := []string{"a", "Z", "7", "said", "Officials", "O'Neill", " ", "  ", "\n", "\t", "\v", "\u00a0", "\u2003",
		",", ".", ";", ":", "!", "?", "\"", "'", "“", "”", "‘", "’", "(", ")", "[", "]", "$", "—", "–", "-",
		"É", "école", "İ", "ß", "\xff", "\xe2\x80", "…"}
	r := rand.New(rand.NewPCG(1, 2))
	out := []string{"", " ", "word", "Word,", "“Word”", "\u00a0x\u00a0"}
	for range 5000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		out = append(out, b.String())
	}
	return out
}

func TestAppendFieldsIsStringsFields(t *testing.T) {
	for _, s := range wordTestStrings() {
		if got, want := appendFields(nil, s), strings.Fields(s); !slices.Equal(got, want) {
			t.Fatalf("appendFields(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestTrimBareAndLowerAreTrimAndToLower(t *testing.T) {
	for _, s := range wordTestStrings() {
		for _, cut := range []string{bareCut, bareCutWide, "\"'“”‘’(", ",\"'“‘"} {
			if got, want := trimBare(s, cut), strings.Trim(s, cut); got != want {
				t.Fatalf("trimBare(%q, %q) = %q, want %q", s, cut, got, want)
			}
		}
		if got, want := string(appendToLower(nil, s)), strings.ToLower(s); got != want {
			t.Fatalf("appendToLower(%q) = %q, want %q", s, got, want)
		}
	}
}

// wordCountReference is wordCount as it was written first, byte by byte.
func wordCountReference(s string) int {
	n := 0
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return n + wordCountRunes(s[i:], inWord)
		}
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			inWord = false
		case !inWord && (isWordByte(c) || c == '"' || c == '(' || c == '$'):
			n++
			inWord = true
		}
	}
	return n
}

func TestWordCountTable(t *testing.T) {
	for _, s := range wordTestStrings() {
		if got, want := wordCount(s), wordCountReference(s); got != want {
			t.Fatalf("wordCount(%q) = %d, want %d", s, got, want)
		}
	}
	for c := range 128 {
		s := "x" + string(rune(c)) + "y"
		if got, want := wordCount(s), wordCountReference(s); got != want {
			t.Fatalf("wordCount(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestMoreFieldsThan(t *testing.T) {
	for _, s := range wordTestStrings() {
		for n := range 6 {
			if got, want := moreFieldsThan(s, n), len(strings.Fields(s)) > n; got != want {
				t.Fatalf("moreFieldsThan(%q, %d) = %v, want %v", s, n, got, want)
			}
		}
	}
}

// isCreditReference is isCredit as it was written first, lowering the text.
func isCreditReference(text string) bool {
	t := strings.Trim(text, "()[] .")
	if len(t) > 60 {
		return false
	}
	low := strings.ToLower(t)
	for _, w := range creditWords {
		if strings.HasSuffix(low, "/"+w) || strings.HasSuffix(low, "/ "+w) || low == w || strings.HasSuffix(low, "photo: "+w) {
			return true
		}
	}
	return false
}

func TestIsCreditAndLastDash(t *testing.T) {
	texts := []string{"(Photo: Getty Images)", "Jane Doe/Reuters", "AFP/Getty Images", "AP", "(ap)", "PHOTO: EPA", "Photo:  EPA",
		"Jane Doe / Shutterstock.", "Map", "Jane Doe/Reuters — É", "— Sonya Herridge", "… ― Jane Doe, Ohio", "a – b"}
	for _, s := range wordTestStrings() {
		texts = append(texts, s, s+"/reuters", s+"Photo: AFP", s+"—"+s)
	}
	for _, s := range texts {
		if got, want := isCredit(s), isCreditReference(s); got != want {
			t.Fatalf("isCredit(%q) = %v, want %v", s, got, want)
		}
		if got, want := lastDash(s), max(strings.LastIndex(s, "―"), strings.LastIndex(s, "—")); got != want {
			t.Fatalf("lastDash(%q) = %d, want %d", s, got, want)
		}
	}
}
