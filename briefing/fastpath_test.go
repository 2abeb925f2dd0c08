// Fast paths of the engine, each checked against its plain way.

package briefing

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// sortClaims sorts as slices.SortStableFunc by Start does.
func TestSortClaims(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for n := range 200 {
		c := make([]Claim, n%60)
		for i := range c {
			c[i] = Claim{Start: i * 3, Sentence: i} // Sentence: the order they came in
			if r.IntN(4) == 0 || n > 150 {
				c[i].Start = r.IntN(max(1, len(c)*3)) // out of place, some equal
			}
		}
		want := slices.Clone(c)
		slices.SortStableFunc(want, func(a, b Claim) int { return cmp.Compare(a.Start, b.Start) })
		sortClaims(c)
		if !slices.Equal(c, want) {
			t.Fatalf("sortClaims = %v, want %v", c, want)
		}
	}
}

// asciiLower lowers ASCII capitals only, eight bytes at a time or one.
func TestASCIILower(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for n := range 5000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(r.IntN(256))
			if n%2 == 0 {
				b[i] = "AZaz@[`{ 09Ée\xc3\x89"[r.IntN(16)]
			}
		}
		s := string(b)
		want := []byte(s)
		for i, c := range want {
			if 'A' <= c && c <= 'Z' {
				want[i] = c + 'a' - 'A'
			}
		}
		if got := asciiLower(s); got != string(want) {
			t.Fatalf("asciiLower(%q) = %q, want %q", s, got, want)
		}
	}
}

// isIgnorable is membership of the table, whatever its shortcut.
func TestIsIgnorableTable(t *testing.T) {
	for r := rune(0); r <= 0x10FFFF; r++ {
		if got, want := isIgnorable(r), unicode.Is(ignorable, r); got != want {
			t.Fatalf("isIgnorable(%U) = %v, want %v", r, got, want)
		}
	}
}

// lastFields, captionIn's scan and asideText give what their plain
// versions (strings.Fields, strings.ToLower) give.
func TestFoldHelpersMatchPlain(t *testing.T) {
	texts := []string{"", " ", "he", "  while he admitted ", "Ms Kunis confessed and told her",
		"a\u00a0b\tc\nd  e", "Apparently REFERRING to the animals", "referring", "the affair, Right, was",
		"Stéphane, left, and Zoë (Pictured) said", "x (CENTRE)", "ünïcödé words here"}
	for _, s := range texts {
		f := strings.Fields(s)
		for n := 0; n <= 5; n++ {
			out := make([]string, n)
			got := lastFields(s, out)
			want := f[max(0, len(f)-n):]
			if !slices.Equal(got, want) {
				t.Errorf("lastFields(%q, %d) = %q; want %q", s, n, got, want)
			}
		}
		low := strings.ToLower(s)
		plain := false
		for _, m := range append(slices.Clone(captionMarks), ", left,", ", right,", ", left;", ", right;", ", left:", ", right:", ", pictured,") {
			plain = plain || strings.Contains(low, m)
		}
		if got := captionIn(s); got != plain {
			t.Errorf("captionIn(%q) = %v; want %v", s, got, plain)
		}
		want := len(f) >= 2 && (strings.ToLower(f[0]) == "referring" || strings.HasSuffix(strings.ToLower(f[0]), "ly") && strings.ToLower(f[1]) == "referring")
		if got := asideText(s); got != want {
			t.Errorf("asideText(%q) = %v; want %v", s, got, want)
		}
	}
}
