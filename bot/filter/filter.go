// Package filter is the topic filter a channel subscribes with: words,
// phrases and a regular expression that choose which articles it gets.
//
// # Syntax
//
// Terms are separated by spaces:
//
//	climate flood             articles with any of these words
//	"heat pump"               a phrase: these words one after the other
//	+EU                       must have: every + term must be there
//	-football                 must not have: no - term may be there
//	-"transfer window"        an excluded phrase
//	headline:storm            only in the headline
//	speaker:guterres          only in a speaker's name
//	re:/\bEU\b/               a regular expression (RE2 syntax)
//
// For example:
//
//	climate "heat pump" -football -"transfer window"
//	    about climate or heat pumps, but nothing on football or the transfer window
//	flood storm +headline:Spain
//	    floods or storms, with Spain in the headline
//	speaker:"von der leyen" speaker:lagarde
//	    whatever Ursula von der Leyen or Christine Lagarde said
//	-re:/(?i)\bsponsored\b/
//	    everything but articles that say "sponsored"
//
// Words match whole words, in the headline, the text and the speakers'
// names, whatever their case or accents ("cafe" finds "Café"), and a word
// finds its plural ("flood" finds "floods", "city" finds "cities"; "art"
// does not find "party", and "new" does not find "news"). Other forms are
// listed as words of their own: flood flooding. A word with punctuation in
// it is a phrase: covid-19 is "covid 19". An article passes if it has any
// of the plain terms (or there are none), every + term and none of the -
// terms.
//
// The regular expression, at most one, is matched on the headline, the text
// and the speakers' names as written: it is case-sensitive unless it starts
// with (?i), and needs some fixed text to look for first (EU in \bEU\b,
// COP in COP\d+; not \d{4} alone); write \/ for a / inside it. It takes +,
// - or neither like any term. A filter is at most [MaxLen] bytes and
// [MaxTerms] terms, the regular expression at most [MaxRegexLen] bytes.
// Errors say what to change: "the regular expression is not valid: missing
// closing ): `(flood`".
//
// # Use
//
// [Parse] a filter once, when it is set (or [FromOptions], from Discord's
// typed options), and keep its canonical [Filter.String]: Parse reads it
// back to the same filter. [Prepare] each new article once. Then
// [Filter.Match] is a few hash lookups, and an [Index] of many filters
// finds those an article passes without trying most of them: 1,000
// articles routed to 10,000 filters take a fraction of a second on one
// core. [Filter.Explain] says why an article passes or not. A nil *Filter
// passes everything.
package filter

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The limits of a filter.
const (
	MaxLen      = 500 // bytes of filter text
	MaxTerms    = 20  // terms, the regular expression included
	MaxRegexLen = 200 // bytes of regular expression
)

// Filter is a parsed filter. It is immutable: share it freely.
type Filter struct {
	shape
	words     []uint64 // each single word's key | its fields: excluded ones, then must-haves, then any-of
	slow      []*term  // phrases, then the regular expression
	wordTerms []*term  // words[i]'s term
	terms     []*term  // as typed: for String and Explain
}

// shape is what matching needs to know of a filter besides its words.
type shape struct {
	nNone, nMust uint8 // how many of its words are excluded, and must-haves
	anyOf        bool  // it has any-of terms
	slowAny      bool  // some of them are phrases or the regular expression
	slow         bool  // it has phrases or a regular expression
}

// term is one term of a filter.
type term struct {
	sign   byte   // 0 (any of), '+' (must have) or '-' (must not have)
	fields uint64 // where it may be found: inHeadline, inText, inSpeakers
	text   string // as typed: a word, a phrase's words, a regex's source
	keys   []uint64
	re     *pattern
	cost   int // 0 for a word, 1 for a phrase, 2 for a regular expression
}

// Parse reads a filter written in the package's syntax. Its errors say what
// to change, for the channel manager who typed it. The empty filter passes
// everything.
func Parse(s string) (*Filter, error) {
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("the filter is not valid UTF-8 text")
	}
	if len(s) > MaxLen {
		return nil, fmt.Errorf("the filter is too long: %d bytes, at most %d", len(s), MaxLen)
	}
	f := &Filter{}
	seen := map[string]bool{}
	regexes := 0
	for rest := strings.TrimLeftFunc(s, unicode.IsSpace); rest != ""; rest = strings.TrimLeftFunc(rest, unicode.IsSpace) {
		t, n, err := parseTerm(rest)
		if err != nil {
			return nil, err
		}
		rest = rest[n:]
		id := t.id()
		if seen[id] {
			continue
		}
		seen[id] = true
		if len(f.terms) == MaxTerms {
			return nil, fmt.Errorf("the filter has too many terms: at most %d", MaxTerms)
		}
		if t.re != nil {
			if regexes++; regexes > 1 {
				return nil, fmt.Errorf("the filter has more than one regular expression: combine them into one with |, like re:/a|b/")
			}
		}
		f.terms = append(f.terms, t)
	}
	for _, sign := range []byte{'-', '+', 0} {
		for _, t := range f.terms {
			if t.sign != sign || t.cost > 0 {
				continue
			}
			f.words = append(f.words, t.keys[0]|t.fields)
			f.wordTerms = append(f.wordTerms, t)
			switch sign {
			case '-':
				f.nNone++
			case '+':
				f.nMust++
			}
		}
	}
	for _, t := range f.terms {
		if t.cost > 0 {
			f.slow = append(f.slow, t)
			f.shape.slow = true
		}
		if t.sign == 0 {
			f.anyOf = true
			f.slowAny = f.slowAny || t.cost > 0
		}
	}
	slices.SortStableFunc(f.slow, func(a, b *term) int { return a.cost - b.cost })
	return f, nil
}

// FromOptions builds a filter from three texts, as Discord's typed options
// give them: include in the filter syntax; exclude, whose terms are all
// excluded (no - needed); and regex, a bare regular expression (re:/…/ or
// /…/ around it is taken off). Its canonical String is the same syntax as
// a typed filter's.
func FromOptions(include, exclude, regex string) (*Filter, error) {
	parts := []string{include}
	if strings.TrimSpace(exclude) != "" {
		ex, err := Parse(exclude)
		if err != nil {
			return nil, err
		}
		for _, t := range ex.terms {
			c := *t
			c.sign = '-'
			parts = append(parts, c.String())
		}
	}
	if regex = strings.TrimSpace(regex); regex != "" {
		if inner, ok := strings.CutPrefix(regex, regexPrefix); ok && len(inner) >= 2 && inner[0] == '/' && inner[len(inner)-1] == '/' {
			regex = inner[1 : len(inner)-1]
		} else if len(regex) >= 2 && regex[0] == '/' && regex[len(regex)-1] == '/' {
			regex = regex[1 : len(regex)-1]
		}
		if _, err := compileRegex(regex); err != nil { // its own error, not one of the escaping below
			return nil, err
		}
		var b strings.Builder
		for i := 0; i < len(regex); i++ {
			switch {
			case regex[i] == '\\' && i+1 < len(regex):
				b.WriteString(regex[i : i+2])
				i++
			case regex[i] == '/':
				b.WriteString(`\/`)
			default:
				b.WriteByte(regex[i])
			}
		}
		parts = append(parts, regexPrefix+"/"+b.String()+"/")
	}
	return Parse(strings.Join(parts, " "))
}

// Field prefixes, and what they limit a term to.
var prefixes = []struct {
	name   string
	fields uint64
}{{"headline:", inHeadline}, {"speaker:", inSpeakers}}

const regexPrefix = "re:"

// parseTerm reads the term at the start of s and returns it with the
// number of bytes it took.
func parseTerm(s string) (*term, int, error) {
	t := &term{fields: inAll}
	i := 0
	if r, n := utf8.DecodeRuneInString(s); r == '+' {
		t.sign, i = '+', n
	} else if isMinus(r) {
		t.sign, i = '-', n
	}
	if hasPrefixFold(s[i:], regexPrefix) {
		return parseRegex(t, s, i+len(regexPrefix))
	}
	for _, p := range prefixes {
		if hasPrefixFold(s[i:], p.name) {
			t.fields, i = p.fields, i+len(p.name)
			break
		}
	}
	start := i
	if r, n := utf8.DecodeRuneInString(s[i:]); isOpenQuote(r) {
		end := strings.IndexFunc(s[i+n:], isCloseQuote)
		if end < 0 {
			return nil, 0, fmt.Errorf("the phrase %s has no closing quotation mark", s[i:])
		}
		t.text = strings.Join(strings.Fields(s[i+n:i+n+end]), " ")
		_, m := utf8.DecodeRuneInString(s[i+n+end:])
		i += n + end + m
		if t.text == "" {
			return nil, 0, fmt.Errorf("the phrase %s is empty: write words between the quotation marks", s[start:i])
		}
	} else {
		if end := strings.IndexFunc(s[i:], unicode.IsSpace); end >= 0 {
			i += end
		} else {
			i = len(s)
		}
		t.text = s[start:i]
		if t.text == "" {
			return nil, 0, fmt.Errorf("“%s” needs a word or \"phrase\" right after it, with no space between", s[:start])
		}
	}
	var z folder
	z.words(t.text, func(w []byte) { t.keys = append(t.keys, key(w)) })
	if len(t.keys) == 0 {
		return nil, 0, fmt.Errorf("“%s” has nothing to look for: use letters or digits, or a regular expression like re:/[$€]\\d+/", s[:i])
	}
	if len(t.keys) > 1 {
		t.cost = 1
	}
	return t, i, nil
}

// parseRegex reads the regular expression that starts at s[i:], after
// "re:", between slashes.
func parseRegex(t *term, s string, i int) (*term, int, error) {
	if !strings.HasPrefix(s[i:], "/") {
		return nil, 0, fmt.Errorf("write the regular expression between slashes, like re:/\\bEU\\b/")
	}
	j := i + 1
	for j < len(s) && s[j] != '/' {
		if s[j] == '\\' {
			j++
		}
		j++
	}
	if j >= len(s) {
		return nil, 0, fmt.Errorf("the regular expression “%s” has no closing /", s)
	}
	if r, _ := utf8.DecodeRuneInString(s[j+1:]); j+1 < len(s) && !unicode.IsSpace(r) {
		return nil, 0, fmt.Errorf("the regular expression “%s” is followed by “%s”: end it with a / and a space, and write \\/ for a / inside it", s[:j+1], strings.Fields(s[j+1:])[0])
	}
	t.text = s[i+1 : j]
	re, err := compileRegex(t.text)
	if err != nil {
		return nil, 0, err
	}
	t.re, t.cost = re, 2
	return t, j + 1, nil
}

func isMinus(r rune) bool      { return r == '-' || r == '–' || r == '—' || r == '−' }
func isOpenQuote(r rune) bool  { return r == '"' || r == '“' || r == '„' }
func isCloseQuote(r rune) bool { return r == '"' || r == '”' || r == '“' }

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// id is what makes two terms the same: their sign, fields and words, or
// their regular expression.
func (t *term) id() string {
	if t.re != nil {
		return fmt.Sprintf("%c/%s", t.sign, t.text)
	}
	return fmt.Sprintf("%c%d%x", t.sign, t.fields, t.keys)
}

// String returns the filter in its canonical form: its terms in the order
// typed, one space apart, quoted only where needed, repeats dropped. Parse
// reads it back to the same filter.
func (f *Filter) String() string {
	if f == nil {
		return ""
	}
	parts := make([]string, len(f.terms))
	for i, t := range f.terms {
		parts[i] = t.String()
	}
	return strings.Join(parts, " ")
}

// String returns the term as it is written in a canonical filter.
func (t *term) String() string {
	var b strings.Builder
	if t.sign != 0 {
		b.WriteByte(t.sign)
	}
	if t.re != nil {
		b.WriteString(regexPrefix + "/" + t.text + "/")
		return b.String()
	}
	field := false
	for _, p := range prefixes {
		if t.fields == p.fields {
			b.WriteString(p.name)
			field = true
		}
	}
	if t.bare(field) {
		b.WriteString(t.text)
	} else {
		b.WriteString(`"` + t.text + `"`)
	}
	return b.String()
}

// bare reports whether the term's text reads back the same unquoted.
func (t *term) bare(field bool) bool {
	r, _ := utf8.DecodeRuneInString(t.text)
	if strings.IndexFunc(t.text, unicode.IsSpace) >= 0 || isOpenQuote(r) || t.sign == 0 && !field && (r == '+' || isMinus(r)) {
		return false
	}
	if !field {
		if hasPrefixFold(t.text, regexPrefix) {
			return false
		}
		for _, p := range prefixes {
			if hasPrefixFold(t.text, p.name) {
				return false
			}
		}
	}
	return true
}
