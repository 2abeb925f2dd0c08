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

// decide matches f against p, cheapest terms first: words, then phrases,
// then the regular expression, which runs only if the rest has not decided.
// It returns the term that decided with the field it was found in: the
// excluded term found, the + term missing (in -1), the plain term found
// when the article passes, or none when no plain term was found.
func (f *Filter) decide(p *Prepared) (pass bool, by *term, in int) {
	if f == nil {
		return true, nil, -1
	}
	for cost := 0; cost <= 2; cost++ {
		for _, t := range f.none {
			if t.cost == cost {
				if in := t.find(p); in >= 0 {
					return false, t, in
				}
			}
		}
		for _, t := range f.must {
			if t.cost == cost && t.find(p) < 0 {
				return false, t, -1
			}
		}
		if cost == 0 && len(f.any) > 0 {
			for _, t := range f.any {
				if in = t.find(p); in >= 0 {
					by = t
					break
				}
			}
			if by == nil {
				return false, nil, -1
			}
		}
	}
	return true, by, in
}

// find returns the first field (0 headline, 1 text, 2 speakers) that t is
// found in, or -1.
func (t *term) find(p *Prepared) int {
	if t.re != nil {
		for in := range p.raw {
			if mayMatch(t.re.need, p.raw[in], p.caseless[in]) && t.re.re.MatchString(p.raw[in]) {
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
		in := bits.TrailingZeros8(fields)
		if len(t.keys) == 1 || p.phrase(in, t.keys) {
			return in
		}
	}
	return -1
}
