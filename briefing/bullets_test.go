package briefing

import (
	"testing"
)

// TestBulletPhenomena briefs the passages of testdata/bullets, one txtar
// file per phenomenon of what a bullet may show: each NAME.txt, a passage
// (its first line the headline), is checked against NAME.want, one
// assertion a line in the language of TestBriefingArticles ("bullet: TEXT
// | SPEAKER", "no text: TEXT", ...). Every briefing must also keep the
// rules every briefing keeps (see checkBriefing).
func TestBulletPhenomena(t *testing.T) {
	forTxtarCases(t, "testdata/bullets", func(t *testing.T, name, passage, want string) {
		a, err := Parse(name, []byte(passage))
		if err != nil {
			t.Fatal(err)
		}
		checkBriefingWants(t, a, want)
	})
}
