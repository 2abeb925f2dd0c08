package main

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// storySample is a small set for the stories contract: a fire told by four
// outlets and a follow-up (a discrepancy in the dead, a denial), a
// takeover bid (a press release, a rejection, a discrepancy in the price)
// and another fire in the same port (a distractor).
func storySample(t *testing.T) []string {
	t.Helper()
	var paths []string
	for _, pat := range []string{"e05_*", "e06_*", "e15_*"} {
		m, err := filepath.Glob(filepath.Join("briefing", "testdata", "stories", pat))
		if err != nil || len(m) == 0 {
			t.Fatalf("glob %s: %v", pat, err)
		}
		paths = append(paths, m...)
	}
	return paths
}

// The stories of the sample, byte for byte, as JSON and as text.
func TestStoriesGolden(t *testing.T) {
	paths := storySample(t)
	out, errOut, code := runCmd(t, nil, append([]string{"stories", "--json"}, paths...)...)
	if code != 0 || errOut != "" {
		t.Fatalf("stories --json: exit %d, stderr %q", code, errOut)
	}
	golden(t, "stories.jsonl", out)
	out, errOut, code = runCmd(t, nil, append([]string{"stories"}, paths...)...)
	if code != 0 || errOut != "" {
		t.Fatalf("stories: exit %d, stderr %q", code, errOut)
	}
	golden(t, "stories.text", out)
}

// The stories --json line format is a contract: check its fields and that
// every span points into its article.
func TestStoriesJSONContract(t *testing.T) {
	paths := storySample(t)
	out, _, code := runCmd(t, nil, append([]string{"stories", "--json"}, paths...)...)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d stories, want 3 (the warehouse fire, the takeover bid, the restaurant fire)", len(lines))
	}
	keys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	wantKeys := map[string][]string{
		"story":       {"articles", "claims", "discrepancies", "disputes", "headline", "id", "lead", "lead_outlets"},
		"article":     {"file", "id", "outlet", "published", "url"},
		"claim":       {"articles", "bullet", "kind", "outlets", "single_outlet", "speaker", "text", "verbatim"},
		"dispute":     {"articles", "by", "claim", "claim_text", "denied_that", "line", "outlets", "verbatim", "words"},
		"discrepancy": {"line", "values", "what"},
		"value":       {"articles", "number", "outlets", "value"},
		"span":        {"article", "claim", "end", "file", "start"},
	}
	check := func(kind string, m map[string]any) {
		t.Helper()
		if got := keys(m); !slices.Equal(got, wantKeys[kind]) {
			t.Errorf("%s fields %v, want %v", kind, got, wantKeys[kind])
		}
	}
	var disputes, discrepancies int
	for _, l := range lines {
		var s map[string]any
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatalf("bad JSON line %q: %v", l, err)
		}
		check("story", s)
		arts := s["articles"].([]any)
		files := map[string]bool{}
		for _, a := range arts {
			check("article", a.(map[string]any))
			files[a.(map[string]any)["file"].(string)] = true
		}
		spans := func(x map[string]any) {
			for _, sp := range x["articles"].([]any) {
				m := sp.(map[string]any)
				check("span", m)
				if i := int(m["article"].(float64)); i < 0 || i >= len(arts) || !files[m["file"].(string)] {
					t.Errorf("span outside the story's articles: %v", m)
				}
				if m["start"].(float64) >= m["end"].(float64) {
					t.Errorf("empty span: %v", m)
				}
			}
		}
		claims := s["claims"].([]any)
		for _, c := range claims {
			check("claim", c.(map[string]any))
			spans(c.(map[string]any))
		}
		for _, d := range s["disputes"].([]any) {
			disputes++
			m := d.(map[string]any)
			check("dispute", m)
			spans(m)
			if i := int(m["claim"].(float64)); i < 0 || i >= len(claims) || claims[i].(map[string]any)["text"] != m["claim_text"] {
				t.Errorf("dispute of claim %d: %v", i, m)
			}
		}
		for _, d := range s["discrepancies"].([]any) {
			discrepancies++
			m := d.(map[string]any)
			check("discrepancy", m)
			for _, v := range m["values"].([]any) {
				check("value", v.(map[string]any))
				spans(v.(map[string]any))
			}
		}
	}
	if disputes < 2 || discrepancies < 2 {
		t.Errorf("%d disputes and %d discrepancies, want at least 2 of each (the fire's exits, the bid's price; the dead, the price)", disputes, discrepancies)
	}
}
