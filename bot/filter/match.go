package filter

import (
	"math/bits"
	"strings"
)

// Match reports whether the article passes the filter.
func (f *Filter) Match(p *Prepared) bool {
	pass, _, _ := f.decide(p)
	return pass
}

// Explain says whether the article passes and why, in words for the channel
// manager trying the filter: "matches climate (in the text)", "excluded by
// -football (in the headline)", "missing +EU", "none of: climate, \"heat
// pump\"". It always agrees with Match.
func (f *Filter) Explain(p *Prepared) (bool, string) {
	if f == nil || len(f.terms) == 0 {
		return true, "no filter: every article passes"
	}
	pass, t, in := f.decide(p)
	switch {
	case !pass && t == nil:
		var names []string
		for _, a := range f.terms {
			if a.sign == 0 {
				names = append(names, a.String())
			}
		}
		return false, "none of: " + strings.Join(names, ", ")
	case !pass && t.sign == '-':
		return false, "excluded by " + t.String() + " (" + where[in] + ")"
	case !pass:
		return false, "missing " + t.String()
	}
	var found []string
	if t != nil {
		found = append(found, t.String()+" ("+where[in]+")")
	}
	for _, m := range f.terms {
		if m.sign == '+' {
			found = append(found, m.String()+" ("+where[m.find(p)]+")")
		}
	}
	if len(found) == 0 {
		return true, "nothing excluded"
	}
	return true, "matches " + strings.Join(found, ", ")
}

// decide matches f against p, cheapest terms first: single words, then
// phrases, then the regular expression, which runs only if the rest has
// not decided. It returns the term that decided with the field it was found
// in: the excluded term found, the + term missing (in -1), the plain term
// found when the article passes, or none when no plain term was found.
func (f *Filter) decide(p *Prepared) (pass bool, by *term, in int) {
	if f == nil {
		return true, nil, -1
	}
	v, i, in := f.shape.matchWords(f.words, p)
	if i >= 0 {
		by = f.wordTerms[i]
	}
	if v != undecided {
		return v == passes, by, in
	}
	pass, t, tin := f.matchSlow(p, by != nil)
	if t != nil || !pass {
		return pass, t, tin
	}
	return true, by, in
}

type verdict uint8

const (
	undecided verdict = iota
	passes
	fails
)

// matchWords is the first stage of matching: a filter's single words,
// with its shape. It returns the index of the word that decided, as decide
// returns its term; or, undecided, of the any-of word found (or -1) for
// matchSlow.
func (s shape) matchWords(words []uint64, p *Prepared) (v verdict, by, in int) {
	for i, w := range words[:s.nNone] {
		if in := p.findWord(w); in >= 0 {
			return fails, i, in
		}
	}
	for i, w := range words[s.nNone : s.nNone+s.nMust] {
		if p.findWord(w) < 0 {
			return fails, int(s.nNone) + i, -1
		}
	}
	by, in = -1, -1
	for i, w := range words[s.nNone+s.nMust:] {
		if in = p.findWord(w); in >= 0 {
			by = int(s.nNone+s.nMust) + i
			break
		}
	}
	switch {
	case s.anyOf && by < 0 && !s.slowAny:
		return fails, -1, -1
	case s.slow:
		return undecided, by, in
	}
	return passes, by, in
}

// matchSlow is the second stage of matching: phrases, then the regular
// expression, after matchWords found an any-of word or not. It returns the
// term that decided as decide does, but nil for a pass if an any-of word
// was found.
func (f *Filter) matchSlow(p *Prepared, anyFound bool) (pass bool, by *term, in int) {
	for _, t := range f.slow {
		switch {
		case t.sign == '-':
			if in := t.find(p); in >= 0 {
				return false, t, in
			}
		case t.sign == '+':
			if t.find(p) < 0 {
				return false, t, -1
			}
		case !anyFound && by == nil:
			if in = t.find(p); in >= 0 {
				by = t
			}
		}
	}
	if f.anyOf && !anyFound && by == nil {
		return false, nil, -1
	}
	return true, by, in
}

// findWord returns the first field that w, a key with the fields it may
// be in, is found in, or -1.
func (p *Prepared) findWord(w uint64) int {
	if fields := p.lookup(w) & w; fields != 0 {
		return bits.TrailingZeros64(fields)
	}
	return -1
}

// find returns the first field (0 headline, 1 text, 2 speakers) that t is
// found in, or -1.
func (t *term) find(p *Prepared) int {
	if t.re != nil {
		for in := range p.raw {
			if !p.odd[in] {
				if !found(t.re.need, p.raw[in], p.caseless[in]) {
					continue
				}
				if t.re.whole {
					return in
				}
			}
			if t.re.re.MatchString(p.raw[in]) {
				return in
			}
		}
		return -1
	}
	fields := t.fields
	for _, k := range t.keys {
		if fields &= p.lookup(k); fields == 0 {
			return -1
		}
	}
	for ; fields != 0; fields &= fields - 1 {
		in := bits.TrailingZeros64(fields)
		if len(t.keys) == 1 || p.phrase(in, t.keys) {
			return in
		}
	}
	return -1
}
