package bot

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

	"github.com/briefbot/briefbot/briefing"
)

// wordsKey is sameClaimKey as first written, with strings.ToLower and
// strings.FieldsFunc: what appendSameClaimKey must give, byte for byte.
func wordsKey(c briefing.Claim) string {
	norm := func(s string) string {
		return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}), " ")
	}
	return norm(c.Speaker) + "\x00" + norm(c.Text)
}

// TestSameClaimKey checks sameClaimKey against wordsKey on texts that
// lower-casing and word splitting could tell apart: capitals whose lower
// case is ASCII (the Kelvin sign, dotted I), title case, marks, digits of
// other scripts, bytes that are not UTF-8, NULs; and on random strings of
// such runes.
func TestSameClaimKey(t *testing.T) {
	texts := []string{
		"", " ", "...", "Hello, World!", "  two  spaces  ", "He said: “We will win.”",
		"İstanbul \u212a KELVIN", "ǅemal ǈ", "e\u0301cole", "٣٤ and ５６", "Σίσυφος ΣΑΣ", "STRAßE ẞ",
		"\xff\xfeabc\xc3", "a\x00b", "tab\tnew\nline", "don't-stop 3.5%", "\u00a0nbsp\u00a0",
	}
	for _, sp := range texts {
		for _, tx := range texts {
			c := briefing.Claim{Speaker: sp, Text: tx}
			if got, want := sameClaimKey(c), wordsKey(c); got != want {
				t.Errorf("sameClaimKey(%q, %q) = %q, want %q", sp, tx, got, want)
			}
		}
	}
	pool := []rune("aZ09 ,.-'’\u0301\u212aİǅßẞΣς٣５\u00a0\x00\ufffd日本")
	rng := rand.New(rand.NewPCG(3, 4))
	random := func() string {
		var sb strings.Builder
		for range rng.IntN(12) {
			if rng.IntN(10) == 0 {
				sb.WriteByte(byte(0x80 + rng.IntN(0x80))) // not UTF-8
				continue
			}
			sb.WriteRune(pool[rng.IntN(len(pool))])
		}
		return sb.String()
	}
	for range 20000 {
		c := briefing.Claim{Speaker: random(), Text: random()}
		if got, want := sameClaimKey(c), wordsKey(c); got != want {
			t.Fatalf("sameClaimKey(%q, %q) = %q, want %q", c.Speaker, c.Text, got, want)
		}
	}
}
