package briefing

import "testing"

// TestClauseEnd covers where a long attributed claim is cut for a bullet:
// after its last clause within bulletClauseWords words, never inside
// quotation marks, at a comma closing a relative clause, after a word that
// leaves the clause hanging, or before a word that joins words as often as
// clauses.
func TestClauseEnd(t *testing.T) {
	cases := []struct {
		text, want string // want "" for no cut
	}{
		{"The bridge will remain closed for at least six weeks while engineers inspect it", ""},
		{"The company would spend $150 million over three years to modernize its two largest plants, in Ohio and Indiana",
			"The company would spend $150 million over three years to modernize its two largest plants"},
		{"The reefs that recovered best were those with large populations of parrotfish, which graze on algae that would otherwise smother young corals",
			"The reefs that recovered best were those with large populations of parrotfish"},
		// The comma closes a relative clause: the main verb follows.
		{"The bridge, which carries about 18,000 vehicles a day across the Mill River, will remain closed for at least six weeks", ""},
		{"Labour had left a system where a single mum, working 15 hours a week, would lose most of what she earned to the taxman",
			""},
		{"Maple Grove, which opened in 1958, needs a new roof and boiler that would cost about $5 million, the report said",
			"Maple Grove, which opened in 1958, needs a new roof"},
		// Not inside single quotation marks.
		{"Instagram responded to the troll that he 'might want to get your facts straight, because we never said that' on Monday", ""},
		// Not after a word that leaves the clause hanging.
		{"He would show jurors the minutes of 14 board meetings at which the consulting payments were listed on the agenda", ""},
		// Not before "as": "as much as".
		{"The council said the repairs would cost the city about twice as much as the new roof of the town hall did", ""},
		// Too early: fewer than minClauseWords words before the comma.
		{"Jan Holm, the mayor, said the city would offer free parking downtown during the closure of the old bridge", ""},
		// Before "and" or "but", a clause may end.
		{"The Eastgate Merchants Association called for the city to offer rent relief and free parking downtown during the closure",
			"The Eastgate Merchants Association called for the city to offer rent relief"},
	}
	for _, c := range cases {
		got := ""
		if k, ok := clauseEnd(c.text, minClauseWords, bulletClauseWords); ok {
			got = c.text[:k]
		}
		if got != c.want {
			t.Errorf("clauseEnd(%q)\n got %q\nwant %q", c.text, got, c.want)
		}
	}
}
