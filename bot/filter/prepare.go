package filter

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Doc is what filters are matched on: an article's headline, its text and
// the names of the people and groups it quotes.
type Doc struct {
	Headline string
	Text     string
	Speakers []string
}

// The fields a term can be found in, as bits: the lowest three of a key.
const (
	inHeadline = 1 << iota
	inText
	inSpeakers
	inAll     = inHeadline | inText | inSpeakers
	fieldBits = inAll
)

// where names the fields by their bit's index, for Explain.
var where = [3]string{"in the headline", "in the text", "in a speaker's name"}

// Prepared is a Doc made ready for matching: its words folded and hashed
// once, so that any number of filters can match it cheaply, from any number
// of goroutines.
type Prepared struct {
	raw      [3]string // headline, text, speakers one a line: what regexes run on
	caseless [3]string // the same, case-folded (see caseless): for regexes' required strings
	odd      [3]bool   // the field has "ſ" or "K" (the Kelvin sign): its regexes always run (see found)
	seqs     [3][]pos  // each field's words in order
	slots    []uint64  // an open-addressing set of every word's keys, each with the fields it is in; 0 is free
	shift    uint      // 64 minus log2(len(slots))
}

// Prepare tokenizes d once for all filters.
func Prepare(d Doc) *Prepared {
	p := &Prepared{raw: [3]string{d.Headline, d.Text, strings.Join(d.Speakers, "\n")}}
	for f, s := range p.raw {
		if !utf8.ValidString(s) { // as regexp reads it, for found
			p.raw[f] = strings.ToValidUTF8(s, "\uFFFD")
		}
	}
	var z folder
	n := 0 // keys, with repeats
	word := func(f int) func(w []byte) {
		return func(w []byte) {
			ks := keys(w)
			p.seqs[f] = append(p.seqs[f], ks)
			n += 1 + int(min(ks[1], 1)+min(ks[2], 1))
		}
	}
	z.words(d.Headline, word(0))
	z.words(d.Text, word(1))
	for i, s := range d.Speakers {
		if i > 0 {
			p.seqs[2] = append(p.seqs[2], pos{}) // no phrase across two names
		}
		z.words(s, word(2))
	}
	size := 16
	for size < 2*n { // at most half full
		size *= 2
	}
	p.slots = make([]uint64, size)
	p.shift = uint(64 - bits.Len(uint(size-1)))
	for f, seq := range p.seqs {
		for _, ks := range seq {
			for _, k := range ks {
				if k != 0 {
					p.add(k, 1<<f)
				}
			}
		}
		p.caseless[f] = caseless(p.raw[f])
		p.odd[f] = strings.Contains(p.raw[f], "ſ") || strings.Contains(p.raw[f], "\u212a")
	}
	return p
}

const golden = 0x9E3779B97F4A7C15 // spreads a hash's bits to the top, for the slot index

// add records that key k is in fields.
func (p *Prepared) add(k, fields uint64) {
	mask := uint64(len(p.slots) - 1)
	for i := (k * golden) >> p.shift; ; i = (i + 1) & mask {
		switch s := p.slots[i]; s &^ fieldBits {
		case 0:
			p.slots[i] = k | fields
			return
		case k:
			p.slots[i] = s | fields
			return
		}
	}
}

// lookup returns the fields key k is in (k's own field bits are ignored).
func (p *Prepared) lookup(k uint64) uint64 {
	k &^= fieldBits
	mask := uint64(len(p.slots) - 1)
	for i := (k * golden) >> p.shift; ; i = (i + 1) & mask {
		switch s := p.slots[i]; s &^ fieldBits {
		case k:
			return s & fieldBits
		case 0:
			return 0
		}
	}
}

// phrase reports whether keys appear one after the other in field f.
func (p *Prepared) phrase(f int, keys []uint64) bool {
	seq := p.seqs[f]
outer:
	for i := 0; i+len(keys) <= len(seq); i++ {
		for j, k := range keys {
			if !seq[i+j].has(k) {
				continue outer
			}
		}
		return true
	}
	return false
}

// caseless maps every rune to the smallest of the runes it equals when case
// is ignored, as regexp's (?i) compares them: "Straße" and "STRASSE" are not
// equal, but "σ", "ς" and "Σ" all become "Σ", and "ſ", "s" and "S" become "S".
func caseless(s string) string {
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' {
				r -= 'a' - 'A'
			}
			return r
		}
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		return m
	}, s)
}
