package briefing

import "testing"

// TestAsideText: a writer's aside after a cue is no one's claim; a
// paraphrase that merely contains the words is.
func TestAsideText(t *testing.T) {
	for text, want := range map[string]bool{
		"apparently referring to the animals":          true,
		"referring to the cats in the back room":       true,
		"the dogs were apparently referring to nobody": false,
		"the shelter was full":                         false,
	} {
		if got := asideText(text); got != want {
			t.Errorf("asideText(%q) = %v, want %v", text, got, want)
		}
	}
}
