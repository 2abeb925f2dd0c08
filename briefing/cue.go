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
	// A cue whose speaker is unclear is kept only if no other cue names one.
	// A cue whose speaker is unclear, or that sits in a relative clause, is
	// kept only if no other cue serves; a relative one before an unclear one.
	var fallback cue
	found := func(c cue, ok bool) bool {
		if ok && (c.unsure || c.weak) && (len(fallback.parts) == 0 && !fallback.whole || fallback.unsure && !c.unsure) {
			fallback = c
		}
		return ok && !c.unsure && !c.weak
	}
	// "According to X, Y."
	if a := leadingAccording(t); a >= 0 {
		if c, ok := x.accordingLead(si, t, a); found(c, ok) {
			return c, true
		}
	}
	// "As Politico reported, Y."
	if c, ok := x.asLead(si, t); found(c, ok) {
		return c, true
	}
	// "... to pay its bills He said: 'We strive ...'": where copy lost a
	// full stop, the pronoun's verb gives the quotation after it, not a
	// verb of the sentence before the lost stop.
	for l := 2; l+2 < len(t); l++ {
		if t[l].cap && t[l].is("he", "she", "they") && !t[l].quoted && t[l-1].word && !t[l-1].cap && !t[l-1].quoted &&
			t[l+1].is("said", "says", "added", "told", "explained", "insisted", "continued") && validCue(t, l+1) {
			if c, ok := x.forwardCue(si, t, l+1); found(c, ok) {
				return c, true
			}
			break
		}
	}
	// The reporting verbs of the sentence, looked up once.
	var verbsBuf [16]int
	verbs := verbsBuf[:0]
	for v := range t {
		if t[v].word && !t[v].quoted && !t[v].cap && t[v].in(lexCueVerbs) && validCue(t, v) {
			verbs = append(verbs, v)
		}
	}
	// Tail attributions first: "Y, X said." / "“Q,” said X."
	for i := len(verbs) - 1; i >= 0; i-- {
		v := verbs[i]
		if c, ok := x.tailCue(si, t, v); found(c, ok) {
			return c, true
		}
	}
	// The main clause's verbs before those of an introductory clause:
	// "Back when he wrote his book, McKinley said that ...".
	main := 0
	if len(verbs) > 1 {
		main, _ = x.clauseStartOf(t)
	}
	for pass := range 2 {
		for _, v := range verbs {
			if (v >= main) == (pass == 0) {
				if c, ok := x.forwardCue(si, t, v); found(c, ok) {
					return c, true
				}
			}
		}
	}
	for v := 1; v < len(t); v++ {
		if t[v].quoted || !t[v].in(lexParticipleCues) {
			continue
		}
		if c, ok := x.participleCue(si, t, v); found(c, ok) {
			return c, true
		}
	}
	// "Y, according to X."
	for a := 1; a+1 < len(t); a++ {
		if t[a].low == "according" && t[a+1].low == "to" && !t[a].quoted && (t[a-1].text == "," || x.closeMark(t, a-1) && a >= 2 && t[a-2].text == ",") {
			lo, hi := a+2, a+2
			for hi < len(t) && (t[hi].word || t[hi].text == "&" || t[hi].text == "-" || t[hi].text == "/") && !t[hi].quoted && hi < lo+16 {
				hi++
			}
			if hi == lo || t[hi-1].bareIn(lexNotSources) {
				continue
			}
			w := x.accordingSource(t, lo, hi, "")
			if w.speaker == "" {
				continue
			}
			// "..., according to sources close to the party, according to
			// the Telegraph": the second is the channel.
			if hi+3 < len(t) && t[hi].text == "," && t[hi+1].low == "according" && t[hi+2].low == "to" {
				if name, ok := x.outletName(t, hi+3, len(t)-trailingPunct(t)); ok && w.via == "" {
					w.via = name
				}
			}
			c := cue{attribution: w, parts: [][2]int{{s.Start, t[a-1].start}}}
			// "Y is a practice that … and, according to its founders,
			// encourages …": set off inside the sentence after "and", it
			// attributes what goes on after it too.
			if a >= 2 && t[a-2].is("and", "but", "or") && hi+1 < len(t) && t[hi].text == "," {
				c.parts = append(c.parts, [2]int{t[hi+1].start, s.End})
			}
			c.kind, c.verb = AccordingTo, "according to"
			if found(c, true) {
				return c, true
			}
		}
	}
	// "Stated Stone:" closing its paragraph, the quotation to follow.
	if len(t) >= 3 && t[0].cap && t[0].in(lexInvertible) && t[len(t)-1].text == ":" {
		if w := x.resolveNP(t, 1, len(t)-1, ""); w.speaker != "" {
			w.verb = t[0].low
			x.colonCues = append(x.colonCues, colonCue{end: x.sents[si].End, a: w})
		}
	}
	// "In a new Quinnipiac poll, Clinton leads by 5 points."
	if c, ok := x.documentIntro(si, t); ok {
		return c, true
	}
	// "TAPPER: And obviously ..." in a transcript.
	if c, ok := x.speakerLabel(si, t); ok {
		return c, true
	}
	return fallback, len(fallback.parts) > 0 || fallback.whole
}

// transcript reports whether the article reads as a transcript: at least
// two paragraphs open with a label in capitals and a colon.
func (x *extractor) transcript() bool {
	if x.labels < 0 {
		x.labels = 0
		for si, s := range x.sents {
			if si > 0 && x.sents[si-1].Para == s.Para {
				continue
			}
			t := x.toks[x.sentToks[si]:x.sentToks[si+1]]
			if len(t) > 2 && t[0].word && isAllCaps(t[0].text) && len(t[0].text) > 1 && (t[1].text == ":" || len(t) > 3 && t[1].word && isAllCaps(t[1].text) && t[2].text == ":") {
				x.labels++
			}
		}
	}
	return x.labels >= 2
}

// documentIntro reads a sentence opened by "In a poll ...," or "In its
// report ...,": what follows is the document's.
func (x *extractor) documentIntro(si int, t []tok) (cue, bool) {
	if len(t) < 4 || !t[0].is("in") {
		return cue{}, false
	}
	c := indexTok(t, 1, min(len(t), 14), ",")
	if c < 0 || c+1 >= len(t) || !t[c+1].word {
		return cue{}, false
	}
	k := 1
	for k < c && (t[k].is("a", "an", "the", "its", "his", "her", "their") || !t[k].cap && t[k].is("new", "latest", "recent")) {
		k++
	}
	h := headIndex(t, k, c)
	if h >= c || !docNouns[singular(t[h].bare())] || channelOnly[t[h].bare()] || isTimePhrase(t, k, c) {
		return cue{}, false
	}
	if h+1 < c && t[h+1].is("to") {
		return cue{}, false // "In order to save space, …": a purpose, not a document
	}
	w := x.document(t, k, h, c)
	cu := cue{attribution: w, parts: [][2]int{{t[c+1].start, x.sents[si].End}}}
	cu.kind, cu.verb = AccordingTo, "in"
	return cu, true
}

// speakerLabel reads a transcript's line "TAPPER: ..." or "Mr. Lee: ...": a
// name (written in capitals, or a title and a name) then a colon at the
// start of a paragraph; the words after it are the speaker's, verbatim.
func (x *extractor) speakerLabel(si int, t []tok) (cue, bool) {
	s := x.sents[si]
	if si > 0 && x.sents[si-1].Para == s.Para {
		return cue{}, false
	}
	c := indexTok(t, 1, min(len(t), 5), ":")
	if c < 0 || c+1 >= len(t) {
		return cue{}, false
	}
	caps := true
	for ri := range c {
		k := &t[ri]
		caps = caps && k.word && isAllCaps(k.text)
	}
	var w attribution
	switch {
	case caps && !(c == 1 && len(t[0].text) < 3) && x.transcript() && !x.headingLabel(t[:c]): // "Q:" and "A:" name no one; "BOOM:" is no transcript
		name := x.span(t[0].start, t[c-1].end)
		name = x.fullest(name, strings.ToLower(t[c-1].text)) // "TAPPER" is Jake Tapper if named so
		w = attribution{speaker: name, ent: entity{name: name, person: true, at: t[0].start}}
	case t[0].bareIn(lexTitleWords) && c >= 2 && isNameRun(t, 0, c): // "Mr. Lee:"; not "Update:"
		w = x.resolveNP(t, 0, c, "")
	}
	if w.speaker == "" {
		return cue{}, false
	}
	cu := cue{attribution: w, parts: [][2]int{{t[c+1].start, s.End}}}
	cu.kind, cu.verb, cu.transcript = Direct, ":", true
	return cu, true
}

// headingLabel reports whether a label in capitals is a heading, not a
// speaker's name: it has a word such as "it" or "of" that no name has
// ("REASON IT MIGHT HAPPEN:"), or the article writes its last word in
// lower case elsewhere ("CURRENT JOB:", "EXPERT VERDICT:"). A role
// ("THE PRESIDENT:", "MODERATOR:") is a speaker.
func (x *extractor) headingLabel(label []tok) bool {
	if last := label[len(label)-1].low; isRoleWord(last) || titleWords[last] {
		return false
	}
	for _, k := range label {
		if stopwords[k.low] {
			return true
		}
	}
	return x.written(label[len(label)-1].low, false)
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

// asLead reads a sentence that opens "As X reported, Y" (after "But",
// "However,"): X said Y, which follows the comma.
func (x *extractor) asLead(si int, t []tok) (cue, bool) {
	a := 0
	for a < len(t) && a < 3 && t[a].is("but", "and", "however", ",") {
		a++
	}
	if a+3 >= len(t) || !t[a].is("as") || t[a].quoted {
		return cue{}, false
	}
	v := a + 2
	for v < len(t) && v < a+10 && t[v].word && !t[v].quoted && !t[v].in(lexCueVerbs) {
		v++
	}
	k := v + 1
	for k < len(t) && k < v+3 && (isAdverb(&t[k]) || t[k].is("on", "last", "earlier", "this") || isTimeTok(t, k)) {
		k++
	}
	if v >= len(t) || !t[v].word || t[v].quoted || !t[v].is("reported", "revealed", "noted", "said", "wrote", "reports", "notes", "says", "writes", "first") ||
		k+1 >= len(t) || t[k].text != "," || !t[k+1].word && !t[k+1].mark {
		return cue{}, false
	}
	w := x.resolveNP(t, a+1, v, "")
	if w.speaker == "" {
		return cue{}, false
	}
	c := cue{attribution: w, parts: [][2]int{{t[k+1].start, x.sents[si].End}}}
	c.kind, c.verb = Indirect, t[v].low
	return c, true
}

func (x *extractor) accordingLead(si int, t []tok, a int) (cue, bool) {
	s := x.sents[si]
	lo := a + 2
	hi := lo
	for hi < len(t) && t[hi].text != "," && t[hi].text != ":" && !t[hi].quoted {
		hi++
	}
	if hi >= len(t) || hi == lo || hi-lo > 14 || t[hi-1].bareIn(lexNotSources) {
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
	for k < hi && (t[k].is("a", "an", "the") || !t[k].cap && t[k].is("new", "latest", "recent")) {
		k++
	}
	if k >= hi {
		return attribution{}
	}
	// "a New York Times/CBS News poll", "a report by the Tax Policy Center":
	// the document is the source.
	if h := headIndex(t, k, hi); docNouns[singular(t[h].bare())] && !channelOnly[t[h].bare()] {
		return x.document(t, k, h, hi)
	}
	for c := k; c < hi && c < k+4 && t[c].word && !t[c].cap; c++ {
		if !t[c].bareIn(lexChannelNouns) {
			continue
		}
		from := c + 1
		if from+1 < hi && t[from].is("issued", "released", "published", "filed", "posted") {
			from++
		} else if from+2 < hi && t[from].is("put", "sent", "handed") && t[from+1].is("out", "to") {
			from += 2 // "a statement put out by the police"
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

// document is the attribution of a document or data source t[k:hi] whose
// head noun is t[h]: "CNN/WMUR poll", "report by the Tax Policy Center",
// "study by an influential Russian sociologist".
func (x *extractor) document(t []tok, k, h, hi int) attribution {
	end := t[h].end
	for j := h + 1; j+1 < hi; j++ {
		if t[j].is("by", "from") {
			if e := npEndForward(t, j+1); e > j+1 {
				end = t[e-1].end
			}
			break
		}
		if !t[j].word || t[j].quoted || !(isParticiple(t, j) || isTimeTok(t, j) || t[j].is("released", "published", "issued", "conducted", "out", "on", "in", "last", "this")) {
			break
		}
	}
	name := x.body[t[k].start:end] // "records introduced by prosecutors", "poll" alone
	head := singular(t[h].bare())
	e := entity{name: name, head: head, at: t[k].start}
	return attribution{speaker: name, ent: e}
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
	p := v - 1 // the word before the verb, past auxiliaries and adverbs
	for p >= 0 && t[p].word && (t[p].in(lexAuxWords) || isAdverb(&t[p])) && !t[p].is("has", "have", "had") {
		p--
	}
	switch {
	case p >= 0 && (t[p].in(lexNotCueAfter) || (isNumberTok(&t[p]) || t[p].bare() != t[p].low) && strings.HasSuffix(w, "ed")), negated(t, v):
		return false // "300 pledged delegates", "Mrs. Clinton's reported contributions"; but "six in 10 say"
	case t[v].in(lexBaseForms) && !pluralSubjectEnds(t, p) && !(p > 0 && t[p].text == "," && pluralSubjectEnds(t, p-1)):
		return false // "the state", "a claim": nouns
	case t[v].in(lexNounsInS) && v+1 < len(t) && t[v+1].low == "that":
		return !(v+2 < len(t) && t[v+2].in(lexFiniteWords)) // "states that have suffered": a relative
	case t[v].in(lexNounsInS) && !singularSubjectEnds(t, p):
		return false // "four other states", "his claims"
	case v+2 < len(t) && (w == "accused" && t[v+1].is("of") || strings.HasSuffix(w, "ed") && t[v+1].is("by") &&
		!strings.HasSuffix(t[v+2].low, "ing")):
		return false // "the man accused of …", "a plan criticized by …": a participle, passive; not "responded by saying"
	case v+1 < len(t) && t[v+1].low == "to" && (w == "told" || w == "said" || w == "says" || w == "agreed" || w == "agrees"):
		return false // "told to leave", "said to be", "agreed to allow"
	case t[v].is("claimed", "claims", "claim", "claiming") && claimsThing(t, v+1):
		return false // "claimed £500 in expenses", "claimed the lives of": taken, not said
	case t[v].is("calls") && p >= 0 && t[p].is("and", "or", "of", "with", "phone", "many", "missed"):
		return false // "thousands of texts and calls - telling her ...": a noun
	case t[v].is("boasts", "boast", "boasted") && thingObject(t, v+1):
		return false // "boasts 3.6 million followers": has; not said
	case t[v].is("called", "calls") && v+2 < len(t) && t[v+1].is("it", "them") && !t[v+2].word && asBefore(t, v):
		return false // "the 'extender stick', as he called it, was ...": a name given, not a claim
	case t[v].in(lexPickyCues):
		return pickyCueValid(t, v)
	}
	return true
}

// claimsThing reports whether what follows "claimed" at t[k] is money or
// a thing taken rather than something said: a sum ("£500", "more than
// $2,000"), or a noun of money, benefits or lives ("his expenses", "the
// lives of").
func claimsThing(t []tok, k int) bool {
	// Not a clause's subject: "claimed the money had never arrived",
	// "claimed the £85 charge was unfair".
	clause := func(j int) bool {
		for ; j < len(t) && j < k+10 && (t[j].word || t[j].text == "£" || t[j].text == "$" || t[j].text == "€" || t[j].text == ","); j++ {
			if t[j].word && !t[j].quoted && (t[j].in(lexFiniteWords) || t[j].in(lexAuxWords)) {
				return true
			}
		}
		return false
	}
	for j := k; j < len(t) && j < k+4; j++ {
		switch {
		case !t[j].word:
			return (t[j].text == "£" || t[j].text == "$" || t[j].text == "€") && !clause(j+1)
		case t[j].quoted:
			return false
		case claimedThings[t[j].low]:
			return !clause(j + 1)
		case !t[j].is("more", "than", "over", "nearly", "almost", "about", "around", "up", "to", "back", "a", "an", "the",
			"his", "her", "their", "its", "your", "my", "our", "thousands", "hundreds", "of", "in", "on", "for", "extra",
			"first", "second", "third", "maiden", "record", "straight") && !strings.HasSuffix(t[j].low, "th"):
			return false
		}
	}
	return false
}

// thingObject reports whether what follows a verb at t[k] is an object
// noun phrase with no clause after it: "a robust 3.6 million Twitter
// followers". A clause, "that", a colon or a quotation makes it a report.
func thingObject(t []tok, k int) bool {
	if k >= len(t) || !t[k].word || t[k].quoted || t[k].cap || t[k].is("that", "in", "on", "to", "about", "of", "back", "for", "with", "under", "from", "at", "by", "as", "after", "before", "he", "she", "they", "it", "we", "i") {
		return false
	}
	for j := k; j < len(t) && j < k+10; j++ {
		if !t[j].word {
			if t[j].text == "," || t[j].text == "." {
				break
			}
			if t[j].text == ":" || t[j].quoted {
				return false
			}
			continue
		}
		if t[j].quoted || t[j].in(lexFiniteWords) {
			return false
		}
	}
	return true
}

// asBefore reports whether "as" opens the clause of the verb t[v]: "as he
// called it".
func asBefore(t []tok, v int) bool {
	for q := v - 1; q >= 0 && q >= v-4; q-- {
		if t[q].is("as") {
			return true
		}
		if !t[q].word {
			return false
		}
	}
	return false
}

// negated reports whether the verb t[v] is negated or refused: "did not
// say", "declined to comment".
func negated(t []tok, v int) bool {
	for q := v - 1; q >= 0 && q >= v-4; q-- {
		l := t[q].low
		if t[q].in(lexNegations) || strings.HasSuffix(l, "n't") || strings.HasSuffix(l, "n’t") {
			return true
		}
		if !t[q].word {
			break
		}
	}
	return false
}

// pluralSubjectEnds reports whether t[p] ends a plural subject, as a base
// form needs ("officials say", "they claim", "Hale and Ortiz say").
func pluralSubjectEnds(t []tok, p int) bool {
	if p < 0 || !t[p].word {
		return false
	}
	k := &t[p]
	switch {
	case k.is("they", "we", "you", "i", "percent", "%", "half", "most", "majority", "some", "many", "others",
		"several", "few", "both", "all") || isNumberTok(k):
		return true // a share or a number counts many: "47 percent say", "six in 10 say", "some say"
	case isPluralNoun(k.low) && (k.cap || !k.in(lexNpStop)):
		return true
	}
	// "Aides to Clinton say": the head before a preposition.
	for q := p - 1; q > 0 && q >= p-5 && t[q].word; q-- {
		if t[q].in(lexNpPreps) || t[q].in(lexPlacePreps) {
			return isPluralNoun(t[q-1].low) && !t[q-1].in(lexNpStop)
		}
	}
	// Names joined by "and".
	for q := p; q > 0 && q > p-5 && t[q].cap; q-- {
		if t[q-1].is("and") {
			return true
		}
	}
	return false
}

// singularSubjectEnds reports whether t[p] ends a singular subject, as a
// verb in -s needs: "she claims", "the report states", "Smith notes".
func singularSubjectEnds(t []tok, p int) bool {
	if p < 0 || !t[p].word {
		return false
	}
	k := &t[p]
	return k.is("he", "she", "it", "who", "which") || k.cap && p > 0 || !k.cap && !isPluralNoun(k.low) && !k.in(lexNpStop) && isSpeakerNoun(k.low)
}

// pickyCueValid decides the verbs that report speech only in some
// constructions: "called for", "described as", "announced that".
func pickyCueValid(t []tok, v int) bool {
	next := ""
	if v+1 < len(t) {
		next = t[v+1].low
	}
	switch t[v].low {
	case "found", "finds", "show", "shows", "showed":
		// "the poll found", "the poll by the institute showed", "found
		// that": a finding reported; not "police found the car".
		if next == "that" {
			return true
		}
		for p := v - 1; p >= 0 && p >= v-8 && t[p].word && !t[p].quoted; p-- {
			if docNouns[singular(t[p].bare())] && !channelOnly[t[p].bare()] {
				return true
			}
		}
		return false
	case "called", "calls":
		return calledValid(t, v)
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
		// Not "reported from Los Angeles", unless a claim follows.
		if eventPreps[next] {
			_, ok := afterCircumstance(t, v+1, t[len(t)-1].end)
			return ok
		}
		return true
	case "announced", "announces", "declared", "declares":
		// "announced that ...", "announced he would", "announced her plan";
		// not "declared a state of emergency" or "declared bankruptcy".
		for k := v + 1; k < len(t) && k <= v+5 && t[k].word; k++ {
			if t[k].is("war", "bankruptcy", "victory", "independence", "emergency", "candidacy", "disaster") {
				return false
			}
		}
		return true
	}
	return next == "that" || isPunctOrEnd(t, v+1)
}

// calledValid: "called for talks", "called on Congress", "called the plan
// a mistake", "called the win “the best ninety minutes”"; not "called a
// meeting" or "called the police".
func calledValid(t []tok, v int) bool {
	if v+1 >= len(t) || !t[v+1].word || t[v+1].is("for", "on", "it", "them", "him", "her") {
		return true
	}
	for k := v + 2; k < len(t) && k < v+7; k++ {
		if t[k].quoted || t[k].is("a", "an") {
			return true
		}
		if !t[k].word {
			return false
		}
	}
	return false
}

func isAdverb(k *tok) bool {
	return !k.cap && len(k.low) > 4 && strings.HasSuffix(k.low, "ly") && !k.in(lexRoleNouns) && k.low != "family" && k.low != "italy"
}

// isPunctOrEnd reports whether t[k] is punctuation or past the end.
func isPunctOrEnd(t []tok, k int) bool { return k >= len(t) || !t[k].word }

func isTimeTok(t []tok, j int) bool {
	k := &t[j]
	if k.in(lexTimeWords) && k.low != "first" {
		return true
	}
	if k.in(lexMonthNames) {
		return true
	}
	if isNumberTok(k) && j > 0 && t[j-1].in(lexMonthNames) {
		return true
	}
	return false
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
	if isTimePhrase(t, lo, hi) {
		return "", true
	}
	// A channel noun, optionally followed by "with/to/on <outlet>".
	for i := range words {
		w := &words[i]
		// channelNouns[singular(bare)]: looked up only for a plural, as
		// bareIn has answered for a word that is its own singular.
		if bare := w.bare(); w.bareIn(lexChannelNouns) || singular(bare) != bare && channelNouns[singular(bare)] {
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

// isTimePhrase reports whether t[lo:hi] names a time: "Friday", "last
// week", "the morning of Oct. 7".
func isTimePhrase(t []tok, lo, hi int) bool {
	times := 0
	for i := lo; i < hi; i++ {
		switch {
		case isTimeTok(t, i) || isYear(&t[i]):
			times++
		case isNumberTok(&t[i]) && times > 0: // "Oct. 7", "the 1990s"
		case !t[i].in(lexTimePhraseWords):
			return false
		}
	}
	return times > 0
}

// isYear reports whether k is a year: "2014", "1990s".
func isYear(k *tok) bool {
	w := strings.TrimSuffix(k.low, "s")
	return len(w) == 4 && (strings.HasPrefix(w, "19") || strings.HasPrefix(w, "20")) && isNumberTok(k)
}

// channelTail reports whether t[lo:hi] may follow a channel noun: nothing,
// time words, or a preposition with a short noun phrase.
func (x *extractor) channelTail(t []tok, lo, hi int) bool {
	if lo >= hi {
		return true
	}
	allTime := true
	for i := lo; i < hi; i++ {
		allTime = allTime && (isTimeTok(t, i) || t[i].is("on", "the", "this", "last") || isNumberTok(&t[i]))
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
	for r > lo && isNameTok(t, r-1) && !(r < len(t) && r < hi && t[r].lineStart) {
		r--
	}
	hasOutletNoun := false
	for i := lo; i < r; i++ {
		if t[i].in(lexOutletNouns) || t[i].is("news") && i+1 < r && t[i+1].is("agency") {
			hasOutletNoun = true
		}
	}
	if r == hi {
		// No name: "the newspaper", "a local TV station".
		if hasOutletNoun && t[hi-1].word && t[hi-1].in(lexOutletNouns) {
			return strings.TrimPrefix(strings.TrimPrefix(x.span(t[lo].start, t[hi-1].end), "the "), "a "), true
		}
		return "", false
	}
	name := x.span(t[r].start, nameEnd(&t[hi-1]))
	switch {
	case hasOutletNoun, t[r].bareIn(lexKnownOutlets), t[hi-1].bareIn(lexKnownOutlets), len(name) <= knownOutletsMaxLen() && lowerKey(knownOutlets, name),
		hi-r >= 2 && t[hi-1].bareIn(lexOutletNameEnds), t[hi-1].bareIn(lexPlatforms) && hi-r == 1,
		hi-r == 1 && r > lo && t[r-1].low == "the" && t[hi-1].bareIn(lexOutletNameEnds): // "the Courier"
		if r > lo && t[r-1].low == "the" && hi-r >= 2 && t[hi-1].bareIn(lexOutletNameEnds) {
			name = x.span(t[r-1].start, nameEnd(&t[hi-1]))
		}
		return name, true
	}
	return "", false
}
