package briefing

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// quote is a quotation in the body: the words between a pair of quotation
// marks. Only outermost quotations are quotes; a quotation nested in one
// ("He told me, 'never again,'") is part of its words.
type quote struct {
	open       int  // offset of the opening mark
	close      int  // offset of the closing mark, or the end of the paragraph if it never closes
	start, end int  // the quoted words, without surrounding spaces and a final comma or period
	closed     bool // a closing mark was found
	cont       bool // continues the previous quote, which ran to the end of its paragraph
}

// A quotation mark and what its surroundings allow it to do.
type quoteMark struct {
	at, size    int
	single      bool // ' ‘ ’ ` ‚ ‹ ›, as opposed to " “ ” „ « », two backquotes, two apostrophes
	open, close bool // it may open, it may close a quotation
	closesLow   bool // an opener that also closes „ or ‚ (German style)
	lowOpen     bool // „ or ‚
	weak        bool // as a closer it may also be an apostrophe: "the boys' mothers"
}

func (m quoteMark) span() [2]int { return [2]int{m.at, m.at + m.size} }

// appendMark records a mark's span, unless it has none (an opener carried
// over from the paragraph before).
func appendMark(marks [][2]int, s [2]int) [][2]int {
	if s[0] == s[1] {
		return marks
	}
	return append(marks, s)
}

// findQuotes finds the quotations of a body, paragraph by paragraph, and
// every quotation mark in it (quotations' marks, nested ones and stray
// double ones), so that tokens can tell a mark from an apostrophe.
//
// Every convention of news copy is read: curly and straight double marks;
// single marks, British style, told apart from apostrophes (don't, '90s,
// the boys' mothers, rock 'n' roll); two backquotes closed by two
// apostrophes, in wire copy converted from treebank text, and two
// apostrophes on both sides, in archives; « » and „ “; quotations nested in
// one another. A quotation still open at the end of a paragraph ends there;
// if the next paragraph opens with a quotation mark, that one continues it,
// as news style does for quotes that run over paragraphs. A closing mark
// with no opener is ignored (it is a typo in the source, and nothing around
// it can be called verbatim).
func findQuotes(body string, sents []Sentence, dst []quote, marks [][2]int) ([]quote, [][2]int) {
	var ms, ahead []quoteMark
	carry := byte(0) // the previous paragraph ended on a lone opening mark: 's' single, 'd' double
	runOn := false   // the carried mark opens a single quotation that runs on, unopened, over paragraphs
	for p := 0; p < len(sents); {
		q := p
		for q < len(sents) && sents[q].Para == sents[p].Para {
			q++
		}
		ps, pe := sents[p].Start, sents[q-1].End
		ms = scanMarks(body, ps, pe, ms[:0])
		if carry != 0 {
			// "... (centre) '" then "I think ...,' he said": the quotation
			// opened at the end of the paragraph before.
			ms = append(ms, quoteMark{})
			copy(ms[1:], ms)
			ms[0] = quoteMark{at: ps, single: carry == 's', open: true}
		}
		nextOpens := q < len(sents) && opensWithSingle(body, sents[q].Start, sents[q].End)
		n := len(dst)
		var lone int
		dst, marks, lone = pairMarks(body, ms, ps, pe, nextOpens, runOn, dst, marks)
		wasRunOn := runOn
		carry, runOn = danglingOpener(body, ps, pe), false
		if carry == 0 && wasRunOn && len(dst) > n && !dst[len(dst)-1].closed && dst[len(dst)-1].close == pe {
			carry, runOn = 's', true // still running on
		}
		if carry == 0 && lone >= 0 && (len(dst) == n || dst[len(dst)-1].open < lone) {
			// "X said: 'First paragraph." with no closing mark until a later
			// paragraph ends: "... last paragraph.'" (copy that dropped the
			// marks that reopen each paragraph).
			var closes bool
			if closes, ahead = closesLater(body, sents, q, ahead); closes {
				m := ms[0]
				for _, mm := range ms {
					if mm.at == lone {
						m = mm
					}
				}
				k := sort.Search(len(marks), func(k int) bool { return marks[k][0] > m.at })
				marks = slices.Insert(marks, k, m.span()) // in order, after stray marks before it
				dst = appendQuote(body, dst, m.at, m.size, pe, false, ps)
				carry, runOn = 's', true
			}
		}
		p = q
	}
	return dst, marks
}

// maxRunOnParas is how many paragraphs after its own a single quotation
// opened with no closing mark may run on to find one.
const maxRunOnParas = 4

// closesLater reports whether a single quotation left open at the end of
// the paragraph before sents[q] closes within the next few paragraphs: a
// single mark that certainly closes comes before any that opens, and no
// paragraph reopens with a mark of its own (the usual convention, read
// elsewhere). buf is scratch space, returned for reuse.
func closesLater(body string, sents []Sentence, q int, buf []quoteMark) (bool, []quoteMark) {
	for n := 0; q < len(sents) && n < maxRunOnParas; n++ {
		p := q
		for q < len(sents) && sents[q].Para == sents[p].Para {
			q++
		}
		ps, pe := sents[p].Start, sents[q-1].End
		if opensWithSingle(body, ps, pe) || danglingOpener(body, ps, pe) != 0 {
			return false, buf
		}
		buf = scanMarks(body, ps, pe, buf[:0])
		for _, m := range buf {
			if !m.single {
				continue
			}
			if m.open {
				return false, buf
			}
			if m.close && !m.weak {
				return true, buf
			}
		}
	}
	return false, buf
}

// certainOpener reports whether the single mark m opens a quotation for
// sure: at the start of its paragraph or after a colon, a comma or a full
// stop and a space, and before a capital letter.
func certainOpener(body string, ps, pe int, m quoteMark) bool {
	if !m.single || !m.open || m.size == 0 || !unicode.IsUpper(runeAfter(body, m.at+m.size, pe)) {
		return false
	}
	if m.at == ps {
		return true
	}
	i := m.at
	for i > ps && body[i-1] == ' ' {
		i--
	}
	if i == m.at {
		return false
	}
	switch runeBefore(body, ps, i) {
	case ':', ',', '.', '!', '?':
		return true
	}
	return false
}

// afterColon reports whether the mark at body[at] follows a colon, spaces
// apart, in the paragraph that starts at ps: the way a quotation that
// runs over paragraphs is introduced ("He said: 'First paragraph."). A
// single mark after a comma opens a nickname or a scare quote as often
// ("The team, 'The Saints' to their fans, won"), whose closing mark
// reads as a plural's apostrophe.
func afterColon(body string, ps, at int) bool {
	i := at
	for i > ps && body[i-1] == ' ' {
		i--
	}
	return i > ps && body[i-1] == ':'
}

// danglingOpener reports whether the paragraph body[ps:pe] ends on a lone
// quotation mark after a space, which opens the next paragraph's words
// (copy that broke a quotation at a caption): 's' for a single mark, 'd'
// for a double one, 0 for none.
func danglingOpener(body string, ps, pe int) byte {
	r, size := utf8.DecodeLastRuneInString(body[ps:pe])
	if size == 0 || !isMarkRune(r) || r == '`' || !unicode.IsSpace(runeBefore(body, ps, pe-size)) {
		return 0
	}
	switch r {
	case '\'', '‘', '’':
		return 's'
	}
	return 'd'
}

// opensWithSingle reports whether the text at start opens with a single
// quotation mark followed by a letter.
func opensWithSingle(body string, start, end int) bool {
	r, size := utf8.DecodeRuneInString(body[start:end])
	return (r == '\'' || r == '‘') && unicode.IsLetter(runeAfter(body, start+size, end))
}

// markStart marks the bytes a quotation mark can start with: three ASCII
// marks and every byte past ASCII (decoded to see).
var markStart = func() (t [256]bool) {
	t['"'], t['`'], t['\''] = true, true, true
	for b := utf8.RuneSelf; b < 256; b++ {
		t[b] = true
	}
	return t
}()

// scanMarks lists the quotation marks of the paragraph body[ps:pe] and what
// each may do, judged from the characters on either side.
func scanMarks(body string, ps, pe int, dst []quoteMark) []quoteMark {
	for i := ps; i < pe; {
		if !markStart[body[i]] {
			i = nextMarkStart(body, i, pe) // ASCII bytes that are no quotation mark, most of the text
			continue
		}
		r, size := utf8.DecodeRuneInString(body[i:pe])
		m := quoteMark{at: i, size: size}
		switch r {
		case '"', '“', '”', '„', '«', '»':
		case '`':
			m.single = true
			if i+1 < pe && body[i+1] == '`' {
				m.size, m.single = 2, false
			}
		case '\'', '’':
			if n := rockNRoll(body, ps, i, pe); n > 0 {
				i += n
				continue
			}
			m.single = true
			if r == '\'' {
				n := 1
				for i+n < pe && body[i+n] == '\'' {
					n++
				}
				// Two straight marks are a double one; three are an outer
				// double and a nested single mark, in the order that nests.
				if n == 2 || n >= 3 && isOpenSide(runeBefore(body, ps, i)) {
					m.size, m.single = 2, false
				}
			}
		case '‘', '‚', '‹', '›':
			m.single = true
		default:
			i += size
			continue
		}
		before, after := runeBefore(body, ps, i), runeAfter(body, i+m.size, pe)
		left := isOpenSide(before)
		right := after == 0 || unicode.IsSpace(after) || isRightPunct(after) || isMarkRune(after)
		switch r {
		case '“', '«', '„', '‹', '‚', '`':
			// Openers; a “ after a word and before a space is a misused closer.
			m.open = !(r == '“' && !left && right)
			m.close = !m.open
			m.closesLow = r == '“' && m.open
			m.lowOpen = r == '„' || r == '‚'
		case '”', '»', '›':
			m.close = !(r == '”' && left && !right)
			m.open = !m.close
		default: // straight marks, and ‘ ’, whose direction is often wrong
			m.open, m.close = left && !right, !left && right
			if !m.single && left == right {
				m.open, m.close = true, true // a straight double mark with no side: either
			}
		}
		if m.single {
			m = judgeApostrophe(body, pe, m, before, after)
		}
		if m.open || m.close {
			dst = append(dst, m)
		}
		i += m.size
	}
	return dst
}

// rockNRoll returns the length of an 'n' standing for "and" at i, or 0.
func rockNRoll(body string, ps, i, pe int) int {
	for _, s := range []string{"'n'", "’n’"} {
		if strings.HasPrefix(body[i:pe], s) && isOpenSide(runeBefore(body, ps, i)) &&
			unicode.IsSpace(runeAfter(body, i+len(s), pe)) {
			return len(s)
		}
	}
	return 0
}

// judgeApostrophe takes from a single mark what an apostrophe explains:
// inside a word (don't, O'Brien), before a year ('90s) or an elided word
// ('em), and, weakly, after a word that a space and a lower-case word
// follow (the boys' mothers, goin' home).
func judgeApostrophe(body string, pe int, m quoteMark, before, after rune) quoteMark {
	if isLetterOrDigit(before) && isLetterOrDigit(after) {
		m.open, m.close = false, false
		return m
	}
	if m.open && body[m.at] != '`' {
		j := m.at + m.size
		k := j
		for k < pe {
			r, s := utf8.DecodeRuneInString(body[k:pe])
			if !isLetterOrDigit(r) {
				break
			}
			k += s
		}
		if unicode.IsDigit(after) && k-j <= 4 || k-j <= 5 && hasFold(elisions, body[j:k]) {
			m.open = false
		}
	}
	if m.close && unicode.IsLetter(before) && unicode.IsSpace(after) &&
		unicode.IsLower(runeAfter(body, skipSpace(body, m.at+m.size, pe), pe)) {
		m.weak = true
	}
	return m
}

// pairMarks pairs the marks of one paragraph into quotations, outermost
// first, and records every mark that is a quotation mark.
//
// runOn: a carried opener (of no width) may run to the end of the
// paragraph. lone is the offset of the last single mark that certainly
// opens a quotation but closes nowhere in the paragraph, or -1.
func pairMarks(body string, ms []quoteMark, ps, pe int, nextOpens, runOn bool, dst []quote, marks [][2]int) ([]quote, [][2]int, int) {
	dangling := danglingOpener(body, ps, pe) // the paragraph's last mark, left for the next one
	lone := -1
	for i := 0; i < len(ms); {
		m := ms[i]
		if !m.open {
			if !m.single {
				marks = append(marks, m.span()) // a stray double mark
			}
			i++
			continue
		}
		k, closed, inner := matchClose(ms, i, nextOpens)
		switch {
		case k >= 0 && closed:
			marks = append(append(appendMark(marks, m.span()), inner...), ms[k].span())
			dst = appendQuote(body, dst, m.at, m.size, ms[k].at, true, ps)
			i = k + 1
		case k >= 0:
			// Another quotation opens before this one closed: it ends there.
			marks = append(appendMark(marks, m.span()), inner...)
			dst = appendQuote(body, dst, m.at, m.size, ms[k].at, false, ps)
			i = k
		case !m.single || nextOpens && (m.at == ps || afterColon(body, ps, m.at) && certainOpener(body, ps, pe, m)) ||
			m.size == 0 && (runOn || dangling != 0) ||
			dangling == 's' && certainOpener(body, ps, pe, m):
			// Open to the end of the paragraph: a single quotation too if
			// the next paragraph reopens it ("He said: 'First paragraph."
			// then "'Second paragraph.'"), or the mark that ends this one
			// does ("He said: 'First paragraph. '" then "Second
			// paragraph.'": copy split after a sentence, which left the
			// next one's opening mark behind). That mark is not the
			// quotation's.
			end := pe
			if dangling != 0 {
				_, size := utf8.DecodeLastRuneInString(body[ps:pe])
				end = max(pe-size, m.at+m.size)
			}
			marks = append(appendMark(marks, m.span()), inner...)
			return appendQuote(body, dst, m.at, m.size, end, false, ps), marks, -1
		default:
			if certainOpener(body, ps, pe, m) {
				lone = m.at
			}
			i++ // a single mark that closes nowhere: an apostrophe, or a quotation running on
		}
	}
	return dst, marks, lone
}

// matchClose finds the mark ms[k] that closes the quotation opened by
// ms[i], and the marks of the quotations nested inside it. closed is false
// when another quotation of the same kind opens at ms[k] first; k is -1
// when the quotation runs to the end of the paragraph. A weak closer (an
// apostrophe perhaps) closes only if no strong one follows.
func matchClose(ms []quoteMark, i int, nextOpens bool) (k int, closed bool, inner [][2]int) {
	o := ms[i]
	weak, weakInner := -1, 0
	for k = i + 1; k < len(ms); k++ {
		m := ms[k]
		if m.single != o.single {
			// The other kind of mark: a nested quotation, or an apostrophe.
			if !m.open {
				continue
			}
			if j, ok, sub := matchClose(ms[:closeBound(ms, i, k)], k, false); ok {
				inner = append(append(append(inner, m.span()), sub...), ms[j].span())
				k = j
			}
			continue
		}
		if m.close || m.closesLow && o.lowOpen {
			if !m.weak {
				return k, true, inner
			}
			if weak < 0 {
				weak, weakInner = k, len(inner)
			}
			continue
		}
		// A new quotation of the same kind.
		if weak >= 0 {
			return weak, true, inner[:weakInner]
		}
		if o.single {
			return -1, false, inner
		}
		return k, false, inner
	}
	if weak >= 0 && !(o.single && nextOpens) {
		return weak, true, inner[:weakInner]
	}
	return -1, false, inner
}

// closeBound limits the search for a nested quotation's end to the marks
// before the first one that strongly closes the outer quotation ms[i].
func closeBound(ms []quoteMark, i, k int) int {
	for j := k + 1; j < len(ms); j++ {
		if ms[j].single == ms[i].single && ms[j].close && !ms[j].weak {
			return j
		}
	}
	return len(ms)
}

func appendQuote(body string, dst []quote, open, size, close int, closed bool, paraStart int) []quote {
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

func runeBefore(body string, ps, i int) rune {
	if i <= ps {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(body[ps:i])
	return r
}

func runeAfter(body string, i, pe int) rune {
	if i >= pe {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(body[i:pe])
	return r
}

// isOpenSide reports whether a mark after r is on the opening side of a
// quotation: at the start, after a space, a bracket, a dash or a colon, or
// after another mark.
func isOpenSide(r rune) bool {
	switch r {
	case 0, '(', '[', '{', '—', '–', '-', '/', ':':
		return true
	}
	return unicode.IsSpace(r) || isMarkRune(r)
}

// isRightPunct reports whether a mark before r may close a quotation.
func isRightPunct(r rune) bool {
	switch r {
	case '.', ',', ';', ':', '!', '?', ')', ']', '}', '—', '–', '-', '/', '…':
		return true
	}
	return false
}

func isMarkRune(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»', '\'', '‘', '’', '‚', '‹', '›', '`':
		return true
	}
	return false
}

func isLetterOrDigit(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
