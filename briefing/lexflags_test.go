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

// A list whose words are all in lexIndex with its bit: t.in(bit) is then
// exactly list[t.low], as the extractor asked before the bit was made.
// (Only a few lists have an entry no token can be, such as "’s".)
func TestLexListsWhole(t *testing.T) {
	partial := map[lexBit]bool{}
	for _, l := range lexLists() {
		for w, ok := range l.set {
			if ok && lexIndex()[w]&l.bit == 0 {
				partial[l.bit] = true
			}
		}
	}
	for _, b := range []lexBit{lexInvertible, lexListenerVerbs, lexStrongCues, lexClauseOpeners, lexObjectVerbs,
		lexLeadAdverbs, lexNationalities, lexSentenceAdverbs, lexArticles, lexNameSubordinators, lexRelatives,
		lexLeadConjunctions, lexPlaceBefore, lexObjectPreps, lexChannelLeads, lexTimePhraseWords, lexNegations, lexChannelNouns} {
		if partial[b] {
			t.Errorf("list of bit %#x has a word left out of lexIndex", b)
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

// lexLookup finds every word of lexIndex with its bits, and no other.
func TestLexLookup(t *testing.T) {
	tb := lexLookup()
	for w, b := range lexIndex() {
		if got := tb.get(w); got != b {
			t.Errorf("get(%q) = %b, want %b", w, got, b)
		}
		for _, o := range []string{w + "x", "x" + w, w[:len(w)-1], strings.ToUpper(w)} {
			if want := lexIndex()[o]; tb.get(o) != want {
				t.Errorf("get(%q) = %b, want %b", o, tb.get(o), want)
			}
		}
	}
	if tb.get("") != 0 {
		t.Error(`get("") != 0`)
	}
}
