package briefing

import "strings"

// This file finds the subject of a reporting verb: the noun phrase that
// opens the verb's clause, and what stands between them.

// subject is the noun phrase a reporting verb belongs to.
type subject struct {
	lo, hi   int    // tokens of the noun phrase
	boundary int    // index of the token that opens the subject's clause (a comma, a closing mark, a conjunction), or -1
	role     string // an appositive role (", the city's chief engineer,")
	via      string
	anon     bool
	appLo    int // the first appositive, t[appLo:appHi], if any
	appHi    int
	unread   bool // no subject could be read: t[lo:hi] is only the word before the verb
}

// subjectBefore finds the subject of the reporting verb t[v]. The subject
// opens a clause, at the start of the sentence (after an introductory
// phrase) or after a comma, a closing quotation mark, a dash, a colon or a
// conjunction, and only modifiers stand between it and the verb. The
// leftmost reading wins, so that in "Ruiz, a lawyer for the family, said"
// Ruiz speaks, not the family.
func (x *extractor) subjectBefore(t []tok, v int) (subject, bool) {
	// "Rita Gomez, a council member who said": the relative pronoun.
	p := v - 1
	for p >= 0 && t[p].word && (t[p].in(lexAuxWords) || isAdverb(&t[p])) {
		p--
	}
	if p > 0 && t[p].is("who", "which") && !t[p].quoted {
		return subject{lo: p, hi: p + 1, boundary: p - 1, appLo: -1}, true
	}
	first, intro := x.clauseStartOf(t)
	if v < first {
		first = intro // a verb inside the introductory clause: "While Brown said ..., "
	}
	for s := first; s < v; s++ {
		if s > first && !opensClause(t, s) {
			continue
		}
		sub, ok := x.subjectAt(t, s, v)
		if !ok {
			continue
		}
		sub.boundary = -1
		if s > first {
			sub.boundary = s - 1
			x.nameBeforeRole(t, s, &sub)
		}
		return sub, true
	}
	return subject{}, false
}

// nameBeforeRole makes the name before the comma t[s-1] the speaker when
// the subject read after it is a role in lower case and the name was run
// into the sentence before where copy lost a full stop: "... because he
// has Alzheimer's disease Pete Saunders, chief executive of the charity,
// added". The role is the subject's phrase.
func (x *extractor) nameBeforeRole(t []tok, s int, sub *subject) {
	if s < 3 || t[s-1].text != "," || t[s].cap || sub.role != "" || !isRoleLike(t[sub.lo:sub.hi]) {
		return
	}
	e := s - 1
	n := e
	for n > 0 && isNameTok(t, n-1) && !t[n-1].quoted {
		n--
	}
	if !isPersonNameRun(t, n, e) || n == 0 || !t[n-1].word || t[n-1].cap || t[n-1].quoted {
		return
	}
	sub.role = x.roleText(t[sub.lo:sub.hi])
	sub.lo, sub.hi = n, e
}

// clauseStart returns the index of the first token of the sentence's main
// clause: after an opening conjunction and an introductory phrase ("But in a
// statement on Friday, ...").
// clauseStartOf is clauseStart(t), remembered for the last token slice
// asked: the extractor asks it of a sentence several times (for its main
// subject, for the subject of each verb), and tokens do not change once
// prepare has made them.
func (x *extractor) clauseStartOf(t []tok) (main, intro int) {
	if len(t) == 0 {
		return clauseStart(t)
	}
	if m := &x.clauseMemo; m.first == &t[0] && m.n == len(t) {
		return m.main, m.intro
	}
	main, intro = clauseStart(t)
	x.clauseMemo = clauseMemo{first: &t[0], n: len(t), main: main, intro: intro}
	return main, intro
}

// clauseMemo is the last answer of clauseStartOf: for the tokens from
// first, n of them.
type clauseMemo struct {
	first       *tok
	n           int
	main, intro int
}

func clauseStart(t []tok) (main, intro int) {
	i := datelineEnd(t)
	if i == 0 {
		// A section heading in capitals run into the sentence: "THE
		// BORROWING Back when ...".
		k := 0
		for k < len(t) && t[k].word && !t[k].quoted && len(t[k].text) > 1 && isAllCaps(t[k].text) {
			k++
		}
		if k >= 2 && k < len(t) && t[k].word && t[k].cap && !isAllCaps(t[k].text) {
			i = k
		}
	}
	for i < len(t) && (t[i].in(lexLeadConjunctions) || !t[i].word && !t[i].mark) {
		i++
	}
	if i+1 < len(t) && t[i].word && !t[i].quoted && (t[i].in(lexDayNames) || t[i].is("yesterday", "today", "tonight")) &&
		t[i+1].word && !t[i+1].in(lexFiniteWords) && !t[i+1].in(lexCueVerbs) {
		i++ // "Yesterday respected analyst Shiraz Maher, ..., tweeted"
	}
	if i+1 < len(t) && t[i].cap && t[i].word && !t[i].quoted && t[i].in(lexLeadAdverbs) && t[i+1].in(lexIntroWords) {
		i++ // "Shortly after the call, ...", "Back when he wrote his book, ..."
	}
	for j := i + 2; j < len(t) && j < i+8; j++ {
		if t[j].text == "," && t[j-1].is("later", "earlier", "ago", "afterwards", "afterward") && !t[i].quoted {
			return j + 1, i + 1 // "Less than four hours later, a resident ..."
		}
		if !t[j].word {
			break
		}
	}
	if i+2 < len(t) && t[i].is("every", "each") && !t[i].quoted {
		for j := i + 2; j < len(t) && j < i+5; j++ {
			if t[j].text == "," && isTimePhrase(t, i+1, j) {
				return j + 1, i + 1 // "Every December, Time announces ..."
			}
		}
	}
	if i < len(t) && t[i].in(lexIntroWords) && !t[i].quoted {
		for j := i + 1; j < len(t) && j < i+30; j++ {
			if t[j].text == "," {
				if j+1 < len(t) && t[j+1].mark && t[j+1].closes {
					return j + 2, i + 1 // "After Scalia said they might do better at “less advanced schools,” Trump said"
				}
				return afterPlaceAndTime(t, j), i + 1
			}
			// A quotation inside the phrase, after a word in lower case ("at
			// “less advanced schools,”"), does not end it.
			if t[j].mark && !(j+1 < len(t) && t[j+1].quoted && t[j-1].word && !t[j-1].cap && !t[j].lineStart) || t[j].text == ";" || t[j].text == ":" {
				break
			}
		}
	}
	return i, i
}

// afterPlaceAndTime returns where the main clause starts after the comma
// t[j] that ends an introductory phrase, past the state of a town the
// phrase ended with and a time, each between commas: "At a rally in
// Portsmouth, N.H., on Tuesday, Senator ...".
func afterPlaceAndTime(t []tok, j int) int {
	if j > 0 && t[j-1].cap && t[j-1].word {
		if k := placeRunEnd(t, j+1); k > j+1 && k < len(t) && t[k].text == "," {
			j = k
		}
	}
	for k := j + 2; k < len(t) && k <= j+4; k++ {
		if from := j + 1; t[k].text == "," && (isTimePhrase(t, from, k) || t[from].is("on", "in") && isTimePhrase(t, from+1, k)) {
			return k + 1
		}
		if !t[k].word {
			break
		}
	}
	return j + 1
}

// placeRunEnd returns the end of a state or country written from t[lo]
// ("South Carolina", "N.H.", "Ohio", "France"), or lo if none is.
func placeRunEnd(t []tok, lo int) int {
	if lo >= len(t) || !t[lo].word || !t[lo].cap || t[lo].quoted {
		return lo
	}
	if lo+1 < len(t) && t[lo+1].word && t[lo+1].cap && t[lo].is("new", "north", "south", "west", "rhode") && statePlaces[t[lo].low+"_"+t[lo+1].low] {
		return lo + 2
	}
	if l := t[lo].low; usStates[l] || countries[l] || statePlaces[l] || statePlaces[l+"."] && lo+1 < len(t) && t[lo+1].text == "." {
		if statePlaces[l+"."] && !statePlaces[l] && !usStates[l] {
			return lo + 2
		}
		return lo + 1
	}
	return lo
}

// datelineEnd returns the index after a dateline that opens the sentence
// ("WASHINGTON (AP) —", "SELMA, Ala. --", "PARIS, Aug 31 (Reuters) -"), or 0.
func datelineEnd(t []tok) int {
	i := 0
	for i < len(t) && i < 4 && t[i].word && isAllCaps(t[i].text) && len(t[i].text) > 1 {
		i++
	}
	if i == 0 {
		// "Washington (AFP) –": a place in title case, then the agency.
		for i < len(t) && i < 3 && t[i].word && t[i].cap && !t[i].quoted {
			i++
		}
		if i == 0 || i+3 >= len(t) || t[i].text != "(" || !t[i+1].cap || !t[i+1].word || t[i+2].text != ")" || !isDash(&t[i+3]) {
			return 0
		}
	}
	if i < len(t) && t[i].text == "," {
		i++
		for j := i; j < len(t) && j < i+5 && (t[j].word || t[j].text == "."); j++ {
			i = j + 1
		}
	}
	if i+2 < len(t) && t[i].text == "(" && t[i+1].word && t[i+2].text == ")" {
		i += 3
	}
	if i >= len(t) || !isDash(&t[i]) {
		return 0
	}
	for i < len(t) && isDash(&t[i]) {
		i++
	}
	return i
}

func isAllCaps(s string) bool {
	letters := 0
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z':
			return false
		case 'A' <= r && r <= 'Z':
			letters++
		case r != '.' && r != '\'' && r != '’' && r < 0x80:
			return false
		}
	}
	return letters > 0
}

// opensClause reports whether a clause may begin at t[s]: a word after
// punctuation that separates clauses or a conjunction.
func opensClause(t []tok, s int) bool {
	if !t[s].word || t[s].quoted {
		return false
	}
	if t[s].lineStart {
		return true // after a heading on the line before
	}
	p := &t[s-1]
	if p.mark {
		return true
	}
	switch p.text {
	case ",", ";", ":", "(", "—", "–", "-":
		return true
	}
	if p.word && t[s].cap && (t[s].is("the", "a", "an") || t[s].in(lexPronouns) && t[s].low != "i") {
		return true // a full stop lost before it: "his terrier Rex The retired postman said", "to pay its bills He said"
	}
	return p.in(lexClauseOpeners)
}

// subjectAt reads a subject starting at t[s] for the verb t[v].
func (x *extractor) subjectAt(t []tok, s, v int) (subject, bool) {
	hi := s + 1
	if !t[s].in(lexPronouns) && t[s].low != "who" {
		hi = npEnd(t, s)
		// "Union leaders in a statement on Friday said": the channel is no
		// part of the subject.
		for j := s + 1; j < hi; j++ {
			if t[j].is("in", "on", "at") {
				if p, _ := x.channelAfter(t, j); p > j {
					hi = j
					break
				}
			}
		}
	}
	if hi <= s || hi > v {
		return subject{}, false
	}
	sub := subject{lo: s, hi: hi, appLo: -1}
	if !x.modifiers(t, hi, v, &sub) {
		return subject{}, false
	}
	// "The agency's spokeswoman, Lena Ortiz, said": the name speaks, and
	// the phrase before it is the role.
	if h := t[headIndex(t, s, hi)]; sub.appLo >= 0 && isNameRun(t, sub.appLo, sub.appHi) &&
		(!h.cap || h.bareIn(lexTitleWords) || isRoleTok(&h)) {
		sub.role = x.roleText(t[s:hi])
		sub.lo, sub.hi = sub.appLo, sub.appHi
	}
	return sub, true
}

// npEnd returns the end of the noun phrase that starts at t[s], names
// joined by "and" included ("Mr. Grassley and Mr. Leahy"), a participle
// after its head excluded ("the association representing pilots").
func npEnd(t []tok, s int) int {
	hi := npEndForward(t, s)
	for k := s + 1; k < hi; k++ {
		if isParticiple(t, k) {
			hi = k
			break
		}
	}
	if hi > s && hi+2 < len(t) && t[hi].is("and") && isPluralNoun(t[hi-1].low) && !t[hi+1].quoted {
		// "Politicians and even some technologists".
		n := hi + 1
		for n < len(t) && t[n].is("even", "also", "some", "many", "other") {
			n++
		}
		if h2 := npEndForward(t, n); h2 > n && isPluralNoun(t[h2-1].low) && !t[h2-1].in(lexNpStop) {
			return h2
		}
	}
	if hi > s && hi+2 < len(t) && t[hi].is("and") && t[hi-1].cap && !t[hi+1].quoted {
		// "Mr. Grassley and Mr. Leahy", "Harvard and the University of California".
		n := hi + 1
		if t[n].is("the") {
			n++
		}
		if h2 := npEndForward(t, n); h2 > n && t[n].cap {
			return h2
		}
	}
	return hi
}

// isParticiple reports whether t[k] is a participle that opens a modifier
// after a noun: "representing" in "the association representing pilots",
// "commissioned" in "a report commissioned by the district". A past
// participle needs a preposition or a time after it; "Clinton led
// Sanders" is a clause.
func isParticiple(t []tok, k int) bool {
	w := &t[k]
	if !w.word || w.cap || w.quoted || k == 0 || !t[k-1].word || t[k-1].in(lexDeterminers) || w.in(lexCueVerbs) {
		return false
	}
	if k+1 >= len(t) || !t[k+1].word {
		return false
	}
	n := &t[k+1]
	if len(w.low) > 5 && strings.HasSuffix(w.low, "ing") {
		// With its object: "representing 1,200 pilots", not "media buying sources".
		return !ingNouns[w.low] && (n.in(lexDeterminers) || isNumberTok(n) || n.cap || n.in(lexPlacePreps) || n.is("as", "for"))
	}
	if !(len(w.low) > 4 && strings.HasSuffix(w.low, "ed") && !w.in(lexRoleNouns) || w.in(lexIrregularPasts)) {
		return false
	}
	return n.in(lexPlacePreps) || n.is("by", "as", "for") || isTimeTok(t, k+1)
}

// verbBefore reports whether t[i], inside what looks like a noun phrase,
// is rather a verb with its object: a past tense, an irregular past or a
// present in -s, followed by a determiner, a pronoun, a name or a number
// ("Clinton led Sanders", "the poll finds Trump ahead", "Bush won 39").
func verbBefore(t []tok, i int) bool {
	w := &t[i]
	l := w.low
	if !w.word || w.cap || w.quoted || i+1 >= len(t) || len(l) < 3 {
		return false
	}
	past := len(l) > 3 && strings.HasSuffix(l, "ed") && !w.in(lexParticipleAdjectives) || w.in(lexIrregularPasts)
	if !past && !(len(l) > 3 && l[len(l)-1] == 's') {
		return false // neither a past nor a present in -s
	}
	if w.in(lexIrregularPasts) && t[i+1].is("to") {
		return true // "the senator sought to calm"
	}
	if w.in(lexNpPreps) || w.in(lexDeterminers) || i > 0 && t[i-1].in(lexDeterminers) || w.bareIn(lexTitleWords) || isRoleTok(w) {
		return false
	}
	if past && i > 0 && t[i-1].cap && t[i-1].word {
		return true // after a name: "Mook refused", "Reid caucused", "Trump shot back"
	}
	n := &t[i+1]
	if !n.word || n.quoted || !(n.in(lexDeterminers) || n.is("him", "them", "us", "me", "it") || isNumberTok(n) ||
		n.cap && !isTimeTok(t, i+1)) {
		return false
	}
	if past {
		return true
	}
	if !(len(l) > 3 && strings.HasSuffix(l, "s") && !strings.HasSuffix(l, "ss") && !strings.HasSuffix(l, "us")) || !t[i-1].word {
		return false
	}
	// After a name, or after a document's noun with a name next: "the
	// Rove ad hits Clinton".
	return t[i-1].cap || n.cap && !isPluralNoun(t[i-1].low) && docNouns[t[i-1].low]
}

// modifiers reads what stands between a subject's noun phrase, which ends
// before t[e], and its verb t[v]: appositives between commas, brackets or
// dashes; a relative or participle clause right after the head;
// auxiliaries, adverbs, time and channel phrases. It reports whether
// nothing else stands there.
func (x *extractor) modifiers(t []tok, e, v int, sub *subject) bool {
	head := e
	// The last appositive, or the phrase itself, ended in a place:
	// ", from Curry Rivel,", "Stacy Baker of Columbia".
	place := e-2 > sub.lo && t[e-1].cap && t[e-1].word && t[e-2].is("of", "from", "in")
	for e < v {
		k := &t[e]
		switch {
		case k.text == "(":
			c := indexTok(t, e+1, v, ")")
			if c < 0 {
				return false
			}
			e = c + 1
		case isDash(k):
			o := e + 1
			for o < v && isDash(&t[o]) {
				o++
			}
			c := o
			for c < v && !isDash(&t[c]) {
				c++
			}
			if c >= v || !x.appositive(t, o, c, sub) {
				return false
			}
			for c < v && isDash(&t[c]) {
				c++
			}
			e = c
		case k.text == ",":
			c := indexTok(t, e+1, v, ",")
			if c < 0 {
				if place && v-e-1 >= 1 && v-e-1 <= 2 && t[e+1].cap && t[v-1].cap && t[e+1].word && t[v-1].word && !t[v-1].quoted &&
					(e > head || placeRunEnd(t, e+1) == v) {
					// "Mr Cooper, from Curry Rivel, Somerset said": the
					// county of the place, its comma lost before the verb.
					e = v
					continue
				}
				e++ // the comma before the verb
				continue
			}
			if !x.appositive(t, e+1, c, sub) {
				return false
			}
			place = t[e+1].is("from", "of") && e+2 < c && t[e+2].cap
			e = c
		case k.word && !k.quoted && (k.in(lexAuxWords) || isAdverb(k) || isTimeTok(t, e)):
			e++
		case k.word && !k.quoted && k.is("in", "on", "at", "during", "via", "through", "last", "this", "earlier"):
			p, via := x.channelAfter(t, e)
			if p <= e || p > v {
				return false
			}
			sub.via = firstNonEmpty(sub.via, via)
			e = p
		case e == head && k.is("who", "that", "which", "whose", "whom"):
			// A relative clause, with no punctuation up to the verb.
			if v == e+1 {
				return false
			}
			for j := e + 1; j < v; j++ {
				if !t[j].word && !t[j].quoted {
					if t[j].text == "," && j > e+1 && x.nameAfterRelative(t, j, v, sub) {
						sub.anon = sub.anon || containsAnon(t[e:j])
						return true
					}
					return false
				}
			}
			sub.anon = sub.anon || containsAnon(t[e:v])
			return true
		case e == head && isParticiple(t, e):
			j := e + 1
			for j < v && j < e+10 && t[j].word && !t[j].quoted &&
				(isNPTok(t, j) || isTimeTok(t, j) || t[j].in(lexNpPreps) || t[j].is("by", "to")) {
				j++
			}
			sub.anon = sub.anon || containsAnon(t[e:j])
			// The modifier describes the speaker: "the association
			// representing 1,200 pilots".
			m := j
			for m > e+1 && isTimeTok(t, m-1) {
				m--
			}
			if m > e+1 { // not a participle alone: "the poll released Friday" is the poll
				sub.hi = m
			}
			e = j
		default:
			return false
		}
	}
	return true
}

// nameAfterRelative reports whether the comma t[c], which ends a relative
// clause after the subject's head, opens an appositive name that the
// subject's verb t[v] follows: "The contractor that maintains the bridge,
// Ridgeline Works, denied". The name is recorded as the appositive, so that
// it speaks rather than the last noun of the relative clause. Only
// auxiliaries and adverbs may stand between the name and the verb.
func (x *extractor) nameAfterRelative(t []tok, c, v int, sub *subject) bool {
	d := indexTok(t, c+1, v, ",")
	if d < 0 || !isNameRun(t, c+1, d) {
		return false
	}
	for j := d + 1; j < v; j++ {
		if !t[j].word || t[j].quoted || !(t[j].in(lexAuxWords) || isAdverb(&t[j])) {
			return false
		}
	}
	sub.appLo, sub.appHi = c+1, d
	return true
}

// appositive records what an appositive t[lo:hi] says of the subject: a
// role ("the city's chief engineer"), anonymity ("speaking on condition of
// anonymity"). It reports false for what cannot be an appositive: nothing,
// or a quotation.
func (x *extractor) appositive(t []tok, lo, hi int, sub *subject) bool {
	if lo >= hi {
		return false
	}
	for i := lo; i < hi; i++ {
		if t[i].mark || t[i].text == ";" || t[i].text == ":" {
			return false
		}
	}
	// A clause is no appositive: "..., though trains were late, ..." or
	// "..., was not affected, ..."; a relative clause inside one is.
	if t[lo].in(lexClauseOpeners) && !t[lo].is("that") {
		return false
	}
	for i := lo; i < hi && !(t[i].in(lexRelatives) || t[i].low == "whom"); i++ {
		if t[i].in(lexFiniteWords) && !t[i].quoted {
			return false
		}
	}
	if sub.appLo < 0 {
		sub.appLo, sub.appHi = lo, hi
	}
	region := t[lo:hi]
	if containsAnon(region) {
		sub.anon = true
	}
	if len(region) > 12 {
		// A long appositive: its role is what comes before a relative.
		for i, w := range region {
			if w.is("who", "which", "whose", "that") {
				region = region[:i]
				break
			}
		}
	}
	// Not a role: a phrase of place or time ("in a major speech this
	// morning"), a caption's "pictured", an age ("34"), an adjective alone.
	if len(region) > 0 && (region[0].is("in", "on", "at", "during", "before", "after", "following", "amid", "inside", "outside", "near", "across",
		"around", "over", "under", "upon", "behind", "beside", "to", "pictured", "left", "right", "centre", "center", "above", "below")) {
		return true
	}
	if len(region) > 0 && sub.role == "" && !region[0].is("speaking", "citing", "according") &&
		(isRoleLike(region) || region[0].is("the", "a", "an") && len(region) <= 8) {
		sub.role = x.roleText(region)
	}
	return true
}

func indexTok(t []tok, from, to int, text string) int {
	for i := from; i < to; i++ {
		if t[i].text == text && !t[i].quoted {
			return i
		}
	}
	return -1
}

func isDash(k *tok) bool { return !k.word && (k.text == "—" || k.text == "–" || k.text == "-") }

// npStartBack returns where the noun phrase that ends at t[hi-1] starts.
// A determiner starts the phrase unless a preposition inside it comes
// before ("people familiar with the matter").
func npStartBack(t []tok, hi int) int {
	lo := hi
	for lo > 0 && isNPTok(t, lo-1) {
		lo--
		if t[lo].in(lexDeterminers) && !(lo > 0 && t[lo-1].in(lexNpPreps) && isNPTok(t, lo-1)) {
			break
		}
	}
	return lo
}

// isNPTok reports whether t[i] can be inside a speaker's noun phrase.
func isNPTok(t []tok, i int) bool {
	k := &t[i]
	if !k.word || k.quoted {
		return k.text == "&" || k.text == "-"
	}
	if k.in(lexNpPreps) {
		// Inside a phrase only: "spokesperson for the airline".
		return i > 0 && t[i-1].word && !t[i-1].in(lexNpStop) && i+1 < len(t) && t[i+1].word
	}
	if isVerbInPhrase(k) {
		return false
	}
	return !k.in(lexNpStop) || k.in(lexDeterminers)
}

// npEndForward returns the end of the noun phrase starting at t[lo].
func npEndForward(t []tok, lo int) int {
	hi := lo
	for hi < len(t) && hi < lo+12 {
		k := &t[hi]
		if !k.word || k.quoted {
			if (k.text == "&" || k.text == "/") && hi > lo && t[hi-1].cap && hi+1 < len(t) && t[hi+1].cap {
				hi++ // "Carver & Lowe", "New York Times/CBS News"
				continue
			}
			break
		}
		if k.lineStart && hi > lo {
			break
		}
		if hi > lo && (isVerbInPhrase(k) || verbBefore(t, hi) || !k.cap && (k.in(lexAuxWords) || isAdverb(k)) && !t[hi-1].in(lexNpPreps) ||
			k.in(lexBaseForms) && hi+1 < len(t) && t[hi+1].low == "that") { // "county data show that"
			break // "Clinton initially said", "officials subsequently told"
		}
		byDoc := k.low == "by" && hi > lo && docNouns[singular(t[hi-1].bare())] // "a study by Harvard"
		// "About 4 in 10", "over half": a share as the subject.
		approx := hi == lo && k.in(lexApproximators) && hi+1 < len(t) && (isNumberTok(&t[hi+1]) || isNumberWord(t[hi+1].low) ||
			t[hi+1].is("half", "a", "one", "two", "three"))
		if k.in(lexNpStop) && !k.in(lexNpPreps) && !(k.in(lexDeterminers) && (hi == lo || t[hi-1].in(lexNpPreps) || t[hi-1].is("by"))) &&
			!isNameWord(t, hi) && !byDoc && !approx {
			break
		}
		if k.in(lexNpPreps) {
			if hi == lo || hi+1 >= len(t) || !t[hi+1].word {
				break
			}
		}
		if hi > lo+1 && !k.cap && len(k.low) > 3 && k.low[len(k.low)-2:] == "ed" && !k.in(lexRoleNouns) &&
			!t[hi-1].in(lexNpPreps) && !t[hi-1].in(lexDeterminers) && !k.in(lexParticipleAdjectives) {
			break // a verb: "The company issued ..."; not "of registered voters"
		}
		hi++
	}
	// Do not end on a preposition or determiner.
	for hi > lo && (t[hi-1].in(lexNpPreps) || t[hi-1].in(lexDeterminers)) {
		hi--
	}
	return hi
}

// isNameWord reports whether t[i], a capitalized word that is also a
// common word (Will, May, Grant), is part of a name here: next to another
// capitalized word, not at the start of the sentence.
func isNameWord(t []tok, i int) bool {
	return t[i].cap && i > 0 && !t[i-1].mark && (i+1 < len(t) && t[i+1].cap && t[i+1].word || t[i-1].cap && t[i-1].word)
}

func isNumberTok(k *tok) bool { return k.word && k.low[0] >= '0' && k.low[0] <= '9' }

func containsAnon(ts []tok) bool {
	for i := range ts {
		k := &ts[i]
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
	return lowerLead(&region[0], x.span(region[0].start, region[len(region)-1].end))
}

// lowerLead returns the role text s, whose first word is first, with that
// word in lower case when it is a possessive that a capital only began a
// sentence or a headline with: "Her spokesman" reads "her spokesman".
func lowerLead(first *tok, s string) string {
	if first.cap && first.is("her", "his", "their", "its", "our", "my", "your") {
		return strings.ToLower(s[:1]) + s[1:]
	}
	return s
}
