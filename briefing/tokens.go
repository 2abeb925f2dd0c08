package briefing

import (
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// tok is a word or a punctuation mark of a sentence, with its byte offsets
// in the article body.
type tok struct {
	text       string // as written
	low        string // lower case, possessive and final abbreviation dot kept
	start, end int
	word       bool   // letters or digits (not punctuation)
	cap        bool   // starts with an upper-case letter
	quoted     bool   // inside a quotation
	mark       bool   // a quotation mark
	closes     bool   // the mark that closes a quotation
	lineStart  bool   // the first token of a line
	name       bool   // isNameTok(sentence, i): it can be part of a proper name (set by extractor.prepare)
	lex        lexBit // the word lists low is in
	lexBare    lexBit // the word lists bare() is in
}

// is reports whether the token is one of the given lower-case words.
func (t *tok) is(words ...string) bool {
	low := t.low
	if low == "" {
		return false // no token is empty; and no word asked is
	}
	for _, w := range words {
		// The first byte before the rest: most words asked differ there,
		// and the test costs no call, as comparing strings may.
		if len(w) == len(low) && w[0] == low[0] && w == low {
			return true
		}
	}
	return false
}

// bare returns the lower-case word without a possessive ending.
func (t *tok) bare() string { return trimPossessive(t.low) }

func trimPossessive(s string) string {
	// The endings "’s", "'s", "’" and "'", each trimmed only from a longer
	// word, told apart by the last byte: 0x99 ends ’.
	n := len(s)
	if n < 2 {
		return s
	}
	switch s[n-1] {
	case 's':
		if s[n-2] == '\'' && n > 2 {
			return s[:n-2]
		}
		if n > 4 && s[n-4:n-1] == "’" {
			return s[:n-4]
		}
	case '\'':
		return s[:n-1]
	case 0x99:
		if n > 3 && s[n-3:] == "’" {
			return s[:n-3]
		}
	}
	return s
}

// tokenize splits body[start:end] into tokens. Words keep inner apostrophes,
// hyphens and dots ("Hamas’s", "President-elect", "U.S."), a final dot when
// they are a known abbreviation ("Gov.", "Inc."), and inner commas or dots
// of numbers ("1,200", "4.2").
//
// marks are the quotation marks of the body, in order: each is a token of
// its own, never part of a word ("officials'" is a word, "lucky,'" is not).
//
// lowBody is asciiLower(body): the lower case of an ASCII word is a span of
// it, with no allocation.
func tokenize(body, lowBody string, start, end int, dst []tok, marks [][2]int) []tok {
	lex := lexLookup()
	mi := sort.Search(len(marks), func(k int) bool { return marks[k][0] >= start })
	i := start
	newLine := false // a line break since the last token
	// stop is where the next quotation mark starts, marks[mi] (or end).
	// It is found again only once i reaches it: no token but a mark's
	// goes past the start of a mark, so until then it stays the next one.
	stop := start
	for i < end {
		if i >= stop {
			for mi < len(marks) && marks[mi][0] < i {
				mi++
			}
			stop = end
			if mi < len(marks) && marks[mi][0] < end {
				stop = marks[mi][0]
			}
			if i == stop {
				e := min(marks[mi][1], end)
				// No word list has a quotation mark or punctuation (TestLexiconWords): lex 0.
				dst = append(dst, tok{text: body[i:e], low: body[i:e], start: i, end: e, mark: true})
				i = e
				continue
			}
		}
		if c := body[i]; c == ' ' { // most often, and the cheapest to skip
			i++
			continue
		}
		r, size := rune(body[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(body[i:end])
		}
		if !isWordRune(r) {
			// (A space is no word rune: asked only here, not of every word.)
			if unicode.IsSpace(r) {
				newLine = newLine || r == '\n'
				i += size
				continue
			}
			dst = append(dst, tok{text: body[i : i+size], low: body[i : i+size], start: i, end: i + size})
			i += size
			continue
		}
		j := i + size
		ascii := size == 1 // no byte of the word so far is past ASCII
		for j < stop {
			if c := body[j]; c < utf8.RuneSelf {
				if isAlnumByte(c) { // ASCII letters and digits: no decoding
					j++
					continue
				}
				if c != '\'' && c != '-' && c != '.' && c != ',' {
					break // a space or a mark that joins nothing: the word ends
				}
			}
			r2, s2 := utf8.DecodeRuneInString(body[j:end])
			if isWordRune(r2) {
				ascii = ascii && s2 == 1
				j += s2
				continue
			}
			// Inner joiners: a letter or digit must follow.
			if r2 == '\'' || r2 == '’' || r2 == '-' || r2 == '.' || r2 == '‐' || (r2 == ',' && unicode.IsDigit(r)) {
				if j+s2 < stop {
					r3, _ := utf8.DecodeRuneInString(body[j+s2 : end])
					if isWordRune(r3) && (r2 != ',' || unicode.IsDigit(r3)) {
						ascii = ascii && s2 == 1
						j += s2
						continue
					}
				}
				// A possessive apostrophe at the end of a plural: "officials’".
				if (r2 == '\'' || r2 == '’') && body[j-1] == 's' {
					ascii = ascii && s2 == 1
					j += s2
				}
			}
			break
		}
		text := body[i:j]
		var low string
		if ascii {
			low = lowBody[i:j]
		} else {
			low = strings.ToLower(text)
		}
		bits := lex.get(low)
		// Keep the dot of an abbreviation or initial with the word.
		if j < end && body[j] == '.' {
			lw := low
			if bits&lexAbbrevs != 0 || strings.Contains(text, ".") ||
				(utf8.RuneCountInString(text) == 1 && unicode.IsUpper(r)) || lw == "no" && j+2 < end && isDigitByte(body[j+2]) {
				j++
				text = body[i:j]
				if ascii {
					low = lowBody[i:j]
				} else {
					low = strings.ToLower(text)
				}
				bits = lex.get(low)
			}
		}
		t := tok{text: text, low: low, start: i, end: j, word: true, cap: unicode.IsUpper(r), lineStart: newLine, lex: bits}
		if t.lexBare = t.lex; len(low) > 1 && (low[len(low)-1] == 's' || low[len(low)-1] == '\'' || low[len(low)-1] == 0x99) {
			if bare := trimPossessive(low); len(bare) != len(low) {
				t.lexBare = lex.get(bare)
			}
		}
		dst = append(dst, t)
		newLine = false
		i = j
	}
	return dst
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isAlnumByte(byte(r)) // the ASCII letters and digits are a-z, A-Z and 0-9
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isDigitByte(b byte) bool { return b >= '0' && b <= '9' }

// isAlnumByte reports whether the ASCII byte b is a letter or a digit:
// isWordRune(rune(b)) for b < utf8.RuneSelf.
func isAlnumByte(b byte) bool { return alnumBytes[b] }

// alnumBytes[b] is whether b is an ASCII letter or digit: one look-up
// rather than three ranges, for every byte of every word.
var alnumBytes = func() (t [256]bool) {
	for b := range 256 {
		t[b] = 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
	}
	return t
}()

// tokSlices are token slices of articles extracted, for the next ones.
var tokSlices sync.Pool

// getToks returns an empty token slice with room for at least n tokens.
func getToks(n int) []tok {
	if p, ok := tokSlices.Get().(*[]tok); ok && cap(*p) >= n {
		return (*p)[:0]
	}
	return make([]tok, 0, n)
}

// putToks gives back a token slice no one uses any more.
func putToks(t []tok) {
	if cap(t) > 1<<16 {
		return // a very long article's
	}
	clear(t) // let go of the body its strings point into
	t = t[:0]
	tokSlices.Put(&t)
}

// Words that make a noun phrase plural for "they" to refer to.
func isPluralNoun(w string) bool {
	if strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us") || strings.HasSuffix(w, "is") {
		return false
	}
	switch w {
	case "people", "police", "staff", "media", "crew", "authorities", "children", "men", "women", "data":
		return true
	}
	return strings.HasSuffix(w, "s")
}

// singular makes a plural head noun singular ("officials" -> "official").
func singular(w string) string {
	switch {
	case w == "people":
		return "person"
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "ches"), strings.HasSuffix(w, "shes"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us"):
		return w[:len(w)-1]
	}
	return w
}
