package briefing

import (
	"strings"
	"testing"
)

// Claim texts as a bullet would show them: whole statements, and pieces
// of sentences a cue's complement may leave (test sentences of our own).
func TestPieceOfSentence(t *testing.T) {
	cases := []struct {
		text  string
		piece bool
	}{
		// Whole statements.
		{"The ferry company now faces a long inquiry", false},
		{"The tram line, which opened in May, carries 9,000 riders a day", false},
		{"Flats in Leith – which sit near two stations – cost £210,000 on average", false},
		{"A striker who has been watched by three clubs is not for sale", false},
		{"Rainfall that feeds the reservoir is falling, too", false},
		{"One in four tenants who move house this year will pay more", false},
		{"Owners who kept their dogs indoors did not see the same problem", false},
		{"It's unusual for a ferry to be late twice in one week", false},
		{"She’ll visit the flooded towns later this month", false},
		{"Marta Olvera, 37, sued the council after the bridge closed", false},
		{"The kite, painted to look like a dragon, was flown at the fair last Sunday", false},
		{"The rule allows for a second vote if the first is tied", false},
		{"The plan reeks of haste and panic", false},
		{"We need more buses on the northern routes", false},
		{"In her view, small towns are better run than big ones", false},
		{"The mayor did not expect the vote to pass, though", false},
		// A cue's object, or a phrase with no verb of its own.
		{"His argument in a hearing on the night of the vote", true},
		{"His idea to this crowds of voters in a speech", true},
		{"The footage after the driver tried to leave the car park", true},
		{"His third medal, before the champion of 2019 won the final after a rival fell", true},
		{"Apparently referring to the goats", true},
		{"The cyclist wearing a yellow jacket while riding past the school", true},
		{"Those living near the river, which is also called the Old Water, to leave their homes", true},
		// A clause cut where it goes on.
		{"The horse came fourth in the derby and is now eleven and", true},
		{"She will go to the next hearing, because", true},
		{"One in four cafés serve eel soup, and it is not clear if it is", true},
		// A listener left before the subject, a subject cut.
		{"neighbours she felt frightened before calling the police", true},
		{"On his blog, shared the same worries", true},
		{"Readers she’d move the paper online by spring", true},
		{"On Friday, even as shares of the bank were falling", true},
		{"In March, as a heckler was being led out of the hall in Leeds", true},
		{"However, that she hopes someone else takes up the case", true},
		{"80 percent backing for speed cameras", true},
		{"On Friday, as expected, the bank cut its rates", false},
		{"Even in small matters, the council was out of touch with its voters", false},
	}
	for _, tc := range cases {
		if got := pieceOfSentence(tc.text); got != tc.piece {
			t.Errorf("pieceOfSentence(%q) = %v, want %v", tc.text, got, tc.piece)
		}
	}
}

func TestPieceOfSentenceMore(t *testing.T) {
	for _, text := range []string{
		"Dana Whitfield provided a signed letter to the committee",
		"Most parents approve of the new timetable",
		"Alder, a former mayor of the town, attended the opening alone",
		"The tax rule in that bill amounted to a gift for landlords",
		"The merger, while costly, was handled well in her view",
		"One sign on the motorway read, “Slow down, we love you.”",
	} {
		if pieceOfSentence(text) {
			t.Errorf("pieceOfSentence(%q) = true, want false", text)
		}
	}
}

func TestPieceOfSentencePlurals(t *testing.T) {
	for _, text := range []string{
		"Four in five of them walk to the station every day",
		"Most people want a later last train",
		"Both she and her brother were working for the council",
	} {
		if pieceOfSentence(text) {
			t.Errorf("pieceOfSentence(%q) = true, want false", text)
		}
	}
}

// A sentence the article broke over a blank line is one line in a bullet's
// claim text, as in the bullet.
func TestBulletClaimOneLine(t *testing.T) {
	body := "The county will close the Tarn Lane footbridge for repairs next month after an inspection in March.\n\n" +
		"The county engineer, Ola Brandt, said the deck had rotted\n\nbut the handrails were sound.\n\n" +
		"Walkers will use the road bridge at Fenby, about a mile downstream, until the work is done in the autumn.\n"
	a, err := Parse("bridge.txt", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, bl := range Analyze(a, Options{}).Briefing.Bullets {
		found = found || strings.Contains(bl.Claim.Text, "handrails")
		if strings.ContainsRune(bl.Claim.Text, '\n') || strings.ContainsRune(bl.Line, '\n') {
			t.Errorf("bullet on more than one line: %q (claim %q)", bl.Line, bl.Claim.Text)
		}
	}
	if !found {
		t.Error("no bullet of the engineer's sentence")
	}
}

func TestHangingEnd(t *testing.T) {
	for text, want := range map[string]bool{
		"We will keep the pier open and":             true,
		"The bridge will close in May because":       true,
		"It is far too early to tell if it is":       true,
		"She did not say what the fine was":          false,
		"The mayor cut the ribbon, though":           false,
		"They played like a side with flip-flops on": false,
	} {
		if got := hangingEnd(strings.Fields(text)); got != want {
			t.Errorf("hangingEnd(%q) = %v, want %v", text, got, want)
		}
	}
}
