package briefing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on derived headlines, in words.
const (
	headlineParaWords = 20 // a first paragraph this short is the headline
	headlineWhole     = 22 // a first sentence this short is the headline, whole
	headlineMaxWords  = 18 // a longer one is cut at a clause boundary within this many words
)

// DeriveHeadline makes a short headline from body text when no title is
// given. It reads the story's first line, past bylines, navigation,
// captions and datelines ("(CNN)", "WASHINGTON —"): that paragraph if it
// has at most 20 words, else its first sentence, whole if it is short, or
// cut at a clause boundary and marked with "…". A cut never drops who is
// quoted: in "X happened, police said" the attribution is kept after the
// cut. White space is collapsed and a trailing period removed.
func DeriveHeadline(body string) string {
	body = normalizeBody(body)
	sents := Segment(body)
	if len(sents) == 0 {
		return ""
	}
	roles := markSentences(body, sents)
	first, last, _ := headlineSentences(body, sents, roles)
	if last > first {
		return headlineText(paragraphText(body, sents, first, last))
	}
	return headlineText(cutHeadline(leadText(body, sents[first])))
}

// headlineSentences returns the sentences a derived headline comes from,
// first to last, and whether it shows them whole: the story's first
// paragraph if it has at most headlineParaWords words, else its first
// sentence, whole if it has at most headlineWhole words.
func headlineSentences(body string, sents []Sentence, roles []sentRole) (first, last int, whole bool) {
	for i, r := range roles {
		if r == roleNews || r == roleHeading {
			first = i
			break
		}
	}
	last = first
	for last+1 < len(sents) && sents[last+1].Para == sents[first].Para {
		last++
	}
	if len(strings.Fields(paragraphText(body, sents, first, last))) <= headlineParaWords {
		return first, last, true
	}
	return first, first, len(strings.Fields(leadText(body, sents[first]))) <= headlineWhole
}

// paragraphText is the text of sentences first to last, without a leading
// dateline.
func paragraphText(body string, sents []Sentence, first, last int) string {
	start := sents[first].Start + datelineLen(sents[first].Text(body))
	return body[start:sents[last].End]
}

// leadText is a sentence's text without a leading dateline.
func leadText(body string, s Sentence) string {
	t := s.Text(body)
	return t[datelineLen(t):]
}

// headlineText collapses white space and drops a final period that is not
// part of an abbreviation.
func headlineText(h string) string {
	words := strings.Fields(h)
	if len(words) == 0 {
		return ""
	}
	h = strings.Join(words, " ")
	if strings.HasSuffix(h, ".") && !strings.HasSuffix(h, "..") && !headlineAbbrev(words[len(words)-1]) {
		h = strings.TrimSuffix(h, ".")
	}
	return h
}

// cutHeadline shortens a long first sentence at a clause boundary. When
// what is said comes before who said it ("X happened, police said", "…,
// according to a report"), the cut falls inside what is said and the
// attribution is kept after it; when the attribution comes first
// ("According to X, …", "X said …"), the cut keeps some of what is said.
func cutHeadline(text string) string {
	if len(strings.Fields(text)) <= headlineWhole {
		return text
	}
	if tail, at := attributionTail(text); tail != "" {
		cut, ok := cutAtClause(text[:at], 4, max(headlineMaxWords-len(strings.Fields(tail)), 10))
		if !ok {
			return text
		}
		return cut + "…, " + tail
	}
	from := 4 // the cut leaves at least this many words
	for _, c := range Extract(text) {
		if !c.Attributed() || c.Speaker == "" || c.Kind == Direct {
			continue
		}
		if head := strings.Fields(text[:c.Start]); len(head) > 0 && len(head) <= headlineMaxWords-6 {
			from = len(head) + 4
		}
		break
	}
	if cut, ok := cutAtClause(text, from, max(headlineMaxWords, from+2)); ok {
		return cut + "…"
	}
	return text
}

// attributionTail returns the attribution that ends a sentence, after its
// last comma ("police said on Friday", "according to a study", "it has
// been claimed"), and where what is said ends; "" if there is none.
func attributionTail(text string) (string, int) {
	i := strings.LastIndex(text, ", ")
	if i < 0 {
		return "", 0
	}
	tail := strings.TrimRight(text[i+2:], ".")
	n := 0
	cue := hasPrefixFold(tail, "according to ")
	for w := range strings.FieldsSeq(tail) {
		n++
		cue = cue || lowerKey(tailCues, w)
	}
	if !cue || n > 12 {
		return "", 0
	}
	return tail, i
}

// cutAtClause cuts text to at most about max words, preferring the end of
// a clause: before a comma, semicolon, colon or dash (up to two words
// more), or before a conjunction or relative pronoun; then before a
// preposition; never before word from. It reports false if the text is
// short enough already.
func cutAtClause(text string, from, max int) (string, bool) {
	words := strings.Fields(text)
	if len(words) <= max {
		return text, false
	}
	// The longest cut wins, a stronger boundary counting for three words;
	// on a tie, the earlier (at the stronger boundary).
	best, bestScore := 0, 0
	for k := from; k <= max+2 && k < len(words); k++ {
		s := boundaryStrength(words[k-1], words[k])
		if s == 0 || k > max && s < 3 {
			continue
		}
		if k+3*s > bestScore {
			best, bestScore = k, k+3*s
		}
	}
	if best == 0 {
		best = max
	}
	return strings.Join(headlineTrimEnd(words[:best]), " "), true
}

// boundaryStrength rates the gap between two words as a place to cut: 3
// after punctuation or before a dash, 2 before a conjunction or relative
// pronoun, 1 before a preposition (not "to", which may start an
// infinitive: "believed to be"), 0 elsewhere.
func boundaryStrength(prev, next string) int {
	if strings.HasSuffix(prev, ",") || strings.HasSuffix(prev, ";") || strings.HasSuffix(prev, ":") ||
		next == "—" || next == "–" || next == "-" || next == "--" || strings.HasSuffix(prev, "—") {
		return 3
	}
	switch next = strings.ToLower(next); {
	case clauseBreaks[next]:
		return 2
	case phraseBreaks[next]:
		return 1
	}
	return 0
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
	w = strings.ToLower(w)
	return titleAbbrevs[w] || monthAbbrevs[w] || nameAbbrevs[w] || neverEndAbbrevs[w]
}

// headlineTrimEnd drops trailing punctuation and function words ("the",
// "of", "and", ...) from a cut headline, so it does not end mid-phrase.
func headlineTrimEnd(words []string) []string {
	for len(words) > 1 {
		last := strings.TrimRight(words[len(words)-1], ",;:-–—")
		if last == "" || lowerKey(danglingWords, last) {
			words = words[:len(words)-1]
			continue
		}
		words[len(words)-1] = last
		break
	}
	return words
}
