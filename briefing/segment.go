package briefing

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Segment splits an article body into sentences, keeping their byte offsets.
//
// It is written for news text: a blank line (a line holding nothing but
// white space) ends a sentence and a paragraph, unless it breaks a sentence
// in two (see brokenSentence); '.', '?', '!' and '…' end one only when what
// follows looks like the start of a new sentence. Single line breaks inside
// a paragraph are ordinary white space.
// Abbreviations (Gov., Oct. 7, Inc.), initials (J. R. R., U.S.), times
// (9 a.m.) and numbers ($4.2 million, version 2.0) are kept whole, and
// closing quotation marks after the final punctuation ("... partner.” We
// ...) stay with the sentence they close. Quote marks do not need to
// balance: the decision is made from the characters around each candidate
// boundary only.
//
// It is a single linear pass over the body and allocates only the result.
func Segment(body string) []Sentence {
	if len(body) == 0 {
		return nil
	}
	// News sentences run well over 64 bytes; one allocation is the aim.
	out := make([]Sentence, 0, len(body)/64+4)
	para := 0
	for ps := 0; ps < len(body); {
		pe, next := paragraphEnd(body, ps)
		for next < len(body) && brokenSentence(body[ps:pe], body[next:]) {
			pe, next = paragraphEnd(body, next)
		}
		if start := skipSpace(body, ps, pe); start < pe {
			out = segmentParagraph(body, start, pe, para, out)
			para++
		}
		ps = next
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// paragraphEnd finds the end of the paragraph starting at ps: the first
// blank line, that is a newline followed by white space other than newlines
// and another newline. It returns the end of the paragraph's text and where
// the next one starts.
func paragraphEnd(body string, ps int) (end, next int) {
	for i := ps; i < len(body); {
		j := strings.IndexByte(body[i:], '\n')
		if j < 0 {
			break
		}
		nl := i + j
		k := nl + 1
		for k < len(body) && body[k] != '\n' {
			r, size := utf8.DecodeRuneInString(body[k:])
			if !unicode.IsSpace(r) {
				break
			}
			k += size
		}
		if k < len(body) && body[k] == '\n' {
			return nl, k + 1
		}
		i = nl + 1
	}
	return len(body), len(body)
}

// brokenSentence reports whether a blank line between the paragraph para
// and the text after it breaks a sentence in two rather than ending one:
// para stops on a word or a comma, with no punctuation that could end a
// sentence, a quotation or a heading's colon, and the next paragraph goes on
// in a lower-case word ("… a £330million loan to the IMF on Thursday" |
// "but there were concerns …"). Copy converted line by line from a web page
// or a wire breaks sentences so; a word such as "iPhone" or "eBay" may
// start a sentence, and does not count.
func brokenSentence(para, after string) bool {
	last, _ := utf8.DecodeLastRuneInString(strings.TrimRightFunc(para, unicode.IsSpace))
	if !unicode.IsLetter(last) && !unicode.IsDigit(last) && last != ',' {
		return false
	}
	after = strings.TrimLeftFunc(after, unicode.IsSpace)
	for i, r := range after {
		switch {
		case i == 0 && !unicode.IsLower(r):
			return false
		case unicode.IsSpace(r) || r == ',' || r == '.':
			return true
		case unicode.IsUpper(r):
			return false
		}
	}
	return true
}

// mayEnd marks the bytes terminalAt can find something at.
var mayEnd = [256]bool{'.': true, '?': true, '!': true, 0xE2: true}

// abbrevWordMax is the length of the longest word isBoundary looks up as
// an abbreviation (hasFold looks up none longer than 8 bytes).
var abbrevWordMax = sync.OnceValue(func() int {
	return max(8, maxKeyLen(neverEndAbbrevs), maxKeyLen(numberAbbrevs), maxKeyLen(lowerAbbrevs), len("al"))
})

// terminalAt returns the byte length of the sentence-ending punctuation
// ('.', '?', '!', '…') at i, or 0 if there is none.
func terminalAt(body string, i, end int) int {
	switch c := body[i]; c {
	case '.', '?', '!':
		return 1
	case 0xE2: // the first byte of '…'
		if strings.HasPrefix(body[i:end], "…") {
			return len("…")
		}
	}
	return 0
}

func segmentParagraph(body string, start, end, para int, out []Sentence) []Sentence {
	for i := start; i < end; {
		if !mayEnd[body[i]] {
			i = nextMayEnd(body, i, end) // the most bytes: no terminalAt
			continue
		}
		size := terminalAt(body, i, end)
		if size == 0 {
			i++ // bytes of multi-byte runes never look like terminal punctuation
			continue
		}
		punct := i
		j := i + size
		// A run of terminal punctuation ("?!", "...").
		for j < end {
			s := terminalAt(body, j, end)
			if s == 0 {
				break
			}
			j += s
		}
		// Closing quotes and brackets belong to the sentence they end.
		afterPunct := j
		for j < end {
			r, s := utf8.DecodeRuneInString(body[j:end])
			if !isCloser(r) {
				break
			}
			j += s
		}
		if j >= end {
			break // the paragraph ends here anyway
		}
		if r, _ := utf8.DecodeRuneInString(body[j:end]); !unicode.IsSpace(r) {
			i = j // "3.5", "U.S.", "e.g.," and the like
			continue
		}
		k := skipSpace(body, j, end)
		if k < end && isBoundary(body, start, punct, afterPunct, j, k, end) {
			out = append(out, trimmed(body, start, j, para))
			start = k
		}
		i = k
	}
	if s := trimmed(body, start, end, para); s.Start < s.End {
		out = append(out, s)
	}
	return out
}

// isBoundary decides whether the terminal punctuation at punct ends a
// sentence. afterPunct is just past the punctuation run, closeEnd just past
// any closing quotes, and next is the first non-space character after it.
func isBoundary(body string, sentStart, punct, afterPunct, closeEnd, next, end int) bool {
	nr, _ := utf8.DecodeRuneInString(body[next:end])
	quoted := closeEnd > afterPunct

	// What follows must look like the start of a sentence.
	if !startsSentence(nr) {
		return false
	}
	if body[punct] != '.' || afterPunct-punct > 1 {
		// '?', '!', '…' or "...": a boundary before a capitalized word,
		// unless a quote closes and its attribution follows:
		// "Why?" Smith asked. / "Enough!" Coach Lee shouted.
		return !quoted || !looksLikeAttributionTail(body[next:end])
	}
	if quoted {
		// `... he said."` or `(... later.)` followed by a capital. A full
		// stop inside a quote is not followed by its attribution in news
		// style (that takes a comma), so no attribution check here.
		return true
	}

	nextWord := wordAt(body, next, end)
	w := wordBefore(body, sentStart, punct)
	switch {
	case w == "":
		return true // "3.5%.", "$20." and the like
	case len(w) == 1 && 'A' <= w[0] && w[0] <= 'Z':
		// An initial: J. R. R. Tolkien, Harry S. Truman.
		return isStarter(nextWord)
	case w == "a.m" || w == "p.m" || w == "A.M" || w == "P.M":
		// 9 p.m. Police said... / 10 a.m. Monday / 9 a.m. Eastern time
		return isOpener(nr) || !unicode.IsDigit(nr) && !afterTimeWords[nextWord]
	case strings.IndexByte(w, '.') >= 0:
		if !isDottedAbbrev(w) {
			return true // version 2.0, CityTix.com
		}
		// U.S., D.C., Ph.D: a boundary only before a typical first word.
		if w == "e.g" || w == "i.e" {
			return false
		}
		return isStarter(nextWord) || isOpener(nr)
	}
	if len(w) > abbrevWordMax() {
		return true // longer than any abbreviation below: none of them
	}
	capital := 'A' <= w[0] && w[0] <= 'Z'
	switch {
	case neverEndAbbrevs[w]:
		return false // Smith v. Jones, Spain vs. Brazil
	case capital && hasFold(titleAbbrevs, w), w == "al":
		// Gov. Ana Ruiz, Chen et al. found; but "the economist Priya
		// Sen. The committee ..." and "Ruiz et al. The journal ...".
		return isStarter(nextWord)
	case numberAbbrevs[w]:
		return !unicode.IsDigit(nr) // No. 2, p. 14; "Voters said no. Turnout..."
	case capital && hasFold(monthAbbrevs, w):
		if unicode.IsDigit(nr) {
			return false // Oct. 7
		}
		return isStarter(nextWord) || isOpener(nr)
	case capital && hasFold(otherAbbrevs, w), lowerAbbrevs[w]:
		// Inc., Corp., Jr., St., Calif., etc.: these also end sentences.
		return isStarter(nextWord) || isOpener(nr)
	}
	return true
}

// startsSentence reports whether r can begin a sentence: a capital, a
// letter of a script without case (Arabic, Chinese), a digit, an opening
// quote or bracket, or a dash.
func startsSentence(r rune) bool {
	if r < utf8.RuneSelf {
		return 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || isOpener(r) || r == '-'
	}
	if unicode.IsLetter(r) {
		return !unicode.IsLower(r) // upper, title case, or no case at all
	}
	return unicode.IsDigit(r) || isOpener(r) || r == '—' || r == '–'
}

// isDottedAbbrev reports whether w, a token with inner dots, is an
// abbreviation like U.S, a.m, Ph.D or W.Va rather than a number (2.0) or a
// domain name (CityTix.com): every part is one to three letters.
func isDottedAbbrev(w string) bool {
	n := 0
	for i := 0; i <= len(w); i++ {
		if i == len(w) || w[i] == '.' {
			if n == 0 || n > 3 {
				return false
			}
			n = 0
			continue
		}
		c := w[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
		n++
	}
	return true
}

// looksLikeAttributionTail reports whether s, which follows a closing quote,
// starts like the attribution of that quote: up to four capitalized words
// (Smith, Sen. Maria Lee) then a speech verb that ends the clause or takes
// an object or adverbial ("Smith asked.", "Lee told reporters", "Ruiz said
// Tuesday"). "Officials said the state would pay" is a new sentence.
// It looks at a handful of words only.
func looksLikeAttributionTail(s string) bool {
	i := 0
	for n := 0; n < 5; n++ {
		w, trail, next := nextToken(s, i)
		if w == "" {
			return false
		}
		if tailVerbs[w] {
			if trail != 0 || next >= len(s) || !sayVerbs[w] {
				return true // "Smith asked.", "Lee said," or "Ruiz told reporters"
			}
			obj, _, _ := nextToken(s, next)
			return afterSaid[obj]
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return false
		}
		if trail != 0 && !(trail == '.' && hasFold(titleAbbrevs, w)) {
			return false // "Smith, 45, asked" is too far to judge
		}
		i = next
	}
	return false
}

// nextToken returns the run of non-space characters starting at or after i
// without its trailing punctuation, that punctuation's first byte (0 if
// none) and where scanning should resume.
func nextToken(s string, i int) (word string, trail byte, next int) {
	for i < len(s) && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t') {
		i++
	}
	j := i
	for j < len(s) && s[j] != ' ' && s[j] != '\n' && s[j] != '\t' {
		j++
	}
	e := j
	for e > i && strings.IndexByte(",.;:!?", s[e-1]) >= 0 {
		e--
	}
	if e < j {
		trail = s[e]
	}
	return s[i:e], trail, j
}

// wordBefore returns the token that ends at punct: letters, digits and
// inner dots ("U.S", "a.m", "Gov").
func wordBefore(body string, sentStart, punct int) string {
	i := punct
	for i > sentStart {
		r, size := utf8.DecodeLastRuneInString(body[sentStart:i])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.') {
			break
		}
		i -= size
	}
	return strings.TrimLeft(body[i:punct], ".")
}

// wordAt returns the word of letters starting at i (after opening quotes).
func wordAt(body string, i, end int) string {
	for i < end {
		r, size := utf8.DecodeRuneInString(body[i:end])
		if !isOpener(r) {
			break
		}
		i += size
	}
	j := i
	for j < end {
		r, size := utf8.DecodeRuneInString(body[j:end])
		if !unicode.IsLetter(r) {
			break
		}
		j += size
	}
	return body[i:j]
}

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', '»', ')', ']':
		return true
	}
	return false
}

func isOpener(r rune) bool {
	switch r {
	case '"', '“', '‘', '«', '(', '[', '\'':
		return true
	}
	return false
}

func skipSpace(body string, i, end int) int {
	for i < end {
		if c := body[i]; c < utf8.RuneSelf {
			if c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\v' && c != '\f' {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(body[i:end])
		if !unicode.IsSpace(r) {
			break
		}
		i += size
	}
	return i
}

func trimmed(body string, start, end, para int) Sentence {
	start = skipSpace(body, start, end)
	for end > start {
		r, size := utf8.DecodeLastRuneInString(body[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= size
	}
	return Sentence{Start: start, End: end, Para: para}
}

// isStarter reports whether w commonly begins a sentence. After an
// abbreviation that can also end a sentence (Inc., U.S.), only such a word
// makes the period a boundary.
func isStarter(w string) bool { return starters[w] }
