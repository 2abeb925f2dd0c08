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

// trimPossessive trims what the plain loop over the four endings trims.
func TestTrimPossessive(t *testing.T) {
	plain := func(s string) string {
		for _, suf := range []string{"’s", "'s", "’", "'"} {
			if strings.HasSuffix(s, suf) && len(s) > len(suf) {
				return s[:len(s)-len(suf)]
			}
		}
		return s
	}
	parts := []string{"s", "'", "’", "a", "\x99", "\x80", "\xe2", "ss", "’s", "'s"}
	r := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(5) {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		if s := b.String(); trimPossessive(s) != plain(s) {
			t.Fatalf("trimPossessive(%q) = %q, want %q", s, trimPossessive(s), plain(s))
		}
	}
}

// captionIn looks for marks only at the bytes they start with.
func TestCaptionMarkStarts(t *testing.T) {
	for b, marks := range captionMarksAt {
		if len(marks) > 0 && b != '(' && b != ',' && b != 'p' {
			t.Errorf("caption marks %q start with %q: captionIn skips it", marks, rune(b))
		}
	}
}

// captionIn finds a mark where the plain search of every mark at every
// byte, in any case, does.
func TestCaptionInPlain(t *testing.T) {
	marks := slices.Concat(captionMarks, []string{", left,", ", right,", ", left;", ", right;", ", left:", ", right:", ", pictured,"})
	plain := func(text string) bool {
		for i := range len(text) {
			for _, m := range marks {
				if hasPrefixFold(text[i:], m) {
					return true
				}
			}
		}
		return false
	}
	parts := append(slices.Clone(marks), "P", "(", ",", " ", "LEFT", "Pictured", "x", "\u212a", "é")
	r := rand.New(rand.NewPCG(9, 10))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(4) {
			p := parts[r.IntN(len(parts))]
			if k := r.IntN(3); k == 0 && len(p) > 2 {
				p = p[:r.IntN(len(p))] // cut short
			} else if k == 1 {
				p = strings.ToUpper(p)
			}
			b.WriteString(p)
		}
		if s := b.String(); captionIn(s) != plain(s) {
			t.Fatalf("captionIn(%q) = %v, want %v", s, captionIn(s), plain(s))
		}
	}
}

// nextMayEnd and nextMarkStart stop where a loop over their tables does.
func TestByteScans(t *testing.T) {
	plain := func(table *[256]bool, s string, i, end int) int {
		for i < end && !table[s[i]] {
			i++
		}
		return i
	}
	alphabet := "ab .?!'\"`\xe2\x80\x9c\x01\x7f\xff\x2d\x2e\x21\x3f\x20\x62"
	r := rand.New(rand.NewPCG(11, 12))
	for range 20000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			if r.IntN(4) == 0 {
				b[i] = alphabet[r.IntN(len(alphabet))]
			} else {
				b[i] = byte('a' + r.IntN(26))
			}
		}
		s := string(b)
		i := r.IntN(len(s) + 1)
		end := i + r.IntN(len(s)-i+1)
		if got, want := nextMayEnd(s, i, end), plain(&mayEnd, s, i, end); got != want {
			t.Fatalf("nextMayEnd(%q, %d, %d) = %d, want %d", s, i, end, got, want)
		}
		if got, want := nextMarkStart(s, i, end), plain(&markStart, s, i, end); got != want {
			t.Fatalf("nextMarkStart(%q, %d, %d) = %d, want %d", s, i, end, got, want)
		}
	}
}
