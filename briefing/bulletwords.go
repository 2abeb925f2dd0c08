package briefing

// Word helpers for judging a bullet's text (clauseEnd, pieceOfSentence and
// the checks they call), which look at every word of every candidate: they
// give what strings.Fields, strings.Trim and strings.ToLower give, without
// allocating for the common case.

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Cut sets of the word checks: the punctuation around a word.
const (
	bareCut     = ",;:.!?\"'“”‘’()"   // isFiniteVerb, opensEmbedded, holdsCondition
	bareCutWide = ",;:.!?\"'“”‘’()[]" // clauseEnd, mainVerb
)

// appendFields appends the fields of s to dst, as strings.Fields splits
// them (around runs of unicode.IsSpace), and returns dst: with a dst of
// room on the stack the split allocates nothing.
func appendFields(dst []string, s string) []string {
	start := -1 // where the field being read starts
	for i := 0; i < len(s); {
		k, size := wordClass[s[i]], 1
		space := k == classSpace
		if k == classNonASCII {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		switch {
		case space && start >= 0:
			dst = append(dst, s[start:i])
			start = -1
		case !space && start < 0:
			start = i
		}
		i += size
	}
	if start >= 0 {
		dst = append(dst, s[start:])
	}
	return dst
}

// trimBare is strings.Trim(w, cutset) for a cutset of punctuation (no ASCII
// letter or digit in it): a word that starts and ends with an ASCII letter
// or digit, as most do, has nothing to trim.
func trimBare(w, cutset string) string {
	if n := len(w); n > 0 && isWordByte(w[0]) && isWordByte(w[n-1]) {
		return w
	}
	return strings.Trim(w, cutset)
}

// appendToLower appends strings.ToLower(s) to dst. An ASCII s is lowered
// byte by byte, with no allocation; any other goes through strings.ToLower.
// A caller that writes string(appendToLower(buf[:0], s)) into a variable
// that does not escape gets the string on the stack (up to 32 bytes).
func appendToLower(dst []byte, s string) []byte {
	n := len(dst)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return append(dst[:n], strings.ToLower(s)...)
		}
		dst = append(dst, lowerByte(c))
	}
	return dst
}

// moreFieldsThan reports whether s has more than n fields, as strings.Fields
// splits it (the count of fieldCount), reading no further than field n+1.
func moreFieldsThan(s string, n int) bool {
	count, in := 0, false
	for i := 0; i < len(s); {
		k, size := wordClass[s[i]], 1
		space := k == classSpace
		if k == classNonASCII {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		if space {
			in = false
		} else if !in {
			if count++; count > n {
				return true
			}
			in = true
		}
		i += size
	}
	return false
}

// clauseBit is one of the word lists the clause checks (clauseEnd,
// isFiniteVerb, opensEmbedded, mainVerb, verbAt) ask about each word: a
// word's lists are found with one map lookup, not one per list.
type clauseBit uint32

const (
	cbRelativeOpener clauseBit = 1 << iota
	cbSubordinator
	cbWh
	cbFinite
	cbTailCue
	cbDangling
	cbSubjectDeterminer
	cbParticipleAdjective
	cbSubjectPronoun
	cbHanging
	cbClauseAdverb
	cbIrregularPast
	cbCommonPast
	cbSameForm
	cbDeterminer
	cbPluralNoun
	cbEndHanging
)

// clauseIndex maps each word of the lists to its bits. It is built on first
// use; the lists do not change.
var clauseIndex = sync.OnceValue(func() map[string]clauseBit {
	m := map[string]clauseBit{}
	for _, l := range []struct {
		set map[string]bool
		bit clauseBit
	}{
		{relativeOpeners, cbRelativeOpener},
		{subordinators, cbSubordinator},
		{whWords, cbWh},
		{finiteForms, cbFinite},
		{tailCues, cbTailCue},
		{danglingWords, cbDangling},
		{subjectDeterminers, cbSubjectDeterminer},
		{participleAdjectives, cbParticipleAdjective},
		{subjectPronouns, cbSubjectPronoun},
		{hangingWords, cbHanging},
		{clauseAdverbs, cbClauseAdverb},
		{irregularPasts, cbIrregularPast},
		{commonPasts, cbCommonPast},
		{sameFormVerbs, cbSameForm},
		{determiners, cbDeterminer},
		{pluralNouns, cbPluralNoun},
		{endHanging, cbEndHanging},
	} {
		for w, in := range l.set {
			if in {
				m[w] |= l.bit
			}
		}
	}
	return m
})

// clauseBits returns the lists word w is in: set[w] for each.
func clauseBits(w string) clauseBit { return clauseIndex()[w] }

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// needsLower reports whether strings.ToLower might change s: it holds an
// upper-case ASCII letter or a byte that is not ASCII. Most words need no
// lowering, and are used as they are; the others are lowered with
// string(appendToLower(buf[:0], s)) into a buffer of the caller's.
func needsLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c-'A' < 26 || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}
