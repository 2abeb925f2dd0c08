package briefing

import (
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

type segmentCase struct {
	name  string
	in    string
	want  []string // sentence texts, in order
	paras []int    // if set, the Para of each sentence
}

var segmentCases = []segmentCase{
	// Empty and blank input.
	{name: "empty", in: "", want: nil},
	{name: "whitespace only", in: "  \n\n \t \n\u00a0 ", want: nil},
	{name: "blank lines only", in: "\n\n\n\n", want: nil},

	// Abbreviations and initials inside a sentence.
	{
		name: "U.S. before a proper noun",
		in:   "The U.S. Senate passed the water bill on Thursday. The House votes on it next week.",
		want: []string{
			"The U.S. Senate passed the water bill on Thursday.",
			"The House votes on it next week.",
		},
	},
	{
		name: "U.K. and D.C. with commas",
		in:   "Trade officials from the U.K. met their counterparts in Washington, D.C., for two days. Talks resume in June.",
		want: []string{
			"Trade officials from the U.K. met their counterparts in Washington, D.C., for two days.",
			"Talks resume in June.",
		},
	},
	{
		name: "month abbreviations before days",
		in:   "The hearing was moved from Oct. 7 to Sept. 12 after a scheduling conflict. Lawyers for both sides agreed to the change.",
		want: []string{
			"The hearing was moved from Oct. 7 to Sept. 12 after a scheduling conflict.",
			"Lawyers for both sides agreed to the change.",
		},
	},
	{
		name: "political and religious titles",
		in:   "Gov. Ana Ruiz and Sen. Tom Hale met Rep. Dana Cole at the levee on Monday. Rev. Paul Amos led a short prayer for the flood victims.",
		want: []string{
			"Gov. Ana Ruiz and Sen. Tom Hale met Rep. Dana Cole at the levee on Monday.",
			"Rev. Paul Amos led a short prayer for the flood victims.",
		},
	},
	{
		name: "medical and military titles",
		in:   "Dr. Mira Patel briefed Gen. Owen Clark and Lt. Sara Kim on the measles outbreak at the base. The briefing lasted an hour.",
		want: []string{
			"Dr. Mira Patel briefed Gen. Owen Clark and Lt. Sara Kim on the measles outbreak at the base.",
			"The briefing lasted an hour.",
		},
	},
	{
		name: "company suffixes mid-sentence",
		in:   "Shares of Acme Inc. rose 6% after Boreal Corp. Chief Executive Ana Silva said her company would buy a stake. Trading volume doubled.",
		want: []string{
			"Shares of Acme Inc. rose 6% after Boreal Corp. Chief Executive Ana Silva said her company would buy a stake.",
			"Trading volume doubled.",
		},
	},
	{
		name: "No. 2 and No. 9",
		in:   "She is the No. 2 official at the housing agency. The Rovers’ No. 9 shirt was retired on Saturday.",
		want: []string{
			"She is the No. 2 official at the housing agency.",
			"The Rovers’ No. 9 shirt was retired on Saturday.",
		},
	},
	{
		name: "a.m. and p.m. mid-sentence",
		in:   "Polling stations open at 7 a.m. and close at 8 p.m. on Tuesday. Lines were already long at dawn.",
		want: []string{
			"Polling stations open at 7 a.m. and close at 8 p.m. on Tuesday.",
			"Lines were already long at dawn.",
		},
	},
	{
		name: "a.m. before a weekday and a time zone",
		in:   "The trial resumes at 10 a.m. Monday in Courtroom 4. The rocket launch is set for 6 a.m. Eastern time. Jurors were told to rest.",
		want: []string{
			"The trial resumes at 10 a.m. Monday in Courtroom 4.",
			"The rocket launch is set for 6 a.m. Eastern time.",
			"Jurors were told to rest.",
		},
	},
	{
		name: "spaced initials",
		in:   "A signed first edition by J. R. R. Tolkien sold for $12,000 at the county auction. The buyer was not named.",
		want: []string{
			"A signed first edition by J. R. R. Tolkien sold for $12,000 at the county auction.",
			"The buyer was not named.",
		},
	},
	{
		name: "Mr. and St. Louis",
		in:   "Mr. Okafor moved his bakery to St. Louis in 2019. He now employs 14 people.",
		want: []string{
			"Mr. Okafor moved his bakery to St. Louis in 2019.",
			"He now employs 14 people.",
		},
	},
	{
		name: "title abbreviation that is also a surname",
		in:   "The prize went to the economist Priya Sen. The committee cited her work on famine relief.",
		want: []string{
			"The prize went to the economist Priya Sen.",
			"The committee cited her work on famine relief.",
		},
	},
	{
		name: "Ph.D. mid-sentence",
		in:   "She earned a Ph.D. in chemistry before joining the health department. She now runs its laboratory.",
		want: []string{
			"She earned a Ph.D. in chemistry before joining the health department.",
			"She now runs its laboratory.",
		},
	},
	{
		name: "Jr. mid-sentence and at the end",
		in:   "Crews repainted Martin Luther King Jr. Boulevard overnight. The avenue was renamed for Martin Luther King Jr. The ceremony drew hundreds.",
		want: []string{
			"Crews repainted Martin Luther King Jr. Boulevard overnight.",
			"The avenue was renamed for Martin Luther King Jr.",
			"The ceremony drew hundreds.",
		},
	},

	// Abbreviations that do end a sentence.
	{
		name: "Inc. ends a sentence",
		in:   "Lena Ortiz, a former city planner, joined Acme Inc. The deal was announced Friday.",
		want: []string{
			"Lena Ortiz, a former city planner, joined Acme Inc.",
			"The deal was announced Friday.",
		},
	},
	{
		name: "U.S. ends a sentence",
		in:   "The family fled the fighting in 2015 and moved to the U.S. They settled in Ohio.",
		want: []string{
			"The family fled the fighting in 2015 and moved to the U.S.",
			"They settled in Ohio.",
		},
	},
	{
		name: "p.m. ends a sentence",
		in:   "The warehouse fire started at 9 p.m. Police said the cause was not yet known.",
		want: []string{
			"The warehouse fire started at 9 p.m.",
			"Police said the cause was not yet known.",
		},
	},
	{
		name: "lower-case words that look like abbreviations",
		in:   "The goalkeeper fell ill. Doctors said he would miss the final. Asked whether he would retire, he said no. Fans were relieved.",
		want: []string{
			"The goalkeeper fell ill.",
			"Doctors said he would miss the final.",
			"Asked whether he would retire, he said no.",
			"Fans were relieved.",
		},
	},

	// Numbers.
	{
		name: "money, percentages and thousands",
		in:   "Revenue at the utility rose 3.5% to $4.2 million. It added 1,200 customers. Rates will rise by $1.50 a month.",
		want: []string{
			"Revenue at the utility rose 3.5% to $4.2 million.",
			"It added 1,200 customers.",
			"Rates will rise by $1.50 a month.",
		},
	},
	{
		name: "version numbers and decimal times",
		in:   "The city released version 2.0 of its permit portal at 10.30 a.m. on Friday. Residents reported few problems with version 2.0. Clerks were pleased.",
		want: []string{
			"The city released version 2.0 of its permit portal at 10.30 a.m. on Friday.",
			"Residents reported few problems with version 2.0.",
			"Clerks were pleased.",
		},
	},
	{
		name: "domain name ends a sentence",
		in:   "Tickets are sold only through CityTix.com. Resellers face fines.",
		want: []string{
			"Tickets are sold only through CityTix.com.",
			"Resellers face fines.",
		},
	},
	{
		name: "sentence starting with a digit",
		in:   "The tornado destroyed dozens of homes in the valley. 12 families remain in shelters. 3.5 inches of rain fell overnight.",
		want: []string{
			"The tornado destroyed dozens of homes in the valley.",
			"12 families remain in shelters.",
			"3.5 inches of rain fell overnight.",
		},
	},
	{
		name: "date ends a sentence",
		in:   "The recount was certified on Nov. 5, 2024. Turnout was the highest in decades.",
		want: []string{
			"The recount was certified on Nov. 5, 2024.",
			"Turnout was the highest in decades.",
		},
	},

	// Quotations.
	{
		name: "straight quote closes a sentence",
		in:   `The mayor told reporters, "We will rebuild every house." The council agreed.`,
		want: []string{
			`The mayor told reporters, "We will rebuild every house."`,
			"The council agreed.",
		},
	},
	{
		name: "curly quote closes a sentence",
		in:   "“The tap water is safe to drink.” Health officials repeated the advice on Tuesday.",
		want: []string{
			"“The tap water is safe to drink.”",
			"Health officials repeated the advice on Tuesday.",
		},
	},
	{
		name: "question in curly quotes then lower-case attribution",
		in:   "“Who is going to pay for this?” she asked. Nobody on the board answered.",
		want: []string{
			"“Who is going to pay for this?” she asked.",
			"Nobody on the board answered.",
		},
	},
	{
		name: "question in straight quotes then she asked",
		in:   `"Is the bridge safe to cross?" she asked the engineer. He nodded.`,
		want: []string{
			`"Is the bridge safe to cross?" she asked the engineer.`,
			"He nodded.",
		},
	},
	{
		name: "exclamation in curly quotes then said the coach",
		in:   "“What a finish!” said the coach, grinning. The team celebrated late into the night.",
		want: []string{
			"“What a finish!” said the coach, grinning.",
			"The team celebrated late into the night.",
		},
	},
	{
		name: "question in quotes then capitalized speaker",
		in:   `"Where did the money go?" Smith asked. The treasurer did not respond.`,
		want: []string{
			`"Where did the money go?" Smith asked.`,
			"The treasurer did not respond.",
		},
	},
	{
		name: "question in quotes then titled speaker",
		in:   "“Why was the audit delayed?” Sen. Maria Lee asked the panel. Nobody answered.",
		want: []string{
			"“Why was the audit delayed?” Sen. Maria Lee asked the panel.",
			"Nobody answered.",
		},
	},
	{
		name: "question in quotes then a new sentence with said",
		in:   "Residents had one question: “Who pays?” Officials said the state would cover the cost.",
		want: []string{
			"Residents had one question: “Who pays?”",
			"Officials said the state would cover the cost.",
		},
	},
	{
		name: "exclamation in single curly quotes",
		in:   "The fans kept chanting ‘We want more!’ Then the band came back on stage.",
		want: []string{
			"The fans kept chanting ‘We want more!’",
			"Then the band came back on stage.",
		},
	},
	{
		name: "quote running over several sentences",
		in:   "“We lost the house. We lost the car. But we are alive,” said Maria Lopez, 54, outside the shelter.",
		want: []string{
			"“We lost the house.",
			"We lost the car.",
			"But we are alive,” said Maria Lopez, 54, outside the shelter.",
		},
	},
	{
		name: "quote running over two paragraphs",
		in: "“The ruling is a setback for every tenant in this city. We will appeal.\n\n" +
			"“We expect the higher court to see it differently,” said Rosa Vance, a lawyer for the tenants.",
		want: []string{
			"“The ruling is a setback for every tenant in this city.",
			"We will appeal.",
			"“We expect the higher court to see it differently,” said Rosa Vance, a lawyer for the tenants.",
		},
		paras: []int{0, 0, 1},
	},
	{
		name: "nested single quotes inside double quotes",
		in:   "“She told us, ‘Get out now,’ and we ran,” said a neighbor. The house burned to the ground.",
		want: []string{
			"“She told us, ‘Get out now,’ and we ran,” said a neighbor.",
			"The house burned to the ground.",
		},
	},
	{
		name: "closing quote without an opening one",
		in:   "The senator praised the war on drugs,” and claimed crime had fallen by half. Critics disputed the figure.",
		want: []string{
			"The senator praised the war on drugs,” and claimed crime had fallen by half.",
			"Critics disputed the figure.",
		},
	},
	{
		name: "opening quote never closed",
		in:   "“The plant will close in March. About 300 jobs are affected.",
		want: []string{
			"“The plant will close in March.",
			"About 300 jobs are affected.",
		},
	},
	{
		name: "colon-introduced curly quote",
		in:   "The note on the clinic door read: “Closed until further notice.” Patients were sent to a hospital across town.",
		want: []string{
			"The note on the clinic door read: “Closed until further notice.”",
			"Patients were sent to a hospital across town.",
		},
	},
	{
		name: "colon-introduced straight quote",
		in:   `The health chief's message was short: "Stay home." Most residents did.`,
		want: []string{
			`The health chief's message was short: "Stay home."`,
			"Most residents did.",
		},
	},
	{
		name: "sentences starting with quotes",
		in:   "Residents packed the hearing. \"We want answers,\" one said. “It was the heart of this town,” said a former mill worker.",
		want: []string{
			"Residents packed the hearing.",
			"\"We want answers,\" one said.",
			"“It was the heart of this town,” said a former mill worker.",
		},
	},

	// Ellipses.
	{
		name: "ellipses mid-sentence",
		in:   "The witness paused... then said she saw nothing. He called the plan… complicated. The judge thanked them both.",
		want: []string{
			"The witness paused... then said she saw nothing.",
			"He called the plan… complicated.",
			"The judge thanked them both.",
		},
	},
	{
		name: "ellipses ending sentences",
		in:   "The count dragged on for hours... The result came at midnight. The crowd waited and waited… Then the lights came on.",
		want: []string{
			"The count dragged on for hours...",
			"The result came at midnight.",
			"The crowd waited and waited…",
			"Then the lights came on.",
		},
	},
	{
		name: "spaced ellipsis mid-sentence",
		in:   "The chairman said the merger . . . would not cost jobs. Unions were skeptical.",
		want: []string{
			"The chairman said the merger . . . would not cost jobs.",
			"Unions were skeptical.",
		},
	},

	// Brackets.
	{
		name: "full stop inside parentheses",
		in:   "The school budget grew 4%. (An earlier draft put the figure at 6%.) The board approved it unanimously.",
		want: []string{
			"The school budget grew 4%.",
			"(An earlier draft put the figure at 6%.)",
			"The board approved it unanimously.",
		},
	},
	{
		name: "abbreviation inside parentheses mid-sentence",
		in:   "The mayor (who took office in Jan. 2023) signed the order on Friday. It takes effect today.",
		want: []string{
			"The mayor (who took office in Jan. 2023) signed the order on Friday.",
			"It takes effect today.",
		},
	},

	// Paragraphs and line breaks.
	{
		name: "headline without final punctuation",
		in:   "Storm knocks out power to 40,000 homes\n\nHigh winds toppled trees across the county on Sunday. Crews worked through the night.",
		want: []string{
			"Storm knocks out power to 40,000 homes",
			"High winds toppled trees across the county on Sunday.",
			"Crews worked through the night.",
		},
		paras: []int{0, 1, 1},
	},
	{
		name: "wrapped lines inside a paragraph",
		in:   "The school board voted 5-2 to\nextend the contract of the\nsuperintendent. Parents who\nattended the meeting were divided.",
		want: []string{
			"The school board voted 5-2 to\nextend the contract of the\nsuperintendent.",
			"Parents who\nattended the meeting were divided.",
		},
		paras: []int{0, 0},
	},
	{
		name: "wrapped line without punctuation",
		in:   "Flooding closed Route 9\nFor most of the day drivers were detoured",
		want: []string{"Flooding closed Route 9\nFor most of the day drivers were detoured"},
	},
	{
		name:  "line break after a full stop",
		in:    "The levee held overnight.\nEngineers will inspect it at dawn.",
		want:  []string{"The levee held overnight.", "Engineers will inspect it at dawn."},
		paras: []int{0, 0},
	},
	{
		name: "multiple blank lines",
		in:   "The council adjourned at midnight.\n\n\n\n  \n\t\nThe next session is in May.",
		want: []string{
			"The council adjourned at midnight.",
			"The next session is in May.",
		},
		paras: []int{0, 1},
	},
	{
		name: "blank line holding a no-break space",
		in:   "Officials confirmed the closure.\u00a0\n\u00a0\nThe plant employs 300 people",
		want: []string{
			"Officials confirmed the closure.",
			"The plant employs 300 people",
		},
		paras: []int{0, 1},
	},
	{
		name:  "leading and trailing whitespace",
		in:    "\n\n   The council met on Monday. It adjourned early.  \t\n\n",
		want:  []string{"The council met on Monday.", "It adjourned early."},
		paras: []int{0, 0},
	},

	// Non-ASCII text.
	{
		name: "accented names",
		in:   "José Martínez, the mayor of Córdoba, resigned on Tuesday. Élodie Brun will serve as interim mayor. Ørsted’s wind farm was not affected.",
		want: []string{
			"José Martínez, the mayor of Córdoba, resigned on Tuesday.",
			"Élodie Brun will serve as interim mayor.",
			"Ørsted’s wind farm was not affected.",
		},
	},
	{
		name: "em dashes",
		in:   "The vote—the first in three decades—passed narrowly. Opponents vowed to sue — and did, within the hour.",
		want: []string{
			"The vote—the first in three decades—passed narrowly.",
			"Opponents vowed to sue — and did, within the hour.",
		},
	},
	{
		name: "Chinese and Arabic names",
		in:   "The trade talks in Beijing were brief. 王毅 later called them constructive. Aid trucks reached the border on Monday. محمد الأحمد, a doctor, said supplies were short.",
		want: []string{
			"The trade talks in Beijing were brief.",
			"王毅 later called them constructive.",
			"Aid trucks reached the border on Monday.",
			"محمد الأحمد, a doctor, said supplies were short.",
		},
	},

	// Latin abbreviations and state names.
	{
		name: "e.g. and i.e. mid-sentence",
		in:   "Some items, e.g. batteries and paint, need special disposal. Large venues, e.g. Memorial Stadium, must file safety plans. Others, i.e. paper and glass, go in the blue bin.",
		want: []string{
			"Some items, e.g. batteries and paint, need special disposal.",
			"Large venues, e.g. Memorial Stadium, must file safety plans.",
			"Others, i.e. paper and glass, go in the blue bin.",
		},
	},
	{
		name: "et al.",
		in:   "A study by Chen et al. found fewer infections among vaccinated adults. The paper was written by Ruiz et al. The journal published it on Monday.",
		want: []string{
			"A study by Chen et al. found fewer infections among vaccinated adults.",
			"The paper was written by Ruiz et al.",
			"The journal published it on Monday.",
		},
	},
	{
		name: "state abbreviations",
		in:   "Springfield, Ill., officials said the water main was repaired. The utility moved its offices to Austin, Tex. The move took two years.",
		want: []string{
			"Springfield, Ill., officials said the water main was repaired.",
			"The utility moved its offices to Austin, Tex.",
			"The move took two years.",
		},
	},
	{
		name: "court case names",
		in:   "The appeal cites Smith v. Jones and Doe vs. Board of Education. The final is Spain vs. Brazil. Kickoff is at 8 p.m. local time.",
		want: []string{
			"The appeal cites Smith v. Jones and Doe vs. Board of Education.",
			"The final is Spain vs. Brazil.",
			"Kickoff is at 8 p.m. local time.",
		},
	},

	// Other terminal punctuation.
	{
		name: "question and exclamation",
		in:   "Who pays for the repairs? The city says the landlord does. The crowd roared! Then the rain came. Can the city afford it?! Few think so.",
		want: []string{
			"Who pays for the repairs?",
			"The city says the landlord does.",
			"The crowd roared!",
			"Then the rain came.",
			"Can the city afford it?!",
			"Few think so.",
		},
	},
	{
		name: "sports report",
		in:   "The Tigers beat the Rovers 3-1 on Saturday. Their striker, No. 9 Ade Bello, scored twice. “We were lucky,” Bello said.",
		want: []string{
			"The Tigers beat the Rovers 3-1 on Saturday.",
			"Their striker, No. 9 Ade Bello, scored twice.",
			"“We were lucky,” Bello said.",
		},
	},
	// A blank line inside a sentence, as copy taken line by line from a web
	// page has it: the sentence goes on, in the same paragraph.
	{
		name:  "sentence broken by a blank line before a lower-case word",
		in:    "The ferry was due to sail at noon on Friday\n\nbut the storm kept it in port. Passengers waited.\n\nThe line apologised.",
		want:  []string{"The ferry was due to sail at noon on Friday\n\nbut the storm kept it in port.", "Passengers waited.", "The line apologised."},
		paras: []int{0, 0, 1},
	},
	{
		name:  "broken after a comma, twice",
		in:    "Asked about the fares,\n\nthe minister said they would rise\n\nin April.",
		want:  []string{"Asked about the fares,\n\nthe minister said they would rise\n\nin April."},
		paras: []int{0},
	},
	{
		name:  "a heading, a full stop or a colon ends the paragraph",
		in:    "Weather\n\nRain is likely.\n\nmore rain follows on Sunday. The forecast:\n\nwet.",
		want:  []string{"Weather", "Rain is likely.", "more rain follows on Sunday.", "The forecast:", "wet."},
		paras: []int{0, 1, 2, 2, 3},
	},
	{
		name:  "a closing quote ends the paragraph",
		in:    "“We will sail,” he said\n\n“tomorrow.”\n\nShe said ‘no’\n\nand left.",
		want:  []string{"“We will sail,” he said", "“tomorrow.”", "She said ‘no’", "and left."},
		paras: []int{0, 1, 2, 3},
	},
	{
		name:  "a name in lower case with a capital inside starts a paragraph",
		in:    "New phones on sale this week\n\niPhone sales rose by a tenth.",
		want:  []string{"New phones on sale this week", "iPhone sales rose by a tenth."},
		paras: []int{0, 1},
	},
	{
		name: "lower-case after a full stop does not split",
		in:   "The bill passed. iPhone sales, though, were not affected.",
		want: []string{"The bill passed. iPhone sales, though, were not affected."},
	},
}

func TestSegmentCases(t *testing.T) {
	if len(segmentCases) < 45 {
		t.Fatalf("only %d cases", len(segmentCases))
	}
	for _, tc := range segmentCases {
		t.Run(tc.name, func(t *testing.T) {
			got := Segment(tc.in)
			checkSegmentInvariants(t, tc.in, got)
			texts := make([]string, len(got))
			for i, s := range got {
				texts[i] = s.Text(tc.in)
			}
			if !equalStrings(texts, tc.want) {
				t.Errorf("Segment(%q):\n got %d: %q\nwant %d: %q", tc.in, len(texts), texts, len(tc.want), tc.want)
			}
			if tc.paras != nil {
				paras := make([]int, len(got))
				for i, s := range got {
					paras[i] = s.Para
				}
				if !equalInts(paras, tc.paras) {
					t.Errorf("paragraphs: got %v, want %v", paras, tc.paras)
				}
			}
		})
	}
}

// TestSegmentSeedArticle pins the segmentation of the seed article.
func TestSegmentSeedArticle(t *testing.T) {
	b, err := os.ReadFile("../seeds/000_d0f21df6df0c1ae4.txt")
	if err != nil {
		t.Fatal(err)
	}
	body := string(b)
	want := []Sentence{
		{0, 101, 0}, {105, 265, 1}, {266, 455, 1}, {459, 598, 2}, {599, 773, 2},
		{775, 925, 3}, {927, 1067, 4}, {1071, 1325, 5}, {1329, 1564, 6}, {1565, 1712, 6},
		{1716, 1865, 7}, {1866, 1946, 7}, {1948, 2405, 8}, {2407, 2615, 9},
	}
	got := Segment(body)
	checkSegmentInvariants(t, body, got)
	if len(got) != len(want) {
		for i, s := range got {
			t.Logf("%d: %+v %q", i, s, s.Text(body))
		}
		t.Fatalf("got %d sentences, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sentence %d: got %+v %q, want %+v %q", i, got[i], got[i].Text(body), want[i], want[i].Text(body))
		}
	}
	// Spot checks of the text, for the reader.
	for i, prefix := range map[int]string{
		3:  "“After rejecting repeated proposals",
		4:  "We made that clear to Qatar",
		8:  "Throughout his entire campaign",
		10: "The day after Trump’s victory was announced by U.S. media",
	} {
		if !strings.HasPrefix(got[i].Text(body), prefix) {
			t.Errorf("sentence %d = %q, want prefix %q", i, got[i].Text(body), prefix)
		}
	}
}

// checkSegmentInvariants checks what must hold for any body: sentences lie
// inside it, are non-empty, ordered and disjoint, carry no surrounding white
// space, never span a blank line that does not break a sentence in two
// (brokenSentence), start a new paragraph only after a blank line, and
// together hold every non-space character.
func checkSegmentInvariants(t *testing.T, body string, sents []Sentence) {
	t.Helper()
	prevEnd, prevPara := 0, 0
	for i, s := range sents {
		if s.Start < 0 || s.End > len(body) {
			t.Fatalf("sentence %d %+v outside body of %d bytes", i, s, len(body))
		}
		if s.Start >= s.End {
			t.Fatalf("sentence %d %+v: Start >= End", i, s)
		}
		if s.Start < prevEnd {
			t.Fatalf("sentence %d %+v overlaps or precedes the previous one (end %d)", i, s, prevEnd)
		}
		if s.Para < prevPara {
			t.Fatalf("sentence %d %+v: paragraph decreases from %d", i, s, prevPara)
		}
		text := s.Text(body)
		if r, _ := utf8.DecodeRuneInString(text); unicode.IsSpace(r) {
			t.Fatalf("sentence %d %q starts with white space", i, text)
		}
		if r, _ := utf8.DecodeLastRuneInString(text); unicode.IsSpace(r) {
			t.Fatalf("sentence %d %q ends with white space", i, text)
		}
		for at, from := blankLineAt(text), 0; at >= 0; at = blankLineAt(text[from:]) {
			at += from
			if !brokenSentence(text[:at], text[at:]) {
				t.Fatalf("sentence %d %q spans a blank line that does not break it", i, text)
			}
			from = at + 1
		}
		if gap := body[prevEnd:s.Start]; !isAllSpace(gap) {
			t.Fatalf("sentence %d %+v: text %q before it belongs to no sentence", i, s, gap)
		}
		if i > 0 && s.Para > prevPara && !hasBlankLine(body[prevEnd:s.Start]) {
			t.Fatalf("sentence %d %+v starts a paragraph without a blank line before it", i, s)
		}
		prevEnd, prevPara = s.End, s.Para
	}
	if rest := body[prevEnd:]; !isAllSpace(rest) {
		t.Fatalf("trailing text %q belongs to no sentence", rest)
	}
}

func isAllSpace(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

// hasBlankLine reports whether s holds two newlines with only white space
// between them.
func hasBlankLine(s string) bool { return blankLineAt(s) >= 0 }

// blankLineAt returns where the first blank line in s starts (its first
// newline), or -1 if there is none.
func blankLineAt(s string) int {
	nl := -1
	for i, r := range s {
		switch {
		case r == '\n':
			if nl >= 0 {
				return nl
			}
			nl = i
		case !unicode.IsSpace(r):
			nl = -1
		}
	}
	return -1
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func FuzzSegment(f *testing.F) {
	for _, tc := range segmentCases {
		f.Add(tc.in)
	}
	if b, err := os.ReadFile("../seeds/000_d0f21df6df0c1ae4.txt"); err == nil {
		f.Add(string(b))
	}
	f.Add(benchArticle)
	f.Fuzz(func(t *testing.T, body string) {
		checkSegmentInvariants(t, body, Segment(body))
	})
}

func BenchmarkSegment(b *testing.B) {
	body := benchArticle
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n += len(Segment(body))
	}
	if n == 0 {
		b.Fatal("no sentences")
	}
}

// benchArticle is a made-up local news story of about 600 words.
const benchArticle = `Riverside council approves $48.5 million flood plan after heated meeting

The Riverside City Council voted 6-3 late Tuesday to approve a $48.5 million flood protection plan, ending nearly two years of debate over how to shield the low-lying Eastgate district from the river that has overrun its banks three times since 2019.

The plan, drafted by the engineering firm Halvorsen & Pike Inc. and reviewed by the U.S. Army Corps of Engineers, calls for raising 2.3 miles of levee, rebuilding two pumping stations and buying out about 140 homes that sit below the 100-year flood line. Construction is expected to begin in the spring and take four years.

“This is the most important vote this council has taken in a generation,” Mayor Elena Dusek said before the roll call. “We cannot keep asking families in Eastgate to sandbag their front doors every April and hope for the best.”

Opponents said the price was too high and the buyouts too sweeping. Council member Frank Oyelaran, who represents part of the district, said many of his constituents had lived there for decades and did not want to leave. “Who decided that these neighborhoods are the ones that have to disappear?” he asked. Several residents in the packed chamber applauded.

The debate stretched past 11 p.m. Police were called briefly when a man refused to yield the microphone after his three minutes had expired. No one was arrested.

Under the plan, homeowners who accept a buyout will receive the assessed value of their property plus 15%, along with up to $25,000 in moving costs. Participation is voluntary for now. City Manager Rosa Delgado said the city could use eminent domain as a last resort but hoped it would not come to that.

Funding will come from a mix of sources: about 60% from federal grants, 25% from a state resilience fund and the remainder from a bond measure that voters approved in Nov. 2022. Moody’s and S&P Global have both said the added debt will not affect the city’s credit rating, according to a memo from the finance department.

Dr. Aisha Rahman, a hydrologist at Lakeshore University who studied the river for the county, said the levee improvements alone would cut the risk of a major flood by roughly half. The buyouts, she said, would do the rest. “You can build walls higher and higher, but water always finds a way,” she said. “Moving people out of harm’s way is the only permanent fix.”

Business owners along Mill Street were split. Tomás Reyes, who runs a hardware store that flooded in 2021, said he welcomed the plan. Others worried that construction would scare off customers for years. The local chamber of commerce asked the city to offer low-interest loans to affected shops, and Dusek said staff would study the idea.

The vote came a week after Gov. Mark Ellison toured the area and promised state support. A spokeswoman for the governor said Wednesday that he was pleased with the outcome and that the state would release its share of the money by Sept. 30.

Insurance agents in the district said flood premiums had nearly tripled since 2020. Some families have dropped coverage altogether. Linda Park, 67, who has lived on Cedar Lane since 1983, said she could no longer afford it. “I pay my taxes and I keep my yard nice,” she said. “What else am I supposed to do?”

The council will hold a public workshop on the buyout program at 6 p.m. Thursday at the Eastgate Community Center, 410 Water St. Residents can also submit questions online.

Oyelaran said he would keep pushing for changes. “This fight is not over,” he said. “It is just moving to a new room.”
`
