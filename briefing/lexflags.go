package briefing

import (
	"strings"
	"sync"
	"unicode/utf8"
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
	lexAbbrevs   // titleAbbrevs, monthAbbrevs or otherAbbrevs
	lexNotCueAfter
	lexNounsInS
	lexPickyCues
	lexIrregularPasts
	lexInvertible
	lexListenerVerbs
	lexStrongCues
	lexClauseOpeners
	lexObjectVerbs
	lexLeadAdverbs
	lexNationalities
	lexSentenceAdverbs
	lexArticles
	lexNameSubordinators
	lexRelatives
	lexLeadConjunctions
	lexPlaceBefore
	lexObjectPreps
	lexChannelLeads
	lexTimePhraseWords
	lexNegations
)

// lexIndex maps every word of the lists to the bits of the lists it is
// in. It is built on first use, once the lists are complete.
var lexIndex = sync.OnceValue(func() map[string]lexBit {
	m := map[string]lexBit{}
	for _, l := range lexLists() {
		for w, ok := range l.set {
			// A word token starts with a letter or a digit, and no other
			// token has more than one rune but a quotation mark: an entry
			// such as notCueAfter's "’s" is no token's, and left out.
			if r, _ := utf8.DecodeRuneInString(w); ok && isWordRune(r) {
				m[w] |= l.bit
			}
		}
	}
	return m
})

// lexList is a word list and its bit.
type lexList struct {
	set map[string]bool
	bit lexBit
}

// lexLists are the word lists of the lexicon with their bits.
func lexLists() []lexList {
	return []lexList{
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
		{titleAbbrevs, lexAbbrevs},
		{monthAbbrevs, lexAbbrevs},
		{otherAbbrevs, lexAbbrevs},
		{notCueAfter, lexNotCueAfter},
		{nounsInS, lexNounsInS},
		{pickyCues, lexPickyCues},
		{irregularPasts, lexIrregularPasts},
		{invertible, lexInvertible},
		{listenerVerbs, lexListenerVerbs},
		{strongCues, lexStrongCues},
		{clauseOpeners, lexClauseOpeners},
		{objectVerbs, lexObjectVerbs},
		{leadAdverbs, lexLeadAdverbs},
		{nationalities, lexNationalities},
		{sentenceAdverbs, lexSentenceAdverbs},
		{articles, lexArticles},
		{nameSubordinators, lexNameSubordinators},
		{relatives, lexRelatives},
		{leadConjunctions, lexLeadConjunctions},
		{placeBefore, lexPlaceBefore},
		{objectPreps, lexObjectPreps},
		{channelLeads, lexChannelLeads},
		{timePhraseWords, lexTimePhraseWords},
		{negations, lexNegations},
	}
}

// maxKeyLen is the length of the longest word of a list.
func maxKeyLen(m map[string]bool) int {
	n := 0
	for w := range m {
		n = max(n, len(w))
	}
	return n
}

// knownOutletsMaxLen and abbrevsMaxLen are the lengths of the longest
// words of the lists: a longer word is in none, without a look-up.
var (
	knownOutletsMaxLen = sync.OnceValue(func() int { return maxKeyLen(knownOutlets) })
	abbrevsMaxLen      = sync.OnceValue(func() int {
		return max(maxKeyLen(titleAbbrevs), maxKeyLen(monthAbbrevs), maxKeyLen(otherAbbrevs))
	})
)

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
func isRoleTok(k *tok) bool { return k.bareIn(lexRoleWords) || roleSuffix(k.bare()) }

// in reports whether the token's lower-case form is in the list b:
// list[t.low].
func (t *tok) in(b lexBit) bool { return t.lex&b != 0 }

// bareIn reports whether the token's lower-case form without a possessive
// ending is in the list b: list[t.bare()].
func (t *tok) bareIn(b lexBit) bool { return t.lexBare&b != 0 }

// lexTable is lexIndex as an open-addressing hash table with a cheap hash:
// tokenize looks every word up, most of them in no list. A slot of the
// table is 4 bytes (the whole table fits in a core's first-level cache):
// 16 bits of the word's hash and the index of its entry, so that a miss
// ends at an empty slot, most often the first, without reading a word.
type lexTable struct {
	mask  uint32
	slots []uint32 // hash>>16<<16 | entry index + 1; 0 for an empty slot
	ents  []lexEntry
}

type lexEntry struct {
	key  string
	bits lexBit
}

// lexHash hashes a word by its length and its first and last four bytes
// (or its bytes, if fewer), with a multiplication to mix them.
func lexHash(s string) uint32 {
	n := len(s)
	var a, b uint32
	if n >= 4 {
		a = uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
		e := s[n-4:]
		b = uint32(e[0]) | uint32(e[1])<<8 | uint32(e[2])<<16 | uint32(e[3])<<24
	} else {
		for i := 0; i < n; i++ {
			a = a<<8 | uint32(s[i])
		}
	}
	h := (uint64(a)<<32 | uint64(b)) ^ uint64(n)*0x9e3779b97f4a7c15
	h *= 0xff51afd7ed558ccd
	return uint32(h ^ h>>29)
}

// lexLookup is the table of lexIndex.
var lexLookup = sync.OnceValue(func() *lexTable {
	m := lexIndex()
	n := 1
	for n < 4*len(m) {
		n *= 2 // at most one slot in four used
	}
	tb := &lexTable{mask: uint32(n - 1), slots: make([]uint32, n), ents: make([]lexEntry, 0, len(m))}
	if len(m) >= 1<<16-1 {
		panic("lexTable: too many words")
	}
	for w, b := range m {
		h := lexHash(w)
		i := h & tb.mask
		for tb.slots[i] != 0 {
			i = (i + 1) & tb.mask
		}
		tb.ents = append(tb.ents, lexEntry{key: w, bits: b})
		tb.slots[i] = h>>16<<16 | uint32(len(tb.ents))
	}
	return tb
})

// get returns the bits of word w: lexIndex()[w].
func (tb *lexTable) get(w string) lexBit {
	h := lexHash(w)
	for i := h & tb.mask; ; i = (i + 1) & tb.mask {
		s := tb.slots[i]
		if s == 0 {
			return 0
		}
		if s>>16 == h>>16 {
			if e := &tb.ents[s&0xffff-1]; e.key == w {
				return e.bits
			}
		}
	}
}
