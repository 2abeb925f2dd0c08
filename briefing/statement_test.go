package briefing

import (
	"strings"
	"testing"
)

// Bullets that read as pieces of sentences, from real briefings, are not
// whole statements; sentences are.
func TestWholeStatement(t *testing.T) {
	for _, text := range []string{
		"Who accused Donald Trump of lying about the crowd",
		"Against the excesses of Wall Street and the banks",
		"Featuring four women who ran for the city council",
		"Is now 10 and has two brothers at the same school",
		"Were accompanied by leverage and return favors",
		"Claim",
		"the plan would cost more than the council expected",
		"And the council said it would appeal the ruling",
		"But the plan was dropped before the vote",
		"Adding, 'Maybe it's a female-to-female thing.'",
		"It, from crop insurance to defense spending",
		"Said listings are user generated and the company reserves its rights",
		"Him, among other things, a failed candidate",
		`The mayor called the plan "a disgrace to the city`,
		"The mayor said the following:",
		"Court how she saw the van leave the road",
		"Low taxes ‘go to the heart of what I believe",
		"Reporters waited outside the hall The hearing began at noon",
	} {
		if wholeStatement(text) {
			t.Errorf("%q taken as a whole statement", text)
		}
	}
	for _, text := range []string{
		"The council approved the budget on Monday night",
		"27 companies reported more than 16,000 subsidiaries",
		`The mayor called the plan "a disgrace" and left the room`,
		"Speaking in Leeds, the minister promised new trains by 2028",
		"£2,100 a year separates the two groups of pensioners",
		"This is how the council spent the grant",
		"She called it ‘a good day’ for the town and its ferry",
	} {
		if !wholeStatement(text) {
			t.Errorf("%q not taken as a whole statement", text)
		}
	}
}

// Single quotation marks are told apart from apostrophes.
func TestHasQuoteMark(t *testing.T) {
	for _, text := range []string{
		"'We were lucky,' he added.",
		"He said the result was 'a disaster' for the town.",
		"‘It is over,’ she said.",
		"``We have been patient,'' said the union.",
		`The mayor said "never again".`,
		"The crowd chanted «non» all night.",
	} {
		if !hasQuoteMark(text) {
			t.Errorf("no quotation mark found in %q", text)
		}
	}
	for _, text := range []string{
		"The boys' mothers don't agree with the school's plan.",
		"Music from the '90s filled the hall at Hamas’s rally.",
		"It’s not the rent; it’s the principle of the thing.",
		"The Joneses' dog and O'Brien's cat were both found.",
	} {
		if hasQuoteMark(text) {
			t.Errorf("apostrophes taken for a quotation mark in %q", text)
		}
	}
}

// A sentence that someone else's words or views may be in is not shown
// as the article's own reporting.
func TestAuthorVoice(t *testing.T) {
	for _, text := range []string{
		"A new poll shows that the senator has lost ground among older voters this month.",
		"Hillary Clinton was headed to an emergency room after the ceremony, The Post has learned.",
		"We have been patient for eleven months and the owners have not moved at all.",
		"Why would anyone pay twice for the same service in the same month?",
		"The implication is clear: the council will have to raise taxes next year.",
		"Critics argue the bridge will cost far more than the county has set aside for it.",
		"The council is unlikely to approve the plan.", // too short to stand alone
		"Republicans were also incensed that the deals did not require the witnesses to cooperate.",
		"In Wisconsin, federal courts restored some early-voting days, seen as helpful to younger voters.",
		"On Monday, the senator took aim at comments by the governor about the new budget.",
		"Tune in tonight at nine for the last debate before your county votes.",
	} {
		if authorVoice(text, false) {
			t.Errorf("%q taken as the author's voice", text)
		}
	}
	for _, text := range []string{
		"The council's planning committee voted seven to two on Tuesday night to let the sign stay.",
		"The stoppage is the first at the port since 2015, when a two-day strike cost operators 30 million euros.",
		"Chancey Luna, 17, was charged with first-degree murder after the shooting at 9:30 on Friday.",
	} {
		if !authorVoice(text, false) {
			t.Errorf("%q not taken as the author's voice", text)
		}
	}
	if !authorVoice("I was dismayed that our library will close on Saturdays from next month.", true) {
		t.Error("an opinion piece's first person is not its author's voice")
	}
}

// Speakers that are not speakers, from real briefings, are not shown.
func TestSolidSpeaker(t *testing.T) {
	for _, sp := range []string{
		"that", "citing", "Aerobic", "13 percent", "formula", "Type II", "While Gordon Brown",
		"SELMA", "I've", "Similar laws in at least four other", "On Friday, attorney for a woman", "1,200 pilots",
		"Minutes later", "Early in his campaign", "her political networks in", "Republican", "S.C.", "Ohio",
		"Speaking", "Shortly", "prosecutors charged the officer", "Mr. Obama scrutinized",
	} {
		if solidSpeaker(sp) {
			t.Errorf("%q taken for a speaker", sp)
		}
	}
	for _, sp := range []string{
		"Donald Trump", "Hamas officials", "anonymous Biden administration officials", "The association",
		"A spokesman for Governor Ruth Alder", "Analysts at Carver & Lowe", "Reuters", "Democrats", "FBI",
		"the agency", "Prudential’s report", "Quinnipiac poll", "Obama", "the city's chief engineer",
		"Egyptian sources", "Denver police", "survey conducted by the University of Swansea", "Roscosmos",
	} {
		if !solidSpeaker(sp) {
			t.Errorf("%q not taken for a speaker", sp)
		}
	}
}

// A leading pronoun becomes the speaker's name only when it certainly is
// the speaker: a person named in full whose first name agrees with it.
func TestReplaceLeadingPronoun(t *testing.T) {
	tests := []struct{ text, speaker, want string }{
		{"he will work to end the war", "Donald Trump", "Trump will work to end the war"},
		{"she will run again", "Maria Lund", "Lund will run again"},
		{"he had sex with the aide", "report", "he had sex with the aide"},
		{"he had sex with the aide", "Report", "he had sex with the aide"},
		{"she will run again", "Donald Trump", "she will run again"},
		{"he was arrested", "Denver police", "he was arrested"},
		{"he will resign", "White House", "he will resign"},
		{"he will resign", "Robin Blake", "he will resign"}, // a first name that says nothing
	}
	for _, tt := range tests {
		c := Claim{Text: tt.text, Speaker: tt.speaker, Kind: Indirect}
		if got := replaceLeadingPronoun(tt.text, c); got != tt.want {
			t.Errorf("%q by %q: got %q, want %q", tt.text, tt.speaker, got, tt.want)
		}
	}
}

// A claim whose speaker the engine is not sure of never reaches a briefing
// with a speaker: such a bullet is left out.
func TestSpeakerUnsureNeverShown(t *testing.T) {
	body := "The city council approved a new budget on Monday night after a debate that ran past midnight and drew " +
		"more than two hundred residents, many of them parents and shop owners, to the town hall.\n\n" +
		"Council member Dana Ruiz said the budget would add two new bus routes across the east side of town.\n\n" +
		"Libraries will open on Sundays from next spring, and street lights will be replaced across the city."
	a := &Article{ID: "x", Name: "budget.txt", Title: "Council approves budget", Body: body}
	sents := Segment(body)
	claims := extract(body, sents)
	var target int = -1
	for i, c := range claims {
		if c.Attributed() && strings.Contains(c.Text, "bus routes") {
			target = i
		}
	}
	if target < 0 {
		t.Fatalf("no attributed claim about bus routes in %+v", claims)
	}
	b := brief(a, sents, claims, Options{})
	if !hasBullet(b, "bus routes") {
		t.Fatalf("the sure claim is not a bullet:\n%s", Text(b))
	}
	claims[target].SpeakerUnsure = true
	b = brief(a, sents, claims, Options{})
	if hasBullet(b, "bus routes") {
		t.Errorf("a claim with an unsure speaker is a bullet:\n%s", Text(b))
	}
	for _, bl := range b.Bullets {
		if bl.SpeakerUnsure {
			t.Errorf("bullet %q is marked unsure", bl.Line)
		}
	}
}

func hasBullet(b Briefing, sub string) bool {
	for _, bl := range b.Bullets {
		if strings.Contains(bl.Line, sub) {
			return true
		}
	}
	return false
}

// Datelines and agency tags are recognized, and nothing else.
func TestDatelineEnd(t *testing.T) {
	tests := []struct{ text, rest string }{
		{"(CNN)They may not be aliens, but they are close.", "They may not be aliens, but they are close."},
		{"SELMA, Alabama (CNN) -- The march began at dawn.", "The march began at dawn."},
		{"WASHINGTON — The Senate voted on Tuesday.", "The Senate voted on Tuesday."},
		{"LONDON, March 3 (Reuters) - Shares fell.", "Shares fell."},
		{"CHARLOTTE - The wife of a man shot by police spoke.", "The wife of a man shot by police spoke."},
		{"MANCHESTER, N.H. (AP) — Voters lined up early.", "Voters lined up early."},
		{"U.S. - China talks resume on Monday.", "U.S. - China talks resume on Monday."},
		{"The FBI - not the police - led the raid.", "The FBI - not the police - led the raid."},
		{"NASA said the launch would go ahead.", "NASA said the launch would go ahead."},
		{"Exclusive: The mayor kept a second office.", "The mayor kept a second office."},
		{"UPDATE: WASHINGTON — The Senate voted again.", "The Senate voted again."},
		{"Police: The suspect fled on foot.", "Police: The suspect fled on foot."},
		{"Kathmandu, Nepal (CNN)Rescuers pulled a man from the rubble.", "Rescuers pulled a man from the rubble."},
		{"Rio de Janeiro (Reuters) - Shares rose.", "Shares rose."},
		{"The mayor (left) and her deputy (CNN) spoke.", "The mayor (left) and her deputy (CNN) spoke."},
	}
	for _, tt := range tests {
		if got := tt.text[datelineLen(tt.text):]; got != tt.rest {
			t.Errorf("%q: after the dateline %q, want %q", tt.text, got, tt.rest)
		}
	}
}

// Each line of a tabloid page gets its role.
func TestMarkSentences(t *testing.T) {
	body := strings.Join([]string{
		"By Hannah Pryce for MailOnline",
		"PUBLISHED: 08:14 EST, 12 March 2026 | UPDATED: 11:02 EST, 12 March 2026",
		"A baker has won his fight with the council.",
		"Scroll down for video",
		"Proud: Derek Mottram outside his bakery in Little Hollow (pictured left)",
		"Skilful:",
		"The sign was painted by his granddaughter",
		"Pictured: The sign above the shop, which the council wanted removed.",
		"WALLACE: Why would anyone do that? It makes no sense.",
		"Read more: Village shops fight back",
		"Joy Smith:",
		"We were never asked. Nobody came to see the shop.",
		"The committee voted seven to two.",
		"Here, MailOnline looks back at the baker's forty years in the village.",
	}, "\n\n")
	want := []sentRole{roleBoilerplate, roleBoilerplate, roleNews, roleBoilerplate, roleCaption, roleBoilerplate,
		roleCaption, roleCaption, roleSpeech, roleSpeech, roleBoilerplate, roleBoilerplate, roleSpeech, roleSpeech, roleNews,
		roleBoilerplate}
	sents := Segment(body)
	roles := markSentences(body, sents)
	if len(roles) != len(want) {
		t.Fatalf("%d sentences, want %d", len(roles), len(want))
	}
	for i, s := range sents {
		if roles[i] != want[i] {
			t.Errorf("%q: role %d, want %d", s.Text(body), roles[i], want[i])
		}
	}
}

// Opinion pieces, editorials, letters and press releases are told from
// reporting by their title, link or markers.
func TestOpinionLabel(t *testing.T) {
	tests := []struct {
		title, url, body, want string
	}{
		{"Opinion: Parks need trees", "", "Plant more trees.", labelOpinion},
		{"Parks need trees", "https://news.example/opinions/2026/parks", "Plant more trees.", labelOpinion},
		{"", "", "Editor's note: Amara Okafor is an ecologist. The views expressed in this commentary are solely those of the author.\n\nPlant more trees.", labelOpinion},
		{"Our view: Fund the library", "", "The council should fund the library.", labelEditorial},
		{"", "", "To the editor:\n\nI was dismayed by the cuts.", labelLetter},
		{"", "", "FOR IMMEDIATE RELEASE\n\nPellham Foods today announced a new centre.", labelRelease},
		{"Council votes on budget", "https://news.example/local/budget", "The council voted. In a letter to the editor last week, a resident objected.", ""},
	}
	for _, tt := range tests {
		a := &Article{Title: tt.title, URL: tt.url, Body: tt.body}
		if got := opinionLabel(a, Segment(tt.body)); got != tt.want {
			t.Errorf("%q %q: label %q, want %q", tt.title, tt.url, got, tt.want)
		}
	}
}

// The end of a longer name is not a speaker.
func TestTruncatedName(t *testing.T) {
	body := "Figures from the Center for Responsive Politics show the spending rose. A report by the Organization " +
		"for Economic Cooperation and Development agreed. Jan Holm of Pellham Foods and Dana Ruiz spoke later."
	for _, sp := range []string{"Responsive Politics", "Development"} {
		if !truncatedName(body, sp) {
			t.Errorf("%q not seen as the end of a longer name", sp)
		}
	}
	for _, sp := range []string{"Pellham Foods", "Dana Ruiz", "Jan Holm", "Center for Responsive Politics"} {
		if truncatedName(body, sp) {
			t.Errorf("%q seen as the end of a longer name", sp)
		}
	}
}

// An attribution names its channel in plain words and leaves out what a
// caption says of a person.
func TestAttributionWords(t *testing.T) {
	tests := []struct {
		c    Claim
		want string
	}{
		{Claim{Kind: Indirect, Speaker: "Villagers", Via: "the People's Daily Online"}, "Villagers, via the People's Daily Online"},
		{Claim{Kind: Indirect, Speaker: "Dana Ruiz", Via: "the statement"}, "Dana Ruiz, in the statement"},
		{Claim{Kind: Direct, Speaker: "James Boase", SpeakerRole: "pictured"}, "James Boase"},
		{Claim{Kind: Direct, Speaker: "James Boase", SpeakerRole: "landlord"}, "James Boase, landlord"},
	}
	for _, tt := range tests {
		if got := Attribution(tt.c); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.c, got, tt.want)
		}
	}
}

// wordCount's ASCII path counts as its rune path does.
func TestWordCount(t *testing.T) {
	for _, tt := range []struct {
		text string
		want int
	}{
		{"", 0},
		{"The council met.", 3},
		{"  “Quoted,” she said — it’s (fine) $5.", 6},
		{"a\tb\nc\vd\fe\rf", 6},
		{"Hamas’s rally, “no” — 2,000 people", 5},
		{"-- ... ,,", 0},
		{`"We won," said Lee (Ruiz's coach).`, 6},
	} {
		if got := wordCount(tt.text); got != tt.want {
			t.Errorf("wordCount(%q) = %d, want %d", tt.text, got, tt.want)
		}
		if got := wordCountRunes(tt.text, false); got != tt.want {
			t.Errorf("wordCountRunes(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

// A paraphrase read from the middle of a phrase is not a whole statement.
func TestBoundBefore(t *testing.T) {
	body := "His publicist said later in the day that he was back home resting. Police said the road was closed."
	day := strings.Index(body, "day that")
	road := strings.Index(body, "the road")
	if !boundBefore(body, Claim{Text: "day that he was back home resting", Start: day, Kind: Indirect}) {
		t.Error("“day that he was back home” after “the” taken as whole")
	}
	if boundBefore(body, Claim{Text: "the road was closed", Start: road, Kind: Indirect}) {
		t.Error("“the road was closed” after “said” taken as a piece of a phrase")
	}
}

// The gist is the lead, whole, and never repeats a headline that shows it.
func TestGistIsTheLead(t *testing.T) {
	tests := []struct{ body, gist string }{
		{
			// The first sentence is the headline, whole: the gist goes on.
			"Voters in Harlow approved a new library tax on Tuesday by a wide margin.\n\n" +
				"The tax will raise about two million dollars a year for ten years and pay for longer opening hours at all four branches.",
			"The tax will raise about two million dollars a year for ten years and pay for longer opening hours at all four branches.",
		},
		{
			// A quotation, a sentence that continues another, and a question do not lead.
			"---\ntitle: Harlow reach the final\n---\n" +
				"\"We are ready for anyone now,\" the coach said after the semi-final.\n\n" +
				"And the team left for the final on Friday with twenty players and three coaches.\n\n" +
				"Who could have seen this coming at the start of a season like theirs?\n\n" +
				"The final will be played in Lisbon on Sunday in front of 60,000 fans.",
			"The final will be played in Lisbon on Sunday in front of 60,000 fans.",
		},
	}
	for _, tt := range tests {
		a, err := Parse("a.txt", []byte(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		b := Analyze(a, Options{}).Briefing
		if b.Gist != tt.gist {
			t.Errorf("gist %q, want %q (headline %q)", b.Gist, tt.gist, b.Headline)
		}
	}
}

// A paraphrase that reports someone else's words is not shown as its
// speaker's.
func TestCitesOther(t *testing.T) {
	for _, c := range []Claim{
		{Text: "The port authority said about 40 ships were waiting", Speaker: "Patience"},
		{Text: "Burma's reforms were not complete, and human rights groups warned that the administration was wrong", Speaker: "Obama"},
		{Text: "Sen. Claire McCaskill scolded him: “The science is settled”", Speaker: "Hillary Clinton"},
		// Named in the text, but not as the one who reports it.
		{Text: "Kaine has described himself as a pro-life Catholic, the Huffington Post reported that he", Speaker: "Tim Kaine"},
	} {
		if !citesOther(c) {
			t.Errorf("%q by %q: not seen as someone else's words", c.Text, c.Speaker)
		}
	}
	for _, c := range []Claim{
		{Text: "the plan would cost more than the council expected", Speaker: "Dana Ruiz"},
		{Text: "Hamas officials said the talks were over", Speaker: "Hamas officials"},
		{Text: "the rule that voters must show identification is fair", Speaker: "the judge"},
	} {
		if citesOther(c) {
			t.Errorf("%q by %q: seen as someone else's words", c.Text, c.Speaker)
		}
	}
}

// A bullet shows a claim only when its source is certain: not a claim
// passed on by a second source, not a cue clause misread as what was said.
func TestSureBullets(t *testing.T) {
	lead := "The harbor board voted on Monday to raise mooring fees for the first time in a decade, " +
		"ending months of talks with the fishing fleet over the cost of repairs.\n\n"
	for _, tt := range []struct{ name, body, not string }{
		{"relayed", "\u201cWe will not pay a cent more,\u201d Dana Ruiz said, according to the Courier. " +
			"\u201cThe board has chosen the yachts over the boats.\u201d\n\n", "cent more"},
		{"continued from a relayed quote", "\u201cWe will not pay a cent more,\u201d Dana Ruiz said, according to the Courier. " +
			"\u201cThe board has chosen the yachts over the boats.\u201d\n\n", "yachts over the boats"},
		{"cue clause", "The harbor fund \u201creceived as much as $2 million in undisclosed gifts\u201d from shipping " +
			"firms and other groups, the Harbor Courier reported ten days ago.\n\n", "reported ten days ago"},
	} {
		a, err := Parse("harbor.txt", []byte(lead+tt.body+"Repairs to the north pier will start in the summer and take two years to finish."))
		if err != nil {
			t.Fatal(err)
		}
		b := Analyze(a, Options{}).Briefing
		if hasBullet(b, tt.not) {
			t.Errorf("%s: a bullet shows %q:\n%s", tt.name, tt.not, Text(b))
		}
	}
}

// A sentence in the author's voice is not shown when its figures are a
// poll's, or when its subject is one of the article's speakers: neither
// as a bullet, nor (for the poll) in the gist.
func TestNobodysClaimShownAsFact(t *testing.T) {
	body := "The harbor board voted on Monday to raise mooring fees for the first time in a decade, " +
		"ending months of talks with the fishing fleet over the cost of repairs.\n\n" +
		"According to a poll by Harbor College, most fishermen oppose the rise. " +
		"Only 12 percent of owners of small boats support the new fees, up from 9 percent in May.\n\n" +
		"Dana Ruiz, who leads the fleet, said the rise would sink three boats by winter. " +
		"Ruiz walked out of the meeting before the vote and left the hall with her crew and the other owners.\n\n" +
		"Repairs to the north pier will start in the summer and take two years to finish."
	a, err := Parse("harbor.txt", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	an := Analyze(a, Options{})
	if b := an.Briefing; strings.Contains(b.Gist, "12 percent") || hasBullet(b, "12 percent") {
		t.Errorf("a poll's figures shown as the author's:\n%s", Text(b))
	}
	view := newView(a, an.Sentences, an.Claims, an.Briefing.Headline)
	for _, c := range an.Claims {
		text := a.Body[c.Start:c.End]
		if c.Kind == Unattributed && (strings.Contains(text, "12 percent") || strings.Contains(text, "walked out")) && view.usable(c) {
			t.Errorf("%q may be a bullet in the author's voice", text)
		}
		if c.Kind == Unattributed && strings.Contains(text, "north pier") && !view.usable(c) {
			t.Errorf("%q may not be a bullet in the author's voice", text)
		}
	}
}

// A short bullet text with no verb is a noun phrase, not a statement.
func TestVerbLike(t *testing.T) {
	for _, text := range []string{"Caleb Barnes, to a concert", "Their approval of the filibuster", "In the July cable"} {
		if verbLike(text) {
			t.Errorf("verbLike(%q) = true", text)
		}
	}
	for _, text := range []string{"They want to avoid violence", "It's not the way to win", "The figure came from the State Department",
		"Exercise didn't seem to help", "The council approved the plan", "Prices rises again"} {
		if !verbLike(text) {
			t.Errorf("verbLike(%q) = false", text)
		}
	}
}
