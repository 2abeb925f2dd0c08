package briefing

import (
	"strings"
	"unicode/utf8"
)

// asciiLower returns s with its ASCII upper-case letters in lower case and
// every other byte as it is, so that its offsets are those of s: for an
// ASCII span of s, asciiLower(s)[i:j] is strings.ToLower(s[i:j]). It
// allocates only when s has an upper-case ASCII letter.
func asciiLower(s string) string {
	k := 0
	for k < len(s) && !('A' <= s[k] && s[k] <= 'Z') {
		k++
	}
	if k == len(s) {
		return s
	}
	b := make([]byte, len(s))
	copy(b, s[:k])
	for i := k; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return string(b)
}

// isASCII reports whether s has only ASCII bytes.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lowerKey is m[strings.ToLower(s)] without allocating for the lower-case
// key when s is ASCII and short, as nearly every word is.
func lowerKey[V any](m map[string]V, s string) V {
	var buf [48]byte
	if len(m) == 0 {
		var zero V
		return zero // nothing to look up: no lower case to make
	}
	if len(s) > len(buf) {
		return m[strings.ToLower(s)]
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return m[strings.ToLower(s)]
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return m[string(buf[:len(s)])]
}
