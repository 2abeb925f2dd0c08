package store

import (
	"maps"
	"testing"
)

// The stemmer of a search finds the stems stems finds, text after text,
// with its cache and sets reused.
func TestStemmerAsStems(t *testing.T) {
	texts := []string{
		"Officials said the elections were postponed", "HAMAS’s leaders, in Doha", "Café owners protested; naïve résumé",
		"e\u0301lection (a combining accent)", "東京 officials", "ªµ 3.5% of 1,200", "bad \xff utf-8 \xc3", "", "   ",
		"running runs ran", "Egyptian Egypt", "U.S. officials", "don't won’t", "ǅemal İstanbul ΣΟΦΙΑ",
	}
	st := newStemmer()
	var m map[string]bool
	for range 2 {
		for _, s := range texts {
			m = st.into(m, s, "and the officials")
			if want := stems(s, "and the officials"); !maps.Equal(m, want) {
				t.Errorf("%q: %v, want %v", s, m, want)
			}
		}
	}
}
