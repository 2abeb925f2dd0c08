package briefing

import (
	"strings"
	"testing"
)

// TestOpensStatement checks where a lead's claim may start to be shown as a
// bullet: at the start of its sentence, after "that", or after its verb
// only with a clause of its own.
func TestOpensStatement(t *testing.T) {
	cases := []struct {
		sentence, claim string
		want            bool
	}{
		{"The ferry will stop running in May, the operator said.", "The ferry will stop running in May", true},
		{"The mayor said that the ferry would stop running in May.", "the ferry would stop running in May", true},
		{"Coach Ada Lind has revealed Sam Otto will miss the final on Sunday.", "Sam Otto will miss the final on Sunday", true},
		{"It revealed deep flaws in the systems that are meant to keep patients safe.", "deep flaws in the systems that are meant to keep patients safe", false},
		{"The group claimed responsibility for two attacks that killed nine people.", "responsibility for two attacks that killed nine people", false},
	}
	for _, tc := range cases {
		body := "A first sentence.\n\n" + tc.sentence
		s := Sentence{Start: len("A first sentence.\n\n"), End: len(body), Para: 1}
		start := strings.Index(body, tc.claim)
		c := Claim{Text: tc.claim, Start: start, End: start + len(tc.claim), Kind: Indirect}
		if got := opensStatement(body, s, c); got != tc.want {
			t.Errorf("opensStatement(%q, %q) = %v, want %v", tc.sentence, tc.claim, got, tc.want)
		}
	}
}
