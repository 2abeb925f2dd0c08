package briefing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ignorable holds Unicode's default-ignorable code points
// (DerivedCoreProperties.txt): characters that render as nothing. In
// article or user text they only serve to disguise it: bidirectional
// overrides, embeddings, isolates and marks (U+202A–U+202E,
// U+2066–U+2069, U+200E, U+200F, U+061C) reorder what follows, so that an
// outlet or a speaker reads as another; zero-width characters (U+200B,
// U+2060–U+2064, U+FEFF, U+00AD, blank Hangul fillers) make two names look
// the same while they differ; tag characters can carry hidden text.
var ignorable = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x00AD, Hi: 0x00AD, Stride: 1},
		{Lo: 0x034F, Hi: 0x034F, Stride: 1},
		{Lo: 0x061C, Hi: 0x061C, Stride: 1},
		{Lo: 0x115F, Hi: 0x1160, Stride: 1},
		{Lo: 0x17B4, Hi: 0x17B5, Stride: 1},
		{Lo: 0x180B, Hi: 0x180F, Stride: 1},
		{Lo: 0x200B, Hi: 0x200F, Stride: 1},
		{Lo: 0x202A, Hi: 0x202E, Stride: 1},
		{Lo: 0x2060, Hi: 0x206F, Stride: 1},
		{Lo: 0x3164, Hi: 0x3164, Stride: 1},
		{Lo: 0xFE00, Hi: 0xFE0F, Stride: 1},
		{Lo: 0xFEFF, Hi: 0xFEFF, Stride: 1},
		{Lo: 0xFFA0, Hi: 0xFFA0, Stride: 1},
		{Lo: 0xFFF0, Hi: 0xFFF8, Stride: 1},
	},
	R32: []unicode.Range32{
		{Lo: 0x1BCA0, Hi: 0x1BCA3, Stride: 1},
		{Lo: 0x1D173, Hi: 0x1D17A, Stride: 1},
		{Lo: 0xE0000, Hi: 0xE0FFF, Stride: 1},
	},
}

// joiningScripts are the scripts in which the zero-width joiner and
// non-joiner change how letters connect (Persian "می‌خواهم", Indic
// conjuncts).
var joiningScripts = []*unicode.RangeTable{
	unicode.Arabic, unicode.Syriac, unicode.Nko, unicode.Mongolian, unicode.Thaana,
	unicode.Devanagari, unicode.Bengali, unicode.Gurmukhi, unicode.Gujarati, unicode.Oriya,
	unicode.Tamil, unicode.Telugu, unicode.Kannada, unicode.Malayalam, unicode.Sinhala,
	unicode.Tibetan, unicode.Myanmar, unicode.Khmer,
}

const (
	zwnj      = '\u200C'
	zwj       = '\u200D'
	blackFlag = '\U0001F3F4' // a subdivision flag is this, tag letters, then a cancel tag
)

// StripInvisible removes the default-ignorable characters from s (see
// ignorable) except where they carry meaning that shows: a zero-width
// joiner or non-joiner between two letters of a script that joins, or
// inside an emoji sequence (👩‍🚀); a variation selector after a character
// it can modify (an emoji, a CJK ideograph, a keycap digit, a Mongolian
// letter), not after a Latin letter; and tag characters after a black flag
// (🏴 and its region). Every other character is kept as it is: Arabic and
// Hebrew letters keep their natural direction.
func StripInvisible(s string) string {
	if !hasIgnorable(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	prev := rune(-1) // the last rune kept
	for i, r := range s {
		if isIgnorable(r) {
			var keep bool
			switch {
			case r == zwj || r == zwnj:
				next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
				keep = joins(prev) && joins(next)
			case isVariationSelector(r):
				keep = prev >= 0x80 && !isIgnorable(prev) || prev >= '0' && prev <= '9' || prev == '#' || prev == '*'
			case r >= 0xE0020 && r <= 0xE007F: // tag characters
				keep = prev == blackFlag || prev >= 0xE0020 && prev <= 0xE007E
			}
			if !keep {
				continue
			}
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// hasIgnorable reports whether s has an ignorable rune: no ASCII one is,
// so only the runes past ASCII are decoded.
func hasIgnorable(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if isIgnorable(r) {
			return true
		}
		i += size
	}
	return false
}

func isIgnorable(r rune) bool {
	// U+2010 to U+2029, dashes and quotation marks, are the runes past ASCII
	// news has most, and none is ignorable (U+200B to U+200F and U+202A to
	// U+202E, on either side, are): no search of the table for them.
	return r >= 0xAD && !(r >= 0x2010 && r <= 0x2029) && unicode.Is(ignorable, r)
}

func isVariationSelector(r rune) bool {
	return r >= 0xFE00 && r <= 0xFE0F || r >= 0xE0100 && r <= 0xE01EF || r >= 0x180B && r <= 0x180D || r == 0x180F
}

// joins reports whether a zero-width joiner next to r can change what is
// shown: r is a letter or mark of a joining script, a combining mark or
// variation selector (inside an emoji sequence), or a symbol (an emoji).
func joins(r rune) bool {
	switch {
	case r < 0x80:
		return false
	case isVariationSelector(r):
		return true
	case isIgnorable(r):
		return false
	case unicode.In(r, joiningScripts...):
		return true
	}
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.So, unicode.Sk)
}
