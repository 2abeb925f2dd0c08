package briefing

import (
	"strings"
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

// roleWords holds exactly the words isRoleWord finds by roleNouns: every
// word that is a role noun, or whose singular is one.
func TestRoleWords(t *testing.T) {
	byNouns := func(w string) bool { return roleNouns[w] || roleNouns[singular(w)] }
	for w := range roleWords() {
		if !byNouns(w) {
			t.Errorf("roleWords has %q, not a role noun", w)
		}
	}
	for w := range lexIndex() {
		for _, c := range []string{w, w + "s", w + "es", strings.TrimSuffix(w, "y") + "ies", w + "ies"} {
			if byNouns(c) != roleWords()[c] {
				t.Errorf("roleWords[%q] = %v, want %v", c, roleWords()[c], byNouns(c))
			}
		}
	}
	for w := range roleNouns {
		for _, c := range []string{w, w + "s", w + "es", strings.TrimSuffix(w, "y") + "ies", "people", "persons"} {
			if byNouns(c) != roleWords()[c] {
				t.Errorf("roleWords[%q] = %v, want %v", c, roleWords()[c], byNouns(c))
			}
		}
	}
}
