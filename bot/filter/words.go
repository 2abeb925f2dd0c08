package filter

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A word is a run of letters and digits, folded: lower case, accents
// dropped ("Café" is "cafe", "Straße" is "strasse"). Words are compared by a
// 64-bit hash of their folded bytes, its lowest three bits 0 (room for a
// set of fields) and never 0.

// folder splits text into folded words, reusing its buffer.
type folder struct{ buf []byte }

// words calls f with each folded word of s, in order. The s of a possessive
// ("Hamas's", "Hamas’s") is dropped. f must not keep w.
func (z *folder) words(s string, f func(w []byte)) {
	w := z.buf[:0]
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case isWordRune(r):
			w = appendFolded(w, r)
		case unicode.Is(unicode.Mn, r): // a combining accent: dropped
		default:
			if len(w) == 0 {
				continue
			}
			f(w)
			w = w[:0]
			if (r == '\'' || r == '’') && i < len(s) && (s[i] == 's' || s[i] == 'S') {
				if next, _ := utf8.DecodeRuneInString(s[i+1:]); !isWordRune(next) {
					i++
				}
			}
		}
	}
	if len(w) > 0 {
		f(w)
	}
	z.buf = w[:0]
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// appendFolded appends r in lower case without its accents.
func appendFolded(b []byte, r rune) []byte {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(b, byte(r))
	}
	r = unicode.ToLower(r)
	if s, ok := unaccented[r]; ok {
		return append(b, s...)
	}
	var d [utf8.UTFMax * 4]byte
	for _, c := range string(norm.NFD.AppendString(d[:0], string(r))) {
		if !unicode.Is(unicode.Mn, c) {
			b = utf8.AppendRune(b, c)
		}
	}
	return b
}

// unaccented folds the letters that Unicode does not decompose into a base
// letter and an accent.
var unaccented = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i",
}

// forms returns the hashes of the words w may be the plural of, most likely
// first ("cities": "city", "citie"; "taxes": "tax", "taxe"; "floods":
// "flood"), or zeros. Words of under four letters and words ending in "ss",
// "us" or "is" are no plurals ("gas", "class", "virus", "crisis"), nor is
// "news".
func forms(w []byte) (first, second uint64) {
	n := len(w)
	if n < 4 || w[n-1] != 's' || w[n-2] == 's' || w[n-2] == 'u' || w[n-2] == 'i' || string(w) == "news" {
		return 0, 0
	}
	if w[n-2] == 'e' {
		switch w[n-3] {
		case 'i': // cities, movies
			if n >= 5 {
				var b [64]byte
				return hash(append(append(b[:0], w[:n-3]...), 'y')), hash(w[:n-1])
			}
		case 'x', 'h', 'o': // taxes, churches, vetoes
			return hash(w[:n-2]), hash(w[:n-1])
		case 's', 'z': // houses, sizes (buses, quizzes)
			return hash(w[:n-1]), hash(w[:n-2])
		}
	}
	return hash(w[:n-1]), 0
}

// keys returns what an article's word is found by: itself and the words it
// may be the plural of.
func keys(w []byte) pos {
	a, b := forms(w)
	return pos{hash(w), a, b}
}

// key returns what a filter's word is looked up by: the word it is most
// likely the plural of, or itself. It is always one of keys(w), so a word
// finds itself, and a singular finds its plurals.
func key(w []byte) uint64 {
	if a, _ := forms(w); a != 0 {
		return a
	}
	return hash(w)
}

// hash is FNV-1a, its lowest three bits cleared and the fourth set.
func hash(w []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range w {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h&^fieldBits | 8
}

// pos is a word's keys at one position of a field: see keys. A zero pos
// separates two speakers' names.
type pos [3]uint64

func (p *pos) has(k uint64) bool { return p[0] == k || p[1] == k || p[2] == k }
