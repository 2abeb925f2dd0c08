package filter

import (
	"math/bits"
	"slices"
)

// Index holds many filters, to find fast which of them an article passes:
// routing each new article to thousands of channels. Most filters can pass
// only an article that has one of a few words (one of their plain terms, or
// a must-have); the index finds those filters by the article's words, and
// matches only them and the filters it cannot rule out so. It is
// immutable: share it freely.
type Index struct {
	filters []*Filter
	byKey   map[uint64][]int32 // the filters an article may pass only if it has one of their keys here
	always  []int32            // the filters to try on every article
	// Each filter's shape and words, copied side by side: matching the
	// filters found reads them in order, not scattered over the heap.
	shapes []shape
	at     []int32 // filter i's words are words[at[i]:at[i+1]]
	words  []uint64
}

// NewIndex indexes filters; a nil filter passes everything.
func NewIndex(filters []*Filter) *Index {
	x := &Index{filters: filters, byKey: map[uint64][]int32{}, shapes: make([]shape, len(filters)), at: make([]int32, 1, len(filters)+1)}
	for i, f := range filters {
		if f != nil {
			x.shapes[i] = f.shape
			x.words = append(x.words, f.words...)
		}
		x.at = append(x.at, int32(len(x.words)))
		keys := f.needs()
		if keys == nil {
			x.always = append(x.always, int32(i))
			continue
		}
		slices.Sort(keys)
		for _, k := range slices.Compact(keys) {
			x.byKey[k] = append(x.byKey[k], int32(i))
		}
	}
	return x
}

// needs returns keys of which an article must have one to pass f, or nil if
// there are none: a must-have's first word, or else the first word of each
// plain term if none of them is a regular expression.
func (f *Filter) needs() []uint64 {
	if f == nil {
		return nil
	}
	for _, t := range f.terms {
		if t.sign == '+' && t.re == nil {
			return []uint64{t.keys[0]}
		}
	}
	var keys []uint64
	for _, t := range f.terms {
		if t.sign == 0 {
			if t.re != nil {
				return nil
			}
			keys = append(keys, t.keys[0])
		}
	}
	return keys
}

// Match appends to dst the indexes of the filters the article passes, in
// increasing order, and returns it. It gives what calling every filter's
// Match would.
func (x *Index) Match(p *Prepared, dst []int) []int {
	try := make([]uint64, (len(x.filters)+63)/64)
	for _, i := range x.always {
		try[i/64] |= 1 << (i % 64)
	}
	for _, s := range p.slots {
		if s != 0 {
			for _, i := range x.byKey[s&^fieldBits] {
				try[i/64] |= 1 << (i % 64)
			}
		}
	}
	for w, set := range try {
		for ; set != 0; set &= set - 1 {
			i := w*64 + bits.TrailingZeros64(set)
			v, by, _ := x.shapes[i].matchWords(x.words[x.at[i]:x.at[i+1]], p)
			if v == undecided {
				if pass, _, _ := x.filters[i].matchSlow(p, by >= 0); pass {
					v = passes
				}
			}
			if v == passes {
				dst = append(dst, i)
			}
		}
	}
	return dst
}
