package briefing

import (
	"testing"
	"unicode/utf8"
)

// Every word of the word lists starts with a letter or a digit, so that a
// token of punctuation or a quotation mark is in none (tokenize gives it
// no lex bits without looking).
func TestLexiconWords(t *testing.T) {
	for w := range lexIndex() {
		if r, _ := utf8.DecodeRuneInString(w); !isWordRune(r) {
			t.Errorf("word list entry %q does not start with a letter or digit", w)
		}
	}
}
