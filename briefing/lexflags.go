package briefing

import "sync"

// lexBit is a word list of the lexicon, as one bit of a token's lex and
// lexBare: a token's membership of every list is looked up once, when it
// is made, rather than once per question asked of it.
type lexBit uint32

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
	} {
		for w, ok := range l.set {
			if ok {
				m[w] |= l.bit
			}
		}
	}
	return m
})

// in reports whether the token's lower-case form is in the list b:
// list[t.low].
func (t tok) in(b lexBit) bool { return t.lex&b != 0 }

// bareIn reports whether the token's lower-case form without a possessive
// ending is in the list b: list[t.bare()].
func (t tok) bareIn(b lexBit) bool { return t.lexBare&b != 0 }
