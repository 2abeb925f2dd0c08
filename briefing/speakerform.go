package briefing

// How a bullet names its speaker: as the article had it. A speaker that is
// a common noun ("survey", "Labour MP") keeps the article the text gave it
// ("the survey", "a Labour MP"), and a role capitalised only because it
// opened a sentence ("Deputy finance minister Dimitris Mardas said …") is
// written in lower case after the name. Claim.Speaker itself stays the
// bare phrase: that is what claims --json carries and what is matched.

import (
	"github.com/briefbot/briefbot/internal/textutil"
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"
)

// AttributionIn is [Attribution] of c with its speaker and role as body,
// the text of c's article, wrote them: "according to the survey" rather
// than "according to survey", as the article's briefing bullets have it.
// It segments body if the speaker needs it; c's offsets must be into body.
// Without a body it is Attribution(c).
func AttributionIn(body string, c Claim) string {
	if body == "" {
		return Attribution(c)
	}
	return Attribution(asWritten(body, func() []Sentence { return Segment(body) }, c))
}

// AttributionOf is [AttributionIn] of c, a claim of the analysed
// article, with the sentences the analysis already has.
func (an *Analysis) AttributionOf(c Claim) string {
	if an.Sentences == nil || an.Article.Body == "" {
		return AttributionIn(an.Article.Body, c)
	}
	return Attribution(asWritten(an.Article.Body, func() []Sentence { return an.Sentences }, c))
}

// SpeakerIn is c's speaker as body, the text of c's article, wrote it,
// as [AttributionIn] names it: "the survey" for the speaker "survey".
func SpeakerIn(body string, c Claim) string {
	return speakerAsWritten(body, func() []Sentence { return Segment(body) }, c)
}

// asWritten is c with the speaker and role as the article (body, whose
// sentences sents returns) wrote them, for rendering only.
func asWritten(body string, sents func() []Sentence, c Claim) Claim {
	shown := c
	shown.Speaker = speakerAsWritten(body, sents, c)
	shown.SpeakerRole = roleAsWritten(body, c.SpeakerRole)
	return shown
}

// speakerAsWritten returns c's speaker with the determiner ("the", "a",
// "an") the article put before it, where the speaker is a common noun
// phrase that needs one; otherwise the speaker unchanged. A speaker the
// article introduced earlier with "a" is "the" speaker of a later claim.
// sentsOf returns the body's sentences; it is called only for such a speaker.
func speakerAsWritten(body string, sentsOf func() []Sentence, c Claim) string {
	sp := c.Speaker
	if c.Anonymous && !mentionsAnonymity(sp) {
		return sp // shown as "anonymous <speaker>"
	}
	if !needsDeterminer(sp) {
		// "Officials", "Court records": a group or a document that
		// opened its sentence.
		words := strings.Fields(sp)
		if len(words) == 0 {
			return sp
		}
		low, ok := openingCapital(body, words)
		last := strings.ToLower(words[len(words)-1])
		if ok && !strings.ContainsAny(low, "'’") && !outletNameEnds[last] && !partyWords[low] &&
			(groupNouns[low] || docNouns[low] || isRoleWord(low) || hasWord(body, low)) {
			return low + sp[len(words[0]):]
		}
		return sp
	}
	// Where the article names the speaker: in the claim's sentences if
	// it does, else the last mention before the claim, else the first.
	lo, hi := c.Start, c.End
	if sents := sentsOf(); c.Sentence >= 0 && c.Sentence < len(sents) {
		lo = min(lo, sents[c.Sentence].Start)
		for k := c.Sentence; k < len(sents) && sents[k].Start < c.End; k++ {
			hi = max(hi, sents[k].End)
		}
	}
	best, bestInside := -1, false
	forms := []string{sp}
	if u := textutil.UpperFirst(sp); u != sp {
		forms = append(forms, u)
	}
	for _, form := range forms {
		for at := range wordsAt(body, form) {
			inside := at >= lo && at < hi
			switch {
			case inside && !bestInside, inside && at < best:
				best, bestInside = at, true
			case !bestInside && at < lo && at > best:
				best = at
			case best < 0:
				best = at
			}
		}
	}
	if best < 0 {
		return sp
	}
	// The determiner, perhaps with an adjective or two between: "a new
	// survey", "the latest poll".
	at, adj := best, ""
	for range 3 {
		if at == 0 || body[at-1] != ' ' {
			return sp // no word before it
		}
		k := strings.LastIndexAny(body[:at-1], " \n\t\"“‘(") + 1
		w := body[k : at-1]
		switch w {
		case "the", "The":
			return "the " + adj + sp
		case "a", "A", "an", "An":
			if !bestInside {
				return "the " + adj + sp // introduced before: "a survey …", then "the survey also found"
			}
			return strings.ToLower(w) + " " + adj + sp
		}
		if !isLowerWord(w) || stopwords[w] && w != "new" && w != "other" || npPreps[w] {
			return sp
		}
		adj, at = w+" "+adj, k
	}
	return sp
}

// needsDeterminer reports whether speaker is a noun phrase that English
// gives an article: its head, the word before an "of", "by" or "for"
// complement, is a singular common noun ("survey", "report from …",
// "Labour MP", "Indian woman"), or the phrase is one capitalised word
// the article may write with "the" (an outlet: "Telegraph", "Times").
// Names, plurals ("officials"), possessives ("Prudential’s report") and
// phrases that have a determiner already are left as they are.
func needsDeterminer(speaker string) bool {
	words := strings.Fields(speaker)
	if len(words) == 0 || determiners[strings.ToLower(words[0])] {
		return false
	}
	n := len(words)
	for i, w := range words {
		if i > 0 && (npPreps[w] || w == "by" || w == "conducted" || w == "released" || w == "published" || w == "commissioned") {
			n = i
			break
		}
	}
	head := words[n-1]
	for _, w := range words[:n] {
		if strings.ContainsAny(w, "'’") {
			return false // a possessive: "Visa's prom survey", "boy's father" keep the text's form
		}
	}
	if n == 1 && len(words) == 1 {
		r, _ := utf8.DecodeRuneInString(head)
		if unicode.IsUpper(r) {
			return outletNameEnds[strings.ToLower(head)] // "Telegraph", "Times"
		}
	}
	if head == "MP" || head == "MSP" || head == "MEP" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(head)
	if !unicode.IsLower(r) {
		return false
	}
	if strings.HasSuffix(head, "s") && !strings.HasSuffix(head, "ss") && !strings.HasSuffix(head, "is") {
		return false // a plural: "officials", "court documents"
	}
	return true
}

// wordBounded reports whether body[lo:hi] is whole words.
func wordBounded(body string, lo, hi int) bool {
	if lo > 0 {
		r, _ := utf8.DecodeLastRuneInString(body[:lo])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if hi < len(body) {
		r, _ := utf8.DecodeRuneInString(body[hi:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// roleAsWritten lower-cases the first word of a role that the article
// capitalised only because it opened a sentence: "Deputy finance minister"
// (before "Dimitris Mardas said …") is shown "deputy finance minister".
// A role whose words are all capitalised ("Prime Minister", "Shadow Health
// Secretary"), an acronym ("CEO"), a word the article capitalises within
// a sentence too (a name: "Tory", "Scottish") and a one-word title before
// a name ("President", "Father") keep their capitals.
//
// A role that is no role is left out (""): a word cut from a longer one
// ("E consultant" from "A&E consultant") or a lone word that names no
// role ("man", "defiant").
func roleAsWritten(body, role string) string {
	words := strings.Fields(role)
	if len(words) == 0 {
		return role
	}
	if l := strings.ToLower(role); strings.Contains(l, "percent") || strings.Contains(l, "per cent") {
		return "" // "Seventy-two percent": a figure, not a role
	}
	if k := strings.Index(body, role); k > 0 {
		if r, _ := utf8.DecodeLastRuneInString(body[:k]); r == '&' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return "" // cut from a longer word
		}
	}
	if len(words) == 1 {
		low := strings.ToLower(role)
		if k := strings.TrimSuffix(low, "."); k != low || titleAbbrevs[k] {
			if office, ok := officeAbbrevs[k]; ok {
				return office // "Sen." after a name: "senator"
			}
			if rank, ok := rankAbbrevs[k]; ok {
				return rank
			}
			if titleAbbrevs[k] || honorifics[low] {
				return "" // "Dr.", "Rep." is no role after a name
			}
		}
		if r, _ := utf8.DecodeRuneInString(role); unicode.IsLower(r) && (!isRoleWord(low) && !titleWords[low] || groupNouns[low] && !roleNouns[low]) {
			return ""
		}
	}
	low, ok := openingCapital(body, words)
	if !ok || len(words) == 1 && titleWords[low] || partyWords[low] {
		return role
	}
	// A common word: one the lexicon knows as a role or a modifier of one,
	// or that the article writes in lower case elsewhere.
	if !roleModifiers[low] && !titleWords[low] && !isRoleWord(low) && !hasWord(body, low) {
		return role // "Pama’s", "Crown": perhaps a name
	}
	return low + role[len(words[0]):]
}

// openingCapital returns the first of words in lower case, and whether the
// article capitalises it only where it opens a sentence or a line, the
// other words being in lower case: "Deputy finance minister", "Officials".
func openingCapital(body string, words []string) (string, bool) {
	first := words[0]
	r, size := utf8.DecodeRuneInString(first)
	if !unicode.IsUpper(r) || strings.ToUpper(first) == first {
		return "", false
	}
	for _, w := range words[1:] {
		if npPreps[w] {
			break // "Officials at the State Board": the complement keeps its capitals
		}
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsLower(r) {
			return "", false
		}
	}
	// Every mention of the word must open a sentence or a line, and one
	// must.
	seen := false
	for at := range wordsAt(body, first) {
		before := strings.TrimRight(body[:at], " \t")
		if before != "" {
			last, _ := utf8.DecodeLastRuneInString(before)
			if !strings.ContainsRune(".!?\n\"“‘'’”:", last) {
				return "", false // capitalised inside a sentence: a name
			}
		}
		seen = true
	}
	if !seen {
		return "", false
	}
	return string(unicode.ToLower(r)) + first[size:], true
}

// hasWord reports whether w occurs in body as a whole word.
func hasWord(body, w string) bool {
	for range wordsAt(body, w) {
		return true
	}
	return false
}

// wordsAt yields, in order, the offsets at which w occurs in body as a
// whole word.
func wordsAt(body, w string) iter.Seq[int] {
	return func(yield func(int) bool) {
		if w == "" {
			return
		}
		for from := 0; ; {
			k := strings.Index(body[from:], w)
			if k < 0 {
				return
			}
			at := from + k
			from = at + len(w)
			if wordBounded(body, at, from) && !yield(at) {
				return
			}
		}
	}
}

// Ranks written short before a name, in full after one.
var rankAbbrevs = map[string]string{"gen": "general", "lt": "lieutenant", "col": "colonel", "capt": "captain",
	"sgt": "sergeant", "det": "detective", "insp": "inspector", "supt": "superintendent", "cllr": "councillor",
	"prof": "professor", "adm": "admiral", "maj": "major", "cmdr": "commander"}
