package briefing

import (
	"unicode"
	"unicode/utf8"
)

// quote is a quotation in the body: the words between a pair of double
// quotation marks.
type quote struct {
	open       int  // offset of the opening mark
	close      int  // offset of the closing mark, or the end of the paragraph if it never closes
	start, end int  // the quoted words, without surrounding spaces and a final comma or period
	closed     bool // a closing mark was found
	cont       bool // continues the previous quote, which ran to the end of its paragraph
}

// findQuotes finds the quotations of a body, paragraph by paragraph.
// Curly and straight marks are both understood; a straight mark is an
// opener when it follows a space and precedes a word. A closing mark with
// no opener is ignored (it is a typo in the source, and nothing around it
// can be called verbatim). A quotation still open at the end of a paragraph
// ends there; if the next paragraph opens with a quotation mark, that one
// continues it, as news style does for quotes that run over paragraphs.
func findQuotes(body string, sents []Sentence, dst []quote) []quote {
	for p := 0; p < len(sents); {
		q := p
		for q < len(sents) && sents[q].Para == sents[p].Para {
			q++
		}
		ps, pe := sents[p].Start, sents[q-1].End
		openAt := -1
		for i := ps; i < pe; {
			r, size := utf8.DecodeRuneInString(body[i:pe])
			if r != '"' && r != '“' && r != '”' && r != '«' && r != '»' {
				i += size
				continue
			}
			opener := isOpeningMark(body, ps, pe, i, r, size, openAt >= 0)
			switch {
			case opener && openAt >= 0:
				// A new quotation before the last one closed: end that one here.
				dst = appendQuote(body, dst, openAt, i, false, ps)
				openAt = i
			case opener:
				openAt = i
			case openAt >= 0:
				dst = appendQuote(body, dst, openAt, i, true, ps)
				openAt = -1
			}
			i += size
		}
		if openAt >= 0 {
			dst = appendQuote(body, dst, openAt, pe, false, ps)
		}
		p = q
	}
	return dst
}

func appendQuote(body string, dst []quote, open, close int, closed bool, paraStart int) []quote {
	_, size := utf8.DecodeRuneInString(body[open:])
	start := skipSpace(body, open+size, close)
	end := close
	for end > start {
		r, s := utf8.DecodeLastRuneInString(body[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= s
	}
	if end > start && (body[end-1] == ',' || body[end-1] == '.' && !(end-2 >= start && body[end-2] == '.')) {
		end--
	}
	if end <= start {
		return dst
	}
	q := quote{open: open, close: close, start: start, end: end, closed: closed}
	// Continues the previous quote if that one ran off the end of its
	// paragraph and this one opens this paragraph.
	if n := len(dst); n > 0 && !dst[n-1].closed && dst[n-1].close < paraStart && open == paraStart {
		q.cont = true
	}
	return append(dst, q)
}

// isOpeningMark decides whether the quotation mark at i opens a quotation.
func isOpeningMark(body string, ps, pe, i int, r rune, size int, inQuote bool) bool {
	prevSpace := i == ps
	if !prevSpace {
		pr, _ := utf8.DecodeLastRuneInString(body[ps:i])
		prevSpace = unicode.IsSpace(pr) || pr == '(' || pr == '[' || pr == '—' || pr == '–' || pr == ':'
	}
	nextSpace := i+size >= pe
	if !nextSpace {
		nr, _ := utf8.DecodeRuneInString(body[i+size : pe])
		nextSpace = unicode.IsSpace(nr) || nr == ',' || nr == '.' || nr == ';' || nr == ':'
	}
	switch r {
	case '“', '«':
		return !(!prevSpace && nextSpace) // a misused opener after a word is a closer
	case '”', '»':
		return prevSpace && !nextSpace // a misused closer before a word is an opener
	}
	// A straight mark.
	if prevSpace && !nextSpace {
		return true
	}
	if !prevSpace && nextSpace {
		return false
	}
	return !inQuote
}
