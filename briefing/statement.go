package briefing

// Whether a claim can stand as a bullet: a whole statement, in the author's
// voice only when nobody else's words are in it, and attributed only to a
// speaker the engine is sure of.

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// wholeStatement reports whether text, a bullet's claim as shown, reads as
// a complete statement: it opens with a capital, a digit or (quoted) an
// opening mark, not with a word that continues a sentence; it has a few
// words; and its quotation marks pair up.
func wholeStatement(text string) bool {
	if wordCount(text) < 5 {
		return false // a bare noun or a shard
	}
	r, _ := utf8.DecodeRuneInString(text)
	if !unicode.IsUpper(r) && !unicode.IsDigit(r) && r != '$' && r != '£' && r != '€' {
		return false
	}
	first, rest, _ := strings.Cut(text, " ")
	var buf [16]byte
	w := first // strings.TrimRight(first, ",;:")
	for len(w) > 0 && (w[len(w)-1] == ',' || w[len(w)-1] == ';' || w[len(w)-1] == ':') {
		w = w[:len(w)-1]
	}
	if len(w) <= len(buf) {
		w = string(appendToLower(buf[:0], w)) // short: the conversion is free in a map lookup
	}
	if fragmentStarts[w] {
		return false
	}
	// "Adding, …", "Saying: …": a participle whose subject was cut; "It,
	// from crop insurance …": a pronoun cut from its verb.
	if strings.ContainsAny(first[len(first)-1:], ",:") && (strings.HasSuffix(w, "ing") || pronouns[w]) {
		return false
	}
	if strings.HasSuffix(strings.TrimSpace(rest), ":") || strings.HasSuffix(text, ",") {
		return false
	}
	// "Court how she saw …": the object of "told the court how", cut from
	// its verb.
	if second, _, _ := strings.Cut(rest, " "); second == "how" && !howOpeners[w] {
		return false
	}
	return quotesPaired(text) && singleQuotesPaired(text) && !runIn(text)
}

// singleQuotesPaired reports whether the single quotation marks of text
// (British quotes: 'We were lucky,' he added) pair up: no quote is left
// open and none closes that did not open in text. Apostrophes are not
// quotes: don't, O'Neill, '90s, Jr.'s, the boys' mothers (a plural
// possessive closes a quote only when one is open).
func singleQuotesPaired(text string) bool {
	if !mayHoldSingleQuote(text) {
		return true // most texts: no mark to pair
	}
	open, digits := 0, 0 // digits: marks before a digit, '90s or a quoted '3'
	prev := ' '
	for i, r := range text {
		if r == '‘' {
			next, _ := utf8.DecodeRuneInString(text[i+len("‘"):])
			switch {
			case unicode.IsLetter(prev) && unicode.IsLetter(next): // Trump‘s, a mark for an apostrophe
			case unicode.IsDigit(next): // ‘16
				digits++
			default:
				open++
			}
		} else if r == '\'' || r == '’' {
			rest := text[i+utf8.RuneLen(r):]
			next, size := utf8.DecodeRuneInString(rest)
			after, _ := utf8.DecodeRuneInString(rest[size:])
			switch {
			case unicode.IsLetter(prev) && unicode.IsLetter(next): // don't, O'Neill
			case prev != ' ' && prev != '\n' && next == 's' && !unicode.IsLetter(after): // Jr.'s
			case !isWordRune(prev) && unicode.IsDigit(next): // '90s, or a quoted '3'
				digits++
			case !isWordRune(prev) && unicode.IsLetter(next):
				open++
			case (prev == 's' || prev == 'S') && !unicode.IsLetter(next): // the boys' mothers, ISIS’ leader, or a close
				if open > 0 {
					open--
				}
			case !isWordRune(next) && (isWordRune(prev) || strings.ContainsRune(".,!?", prev)):
				switch {
				case open > 0:
					open--
				case digits > 0:
					digits--
				default:
					return false // closes a quote that opened before the text
				}
			}
		}
		prev = r
	}
	return open == 0
}

// mayHoldSingleQuote reports whether text may hold a ' or a curly single
// mark (‘ or ’, which start with the byte 0xE2).
func mayHoldSingleQuote(text string) bool {
	for i := 0; i < len(text); i++ {
		if c := text[i]; c == '\'' || c == 0xE2 {
			return true
		}
	}
	return false
}

// quotesPaired reports whether the double quotation marks of text pair up:
// as many opening curly marks as closing ones, as many pairs of backquotes as
// pairs of apostrophes, and an even number of straight marks.
func quotesPaired(text string) bool {
	q := countQuotes(text)
	return q.open == q.close && q.straight%2 == 0 && q.backquotes == q.apostrophes
}

// quoteBytes holds the bytes countQuotes looks at: the straight double
// mark, the backquote, the apostrophe and the first bytes of the curly
// marks.
var quoteBytes = [256]bool{'"': true, '`': true, '\'': true, 0xC2: true, 0xE2: true}

// quoteCount is what countQuotes finds in a text.
type quoteCount struct {
	open        int // “, « and „
	close       int // ” and »
	straight    int // "
	backquotes  int // strings.Count(text, "``")
	apostrophes int // strings.Count(text, "''")
}

// countQuotes counts the double quotation marks of text in one pass over
// its bytes: the curly marks as ranging over its runes finds them (a mark's
// bytes begin a rune wherever they stand), the pairs of backquotes and of
// apostrophes as strings.Count does (left to right, not overlapping).
func countQuotes(text string) quoteCount {
	var q quoteCount
	for i := 0; i < len(text); i++ {
		if !quoteBytes[text[i]] {
			continue // most bytes: one look in the table
		}
		switch text[i] {
		case '"':
			q.straight++
		case '`':
			if i+1 < len(text) && text[i+1] == '`' {
				q.backquotes++
				i++
			}
		case '\'':
			if i+1 < len(text) && text[i+1] == '\'' {
				q.apostrophes++
				i++
			}
		case 0xC2: // « U+00AB, » U+00BB
			if i+1 < len(text) {
				switch text[i+1] {
				case 0xAB:
					q.open++
				case 0xBB:
					q.close++
				}
			}
		case 0xE2: // “ U+201C, ” U+201D, „ U+201E
			if i+2 < len(text) && text[i+1] == 0x80 {
				switch text[i+2] {
				case 0x9C, 0x9E:
					q.open++
				case 0x9D:
					q.close++
				}
			}
		}
	}
	return q
}

// hasQuoteMark reports whether text holds a quotation mark: a double one,
// two backquotes or two apostrophes, or a single one used as a quote
// ('We were lucky,' he added) rather than an apostrophe (don't, '90s, the
// boys' mothers).
func hasQuoteMark(text string) bool {
	if strings.ContainsAny(text, "\"“”«»„") || strings.Contains(text, "``") || strings.Contains(text, "''") {
		return true
	}
	prev := ' '
	for i, r := range text {
		if r == '‘' || r == '‚' {
			return true
		}
		if r == '\'' || r == '’' {
			next, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):])
			switch {
			case unicode.IsLetter(prev) && unicode.IsLetter(next): // don't, Hamas’s
			case !isWordRune(prev) && unicode.IsDigit(next): // '90s
			case prev == 's' && !unicode.IsLetter(next): // the boys' mothers
			case !isWordRune(prev) && unicode.IsLetter(next):
				return true // an opening quote
			case !isWordRune(next) && (unicode.IsLetter(prev) || strings.ContainsRune(".,!?", prev)):
				return true // a closing quote
			}
		}
		prev = r
	}
	return false
}

// authorVoice reports whether a sentence can be shown as the article's own
// reporting: no quotation marks, questions, colons or first person (unless
// the article is an opinion piece, whose "I" is its author), and no word
// that reports someone's speech, belief or finding. A sentence like that
// whose attribution the extractor did not find would otherwise show
// someone's claim as fact; leaving it out says less, which is safer.
func authorVoice(text string, opinion bool) bool {
	if hasQuoteMark(text) || strings.ContainsAny(text, "?;") || !endsSentence(text) {
		return false
	}
	for i := 0; i < len(text); i++ {
		if text[i] == ':' && (i == 0 || i+1 >= len(text) || !isDigitByte(text[i-1]) || !isDigitByte(text[i+1])) {
			return false // a colon that is not in a time (9:30)
		}
	}
	if fieldCount(text) < 8 {
		return false
	}
	for _, p := range reportingPhrases {
		if containsFold(text, p) {
			return false
		}
	}
	// In an opinion piece, what "I" or "we" think or feel is the author's
	// voice: "I was dismayed that …".
	first, _, _ := strings.Cut(text, " ")
	own := opinion && firstPerson[strings.ToLower(first)]
	clean := true
	forEachWordBytes(text, func(w []byte) {
		if firstPerson[string(w)] && !opinion || reportingWords[string(w)] && !own {
			clean = false
		}
	})
	return clean
}

// solidSpeaker reports whether a speaker is one a reader can be shown with
// confidence: no digits (vote counts and percentages are not sources), not
// opening like a clause, and either a name (capitalized) or a description
// whose head is a person, a role, a group, an organization or a document.
func solidSpeaker(sp string) bool {
	sp = strings.TrimSpace(sp)
	if sp == "" || strings.ContainsAny(sp, "0123456789%") {
		return false
	}
	var room [32]string
	var lower [32]byte
	words := appendFields(room[:0], sp)
	if lowerKey(notSpeakerStarts, trimBare(words[0], ",.")) {
		return false
	}
	// The head: the last word before a preposition. A clause word inside
	// ("Minutes later", "her networks in") means the phrase is not a name.
	head := len(words) - 1
	for k := 1; k < len(words); k++ {
		w := trimBare(words[k], ",.")
		if needsLower(w) {
			w = string(appendToLower(lower[:0], w))
		}
		if npPreps[w] || w == "by" {
			if k == len(words)-1 {
				return false
			}
			head = k - 1
			// "a survey conducted by …": the head is before the participle.
			for head > 0 && strings.HasSuffix(string(appendToLower(lower[:0], words[head])), "ed") {
				head--
			}
			break
		}
		if notSpeakerStarts[w] || monthNames[w] || dayNames[w] || reportingWords[w] && !speakerHeads[w] {
			return false
		}
		if strings.HasSuffix(w, "ed") && k+1 < len(words) && lowerKey(determiners, words[k+1]) {
			return false // "prosecutors charged the officer": a clause
		}
	}
	hw := trimBare(words[head], ",.")
	low := hw
	if needsLower(low) {
		low = string(appendToLower(lower[:0], low))
	}
	r, _ := utf8.DecodeRuneInString(hw)
	if !unicode.IsUpper(r) {
		return isRoleWord(low) || speakerHeads[low] || speakerHeads[singular(low)] || anonHeads[low] ||
			orgNouns[low] || outletNouns[low]
	}
	if adjectiveName(low) {
		return false // "Republican", "Popular Christian"
	}
	if len(words) == 2 && romanNumeral(hw) && lowerKey(numberedNouns, words[0]) {
		return false // "Type II" (diabetes), "Phase III"
	}
	if len(words) > 1 {
		return true // a name, or a description ending in one
	}
	return solidSingleName(hw)
}

// adjectiveName reports whether a capitalized word is more likely an
// adjective of nation, party or faith than a name: Republican, Japanese,
// British, Democratic.
func adjectiveName(low string) bool {
	if knownOutlets[low] {
		return false
	}
	for _, suf := range adjectiveEnds {
		if strings.HasSuffix(low, suf) && len(low) > len(suf)+3 {
			return true
		}
	}
	return false
}

// solidSingleName reports whether a one-word speaker can be a source:
// not a dateline in capitals (WASHINGTON), a participle or adverb that
// opened a sentence (Speaking, Shortly), an adjective (Republican,
// Japanese) or a state.
func solidSingleName(w string) bool {
	low := strings.ToLower(w)
	if knownOutlets[low] || speakerHeads[low] {
		return true
	}
	if len(w) > 4 && strings.ToUpper(w) == w || strings.Contains(strings.TrimSuffix(w, "."), ".") {
		return false // WASHINGTON, S.C.; acronyms are shorter and have no dots
	}
	for _, suf := range notNameEnds {
		if strings.HasSuffix(low, suf) {
			return false
		}
	}
	return !usStates[low] && !starters[w] && !monthNames[low] && !dayNames[low]
}

// romanNumeral reports whether w is a Roman numeral up to XX.
func romanNumeral(w string) bool {
	return w != "" && strings.Trim(w, "IVX") == "" && len(w) <= 5
}

// quoteMarks counts the double quotation marks in s (a pair of backquotes
// or apostrophes counts as one).
func quoteMarks(s string) int {
	q := countQuotes(s)
	return q.backquotes + q.apostrophes + q.open + q.close + q.straight
}

// quotedStarts reports for each sentence whether it starts inside a
// quotation that opened earlier in its paragraph: an odd number of double
// quotation marks stand before it. A sentence in the middle of a long
// quote carries no marks of its own.
func quotedStarts(body string, sents []Sentence) []bool {
	out := make([]bool, len(sents))
	n := 0
	for i, s := range sents {
		if i > 0 && sents[i-1].Para != s.Para {
			n = 0
		}
		out[i] = n%2 == 1
		n += quoteMarks(s.Text(body))
	}
	return out
}

// fieldCount is len(strings.Fields(s)), without allocating.
func fieldCount(s string) int {
	n, in := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			in = false
		} else if !in {
			n++
			in = true
		}
	}
	return n
}

// runIn reports whether text runs two sentences together without a full
// stop between them: a caption or a photo credit glued to the sentence
// after it ("… the minute's silence The ceremony …", "… in 2009 In
// February, the pair …"). A word that opens a sentence follows, with a
// capital, a word in lower case, a number or a closing quotation mark;
// "The" only before a word in lower case ("by The Times" is a name).
func runIn(text string) bool {
	var room [64]string
	words := appendFields(room[:0], text)
	for i := 1; i+1 < len(words); i++ {
		w := words[i]
		// A quotation opens with a straight mark or a curly one (not ASCII).
		if c := w[0]; (c == '\'' || c == '"' || c >= utf8.RuneSelf) && quotedFirstPerson(w) {
			// "… as manager on Friday ‘I’d be over the moon …’": a
			// caption's quotation, glued on after a name with no cue or
			// comma (after a word in lower case, a quoted phrase: the
			// slogan is “I’m with her”).
			first, _ := utf8.DecodeRuneInString(words[i-1])
			last, _ := utf8.DecodeLastRuneInString(words[i-1])
			if unicode.IsUpper(first) && unicode.IsLetter(last) && lowerKey(cueVerbs, words[i-1]) == 0 {
				return true
			}
		}
		if w[0]-'A' >= 26 || !runInOpeners[w] {
			continue // every opener starts with an ASCII capital
		}
		if w == "The" {
			if r, _ := utf8.DecodeRuneInString(words[i+1]); !unicode.IsLower(r) {
				continue
			}
		}
		last, _ := utf8.DecodeLastRuneInString(words[i-1])
		first, _ := utf8.DecodeRuneInString(words[i-1])
		if (unicode.IsLower(first) || unicode.IsDigit(first)) && (unicode.IsLower(last) || unicode.IsDigit(last)) {
			return true
		}
		if strings.ContainsRune("'’”\"", last) && len(words[i-1]) > 1 {
			// A closing mark, unless a full stop ends the quotation.
			p := strings.TrimRight(words[i-1], "'’”\"")
			if e, _ := utf8.DecodeLastRuneInString(p); p != "" && !strings.ContainsRune(".!?", e) {
				return true
			}
		}
	}
	return false
}

// quotedFirstPerson reports whether w opens a quotation in the first
// person: ‘I’d, "I, 'We.
func quotedFirstPerson(w string) bool {
	r, size := utf8.DecodeRuneInString(w)
	if !strings.ContainsRune("‘'“\"", r) {
		return false
	}
	rest := strings.TrimRight(w[size:], ",.!?")
	if rest == "I" || rest == "We" || rest == "My" || rest == "Our" {
		return true
	}
	for _, p := range [...]string{"I’", "I'", "We’", "We'"} {
		if strings.HasPrefix(rest, p) {
			return true
		}
	}
	return false
}

// verbLike reports whether text holds a word that may be its verb: a
// finite or irregular past form, a contraction ("didn't"), or a word in
// lower case ending like a verb ("-ed", "-s", "-ing"). A short text with
// none is a noun phrase ("Caleb Barnes, to a concert"); a long one may
// have a verb in its base form, so only short ones are judged by it.
func verbLike(text string) bool {
	first, _, _ := strings.Cut(text, " ")
	if l := strings.ToLower(first); pronounForms[l] || pronouns[l] || strings.HasPrefix(l, "it'") || strings.HasPrefix(l, "it’") {
		return true // "They want …", "It's not …": a pronoun has its verb next
	}
	for w := range strings.FieldsSeq(text) {
		w = strings.Trim(w, ".,;:!?\"'“”‘’()")
		if strings.Contains(w, "n't") || strings.Contains(w, "n’t") {
			return true
		}
		if w == "" || !isLowerWord(w) {
			continue
		}
		if finiteWords[w] || irregularPasts[w] || commonPasts[w] || len(w) > 3 && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing") ||
			strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss")) {
			return true
		}
	}
	return false
}
