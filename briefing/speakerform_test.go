package briefing

import "testing"

// TestSpeakerAsWritten: a bullet names a common-noun speaker with the
// article's determiner, and a capital that only opened a sentence goes.
func TestSpeakerAsWritten(t *testing.T) {
	tests := []struct{ body, want string }{
		{"A poll by the Courier found that the toll is unpopular.", "a poll by the Courier"},
		{"The order says that the shelter must close by June.", "the order"},
		{"The toll is unpopular, according to the survey.", "according to the survey"},
		{"Fares will rise in June, according to a new survey.", "according to a new survey"},
		{"A Tory MP claimed the budget had been cut twice.", "claimed by a Tory MP"},
		{"An Irish nurse said the ward had been short of staff for months.", "an Irish nurse"},
		// Introduced with "a", then come back to: "the".
		{"A study of 400 schools was published on Monday. The study also found that pupils slept less.", "the study of 400 schools"},
		// A name, a plural or a possessive keeps the article's wording.
		{"Officials said the road would reopen on Friday.", "officials"},
		{"Court documents show that the firm paid the fine.", "court documents"},
		{"Reuters said the talks had stalled over the weekend.", "Reuters"},
		{"Republicans said the bill would pass by a wide margin.", "Republicans"},
		// The outlet the article calls "the Telegraph".
		{"The strike will go ahead on Monday, the Telegraph reported.", "the Telegraph"},
	}
	for _, tt := range tests {
		a := &Article{Body: tt.body}
		sents := Segment(a.Body)
		var got string
		for _, c := range extract(a.Body, sents) {
			if c.Attributed() && c.Speaker != "" {
				shown := c
				shown.Speaker = speakerAsWritten(a.Body, func() []Sentence { return sents }, c)
				got = Attribution(shown)
				break
			}
		}
		if got != tt.want {
			t.Errorf("%q:\n\tgot  %q\n\twant %q", tt.body, got, tt.want)
		}
	}
}

func TestRoleAsWritten(t *testing.T) {
	tests := []struct{ body, role, want string }{
		{"Chief executive Jane Roe said the bank would cut 300 jobs.", "Chief executive", "chief executive"},
		{"Deputy finance minister Ana Lima said the loan would be paid.", "Deputy finance minister", "deputy finance minister"},
		// Titles, acronyms, names and parties keep their capitals.
		{"Prime Minister Jon Hale said the vote would be held in May.", "Prime Minister", "Prime Minister"},
		{"President Mia Ortiz said the treaty was signed.", "President", "President"},
		{"CEO Jane Roe said the bank would cut 300 jobs.", "CEO", "CEO"},
		{"Republican candidate Ed Moss said he would win. A Republican aide agreed.", "Republican candidate", "Republican candidate"},
		{"Crown prosecutor Vic Lowe said the case was strong.", "Crown prosecutor", "Crown prosecutor"},
		{"Shadow Health Secretary Ann Bay said the plan would fail.", "Shadow Health Secretary", "Shadow Health Secretary"},
		// Abbreviated titles in full after a name, and no role that is none.
		{"Sen. Ed Moss said he would vote against the bill.", "Sen.", "senator"},
		{"A&E consultant Raj Patel said the ward was full.", "E consultant", ""},
		{"A defiant Ed Moss said he would not resign.", "defiant", ""},
		{"The man, Ed Moss, said he saw the crash.", "man", ""},
		{"Seventy-two percent said he could win, the poll found.", "Seventy-two percent", ""},
	}
	for _, tt := range tests {
		if got := roleAsWritten(tt.body, tt.role); got != tt.want {
			t.Errorf("%q in %q: got %q, want %q", tt.role, tt.body, got, tt.want)
		}
	}
}

// TestRunIn: a caption glued to the sentence after it is no statement.
func TestRunIn(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"Mourners outside the hall during the minute's silence The ceremony began at dawn.", true},
		{"The pair split in 2009 In February they were seen together again.", true},
		{"He said the deal was 'not fair' But the board approved it.", true},
		{"The story was first reported by The Times on Monday.", false},
		{"She called it 'the best day of my life.' The crowd cheered.", false},
		{"The mayor said the road would reopen in June.", false},
		{"Jo Hale will be named coach of Harlow Town on Friday ‘I’d love to stay on here’", true},
		{"Her campaign slogan is “I’m with her” this spring.", false},
		{"Fans were chanting \"We are Harlow\" outside the ground.", false},
	}
	for _, tt := range tests {
		if got := runIn(tt.text); got != tt.want {
			t.Errorf("runIn(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestSingleQuotesPaired(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"'We were lucky,' he added.", true},
		{"The boys' mothers don't want an apology about the '90s.", true},
		{"She wore the number '3' on her back.", true},
		{"It was Jr.'s idea and ISIS’ leader denied it.", true},
		{"Donald Trump‘s attack on the judge was condemned.", true},
		{"Fans called it ‘the match of the season’ after the final whistle.", true},
		// Dangling: an opening mark that never closes, a closing one that never opened.
		{"Low taxes ‘go to the heart of what I believe", false},
		{"It was a great learning experience but very tough,' said the champion.", false},
		{"The accompanying message: 'Lines waiting for some food", false},
	}
	for _, tt := range tests {
		if got := singleQuotesPaired(tt.text); got != tt.want {
			t.Errorf("singleQuotesPaired(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}
