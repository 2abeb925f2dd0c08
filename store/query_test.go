package store

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// tokens splits as unicode61 does.
func TestTokens(t *testing.T) {
	var got []string
	for _, tk := range tokens("Hamas-Israel U.S. Trump’s $4.6 café Ñandú naïve Zürich") {
		got = append(got, tk.word)
	}
	if strings.Join(got, " ") != "hamas israel u s trump s 4 6 cafe nandu naive zurich" {
		t.Errorf("%q", got)
	}
	if !unicode.IsUpper('Ñ') {
		t.Fatal()
	}
}

// A question's words: stop words and repeats (by stem) dropped, names known
// by their capital (a prefix from 4 letters on), soft words marked, and an
// irregular verb's other forms with their stems.
func TestParseQuestion(t *testing.T) {
	terms := parseQuestion("Why did Egypt's officials choose the elections, and what did the Official say about election news?")
	var got []string
	for _, tm := range terms {
		got = append(got, tm.word)
	}
	if strings.Join(got, " ") != "egypt officials choose elections news" {
		t.Fatalf("words %q", got)
	}
	egypt, officials, choose, elections, news := terms[0], terms[1], terms[2], terms[3], terms[4]
	if !egypt.proper || !egypt.prefix || officials.proper || officials.prefix {
		t.Errorf("names: egypt %+v, officials %+v", egypt, officials)
	}
	if elections.stem != "elect" || officials.stem != "offici" {
		t.Errorf("stems %q, %q", elections.stem, officials.stem)
	}
	if !news.soft || choose.soft || elections.soft {
		t.Errorf("soft: news %v, choose %v, elections %v", news.soft, choose.soft, elections.soft)
	}
	if strings.Join(choose.forms, " ") != "chose chosen" || len(choose.fstems) != 2 {
		t.Errorf("forms of choose: %q, stems %q", choose.forms, choose.fstems)
	}

	if n := len(parseQuestion("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november")); n != maxTerms {
		t.Errorf("%d terms, want at most %d", n, maxTerms)
	}
	if terms := parseQuestion("what did they say to us?"); len(terms) != 0 {
		t.Errorf("a question of stop words: %+v", terms)
	}
	// "How long" frames a question: "long" is a soft word there only.
	for q, want := range map[string][]bool{
		"How long are emergency department waits?": {true, false, false, false},
		"Is the long bridge closing?":              {false, false, false},
		"how often do buses run?":                  {true, false, false},
	} {
		var soft []bool
		for _, x := range parseQuestion(q) {
			soft = append(soft, x.soft)
		}
		if !slices.Equal(soft, want) {
			t.Errorf("%q: soft %v, want %v", q, soft, want)
		}
	}
}

// A term is in a text's stems by its own stem, another form's, or, for a
// name, as the beginning of one.
func TestTermIn(t *testing.T) {
	terms := parseQuestion("Did Egypt choose elections?")
	egypt, choose, elections := terms[0], terms[1], terms[2]
	for _, c := range []struct {
		t    qterm
		text string
		want bool
	}{
		{egypt, "Egyptian sources said", true},
		{egypt, "the egg pyramid", false},
		{choose, "Qatar chose a mediator", true},
		{choose, "the chosen few", true},
		{choose, "a choice", false},
		{elections, "the election was held", true},
		{elections, "electricity prices", false},
	} {
		if got := c.t.in(stems(c.text)); got != c.want {
			t.Errorf("%q in %q: %v, want %v", c.t.word, c.text, got, c.want)
		}
	}
}

// The words of a speaker's name: no honorifics, and short stop words only
// when the name has nothing else.
func TestNameWords(t *testing.T) {
	for name, want := range map[string]string{
		"Dr. Hannah of the Lowe": "hannah lowe",
		"May":                    "may",
		"The Who":                "the who",
		"Mr. Basem NAIM, Naim":   "basem naim",
		"":                       "",
	} {
		var got []string
		for _, w := range nameWords(name) {
			got = append(got, w.word)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("nameWords(%q) = %q, want %q", name, got, want)
		}
	}
}

// in reports whether the term, or another of its forms, is one of the
// stems, or begins one if it is a prefix: the tests' reference for
// qterm.matches and the scorer's term sets.
func (t qterm) in(stems map[string]bool) bool {
	if stems[t.stem] {
		return true
	}
	for _, f := range t.fstems {
		if stems[f] {
			return true
		}
	}
	if t.prefix {
		for s := range stems {
			if strings.HasPrefix(s, t.stem) {
				return true
			}
		}
	}
	return false
}

// TestFTSSyntaxBytes checks that every match of ftsSyntax holds one of
// ftsSyntaxBytes, so that parseQuestion may skip the expression on a
// question without any: on the syntax it is written for, and on random
// strings of its pieces.
func TestFTSSyntaxBytes(t *testing.T) {
	texts := []string{"text: ceasefire", "{speaker role}: Hamas", "-via:Reuters", "NEAR/3 talks", "NEAR(a b, 5)",
		"Speaker : x", "(context:x)", "near / 12", "a ,  7 )"}
	pieces := []string{"text", "SPEAKER", "role", "Via", "headline", "sentence", "context", "near", "NEAR", "{", "}",
		"-", " ", "\t", "(", ":", "/", ")", ",", "5", "42", "a", "é"}
	texts = append(texts, randomTexts(rand.New(rand.NewPCG(5, 6)), pieces, 30000, 1, 8)...)
	matched := 0
	for _, s := range texts {
		for _, m := range ftsSyntax.FindAllString(s, -1) {
			matched++
			if !strings.ContainsAny(m, ftsSyntaxBytes) {
				t.Fatalf("ftsSyntax matches %q in %q, which has none of %q", m, s, ftsSyntaxBytes)
			}
		}
	}
	if matched < 300 {
		t.Errorf("only %d matches: the strings do not exercise ftsSyntax", matched)
	}
}

// TestHasQueryTerms checks HasQueryTerms against queryTerms: on questions
// of stop words only, of query syntax only, with accents, capitals and
// bytes that are not UTF-8, and on random strings of such pieces.
func TestHasQueryTerms(t *testing.T) {
	texts := []string{"", "?", "What did Hamas say?", "what is the?", "who said it", "text:", "text: ceasefire",
		"{speaker}: the", "NEAR/3", "Égypte", "ÉTAIT", "\xff\xfe", "who \xffsaid", "ces\u0301", "42", "’s"}
	pieces := []string{"what", "did", "the", "of", "Who", "IS", "say", "Hamas", "vote", "text", ":", "/", ")", "(", ",",
		" ", "?", "é", "\u0301", "\xff", "NEAR", "3", "x"}
	texts = append(texts, randomTexts(rand.New(rand.NewPCG(7, 8)), pieces, 20000, 0, 6)...)
	has := 0
	for _, s := range texts {
		want := len(queryTerms(s)) > 0
		if got := HasQueryTerms(s); got != want {
			t.Fatalf("HasQueryTerms(%q) = %v, want %v (queryTerms %q)", s, got, want, queryTerms(s))
		}
		if want {
			has++
		}
	}
	if has < 1000 || len(texts)-has < 1000 {
		t.Errorf("%d of %d strings have terms: too few of one kind", has, len(texts))
	}
}

// queryTerms returns the words of question that a search uses, folded to
// lower case without accents, in order, without repeats: no stop words,
// punctuation or query syntax. No code outside tests needs the list (the
// bot asks HasQueryTerms); it is the tests' reference for what a question
// is parsed into.
func queryTerms(question string) []string {
	var words []string
	for _, t := range parseQuestion(question) {
		words = append(words, t.word)
	}
	return words
}
