// Package textutil holds the text helpers the bot, its adapters and the
// feeds share: [OneLine], [UpperFirst], [Plural], and fitting text into a platform's
// limits, counted the platform's way ([Measure]): [Clip] shortens a text,
// [Split] cuts a long one into pieces, [Pack] fills pieces with
// paragraphs. None of them cuts a word, or a span a platform must keep
// whole (a link, an entity), where it can help it.
package textutil

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// OneLine folds s onto one line: every run of spaces and line breaks
// becomes one space, and none is left at either end.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// UpperFirst is s with its first letter in upper case.
func UpperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// Plural is one when n is 1, else many.
func Plural[N ~int | ~int64](n N, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Measure is how much a rune counts toward a platform's limit.
type Measure func(r rune) int

// The usual measures.
var (
	// Runes counts characters (Unicode code points).
	Runes Measure = func(rune) int { return 1 }
	// Bytes counts UTF-8 bytes.
	Bytes Measure = func(r rune) int { return max(1, utf8.RuneLen(r)) }
	// UTF16 counts UTF-16 code units, as Discord and Slack count
	// characters: an emoji outside the basic plane is two.
	UTF16 Measure = func(r rune) int { return max(1, utf16.RuneLen(r)) }
)

// Len is the length of s as m counts it.
func Len(s string, m Measure) int {
	n := 0
	for _, r := range s {
		n += m(r)
	}
	return n
}

// prefix is the length in bytes of the longest prefix of s, cut between
// runes, whose length as m counts it is at most limit.
func prefix(s string, limit int, m Measure) int {
	n := 0
	for i, r := range s {
		if n += m(r); n > limit {
			return i
		}
	}
	return len(s)
}

const ellipsis = "…"

// Clip shortens s to at most limit, as m counts, ending in "…" when it
// cuts: after the last word that fits, if that keeps at least half of what
// fits, else inside the word.
func Clip(s string, limit int, m Measure) string {
	if Len(s, m) <= limit {
		return s
	}
	fit := prefix(s, max(0, limit-Len(ellipsis, m)), m)
	if i := strings.LastIndexFunc(s[:min(len(s), fit+1)], unicode.IsSpace); i > 0 && i >= fit/2 {
		return strings.TrimRightFunc(s[:i], unicode.IsSpace) + ellipsis
	}
	return s[:fit] + ellipsis
}

// Split cuts s into pieces of at most limit, as m counts, each as full as
// it can be: a piece ends at a paragraph break if one falls in its second
// half, else at a line break there, else at the last space, and only a
// word longer than limit is cut inside. No cut falls inside a match of
// keep (a link, an entity), unless one match alone is longer than limit;
// keep may be nil. Pieces are trimmed of the spaces around the cuts.
func Split(s string, limit int, m Measure, keep *regexp.Regexp) []string {
	var out []string
	s = strings.TrimSpace(s)
	var spans [][]int // the matches of keep in s, in order
	if keep != nil {
		spans = keep.FindAllStringIndex(s, -1)
	}
	for off := 0; off < len(s); {
		rest := s[off:]
		if Len(rest, m) <= limit {
			out = append(out, rest)
			break
		}
		for len(spans) > 0 && spans[0][1] <= off {
			spans = spans[1:]
		}
		at := off + cut(rest, limit, m, func(i int) (int, bool) {
			for _, sp := range spans {
				if sp[0] >= off+i {
					break
				}
				if off+i < sp[1] && sp[0] < off+i {
					return sp[0] - off, true
				}
			}
			return 0, false
		})
		if head := strings.TrimSpace(s[off:at]); head != "" {
			out = append(out, head)
		}
		off = len(s) - len(strings.TrimLeftFunc(s[at:], unicode.IsSpace))
	}
	return out
}

// cut is where Split cuts s, whose length is over limit: the byte offset
// of the end of its first piece. inside tells whether an offset falls
// inside a span kept whole, and where that span starts.
func cut(s string, limit int, m Measure, inside func(int) (int, bool)) int {
	fit := prefix(s, limit, m)
	if fit == 0 {
		_, size := utf8.DecodeRuneInString(s) // a rune longer than limit
		return size
	}
	window := s[:fit]
	if s[fit] == ' ' || s[fit] == '\n' {
		window = s[:fit+1] // the break right after the prefix counts
	}
	for _, sep := range []string{"\n\n", "\n"} {
		if j := lastOutside(window, sep, inside); j >= fit/2 {
			return j
		}
	}
	if j := max(lastOutside(window, " ", inside), lastOutside(window, "\n", inside)); j > 0 {
		return j
	}
	if start, ok := inside(fit); ok && start > 0 {
		return start
	}
	return fit
}

// lastOutside is the offset of the last sep in s that is not inside a span
// kept whole, or -1.
func lastOutside(s, sep string, inside func(int) (int, bool)) int {
	for j := strings.LastIndex(s, sep); j >= 0; j = strings.LastIndex(s[:j], sep) {
		if _, in := inside(j); !in {
			return j
		}
	}
	return -1
}

// Unit is a paragraph or a line for Pack: Gap asks for a blank line before
// it rather than a line break.
type Unit struct {
	Text string
	Gap  bool
}

// Lines are texts as units that follow each other on their own lines.
func Lines(texts ...string) []Unit {
	units := make([]Unit, len(texts))
	for i, t := range texts {
		units[i] = Unit{Text: t}
	}
	return units
}

// Pack joins units into texts of at most limit, as m counts, as few as
// can hold them: a unit goes on in the same text if it fits, else starts
// the next one; a unit longer than limit by itself is split as Split
// does. Empty units are left out.
func Pack(units []Unit, limit int, m Measure, keep *regexp.Regexp) []string {
	var out []string
	var b strings.Builder
	n := 0
	for _, u := range units {
		for j, piece := range Split(u.Text, limit, m, keep) {
			sep := "\n"
			if u.Gap && j == 0 {
				sep = "\n\n"
			}
			if size := Len(piece, m); n > 0 && n+Len(sep, m)+size <= limit {
				b.WriteString(sep)
				b.WriteString(piece)
				n += Len(sep, m) + size
				continue
			}
			if n > 0 {
				out = append(out, b.String())
				b.Reset()
			}
			b.WriteString(piece)
			n = Len(piece, m)
		}
	}
	if n > 0 {
		out = append(out, b.String())
	}
	return out
}
