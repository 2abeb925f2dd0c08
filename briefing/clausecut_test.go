package briefing

import "testing"

// TestClauseEnd covers where a long attributed claim is cut for a bullet:
// only where what is kept is a complete main clause, with a subject and a
// finite verb of its own, ending before a non-restrictive relative, a
// temporal or causal clause, a participial add-on or a coordinated clause;
// never inside a relative, wh- or subordinate clause, a list, quotation
// marks or a dash aside, after a word that leaves it hanging, or when the
// words dropped hold a condition or a contrast. A doubtful cut is no cut.
func TestClauseEnd(t *testing.T) {
	cases := []struct {
		text, want string // want "" for no cut
	}{
		{"The bridge will remain closed for at least six weeks while engineers inspect it", ""},
		// Allowed: before a non-restrictive relative.
		{"The council approved the new budget on Tuesday night, which raises spending on roads by about a tenth",
			"The council approved the new budget on Tuesday night"},
		// Allowed: before a temporal clause after a comma.
		{"The city closed the old bridge to all traffic on Monday morning, after engineers found cracks in two of its piers",
			"The city closed the old bridge to all traffic on Monday morning"},
		// Allowed: before a participial add-on.
		{"The union rejected the latest pay offer from the hospital trust, saying it fell short of inflation for a third year",
			"The union rejected the latest pay offer from the hospital trust"},
		// Allowed: before "and" that starts a clause with its own subject and verb.
		{"The couple met at a ferry terminal in 2009 and they moved to a small farm two summers later in Maine",
			"The couple met at a ferry terminal in 2009"},
		// A relative set off by commas and closed again: the main verb follows.
		{"The bridge, which carries about 18,000 vehicles a day, will close for six weeks, while engineers replace its deck",
			"The bridge, which carries about 18,000 vehicles a day, will close for six weeks"},
		// Ending on "after" and a comma: the cut comes before the comma.
		{"The driver has admitted to speeding and running two red lights, after which officers say he drove off into the night",
			"The driver has admitted to speeding and running two red lights"},
		// Not before "and" joining nouns or verbs: not a new clause.
		{"The Eastgate Merchants Association called for the city to offer rent relief and free parking downtown during the closure",
			""},
		{"Maple Grove, which opened in 1958, needs a new roof and boiler that would cost about $5 million, the report said",
			""},
		// Not before a prepositional phrase: it is no clause of its own.
		{"The company would spend $150 million over three years to modernize its two largest plants, in Ohio and Indiana", ""},
		// The comma closes a relative clause: the main verb follows.
		{"The bridge, which carries about 18,000 vehicles a day across the Mill River, will remain closed for at least six weeks", ""},
		// Inside a relative clause opened by "where", "that" or "who".
		{"Labour had left a system where a single mum, working 15 hours a week, would lose most of what she earned to the taxman",
			""},
		{"The reefs that recovered best were those with large populations of parrotfish, which graze on algae that would otherwise smother young corals",
			""},
		// No main verb of its own: the only verb is in a relative clause.
		{"A striker who has also been watched by three Premier League clubs, according to reports in Spain this week", ""},
		{"Flats along the harbour front – which offer views of the bay, a marina, a park and two beaches, after the works", ""},
		// No verb at all.
		{"Nearly £80,000 in travel claims and office costs over the three years, after the councillor first took office", ""},
		// Inside a wh- clause: "to explain why the players…", "what she…".
		{"The coach could find no reason to explain why the players, after leading for an hour, lost their nerve late on", ""},
		{"Her father once believed the illness would limit what she could do, which changed when she started school", ""},
		// Inside a list.
		{"The tenant was known for shouting at night, slamming doors, leaving rubbish in the hallway and parking across the drive",
			""},
		// Inside a dash aside.
		{"The mayor – who took office in a special election last spring, after a recount – will seek a full term", ""},
		// Inside double or single quotation marks.
		{"The director called the film \"a love letter to the city, which raised me\" in an interview on Sunday", ""},
		{"Instagram responded to the troll that he 'might want to get your facts straight, because we never said that' on Monday", ""},
		// The words dropped hold a condition or a contrast.
		{"The minister would step down from the cabinet at the end of the month, leaving the party without a leader, unless the budget passes",
			""},
		{"The clinic said the new vaccine protects most adults over sixty, which pleased doctors, but only after a second dose",
			""},
		{"The minister would step down from the cabinet at the end of the month, after the vote, only if the budget fails",
			""},
		// Not after a word that leaves the clause hanging.
		{"He would show jurors the minutes of 14 board meetings at which the consulting payments were listed on the agenda", ""},
		// Not before "as": "as much as".
		{"The council said the repairs would cost the city about twice as much as the new roof of the town hall did", ""},
		// Too early: fewer than minClauseWords words before the comma.
		{"Jan Holm, the mayor, said the city would offer free parking downtown during the closure of the old bridge", ""},
		// A subordinate clause first: no main clause before the cut.
		{"After the storm passed through the valley on Sunday, residents returned to their homes, which had no power", ""},
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
