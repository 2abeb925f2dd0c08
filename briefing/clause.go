package briefing

import "strings"

// This file reads the clause around a reporting verb: the speaker before or
// after it, the listener or channel after it, and where the content is.

// closeMark reports whether t[k] is the closing mark of a quotation.
func (x *extractor) closeMark(t []tok, k int) bool {
	return k >= 0 && k < len(t) && t[k].closes
}

// tailCue reads a verb that closes its sentence: "Y, X said.",
// "“Q,” said X, the role.", "“Q1,” X told Newsweek, “Q2.”" and the
// mid-sentence "Y1, X said, Y2.".
func (x *extractor) tailCue(si int, t []tok, v int) (cue, bool) {
	s := x.sents[si]
	// Inverted: ", said X" or "” said X".
	if v >= 1 && t[v].in(lexInvertible) && (t[v-1].text == "," || x.closeMark(t, v-1)) {
		lo := v + 1
		hi := npEndForward(t, lo)
		if hi > lo && !t[lo].in(lexPronouns) && !isTimeTok(t, lo) {
			role := ""
			k := hi
			nameLo, nameHi := lo, hi
			if r := x.appositiveAfter(t, hi); r != "" {
				role = r
				k = hi + 1
				for k < len(t) && t[k].text != "," && t[k].text != "." {
					k++
				}
			} else if nl, nh, ok := titlesThenName(t, hi); ok {
				// "said Recording Academy president and CEO Neil Portnow",
				// "said Myer Chief Marketing Officer and Deputy CEO, Daniel
				// Bracken": two titles joined, then the name that speaks.
				nameLo, nameHi = nl, nh
				if re := nl; t[nl-1].text == "," {
					role = x.roleText(t[lo : re-1])
				} else {
					role = x.roleText(t[lo:re])
				}
				k = nh
			} else if n := hi + 1; n < len(t) && t[hi].text == "," && isNameRun(t, n, npEndForward(t, n)) &&
				!isNameRun(t, lo, hi) && !isNameTok(t, lo) && placeRunEnd(t, n) != npEndForward(t, n) {
				// "said a former spokesman for the ministry, Oleg Voloshyn, ...":
				// the name speaks, the description is the role.
				nameLo, nameHi = n, npEndForward(t, n)
				role = x.roleText(t[lo:hi])
				k = nameHi
			}
			rest, ok := x.tailRest(si, t, k)
			if !ok && (x.closeMark(t, v-1) || v >= 2 && x.closeMark(t, v-2)) {
				rest, ok = x.quoteTail(si, t, k), true
			}
			if !ok && k < len(t) && t[k].text == "," && k+1 < len(t) && t[k+1].word && !t[k+1].quoted {
				// More about the speaker: ", who also ran for parliament."
				ok = t[k+1].is("who", "whose", "which") || isRoleLike(t[k+1:]) || t[k+1].is("a", "an", "the")
			}
			if ok {
				w := x.resolveNP(t, nameLo, nameHi, role)
				if w.speaker != "" {
					c := cue{attribution: w}
					c.verb, c.kind = t[v].low, Indirect
					c.merge(rest)
					end := t[v-1].start
					if t[v-1].text == "," && v >= 2 && x.closeMark(t, v-2) {
						end = t[v-2].start
					}
					c.parts = append([][2]int{{s.Start, end}}, rest.parts...)
					return c, true
				}
			}
		}
	}
	// The verb must close its sentence, close a quotation's attribution or
	// stand between commas; the subject is only sought then.
	if !x.mayCloseTail(si, t, v) {
		return cue{}, false
	}
	sub, ok := x.subjectBefore(t, v)
	if !ok || sub.boundary < 0 || sub.lo == 0 {
		return cue{}, false
	}
	b := sub.boundary
	if !(t[b].text == "," || x.closeMark(t, b)) {
		return cue{}, false
	}
	if t[sub.lo].low == "who" {
		return cue{}, false
	}
	k := v + 1
	obj := ""
	if t[v].in(lexListenerVerbs) {
		k, obj = x.listener(t, k)
	}
	rest, ok := x.tailRest(si, t, k)
	if !ok && x.closeMark(t, b) || !ok && t[b].text == "," && x.closeMark(t, b-1) {
		// "“Q,” X said <anything>": the quotation is the claim, whatever
		// details follow the verb.
		rest, ok = x.quoteTail(si, t, k), true
	}
	mid := false
	if !ok {
		// "The bridge, Olvera said, will reopen in May."
		if k < len(t) && t[k].text == "," && k+1 < len(t) && t[k+1].word && !t[k+1].quoted &&
			!t[k+1].in(lexParticipleCues) && !t[k+1].is("who", "which", "according", "speaking") && t[b].text == "," && b >= 2 {
			mid = true
		} else {
			return cue{}, false
		}
	}
	if k < len(t) && t[k].text == ":" {
		// "After the judge said the fund could do better with “smaller
		// bets,” Ortiz said: “...”": the verb introduces the quotation
		// after it; what comes before is another speaker's.
		for j := 1; j < b; j++ {
			if t[j].word && !t[j].quoted && !t[j].cap && t[j].in(lexCueVerbs) && validCue(t, j) {
				return cue{}, false
			}
		}
	}
	c, ok := x.subjectCue(t, v, sub)
	if !ok {
		return cue{}, false
	}
	c.via = firstNonEmpty(obj, c.via)
	end := t[b].start
	if t[b].text == "," && b >= 1 && x.closeMark(t, b-1) {
		end = t[b-1].start
	}
	start := contentStart(t, b, s.Start)
	if mid {
		c.parts = [][2]int{{start, end}, {t[k+1].start, s.End}}
		return c, true
	}
	c.merge(rest)
	c.parts = append([][2]int{{start, end}}, rest.parts...)
	return c, true
}

// contentStart returns where the content before a tail cue starts: the
// sentence's start, or the line after a headline glued on the line before
// ("At Least Nine Hurt In Harbor Blast\n“The fire spread,” a worker said").
func contentStart(t []tok, b, start int) int {
	for j := 1; j < b; j++ {
		if t[j].lineStart && titleCase(t[:j]) {
			return t[j].start
		}
	}
	return start
}

// mayCloseTail is a cheap test that tailCue may succeed for the verb t[v]:
// what follows it may end an attribution, or a quotation closed before it,
// or a comma follows it.
func (x *extractor) mayCloseTail(si int, t []tok, v int) bool {
	k := v + 1
	if t[v].in(lexListenerVerbs) {
		k, _ = x.listener(t, k)
	}
	if _, ok := x.tailRest(si, t, k); ok || k < len(t) && t[k].text == "," {
		return true
	}
	for j := v - 1; j >= 0; j-- {
		if x.closeMark(t, j) {
			return true
		}
	}
	return false
}

// subjectCue makes the cue of verb t[v] with the subject sub, or reports
// that the subject names no one.
func (x *extractor) subjectCue(t []tok, v int, sub subject) (cue, bool) {
	var w attribution
	if sub.unread {
		w = attribution{unsure: true}
	} else if sub.hi-sub.lo == 1 && t[sub.lo].in(lexPronouns) && sub.boundary >= 0 {
		// "People like Scott, he said": who is named in what "he" said is
		// not "he"; look before the sentence. After a conjunction, the
		// main clause's subject may be him: "Neville was scathing when he
		// said".
		ok := false
		if t[sub.boundary].word && t[sub.boundary].in(lexClauseOpeners) {
			w, ok = x.subjectReferent(t[sub.lo].low, t, t[sub.lo].start)
		}
		if !ok {
			w = x.resolvePronoun(t[sub.lo].low, t[0].start)
		}
	} else {
		w = x.resolveNP(t, sub.lo, sub.hi, sub.role)
	}
	if w.speaker == "" {
		// Someone said it, but who cannot be told: say so, rather than
		// guess or give it as the article's own voice.
		if !t[v].in(lexStrongCues) {
			return cue{}, false
		}
		w = attribution{unsure: true}
	}
	c := cue{attribution: w}
	c.verb, c.kind, c.via = t[v].low, Indirect, firstNonEmpty(sub.via, w.via)
	c.anonymous = c.anonymous || sub.anon
	return c, true
}

// rest is what tailRest learns after the verb.
type rest struct {
	via   string
	anon  bool
	parts [][2]int // a quotation that resumes after the attribution
}

func (c *cue) merge(r rest) {
	if c.via == "" {
		c.via = r.via
	}
	c.anonymous = c.anonymous || r.anon
}

// tailRest checks that t[k:] holds nothing but what may follow an
// attribution at the end of a sentence: time and channel phrases, an
// outlet, ", speaking on condition of anonymity", ", adding that ...", or a
// quotation that resumes (", “Q2.”").
func (x *extractor) tailRest(si int, t []tok, k int) (rest, bool) {
	var r rest
	for k < len(t) {
		tk := &t[k]
		if !tk.word {
			switch {
			case tk.text == "," && k+1 < len(t) && t[k+1].quoted:
				r.parts = append(r.parts, [2]int{t[k+1].start, x.sents[si].End})
				return r, true
			case tk.text == "," && k+1 < len(t) && t[k+1].word:
				n := &t[k+1]
				if n.is("speaking", "citing", "adding", "noting", "who", "whose", "which", "referring", "declining",
					"asking", "requesting", "according", "as", "while", "when", "after", "before", "because",
					"pointing", "stressing", "saying", "although", "though", "in", "on", "at", "during", "and") || n.in(lexParticipleCues) {
					if containsAnon(t[k+1:]) {
						r.anon = true
					}
					if n.is("according") && k+2 < len(t) && t[k+2].low == "to" && r.via == "" {
						hi := npEndForward(t, k+3)
						if hi > k+3 {
							r.via = x.viaText(t, k+3, hi)
						}
					}
					if n.is("in", "on", "at", "during") {
						if p, via := x.channelAfter(t, k+1); p > k+1 {
							if r.via == "" {
								r.via = via
							}
							k = p
							continue
						}
						return r, false
					}
					if n.is("and") {
						return r, false
					}
					return r, true
				}
				return r, false
			case tk.text == "." || tk.text == "!" || tk.text == "?" || tk.text == "…" || tk.mark || tk.text == ")" || tk.text == "’":
				k++
				continue
			}
			return r, false
		}
		if isTimeTok(t, k) || isNumberTok(tk) && k > 0 && t[k-1].in(lexMonthNames) {
			k++
			continue
		}
		if tk.is("on") && k+3 < len(t) && t[k+1].low == "condition" || tk.is("on") && k+4 < len(t) && t[k+2].low == "condition" {
			r.anon = true
			return r, true
		}
		if tk.is("according") && k+1 < len(t) && t[k+1].low == "to" {
			hi := npEndForward(t, k+2)
			if hi > k+2 && r.via == "" {
				r.via = x.viaText(t, k+2, hi)
			}
			k = hi
			continue
		}
		if tk.in(lexChannelLeads) {
			if p, via := x.channelAfter(t, k); p > k {
				if r.via == "" {
					r.via = via
				}
				k = p
				continue
			}
		}
		if tk.is("as", "while", "when", "after", "before", "because", "since") && k > 0 {
			return r, true // a subordinate clause about the circumstances
		}
		if isAdverb(tk) || tk.is("also", "later", "earlier", "again", "too", "then", "previously", "recently") {
			k++
			continue
		}
		// Where or to whom it was said: "outside the courthouse", "at the
		// scene", "in a note to clients".
		if tk.in(lexPlacePreps) {
			if p := prepPhraseEnd(t, k); p > k+1 {
				k = p
				continue
			}
		}
		return r, false
	}
	return r, true
}

// prepPhraseEnd returns the end of the prepositional phrase that starts at
// t[k]: the preposition and a short noun phrase, with no verb, up to
// punctuation. It returns k if there is none.
func prepPhraseEnd(t []tok, k int) int {
	j := k + 1
	for j < len(t) && j < k+9 && t[j].word && !t[j].quoted &&
		(isNPTok(t, j) || isTimeTok(t, j) || t[j].in(lexNpPreps) || t[j].in(lexPlacePreps)) && !t[j].in(lexParticipleCues) {
		j++
	}
	if j == k+1 || j < len(t) && t[j].word {
		return k // nothing after the preposition, or more words that are not part of it
	}
	return j
}

// quoteTail is what follows "“Q,” X said" when it is more than an
// attribution: a quotation that resumes after it still belongs to X.
func (x *extractor) quoteTail(si int, t []tok, k int) rest {
	var r rest
	for j := k; j+1 < len(t); j++ {
		if t[j].text == "," && t[j+1].quoted && !t[j].quoted {
			r.parts = append(r.parts, [2]int{t[j+1].start, x.sents[si].End})
			break
		}
	}
	r.anon = containsAnon(t[k:])
	return r
}

// channelAfter reads a channel or time phrase starting with the preposition
// at t[k] and returns the index just past it, or k if there is none.
func (x *extractor) channelAfter(t []tok, k int) (int, string) {
	best, via := k, ""
	start := k + 1
	if t[k].is("last", "this", "earlier", "late", "early") {
		start = k
	}
	for j := start + 1; j <= len(t) && j <= start+9; j++ {
		if !t[j-1].word || t[j-1].quoted {
			break
		}
		if v, ok := x.channelPhrase(t, start, j); ok {
			best, via = j, v
		}
	}
	return best, via
}

// viaText is the channel named by t[lo:hi] after "according to": a statement
// or report keeps its words ("a statement from a Palestinian official").
func (x *extractor) viaText(t []tok, lo, hi int) string {
	if name, ok := x.outletName(t, lo, hi); ok {
		return name
	}
	return x.span(t[lo].start, t[hi-1].end)
}

// listener skips the listener after "told": an outlet becomes the via
// ("told Reuters"), a person is just skipped ("told Palestinian President
// Abbas"). It returns the index after the listener.
func (x *extractor) listener(t []tok, k int) (int, string) {
	if k < len(t) && t[k].mark {
		// A programme's title: "told “Morning Edition” that".
		for qi, q := range x.quotes {
			if q.open == t[k].start && q.closed && x.isTitle(x.quotes[qi]) {
				j := k + 1
				for j < len(t) && t[j].start <= q.close {
					j++
				}
				return j, x.body[q.start:q.end]
			}
		}
	}
	if k >= len(t) || !t[k].word || t[k].quoted {
		return k, ""
	}
	// Up to "that" when it comes soon, with no punctuation in between.
	for j := k; j < len(t) && j < k+12; j++ {
		if !t[j].word && t[j].text != "-" || t[j].quoted {
			break
		}
		if t[j].low == "that" && j > k {
			end := k
			for end < j && !isTimeTok(t, end) && !(end > k && t[end].in(lexNpPreps)) {
				end++
			}
			name, _ := x.outletName(t, k, end)
			return j, name
		}
	}
	end := k
	switch {
	case t[k].is("him", "her", "them", "us", "me", "reporters", "journalists", "lawmakers", "investors",
		"analysts", "residents", "parents", "students", "staff", "employees", "members", "supporters", "congress", "parliament"):
		end = k + 1
	case t[k].is("the", "a", "an", "local", "state", "his", "her", "their", "its") || t[k].cap:
		// One noun phrase: a second determiner or a pronoun starts the
		// claim ("told the board the district faces ...").
		end = k
		for end < len(t) && end < k+8 && t[end].word && !t[end].quoted && (t[end].cap || isNameTok(t, end) ||
			end == k || !t[end-1].cap && !t[end].in(lexNpStop) && !t[end].in(lexDeterminers) && !isTimeTok(t, end) ||
			t[end-1].cap && t[end].in(lexOutletNouns)) { // "told the Daily Camera newspaper she ..."
			end++
		}
	}
	name, _ := x.outletName(t, k, end)
	return end, name
}

// forwardCue reads "X said (that) Y", "X told Reuters Y", "X denied Y" and
// "... and claimed Y" (the subject of the sentence carries over).
func (x *extractor) forwardCue(si int, t []tok, v int) (cue, bool) {
	s := x.sents[si]
	var sub subject
	p := v - 1
	for p >= 0 && t[p].word && (t[p].in(lexAuxWords) || isAdverb(&t[p])) {
		p--
	}
	// ", then says": "then" joins a second verb to the first, as "and" does.
	then := p > 0 && p+1 < v && t[p].text == "," && t[p+1].is("then") || p > 0 && t[p].is("then") && (t[p-1].text == "," || t[p-1].is("and"))
	if p >= 0 && t[p].is("and", "but") || then {
		lo, hi, ok := x.mainSubject(t)
		if !ok || hi > p || !carriesOver(t, lo, hi, p) {
			return cue{}, false
		}
		sub = subject{lo: lo, hi: hi, boundary: -1}
	} else {
		var ok bool
		if sub, ok = x.subjectBefore(t, v); !ok {
			// No subject could be read ("Alpha Beta ... Smith said", a
			// run of 200 capitals): if the verb surely reports speech, the
			// claim is someone's, who is unclear.
			if !t[v].in(lexStrongCues) || p < 0 || !t[p].word || t[p].quoted {
				return cue{}, false
			}
			sub = subject{lo: p, hi: p + 1, boundary: -1, unread: true}
		}
	}
	if hypothetical(t, sub.lo) {
		return cue{}, false
	}
	c, ok := x.subjectCue(t, v, sub)
	if !ok {
		return cue{}, false
	}
	c.subjStart, c.subjEnd, c.verbStart = t[sub.lo].start, t[sub.hi-1].end, t[v].start
	// A verb in a relative clause ("Meyer, who argued with her, said ...")
	// is the sentence's cue only if no other is.
	c.weak = t[sub.lo].is("who", "which", "that")
	// Keep auxiliaries and adverbs right before the verb: "has emphasized".
	for a := v - 1; a >= sub.hi && t[a].word && (t[a].in(lexAuxWords) || isAdverb(&t[a])); a-- {
		c.verbStart = t[a].start
	}

	k := v + 1
	if t[v].in(lexListenerVerbs) {
		var obj string
		k, obj = x.listener(t, k)
		c.via = firstNonEmpty(obj, c.via)
	}
	// Skip time and channel phrases: "said on Friday in a statement that".
	for k < len(t) {
		if t[k].is("before", "again") && k+1 < len(t) && (t[k+1].low == "that" || !t[k+1].word) {
			k++ // "has said before that"
			continue
		}
		if t[k].word && !t[k].quoted && (isTimeTok(t, k) || isAdverb(&t[k])) {
			k++
			continue
		}
		if t[k].word && !t[k].quoted && t[k].is("in", "on", "at", "during", "to", "via", "through", "last", "this") {
			if p, via := x.channelAfter(t, k); p > k {
				c.via = firstNonEmpty(c.via, via)
				k = p
				continue
			}
		}
		if p := timePhraseAfter(t, k); p > k {
			k = p
			continue
		}
		if t[k].text == "," && k+1 < len(t) && t[k+1].is("in", "on", "at", "during") {
			if p, via := x.channelAfter(t, k+1); p > k+1 {
				c.via = firstNonEmpty(c.via, via)
				k = p
				continue
			}
		}
		break
	}
	clause := false
	if k < len(t) && t[k].low == "that" && !t[k].quoted && !(k+1 < len(t) && t[k+1].in(lexFiniteWords)) && !demonstrative(t, k) {
		k++ // "that" opens the clause; but in "believes that is wrong" it is its subject
		clause = true
	}
	colon := false
	for k < len(t) && (t[k].text == ":" || t[k].text == ",") {
		colon = colon || t[k].text == ":"
		k++
	}
	if colon && k == len(t) {
		// "Trump said:" closing its paragraph: the quotation that opens the
		// next one is his.
		x.colonCues = append(x.colonCues, colonCue{end: s.End, a: c.attribution})
		return cue{}, false
	}
	end := s.End
	if main, _ := x.clauseStartOf(t); v < main {
		end = t[main-1].start // "While Brown said the talks had failed, ..."
	}
	if t[sub.lo].is("who", "which") && sub.lo > 0 && t[sub.lo-1].text == "," {
		// "Harlow Water, which said that rates would rise, voted against
		// it": the relative clause ends where the main verb resumes.
		for j := k + 1; j+1 < len(t) && t[j].start < end; j++ {
			if t[j].text == "," && !t[j].quoted && resumesClause(t, j+1) {
				end = t[j].start
				break
			}
		}
	}
	// A trailing ", according to a statement ..." names the channel.
	for a := k + 1; a+1 < len(t); a++ {
		if t[a].low == "according" && t[a+1].low == "to" && !t[a].quoted && t[a-1].text == "," {
			if hi := npEndForward(t, a+2); hi > a+2 {
				c.via = firstNonEmpty(c.via, x.viaText(t, a+2, len(t)-trailingPunct(t)))
			}
			end = t[a-1].start
			break
		}
	}
	// "disputed the account, stating that Y": the participle carries the claim.
	if t[v].in(lexObjectVerbs) || cueVerbs[t[v].low] == cueObject {
		for p := v + 1; p+1 < len(t); p++ {
			if t[p].text == "," && t[p+1].in(lexParticipleCues) && !t[p+1].quoted {
				q := p + 2
				if q < len(t) && t[q].low == "that" {
					q++
				}
				if q < len(t) && t[q].start < end {
					c.parts = [][2]int{{t[q].start, end}}
					return c, true
				}
			}
		}
		if !clause {
			c.whole = true
			return c, true
		}
	}
	if k >= len(t) || t[k].start >= end || !hasWordIn(t[k:], end) {
		return cue{}, false
	}
	if !clause && (t[k].in(lexObjectPreps) ||
		t[k].in(lexPlacePreps)) {
		// "called for talks", "warned against it": the clause is the claim.
		// "testified before the panel", "reported from Los Angeles": an
		// event, not a statement.
		if cueVerbs[t[v].low] == cueClause && eventPreps[t[k].low] && !(k+1 < len(t) && t[k+1].is("favor", "favour")) {
			// "wrote in his autobiography that ...", "said following a
			// vote that ...": the phrase is a circumstance, the clause after
			// "that" the claim.
			p, ok := afterCircumstance(t, k, end)
			if !ok {
				return cue{}, false
			}
			c.parts = [][2]int{{t[p].start, end}}
			return c, true
		}
		c.whole = true
		return c, true
	}
	// "asked 1,200 parents about school": a question is asked only with
	// "whether", "if", a question word or a quotation.
	if t[v].is("asked", "asks") && !t[k].quoted && !t[k].is("whether", "if", "why", "how", "what", "who", "when", "where", "which") {
		c.whole = true
		return c, true
	}
	// "estimated repairs at $9 million": an object, not a clause.
	if !clause && nounObjectVerbs[t[v].low] && !looksLikeClause(t, k, end) {
		c.whole = true
		return c, true
	}
	c.parts = [][2]int{{t[k].start, end}}
	return c, true
}

// resumesClause reports whether t[j] is a verb that resumes a main clause
// after a relative one: "is", "has", "voted".
func resumesClause(t []tok, j int) bool {
	w := &t[j]
	if !w.word || w.cap || w.quoted {
		return false
	}
	return w.in(lexFiniteWords) || len(w.low) > 3 && strings.HasSuffix(w.low, "ed") && j+1 < len(t) && (t[j+1].word || t[j+1].text == ".")
}

// afterCircumstance reads a circumstance opened by a preposition at t[k]
// ("in his 1990 memoir", "at Western High School") and returns where the
// claim after it starts: after "that", at a pronoun that opens a clause, or
// at a quotation. ok is false when nothing of the kind follows: the verb
// then tells of an event ("testified before the panel").
func afterCircumstance(t []tok, k, end int) (int, bool) {
	p := k
	for p < len(t) && p < k+16 && t[p].word && !t[p].quoted && t[p].low != "that" &&
		(isNPTok(t, p) || isTimeTok(t, p) || eventPreps[t[p].low] || t[p].in(lexNpPreps) || t[p].is("a", "an", "the")) {
		p++
	}
	if p < len(t) && (t[p].text == "," || t[p].text == ":") {
		p++
	}
	switch {
	case p >= len(t) || t[p].start >= end:
		return 0, false
	case t[p].quoted || t[p].in(lexPronouns): // "told reporters in Nashua, “...”", "wrote in both listings he was"
		return p, true
	case t[p].low == "that" && p+1 < len(t) && t[p+1].start < end:
		return p + 1, true
	}
	return 0, false
}

// demonstrative reports whether "that" at t[k] points at a noun rather
// than opening a clause: "rejected that claim".
func demonstrative(t []tok, k int) bool {
	words := 0
	for j := k + 1; j < len(t); j++ {
		if t[j].word {
			words++
		}
	}
	return words <= 3 && !looksLikeClause(t, k+1, t[len(t)-1].end)
}

// timePhraseAfter returns the end of a time phrase opened by "for",
// "over", "since" or "throughout" at t[k] ("for months", "over the past
// year"), or k.
func timePhraseAfter(t []tok, k int) int {
	if !t[k].word || t[k].quoted || !t[k].is("for", "over", "since", "throughout") {
		return k
	}
	best := k
	for j := k + 2; j <= len(t) && j <= k+6; j++ {
		if isTimePhrase(t, k+1, j) {
			best = j
		}
	}
	return best
}

// looksLikeClause reports whether the words t[k:] before end read as a
// clause rather than a noun phrase: a pronoun subject, an auxiliary or a
// verb in the past tense comes early.
func looksLikeClause(t []tok, k, end int) bool {
	if k < len(t) && t[k].in(lexPronouns) {
		return true
	}
	for j := k; j < len(t) && j < k+10 && t[j].start < end; j++ {
		w := &t[j]
		if !w.word {
			continue
		}
		if w.in(lexFiniteWords) || j > k && !w.cap && len(w.low) > 3 && strings.HasSuffix(w.low, "ed") && !t[j-1].in(lexDeterminers) {
			return true
		}
	}
	return false
}

// hasWordIn reports whether a word of t starts before end.
func hasWordIn(t []tok, end int) bool {
	for ri := range t {
		k := &t[ri]
		if k.start >= end {
			return false
		}
		if k.word {
			return true
		}
	}
	return false
}

func trailingPunct(t []tok) int {
	n := 0
	for i := len(t) - 1; i >= 0 && !t[i].word; i-- {
		n++
	}
	return n
}

// titlesThenName reads, after a speaker's title that ends before t[hi],
// "and" with a second title, perhaps a comma, then a name: "and CEO Neil
// Portnow", "and Deputy CEO, Daniel Bracken". It returns the name's tokens.
func titlesThenName(t []tok, hi int) (lo, end int, ok bool) {
	if hi+2 >= len(t) || !t[hi].is("and") || t[hi].quoted {
		return 0, 0, false
	}
	k := hi + 1
	for k < len(t) && k < hi+5 && t[k].word && t[k].cap && (t[k].bareIn(lexTitleWords) || isRoleTok(&t[k]) || isAllCaps(t[k].text) ||
		k+1 < len(t) && (t[k+1].bareIn(lexTitleWords) || isRoleTok(&t[k+1]))) {
		k++
	}
	if k == hi+1 || k >= len(t) {
		return 0, 0, false
	}
	if t[k].text == "," {
		k++
	}
	e := k
	for e < len(t) && isNameTok(t, e) && !t[e].bareIn(lexTitleWords) && !isRoleTok(&t[e]) {
		e++
	}
	if e-k < 2 || e < len(t) && t[e].word && !t[e].is("who", "and") {
		return 0, 0, false
	}
	return k, e, true
}

// participleCue reads ", saying that Y" or "a statement saying Y" with the
// subject of the sentence as speaker.
func (x *extractor) participleCue(si int, t []tok, v int) (cue, bool) {
	s := x.sents[si]
	via := ""
	switch {
	case t[v-1].text == ",", t[v-1].is("by"): // ", saying that", "by saying that"
	case t[v-1].bareIn(lexChannelNouns):
		via = t[v-1].text
	default:
		return cue{}, false
	}
	lo, hi, ok := x.mainSubject(t)
	if !ok || hi > v {
		return cue{}, false
	}
	// "Prosecutors charged the officer and Emanuel fired his chief,
	// acknowledging ...": the participle goes with the nearer clause.
	for k := hi; k+2 < v; k++ {
		if t[k].word && !t[k].quoted && t[k].is("and", "but") && (isNameTok(t, k+1) || t[k+1].is("he", "she", "they")) {
			n := k + 2
			if !t[k+1].in(lexPronouns) {
				n = npEndForward(t, k+1)
			}
			if n > k+1 && n < v && (verbBefore(t, n) || t[n].in(lexIrregularPasts) || !t[n].cap && strings.HasSuffix(t[n].low, "ed")) {
				lo, hi = k+1, n
			}
		}
	}
	w := x.resolveNP(t, lo, hi, "")
	if w.speaker == "" {
		return cue{}, false
	}
	k := v + 1
	if t[v].in(lexListenerVerbs) || t[v].low == "telling" {
		k, _ = x.listener(t, k)
	}
	if k < len(t) && t[k].low == "that" {
		k++
	}
	if k+1 < len(t) && t[k].text == ":" && (t[k+1].quoted || t[k+1].mark) {
		k++ // "hit back, saying: '…'"
		for k < len(t) && t[k].mark {
			k++
		}
	}
	if k >= len(t) || !t[k].word && !t[k].quoted {
		return cue{}, false
	}
	c := cue{attribution: w}
	c.verb, c.kind, c.via = t[v].low, Indirect, via
	if via == "" {
		for i := hi; i < v; i++ {
			if t[i].bareIn(lexChannelNouns) {
				c.via = t[i].text
			}
		}
	}
	c.parts = [][2]int{{t[k].start, s.End}}
	return c, true
}

// mainSubject finds the subject of the sentence's main clause, after any
// introductory phrase ("Throughout his campaign, Trump ...").
func (x *extractor) mainSubject(t []tok) (lo, hi int, ok bool) {
	i, _ := x.clauseStartOf(t)
	if i < len(t) && t[i].in(lexIntroWords) {
		return 0, 0, false // an introduction with no comma to end it
	}
	for i < len(t) && !t[i].word {
		i++
	}
	if i >= len(t) || t[i].quoted {
		return 0, 0, false
	}
	if t[i].in(lexPronouns) {
		return i, i + 1, true
	}
	hi = npEndForward(t, i)
	// Cut a channel phrase inside it: "Hamas officials in an interview with ...".
	for j := i + 1; j < hi; j++ {
		if t[j].is("in", "on", "at") {
			if p, _ := x.channelAfter(t, j); p > j {
				hi = j
				break
			}
		}
	}
	return i, hi, hi > i
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// carriesOver reports whether the main subject t[lo:hi] is surely the
// subject of a verb after the conjunction t[p] ("Ruiz wrote to the board
// and claimed ..."). Not an empty "it" or "there" ("It wasn't long before
// Fowler came to her defense and responded": not "it"), nor when a
// subordinate clause with a subject of its own comes between, whose verb
// the conjunction may continue ("after he posted ... and asked" still
// carries over: "he" is most likely the main subject).
func carriesOver(t []tok, lo, hi, p int) bool {
	if hi-lo == 1 && t[lo].is("it", "there") {
		return false
	}
	for k := hi; k < p-1; k++ {
		if t[k].word && !t[k].quoted && t[k].is("before", "after", "when", "while", "because", "since", "until", "although", "though", "once", "unless", "whereas") &&
			t[k+1].cap && !t[k+1].in(lexPronouns) && !t[k+1].in(lexDeterminers) {
			return false
		}
	}
	return true
}

// hypothetical reports whether the subject that opens at t[lo] is that of
// something yet to happen or a condition: "once the board has asked
// Surrey", "unless the mayor announces". Such a verb reports no one's
// words. ("If Holt asks him" is left alone: annotated news counts such
// questions as attributions.)
func hypothetical(t []tok, lo int) bool {
	for _, k := range []int{lo, lo - 1} {
		if k >= 0 && t[k].word && !t[k].quoted && t[k].is("once", "unless", "until") {
			return true
		}
	}
	return false
}
