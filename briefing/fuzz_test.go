package briefing

import (
	"os"
	"testing"
	"unicode/utf8"
)

// FuzzExtract checks that the extractor never panics and that every claim
// it returns points inside the body, with verbatim text exactly the body's.
func FuzzExtract(f *testing.F) {
	for _, name := range []string{"../seeds/000_d0f21df6df0c1ae4.txt", "testdata/bench_bridge.txt"} {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(string(data))
		}
	}
	f.Add(`"First part," she said, "second part." He added: "Third."`)
	f.Add("According to officials, the plan failed, the mayor said.\n\n“Open quote never closes\n\n“Second paragraph,” he said.")
	f.Add(`”, said Smith, the engineer, who, said, "" " ,"`)
	f.Add("Budget Fight\nLena Ortiz said 'it''s done,' ``quote'' and « non » „ja“ WASHINGTON (AP) — 46 percent said.")
	f.Add("'We were lucky,' Sgt Alan Price added.\n\n'Another hour,\n\n'and the tide' said the boys' mothers, rock 'n' roll.")
	f.Fuzz(func(t *testing.T, body string) {
		if !utf8.ValidString(body) {
			return
		}
		sents := Segment(body)
		claims := extract(body, sents)
		checkClaimInvariants(t, body, claims)
		a := &Article{Body: body, Title: "Fuzz"}
		brief(a, sents, claims, Options{})
	})
}
