package filter

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
)

// maxInsts caps a regular expression's compiled size: matching costs up to
// its size per byte of text, and "\w{1000}" fits in 200 bytes.
const maxInsts = 500

// compileRegex compiles a filter's regular expression (RE2 syntax: linear
// time), with errors a channel manager can act on, and finds the strings
// that every match contains.
func compileRegex(src string) (*regexp.Regexp, []lit, error) {
	if src == "" {
		return nil, nil, errors.New("the regular expression is empty: write it between the slashes, like re:/\\bEU\\b/")
	}
	if len(src) > MaxRegexLen {
		return nil, nil, fmt.Errorf("the regular expression is too long: %d bytes, at most %d", len(src), MaxRegexLen)
	}
	tree, err := syntax.Parse(src, syntax.Perl)
	var prog *syntax.Prog
	if err == nil {
		prog, err = syntax.Compile(tree.Simplify())
	}
	if se := (*syntax.Error)(nil); errors.As(err, &se) {
		return nil, nil, fmt.Errorf("the regular expression is not valid: %s: `%s`", se.Code, se.Expr)
	} else if err != nil {
		return nil, nil, fmt.Errorf("the regular expression is not valid: %w", err)
	}
	if len(prog.Inst) > maxInsts {
		return nil, nil, fmt.Errorf("the regular expression is too complex (%d steps, at most %d): use smaller counts in {…} or fewer alternatives", len(prog.Inst), maxInsts)
	}
	re, err := regexp.Compile(src)
	if err != nil { // parsed above: cannot happen
		return nil, nil, fmt.Errorf("the regular expression is not valid: %w", err)
	}
	return re, required(tree), nil
}

// pattern is a filter's regular expression with the strings every match
// contains.
type pattern struct {
	re   *regexp.Regexp
	need []lit
}

// A lit is a string that matches must contain. A caseless one was under
// (?i): it is compared, in caseless form, with Prepared.caseless.
type lit struct {
	s        string
	caseless bool
}

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
			return []lit{{caseless(string(re.Rune)), true}}, true
		}
		return []lit{{string(re.Rune), false}}, true
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []lit{{}}, true
	case syntax.OpCapture:
		return exact(re.Sub[0])
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
			if x.caseless == y.caseless {
				out = append(out, lit{x.s + y.s, x.caseless})
			} else {
				out = append(out, lit{caseless(x.s + y.s), true})
			}
		}
	}
	return out, true
}

// useful returns l unless one of its strings is empty (found everywhere).
func useful(l []lit) []lit {
	if score(l) == 0 {
		return nil
	}
	return l
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

// mayMatch reports whether text (raw, or its caseless form) contains one
// of the required strings l; with none, the regex must run.
func mayMatch(l []lit, raw, folded string) bool {
	if l == nil {
		return true
	}
	for _, x := range l {
		if x.caseless && strings.Contains(folded, x.s) || !x.caseless && strings.Contains(raw, x.s) {
			return true
		}
	}
	return false
}
