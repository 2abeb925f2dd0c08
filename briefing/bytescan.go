package briefing

// Scans for the few bytes that matter in long runs of plain text, eight
// bytes at a time: a sentence's terminal punctuation (segmentParagraph)
// and a quotation mark (scanMarks). Each returns the first index at or
// after i where the byte-at-a-time loop over its table would stop, as
// TestByteScans checks.

const (
	byteOnes  = 0x0101010101010101
	byteHighs = 0x8080808080808080
)

// load64 is the eight bytes s[i:i+8], the first lowest, as one number
// (the compiler makes it a single load).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// hasByte is nonzero if one of the eight bytes of x is b: a byte of x^b
// is then zero, and subtracting one from it borrows into its high bit.
// (It may also flag a byte after a zero one, never when there is none.)
func hasByte(x uint64, b byte) uint64 {
	v := x ^ byteOnes*uint64(b)
	return (v - byteOnes) &^ v & byteHighs
}

// indexAny4 returns the index of the first byte of s[i:end] that is a, b,
// c or d, or end.
func indexAny4(s string, i, end int, a, b, c, d byte) int {
	for ; i+8 <= end; i += 8 {
		x := load64(s, i)
		if hasByte(x, a)|hasByte(x, b)|hasByte(x, c)|hasByte(x, d) != 0 {
			break // one of these eight: found below
		}
	}
	for i < end && s[i] != a && s[i] != b && s[i] != c && s[i] != d {
		i++
	}
	return i
}

// nextMayEnd returns the index of the first byte of body[i:end] that
// mayEnd holds ('.', '?', '!' and 0xE2, the first byte of "…"), or end.
func nextMayEnd(body string, i, end int) int { return indexAny4(body, i, end, '.', '?', '!', 0xE2) }

// nextMarkStart returns the index of the first byte of body[i:end] that
// markStart holds (the ASCII double quote, backtick and apostrophe, and
// every byte past ASCII), or end.
func nextMarkStart(body string, i, end int) int {
	for ; i+8 <= end; i += 8 {
		x := load64(body, i)
		if x&byteHighs|hasByte(x, '"')|hasByte(x, '`')|hasByte(x, '\'') != 0 {
			break
		}
	}
	for i < end && !markStart[body[i]] {
		i++
	}
	return i
}
