package briefing

import (
	"strings"
	"testing"
)

// TestUpperAlready holds upperAlready to what storyTerms asked before it,
// strings.ToUpper(w) == w, on the words where the two could part: an
// invalid byte (which ToUpper writes as U+FFFD), title-case and special
// letters, non-Latin scripts.
func TestUpperAlready(t *testing.T) {
	for _, w := range []string{"", "ABC", "AbC", "NATO", "Nato", "ABC\xff", "A\uFFFDB", "ǅ", "Ǆ", "ß", "ﬁ", "İSTANBUL", "ÉCOLE", "École", "U.S.", "3D", "ΣΟΦΙΑ", "Σοφια", "\u0345"} {
		if got, want := upperAlready(w), strings.ToUpper(w) == w; got != want {
			t.Errorf("upperAlready(%q) = %v, want %v (as strings.ToUpper)", w, got, want)
		}
	}
}
