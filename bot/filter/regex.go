package filter

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
)

// maxInsts caps a regular expression's compiled size: matching costs up to
// its size per byte of text, and "\w{1000}" fits in 200 bytes.
const maxInsts = 500

// compileRegex compiles a filter's regular expression (RE2 syntax: linear
// time), with errors a channel manager can act on, and finds the strings
// that every match contains.
func compileRegex(src string) (*pattern, error) {
	if src == "" {
		return nil, errors.New("the regular expression is empty: write it between the slashes, like re:/\\bEU\\b/")
	}
	if len(src) > MaxRegexLen {
		return nil, fmt.Errorf("the regular expression is too long: %d bytes, at most %d", len(src), MaxRegexLen)
	}
	tree, err := syntax.Parse(src, syntax.Perl)
	var prog *syntax.Prog
	if err == nil {
		prog, err = syntax.Compile(tree.Simplify())
	}
	if se := (*syntax.Error)(nil); errors.As(err, &se) {
		return nil, fmt.Errorf("the regular expression is not valid: %s: `%s`", se.Code, se.Expr)
	} else if err != nil {
		return nil, fmt.Errorf("the regular expression is not valid: %w", err)
	}
	if len(prog.Inst) > maxInsts {
		return nil, fmt.Errorf("the regular expression is too complex (%d steps, at most %d): use smaller counts in {…} or fewer alternatives", len(prog.Inst), maxInsts)
	}
	p := &pattern{need: required(tree)}
	slices.SortFunc(p.need, func(a, b lit) int { // for found: "FLOOD" just before "FLOODS"
		switch {
		case a.caseless == b.caseless:
			return strings.Compare(a.s, b.s)
		case a.caseless:
			return 1
		}
		return -1
	})
	if p.need == nil {
		return nil, errors.New("the regular expression has no fixed text to look for first, like EU in \\bEU\\b or COP in COP\\d+: " +
			"without any, it would be tried at every letter of every article, too slow for many channels; add a word to it")
	}
	if l, ok := exact(tree); ok && useful(l) != nil {
		p.whole = !slices.ContainsFunc(l, func(x lit) bool { return x.loose })
	}
	if p.re, err = regexp.Compile(src); err != nil { // parsed above: cannot happen
		return nil, fmt.Errorf("the regular expression is not valid: %w", err)
	}
	return p, nil
}

// pattern is a filter's regular expression with strings of which every
// match contains one: a field that has none of them need not be searched.
// If whole, the regular expression matches exactly where one of them is
// (with its word boundaries), and need not run at all: \bEU\b.
type pattern struct {
	re    *regexp.Regexp
	need  []lit
	whole bool
}

// A lit is a string that matches contain. A caseless one was under (?i):
// it is compared, in caseless form, with Prepared.caseless. Before and
// after say that the match has a word boundary (\b) there: "un" in
// "(?i)\bun\b" is a word, and "until" or "fund" do not count. Loose says
// that the regular expression asks more of the text around it (^, $, \B, a
// \b inside s or next to a character that is no word character).
type lit struct {
	s             string
	caseless      bool
	before, after bool
	loose         bool
}

// maxClass caps the characters of a class taken as alternatives.
const maxClass = 4

// maxLits caps the alternatives in a regex's required strings: more, and
// looking for them costs more than it saves.
const maxLits = 16

// required returns strings of which every match of re contains at least one,
// or nil if it knows none. Regexp looks for a literal prefix itself, but
// "\bEU\b" has none and costs 100 µs on 2.5 KB of text; looking for "EU"
// first costs 0.2 µs.
func required(re *syntax.Regexp) []lit {
	if l, ok := exact(re); ok {
		return useful(l)
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpAlternate:
		var all []lit
		for _, sub := range re.Sub {
			l := required(sub)
			if l == nil || len(all)+len(l) > maxLits {
				return nil
			}
			all = append(all, l...)
		}
		return all
	case syntax.OpConcat:
		// Runs of exact parts join up ("\b" "EU" "\b" is "EU"); other
		// parts offer their own required strings. Keep the best.
		var best, run []lit
		keep := func(l []lit) {
			if l = useful(l); l != nil && (best == nil || score(l) > score(best)) {
				best = l
			}
		}
		for _, sub := range re.Sub {
			l, ok := exact(sub)
			switch {
			case !ok:
				keep(run)
				run = nil
				keep(required(sub))
			case run == nil:
				run = l
			default:
				if p, ok := product(run, l); ok {
					run = p
				} else {
					keep(run)
					run = l
				}
			}
		}
		keep(run)
		return best
	}
	return nil
}

// exact returns every string re matches, if they are few.
func exact(re *syntax.Regexp) ([]lit, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return []lit{{s: caseless(string(re.Rune)), caseless: true}}, true
		}
		return []lit{{s: string(re.Rune)}}, true
	case syntax.OpWordBoundary:
		return []lit{{before: true, after: true}}, true
	case syntax.OpEmptyMatch:
		return []lit{{}}, true
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText, syntax.OpNoWordBoundary:
		return []lit{{loose: true}}, true
	case syntax.OpCharClass: // a few characters, like [Uu] or [$€£]
		var all []lit
		for i := 0; i < len(re.Rune); i += 2 {
			if len(all)+int(re.Rune[i+1]-re.Rune[i]) >= maxClass {
				return nil, false
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				all = append(all, lit{s: string(r)})
			}
		}
		return all, true
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpQuest: // floods?
		l, ok := exact(re.Sub[0])
		if !ok || len(l) >= maxLits {
			return nil, false
		}
		return append(l, lit{}), true
	case syntax.OpAlternate:
		var all []lit
		for _, sub := range re.Sub {
			l, ok := exact(sub)
			if !ok || len(all)+len(l) > maxLits {
				return nil, false
			}
			all = append(all, l...)
		}
		return all, true
	case syntax.OpConcat:
		all := []lit{{}}
		for _, sub := range re.Sub {
			l, ok := exact(sub)
			if !ok {
				return nil, false
			}
			if all, ok = product(all, l); !ok {
				return nil, false
			}
		}
		return all, true
	}
	return nil, false
}

// product returns every string of a followed by one of b, if they are few.
func product(a, b []lit) ([]lit, bool) {
	if len(a)*len(b) > maxLits {
		return nil, false
	}
	out := make([]lit, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			z := lit{s: x.s + y.s, caseless: x.caseless || y.caseless, before: x.before, after: y.after, loose: x.loose || y.loose}
			if x.caseless != y.caseless {
				z.s = caseless(z.s) // a superset: [Uu]nited becomes (?i)united
				z.loose = z.loose || x.s != "" && y.s != ""
			}
			switch {
			case x.s == "":
				z.before = x.before || y.before
			case y.s == "":
				z.after = x.after || y.after
			case x.after || y.before: // a \b inside z.s: not checked
				z.loose = true
			}
			out = append(out, z)
		}
	}
	return out, true
}

// useful returns l unless one of its strings is empty (found everywhere),
// keeping the word boundaries that are simple to check: next to a word
// character, where a boundary means no word character on the other side.
func useful(l []lit) []lit {
	if score(l) == 0 {
		return nil
	}
	for i, x := range l {
		if x.before && !isWordByte(x.s[0]) {
			l[i].before, l[i].loose = false, true
		}
		if x.after && !isWordByte(x.s[len(x.s)-1]) {
			l[i].after, l[i].loose = false, true
		}
	}
	return l
}

// isWordByte reports whether c is a word character for \b: an ASCII
// letter, digit or _.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

// score is the length of l's shortest string: longer strings are rarer.
func score(l []lit) int {
	s := -1
	for _, x := range l {
		if s < 0 || len(x.s) < s {
			s = len(x.s)
		}
	}
	return max(s, 0)
}

// found reports whether text (raw, or its caseless form) contains one of
// the strings l, with its word boundaries. The caseless text must have no
// "ſ" or "K" (the Kelvin sign): they become "S" and "K", which are word
// characters for \b, and they are not.
func found(l []lit, raw, folded string) bool {
	var absent *lit // the last string not in the text: longer ones that start with it, next in l, are not either
	for i, x := range l {
		if absent != nil && x.caseless == absent.caseless && strings.HasPrefix(x.s, absent.s) {
			continue
		}
		text := raw
		if x.caseless {
			text = folded
		}
		absent = &l[i]
		for at := 0; ; {
			j := strings.Index(text[at:], x.s)
			if j < 0 {
				break
			}
			absent = nil
			j += at
			end := j + len(x.s)
			if !(x.before && j > 0 && isWordByte(text[j-1])) && !(x.after && end < len(text) && isWordByte(text[end])) {
				return true
			}
			at = j + 1
		}
	}
	return false
}
