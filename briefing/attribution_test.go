package briefing

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// goldClaim is one expected claim of the blind gold data in testdata: the
// cases and the evaluation articles were written without looking at the
// extractor, so that it is judged on text it was not tuned on.
type goldClaim struct {
	Name        string   `json:"name"`
	Text        string   `json:"text"`
	Claim       string   `json:"claim"`
	Speaker     string   `json:"speaker"`
	AltSpeakers []string `json:"alt_speakers"`
	Kind        Kind     `json:"kind"`
	Verb        string   `json:"verb"`
	Via         string   `json:"via"`
	Anonymous   bool     `json:"anonymous"`
	Role        string   `json:"role"`
}

func readGold(t testing.TB, path string) []goldClaim {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g []goldClaim
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return g
}

// claimAt returns the claim that carries the words at body offset off: the
// narrowest claim whose span holds them, else a claim of that sentence.
// ok is false when no claim covers them.
func claimAt(body string, claims []Claim, off int) (Claim, bool) {
	best := -1
	for i, c := range claims {
		if c.Start <= off && off < c.End && (best < 0 || c.End-c.Start < claims[best].End-claims[best].Start) {
			best = i
		}
	}
	if best >= 0 {
		return claims[best], true
	}
	si := -1
	for i, s := range Segment(body) {
		if s.Start <= off && off < s.End {
			si = i
		}
	}
	for _, c := range claims {
		if c.Sentence == si {
			return c, true
		}
	}
	return Claim{}, false
}

func normSpeaker(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"the ", "a ", "an "} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.NewReplacer("’", "'").Replace(s)
}

// judge compares a found claim with the gold one and returns what is wrong
// with the speaker and kind, which decide whether an attribution is right.
func judge(g goldClaim, c Claim, found bool) string {
	if !found {
		if g.Kind == Unattributed {
			return ""
		}
		return "no claim found"
	}
	if g.Kind == Unattributed {
		if c.Kind != Unattributed {
			return fmt.Sprintf("false speaker: got %s claim by %q", c.Kind, c.Speaker)
		}
		return ""
	}
	var errs []string
	if c.Kind != g.Kind {
		errs = append(errs, fmt.Sprintf("kind %s, want %s", c.Kind, g.Kind))
	}
	ok := normSpeaker(c.Speaker) == normSpeaker(g.Speaker)
	for _, alt := range g.AltSpeakers {
		ok = ok || normSpeaker(c.Speaker) == normSpeaker(alt)
	}
	if !ok {
		errs = append(errs, fmt.Sprintf("speaker %q, want %q", c.Speaker, g.Speaker))
	}
	return strings.Join(errs, "; ")
}

// judgeDetails checks the finer fields the gold gives: via, anonymity, role.
func judgeDetails(g goldClaim, c Claim) string {
	if g.Kind == Unattributed {
		return ""
	}
	var errs []string
	if g.Via != "" && !strings.EqualFold(lastWords(c.Via, g.Via), g.Via) {
		errs = append(errs, fmt.Sprintf("via %q, want %q", c.Via, g.Via))
	}
	if g.Anonymous != c.Anonymous {
		errs = append(errs, fmt.Sprintf("anonymous %v, want %v", c.Anonymous, g.Anonymous))
	}
	if g.Role != "" && !strings.EqualFold(normSpeaker(c.SpeakerRole), normSpeaker(g.Role)) {
		errs = append(errs, fmt.Sprintf("role %q, want %q", c.SpeakerRole, g.Role))
	}
	return strings.Join(errs, "; ")
}

// lastWords returns the end of got with as many words as want has, so that
// "a court filing" matches "court filing".
func lastWords(got, want string) string {
	g := strings.Fields(got)
	n := len(strings.Fields(want))
	if len(g) > n {
		g = g[len(g)-n:]
	}
	return strings.Join(g, " ")
}

// TestAttributionCases runs the single-passage gold cases: each must get
// its speaker and kind right.
func TestAttributionCases(t *testing.T) {
	cases := readGold(t, "testdata/attribution_cases.json")
	if len(cases) < 60 {
		t.Fatalf("only %d cases", len(cases))
	}
	details := 0
	for _, g := range cases {
		t.Run(g.Name, func(t *testing.T) {
			off := strings.Index(g.Text, g.Claim)
			if off < 0 {
				t.Fatalf("gold claim %q not in text", g.Claim)
			}
			claims := Extract(g.Text)
			checkClaimInvariants(t, g.Text, claims)
			c, found := claimAt(g.Text, claims, off)
			if msg := judge(g, c, found); msg != "" {
				t.Errorf("%s\ntext: %s", msg, g.Text)
			}
			if msg := judgeDetails(g, c); msg != "" {
				details++
				t.Logf("detail: %s", msg)
			}
		})
	}
	t.Logf("%d cases, %d with a detail (via, anonymity, role) differing", len(cases), details)
}

// TestAttributionEval scores the extractor on whole articles it was not
// tuned on (the holdout set was not looked at while writing it) and
// requires at least 85% of claims attributed right, on each set.
func TestAttributionEval(t *testing.T) {
	for _, set := range []string{"dev", "holdout"} {
		files, _ := filepath.Glob(filepath.Join("testdata/eval", set, "*.txt"))
		sort.Strings(files)
		if len(files) == 0 {
			t.Fatalf("no articles in %s", set)
		}
		var total, right, falseSpeakers, attributedGold, details int
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			a, err := Parse(filepath.Base(f), data)
			if err != nil {
				t.Fatal(err)
			}
			claims := Analyze(a, Options{}).Claims
			checkClaimInvariants(t, a.Body, claims)
			for _, g := range readGold(t, strings.TrimSuffix(f, ".txt")+".gold.json") {
				off := strings.Index(a.Body, g.Claim)
				if off < 0 {
					t.Fatalf("%s: gold claim %q not in body", f, g.Claim)
				}
				c, found := claimAt(a.Body, claims, off)
				total++
				if g.Kind != Unattributed {
					attributedGold++
				}
				msg := judge(g, c, found)
				if msg == "" {
					right++
					if judgeDetails(g, c) != "" {
						details++
					}
					continue
				}
				if strings.HasPrefix(msg, "false speaker") {
					falseSpeakers++
				}
				if testing.Verbose() {
					t.Logf("%s/%s: %q: %s", set, filepath.Base(f), g.Claim, msg)
				}
			}
		}
		acc := float64(right) / float64(total)
		t.Logf("%s: %d articles, %d gold claims (%d attributed): %.1f%% right, %d false speakers, %d right with a differing via/anonymity/role",
			set, len(files), total, attributedGold, 100*acc, falseSpeakers, details)
		if acc < 0.85 {
			t.Errorf("%s: accuracy %.1f%%, want at least 85%%", set, 100*acc)
		}
	}
}
