package briefing

// Whether a claim's text, as a bullet would show it, is a statement of its
// own and not a piece of one: what a cue took as its complement may be its
// object ("claimed responsibility for …", "explained his reasoning in
// …"), a phrase whose subject was cut ("On Breitbart, shared …"), or a
// clause cut where it goes on ("…, because", "… if it is").

import "strings"

// pieceOfSentence reports whether text reads as a piece of a sentence: it
// ends on a word that leaves it hanging, its main clause has no verb, a
// listener was left before its subject ("friends she felt …"), or an
// opening phrase is followed by a verb with no subject ("On Breitbart,
// shared …").
func pieceOfSentence(text string) bool {
	var room [64]string
	words := appendFields(room[:0], strings.TrimRight(text, " .…"))
	if len(words) == 0 {
		return true
	}
	return hangingEnd(words) || !mainVerb(words) || listenerLeft(words) || subjectCut(words)
}

// hangingEnd reports whether the last of words leaves the sentence hanging:
// a conjunction, article, possessive or preposition that takes what was
// cut ("… and", "… because", "… of the"), or an auxiliary after "if it"
// ("… if it is").
func hangingEnd(words []string) bool {
	var lower [32]byte
	last := strings.TrimRight(words[len(words)-1], ",;:—–-(")
	if needsLower(last) {
		last = string(appendToLower(lower[:0], last))
	}
	if endHanging[last] {
		return true
	}
	n := len(words)
	return n >= 3 && finiteForms[last] && lowerKey(subjectPronouns, words[n-2]) && lowerKey(subordinators, words[n-3])
}

// mainVerb reports whether words hold a verb of their main clause: an
// auxiliary, a past form or a contraction, a word in -s or -ed after a word
// that can be its subject, or any word after a subject pronoun. The first
// verb after a relative or subordinating word is that clause's ("…
// bombings that killed 27", "the anecdote after the man tried …"); a
// relative set off by commas or dashes is passed over whole ("Homes –
// which enjoy … – cost …").
func mainVerb(words []string) bool {
	aside, open, afterAside := false, false, false // open: a relative or subordinate clause awaits its verb
	var lower [32]byte
	for i, w := range words {
		bare := trimBare(w, bareCutWide)
		if needsLower(bare) {
			bare = string(appendToLower(lower[:0], bare))
		}
		if aside {
			if w == "–" || w == "—" || w == "-" || strings.HasSuffix(w, ",") {
				aside, afterAside = false, true
			}
			continue
		}
		bits := clauseBits(bare)
		if i == 0 {
			// an opening word is the sentence's own: "Once …", "That …"
		} else if prev := words[i-1]; strings.HasSuffix(prev, ",") || prev == "–" || prev == "—" || prev == "-" {
			// Set off: a relative or subordinate clause, or an apposition
			// ("Clinton, a former senator, attended …"; "Jason Cotterill,
			// 42, plagued …").
			if bits&(cbRelativeOpener|cbSubordinator) != 0 || bare == "that" || bare == "as" || apposition(words, i, bare) {
				aside = !strings.HasSuffix(w, ",") // "Clinton, though, would …"
				afterAside = !aside
				continue
			}
		} else if bits&cbRelativeOpener != 0 || bits&cbSubordinator != 0 && bare != "provided" || bare == "that" && !lowerKey(danglingWords, prev) ||
			bare == "as" && (strings.EqualFold(prev, "even") || strings.EqualFold(prev, "just")) {
			open = true // "in that bill": a determiner
			continue
		}
		if !verbAt(words, i, bare, bits, afterAside) {
			afterAside = false
			continue
		}
		afterAside = false
		if !open {
			return true
		}
		open = false
	}
	return false
}

// apposition reports whether words[i], bare in lower case, after a
// comma, opens an apposition to the subject before it: an article or a
// number after a name or noun that opens the text ("Clinton, a former
// senator, …", "Marta Olvera, 37, …"), not after an opening phrase ("In
// Ohio, the turnout …").
func apposition(words []string, i int, bare string) bool {
	if !(bare == "a" || bare == "an" || bare == "the" || isDigitByte(bare[0])) {
		return false
	}
	var lower, lowerW [32]byte
	first := trimBare(words[0], ",;:\"'“‘(")
	if needsLower(first) {
		first = string(appendToLower(lower[:0], first))
	}
	if openingPrepositions[first] || subordinators[first] || openingAdverbs[first] || strings.HasSuffix(first, "ly") {
		return false
	}
	for _, w := range words[:i-1] {
		if strings.HasSuffix(w, ",") {
			return false // the first comma only
		}
		lw := w
		if needsLower(lw) {
			lw = string(appendToLower(lowerW[:0], lw))
		}
		if lw != "of" && phrasePrepositions[lw] {
			return false // "Even in little things, the …": an opening phrase
		}
	}
	return true
}

// verbAt reports whether words[i], bare in lower case, is likely a finite
// verb (see mainVerb). bits are the clause lists bare is in (clauseBits).
// afterAside: words[i] follows a relative set off by commas, where the
// main clause goes on.
func verbAt(words []string, i int, bare string, bits clauseBit, afterAside bool) bool {
	if isFiniteVerb(words, i) || bits&(cbIrregularPast|cbCommonPast|cbSameForm) != 0 ||
		strings.Contains(bare, "n't") || strings.Contains(bare, "n’t") {
		return true
	}
	if k := strings.IndexAny(bare, "'’"); k > 0 && (subjectPronouns[bare[:k]] || bare[:k] == "that" || bare[:k] == "what") {
		return true // "it's", "she’ll", "that's"
	}
	if i == 0 || isCapitalized(w0(words[i])) {
		return false
	}
	var lower [32]byte
	prev := trimBare(words[i-1], "\"'“”‘’(")
	if needsLower(prev) {
		prev = string(appendToLower(lower[:0], prev))
	}
	pb := clauseBits(prev) // prev's lists; TrimRight(prev, ",") is prev where they are asked
	if pb&cbSubjectPronoun != 0 && !strings.HasSuffix(prev, ",") {
		return true // "we need", "they want", "there is"
	}
	// After a comma, a word in -ed is a participle ("The kite, dubbed …"),
	// but for the verb after an aside or an age ("Jason Cotterill, 42,
	// plagued …").
	if strings.HasSuffix(prev, ",") && !afterAside && !isDigitByte(prev[0]) {
		return false
	}
	// "Democrats approve of …", "prices rise": a plural subject's verb.
	if p := strings.TrimRight(prev, ",;:"); p == prev && (len(p) > 3 && strings.HasSuffix(p, "s") && !strings.HasSuffix(p, "ss") &&
		!strings.HasSuffix(p, "'s") && !strings.HasSuffix(p, "’s") && pb&(cbDeterminer|cbHanging|cbFinite) == 0 || pb&cbPluralNoun != 0) && isLowerWord(bare) &&
		bits&(cbDangling|cbHanging|cbDeterminer|cbEndHanging|cbSubordinator|cbRelativeOpener) == 0 &&
		!strings.HasSuffix(bare, "ing") && !strings.HasSuffix(bare, "ly") {
		return true
	}
	if prev == "that" || pb&cbRelativeOpener != 0 {
		// "who stop work", "that fills the river"
		return len(bare) > 3 && (strings.HasSuffix(bare, "ed") || strings.HasSuffix(bare, "s") && !strings.HasSuffix(bare, "ss")) ||
			prev == "who" && isLowerWord(bare) && bits&(cbDeterminer|cbSubjectPronoun|cbClauseAdverb|cbHanging|cbDangling) == 0
	}
	if len(bare) < 4 || pb&(cbDeterminer|cbDangling) != 0 || !strings.HasSuffix(prev, ",") && isDigitByte(prev[0]) {
		return false // "the injured", "of followers", "27 people": nouns
	}
	if strings.HasSuffix(bare, "ed") {
		return true
	}
	// "for background checks": a noun two words into a phrase.
	return strings.HasSuffix(bare, "s") && !strings.HasSuffix(bare, "ss") && !strings.HasSuffix(bare, "'s") && !strings.HasSuffix(bare, "’s") &&
		!strings.HasSuffix(bare, "us") && !strings.HasSuffix(bare, "is") && !(i >= 2 && !afterAside && lowerKey(phrasePrepositions, words[i-2]))
}

// w0 returns w without an opening quotation mark.
func w0(w string) string { return strings.TrimLeft(w, "\"'“‘(") }

// listenerLeft reports whether words open with a listener the cue's
// object took, before the statement's own subject: "friends she felt
// 'violated' …" (told friends she felt).
func listenerLeft(words []string) bool {
	if len(words) < 3 {
		return false
	}
	var lower, lower2 [32]byte
	first := words[0]
	if needsLower(first) {
		first = string(appendToLower(lower[:0], first))
	}
	second := words[1]
	if needsLower(second) {
		second = string(appendToLower(lower2[:0], second))
	}
	if k := strings.IndexAny(second, "'’"); k > 0 {
		second = second[:k] // "Voters he’d force …"
	}
	return subjectPronouns[second] && !subjectPronouns[first] && !determiners[first] &&
		!openingAdverbs[first] && !clauseAdverbs[first] && !hangingWords[first] && !subordinators[first] && !whWords[first] &&
		!strings.HasSuffix(first, "ly") && !dayNames[first] && first != "so" && first != "and" && first != "but"
}

// subjectCut reports whether words open with a phrase and a comma, then a
// verb with no subject: "On Breitbart, shared those sentiments".
func subjectCut(words []string) bool {
	if !lowerKey(openingPrepositions, words[0]) {
		return false
	}
	for i := 1; i+1 < len(words) && i < 8; i++ {
		if strings.HasSuffix(words[i], ",") {
			next := words[i+1]
			return !isCapitalized(next) && (lowerKey(finiteForms, next) || strings.HasSuffix(next, "ed"))
		}
	}
	return false
}
