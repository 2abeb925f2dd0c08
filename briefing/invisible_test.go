package briefing

import (
	"strings"
	"testing"
)

func TestStripInvisible(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"plain", "Mayor Ana Ruiz", "Mayor Ana Ruiz"},
		{"right-to-left override", "Daily \u202Eretsinim\u202C News", "Daily retsinim News"},
		{"every bidi control", "a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j\u200Ek\u200Fl\u061Cm", "abcdefghijklm"},
		{"zero-width space and joiners in a Latin name", "Jo\u200Be Bi\u200Cd\u200Den", "Joe Biden"},
		{"word joiner, invisible operators, BOM, soft hyphen", "Ru\u2060th Ok\u2061a\u2062f\u2063o\u2064r\uFEFFa Ed\u00ADwards", "Ruth Okafora Edwards"},
		{"Hangul filler as a blank name", "\u3164\u3164", ""},
		{"hidden tag text", "Reuters\U000E0069\U000E0067\U000E006E", "Reuters"},
		{"variation selector after a Latin letter", "Bi\uFE0Fden", "Biden"},
		{"Arabic and Hebrew letters stay", "قال المتحدث שלום", "قال المتحدث שלום"},
		{"Persian non-joiner between letters stays", "می\u200Cخواهم", "می\u200Cخواهم"},
		{"Devanagari joiner stays", "क्\u200Dष", "क्\u200Dष"},
		{"emoji ZWJ sequence stays", "👩\u200D🚀 and 🏳\uFE0F\u200D🌈", "👩\u200D🚀 and 🏳\uFE0F\u200D🌈"},
		{"emoji with skin tone stays", "👩🏽\u200D💻", "👩🏽\u200D💻"},
		{"keycap stays", "1\uFE0F\u20E3", "1\uFE0F\u20E3"},
		{"subdivision flag stays", "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"},
		{"joiner between emoji and a Latin letter goes", "👩\u200Dx", "👩x"},
		{"override inside an Arabic name goes", "محمد\u202Eعلي", "محمدعلي"},
		{"a joiner next to an override goes", "می\u200C\u202Eخواهم", "میخواهم"},
	} {
		if got := StripInvisible(c.in); got != c.want {
			t.Errorf("%s: StripInvisible(%+q) = %+q, want %+q", c.name, c.in, got, c.want)
		}
	}
}

// Speaker names, headlines, outlets and authors of a loaded article carry
// no invisible characters, so none reach a post or a lookup.
func TestLoadedArticleHasNoInvisibleCharacters(t *testing.T) {
	text := "---\n" +
		"title: \"Council \u202Edenrub\u202C approves bus lanes\"\n" +
		"source: \"Valley\u200B Courier\u2067\"\n" +
		"author: \"Lena\u2060 Brandt\"\n" +
		"---\n" +
		"The council approved two new bus lanes on Tuesday.\n\n" +
		"\u201CThe lanes will cut the commute by ten minutes,\u201D said Ma\u200Bria Lu\u202End, the transport director.\n\n" +
		"Residents of Hill Street opposed the plan, according to a petition.\n"
	a, err := Parse("bus.md", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	an := Analyze(a, Options{})
	fields := []string{a.Title, a.Source, a.Author, a.Body, an.Briefing.Headline, an.Briefing.Gist}
	for _, c := range an.Claims {
		fields = append(fields, c.Speaker, c.SpeakerRole, c.Text, c.Via)
	}
	for _, b := range an.Briefing.Bullets {
		fields = append(fields, b.Text, Attribution(b.Claim))
	}
	for _, f := range fields {
		if strings.IndexFunc(f, isIgnorable) >= 0 {
			t.Errorf("invisible character left in %+q", f)
		}
	}
	if a.Title != "Council denrub approves bus lanes" || a.Source != "Valley Courier" || a.Author != "Lena Brandt" {
		t.Errorf("title %q, source %q, author %q", a.Title, a.Source, a.Author)
	}
	found := false
	for _, c := range an.Claims {
		if c.Speaker == "Maria Lund" {
			found = true
		}
	}
	if !found {
		t.Errorf("no claim by Maria Lund: %+v", an.Claims)
	}
}
