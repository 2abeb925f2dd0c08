package briefing

import "strings"

// This file decides who a speaker's noun phrase means: a named person with
// the fullest name the article gives, a group, an organization, or someone
// mentioned earlier, referred to by a pronoun or a noun ("the company").

func (x *extractor) resolve(t []tok, lo, hi int) attribution { return x.resolveNP(t, lo, hi, "") }

// resolveNP resolves the noun phrase t[lo:hi]; role is an appositive role
// found next to it, if any.
func (x *extractor) resolveNP(t []tok, lo, hi int, role string) attribution {
	if lo >= hi {
		return attribution{}
	}
	if hi-lo == 1 && t[lo].low == "who" {
		// ", who said": the noun phrase before the comma.
		if lo >= 2 && t[lo-1].text == "," {
			j := lo - 2
			l := npStartBack(t, j+1)
			if t[j].word && l <= j {
				return x.resolveNP(t, l, j+1, role)
			}
		}
		return attribution{}
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
	// A name at the end of the phrase: "Hamas Political Bureau member Basem Naim".
	r := hi
	for r > lo && isNameTok(t, r-1) {
		r--
	}
	if r < hi {
		nameLo := r
		titled := false
		for k := r; k < hi; k++ {
			if titleWords[t[k].bare()] || honorifics[t[k].low] {
				nameLo = k + 1
				titled = titled || !honorifics[t[k].low] || true
			}
		}
		if nameLo < hi {
			return x.named(t, lo, nameLo, hi, role, titled, anon)
		}
		// Only titles: "the Mayor", "President".
		head := t[hi-1].bare()
		if a, ok := x.nominal(head, anon); ok {
			return a
		}
	}
	head, plural := headNoun(t, lo, hi)
	anon = anon || anonHeads[head]
	if definite && !hasCap(t, lo, hi) || definite && hi-lo == 1 {
		if a, ok := x.nominal(head, anon); ok {
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

// named builds the attribution of a name t[nameLo:hi], with the words
// t[lo:nameLo] before it (titles and descriptors).
func (x *extractor) named(t []tok, lo, nameLo, hi int, role string, titled, anon bool) attribution {
	name := x.span(t[nameLo].start, nameEnd(t[hi-1]))
	last := t[hi-1].bare()
	full := x.fullest(name, last)
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
	_, isOutlet := x.outletName(t, lo, hi)
	org := orgSuffixes[last] || isOutlet
	person := !org && (hi-nameLo >= 2 || titled && !honorOnly(t, lo, nameLo) || full != name || x.genders[full] != 0 || nameLo > lo && honorifics[t[nameLo-1].low])
	if full != name && hi-nameLo == 1 {
		person = !org
	}
	g := x.genders[full]
	if g == 0 && nameLo > lo {
		g = genderOf(t[nameLo-1].low)
	}
	if g == 0 {
		g = genderOf(strings.ToLower(lastWord(role)))
	}
	e := entity{name: full, role: role, person: person, org: !person, outlet: isOutlet, anonymous: anon, gender: g, at: t[lo].start}
	if !person {
		e.head = strings.ToLower(lastWord(role))
		e.plural = false
	}
	return attribution{speaker: full, role: role, anonymous: anon, ent: e}
}

func honorOnly(t []tok, lo, nameLo int) bool {
	for k := lo; k < nameLo; k++ {
		if titleWords[t[k].bare()] && !honorifics[t[k].low] {
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

// fullest returns the longest name in the article that ends with name.
func (x *extractor) fullest(name, last string) string {
	best := name
	for _, cand := range x.names[last] {
		if len(cand) > len(best) && strings.HasSuffix(cand, name) && cand[len(cand)-len(name)-1] == ' ' {
			best = cand
		}
	}
	return best
}

// nominal resolves "the official", "the company", "the newspaper" to the
// most recent entity it can mean.
func (x *extractor) nominal(head string, anon bool) (attribution, bool) {
	sing := singular(head)
	for i := len(x.ents) - 1; i >= 0; i-- {
		e := x.ents[i]
		match := e.head == sing && e.head != "" ||
			e.role != "" && containsWord(strings.ToLower(e.role), sing) ||
			e.outlet && outletNouns[sing] ||
			e.org && !e.outlet && orgNouns[sing] && !outletNouns[sing] && !e.plural
		if !match {
			continue
		}
		name := e.name
		if e.plural && sing == head && e.head == sing {
			// "the official" after "officials": one of them.
			name = singularLast(name)
			e.plural = false
		}
		return attribution{speaker: name, role: e.role, anonymous: e.anonymous || anon, ent: e}, true
	}
	return attribution{}, false
}

func containsWord(s, w string) bool {
	for _, f := range strings.Fields(s) {
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
	var want byte
	switch p {
	case "he":
		want = 'm'
	case "she":
		want = 'f'
	case "we", "i":
		return attribution{} // the author, or unclear: never guess
	}
	for i := len(x.ents) - 1; i >= 0; i-- {
		e := x.ents[i]
		if e.at >= off {
			continue
		}
		ok := false
		switch p {
		case "he", "she":
			g := e.gender
			if g == 0 {
				g = x.genders[e.name]
			}
			ok = e.person && (g == 0 || g == want)
		case "they":
			ok = e.plural || e.org && !e.person
		case "it":
			ok = e.org && !e.person && !e.plural
		}
		if !ok {
			continue
		}
		if want != 0 {
			x.genders[e.name] = want
			e.gender = want
		}
		return attribution{speaker: e.name, role: e.role, anonymous: e.anonymous, ent: e}
	}
	return attribution{}
}

// registerMentions records the people and organizations a sentence names,
// so that later pronouns and nouns can refer to them.
func (x *extractor) registerMentions(t []tok) {
	for i := 0; i < len(t); {
		if !isNameTok(t, i) || t[i].quoted {
			i++
			continue
		}
		j := i
		for j < len(t) && isNameTok(t, j) && !t[j].quoted {
			j++
		}
		lo := i
		titled := false
		for k := i; k < j; k++ {
			if titleWords[t[k].bare()] || honorifics[t[k].low] {
				lo = k + 1
				titled = true
			} else if k == 0 && starters[t[k].text] {
				lo = k + 1
			}
		}
		if lo < j {
			last := t[j-1].bare()
			name := x.fullest(x.span(t[lo].start, nameEnd(t[j-1])), last)
			g := x.genders[name]
			switch {
			case orgSuffixes[last]:
				x.ents = append(x.ents, entity{name: x.span(t[lo].start, nameEnd(t[j-1])), org: true, at: t[lo].start})
			case j-lo >= 2 && (g != 0 || titled || x.roles[name] != "") || titled && j-lo == 1:
				x.ents = append(x.ents, entity{name: name, person: true, gender: g, role: x.roles[name], at: t[lo].start})
			default:
				if _, ok := x.outletName(t, max(0, i-3), j); ok && i > 0 && !t[i-1].cap {
					x.ents = append(x.ents, entity{name: x.span(t[lo].start, nameEnd(t[j-1])), org: true, outlet: true, at: t[lo].start})
				}
			}
		}
		i = j
	}
}
