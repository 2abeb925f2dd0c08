package briefing

import (
	"strings"
	"testing"
)

// The old quotesPaired and quoteMarks, over runes and strings.Count: the
// one-pass countQuotes must agree with them on every text.
func quotesPairedRunes(text string) bool {
	open, close, straight := 0, 0, 0
	for _, r := range text {
		switch r {
		case '“', '«', '„':
			open++
		case '”', '»':
			close++
		case '"':
			straight++
		}
	}
	return open == close && straight%2 == 0 && strings.Count(text, "``") == strings.Count(text, "''")
}

func quoteMarksRunes(s string) int {
	n := strings.Count(s, "``") + strings.Count(s, "''")
	for _, r := range s {
		switch r {
		case '"', '“', '”', '«', '»', '„':
			n++
		}
	}
	return n
}

func TestCountQuotesAsRunes(t *testing.T) {
	for _, s := range []string{
		"", `"`, `""`, "``", "```", "````", "''", "'''", "``x''", "“a”", "„a“", "«a»", "“a", "a”",
		"\xe2\x80", "\xe2\x80\x9c", "\xf0\xe2\x80\x9d", "\xc2", "\xc2\xab\xc2", "\xe2\xe2\x80\x9e",
		"He said \"yes\" and ''no'' and ``maybe'' “x” « y »",
	} {
		if got, want := quotesPaired(s), quotesPairedRunes(s); got != want {
			t.Errorf("quotesPaired(%q) = %v, want %v", s, got, want)
		}
		if got, want := quoteMarks(s), quoteMarksRunes(s); got != want {
			t.Errorf("quoteMarks(%q) = %d, want %d", s, got, want)
		}
	}
}

func FuzzCountQuotes(f *testing.F) {
	f.Add("“a” ``b'' \"c\" «d» „e“")
	f.Fuzz(func(t *testing.T, s string) {
		if quotesPaired(s) != quotesPairedRunes(s) || quoteMarks(s) != quoteMarksRunes(s) {
			t.Errorf("countQuotes disagrees on %q", s)
		}
	})
}
