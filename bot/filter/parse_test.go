package filter

import (
	"strings"
	"testing"
)

// parseCases are valid filters and their canonical form.
var parseCases = []struct{ in, want string }{
	{``, ``},
	{"  \t\n ", ``},
	{`climate "heat pump" -football -"transfer window" re:/\bEU\b/`, `climate "heat pump" -football -"transfer window" re:/\bEU\b/`},
	{`  climate   flood `, `climate flood`},
	{"climate\u00a0flood", `climate flood`},
	{`“heat pump” —football –rumours −gossip „Wärme pumpe“`, `"heat pump" -football -rumours -gossip "Wärme pumpe"`},
	{`"flood"`, `flood`},
	{`"heat   pump"`, `"heat pump"`},
	{`flood Floods FLOOD "flood"`, `flood`},
	{`flood -flood`, `flood -flood`},
	{`Headline:Storm SPEAKER:"Von der Leyen"`, `headline:Storm speaker:"Von der Leyen"`},
	{`-headline:football +speaker:lagarde`, `-headline:football +speaker:lagarde`},
	{`+EU -RE:/(?i)sponsored/`, `+EU -re:/(?i)sponsored/`},
	{`covid-19 U.S.`, `covid-19 U.S.`},
	{`"-x"`, `"-x"`},
	{`-"-x"`, `--x`},
	{`"+x"`, `"+x"`},
	{`"headline:x"`, `"headline:x"`},
	{`-"re:/x/"`, `-"re:/x/"`},
	{`headline:"re:/x/"`, `headline:re:/x/`},
	{`headline:"-x"`, `headline:-x`},
	{`"„x"`, `"„x"`},
	{`re:/a\/b c/ x`, `re:/a\/b c/ x`},
	{`"a"b`, `a b`},
	{`re:/` + strings.Repeat("a", 200) + `/`, `re:/` + strings.Repeat("a", 200) + `/`},
	{strings.Repeat("flood ", 80), `flood`},
}

func TestParse(t *testing.T) {
	for _, c := range parseCases {
		f, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got := f.String(); got != c.want {
			t.Errorf("Parse(%q).String() = %q, want %q", c.in, got, c.want)
		}
		roundTrip(t, f)
	}
	twenty := "b c d e f g h i j k l m n o p q r s t re:/u/"
	if _, err := Parse(twenty); err != nil {
		t.Errorf("Parse of 20 terms: %v", err)
	}
}

// roundTrip checks that f's canonical form reads back to the same filter.
func roundTrip(t *testing.T, f *Filter) {
	t.Helper()
	s := f.String()
	g, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q) of a canonical form: %v", s, err)
	}
	if g.String() != s {
		t.Fatalf("Parse(%q).String() = %q", s, g.String())
	}
	if len(g.terms) != len(f.terms) {
		t.Fatalf("Parse(%q): %d terms, want %d", s, len(g.terms), len(f.terms))
	}
	for i := range f.terms {
		if f.terms[i].id() != g.terms[i].id() {
			t.Fatalf("Parse(%q): term %d is %s, want %s", s, i, g.terms[i], f.terms[i])
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{strings.Repeat("x", 501), "the filter is too long: 501 bytes, at most 500"},
		{"a b c d e f g h i j k l m n o p q r s t u", "the filter has too many terms: at most 20"},
		{"flood \xff", "not valid UTF-8"},
		{`re:/` + strings.Repeat("a", 201) + `/`, "the regular expression is too long: 201 bytes, at most 200"},
		{`re:/a/ re:/b/`, "more than one regular expression: combine them into one with |, like re:/a|b/"},
		{`re:/(flood/`, "the regular expression is not valid: missing closing ): `(flood`"},
		{`re:/a**/`, "the regular expression is not valid: invalid nested repetition operator: `**`"},
		{`re:/\p{Nope}/`, "the regular expression is not valid: invalid character class range: `\\p{Nope}`"},
		{`re:flood`, `write the regular expression between slashes, like re:/\bEU\b/`},
		{`re:/flood x`, "the regular expression “re:/flood x” has no closing /"},
		{`re:/flood\/`, "has no closing /"},
		{`re:/a/b/`, "the regular expression “re:/a/” is followed by “b/”: end it with a / and a space, and write \\/ for a / inside it"},
		{`re://`, "the regular expression is empty"},
		{`re:/\w{1000}/`, "the regular expression is too complex (1002 steps, at most 500)"},
		{`re:/(a{20}){30}/`, "too complex"},
		{`climate "heat pump`, `the phrase "heat pump has no closing quotation mark`},
		{`""`, `the phrase "" is empty`},
		{`-`, `“-” needs a word or "phrase" right after it`},
		{`- football`, `“-” needs a word`},
		{`+`, `“+” needs a word`},
		{`headline: storm`, `“headline:” needs a word`},
		{`-speaker:`, `“-speaker:” needs a word`},
		{`!!`, `“!!” has nothing to look for: use letters or digits, or a regular expression like re:/[$€]\d+/`},
		{`-"?!"`, `“-"?!"” has nothing to look for`},
	} {
		_, err := Parse(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want an error with %q", c.in, err, c.want)
		}
	}
}

func TestFromOptions(t *testing.T) {
	for _, c := range []struct{ include, exclude, regex, want string }{
		{`climate "heat pump"`, `football "transfer window"`, `\bEU\b`, `climate "heat pump" -football -"transfer window" re:/\bEU\b/`},
		{``, `+gossip -rumours`, ``, `-gossip -rumours`},
		{`flood`, ``, `/\bEU\b/`, `flood re:/\bEU\b/`},
		{`flood`, ``, `re:/\bEU\b/`, `flood re:/\bEU\b/`},
		{``, ``, `km/h`, `re:/km\/h/`},
		{``, ``, `a\/b`, `re:/a\/b/`},
		{``, ``, ``, ``},
	} {
		f, err := FromOptions(c.include, c.exclude, c.regex)
		if err != nil {
			t.Errorf("FromOptions(%q, %q, %q): %v", c.include, c.exclude, c.regex, err)
			continue
		}
		if got := f.String(); got != c.want {
			t.Errorf("FromOptions(%q, %q, %q) = %q, want %q", c.include, c.exclude, c.regex, got, c.want)
		}
	}
	for regex, want := range map[string]string{
		"(flood": "the regular expression is not valid: missing closing ): `(flood`",
		`flood\`: "the regular expression is not valid: trailing backslash at end of expression",
		`\d+`:    "no fixed text to look for first",
	} {
		if _, err := FromOptions("", "", regex); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("FromOptions with regex %q: %v, want an error with %q", regex, err, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, c := range parseCases {
		f.Add(c.in)
	}
	for _, s := range []string{`re:/a/b/`, `"`, `-`, `headline:`, `re:/\/`, `+-"x"`, `speaker:headline:x`, "–“x”"} {
		f.Add(s)
	}
	p := Prepare(Doc{Headline: "Floods hit the city", Text: "Heat pumps failed, the minister said.", Speakers: []string{"Ana Pérez"}})
	f.Fuzz(func(t *testing.T, s string) {
		flt, err := Parse(s)
		if err != nil {
			return
		}
		roundTrip(t, flt)
		g, _ := Parse(flt.String())
		pass, why := flt.Explain(p)
		if pass != flt.Match(p) || pass != g.Match(p) || why == "" {
			t.Fatalf("Parse(%q): Match %v, Explain %v %q, canonical form's Match %v", s, flt.Match(p), pass, why, g.Match(p))
		}
	})
}
