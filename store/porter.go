package store

// Our own Porter stemmer, kept rather than a maintained stemmer package
// because the Go side must stem as the index does. Candidates come from
// FTS5, whose porter tokenizer applies Porter's 1980 rules; rank.go and
// speakers.go then judge in Go whether a claim holds each word of the
// question by comparing stems, so a stemmer that conflates other words
// than FTS5 does judges FTS5's matches wrongly. TestPorterStemMatchesSQLite
// holds the two together.
//
// Measured in its place (issue 11): github.com/kljensen/snowball v0.10.0,
// the Snowball English ("Porter2") stemmer. It stems 71 of the 1,661 words
// of TestPorterStemMatchesSQLite otherwise than SQLite ("community":
// "communiti" where SQLite has "commun", as for "communism"; "days": "day"
// for "dai"); /ask answered exactly as well (go test ./bot -run
// 'TestAskAccuracy|TestAskNotInSources' -v, the same with either: tuning
// 38 and 41 of 43 at top-1 and top-3, holdout 13 and 14 of 16, uncovered
// 12 of 12 answered "not in my sources"); and it takes 4.6 times as long
// a word (1.1 µs against 0.24 µs), which /ask's median over 100,000
// claims shows (go test ./bot -run XXX -bench Ask -benchtime=300x:
// 12.0–13.8 ms against 9.2–9.8 ms, 2 shared cores, preliminary).

import "unicode/utf8"

// porterStem stems a folded word as SQLite's FTS5 porter tokenizer does
// (Porter's 1980 algorithm, on bytes): words shorter than 3 or longer than
// 64 bytes are left alone.
func porterStem(w string) string {
	if len(w) < 3 || len(w) > 64 || !utf8.ValidString(w) {
		return w
	}
	b := []byte(w)
	b = step1a(b)
	if b2, ok := step1b(b); ok {
		b = b2
		if b3, ok := step1b2(b); ok {
			b = b3
		} else {
			n := len(b)
			c := b[n-1]
			if n >= 2 && !isVowel(c, false) && c != 'l' && c != 's' && c != 'z' && c == b[n-2] {
				b = b[:n-1]
			} else if mEq1(b) && oStar(b) {
				b = append(b, 'e')
			}
		}
	} else {
		b = b2
	}
	if n := len(b); n > 0 && b[n-1] == 'y' && hasVowel(b[:n-1]) {
		b[n-1] = 'i'
	}
	b = step2(b)
	b = step3(b)
	b = step4(b)
	if n := len(b); n > 0 && b[n-1] == 'e' {
		if mGt1(b[:n-1]) || (mEq1(b[:n-1]) && !oStar(b[:n-1])) {
			b = b[:n-1]
		}
	}
	if n := len(b); n > 1 && b[n-1] == 'l' && b[n-2] == 'l' && mGt1(b[:n-1]) {
		b = b[:n-1]
	}
	return string(b)
}

func isVowel(c byte, yIsVowel bool) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || (yIsVowel && c == 'y')
}

// gobbleVC skips a (vowels)(consonants) sequence and returns the index
// after it, 0 if there is none.
func gobbleVC(s []byte, prevCons bool) int {
	cons := prevCons
	i := 0
	for ; i < len(s); i++ {
		cons = !isVowel(s[i], cons)
		if !cons {
			break
		}
	}
	for i++; i < len(s); i++ {
		cons = !isVowel(s[i], cons)
		if cons {
			return i + 1
		}
	}
	return 0
}

func mGt0(s []byte) bool { return gobbleVC(s, false) != 0 }

func mGt1(s []byte) bool {
	n := gobbleVC(s, false)
	return n != 0 && gobbleVC(s[n:], true) != 0
}

func mEq1(s []byte) bool {
	n := gobbleVC(s, false)
	return n != 0 && gobbleVC(s[n:], true) == 0
}

// oStar: the stem ends consonant-vowel-consonant, the last not w, x or y.
func oStar(s []byte) bool {
	n := len(s)
	if n == 0 || s[n-1] == 'w' || s[n-1] == 'x' || s[n-1] == 'y' {
		return false
	}
	mask, cons := 0, false
	for i := range s {
		cons = !isVowel(s[i], cons)
		mask <<= 1
		if cons {
			mask |= 1
		}
	}
	return mask&7 == 5
}

func hasVowel(s []byte) bool {
	for i := range s {
		if isVowel(s[i], i > 0) {
			return true
		}
	}
	return false
}

func step1a(b []byte) []byte {
	n := len(b)
	if n < 2 || b[n-1] != 's' {
		return b
	}
	switch {
	case b[n-2] == 'e':
		if (n > 4 && b[n-4] == 's' && b[n-3] == 's') || (n > 3 && b[n-3] == 'i') {
			return b[:n-2]
		}
		return b[:n-1]
	case b[n-2] != 's':
		return b[:n-1]
	}
	return b
}

func hasSuffix(b []byte, suf string) bool {
	return len(b) > len(suf) && string(b[len(b)-len(suf):]) == suf
}

func step1b(b []byte) ([]byte, bool) {
	switch {
	case hasSuffix(b, "eed"):
		if mGt0(b[:len(b)-3]) {
			return b[:len(b)-1], false
		}
	case hasSuffix(b, "ed"):
		if hasVowel(b[:len(b)-2]) {
			return b[:len(b)-2], true
		}
	case hasSuffix(b, "ing"):
		if hasVowel(b[:len(b)-3]) {
			return b[:len(b)-3], true
		}
	}
	return b, false
}

func step1b2(b []byte) ([]byte, bool) {
	for _, suf := range []string{"at", "bl", "iz"} {
		if hasSuffix(b, suf) {
			return append(b, 'e'), true
		}
	}
	return b, false
}

// rule replaces a suffix when the condition holds of the stem before it.
// Within a step the first rule whose suffix matches decides, whether or
// not its condition holds.
type rule struct {
	suf, rep string
	cond     func([]byte) bool
}

var step2Rules = []rule{
	{"ational", "ate", mGt0}, {"tional", "tion", mGt0}, {"enci", "ence", mGt0}, {"anci", "ance", mGt0},
	{"izer", "ize", mGt0}, {"logi", "log", mGt0}, {"bli", "ble", mGt0}, {"alli", "al", mGt0},
	{"entli", "ent", mGt0}, {"eli", "e", mGt0}, {"ousli", "ous", mGt0}, {"ization", "ize", mGt0},
	{"ation", "ate", mGt0}, {"ator", "ate", mGt0}, {"alism", "al", mGt0}, {"iveness", "ive", mGt0},
	{"fulness", "ful", mGt0}, {"ousness", "ous", mGt0}, {"aliti", "al", mGt0}, {"iviti", "ive", mGt0},
	{"biliti", "ble", mGt0},
}

var step3Rules = []rule{
	{"icate", "ic", mGt0}, {"ative", "", mGt0}, {"alize", "al", mGt0}, {"iciti", "ic", mGt0},
	{"ical", "ic", mGt0}, {"ful", "", mGt0}, {"ness", "", mGt0},
}

var step4Rules = []rule{
	{"al", "", mGt1}, {"ance", "", mGt1}, {"ence", "", mGt1}, {"er", "", mGt1}, {"ic", "", mGt1},
	{"able", "", mGt1}, {"ible", "", mGt1}, {"ant", "", mGt1}, {"ement", "", mGt1}, {"ment", "", mGt1},
	{"ent", "", mGt1}, {"ion", "", func(s []byte) bool {
		n := len(s)
		return n > 0 && (s[n-1] == 's' || s[n-1] == 't') && mGt1(s)
	}}, {"ou", "", mGt1}, {"ism", "", mGt1}, {"ate", "", mGt1}, {"iti", "", mGt1}, {"ous", "", mGt1},
	{"ive", "", mGt1}, {"ize", "", mGt1},
}

func step2(b []byte) []byte { return applyRulesByPenult(b, step2Rules) }
func step3(b []byte) []byte { return applyRulesByPenult(b, step3Rules) }
func step4(b []byte) []byte { return applyRulesByPenult(b, step4Rules) }

// applyRulesByPenult applies the first rule whose suffix matches among
// those whose suffix has the word's second-to-last letter in the same
// place, as SQLite's implementation switches on that letter: a suffix
// that does not match cannot shadow one that does with another letter
// there.
func applyRulesByPenult(b []byte, rules []rule) []byte {
	if len(b) < 2 {
		return b
	}
	p := b[len(b)-2]
	for _, r := range rules {
		if len(r.suf) >= 2 && r.suf[len(r.suf)-2] != p {
			continue
		}
		if hasSuffix(b, r.suf) {
			stem := b[:len(b)-len(r.suf)]
			if r.cond(stem) {
				return append(stem, r.rep...)
			}
			return b
		}
	}
	return b
}
