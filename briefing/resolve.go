package briefing

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file decides who a speaker's noun phrase means: a named person with
// the fullest name the article gives, a group, an organization, or someone
// mentioned earlier, referred to by a pronoun or a noun ("the company").

// resolveNP resolves the noun phrase t[lo:hi]; role is an appositive role
// found next to it, if any.
func (x *extractor) resolveNP(t []tok, lo, hi int, role string) attribution {
	if lo >= hi {
		return attribution{}
	}
	if hi-lo == 1 && t[lo].is("who", "which") {
		return x.resolveWho(t, lo, role)
	}
	if hi-lo == 1 && t[lo].in(lexPronouns) {
		return x.resolvePronoun(t[lo].low, t[lo].start)
	}
	if hi-lo > 1 && t[hi-1].is("itself", "himself", "herself", "themselves") {
		hi-- // "Ford itself"
	}
	// "a poll out Thursday", "a survey released last week": the time is no
	// part of who speaks.
	if end := hi; hi-lo > 2 && isTimeTok(t, hi-1) {
		for hi-lo > 2 && (isTimeTok(t, hi-1) || t[hi-1].is("last", "this", "next")) {
			hi--
		}
		if t[hi-1].is("out", "released", "published", "conducted", "issued") && docNouns[singular(t[hi-2].bare())] {
			hi--
		} else {
			hi = end
		}
	}
	lo, hi = trimSpeakerPhrase(t, lo, hi)
	if lo >= hi {
		return attribution{} // "Wednesday", "Well": a time or an adverb, no one
	}
	// Words that open a clause are no part of a speaker: "While Gordon
	// Brown", "That Cruz", "And Hillary Clinton".
	for lo < hi && (t[lo].in(lexNpStop) && !t[lo].in(lexDeterminers) || t[lo].is("that", "this") && lo+1 < hi && t[lo+1].cap) {
		if pronounForms[t[lo].low] {
			return attribution{}
		}
		lo++
	}
	definite := false
	for lo < hi && t[lo].is("the", "a", "an") {
		definite = definite || t[lo].low == "the"
		lo++
	}
	if definite && hi-lo == 1 && t[lo].is("latter", "former") {
		return attribution{} // "the latter said": which of the two is not sure
	}
	if definite && hi-lo == 2 && t[lo].is("younger", "elder", "older") && t[lo+1].cap && x.fullNames(t[lo+1].bare()) >= 2 {
		return attribution{} // "the younger Jordan", in a story on Frank and Louis Jordan: which is not sure
	}
	if lo >= hi || pronounForms[t[lo].low] || !t[lo].word {
		return attribution{} // "I've", "we're": the author or unclear
	}
	anon := containsAnon(t[lo:hi])
	if hi-lo >= 3 && (!t[lo].cap || t[lo].is("former") || hasPossessive(t, lo, lo+1)) {
		// "The former leader of the Labour Party said", after "Ed
		// Miliband, the former leader of the Labour Party": the one
		// person the article gave that very role.
		if a, ok := x.describedAs(x.span(t[lo].start, t[hi-1].end), anon, t[lo].start); ok {
			return a
		}
	}
	if and := coordinated(t, lo, hi); and > 0 {
		// "Mr. Hale and Ms. Ortiz": the pair, as written.
		text := x.span(t[lo].start, nameEnd(&t[hi-1]))
		e := entity{name: text, plural: true, person: true, anonymous: anon, at: t[lo].start}
		return attribution{speaker: text, role: role, anonymous: anon, ent: e}
	}
	if a, ok := x.nameOfPlace(t, lo, hi, role, anon); ok {
		return a
	}
	// A name at the end of the phrase: "Hamas Political Bureau member Basem
	// Naim", unless the phrase is a group of people at a place or body
	// ("astronomers at the Tillman Observatory").
	r := hi
	for r > lo && !(r < hi && t[r].lineStart) && (isNameTok(t, r-1) || r == hi && r-2 >= lo && isNumberTok(&t[r-1]) && t[r-2].cap) {
		r-- // a name, with a number that ends it: "Local 88"
	}
	if r < hi && r-2 >= lo && !t[r-1].cap && t[r-1].is("of", "on", "for") && t[r-2].cap && t[r-2].bareIn(lexOrgSuffixes) {
		// "the Commission on Presidential Debates", "Department of Justice":
		// one name.
		for r -= 2; r > lo && isNameTok(t, r-1) && !t[r].lineStart; r-- {
		}
	}
	if r == hi-1 && hi-lo == 1 && role == "" && !x.knownName(t, r) {
		// A capital that may only open the sentence: "Prosecutors" is a
		// group, "Earnings" no one; "Todd", never written in lower case
		// and no plural, a name.
		switch w := t[r].bare(); {
		case isSpeakerNoun(w):
			r = hi
		case isPluralNoun(w) || x.written(w, false):
			return attribution{}
		}
	}
	// "a study by Harvard and the University of California": a name inside
	// a phrase after the head is no speaker; the head is.
	if h := headIndex(t, lo, hi); r < hi && h+1 < r && (!t[h].cap || isAllCaps(t[h].text) && isRoleTok(&t[h])) && isSpeakerNoun(t[h].bare()) &&
		(t[h+1].in(lexNpPreps) || t[h+1].in(lexPlacePreps) || t[h+1].is("by")) &&
		(t[r-1].in(lexNpPreps) || t[r-1].in(lexPlacePreps) || t[r-1].in(lexDeterminers) || t[r-1].is("by", "and") || !isPersonNameRun(t, r, hi)) {
		r = hi // but "chief inspector of prisons Chris Hardwick" is Chris Hardwick
	}
	if r < hi && !groupAt(t, lo, r) {
		nameLo, titled := nameStart(t, r, hi, false)
		if t[hi-1].bareIn(lexOrgSuffixes|lexOrgNameWords) || isNumberTok(&t[hi-1]) && hasOrgWord(t, r, hi) {
			nameLo, titled = r, false // "Pine County Sheriff's Office" is all name
		}
		if ofTitle(t, lo, r, hi) {
			nameLo, titled = max(r+1, hi-2), true
		}
		if nameLo < hi {
			return x.named(t, lo, nameLo, hi, role, titled, anon)
		}
		// Only titles: "the Mayor", "President"; but "the Podesta Group's
		// CEO" is a description of its own.
		if !hasPossessive(t, r, hi) {
			if a, ok := x.nominal(t[hi-1].bare(), x.span(t[lo].start, t[hi-1].end), anon, t[lo].start); ok {
				return a
			}
		}
	}
	if q := quantityOf(t, lo, hi); q > lo {
		return x.quantity(t, lo, q, hi, role)
	}
	h := headIndex(t, lo, hi)
	if h+1 < hi && t[h].cap && !t[h].quoted && (t[h+1].in(lexNpPreps) || t[h+1].in(lexPlacePreps)) &&
		!(h == 0 || t[h-1].mark && t[h].quoted) && !isSpeakerNoun(t[h].bare()) {
		// "Robert Antonacci of the New York delegation": a name, and where
		// the person belongs as the role.
		nl := h
		for nl > lo && isNameTok(t, nl-1) && !t[nl].lineStart {
			nl--
		}
		if nameLo, titled := nameStart(t, nl, h+1, false); nameLo <= h {
			if role == "" {
				role = x.span(t[h+1].start, t[hi-1].end)
			}
			return x.named(t, lo, nameLo, h+1, role, titled, anon)
		}
	}
	head, plural := headNoun(t, lo, hi)
	if !isSpeakerNoun(head) && !(t[lo].is("those") && strings.HasSuffix(head, "ed")) && !ageNoun(head) {
		return attribution{} // "13 percent", "formula", "similar laws": no one
	}
	anon = anon || anonHeads[head]
	// "the official" refers back; "the pension fund’s current board" describes.
	if definite && hi-lo <= 2 && !hasCap(t, lo, hi) && !strings.ContainsAny(t[lo].text, "'’") || definite && hi-lo == 1 {
		if a, ok := x.nominal(head, x.span(t[lo].start, t[hi-1].end), anon, t[lo].start); ok {
			return a
		}
	}
	for lo < hi-1 && !t[lo].cap && t[lo].is("new", "latest", "recent", "online") {
		lo++ // "a new Quinnipiac poll" is the Quinnipiac poll
	}
	text := x.span(t[lo].start, t[hi-1].end)
	e := entity{
		name: text, head: singular(head), plural: plural, anonymous: anon,
		person: !plural && isRoleWord(head), org: orgNouns[head] || orgNouns[singular(head)],
		outlet: outletNouns[head], role: role, at: t[lo].start, gender: genderOf(head),
	}
	return attribution{speaker: text, role: role, anonymous: anon, ent: e}
}

// trimSpeakerPhrase takes from the phrase t[lo:hi] what cannot be part of
// who speaks: a time or sentence adverb in front ("Yesterday ParkingEye",
// "Last September a Syrian woman", "Initially"), a day or a lower-case
// time behind ("the father of the girl yesterday", "the police Friday"),
// and everything before a determiner that starts a new phrase in the
// middle ("his dog Sam The retired charity worker", where copy lost a full
// stop; "a factor the former manager"). The phrase may come back empty.
func trimSpeakerPhrase(t []tok, lo, hi int) (int, int) {
	for lo < hi && (t[lo].in(lexSentenceAdverbs) && t[lo].cap || t[lo].word && isTimeTok(t, lo) ||
		t[lo].is("last", "this", "next", "on", "earlier", "later") && lo+1 < hi && isTimeTok(t, lo+1)) {
		lo++
		for lo < hi && t[lo].text == "," {
			lo++
		}
	}
	for hi-lo > 1 && (t[hi-1].in(lexDayNames) || !t[hi-1].cap && t[hi-1].is("yesterday", "today", "tonight")) &&
		!(hi-2 >= lo && (t[hi-2].cap && t[hi-1].in(lexDayNames) || !t[hi-2].cap && (strings.HasSuffix(t[hi-2].low, "ed") || t[hi-2].is("out", "made", "put", "sent", "written")))) {
		hi--
		if hi-lo > 1 && t[hi-1].is("on", "last", "this", "late", "early") && !t[hi-1].cap {
			hi--
		}
	}
	for k := lo + 1; k < hi; k++ {
		if !t[k].cap && !t[k].quoted && t[k].is("knows", "thinks", "feels", "wants", "hopes", "fears", "wonders", "believes", "says", "admits", "insists") {
			hi = k // a verb ends it: "One traveller in particular knows how ..."
			break
		}
	}
	noun := lo // the first word after an article: "a factor the former manager"
	if noun+1 < hi && t[noun].is("a", "an", "the") {
		noun++
	}
	for k := hi - 2; k > lo; k-- {
		if !t[k].is("the", "a", "an") || !t[k-1].word || t[k-1].quoted || t[k].quoted || phraseLinks(t[k-1].low) {
			continue
		}
		// Only a capital determiner after a word, or a bare noun before the
		// phrase; "sources who have seen the letter" keeps its clause.
		if t[k].cap && !t[k].lineStart || k == noun+1 && !t[noun].cap && !isNumberTok(&t[noun]) && !t[noun].in(lexDeterminers) {
			return k, hi
		}
	}
	return lo, hi
}

// phraseLinks reports whether a determiner may follow w inside one noun
// phrase: after a preposition or conjunction ("a spokesman for the
// agency", "sources close to the party").
func phraseLinks(w string) bool {
	switch w {
	case "by", "including", "like", "than", "as", "among", "between", "across", "per", "via", "versus", "vs", "toward", "towards", "against", "over", "under", "within", "without", "through", "into", "onto", "upon", "about", "inside", "outside", "near", "behind", "beyond", "around", "throughout", "representing", "familiar", "close":
		return true
	}
	return npPreps[w] || placePreps[w] || npStop[w] || eventPreps[w]
}

// quantityOf returns the index of the noun phrase that a quantity opening
// t[lo:hi] counts ("46 percent of voters", "half of GOP voters", "6 in 10
// voters"), lo when the phrase is no quantity, and hi when the quantity
// stands alone ("Nearly half", "52 percent").
func quantityOf(t []tok, lo, hi int) int {
	i := lo
	for i < hi && t[i].is("some", "nearly", "almost", "about", "roughly", "more", "less", "fewer", "than", "only",
		"just", "a", "an", "full", "over", "under", "around", "another", "the") {
		i++
	}
	if i+1 < hi && t[i].is("average") && t[i+1].is("of") {
		i += 2 // "an average of 10 percent of voters"
	}
	if i >= hi {
		return lo
	}
	switch {
	case isNumberTok(&t[i]) || isNumberWord(t[i].low) || strings.HasSuffix(t[i].low, "-percent"):
		i++
		switch {
		case i < hi && t[i].is("percent", "%"):
			i++
		case i+1 < hi && t[i].is("in", "out"): // "6 in 10", "four out of five"
			i += 2
			if i < hi && t[i].is("of") {
				i++
			}
			for i < hi && (isNumberTok(&t[i]) || isNumberWord(t[i].low)) {
				i++
			}
		case !strings.HasSuffix(t[i-1].low, "-percent") && !(i < hi && t[i].is("of")):
			return lo // "Two officials": a count, not a share
		}
	case t[i].is("half", "third", "thirds", "quarter", "quarters", "majority", "plurality", "minority", "most", "share",
		"number", "handful", "couple", "dozen", "dozens", "hundreds", "thousands", "group"):
		i++
		if i < hi && !t[i].is("of") {
			return lo // "most recent data"
		}
	default:
		return lo
	}
	if i < hi && t[i].is("of") {
		i++
	}
	for i < hi && t[i].is("the", "those") {
		i++
	}
	return i
}

// isNumberWord reports whether w is a number in words: "four",
// "twenty-four".
func isNumberWord(w string) bool {
	for part := range strings.SplitSeq(w, "-") {
		if !numberWords[part] {
			return false
		}
	}
	return w != ""
}

// quantity attributes what a share of a group said ("46 percent of voters
// said"): the group speaks, the share is its role, and a poll named before
// is the channel. A share with no group names no one for certain.
func (x *extractor) quantity(t []tok, lo, q, hi int, role string) attribution {
	share := x.span(t[lo].start, t[hi-1].end)
	poll := x.pollBefore(t[lo].start)
	var group attribution
	if q < hi && !t[q].is("who", "whom") {
		group = x.resolveNP(t, q, hi, "")
	}
	switch {
	case group.speaker != "":
		group.role, group.via = share, poll
		return group
	case poll != "":
		return attribution{speaker: poll, role: share}
	}
	return attribution{speaker: share, unsure: true}
}

// pollBefore returns the poll or survey the article named last before off,
// or "".
func (x *extractor) pollBefore(off int) string {
	for i := len(x.polls) - 1; i >= 0; i-- {
		if x.polls[i].at < off {
			return x.polls[i].name
		}
	}
	return ""
}

// notePolls records the polls and surveys a sentence names: "a new
// Quinnipiac University poll".
func (x *extractor) notePolls(t []tok) {
	for k := range t {
		w := &t[k]
		if w.quoted || w.cap || len(w.low) < 4 || w.low[0] != 'p' && w.low[0] != 's' || !w.is("poll", "survey") || k == 0 {
			continue
		}
		lo := npStartBack(t, k+1)
		for lo < k && (t[lo].in(lexDeterminers) || !t[lo].cap && t[lo].is("new", "latest", "recent")) {
			lo++
		}
		if lo < k {
			x.polls = append(x.polls, mention{name: x.span(t[lo].start, w.end), at: w.start})
		}
	}
}

// ageNoun reports whether w is an age used as a noun: "the 46-year-old".
func ageNoun(w string) bool { return strings.HasSuffix(w, "-year-old") }

// knownName reports whether the capitalized word t[i] is known as a name:
// it is not the sentence's first word, or the article writes it
// capitalized elsewhere inside a sentence, or it is a known first name.
func (x *extractor) knownName(t []tok, i int) bool {
	if i > 0 && !(t[i-1].mark && t[i].quoted) && t[i-1].text != "(" {
		return true
	}
	w := t[i].bare()
	return len(x.names[w]) > 0 || len(x.orgs[w]) > 0 || genderOfFirstName(w) != 0 || x.written(w, true)
}

// isSpeakerNoun reports whether a common noun can head the phrase of
// someone who speaks: a person or role, a group, an organization or
// outlet, a document or data, or an agent noun ("developers", "critics").
func isSpeakerNoun(w string) bool {
	s := singular(w)
	if anonHeads[w] || isRoleWord(w) || titleWords[w] || orgNouns[s] || orgSuffixes[w] || outletNouns[w] ||
		docNouns[s] || docNouns[w] || groupNouns[w] || groupNouns[s] {
		return true
	}
	if len(s) < 5 || notAgents[s] || strings.HasSuffix(s, "ment") {
		return false
	}
	for _, suf := range []string{"er", "or", "ist", "ian", "ant", "ent", "eer", "ive", "crat", "can"} {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// nameOfPlace reads "Senator John Cornyn of Texas", "Mr. Burman of the Tax
// Policy Center": a person's name, then where the person comes from or
// works, which is the role.
func (x *extractor) nameOfPlace(t []tok, lo, hi int, role string, anon bool) (attribution, bool) {
	// The first preposition after a name; what stands before the name
	// describes the person: "former Gov. Jeb Bush of Florida",
	// "Monmouth University political scientist Ann Dole of Ohio".
	e := lo + 1
	for e < hi && !(t[e].is("of", "at", "from", "with", "in") && isNameTok(t, e-1)) {
		if !t[e].word || t[e].quoted || t[e].in(lexNpPreps) || t[e].in(lexPlacePreps) {
			return attribution{}, false
		}
		e++
	}
	if e+1 >= hi {
		return attribution{}, false
	}
	s := e - 1
	for s > lo && isNameTok(t, s-1) && !t[s].lineStart {
		s--
	}
	p := e + 1
	if t[p].is("the") {
		p++
	}
	if !placeNameRun(t, p, hi) {
		return attribution{}, false
	}
	nameLo, titled := nameStart(t, s, e, false)
	if nameLo >= e || t[e-1].bareIn(lexOrgSuffixes) || t[e-1].bareIn(lexOrgNameWords) || e-nameLo == 1 && isSpeakerNoun(t[nameLo].bare()) {
		return attribution{}, false // "Department of Health": one name
	}
	if role == "" {
		role = x.span(t[p].start, t[hi-1].end)
		if r := x.roleBefore(t, lo, nameLo); r != "" {
			role = r + " " + x.span(t[e].start, t[hi-1].end)
		}
	}
	return x.named(t, lo, nameLo, e, role, titled, anon), true
}

// isPersonNameRun reports whether the name t[r:hi] reads as a person's:
// two words or more, the first a known first name.
func isPersonNameRun(t []tok, r, hi int) bool {
	return hi-r >= 2 && genderOfFirstTok(&t[r]) != 0
}

// placeFirst reports whether a name is, or opens with, a country or a
// state: "Greece", "Iraq Al-Douri" (a caption run into a name).
func placeFirst(name string) bool {
	first, _, _ := strings.Cut(name, " ")
	return lowerKey(countries, first) || lowerKey(usStates, first)
}

// isPlaceName reports whether a name of two words or more reads as a
// place's: "Mount Everest", "Mill Street".
func isPlaceName(full string) bool {
	first, _, ok := strings.Cut(full, " ")
	return ok && (lowerKey(placeLeads, first) || lowerKey(placeHeads, lastWord(full)))
}

// placeNameRun reports whether t[lo:hi] is a name, with "of", "for" or
// "and" inside between capitals: "the Armenian Patriarchate of Jerusalem".
func placeNameRun(t []tok, lo, hi int) bool {
	if hi <= lo || !isNameTok(t, lo) || !isNameTok(t, hi-1) {
		return false
	}
	for i := lo + 1; i < hi-1; i++ {
		if !isNameTok(t, i) && !(t[i].is("of", "for", "and", "the", "in", "at") && !t[i].quoted) {
			return false
		}
	}
	return true
}

// coordinated returns the index of the "and" that joins two names in
// t[lo:hi], or 0.
func coordinated(t []tok, lo, hi int) int {
	for k := lo + 1; k+1 < hi; k++ {
		if t[k].is("and") && t[k-1].cap && t[k+1].cap {
			return k
		}
	}
	return 0
}

// groupAt reports whether t[lo:r], before a name starting at t[r], ends in
// a preposition after a common noun: "nurses at", "residents of the", so
// the phrase is a group of people, not the name.
func groupAt(t []tok, lo, r int) bool {
	for k := lo + 1; k < r; k++ {
		if isParticiple(t, k) {
			return true // "the union representing Delta pilots"
		}
	}
	p := r - 1
	for p > lo && t[p].in(lexDeterminers) {
		p--
	}
	if p <= lo || !t[p].in(lexNpPreps) {
		return false
	}
	h := &t[p-1]
	if h.bareIn(lexTitleWords) && t[p].low == "of" {
		return false // "Secretary of State Linda Marsh"; but "a spokesman for Governor Alder", "Senator from Texas"
	}
	if !h.cap || partyWords[h.low] && isPluralNoun(h.low) {
		return true // "Democrats on Capitol Hill": the party's members, not the place
	}
	// Capitalized only because it opens the sentence: "Nurses at ...".
	return h.start == t[0].start && (isPluralNoun(h.low) || isRoleWord(h.low)) && genderOfFirstTok(h) == 0
}

// ofTitle reports whether the name run t[r:hi] continues a title such as
// "Secretary of State Linda Marsh": the name is then its last two words.
func ofTitle(t []tok, lo, r, hi int) bool {
	return r-2 >= lo && t[r-1].low == "of" && (t[r-2].bareIn(lexTitleWords) || isRoleTok(&t[r-2])) && hi-r >= 2
}

// resolveWho resolves the "who" of "Rita Gomez, a council member who said"
// or "an official who was not authorized to speak": the noun phrase before.
func (x *extractor) resolveWho(t []tok, who int, role string) attribution {
	j := who - 1
	if j >= 0 && t[j].text == "," {
		j--
	}
	if j < 0 || !t[j].word {
		return attribution{}
	}
	l := npStartBack(t, j+1)
	if l > 0 && l < j && (t[l-1].is("may", "might", "can", "could", "should", "must") || t[l-1].in(lexAuxWords)) && !t[l].cap && !t[l].in(lexDeterminers) {
		l++ // "will placate nervous Democrats, who": the verb is no part of them
	}
	for m := j - 1; m >= l && m > 0; m-- {
		if t[m].is("to") && !t[m+1].cap && !t[m+1].in(lexDeterminers) && !t[m-1].cap {
			l = m + 2 // "likely to placate nervous Democrats, who"
			break
		}
		if m > l && t[m].is("to", "with") && !t[m-1].cap && (t[m-1].in(lexIrregularPasts) || strings.HasSuffix(t[m-1].low, "ed")) {
			l = m + 1 // "Reporters spoke to a spokesman, who": the verb's object
			break
		}
	}
	if l > j {
		return attribution{}
	}
	// "workers in New York and Seattle who": the relative may belong to a
	// noun further back; no one for certain.
	if l > 0 && (t[l-1].in(lexNpPreps) || t[l-1].in(lexPlacePreps) || t[l-1].is("and", "or")) {
		return attribution{}
	}
	// "Rita Gomez, a council member who": the name before the appositive.
	if !hasCap(t, l, j+1) && l >= 2 && t[l-1].text == "," && isNameTok(t, l-2) {
		nl := l - 1
		for nl > 0 && isNameTok(t, nl-1) && !t[nl].lineStart {
			nl--
		}
		if role == "" {
			role = x.roleText(t[l : j+1])
		}
		return x.resolveNP(t, nl, l-1, role)
	}
	return x.resolveNP(t, l, j+1, role)
}

// nameStart skips what comes before the name in the run t[i:j]: a
// sentence's first word, titles, honorifics and role words ("County Clerk
// Omar Castellanos"). titled reports a title or honorific.
func nameStart(t []tok, i, j int, sentenceStart bool) (lo int, titled bool) {
	lo = i
	for k := i; k < j; k++ {
		switch {
		case k == j-2 && len(trimPossessive(t[j-1].text)) == 1 && t[k].cap && (t[k].bareIn(lexTitleWords) || isRoleTok(&t[k])):
			// "Nurse B", "Patient A": an anonymised name, the role with
			// its letter; a letter alone names no one.
			return lo, false
		case k == 0 && sentenceStart && k+1 < j && participleOpener(&t[k]):
			lo = k + 1 // "Laughing Eugenie, wearing ...": a caption's participle, not a first name
		case t[k].bareIn(lexTitleWords) || t[k].in(lexHonorifics):
			lo, titled = k+1, true
		case t[k].cap && k < j-1 && isRoleTok(&t[k]):
			lo, titled = k+1, true
		case k == 0 && sentenceStart && (starters[t[k].text] || t[k].cap && t[k].in(lexSentenceAdverbs)):
			lo = k + 1
		case k == lo && k+2 < j && t[k].cap && t[k].in(lexNationalities) && genderOfFirstTok(&t[k+1]) != 0:
			lo, titled = k+1, true // "American Lauren Davis": a nationality, then the name
		case k == lo && k+1 < j && t[k].cap && t[k].is("former", "ex"):
			lo = k + 1 // "Former TSA agent …": a modifier, not a first name
		case k == lo && k+1 < j && t[k].cap && t[k].in(lexNameSubordinators):
			lo = k + 1 // a clause word run into a name where copy lost a full stop: "When Air Force bosses"
		}
	}
	return lo, titled
}

// kindOf classifies the name t[nameLo:hi]: a person, an organization or
// outlet, or unknown ("maybe": could be either until the text says more).
func (x *extractor) kindOf(t []tok, lo, nameLo, hi int, titled bool, full string) (person, org, outlet bool) {
	if _, ok := x.outletName(t, lo, hi); ok {
		return false, true, true
	}
	if t[hi-1].bareIn(lexOrgSuffixes | lexOrgNameWords) {
		return false, true, false
	}
	if titled && !honorOnly(t, lo, nameLo) || nameLo > lo && t[nameLo-1].in(lexHonorifics) {
		return true, false, false
	}
	if genderOfFirstTok(&t[nameLo]) != 0 || x.genders[full] != 0 || x.roles[full] != "" {
		return true, false, false
	}
	if full != x.span(t[nameLo].start, nameEnd(&t[hi-1])) {
		// "at Dortmund" after "Borussia Dortmund": a place or a club, not
		// the surname of a person named in full before.
		if nameLo > 0 && t[nameLo-1].is("in", "at", "near", "inside", "outside", "across") || isPlaceName(full) {
			return false, false, false // nor "Everest" after "Mount Everest"
		}
		words, first := 0, ""
		for f := range strings.FieldsSeq(full) {
			if words++; words == 1 {
				first = f
			} else {
				break
			}
		}
		return genderOfFirstName(strings.ToLower(first)) != 0 || words >= 2, false, false
	}
	return false, false, false
}

// named builds the attribution of a name t[nameLo:hi], with the words
// t[lo:nameLo] before it (titles and descriptors).
func (x *extractor) named(t []tok, lo, nameLo, hi int, role string, titled, anon bool) attribution {
	name := x.span(t[nameLo].start, nameEnd(&t[hi-1]))
	full := x.fullest(name, t[hi-1].bare())
	if full != name && nameLo > lo && t[nameLo-1].in(lexHonorifics) {
		// "Her father Mr Lane said", after "Summer Lane" and "Miss Lane":
		// where the article gives the surname honorifics of both genders,
		// one of the other gender than the full name is someone else of
		// the family.
		hg := honorificGender(t[nameLo-1].low)
		fg := x.fullGender(full)
		if hg != 0 && hg != fg && x.surnameGender[honorificsKey+t[hi-1].bare()] == 3 {
			if other, ok := x.fullOfGender(t[hi-1].bare(), name, hg); ok {
				full = other // "Mrs. Clinton" in an article that names Bill and Hillary Clinton
			} else if fg != 0 && !familyBefore(t, lo, nameLo-1) {
				// "Mr Sturgeon" in an article on Nicola Sturgeon, who is
				// also "Ms Sturgeon": a slip of the copy, or a relative
				// the text never introduces. Who speaks is not sure.
				return attribution{unsure: true}
			} else {
				full = x.span(t[nameLo-1].start, nameEnd(&t[hi-1]))
			}
		} else if hg != 0 && fg != 0 && hg != fg {
			full = x.honorificOther(t, nameLo, hi, name, full, hg, false)
		}
	}
	if org, ok := x.orgNamed(name); ok && full == name {
		e := entity{name: org, org: true, anonymous: anon, at: t[lo].start}
		return attribution{speaker: org, role: role, anonymous: anon, ent: e}
	}
	if role == "" && nameLo > lo {
		if r := x.roleBefore(t, lo, nameLo); r != "" {
			role = r
		} else if titled {
			role = x.titleText(t, lo, nameLo)
		}
	}
	if role == "" {
		role = x.roles[full]
	}
	if titled && hi-nameLo == 1 && nameLo > lo && t[nameLo-1].cap && religiousAddress[t[nameLo-1].low] {
		// "Sister Gerald", "Brother Anselm", "Pope Francis", "Lord
		// Janner": the form of address is part of the one name the
		// person goes by, whoever else the article names with it.
		full = x.span(t[nameLo-1].start, nameEnd(&t[hi-1]))
		if strings.EqualFold(role, t[nameLo-1].text) {
			role = ""
		}
	}
	person, org, outlet := x.kindOf(t, lo, nameLo, hi, titled, full)
	if role != "" && !org {
		person = true
	}
	g := x.genders[full]
	if g == 0 && nameLo > lo {
		g = genderOf(t[nameLo-1].low)
	}
	if g == 0 {
		g = genderOf(strings.ToLower(lastWord(role)))
	}
	if g == 0 && person {
		g = genderOfFirstTok(&t[nameLo])
	}
	e := entity{name: full, role: role, person: person, org: org, outlet: outlet, maybe: !person && !org,
		anonymous: anon, gender: g, at: t[lo].start}
	if org {
		e.head = strings.ToLower(lastWord(role))
	}
	return attribution{speaker: full, role: role, anonymous: anon, ent: e}
}

// fullGender is the gender of a full name: told by the article, else by
// its first name; 0 when unknown.
func (x *extractor) fullGender(full string) byte {
	g := x.genders[full]
	if first, _, ok := strings.Cut(full, " "); ok && g == 0 {
		g = genderOfFirstName(x.lower(first))
	}
	return g
}

// honorificOther resolves an honorific and surname, t[nameLo-1:hi], whose
// gender hg differs from that of full, the fullest name with the surname:
// "Mrs Christie" in an article on Chris Christie and his wife Mary Pat
// Christie is the full name of her gender if the article gives one, else
// the name as written when the article names someone else with the
// surname; with the one full name only, a slip of the copy ("Mr
// Sturgeon" for Nicola Sturgeon) and that full name, except for a mention
// (not a speaker), which keeps what the honorific tells: "Mrs Kerrigan's
// departure" may be what a later "she" refers to.
func (x *extractor) honorificOther(t []tok, nameLo, hi int, name, full string, hg byte, mention bool) string {
	last := t[hi-1].bare()
	if other, ok := x.fullOfGender(last, name, hg); ok {
		return other
	}
	for _, cand := range x.names[last] {
		if mention || cand != full && strings.HasSuffix(cand, " "+name) {
			return x.span(t[nameLo-1].start, nameEnd(&t[hi-1]))
		}
	}
	return full
}

// fullOfGender returns the one full name the article gives the surname
// last (written name) whose first name is of gender g.
func (x *extractor) fullOfGender(last, name string, g byte) (string, bool) {
	found := ""
	for _, cand := range x.names[last] {
		if len(cand) <= len(name) || !strings.HasSuffix(cand, name) || cand[len(cand)-len(name)-1] != ' ' {
			continue
		}
		if x.fullGender(cand) == g {
			if found != "" && found != cand {
				return "", false
			}
			found = cand
		}
	}
	return found, found != ""
}

// familyBefore reports whether t[lo:hi], before a name, says who the
// person is to someone: "her father", "his wife", "the boy's mother".
func familyBefore(t []tok, lo, hi int) bool {
	for k := lo; k < hi; k++ {
		if familyNouns[t[k].bare()] {
			return true
		}
	}
	return false
}

func honorOnly(t []tok, lo, nameLo int) bool {
	for k := lo; k < nameLo; k++ {
		if (t[k].bareIn(lexTitleWords) || isRoleTok(&t[k])) && !t[k].in(lexHonorifics) {
			return false
		}
	}
	return true
}

// titleText returns the titles before a name without honorifics.
func (x *extractor) titleText(t []tok, lo, nameLo int) string {
	for lo < nameLo && (t[lo].in(lexHonorifics) || t[lo].is("the", "a", "an")) {
		lo++
	}
	hi := nameLo
	for hi > lo && t[hi-1].in(lexHonorifics) {
		hi--
	}
	if lo >= hi || hi-lo == 1 && !t[lo].cap && !isRoleLike(t[lo:hi]) {
		return "" // "a defiant Mr Cameron": a mood, not a title
	}
	return x.span(t[lo].start, t[hi-1].end)
}

func lastWord(s string) string {
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[i+1:]
	}
	return s
}

// hasOrgWord reports whether a word of t[lo:hi] marks an organization:
// "Transit Workers Union Local 88".
func hasOrgWord(t []tok, lo, hi int) bool {
	for k := lo; k < hi; k++ {
		if t[k].bareIn(lexOrgSuffixes) {
			return true
		}
	}
	return false
}

func hasPossessive(t []tok, lo, hi int) bool {
	for k := lo; k < hi; k++ {
		if t[k].bare() != t[k].low {
			return true
		}
	}
	return false
}

func hasCap(t []tok, lo, hi int) bool {
	for k := lo; k < hi; k++ {
		if t[k].cap {
			return true
		}
	}
	return false
}

// headNoun returns the head of a descriptive noun phrase: its last word
// before a preposition ("spokesperson" in "spokesperson for the airline").
func headNoun(t []tok, lo, hi int) (string, bool) {
	h := headIndex(t, lo, hi)
	w := t[h].bare()
	return w, isPluralNoun(w)
}

// headIndex returns the index of the head of the noun phrase t[lo:hi]: its
// last word before a preposition, a relative or a participle ("spokesperson"
// in "spokesperson for the airline").
func headIndex(t []tok, lo, hi int) int {
	h := hi - 1
	for k := lo + 1; k < hi; k++ {
		if t[k].in(lexNpPreps) || t[k].in(lexPlacePreps) || t[k].is("by") || t[k].in(lexPostnominals) || isParticiple(t, k) {
			h = k - 1
			break
		}
	}
	return h
}

// fullest returns the longest name in the article that ends with name:
// "Naim" gives "Basem Naim".
//
// When the article names two people who share it ("Ted Cruz", "Rafael
// Cruz"), the one it names more often wins, then the first named.
func (x *extractor) fullest(name, last string) string {
	best, n := name, 0
	for _, cand := range x.names[last] {
		if len(cand) > len(name) && strings.HasSuffix(cand, name) && cand[len(cand)-len(name)-1] == ' ' {
			if x.nameCount[cand[:len(cand)-len(name)-1]] > 0 && x.nameCount[cand] < 2 {
				continue // two names run together where copy lost a full stop: "Ashby Rovers Kendal Town"
			}
			if pre := cand[:len(cand)-len(name)-1]; strings.Contains(name, " ") && !strings.Contains(pre, " ") &&
				placeFirst(pre) {
				continue // a place run into a full name: "their native Sweden Eric Jansberger (left)"
			}
			if c := x.nameCount[cand]; best == name || c > n {
				best, n = cand, c
			}
		}
	}
	return best
}

// fullNames counts the full names in the article that end in the surname
// last: "Frank Jordan" and "Louis Jordan" are two.
func (x *extractor) fullNames(last string) int {
	n := 0
	for _, cand := range x.names[strings.ToLower(last)] {
		if strings.Count(cand, " ") == 1 {
			n++
		}
	}
	return n
}

// orgNamed returns the organization a one-word speaker name begins, if the
// article names one: "Pellham" said gives "Pellham Foods".
func (x *extractor) orgNamed(name string) (string, bool) {
	best := ""
	if !strings.Contains(name, " ") {
		for _, cand := range lowerKey(x.orgs, name) {
			if len(cand) > len(best) {
				best = cand
			}
		}
	}
	return best, best != ""
}

// maxLookback is how many entities back a pronoun or a noun like "the
// company" may refer: the latest mentions only, so that resolving a
// reference costs the same in an article of any length. In real news the
// antecedent is far closer (at most 128 mentions back in the 1,012
// articles of the PolNeAR corpus, the longest of which mentions 778
// entities in all).
const maxLookback = 512

// pick returns the index of the most recent entity, mentioned before off,
// that passes the first test any entity passes; tests are tried in order of
// preference, over the last maxLookback entities. Places never speak. It
// returns -1 if none does.
func (x *extractor) pick(off int, tests ...func(e *entity) bool) int {
	oldest := max(0, len(x.ents)-maxLookback)
	for _, test := range tests {
		for i := len(x.ents) - 1; i >= oldest; i-- {
			if e := &x.ents[i]; e.at < off && !e.place && test(e) {
				return i
			}
		}
	}
	return -1
}

// nominal resolves "the official", "the company", "the former president",
// whose head noun is head, to the entity it refers back to: first one that
// the article described with that noun, else, for an organization, the
// latest one whose kind fits ("the agency" and the Federal Aviation
// Administration), for a person, the latest person who was a sentence's
// subject in the last few sentences and holds no other office. The phrase
// becomes the role of a speaker who has none. Nothing fits: no resolution,
// and the description speaks for itself.
func (x *extractor) nominal(head, phrase string, anon bool, off int) (attribution, bool) {
	sing := singular(head)
	described := func(e *entity) bool {
		return e.head == sing && e.head != "" || e.role != "" && containsWord(x.lower(e.role), sing)
	}
	near := func(e *entity) bool { return x.sentenceAt(off)-x.sentenceAt(e.at) <= 3 }
	var found int
	switch {
	case outletNouns[sing]:
		found = x.pick(off, described, func(e *entity) bool { return e.outlet && near(e) })
	case orgNouns[sing]:
		found = x.pick(off, described, func(e *entity) bool {
			return (e.org || e.maybe) && !e.outlet && !e.plural && orgFits(sing, e.name) ||
				e.org && !e.outlet && !e.plural && genericOrgNouns[sing] && near(e)
		})
	case isRoleWord(sing) || titleWords[sing]:
		person := func(e *entity) bool {
			return e.person && e.subject && !e.plural && near(e) && !officeConflicts(e.role, sing)
		}
		// A name of unknown kind may be a club or a town: only one that
		// reads as a person's name, that the article never used as a
		// place, and with no person named after it ("Ashcombe Rovers lost,
		// and Ken Malloy is under pressure ... the manager said" is
		// unclear).
		maybe := func(e *entity) bool {
			return e.maybe && e.subject && !e.plural && near(e) && (strings.Contains(e.name, " ") || e.spoke) &&
				!officeConflicts(e.role, sing) && !orgLikeName(e.name) && !x.namedAsPlace(e.name, off) && !x.personAfter(e.at, off)
		}
		if strings.Contains(phrase, "former ") {
			person = func(*entity) bool { return false } // "the former president": only who was called so
			maybe = person
		}
		if words := titleModifiers(phrase); len(words) > 0 {
			// "the Prime Minister" is not the First Minister, nor anyone
			// the article never called Prime Minister.
			described = func(e *entity) bool {
				if e.role == "" {
					return false
				}
				r := x.lower(e.role)
				for _, w := range words {
					if !containsWord(r, w) {
						return false
					}
				}
				return containsWord(r, sing)
			}
			// Someone the article gave no title may still hold it ("David
			// Cameron", then "the Prime Minister"); someone given another
			// is not.
			untitled := person
			person = func(e *entity) bool { return e.role == "" && untitled(e) }
			maybe = func(*entity) bool { return false }
		}
		found = x.pick(off, described, person, maybe)
	default:
		found = x.pick(off, described)
	}
	if found < 0 {
		return attribution{}, false
	}
	e := &x.ents[found]
	if e.maybe {
		e.maybe = false
		e.person = !orgNouns[sing] && !outletNouns[sing]
		e.org = !e.person
	}
	if e.role == "" && !described(e) && e.person {
		e.role = phrase // "the senator" tells who Rita Alvarez is; "the company" tells nothing of Orchard Foods
	}
	name := e.name
	if e.plural && sing == head && e.head == sing {
		// "the official" after "officials": one of them; "the comedian"
		// after "Two comedians", a comedian, not "Two comedian".
		if first, rest, ok := strings.Cut(name, " "); ok && (isNumberWord(strings.ToLower(first)) || first[0] >= '0' && first[0] <= '9' ||
			quantityWords[strings.ToLower(first)]) {
			name = rest
		}
		name = singularLast(name)
	}
	role := e.role
	if e.person && !containsWord(x.lower(role), sing) {
		role = phrase // "The senator said": this claim's speaker as the sentence calls him
	}
	return attribution{speaker: name, role: role, anonymous: e.anonymous || anon, ent: *e}, true
}

// titleModifiers returns, lower-cased, the capitalised words that make a
// title in phrase a particular office before its last word: "Prime" in
// "the Prime Minister", "Home" in "Home Secretary"; nil for a plain title
// ("the Senator", "the minister").
func titleModifiers(phrase string) []string {
	f := strings.Fields(phrase)
	var out []string
	for i, w := range f[:max(len(f)-1, 0)] {
		if i == 0 && (w == "The" || w == "the") || w == "" || !unicode.IsUpper([]rune(w)[0]) || honorifics[strings.ToLower(w)] {
			continue
		}
		out = append(out, strings.ToLower(w))
	}
	if len(out) == 0 || !unicode.IsUpper([]rune(f[len(f)-1])[0]) {
		return nil
	}
	return out
}

// orgFits reports whether an organization called name can be what "the
// <noun>" refers to: its name says so ("the agency", the Federal Aviation
// Administration), or, for a business, its name ends like a company's.
func orgFits(noun, name string) bool {
	low := strings.ToLower(name)
	for _, w := range strings.Fields(orgKinds[noun] + " " + noun) {
		if containsWord(low, w) {
			return true
		}
	}
	if teamNouns[noun] {
		// "the team", "the club": the Rivertown Otters, the Lakeport Herons.
		last := lastWord(name)
		return strings.HasSuffix(last, "s") && unicode.IsUpper([]rune(last)[0])
	}
	if businessNouns[noun] {
		last := lastWord(low)
		return orgSuffixes[last] || orgNameWords[last] || strings.Contains(name, " & ")
	}
	return false
}

// officeConflicts reports whether a role names an office other than noun:
// "the president" is not the one whose role is "Gov.".
func officeConflicts(role, noun string) bool {
	if role == "" || !offices[noun] {
		return false
	}
	for _, w := range strings.Fields(strings.ToLower(role)) {
		w = strings.TrimSuffix(w, ".")
		if o := officeAbbrevs[w]; o != "" {
			w = o
		}
		if offices[w] && w != noun {
			return true
		}
	}
	return false
}

// lower returns s in lower case, remembering it: the roles of the entities
// are compared with many nouns.
func (x *extractor) lower(s string) string {
	l, ok := x.lowered[s]
	if !ok {
		if x.lowered == nil {
			x.lowered = map[string]string{}
		}
		l = strings.ToLower(s)
		x.lowered[s] = l
	}
	return l
}

func containsWord(s, w string) bool {
	for f := range strings.FieldsSeq(s) {
		if f == w || singular(f) == w {
			return true
		}
	}
	return false
}

// singularLast makes the last word of a phrase singular.
func singularLast(s string) string {
	i := strings.LastIndexByte(s, ' ')
	return s[:i+1] + singular(s[i+1:])
}

// resolvePronoun finds what "he", "she", "they" or "it" at offset off
// refers to: the most recent fitting person, group or organization.
func (x *extractor) resolvePronoun(p string, off int) attribution {
	var found int
	var want byte
	switch p {
	case "he", "she":
		want = 'm'
		if p == "she" {
			want = 'f'
		}
		// The latest person who may be a "she" (or "he"): of that gender or
		// of none the article told (heOrShe).
		found = x.pick(off,
			func(e *entity) bool { return x.heOrShe(0, e, want, off) },
			func(e *entity) bool { return x.heOrShe(1, e, want, off) })
		if found >= 0 && x.captionMention(x.ents[found].at) && !x.sameOutsideCaption(found, want, off) {
			return attribution{unsure: true}
		}
		if found >= 0 && !x.ents[found].subject && x.pairedName(x.ents[found].at, want) {
			// "advances for Jordan Rhodes and Rudy Gestede": either, or
			// neither. The claim stays someone's, its speaker in doubt.
			e := &x.ents[found]
			return attribution{speaker: e.name, role: e.role, anonymous: e.anonymous, unsure: true}
		}
		if found >= 0 {
			if other, ok := x.otherOfGender(found, want, off); ok {
				if other < 0 {
					return attribution{unsure: true} // a he or she of either of two people
				}
				found = other
			}
		}
	case "they":
		// A group named anywhere in reach; an organization or a name of
		// unknown kind only if named in the last few sentences: a
		// university named ten sentences back is not the "they" of twins.
		near := func(e *entity) bool { return x.sentenceAt(off)-x.sentenceAt(e.at) <= 3 }
		found = x.pick(off,
			func(e *entity) bool { return e.plural },
			func(e *entity) bool { return e.org && near(e) },
			func(e *entity) bool { return e.maybe && near(e) })
		if found >= 0 && !x.ents[found].plural {
			// "They say she rarely shares her opinions" after "Twitter":
			// a "they" means a group, which may be one the article never
			// named ("managers who have worked with her"). The claim stays
			// someone's, its speaker in doubt.
			a := x.referent(found, 0)
			a.unsure = true
			return a
		}
	case "it":
		found = x.pick(off,
			func(e *entity) bool { return e.org && !e.plural && !lowerKey(nationalities, e.name) },
			func(e *entity) bool { return e.maybe && !e.plural && !lowerKey(nationalities, e.name) }) // not "Somali" of "young Somali men"
	default:
		return attribution{} // "we", "I": the author, or unclear: never guess
	}
	if found < 0 {
		return attribution{}
	}
	return x.referent(found, want)
}

// pairedName reports whether the name mentioned at off is joined to
// another name by "and" or "or" ("Jordan Rhodes and Rudy Gestede") that
// may be a person of gender want: a "he" after them may mean either.
func (x *extractor) pairedName(off int, want byte) bool {
	other := func(first string) bool {
		g := genderOfFirstName(x.lower(strings.Trim(first, ",.")))
		return g == 0 || g == want
	}
	before := x.body[max(0, off-60):off]
	for _, link := range [...]string{" and ", " or "} {
		if rest, ok := strings.CutSuffix(before, link); ok {
			// Back over the other name's capitalized words to its first.
			var room [30]string // rest is at most 60 bytes: 30 words
			f := lastFields(rest, room[:])
			k := len(f)
			for k > 0 && isCapitalized(f[k-1]) && !strings.HasSuffix(f[k-1], ",") {
				k--
			}
			if k < len(f) {
				return other(f[k])
			}
		}
	}
	// After the name's capitalized words: " and Rudy Gestede".
	i := off
	for i < len(x.body) {
		r, size := utf8.DecodeRuneInString(x.body[i:])
		if !unicode.IsUpper(r) {
			break
		}
		i += size
		for i < len(x.body) && x.body[i] != ' ' && x.body[i] != ',' && x.body[i] != '.' {
			i++
		}
		if i+1 < len(x.body) && x.body[i] == ' ' {
			if r2, _ := utf8.DecodeRuneInString(x.body[i+1:]); unicode.IsUpper(r2) {
				i++
				continue
			}
		}
		break
	}
	for _, link := range [...]string{" and ", " or "} {
		if rest, ok := strings.CutPrefix(x.body[i:min(len(x.body), i+40)], link); ok {
			if r, _ := utf8.DecodeRuneInString(rest); unicode.IsUpper(r) {
				first, _, _ := strings.Cut(rest, " ")
				return other(first)
			}
		}
	}
	return false
}

// heOrShe is resolvePronoun's test number i of a "he" or "she" (want: its
// gender) at off: 0, a person of that gender or of none the article told;
// 1, a name of unknown kind that may be such a person.
func (x *extractor) heOrShe(i int, e *entity, want byte, off int) bool {
	if e.plural || i == 0 && !e.person || i != 0 && !(e.maybe && (strings.Contains(e.name, " ") || e.spoke)) {
		return false
	}
	if g := x.genderOf(e); g != 0 && g != want {
		return false
	}
	return i == 0 || !orgLikeName(e.name) && !x.namedAsPlace(e.name, off) &&
		!placeFirst(e.name) && // "Greece has denied ... He said": not Greece; nor a caption's "Iraq Al-Douri"
		!possessiveThing(e.name) // "Clarkson's Porsche" is no "she"
}

// sameOutsideCaption reports, for a "he" or "she" at off that resolved to
// the name found in a photo caption run into the text, whether the text
// named the same person before, outside a caption ("Mrs Hargreaves", then
// a caption's "Alison Hargreaves"): if not, the pronoun does not mean who
// the caption shows.
func (x *extractor) sameOutsideCaption(found int, want byte, off int) bool {
	var alts []func(e *entity) bool
	for i := range 2 { // a subject of the gender first: "Mrs Hargreaves sent a fax to her son and his sister Katie"
		alts = append(alts, func(e *entity) bool {
			return e.subject && strings.Contains(e.name, " ") && x.heOrShe(i, e, want, off) && x.genderOf(e) == want && !x.captionMention(e.at)
		})
	}
	for i := range 2 {
		alts = append(alts, func(e *entity) bool { return x.heOrShe(i, e, want, off) && !x.captionMention(e.at) })
	}
	alt := x.pick(off, alts...)
	return alt >= 0 && strings.EqualFold(trimPossessive(lastWord(x.ents[alt].name)), trimPossessive(lastWord(x.ents[found].name)))
}

// participleOpener reports whether the word w, capitalised at the start
// of a sentence, is a participle rather than a first name: "Laughing",
// "Smiling", "Beaming", or a caption's "Shocked", "Understated".
func participleOpener(w *tok) bool {
	return w.cap && len(w.low) > 6 && (strings.HasSuffix(w.low, "ing") || strings.HasSuffix(w.low, "ed")) && genderOfFirstTok(w) == 0 && isLowerWord(w.low[1:])
}

// namedAsPlace reports whether the article, before offset off, used name
// as a place ("at Dortmund" after "Borussia Dortmund"): a town or a club,
// which no "he" or "she" can mean.
func (x *extractor) namedAsPlace(name string, off int) bool {
	for i := len(x.ents) - 1; i >= max(0, len(x.ents)-maxLookback); i-- {
		if e := &x.ents[i]; e.place && e.at < off && e.name == name {
			return true
		}
	}
	return false
}

// orgLikeName reports whether a name of unknown kind reads as an
// organization's: a word such as "Chamber" or "Department" in it, or "of"
// ("Riverside Chamber of Commerce", "Department of Public Works").
func orgLikeName(name string) bool {
	for f := range strings.FieldsSeq(strings.ToLower(name)) {
		if f == "of" || orgSuffixes[f] || orgNameWords[f] {
			return true
		}
	}
	return false
}

// personAfter reports whether a person is named between offsets from and
// to.
func (x *extractor) personAfter(from, to int) bool {
	for i := len(x.ents) - 1; i >= max(0, len(x.ents)-maxLookback); i-- {
		if e := &x.ents[i]; e.at > from && e.at < to && e.person && !e.plural {
			return true
		}
	}
	return false
}

// subjectReferent resolves the pronoun p at offset off to the subject of
// its own sentence t, if a name heads that subject and fits: "Neville was scathing when he said". ok is false otherwise.
func (x *extractor) subjectReferent(p string, t []tok, off int) (attribution, bool) {
	lo, hi, ok := x.mainSubject(t)
	if !ok || !isNameTok(t, hi-1) || t[hi-1].start >= off {
		return attribution{}, false // no name heads the subject: "The Christian speaker"
	}
	from, to := t[lo].start, t[hi-1].end
	var want byte
	switch p {
	case "he":
		want = 'm'
	case "she":
		want = 'f'
	default:
		return attribution{}, false
	}
	for i := len(x.ents) - 1; i >= 0; i-- {
		e := &x.ents[i]
		if e.at < from {
			break
		}
		if !e.subject || e.at >= to || e.place || e.plural || !e.person {
			continue
		}
		if g := x.genderOf(e); g != 0 && g != want {
			return attribution{}, false
		}
		return x.referent(i, want), true
	}
	return attribution{}, false
}

// referent is the attribution to entity i, which a pronoun of gender want
// (0 for "they" and "it") refers to; what the pronoun tells of the entity
// is remembered.
func (x *extractor) referent(found int, want byte) attribution {
	e := &x.ents[found]
	if e.maybe {
		e.maybe = false
		e.person = want != 0
		e.org = want == 0
	}
	if want != 0 {
		x.genders[e.name] = want
		e.gender = want
	}
	return attribution{speaker: e.name, role: e.role, anonymous: e.anonymous, ent: *e}
}

// genderOf returns what the article tells of an entity's gender: 'm',
// 'f' or 0.
func (x *extractor) genderOf(e *entity) byte {
	if first, _, ok := strings.Cut(e.name, " "); ok {
		if g := honorificGender(x.lower(first)); g != 0 {
			return g // "Miss Robertson" is a she, whatever "Mr Robertson" is
		}
	}
	switch {
	case e.gender != 0:
		return e.gender
	case x.genders[e.name] != 0:
		return x.genders[e.name]
	}
	if g := lowerKey(x.surnameGender, trimPossessive(lastWord(e.name))); g != 0 {
		return g
	}
	if first, _, ok := strings.Cut(e.name, " "); ok {
		return genderOfFirstName(x.lower(first)) // "Marcus Rojo", met as "Rojo": a he
	}
	return 0
}

// possessiveThing reports whether name is a possessive and what it
// owns ("Clarkson's Porsche", "Hanson Robotics's website"): a thing, not
// someone who speaks.
func possessiveThing(name string) bool {
	i := strings.Index(name, "'s ")
	if i < 0 {
		i = strings.Index(name, "’s ")
	}
	return i > 0
}

// captionMention reports whether the mention at off is in a photo caption
// run into the text: the name is followed by a caption's "(left)",
// ", right," or "(pictured)", or comes after a caption's label ("Poignant:
// Vegetables sold by Mr Zhang") that is not the start of its sentence's
// text. A pronoun after a caption does not mean who the caption shows.
func (x *extractor) captionMention(off int) bool {
	si := x.sentenceAt(off)
	if si >= len(x.sents) {
		return false
	}
	s := x.sents[si]
	if isCaption(x.body[s.Start:s.End]) {
		return true
	}
	rest := x.body[off:min(s.End, off+80)]
	// Skip the name: capitalised words and their joins.
	for {
		w := strings.IndexAny(rest, " ,(")
		if w <= 0 || rest[0] < 'A' || rest[0] > 'Z' {
			break
		}
		rest = rest[w:]
		if !strings.HasPrefix(rest, " ") || len(rest) < 2 || rest[1] < 'A' || rest[1] > 'Z' {
			break
		}
		rest = rest[1:]
	}
	for _, m := range []string{" (left", " (right", " (centre", " (center", " (pictured", ", left,", ", right,",
		", left;", ", right;", ", pictured", ", centre,", " pictured "} {
		if hasPrefixFold(rest, m) {
			return true
		}
	}
	before := x.body[s.Start:off]
	if c := strings.LastIndex(before, ": "); c > 0 {
		label := before[:c]
		sp := strings.LastIndexAny(label, " \n")
		word := label[sp+1:]
		if word != "" && word[0] >= 'A' && word[0] <= 'Z' && sp > 0 {
			prev := strings.TrimRight(label[:sp], " \n")
			if prev != "" && strings.IndexByte(".!?\"'’”:;,", prev[len(prev)-1]) < 0 {
				return true // "... main vehicle Poignant: Vegetables sold by Mr Zhang"
			}
		}
	}
	return false
}

// otherOfGender tells whether the person ents[found], whose gender the
// article does not tell, competes for a "he" or "she" (gender want) with
// another person of that gender named in the last few sentences: "The
// 34-year-old had met Rojo. She said ..." is not Rojo's word when Ms Watson
// was named just before. It returns that other person when the article
// made them the subject or the speaker of this sentence or the one before
// (the one a "she" follows) and the pronoun opens its sentence, else -1:
// who is meant is not sure. The other person competes only if the
// article made them a subject or a speaker in those sentences.
func (x *extractor) otherOfGender(found int, want byte, off int) (int, bool) {
	e := &x.ents[found]
	si := x.sentenceAt(off)
	if x.genderOf(e) != 0 || e.head != "" || e.name == "" || e.name[0] < 'A' || e.name[0] > 'Z' ||
		x.central(e.name, si, 2) {
		return -1, false // told, a description ("the Republican nominee"), or the subject or speaker just before
	}
	for i := found - 1; i >= 0 && i >= found-maxLookback; i-- {
		o := &x.ents[i]
		if si-x.sentenceAt(o.at) > 3 {
			break
		}
		if o.name != e.name && !o.plural && (o.person || o.maybe) && x.genderOf(o) == want {
			if x.central(o.name, si, 1) && x.opensSentence(off) {
				return i, true
			}
			if x.central(o.name, si, 3) {
				return -1, true
			}
			return -1, false // a passing mention: the nearer name stands
		}
	}
	return -1, false
}

// central reports whether the one named name was a subject or a speaker
// in sentence si or the reach sentences before it.
func (x *extractor) central(name string, si, reach int) bool {
	for i := len(x.ents) - 1; i >= 0 && i >= len(x.ents)-maxLookback; i-- {
		o := &x.ents[i]
		d := si - x.sentenceAt(o.at)
		if d > reach {
			break
		}
		if d >= 0 && o.name == name && (o.subject || o.spoke) {
			return true
		}
	}
	return false
}

// opensSentence reports whether the pronoun at off is the first name-like
// word of its sentence: no capitalised word but the first and days of the
// week comes before it ("On Wednesday, he told ...").
func (x *extractor) opensSentence(off int) bool {
	si := x.sentenceAt(off)
	if si >= len(x.sents) {
		return false
	}
	words := strings.Fields(x.body[x.sents[si].Start:off])
	for k, w := range words {
		w = strings.Trim(w, ",;:'\"‘’“”")
		if k > 0 && w != "" && w[0] >= 'A' && w[0] <= 'Z' && !dayNames[strings.ToLower(w)] {
			return false
		}
	}
	return true
}

// registerMentions records the people and organizations a sentence names,
// and its subject, so that later pronouns and nouns can refer to them. t is
// the sentence's tokens, whose name field is isNameTok(t, i).
func (x *extractor) registerMentions(t []tok) {
	first := len(x.ents)
	for i := datelineEnd(t); i < len(t); {
		if !t[i].name || t[i].quoted { // t is the sentence: t[i].name is isNameTok(t, i)
			i++
			continue
		}
		j := i
		for j < len(t) && !t[j].quoted && !(j > i && t[j].lineStart) && !(j > i && t[j].in(lexArticles)) &&
			(t[j].name || t[j].text == "&" && j+1 < len(t) && t[j+1].cap) {
			j++
		}
		lo, titled := nameStart(t, i, j, true)
		if lo == j-1 && (isTimeTok(t, lo) || starters[t[lo].text] || t[lo].in(lexDayNames) ||
			lo == 0 && j < len(t) && (t[j].in(lexNpPreps) || t[j].in(lexDeterminers)) || captionLabel(t, lo, j) || thingAcronym(t, lo, j)) ||
			lo == 0 && j == 1 && boilerplateStart(x.body[t[0].start:t[len(t)-1].end]) {
			lo = j // "Thursday", "The", "Attendance at ...", a caption's "Proud:", "DNA", a prompt's "Scroll" (down for video): not an entity
		}
		if lo < j {
			name := x.span(t[lo].start, nameEnd(&t[j-1]))
			full := x.fullest(name, t[j-1].bare())
			if full != name && lo > 0 && t[lo-1].in(lexHonorifics) {
				// "Mrs Christie's departure", after Chris Christie: not him.
				if hg, fg := honorificGender(t[lo-1].low), x.fullGender(full); hg != 0 && fg != 0 && hg != fg {
					full = x.honorificOther(t, lo, j, name, full, hg, true)
				}
			}
			person, org, outlet := x.kindOf(t, max(0, i-3), lo, j, titled, full)
			if o, ok := x.orgNamed(name); ok && full == name && !person && (i == 0 || !t[i-1].is("in", "at", "near", "to", "from", "off")) {
				full, org = o, true // "Shares of Pellham": Pellham Foods
			}
			role := x.roles[full]
			if role == "" {
				role = x.appositiveAfter(t, j)
			}
			if role != "" && !org || ageAfter(t, j) {
				person, org = true, false // "Derek Mottram, 71,": a person
			}
			g := x.genders[full]
			if g == 0 && person {
				g = genderOfFirstTok(&t[lo])
			}
			if g == 0 && person && role != "" {
				g = genderOf(strings.ToLower(lastWord(role))) // "The boy's father, Dwayne Pike,": a he
			}
			place := !person && !outlet && (i > 0 && t[i-1].in(lexPlaceBefore) ||
				!org && isPlaceName(full)) // "Mill Street", "Mount Everest": no "she"
			x.ents = append(x.ents, entity{name: full, role: role, person: person, org: org, outlet: outlet,
				maybe: !person && !org, place: place, gender: g, at: t[lo].start})
		}
		i = j
	}
	x.registerSubject(t, first)
}

// captionLabel reports whether the word t[i], alone before a colon at the
// start of a sentence and not in capitals, is a caption's label ("Proud:
// Derek Mottram outside his bakery"), not a name. A transcript's speaker
// label is in capitals ("WALLACE:").
func captionLabel(t []tok, i, j int) bool {
	return i == 0 && j == 1 && j < len(t) && t[j].text == ":" && !isAllCaps(t[i].text)
}

// ageAfter reports whether the name ending at t[j-1] is followed by an age
// in commas ("Derek Mottram, 71,"), which only a person has.
func ageAfter(t []tok, j int) bool {
	return j+2 < len(t) && t[j].text == "," && isNumberTok(&t[j+1]) && len(t[j+1].text) <= 3 && t[j+2].text == ","
}

// registerSubject records the subject of the sentence's main clause: a
// group ("Nurses at St. Brendan's Hospital walked out") becomes something
// "they" can mean; a name the sentence goes on to call "his", "her" or "its"
// is a person of that gender or an organization. t is the sentence's
// tokens, as for registerMentions.
func (x *extractor) registerSubject(t []tok, first int) {
	lo, hi, ok := x.mainSubject(t)
	if !ok || t[lo].in(lexPronouns) || t[lo].quoted || isCaption(x.body[t[0].start:t[len(t)-1].end]) {
		return // a photo caption's subject is in the picture, not the story
	}
	r := hi
	for r > lo && t[r-1].name && !(r < len(t) && r < hi && t[r].lineStart) { // t is the sentence
		r--
	}
	var e *entity
	for i := first; i < len(x.ents); i++ {
		if x.ents[i].at >= t[lo].start && x.ents[i].at < t[hi-1].end {
			if e == nil {
				e = &x.ents[i]
			}
			if r < hi && r > lo && x.ents[i].at == t[r].start && !t[r-1].cap {
				// "Fenwick Town boss Ida Sorensen": the name after the
				// description is the subject, not the club before it.
				e = &x.ents[i]
				break
			}
		}
	}
	group := r < hi && groupAt(t, lo, r) || r == hi && hi-lo > 1 && isPluralNoun(t[hi-1].bare())
	if group || e == nil && !hasCap(t, lo+1, hi) {
		if t[lo].is("the") && !group {
			return // a reference to something earlier, not a new entity
		}
		head, plural := headNoun(t, lo, hi)
		ent := entity{name: x.span(t[lo].start, t[hi-1].end), head: singular(head), plural: plural,
			org: orgNouns[head], person: !plural && isRoleWord(head), at: t[lo].start}
		if t[lo].is("a", "an") {
			if hi-lo < 2 {
				return // "A" alone names nothing
			}
			ent.name = x.span(t[lo+1].start, t[hi-1].end)
		}
		x.ents = append(x.ents, ent)
		return
	}
	if e == nil {
		return
	}
	e.subject = true
	if !e.maybe && !(e.person && x.genderOf(e) == 0) {
		return
	}
	if r == hi || e.at < t[r].start {
		return // a name inside the subject, not the subject: "a spokesman for the UK's top prosecutor said she"
	}
	// "Kline said her plan ...": what the sentence calls its subject.
	for k := hi; k < len(t) && k < hi+25; k++ {
		if t[k].quoted {
			continue
		}
		if t[k].text == ":" || t[k].text == ";" || k > hi && isNameTok(t, k) && !t[k-1].cap {
			return // another clause, or another name the pronoun may mean: "Air Force to bare force: Manhart ... she"
		}
		switch t[k].low {
		case "his", "he", "him", "himself":
			e.maybe, e.person, e.gender = false, true, 'm'
			x.genders[e.name] = 'm'
			return
		case "her", "she", "herself":
			e.maybe, e.person, e.gender = false, true, 'f'
			x.genders[e.name] = 'f'
			return
		case "its", "itself":
			if e.person {
				continue // a person's "its" is something else's: "Mottram … its lettering"
			}
			e.maybe, e.org = false, true
			return
		}
	}
}

// thingAcronym reports whether the name t[lo:j] is a lone acronym that
// names a thing, not someone who can speak: a substance or a test ("DNA",
// "MRI"), or any acronym that a possessive or "same" makes a thing ("the
// same DNA", "their PIN"). "They reported" must not mean the DNA.
func thingAcronym(t []tok, lo, j int) bool {
	if j-lo != 1 || !isAllCaps(t[lo].text) {
		return false
	}
	if thingAcronyms[strings.ToLower(t[lo].bare())] {
		return true
	}
	return lo > 0 && t[lo-1].word && t[lo-1].is("same", "his", "her", "their", "its", "our", "your", "my")
}

// describedAs resolves a description of three or four words ("the former
// prime minister") to the person mentioned before offset off whom the
// article gives that very role, if exactly one person has it.
func (x *extractor) describedAs(phrase string, anon bool, off int) (attribution, bool) {
	found := -1
	for i := len(x.ents) - 1; i >= max(0, len(x.ents)-maxLookback); i-- {
		e := &x.ents[i]
		if !e.person || e.plural || e.place || len(e.role) != len(phrase) || !strings.EqualFold(e.role, phrase) {
			continue
		}
		if found >= 0 && x.ents[found].name != e.name {
			return attribution{}, false // two people hold it: unclear
		}
		if e.at < off && found < 0 {
			found = i
		}
	}
	if found < 0 {
		return attribution{}, false
	}
	e := &x.ents[found]
	return attribution{speaker: e.name, role: e.role, anonymous: e.anonymous || anon, ent: *e}, true
}
