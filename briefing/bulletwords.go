package briefing

// Word helpers for judging a bullet's text (clauseEnd, pieceOfSentence and
// the checks they call), which look at every word of every candidate: they
// give what strings.Fields, strings.Trim and strings.ToLower give, without
// allocating for the common case.

import (
	"strings"
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
		c, size := s[i], 1
		space := asciiSpace(c)
		if c >= utf8.RuneSelf {
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

// asciiSpace reports whether c is an ASCII space as unicode.IsSpace has it.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
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
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return append(dst, strings.ToLower(s)...)
		}
	}
	for i := 0; i < len(s); i++ {
		dst = append(dst, lowerByte(s[i]))
	}
	return dst
}
