package briefing

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUpperAlready holds upperAlready to what storyTerms asked before it,
// strings.ToUpper(w) == w, on the words where the two could part: an
// invalid byte (which ToUpper writes as U+FFFD), title-case and special
// letters, non-Latin scripts.
func TestUpperAlready(t *testing.T) {
	for _, w := range []string{"", "ABC", "AbC", "NATO", "Nato", "ABC\xff", "A\uFFFDB", "ǅ", "Ǆ", "ß", "ﬁ", "İSTANBUL", "ÉCOLE", "École", "U.S.", "3D", "ΣΟΦΙΑ", "Σοφια", "\u0345"} {
		if got, want := upperAlready(w), strings.ToUpper(w) == w; got != want {
			t.Errorf("upperAlready(%q) = %v, want %v (as strings.ToUpper)", w, got, want)
		}
	}
}

var update = flag.Bool("update", false, "rewrite the golden files")

// TestStoryTermsGolden pins the terms and weights (their bits) the story
// grouper compares of eight articles of testdata/stories, so that a change
// of storyTerms meant to be a refactoring is seen to be one. After a change
// meant to change them: go test ./briefing -run TestStoryTermsGolden -update
func TestStoryTermsGolden(t *testing.T) {
	paths, err := filepath.Glob("testdata/stories/*.txt")
	if err != nil || len(paths) < 8 {
		t.Fatalf("stories: %v, %d", err, len(paths))
	}
	var b strings.Builder
	for _, p := range paths[:8] {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		a, err := Parse(filepath.Base(p), data)
		if err != nil {
			t.Fatal(err)
		}
		for _, tm := range storyTerms(Analyze(a, Options{})) {
			fmt.Fprintf(&b, "%s %q %#x\n", a.Name, tm.key, math.Float64bits(tm.w))
		}
	}
	const golden = "testdata/storyterms.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Fatalf("line %d: got %s, want %s (and maybe more; -update rewrites %s)", i+1, gl[i], wl[i], golden)
			}
		}
		t.Fatalf("got %d lines, want %d", len(gl), len(wl))
	}
}
