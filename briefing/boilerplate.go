package briefing

// What in an article body is not the story: navigation and sharing prompts,
// bylines and timestamps, photo captions and credits, headings, datelines,
// and the markers of opinion pieces. The body is never changed (claims'
// offsets point into it); sentences are marked instead, and the briefing
// shows none of these.

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// sentRole says what a sentence of a body is to a briefing.
type sentRole uint8

const (
	roleNews        sentRole = iota // a sentence of the story
	roleBoilerplate                 // navigation, byline, timestamp, credit, label: never shown
	roleCaption                     // a photo caption: never shown
	roleHeading                     // no final punctuation: a title, heading or kicker, or a cut line
	roleSpeech                      // someone's words without quotation marks: a transcript, a signed comment
)

// markSentences gives each sentence its role.
func markSentences(body string, sents []Sentence) []sentRole {
	roles := make([]sentRole, len(sents))
	labelPara := -1  // a paragraph that is only a label ("Skilful:"): an unpunctuated one after it is a caption
	speechPara := -1 // a paragraph of someone's words
	tail := false    // past "About Pellham Foods" or "Notes to editors": a press release's boilerplate
	for i, s := range sents {
		text := s.Text(body)
		if tail || i > 0 && releaseTail(text) {
			tail = true
			roles[i] = roleBoilerplate
			continue
		}
		boiler := isBoilerplate(text)
		if !boiler && (i == 0 || sents[i-1].Para != s.Para) && (speakerLabel(text) || signed(body, sents, i)) {
			speechPara = s.Para
		}
		switch {
		case s.Para == speechPara && !boiler:
			roles[i] = roleSpeech
		case boiler:
			roles[i] = roleBoilerplate
			if isLabel(text) && (i+1 == len(sents) || sents[i+1].Para != s.Para) {
				labelPara = s.Para
				if isName(strings.TrimSuffix(text, ":")) {
					speechPara = s.Para + 1 // "Joy Smith:" then her words
				}
			}
		case s.Para == labelPara+1 && labelPara >= 0 && !endsSentence(text), isCaption(text):
			roles[i] = roleCaption
		case !endsSentence(text):
			roles[i] = roleHeading
		}
	}
	return roles
}

// releaseTail reports whether text is the heading that starts the end
// matter of a press release: "About Pellham Foods", "Notes to editors".
func releaseTail(text string) bool {
	if endsSentence(text) || len(text) > 60 {
		return false
	}
	return hasPrefixFold(text, "About ") || hasPrefixFold(text, "Notes to editor") || hasPrefixFold(text, "Note to editor")
}

// speakerLabel reports whether text opens with a transcript's speaker
// label: "WALLACE: …", "Q: …", "MR. LEE: …" (a word in capitals and a colon).
func speakerLabel(text string) bool {
	text = strings.TrimLeft(text, "\"“”'‘ ")
	i := strings.IndexByte(text, ':')
	if i < 1 || i > 30 {
		return false
	}
	label := text[:i]
	return strings.ToUpper(label) == label && strings.ToLower(label) != label && !strings.ContainsAny(label, "0123456789") &&
		(i == 1 || hasCapsWord(label, 2))
}

// signed reports whether the paragraph starting at sentence i ends with a
// signature: "… ― Sonya Herridge", "…” — Jane Doe, Ohio". Such a paragraph
// is that person's words.
func signed(body string, sents []Sentence, i int) bool {
	j := i
	for j+1 < len(sents) && sents[j+1].Para == sents[i].Para {
		j++
	}
	text := body[max(sents[i].Start, sents[j].End-120):sents[j].End] // a signature is short
	k := lastDash(text)
	if k < 0 {
		return false
	}
	name := strings.TrimSpace(strings.TrimLeft(text[k:], "―—"))
	words := strings.Fields(strings.TrimRight(name, "."))
	if len(words) == 0 || len(words) > 6 {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// lastDash returns where the last "―" or "—" of text starts, or -1: both
// open with the byte 0xE2, so the last of either is the last 0xE2 that
// starts one.
func lastDash(text string) int {
	for k := len(text); ; {
		if k = strings.LastIndexByte(text[:k], 0xE2); k < 0 {
			return -1
		}
		if strings.HasPrefix(text[k:], "―") || strings.HasPrefix(text[k:], "—") {
			return k
		}
	}
}

// boilerplateByFirst holds boilerplateStarts by their first byte.
var boilerplateByFirst = func() (m [256][]string) {
	for _, p := range boilerplateStarts {
		m[p[0]] = append(m[p[0]], p)
	}
	return m
}()

// lowerByte lower-cases an ASCII letter.
func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// isBoilerplate reports whether a sentence is navigation, a byline, a
// timestamp, a credit or a caption label.
func isBoilerplate(text string) bool {
	if text == "" {
		return false
	}
	if boilerplateStart(text) {
		return true
	}
	for _, p := range boilerplateEnds {
		if len(text) >= len(p) && strings.EqualFold(text[len(text)-len(p):], p) {
			return true
		}
	}
	if t := strings.Trim(text, ".: "); len(t) < 16 && lowerKey(boilerplateWords, t) {
		return true
	}
	if strings.Contains(text, "|") && (strings.Contains(text, "PUBLISHED") || strings.Contains(text, "UPDATED")) {
		return true
	}
	return isByline(text) || isLabel(text) || isCredit(text)
}

// boilerplateStart reports whether a sentence opens with a prompt or a
// credit of boilerplateStarts ("Scroll down for video", "Click here").
func boilerplateStart(text string) bool {
	if text == "" {
		return false
	}
	for _, p := range boilerplateByFirst[lowerByte(text[0])] {
		if hasPrefixFold(text, p) {
			return true
		}
	}
	return false
}

// hasPrefixFold reports whether s starts with prefix, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isByline reports whether text is a byline: "By" and at most ten words, all
// names or byline words.
func isByline(text string) bool {
	rest, ok := strings.CutPrefix(text, "By ")
	if !ok {
		if rest, ok = strings.CutPrefix(text, "BY "); !ok {
			return false
		}
	}
	words := strings.FieldsFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '|' || r == '&' })
	if len(words) == 0 || len(words) > 10 {
		return false
	}
	for _, w := range words {
		w = strings.Trim(w, ".")
		if w == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !lowerKey(bylineWords, w) {
			return false
		}
	}
	return true
}

// isLabel reports whether text is a short label ending in a colon, alone:
// a caption's title ("Skilful:") or a speaker's name in a transcript.
func isLabel(text string) bool {
	if !strings.HasSuffix(text, ":") {
		return false
	}
	n := len(strings.Fields(text))
	r, _ := utf8.DecodeRuneInString(text)
	return n <= 5 && unicode.IsUpper(r)
}

// isCredit reports whether text is a photo credit: "(Photo: Getty Images)",
// "Jane Doe/Reuters", "AFP/Getty Images".
func isCredit(text string) bool {
	t := strings.Trim(text, "()[] .")
	if len(t) > 60 {
		return false
	}
	if isASCII(t) {
		// The tests below without lowering t: for ASCII text, ToLower and
		// EqualFold fold the same letters, byte for byte, and each test
		// needs t to end with the credit word.
		for _, w := range creditWords {
			if len(t) < len(w) || !strings.EqualFold(t[len(t)-len(w):], w) {
				continue
			}
			rest := t[:len(t)-len(w)]
			if strings.HasSuffix(rest, "/") || strings.HasSuffix(rest, "/ ") || rest == "" ||
				len(rest) >= len("photo: ") && strings.EqualFold(rest[len(rest)-len("photo: "):], "photo: ") {
				return true
			}
		}
		return false
	}
	low := strings.ToLower(t)
	for _, w := range creditWords {
		if strings.HasSuffix(low, "/"+w) || strings.HasSuffix(low, "/ "+w) || low == w || strings.HasSuffix(low, "photo: "+w) {
			return true
		}
	}
	return false
}

// isCaption reports whether text is a photo caption: it starts with
// "Pictured", or it names a position in a picture ("(left)", "(pictured)")
// and does not end like a sentence of the story.
func isCaption(text string) bool {
	for _, p := range captionStarts {
		if hasPrefixFold(text, p) {
			return true
		}
	}
	if endsSentence(text) {
		return false
	}
	low := strings.ToLower(text)
	for _, m := range captionMarks {
		if strings.Contains(low, m) {
			return true
		}
	}
	return false
}

// endsSentence reports whether text ends like a sentence: with terminal
// punctuation, perhaps inside closing quotes or brackets.
func endsSentence(text string) bool {
	t := strings.TrimRightFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || r == '"' || r == '\'' || r == '”' || r == '’' || r == ')' || r == ']' || r == '»'
	})
	r, _ := utf8.DecodeLastRuneInString(t)
	return r == '.' || r == '!' || r == '?' || r == '…'
}

// dateline matches a dateline or agency tag at the start of a story:
// "(CNN)", "WASHINGTON —", "SELMA, Alabama (CNN) --", "LONDON, March 3
// (Reuters) -", "CHARLOTTE - ".
var dateline = regexp.MustCompile(`^(?:(?:[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*(?:, [A-Z][A-Za-z.]*(?: [A-Z0-9][A-Za-z0-9.]*){0,2})? *(?:\([A-Za-z][A-Za-z .]*\))? *(?:--|—|–|-|:) *)|(?:[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*(?:, [A-Z][A-Za-z.]*(?: [A-Z0-9][A-Za-z0-9.]*){0,2})? *\([A-Za-z][A-Za-z .]*\) *(?:--|—|–|-)? *)|(?:\((?:CNN|AP|Reuters|AFP|UPI|Bloomberg|dpa|Xinhua)[A-Za-z ]*\) *(?:--|—|–|-)? *))`)

// taggedPlace matches a place in ordinary case before an agency's tag:
// "Kathmandu, Nepal (CNN)", "Rio de Janeiro (Reuters) -".
var taggedPlace = regexp.MustCompile(`^[A-Z][A-Za-z.'’-]*(?: [A-Za-z][A-Za-z.'’-]*){0,3}(?:, [A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*){0,2})? \((?:CNN|AP|Reuters|AFP|UPI|Bloomberg|dpa|Xinhua)\) *(?:--|—|–|-)? *`)

// datelineLen returns how many bytes of text, from its start, are a
// dateline, an agency tag or a kicker ("Exclusive:"); 0 if none.
func datelineLen(text string) int {
	if text == "" || text[0] != '(' && (text[0] < 'A' || text[0] > 'Z') {
		return 0
	}
	if i := strings.Index(text[:min(len(text), 14)], ": "); i > 0 && lowerKey(kickers, text[:i]) {
		return i + 2 + datelineLen(text[i+2:]) // "Exclusive: …", "UPDATE: WASHINGTON — …"
	}
	if i := strings.Index(text[:min(len(text), 60)], " ("); i > 0 && text[0] != '(' && !capsWordAt(text) {
		if loc := taggedPlace.FindStringIndex(text[:min(len(text), 80)]); loc != nil {
			return loc[1] // "Kathmandu, Nepal (CNN)"
		}
	}
	if text[0] != '(' && !capsWordAt(text) {
		return 0 // a dateline opens with a place in capitals or a tag in brackets
	}
	head := text[:min(len(text), 100)] // a dateline is short: match its start only
	loc := dateline.FindStringIndex(head)
	if loc == nil || loc[1] == len(head) {
		return 0
	}
	// "U.S. -" or "AT&T -" alone is too little to be a place; a dateline's
	// capitals make a word of at least three letters.
	if m := text[:loc[1]]; !strings.HasPrefix(m, "(") && !hasCapsWord(m, 3) {
		return 0
	}
	return loc[1]
}

// capsWordAt reports whether text opens with a word of two or more
// capital letters ("WASHINGTON", "NEW YORK", "ST. LOUIS").
func capsWordAt(text string) bool {
	n := 0
	for n < len(text) && 'A' <= text[n] && text[n] <= 'Z' {
		n++
	}
	return n >= 2
}

// hasCapsWord reports whether s holds a run of at least n capital letters.
func hasCapsWord(s string, n int) bool {
	run := 0
	for _, r := range s {
		if 'A' <= r && r <= 'Z' {
			run++
			if run >= n {
				return true
			}
			continue
		}
		run = 0
	}
	return false
}

// Labels of articles that are not reporting, and the markers that give
// them away.
const (
	labelOpinion   = "Opinion"
	labelEditorial = "Editorial"
	labelLetter    = "Letter to the editor"
	labelRelease   = "Press release"
)

// opinionLabel says whether an article is opinion or a press release
// rather than reporting: "Opinion", "Editorial", "Letter to the editor" or
// "Press release", from its title, its link, a first line such as
// "OPINION", or a note such as "The views expressed … are solely those of
// the author". It returns "" for reporting.
func opinionLabel(a *Article, sents []Sentence) string {
	for _, t := range opinionTitles {
		if hasPrefixFold(a.Title, t.prefix) {
			return t.label
		}
	}
	url := strings.ToLower(a.URL)
	for _, p := range opinionPaths {
		if strings.Contains(url, p.part) {
			return p.label
		}
	}
	if len(sents) == 0 {
		return ""
	}
	if label := lowerKey(firstLineLabels, strings.TrimRight(sents[0].Text(a.Body), ".:")); label != "" {
		return label
	}
	// Notes and markers stand at the top or the bottom.
	for i, s := range sents {
		if i >= 4 && i < len(sents)-3 {
			continue
		}
		text := s.Text(a.Body)
		for _, m := range openingMarks {
			if hasPrefixFold(text, m.mark) {
				return m.label
			}
		}
		if len(text) > 400 {
			continue
		}
		for _, m := range noteMarks {
			if containsFold(text, m.mark) {
				return m.label
			}
		}
	}
	return ""
}
