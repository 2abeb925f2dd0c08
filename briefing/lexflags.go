package briefing

import (
	"strings"
	"sync"
)

// lexBit is a word list of the lexicon, as one bit of a token's lex and
// lexBare: a token's membership of every list is looked up once, when it
// is made, rather than once per question asked of it.
type lexBit uint64

const (
	lexFunctionWords lexBit = 1 << iota
	lexTitleWords
	lexHonorifics
	lexOrgSuffixes
	lexParticipleCues
	lexOutletNouns
	lexOrgNameWords
	lexBaseForms
	lexTimeWords
	lexMonthNames
	lexNpStop
	lexNpPreps
	lexDeterminers
	lexAuxWords
	lexRoleNouns
	lexDocNouns
	lexApproximators
	lexParticipleAdjectives
	lexKnownOutlets
	lexPlatforms
	lexOutletNameEnds
	lexFemaleNames
	lexMaleNames
	lexNotSources
	lexCueVerbs // cueVerbs[w] != 0
	lexPlacePreps
	lexPronouns
	lexFiniteWords
	lexDayNames
	lexIntroWords
	lexPostnominals
	lexChannelNouns
	lexRoleWords // roleWords: isRoleWord but for its suffixes
)

// lexIndex maps every word of the lists to the bits of the lists it is
// in. It is built on first use, once the lists are complete.
var lexIndex = sync.OnceValue(func() map[string]lexBit {
	m := map[string]lexBit{}
	for _, l := range []struct {
		set map[string]bool
		bit lexBit
	}{
		{functionWords, lexFunctionWords},
		{titleWords, lexTitleWords},
		{honorifics, lexHonorifics},
		{orgSuffixes, lexOrgSuffixes},
		{participleCues, lexParticipleCues},
		{outletNouns, lexOutletNouns},
		{orgNameWords, lexOrgNameWords},
		{baseForms, lexBaseForms},
		{timeWords, lexTimeWords},
		{monthNames, lexMonthNames},
		{npStop, lexNpStop},
		{npPreps, lexNpPreps},
		{determiners, lexDeterminers},
		{auxWords, lexAuxWords},
		{roleNouns, lexRoleNouns},
		{docNouns, lexDocNouns},
		{approximators, lexApproximators},
		{participleAdjectives, lexParticipleAdjectives},
		{knownOutlets, lexKnownOutlets},
		{platforms, lexPlatforms},
		{outletNameEnds, lexOutletNameEnds},
		{femaleNames, lexFemaleNames},
		{maleNames, lexMaleNames},
		{notSources, lexNotSources},
		{cueVerbSet(), lexCueVerbs},
		{placePreps, lexPlacePreps},
		{pronouns, lexPronouns},
		{finiteWords, lexFiniteWords},
		{dayNames, lexDayNames},
		{introWords, lexIntroWords},
		{postnominals, lexPostnominals},
		{channelNouns, lexChannelNouns},
		{roleWords(), lexRoleWords},
	} {
		for w, ok := range l.set {
			if ok {
				m[w] |= l.bit
			}
		}
	}
	return m
})

// cueVerbSet is the set of the reporting verbs (cueVerbs).
func cueVerbSet() map[string]bool {
	m := make(map[string]bool, len(cueVerbs))
	for w, c := range cueVerbs {
		m[w] = c != 0
	}
	return m
}

// roleWords is the set of the words w for which roleNouns[w] ||
// roleNouns[singular(w)]: the role nouns and their plurals.
var roleWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for r, ok := range roleNouns {
		if !ok {
			continue
		}
		m[r] = true
		cands := []string{r + "s", r + "es", "people"}
		if strings.HasSuffix(r, "y") {
			cands = append(cands, r[:len(r)-1]+"ies")
		}
		for _, c := range cands {
			if singular(c) == r {
				m[c] = true
			}
		}
	}
	return m
})

// isRoleTok is isRoleWord(k.bare()), with the role nouns looked up when
// the token was made.
func isRoleTok(k tok) bool { return k.bareIn(lexRoleWords) || roleSuffix(k.bare()) }

// in reports whether the token's lower-case form is in the list b:
// list[t.low].
func (t tok) in(b lexBit) bool { return t.lex&b != 0 }

// bareIn reports whether the token's lower-case form without a possessive
// ending is in the list b: list[t.bare()].
func (t tok) bareIn(b lexBit) bool { return t.lexBare&b != 0 }

// lexTable is lexIndex as an open-addressing hash table with a cheap hash
// of the word's bytes: tokenize looks every word up, most of them in no
// list, and a miss here costs a hash of a few bytes and one or two slots
// compared, less than a look-up in a Go map.
type lexTable struct {
	mask  uint32
	slots []lexSlot
}

type lexSlot struct {
	key  string // "" for an empty slot (no word list has the empty word)
	bits lexBit
}

// lexHash is FNV-1a of s.
func lexHash(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// lexLookup returns the bits of the lists word w is in (lexIndex()[w]).
var lexLookup = sync.OnceValue(func() *lexTable {
	m := lexIndex()
	n := 1
	for n < 4*len(m) {
		n *= 2 // at most one slot in four used: a miss ends at an empty slot soon
	}
	tb := &lexTable{mask: uint32(n - 1), slots: make([]lexSlot, n)}
	for w, b := range m {
		if w == "" {
			continue
		}
		i := lexHash(w) & tb.mask
		for tb.slots[i].key != "" {
			i = (i + 1) & tb.mask
		}
		tb.slots[i] = lexSlot{key: w, bits: b}
	}
	return tb
})

// get returns the bits of word w.
func (tb *lexTable) get(w string) lexBit {
	for i := lexHash(w) & tb.mask; ; i = (i + 1) & tb.mask {
		s := &tb.slots[i]
		if s.key == w {
			return s.bits
		}
		if s.key == "" {
			return 0
		}
	}
}
