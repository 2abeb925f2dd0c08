package briefing

import "strings"

// This file decides who a speaker's noun phrase means: a named person with
// the fullest name the article gives, a group, an organization, or someone
// mentioned earlier, referred to by a pronoun or a noun ("the company").

// resolveNP resolves the noun phrase t[lo:hi]; role is an appositive role
// found next to it, if any.
func (x *extractor) resolveNP(t []tok, lo, hi int, role string) attribution {
	if lo >= hi {
		return attribution{}
	}
	if hi-lo == 1 && t[lo].low == "who" {
		return x.resolveWho(t, lo, role)
	}
	if hi-lo == 1 && pronouns[t[lo].low] {
		return x.resolvePronoun(t[lo].low, t[lo].start)
	}
	definite := false
	for lo < hi && t[lo].is("the", "a", "an") {
		definite = definite || t[lo].low == "the"
		lo++
	}
	if lo >= hi {
		return attribution{}
	}
	anon := containsAnon(t[lo:hi])
	// A name at the end of the phrase: "Hamas Political Bureau member Basem
	// Naim", unless the phrase is a group of people at a place or body
	// ("astronomers at the Tillman Observatory").
	r := hi
	for r > lo && isNameTok(t, r-1) {
		r--
	}
	if r < hi && !groupAt(t, lo, r) {
		nameLo, titled := nameStart(t, r, hi, false)
		if last := t[hi-1].bare(); orgSuffixes[last] || orgNameWords[last] {
			nameLo, titled = r, false // "Pine County Sheriff's Office" is all name
		}
		if ofTitle(t, lo, r, hi) {
			nameLo, titled = max(r+1, hi-2), true
		}
		if nameLo < hi {
			return x.named(t, lo, nameLo, hi, role, titled, anon)
		}
		// Only titles: "the Mayor", "President".
		if a, ok := x.nominal(t[hi-1].bare(), anon, t[lo].start); ok {
			return a
		}
	}
	head, plural := headNoun(t, lo, hi)
	anon = anon || anonHeads[head]
	// "the official" refers back; "the pension fund’s current board" describes.
	if definite && hi-lo <= 2 && !hasCap(t, lo, hi) && !strings.ContainsAny(t[lo].text, "'’") || definite && hi-lo == 1 {
		if a, ok := x.nominal(head, anon, t[lo].start); ok {
			return a
		}
	}
	text := x.span(t[lo].start, t[hi-1].end)
	e := entity{
		name: text, head: singular(head), plural: plural, anonymous: anon,
		person: !plural && isRoleWord(head), org: orgNouns[head] || orgNouns[singular(head)],
		outlet: outletNouns[head], role: role, at: t[lo].start, gender: genderOf(head),
	}
	return attribution{speaker: text, role: role, anonymous: anon, ent: e}
}

// groupAt reports whether t[lo:r], before a name starting at t[r], ends in
// a preposition after a common noun: "nurses at", "residents of the", so
// the phrase is a group of people, not the name.
func groupAt(t []tok, lo, r int) bool {
	p := r - 1
	for p > lo && determiners[t[p].low] {
		p--
	}
	if p <= lo || !npPreps[t[p].low] {
		return false
	}
	h := t[p-1]
	if titleWords[h.bare()] {
		return false
	}
	if !h.cap {
		return true
	}
	// Capitalized only because it opens the sentence: "Nurses at ...".
	return h.start == t[0].start && (isPluralNoun(h.low) || isRoleWord(h.low)) && genderOfFirstName(h.low) == 0
}

// ofTitle reports whether the name run t[r:hi] continues a title such as
// "Secretary of State Linda Marsh": the name is then its last two words.
func ofTitle(t []tok, lo, r, hi int) bool {
	return r-2 >= lo && t[r-1].low == "of" && (titleWords[t[r-2].bare()] || isRoleWord(t[r-2].bare())) && hi-r >= 2
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
	if l > j {
		return attribution{}
	}
	// "Rita Gomez, a council member who": the name before the appositive.
	if !hasCap(t, l, j+1) && l >= 2 && t[l-1].text == "," && isNameTok(t, l-2) {
		nl := l - 1
		for nl > 0 && isNameTok(t, nl-1) {
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
		w := t[k].bare()
		switch {
		case titleWords[w] || honorifics[t[k].low]:
			lo, titled = k+1, true
		case isRoleWord(w) && k < j-1 && t[k].cap:
			lo, titled = k+1, true
		case k == 0 && sentenceStart && starters[t[k].text]:
			lo = k + 1
		}
	}
	return lo, titled
}

var dayNames = setOf(`monday tuesday wednesday thursday friday saturday sunday monday’s tuesday’s
wednesday’s thursday’s friday’s saturday’s sunday’s`)

// Last words of organization names beyond the formal suffixes.
var orgNameWords = setOf(`homes foods motors energy health healthcare systems capital partners media
holdings securities insurance pharmaceuticals pharma labs technologies tech solutions logistics farms
builders construction realty properties rail transit railways railway railroad airways utilities
electric power water gas oil mining steel industries manufacturing brands stores markets supermarkets
restaurants hotels resorts communications telecom wireless networks software studios entertainment
records publishing press books clinic clinics hospitals pharmacy bancorp financial investments fund funds
trust associates consulting advisors ventures enterprises international worldwide global america
americas`)

// kindOf classifies the name t[nameLo:hi]: a person, an organization or
// outlet, or unknown ("maybe": could be either until the text says more).
func (x *extractor) kindOf(t []tok, lo, nameLo, hi int, titled bool, full string) (person, org, outlet bool) {
	last := t[hi-1].bare()
	if _, ok := x.outletName(t, lo, hi); ok {
		return false, true, true
	}
	if orgSuffixes[last] || orgNameWords[last] {
		return false, true, false
	}
	if titled && !honorOnly(t, lo, nameLo) || nameLo > lo && honorifics[t[nameLo-1].low] {
		return true, false, false
	}
	if genderOfFirstName(t[nameLo].low) != 0 || x.genders[full] != 0 || x.roles[full] != "" {
		return true, false, false
	}
	if full != x.span(t[nameLo].start, nameEnd(t[hi-1])) {
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
	name := x.span(t[nameLo].start, nameEnd(t[hi-1]))
	full := x.fullest(name, t[hi-1].bare())
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
		g = genderOfFirstName(t[nameLo].low)
	}
	e := entity{name: full, role: role, person: person, org: org, outlet: outlet, maybe: !person && !org,
		anonymous: anon, gender: g, at: t[lo].start}
	if org {
		e.head = strings.ToLower(lastWord(role))
	}
	return attribution{speaker: full, role: role, anonymous: anon, ent: e}
}

func honorOnly(t []tok, lo, nameLo int) bool {
	for k := lo; k < nameLo; k++ {
		if (titleWords[t[k].bare()] || isRoleWord(t[k].bare())) && !honorifics[t[k].low] {
			return false
		}
	}
	return true
}

// titleText returns the titles before a name without honorifics.
func (x *extractor) titleText(t []tok, lo, nameLo int) string {
	for lo < nameLo && (honorifics[t[lo].low] || t[lo].is("the", "a", "an")) {
		lo++
	}
	hi := nameLo
	for hi > lo && honorifics[t[hi-1].low] {
		hi--
	}
	if lo >= hi {
		return ""
	}
	return x.span(t[lo].start, t[hi-1].end)
}

func lastWord(s string) string {
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[i+1:]
	}
	return s
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
	h := hi - 1
	for k := lo + 1; k < hi; k++ {
		if npPreps[t[k].low] || t[k].is("who", "familiar", "briefed", "close", "speaking") {
			h = k - 1
			break
		}
	}
	w := t[h].bare()
	return w, isPluralNoun(w)
}

// fullest returns the longest name in the article that ends with name:
// "Naim" gives "Basem Naim".
func (x *extractor) fullest(name, last string) string {
	best := name
	for _, cand := range x.names[last] {
		if len(cand) > len(best) && strings.HasSuffix(cand, name) && cand[len(cand)-len(name)-1] == ' ' {
			best = cand
		}
	}
	return best
}

// orgNamed returns the organization a one-word speaker name begins, if the
// article names one: "Pellham" said gives "Pellham Foods".
func (x *extractor) orgNamed(name string) (string, bool) {
	best := ""
	if !strings.Contains(name, " ") {
		for _, cand := range x.orgs[strings.ToLower(name)] {
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

// nominal resolves "the official", "the company", "the newspaper" to the
// most recent entity it can mean: first one whose role or description
// uses that noun, else the most recent person (for a role) or organization
// (for a kind of organization).
func (x *extractor) nominal(head string, anon bool, off int) (attribution, bool) {
	sing := singular(head)
	described := func(e *entity) bool {
		return e.head == sing && e.head != "" || e.role != "" && containsWord(x.lower(e.role), sing)
	}
	var found int
	switch {
	case outletNouns[sing]:
		found = x.pick(off, described, func(e *entity) bool { return e.outlet })
	case orgNouns[sing]:
		found = x.pick(off, described,
			func(e *entity) bool { return e.org && !e.outlet && !e.plural },
			func(e *entity) bool { return e.maybe })
	case isRoleWord(sing) || titleWords[sing]:
		found = x.pick(off, described,
			func(e *entity) bool { return e.person && !e.plural && e.subject },
			func(e *entity) bool { return e.person && !e.plural },
			func(e *entity) bool { return e.maybe && e.subject },
			func(e *entity) bool { return e.maybe })
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
	name := e.name
	if e.plural && sing == head && e.head == sing {
		// "the official" after "officials": one of them.
		name = singularLast(name)
	}
	return attribution{speaker: name, role: e.role, anonymous: e.anonymous || anon, ent: *e}, true
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
		gender := func(e *entity) bool {
			g := e.gender
			if g == 0 {
				g = x.genders[e.name]
			}
			return !e.plural && (g == 0 || g == want)
		}
		found = x.pick(off,
			func(e *entity) bool { return e.person && gender(e) },
			func(e *entity) bool { return e.maybe && strings.Contains(e.name, " ") && gender(e) })
	case "they":
		found = x.pick(off,
			func(e *entity) bool { return e.plural },
			func(e *entity) bool { return e.org },
			func(e *entity) bool { return e.maybe })
	case "it":
		found = x.pick(off,
			func(e *entity) bool { return e.org && !e.plural },
			func(e *entity) bool { return e.maybe && !e.plural })
	default:
		return attribution{} // "we", "I": the author, or unclear: never guess
	}
	if found < 0 {
		return attribution{}
	}
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

// registerMentions records the people and organizations a sentence names,
// and its subject, so that later pronouns and nouns can refer to them.
func (x *extractor) registerMentions(t []tok) {
	first := len(x.ents)
	for i := 0; i < len(t); {
		if !isNameTok(t, i) || t[i].quoted {
			i++
			continue
		}
		j := i
		for j < len(t) && !t[j].quoted && (isNameTok(t, j) || t[j].text == "&" && j+1 < len(t) && t[j+1].cap) {
			j++
		}
		lo, titled := nameStart(t, i, j, true)
		if lo == j-1 && (isTimeTok(t, lo) || starters[t[lo].text] || dayNames[t[lo].low] ||
			lo == 0 && j < len(t) && (npPreps[t[j].low] || determiners[t[j].low])) {
			lo = j // "Thursday", "The", "Attendance at ...": not an entity
		}
		if lo < j {
			name := x.span(t[lo].start, nameEnd(t[j-1]))
			full := x.fullest(name, t[j-1].bare())
			person, org, outlet := x.kindOf(t, max(0, i-3), lo, j, titled, full)
			if o, ok := x.orgNamed(name); ok && full == name && !person && (i == 0 || !t[i-1].is("in", "at", "near", "to", "from", "off")) {
				full, org = o, true // "Shares of Pellham": Pellham Foods
			}
			role := x.roles[full]
			if role == "" {
				role = x.appositiveAfter(t, j)
			}
			if role != "" && !org {
				person = true
			}
			g := x.genders[full]
			if g == 0 && person {
				g = genderOfFirstName(t[lo].low)
			}
			place := !person && !outlet && i > 0 && t[i-1].is("in", "at", "near", "to", "from", "across", "outside",
				"inside", "around", "into", "throughout", "toward", "towards", "off", "through", "over", "under")
			x.ents = append(x.ents, entity{name: full, role: role, person: person, org: org, outlet: outlet,
				maybe: !person && !org, place: place, gender: g, at: t[lo].start})
		}
		i = j
	}
	x.registerSubject(t, first)
}

// registerSubject records the subject of the sentence's main clause: a
// group ("Nurses at St. Brendan's Hospital walked out") becomes something
// "they" can mean; a name the sentence goes on to call "his", "her" or "its"
// is a person of that gender or an organization.
func (x *extractor) registerSubject(t []tok, first int) {
	lo, hi, ok := x.mainSubject(t)
	if !ok || pronouns[t[lo].low] || t[lo].quoted {
		return
	}
	var e *entity
	for i := first; i < len(x.ents); i++ {
		if x.ents[i].at >= t[lo].start && x.ents[i].at < t[hi-1].end {
			e = &x.ents[i]
			break
		}
	}
	r := hi
	for r > lo && isNameTok(t, r-1) {
		r--
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
			ent.name = x.span(t[lo+1].start, t[hi-1].end)
		}
		x.ents = append(x.ents, ent)
		return
	}
	if e == nil {
		return
	}
	e.subject = true
	if !e.maybe {
		return
	}
	for k := hi; k < len(t) && k < hi+25; k++ {
		if t[k].quoted {
			continue
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
			e.maybe, e.org = false, true
			return
		}
	}
}
