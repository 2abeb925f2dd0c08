package briefing

import (
	"strings"
)

// findCue looks for the attribution of sentence si, in this order: a
// leading "According to X,", a reporting verb with its subject (the
// rightmost one that closes the sentence, as in "Y, X said.", else the
// leftmost), a participle (", saying that Y") and a trailing
// ", according to X".
func (x *extractor) findCue(si int, t []tok) (cue, bool) {
	c, ok := x.findCueIn(si, t)
	if ok && c.via == "" {
		c.via = x.introVia(t)
	}
	return c, ok
}

// introVia reads a channel in an opening phrase: "In a letter to staff, ...".
func (x *extractor) introVia(t []tok) string {
	if len(t) < 3 || !t[0].is("in", "on", "at", "during", "through", "via") {
		return ""
	}
	for j := 1; j < len(t) && j < 12; j++ {
		if t[j].text == "," {
			via, _ := x.channelPhrase(t, 1, j)
			return via
		}
	}
	return ""
}

func (x *extractor) findCueIn(si int, t []tok) (cue, bool) {
	s := x.sents[si]
	// "According to X, Y."
	if a := leadingAccording(t); a >= 0 {
		if c, ok := x.accordingLead(si, t, a); ok {
			return c, true
		}
	}
	// Tail attributions first: "Y, X said." / "“Q,” said X."
	for v := len(t) - 1; v >= 0; v-- {
		if !t[v].word || t[v].quoted || t[v].cap || cueVerbs[t[v].low] == 0 || !validCue(t, v) {
			continue
		}
		if c, ok := x.tailCue(si, t, v); ok {
			return c, true
		}
	}
	for v := 0; v < len(t); v++ {
		if !t[v].word || t[v].quoted || t[v].cap || cueVerbs[t[v].low] == 0 || !validCue(t, v) {
			continue
		}
		if c, ok := x.forwardCue(si, t, v); ok {
			return c, true
		}
	}
	for v := 1; v < len(t); v++ {
		if t[v].quoted || !participleCues[t[v].low] {
			continue
		}
		if c, ok := x.participleCue(si, t, v); ok {
			return c, true
		}
	}
	// "Y, according to X."
	for a := 1; a+1 < len(t); a++ {
		if t[a].low == "according" && t[a+1].low == "to" && !t[a].quoted && t[a-1].text == "," {
			lo, hi := a+2, a+2
			for hi < len(t) && (t[hi].word || t[hi].text == "&" || t[hi].text == "-") && !t[hi].quoted && hi < lo+16 {
				hi++
			}
			if hi == lo || notSources[t[hi-1].bare()] {
				continue
			}
			w := x.accordingSource(t, lo, hi, "")
			if w.speaker == "" {
				continue
			}
			c := cue{attribution: w, parts: [][2]int{{s.Start, t[a-1].start}}}
			c.kind, c.verb = AccordingTo, "according to"
			return c, true
		}
	}
	return cue{}, false
}

// leadingAccording returns the index of "according" when the sentence opens
// with "According to" (possibly after "But" or "And"), or -1.
func leadingAccording(t []tok) int {
	for a := 0; a+1 < len(t) && a < 3; a++ {
		if t[a].low == "according" && t[a+1].low == "to" && !t[a].quoted {
			return a
		}
		if !t[a].is("but", "and", "yet", "still", "however", ",") {
			return -1
		}
	}
	return -1
}

func (x *extractor) accordingLead(si int, t []tok, a int) (cue, bool) {
	s := x.sents[si]
	lo := a + 2
	hi := lo
	for hi < len(t) && t[hi].text != "," && t[hi].text != ":" && !t[hi].quoted {
		hi++
	}
	if hi >= len(t) || hi == lo || hi-lo > 14 || notSources[t[hi-1].bare()] {
		return cue{}, false
	}
	// "According to Jane Roe, the county's health director, ..."
	role := ""
	next := hi + 1
	if r := x.appositiveAfter(t, hi); r != "" && isNameRun(t, lo, hi) {
		role = r
		for next < len(t) && t[next].text != "," {
			next++
		}
		next++
	}
	if next >= len(t) {
		return cue{}, false
	}
	w := x.accordingSource(t, lo, hi, role)
	if w.speaker == "" {
		return cue{}, false
	}
	c := cue{attribution: w, parts: [][2]int{{t[next].start, s.End}}}
	c.kind, c.verb = AccordingTo, "according to"
	return c, true
}

// accordingSource resolves the source named after "according to". In "a
// statement from the Harlow Police Department" the department is the
// source and the statement the channel.
func (x *extractor) accordingSource(t []tok, lo, hi int, role string) attribution {
	k := lo
	for k < hi && t[k].is("a", "an", "the") {
		k++
	}
	for c := k; c < hi && c < k+4 && t[c].word && !t[c].cap; c++ {
		if !channelNouns[t[c].bare()] {
			continue
		}
		from := c + 1
		if from+1 < hi && t[from].is("issued", "released", "published", "filed", "posted") {
			from++
		}
		if from+1 < hi && t[from].is("from", "by", "of") {
			w := x.resolveNP(t, from+1, hi, role)
			if w.speaker != "" {
				w.via = x.span(t[k].start, t[c].end)
			}
			return w
		}
		break
	}
	return x.resolveNP(t, lo, hi, role)
}

func isNameRun(t []tok, lo, hi int) bool {
	for i := lo; i < hi; i++ {
		if !isNameTok(t, i) {
			return false
		}
	}
	return hi > lo
}

// validCue reports whether the verb at t[v] reports speech here, rather
// than being passive ("was announced"), negated ("did not say"), an
// infinitive ("too early to say"), an adjective ("the stated goal") or a
// sense that is not speech ("added a wing").
func validCue(t []tok, v int) bool {
	w := t[v].low
	p := v - 1
	for p >= 0 && t[p].word && (auxWords[t[p].low] || isAdverb(t[p])) && !t[p].is("has", "have", "had") {
		p--
	}
	prev := ""
	if p >= 0 {
		prev = t[p].low
	}
	switch prev {
	case "to", "was", "were", "is", "are", "be", "been", "being", "a", "an", "the", "so-called", "its", "their",
		"his", "her", "our", "not", "never", "no", "it’s", "it's", "that’s", "that's", "’s", "'s":
		return false
	}
	for q := v - 1; q >= 0 && q >= v-4; q-- {
		l := t[q].low
		if l == "not" || l == "never" || strings.HasSuffix(l, "n't") || strings.HasSuffix(l, "n’t") ||
			l == "declined" || l == "refused" || l == "cannot" || l == "nor" {
			return false
		}
		if !t[q].word {
			break
		}
	}
	next := ""
	if v+1 < len(t) {
		next = t[v+1].low
	}
	if baseForms[w] {
		if !(prev == "they" || prev == "we" || prev == "you" || prev == "i" || p >= 0 && t[p].word && !t[p].cap && isPluralNoun(prev) && !npStop[prev] || p >= 0 && t[p].cap && isPluralNoun(prev)) {
			return false
		}
	}
	if next == "to" && (w == "told" || w == "said" || w == "says") {
		return false // "told to leave", "said to be"
	}
	if pickyCues[w] {
		switch w {
		case "called", "calls":
			if next == "for" || next == "on" || next == "it" || next == "them" || next == "him" || next == "her" || isPunctOrEnd(t, v+1) {
				return true
			}
			// "called the win “the best ninety minutes”", "called the plan a mistake".
			for k := v + 2; k < len(t) && k < v+7; k++ {
				if t[k].quoted || t[k].is("a", "an") {
					return true
				}
				if !t[k].word {
					return false
				}
			}
			return false
		case "described", "describes":
			for k := v + 1; k < len(t) && k < v+8; k++ {
				if t[k].low == "as" {
					return true
				}
			}
			return false
		case "posted":
			return next == "on" || next == "that" || isPunctOrEnd(t, v+1)
		case "reported", "reports":
			return true
		case "announced", "announces", "declared", "declares":
			// "announced that ...", not "announced a plan".
			for k := v + 1; k < len(t) && k < v+7; k++ {
				if t[k].low == "that" || !t[k].word {
					return true
				}
				if !isTimeTok(t, k) && !t[k].is("on", "in", "late", "early") {
					return false
				}
			}
			return isPunctOrEnd(t, v+1)
		default:
			return next == "that" || isPunctOrEnd(t, v+1)
		}
	}
	return true
}

func isAdverb(k tok) bool {
	return !k.cap && len(k.low) > 4 && strings.HasSuffix(k.low, "ly") && !roleNouns[k.low] && k.low != "family" && k.low != "italy"
}

// isPunctOrEnd reports whether t[k] is punctuation or past the end.
func isPunctOrEnd(t []tok, k int) bool { return k >= len(t) || !t[k].word }

// subject is the noun phrase a reporting verb belongs to.
type subject struct {
	lo, hi   int    // tokens of the noun phrase
	boundary int    // index of the comma or closing quotation mark before it, or -1
	role     string // an appositive role (", the city's chief engineer,")
	via      string
	anon     bool
}

// subjectBefore finds the subject of the verb at t[v] by walking left over
// adverbs, time and channel phrases and an appositive.
func (x *extractor) subjectBefore(t []tok, v int) (subject, bool) {
	sub := subject{boundary: -1}
	// "an official who was not authorized to speak publicly told CNN".
	for w := v - 1; w > 0 && w >= v-16; w-- {
		if !t[w].word || t[w].quoted {
			break
		}
		if t[w].low == "who" && w < v-1 && t[w-1].word && !pronouns[t[w-1].low] {
			lo := npStartBack(t, w)
			if lo < w {
				sub.lo, sub.hi = lo, w
				sub.anon = containsAnon(t[w:v])
				if lo > 0 {
					sub.boundary = lo - 1
				}
				return sub, true
			}
		}
	}
	j := v - 1
	for steps := 0; j >= 0 && steps < 8; steps++ {
		switch {
		case t[j].word && (auxWords[t[j].low] || isAdverb(t[j])):
			j--
		case t[j].word && isTimeTok(t, j):
			j--
			if j >= 0 && t[j].is("on", "in", "at", "last", "this", "early", "late", "during", "by") {
				j--
			}
		default:
			if p, via := x.channelBefore(t, j); p >= 0 {
				if via != "" && sub.via == "" {
					sub.via = via
				}
				j = p - 1
				continue
			}
			if t[j].text == "," {
				// An appositive or a participle between commas: "Olvera, the
				// city's engineer, said"; "officials, speaking on condition of
				// anonymity, said"; "Lee, 52, said".
				c2 := j - 1
				for c2 >= 0 && t[c2].text != "," && !isDoubleQuote(t[c2].text) && j-c2 < 26 {
					c2--
				}
				if c2 < 1 || t[c2].text != "," || !t[c2-1].word || t[c2-1].quoted {
					goto np
				}
				region := t[c2+1 : j]
				if len(region) == 0 {
					goto np
				}
				r0 := region[0]
				switch {
				case isNameRun(t, c2+1, j) && !isNameRun(t, c2-1, c2) && !hasCap(t, c2-1, c2):
					// "A spokeswoman for the agency, Lena Ortiz, said": the
					// name is the speaker and the phrase before it the role.
					rlo := npStartBack(t, c2)
					if rlo < c2 && (isRoleLike(t[rlo:c2]) || c2-rlo <= 6 && !t[c2-1].cap) {
						sub.lo, sub.hi = c2+1, j
						sub.role = x.roleText(t[rlo:c2])
						sub.boundary = rlo - 1
						return sub, true
					}
					goto np
				case r0.is("speaking", "who", "which", "whose", "citing", "according", "both", "each", "not") ||
					!r0.cap && len(r0.low) > 4 && strings.HasSuffix(r0.low, "ed") && !isRoleWord(r0.low):
					if containsAnon(region) {
						sub.anon = true
					}
				case isNumberTok(r0) && len(region) == 1:
				case isRoleLike(region) || r0.is("the", "a", "an") && len(region) <= 8:
					if sub.role == "" {
						sub.role = x.roleText(region)
					}
				default:
					goto np
				}
				j = c2 - 1
				continue
			}
			goto np
		}
	}
np:
	if j < 0 {
		return sub, false
	}
	hi := j + 1
	if !t[j].word || t[j].quoted {
		return sub, false
	}
	if pronouns[t[j].low] || t[j].low == "who" {
		sub.lo, sub.hi = j, hi
		if j > 0 {
			sub.boundary = j - 1
		}
		return sub, true
	}
	lo := npStartBack(t, hi)
	// "A report commissioned by the district estimated": the subject is
	// the report, not the district.
	if lo >= 3 && t[lo-1].low == "by" && t[lo-2].word && !t[lo-2].cap && strings.HasSuffix(t[lo-2].low, "ed") {
		if l2 := npStartBack(t, lo-2); l2 < lo-2 {
			lo, hi = l2, lo-2
		}
	}
	if lo > 0 && t[lo-1].low == "according" {
		return sub, false
	}
	sub.lo, sub.hi = lo, hi
	if lo > 0 {
		sub.boundary = lo - 1
	}
	return sub, true
}

// npStartBack returns where the noun phrase that ends at t[hi-1] starts.
// A determiner starts the phrase unless a preposition inside it comes
// before ("people familiar with the matter").
func npStartBack(t []tok, hi int) int {
	lo := hi
	for lo > 0 && isNPTok(t, lo-1) {
		lo--
		if determiners[t[lo].low] && !(lo > 0 && npPreps[t[lo-1].low] && isNPTok(t, lo-1)) {
			break
		}
	}
	return lo
}

// isNPTok reports whether t[i] can be inside a speaker's noun phrase.
func isNPTok(t []tok, i int) bool {
	k := t[i]
	if !k.word || k.quoted {
		return k.text == "&" || k.text == "-"
	}
	if npPreps[k.low] {
		// Inside a phrase only: "spokesperson for the airline".
		return i > 0 && t[i-1].word && !npStop[t[i-1].low] && i+1 < len(t) && t[i+1].word
	}
	if isVerbInPhrase(k) {
		return false
	}
	return !npStop[k.low] || determiners[k.low]
}

func isNumberTok(k tok) bool { return k.word && k.low[0] >= '0' && k.low[0] <= '9' }

func containsAnon(ts []tok) bool {
	for i, k := range ts {
		switch k.low {
		case "anonymity", "anonymous", "anonymously", "unnamed", "unidentified":
			return true
		case "familiar":
			return true
		case "authorized", "authorised", "permitted", "allowed":
			return i > 0 && ts[i-1].low == "not"
		case "named", "identified":
			return i > 0 && (ts[i-1].low == "be" || ts[i-1].low == "not")
		}
	}
	return false
}

func (x *extractor) roleText(region []tok) string {
	if len(region) > 0 && region[0].is("the", "a", "an") {
		region = region[1:]
	}
	if len(region) == 0 {
		return ""
	}
	return x.span(region[0].start, region[len(region)-1].end)
}

func isTimeTok(t []tok, j int) bool {
	k := t[j]
	if timeWords[k.low] && k.low != "first" {
		return true
	}
	if monthNames[k.low] {
		return true
	}
	if isNumberTok(k) && j > 0 && monthNames[t[j-1].low] {
		return true
	}
	return false
}

// channelBefore recognizes a channel or time phrase that ends at t[j]
// ("in an interview with Newsweek", "in a statement", "on Friday") and
// returns the index of its preposition and the channel, or -1.
func (x *extractor) channelBefore(t []tok, j int) (int, string) {
	for p := j; p >= 0 && p >= j-8; p-- {
		if t[p].quoted || !t[p].word && t[p].text != "-" {
			return -1, ""
		}
		if t[p].is("in", "on", "at", "during", "via", "through", "to") {
			if via, ok := x.channelPhrase(t, p+1, j+1); ok {
				return p, via
			}
		}
	}
	return -1, ""
}

// channelPhrase reads t[lo:hi] as the object of "in"/"on"/"at": a channel
// ("a statement", "an interview with Newsweek", "a court filing"), an
// outlet, or a time ("Friday"). It returns the channel to record as via.
func (x *extractor) channelPhrase(t []tok, lo, hi int) (string, bool) {
	if lo >= hi {
		return "", false
	}
	words := t[lo:hi]
	// An outlet or platform: "on Facebook", "to Reuters".
	if name, ok := x.outletName(t, lo, hi); ok {
		return name, true
	}
	allTime := true
	for i := lo; i < hi; i++ {
		if !(isTimeTok(t, i) || t[i].is("the", "a", "an", "this", "last", "next", "early", "late") || isNumberTok(t[i])) {
			allTime = false
		}
	}
	if allTime {
		return "", true
	}
	// A channel noun, optionally followed by "with/to/on <outlet>".
	for i, w := range words {
		if channelNouns[w.bare()] || channelNouns[singular(w.bare())] {
			rest := lo + i + 1
			if rest < hi && t[rest].is("with", "to", "on", "from", "for", "by", "in") {
				if name, ok := x.outletName(t, rest+1, hi); ok {
					return name, true
				}
			}
			// What follows the channel noun must be a time or a short
			// phrase ("to the council"), not the start of the claim.
			if !x.channelTail(t, rest, hi) {
				return "", false
			}
			start := 0
			for start < i && words[start].is("the", "a", "an", "his", "her", "their", "its", "a") {
				start++
			}
			// Drop trailing time or audience words after the channel noun.
			return x.span(words[start].start, w.end), true
		}
	}
	if len(words) == 2 && words[0].low == "social" && words[1].low == "media" {
		return "social media", true
	}
	return "", false
}

// channelTail reports whether t[lo:hi] may follow a channel noun: nothing,
// time words, or a preposition with a short noun phrase.
func (x *extractor) channelTail(t []tok, lo, hi int) bool {
	if lo >= hi {
		return true
	}
	allTime := true
	for i := lo; i < hi; i++ {
		allTime = allTime && (isTimeTok(t, i) || t[i].is("on", "the", "this", "last") || isNumberTok(t[i]))
	}
	if allTime {
		return true
	}
	if !t[lo].is("with", "to", "on", "from", "for", "by", "in", "at", "during", "before", "after") || hi-lo > 7 {
		return false
	}
	for i := lo + 1; i < hi; i++ {
		if !isNPTok(t, i) && !isTimeTok(t, i) {
			return false
		}
	}
	return true
}

// outletName reports whether t[lo:hi] names a news outlet or a platform and
// returns its name: "Reuters", "The New York Times", "Al-Akhbar".
func (x *extractor) outletName(t []tok, lo, hi int) (string, bool) {
	if lo >= hi {
		return "", false
	}
	if hi-lo == 1 && t[lo].is("reporters", "journalists") {
		return t[lo].text, true
	}
	if hi-lo == 2 && t[lo].is("the") && t[lo+1].is("press", "media") {
		return x.span(t[lo].start, t[lo+1].end), true
	}
	// Find the trailing capitalized run.
	r := hi
	for r > lo && isNameTok(t, r-1) {
		r--
	}
	hasOutletNoun := false
	for i := lo; i < r; i++ {
		if outletNouns[t[i].low] || t[i].is("news") && i+1 < r && t[i+1].is("agency") {
			hasOutletNoun = true
		}
	}
	if r == hi {
		// No name: "the newspaper", "a local TV station".
		if hasOutletNoun && t[hi-1].word && outletNouns[t[hi-1].low] {
			return strings.TrimPrefix(strings.TrimPrefix(x.span(t[lo].start, t[hi-1].end), "the "), "a "), true
		}
		return "", false
	}
	name := x.span(t[r].start, nameEnd(t[hi-1]))
	last := t[hi-1].bare()
	first := t[r].bare()
	switch {
	case hasOutletNoun, knownOutlets[first], knownOutlets[last], knownOutlets[strings.ToLower(name)],
		hi-r >= 2 && outletNameEnds[last], platforms[last] && hi-r == 1:
		if r > lo && t[r-1].low == "the" && hi-r >= 2 && outletNameEnds[last] {
			name = x.span(t[r-1].start, nameEnd(t[hi-1]))
		}
		return name, true
	}
	return "", false
}
