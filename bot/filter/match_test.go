package filter

import (
	"slices"
	"strings"
	"testing"
)

var valencia = Doc{
	Headline: "Floods hit Valencia as storms return",
	Text: "Heavy rain flooded streets across the region on Tuesday, and the party " +
		"planned for the weekend was called off. Several heat pumps failed in the " +
		"old town, the regional government said. Football matches were postponed. " +
		"COVID-19 rules do not apply. Hamas’s leader was not mentioned; the news came late.",
	Speakers: []string{"Carlos Mazón", "AEMET"},
}

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		filter string
		doc    Doc
		pass   bool
		why    string
	}{
		// Words, any of them, in any field, whatever their case.
		{`flood`, valencia, true, `matches flood (in the headline)`},
		{`snow Rain`, valencia, true, `matches Rain (in the text)`},
		{`snow hail`, valencia, false, `none of: snow, hail`},
		{`mazon`, valencia, true, `matches mazon (in a speaker's name)`},
		// Whole words: no substrings.
		{`art`, valencia, false, `none of: art`},
		{`own`, valencia, false, `none of: own`},
		{`new`, valencia, false, `none of: new`},
		{`news`, Doc{Text: "A new law."}, false, `none of: news`},
		// Plurals, both ways, and possessives.
		{`storm`, valencia, true, `matches storm (in the headline)`},
		{`pump`, valencia, true, `matches pump (in the text)`},
		{`streets`, Doc{Text: "One street was closed."}, true, `matches streets (in the text)`},
		{`city`, Doc{Text: "Three cities voted."}, true, `matches city (in the text)`},
		{`cities`, Doc{Text: "The city voted."}, true, `matches cities (in the text)`},
		{`tax`, Doc{Text: "New taxes on fuel."}, true, `matches tax (in the text)`},
		{`house`, Doc{Text: "Houses were lost."}, true, `matches house (in the text)`},
		{`houses`, Doc{Text: "A house was lost."}, true, `matches houses (in the text)`},
		{`church`, Doc{Text: "Two churches burned."}, true, `matches church (in the text)`},
		{`veto`, Doc{Text: "Both vetoes stood."}, true, `matches veto (in the text)`},
		{`virus`, Doc{Text: "Viruses spread."}, true, `matches virus (in the text)`},
		{`gas`, Doc{Text: "The ga was."}, false, `none of: gas`},
		{`hamas`, valencia, true, `matches hamas (in the text)`},
		{`"hamas leader"`, valencia, true, `matches "hamas leader" (in the text)`},
		{`flooding`, valencia, false, `none of: flooding`},
		// Accents and letters Unicode does not decompose.
		{`mazón`, valencia, true, `matches mazón (in a speaker's name)`},
		{`cafe`, Doc{Text: "Le CAFÉ était fermé."}, true, `matches cafe (in the text)`},
		{`café`, Doc{Text: "A cafe closed."}, true, `matches café (in the text)`},
		{`cafe`, Doc{Text: "A cafe\u0301 closed."}, true, `matches cafe (in the text)`},
		{`strasse`, Doc{Text: "Die Straße war gesperrt."}, true, `matches strasse (in the text)`},
		{`lodz`, Doc{Text: "Łódź voted."}, true, `matches lodz (in the text)`},
		// Phrases: words one after the other, plurals allowed.
		{`"heat pump"`, valencia, true, `matches "heat pump" (in the text)`},
		{`"pump heat"`, valencia, false, `none of: "pump heat"`},
		{`"heat failed"`, valencia, false, `none of: "heat failed"`},
		{`covid-19`, valencia, true, `matches covid-19 (in the text)`},
		{`"covid 19"`, valencia, true, `matches "covid 19" (in the text)`},
		{`covid19`, valencia, false, `none of: covid19`},
		{`"mazon aemet"`, valencia, false, `none of: "mazon aemet"`},
		{`speaker:"carlos mazon"`, valencia, true, `matches speaker:"carlos mazon" (in a speaker's name)`},
		// Fields.
		{`headline:rain`, valencia, false, `none of: headline:rain`},
		{`headline:storm`, valencia, true, `matches headline:storm (in the headline)`},
		{`speaker:rain`, valencia, false, `none of: speaker:rain`},
		{`speaker:aemet`, valencia, true, `matches speaker:aemet (in a speaker's name)`},
		// Must have, must not have.
		{`-football`, valencia, false, `excluded by -football (in the text)`},
		{`flood -"transfer window"`, valencia, true, `matches flood (in the headline)`},
		{`-football`, Doc{Text: "Rain."}, true, `nothing excluded`},
		{`flood -headline:football`, valencia, true, `matches flood (in the headline)`},
		{`flood -"heat pump"`, valencia, false, `excluded by -"heat pump" (in the text)`},
		{`flood +rain +speaker:mazon`, valencia, true, `matches flood (in the headline), +rain (in the text), +speaker:mazon (in a speaker's name)`},
		{`+rain`, valencia, true, `matches +rain (in the text)`},
		{`flood +snow`, valencia, false, `missing +snow`},
		{`snow +rain`, valencia, false, `none of: snow`},
		{`flood -flood`, valencia, false, `excluded by -flood (in the headline)`},
		// Regular expressions: case-sensitive, on the text as written.
		{`re:/\bAEMET\b/`, valencia, true, `matches re:/\bAEMET\b/ (in a speaker's name)`},
		{`re:/valencia/`, valencia, false, `none of: re:/valencia/`},
		{`re:/(?i)valencia/`, valencia, true, `matches re:/(?i)valencia/ (in the headline)`},
		{`re:/Mazón/`, valencia, true, `matches re:/Mazón/ (in a speaker's name)`},
		{`re:/^Heavy/`, valencia, true, `matches re:/^Heavy/ (in the text)`},
		{`snow re:/\d+ people/`, valencia, false, `none of: snow, re:/\d+ people/`},
		{`flood -re:/Foot\w+/`, valencia, false, `excluded by -re:/Foot\w+/ (in the text)`},
		{`flood +re:/COVID-\d+/`, valencia, true, `matches flood (in the headline), +re:/COVID-\d+/ (in the text)`},
		{`flood +re:/SARS/`, valencia, false, `missing +re:/SARS/`},
		{`re:/(?i)σοφία/`, Doc{Text: "ΣΟΦΊΑ"}, true, `matches re:/(?i)σοφία/ (in the text)`},
		{`re:/(?i)σοφια/`, Doc{Text: "ΣΟΦΊΑ"}, false, `none of: re:/(?i)σοφια/`},
		{`re:/(?i)σοφός/`, Doc{Text: "ΣΟΦΌΣ"}, true, `matches re:/(?i)σοφός/ (in the text)`},
		{`re:/(?i)kelvin/`, Doc{Text: "\u212aELVIN"}, true, `matches re:/(?i)kelvin/ (in the text)`},
		// No filter.
		{``, valencia, true, `no filter: every article passes`},
	} {
		f, err := Parse(c.filter)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.filter, err)
			continue
		}
		p := Prepare(c.doc)
		if got := f.Match(p); got != c.pass {
			t.Errorf("%q on %q: Match = %v, want %v", c.filter, c.doc.Headline+c.doc.Text, got, c.pass)
		}
		pass, why := f.Explain(p)
		if pass != c.pass || why != c.why {
			t.Errorf("%q on %q: Explain = %v, %q; want %v, %q", c.filter, c.doc.Headline+c.doc.Text, pass, why, c.pass, c.why)
		}
	}
}

func TestNilFilter(t *testing.T) {
	var f *Filter
	p := Prepare(valencia)
	if pass, why := f.Explain(p); !f.Match(p) || !pass || why == "" || f.String() != "" {
		t.Errorf("nil filter: Match %v, Explain %v %q, String %q", f.Match(p), pass, why, f.String())
	}
}

// TestPlurals checks that a filter's word finds its article word (and only
// then): its key is one of the article word's keys.
func TestPlurals(t *testing.T) {
	for _, c := range []struct {
		filter, article string
		want            bool
	}{
		{"flood", "floods", true}, {"floods", "flood", true}, {"flood", "flood", true},
		{"city", "cities", true}, {"cities", "city", true}, {"movie", "movies", true}, {"ties", "tie", true},
		{"tax", "taxes", true}, {"taxes", "tax", true}, {"box", "boxes", true},
		{"house", "houses", true}, {"houses", "house", true}, {"size", "sizes", true},
		{"bus", "buses", true}, {"virus", "viruses", true}, {"crash", "crashes", true},
		{"1990", "1990s", true}, {"ngo", "ngos", true},
		{"art", "party", false}, {"new", "news", false}, {"news", "new", false},
		{"clas", "class", false}, {"viru", "virus", false}, {"crisi", "crisis", false},
		{"bit", "bites", false}, {"not", "notes", false}, {"ga", "gas", false},
	} {
		k := key([]byte(c.filter))
		ks := keys([]byte(c.article))
		if got := ks.has(k); got != c.want {
			t.Errorf("filter word %q on article word %q: %v, want %v", c.filter, c.article, got, c.want)
		}
		if self := keys([]byte(c.filter)); !self.has(k) {
			t.Errorf("filter word %q does not find itself", c.filter)
		}
	}
}

func TestWords(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Floods hit VALENCIA.", []string{"floods", "hit", "valencia"}},
		{"Hamas’s leader, Hamas's men, the Hamas' view", []string{"hamas", "leader", "hamas", "men", "the", "hamas", "view"}},
		{"it's O'Brien's", []string{"it", "o", "brien"}},
		{"Mazón, São Paulo, Straße, Æsir, Øresund, naïve, e\u0301", []string{"mazon", "sao", "paulo", "strasse", "aesir", "oresund", "naive", "e"}},
		{"covid-19 U.S. 3.5%", []string{"covid", "19", "u", "s", "3", "5"}},
		{"東京 Αθήνα", []string{"東京", "αθηνα"}},
	} {
		var z folder
		var got []string
		z.words(c.in, func(w []byte) { got = append(got, string(w)) })
		if !slices.Equal(got, c.want) {
			t.Errorf("words(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestRequired(t *testing.T) {
	word := func(s string, caseless bool) lit { return lit{s: s, caseless: caseless, before: true, after: true} }
	for _, c := range []struct {
		re    string
		want  []lit
		whole bool
	}{
		{`\bEU\b`, []lit{word("EU", false)}, true},
		{`EU`, []lit{{s: "EU"}}, true},
		{`(?i)\b(un|united nations)\b`, []lit{word("UN", true), word("UNITED NATIONS", true)}, true},
		{`COP\d+`, []lit{{s: "COP"}}, false},
		{`\$\d+ (billion|million)`, []lit{{s: " billion"}, {s: " million"}}, false},
		{`[$€£]`, []lit{{s: "$"}, {s: "£"}, {s: "€"}}, true},
		{`\b[$€£]`, []lit{{s: "$", loose: true}, {s: "£", loose: true}, {s: "€", loose: true}}, false},
		{`\b[Uu]nited\b`, []lit{{s: "UNITED", caseless: true, before: true, after: true, loose: true}}, false},
		{`flood(s|ing)?\b`, []lit{{s: "flood", after: true}, {s: "flooding", after: true}, {s: "floods", after: true}}, true},
		{`\bflood\w*`, []lit{{s: "flood", before: true}}, false},
		{`(?i)heat pumps?`, []lit{{s: "HEAT PUMP", caseless: true}, {s: "HEAT PUMPS", caseless: true}}, true},
		{`(?i)heat pumps?\d`, []lit{{s: "HEAT PUMP", caseless: true}, {s: "HEAT PUMPS", caseless: true}}, false},
		{`EU|(?i)euro`, []lit{{s: "EU"}, {s: "EURO", caseless: true}}, true},
		{`^EU`, []lit{{s: "EU", loose: true}}, false},
		{`E\bU`, []lit{{s: "EU", loose: true}}, false},
		{`a+b`, []lit{{s: "a"}}, false},
	} {
		p, err := compileRegex(c.re)
		if err != nil {
			t.Errorf("compileRegex(%q): %v", c.re, err)
			continue
		}
		if !slices.Equal(p.need, c.want) || p.whole != c.whole {
			t.Errorf("compileRegex(%q): need %v, whole %v; want %v, %v", c.re, p.need, p.whole, c.want, c.whole)
		}
	}
	for _, re := range []string{`\d{4}`, `[a-z]+`, `x*`, `a|\d`, `^$`, `.`} {
		if _, err := compileRegex(re); err == nil || !strings.Contains(err.Error(), "no fixed text to look for first") {
			t.Errorf("compileRegex(%q) = %v, want an error", re, err)
		}
	}
}

// regexAgrees checks that the filter's way of matching a regular
// expression (its required strings first, or only them) agrees with the
// regular expression.
func regexAgrees(t *testing.T, src, text string) {
	p, err := compileRegex(src)
	if err != nil {
		return
	}
	want := p.re.MatchString(strings.ToValidUTF8(text, "\uFFFD"))
	if got := (&term{re: p}).find(Prepare(Doc{Text: text})) >= 0; got != want {
		t.Errorf("%q on %q: %v, but the regular expression says %v (need %v, whole %v)", src, text, got, want, p.need, p.whole)
	}
}

func TestRegexAgrees(t *testing.T) {
	texts := []string{
		"The UN said", "UNITED NATIONS", "until the fund", "xUN", "UN_", "_UN", "ſun", "xſun", "Kelvin", "\u212aelvin",
		"x\u212aelvin", "élan", "(EU)", "EU's", "ÉU", "EUR", "10$", "£5", "United", "unitedly", "σοφός ΣΟΦΌΣ", "\xffEU\xff",
		"Floods", "floodsx flooding", "xflood floods_",
	}
	for _, src := range []string{`\bEU\b`, `(?i)\b(un|united nations)\b`, `(?i)\bsun\b`, `(?i)\bkelvin\b`, `(?i)\bKELVIN`,
		`\b[$€£]\d`, `\d[$€£]`, `\b[Uu]nited\b`, `(?i)σοφός`, `(?i)\blan\b`, `\BUN\b`, `(?i)^un|eu$`, `\x{FFFD}EU`, `flood(s|ing)?\b`, `(?i)\bflood(s|ing)?\b`} {
		for _, text := range texts {
			regexAgrees(t, src, text)
		}
	}
}

// FuzzRegex checks that the filter's way of matching regular expressions
// agrees with them.
func FuzzRegex(f *testing.F) {
	f.Add(`(?i)\b(un|united nations)\b`, "The UN said")
	f.Add(`\b[$€£]\d`, "costs €5")
	f.Add(`(?i)\bsun\b`, "xſun")
	f.Add(`\bflood(s|ing)?\b`, "floodsx flooding")
	f.Fuzz(regexAgrees)
}
