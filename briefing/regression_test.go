package briefing

import (
	"strings"
	"testing"
)

// Shapes found wrong while reading the extractor's output on new text,
// kept so they stay right. Each passage was written for this test.
func TestAttributionRegressions(t *testing.T) {
	tests := []struct {
		text, claim, speaker string
		kind                 Kind
		via                  string
	}{
		// Details after the verb of a quote's attribution.
		{`"We will appeal this verdict," Kowalski told reporters outside the courthouse.`, "We will appeal", "Kowalski", Direct, "reporters"},
		{`"The fire started in the kitchen," Chief Dana Ruiz said at the scene on Monday.`, "fire started", "Dana Ruiz", Direct, ""},
		{`Prices will keep rising through the spring, the bank's chief economist said in a note to clients.`, "Prices will keep", "bank's chief economist", Indirect, "note"},
		// A listener followed by a clause without "that".
		{`Superintendent Greg Halvorsen told the board the district faces a $6 million shortfall.`, "district faces", "Greg Halvorsen", Indirect, ""},
		// A participle after a demonstrative "that".
		{`Union president Mark Ellison disputed that, saying at least six positions would be cut.`, "six positions", "Mark Ellison", Indirect, ""},
		// A participial modifier inside the subject.
		{`A report commissioned by the district last year estimated repairs at $9 million.`, "repairs at", "report", Indirect, ""},
		// An organization name with an ampersand, as a group's place.
		{`Analysts at Carver & Lowe wrote in a research note that the cut was larger than expected.`, "larger than expected", "Analysts at Carver & Lowe", Indirect, "research note"},
		// "called X “Y”": the clause is a paraphrase, the quoted words his.
		{`Coach Lars Nyberg called the win "the best ninety minutes of our season."`, "called the win", "Lars Nyberg", Indirect, ""},
		{`Coach Lars Nyberg called the win "the best ninety minutes of our season."`, "the best ninety minutes", "Lars Nyberg", Direct, ""},
		// Not attributions.
		{`The state's education department declined to comment.`, "declined to comment", "", Unattributed, ""},
		{`Judge Lorraine Okoye scheduled sentencing for March 3.`, "scheduled sentencing", "", Unattributed, ""},
	}
	for _, tt := range tests {
		claims := Extract(tt.text)
		checkClaimInvariants(t, tt.text, claims)
		c, found := claimAt(tt.text, claims, strings.Index(tt.text, tt.claim))
		if !found || c.Speaker != tt.speaker || c.Kind != tt.kind || c.Via != tt.via {
			t.Errorf("%s\n got speaker %q kind %s via %q (text %q)\nwant speaker %q kind %s via %q",
				tt.text, c.Speaker, c.Kind, c.Via, c.Text, tt.speaker, tt.kind, tt.via)
		}
	}
}
