package briefing

import (
	"encoding/binary"
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
	// A strings.Builder grown once: its String is the bytes written, with
	// no second copy (as string([]byte) would make).
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:k])
	i := k
	var w [8]byte
	for ; i+8 <= len(s); i += 8 { // eight bytes at a time
		binary.LittleEndian.PutUint64(w[:], lowerASCII8(binary.LittleEndian.Uint64([]byte(s[i:i+8]))))
		b.Write(w[:])
	}
	for ; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// lowerASCII8 lowers the ASCII capitals among the eight bytes of x and
// leaves every other byte as it is.
func lowerASCII8(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	low7 := x &^ highs                 // each byte without its high bit
	geA := low7 + (0x80-'A')*ones      // high bit set where the 7 bits are >= 'A'
	gtZ := low7 + (0x80-'Z'-1)*ones    // high bit set where they are > 'Z'
	upper := (geA &^ gtZ) &^ x & highs // >= 'A', <= 'Z', and an ASCII byte
	return x | upper>>2                // 0x80>>2 is 0x20, the case bit
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
