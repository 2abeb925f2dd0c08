package briefing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on derived headlines, in words.
const (
	headlineParaWords = 20 // a first paragraph this short is the headline
	headlineMaxWords  = 16 // longer first sentences are cut to this
)

// DeriveHeadline makes a short headline from body text when no title is
// given: the first paragraph if it has at most 20 words, else its first
// sentence, cut at a word boundary with "…" if that is over 16 words.
// White space is collapsed and a trailing period removed.
func DeriveHeadline(body string) string {
	body = normalizeBody(body)
	para, _, _ := strings.Cut(body, "\n\n")
	words := strings.Fields(para)
	cut := false
	if len(words) > headlineParaWords {
		words = words[:headlineSentenceEnd(words)]
		cut = len(words) > headlineMaxWords
	}
	if cut {
		words = headlineTrimEnd(words[:headlineMaxWords])
	}
	h := strings.Join(words, " ")
	if cut {
		return h + "…"
	}
	if strings.HasSuffix(h, ".") && !strings.HasSuffix(h, "..") && !headlineAbbrev(words[len(words)-1]) {
		h = strings.TrimSuffix(h, ".")
	}
	return h
}

// headlineSentenceEnd returns the number of words in the first sentence of
// words: up to a word ending in ".", "?" or "!" (perhaps before closing
// quotes or brackets) that is not an abbreviation and is not followed by a
// lower-case word.
func headlineSentenceEnd(words []string) int {
	for i, w := range words[:len(words)-1] {
		w = strings.TrimRight(w, `"'”’)]`)
		if w == "" || !strings.ContainsRune(".?!", rune(w[len(w)-1])) {
			continue
		}
		if strings.HasSuffix(w, ".") && headlineAbbrev(w) {
			continue
		}
		next, _ := utf8.DecodeRuneInString(strings.TrimLeft(words[i+1], `"'“‘([`))
		if unicode.IsLower(next) {
			continue
		}
		return i + 1
	}
	return len(words)
}

// headlineAbbrev reports whether a word ending in "." is likely an
// abbreviation rather than the end of a sentence: a title such as "Dr.",
// a month such as "Oct.", an initial such as "J." or a dotted acronym such
// as "U.S." or "a.m.".
func headlineAbbrev(word string) bool {
	w := strings.TrimLeft(word, `"'“‘([`)
	w = strings.TrimSuffix(w, ".")
	if strings.Contains(w, ".") {
		return true // U.S., a.m., e.g.
	}
	if r, size := utf8.DecodeRuneInString(w); size == len(w) && unicode.IsUpper(r) {
		return true // an initial
	}
	switch strings.ToLower(w) {
	case "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt",
		"col", "capt", "sgt", "rev", "st", "jr", "sr",
		"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
		"oct", "nov", "dec",
		"inc", "corp", "co", "ltd", "vs", "approx", "dept":
		return true
	}
	return false
}

// headlineTrimEnd drops trailing punctuation and function words ("the",
// "of", "and", ...) from a cut headline, so it does not end mid-phrase.
func headlineTrimEnd(words []string) []string {
	for len(words) > 1 {
		last := strings.TrimRight(words[len(words)-1], ",;:-–—")
		switch strings.ToLower(last) {
		case "", "a", "an", "the", "of", "to", "in", "on", "at", "by", "for",
			"from", "with", "and", "or", "but", "as", "that", "its", "their":
			words = words[:len(words)-1]
			continue
		}
		words[len(words)-1] = last
		break
	}
	return words
}
