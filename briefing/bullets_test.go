package briefing

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBulletPhenomena briefs the passages of testdata/bullets, one txtar
// file per phenomenon of what a bullet may show: each NAME.txt, a passage
// (its first line the headline), is checked against NAME.want, one
// assertion a line in the language of TestBriefingArticles ("bullet: TEXT
// | SPEAKER", "no text: TEXT", ...). Every briefing must also keep the
// rules every briefing keeps (see checkBriefing).
func TestBulletPhenomena(t *testing.T) {
	files, err := filepath.Glob("testdata/bullets/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases in testdata/bullets: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		archive := parseTxtar(string(data))
		byName := map[string]string{}
		for _, af := range archive {
			byName[af.name] = af.data
		}
		for _, af := range archive {
			base, ok := strings.CutSuffix(af.name, ".txt")
			if !ok {
				continue
			}
			want, ok := byName[base+".want"]
			if !ok {
				t.Errorf("%s: %s has no %s.want", f, af.name, base)
				continue
			}
			t.Run(strings.TrimSuffix(filepath.Base(f), ".txtar")+"/"+base, func(t *testing.T) {
				a, err := Parse(af.name, []byte(af.data))
				if err != nil {
					t.Fatal(err)
				}
				b := Analyze(a, Options{}).Briefing
				checkBriefing(t, a, b, Options{})
				for line := range strings.Lines(want) {
					line = strings.TrimSpace(line)
					if line == "" || strings.HasPrefix(line, "#") {
						continue
					}
					if msg := checkWantLine(b, line); msg != "" {
						t.Error(msg)
					}
				}
				if t.Failed() {
					t.Logf("briefing:\n%s", Text(b))
				}
			})
		}
	}
}
