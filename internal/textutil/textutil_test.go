package textutil

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestClip(t *testing.T) {
	for _, c := range []struct {
		s     string
		limit int
		m     Measure
		want  string
	}{
		{"one two three four", 12, UTF16, "one two…"},
		{"one two three four", 14, Runes, "one two three…"}, // the word ends where the room does
		{"short", 12, UTF16, "short"},
		{"abcdefghijklmnop", 5, UTF16, "abcd…"},
		{"a bcdefghijklmnop", 8, Runes, "a bcdef…"}, // the only space is too early: cut inside the word
		{"😀😀😀😀", 5, UTF16, "😀😀…"},
		{"ééééé", 7, Bytes, "éé…"},
	} {
		if got := Clip(c.s, c.limit, c.m); got != c.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", c.s, c.limit, got, c.want)
		}
		if got := Clip(c.s, c.limit, c.m); Len(got, c.m) > c.limit {
			t.Errorf("Clip(%q, %d) = %q: too long", c.s, c.limit, got)
		}
	}
	if n := Len("a😀", UTF16); n != 3 {
		t.Errorf("Len(a😀) = %d in UTF-16, want 3", n)
	}
}

// Split prefers a paragraph break in the second half of a piece, then a
// line break there, then a space; keeps the spans of keep whole; and cuts
// a single long word only between runes.
func TestSplit(t *testing.T) {
	link := regexp.MustCompile(`<[^<>]*>|&[a-z]+;`)
	for _, c := range []struct {
		s     string
		limit int
		m     Measure
		keep  *regexp.Regexp
		want  []string
	}{
		{"aaaa bbbb\n\ncccc dddd eeee", 20, Bytes, nil, []string{"aaaa bbbb", "cccc dddd eeee"}},
		{"aaaa bbbb cccc\ndddd eeee", 20, Bytes, nil, []string{"aaaa bbbb cccc", "dddd eeee"}},
		{"aaaa\nbbbb cccc dddd eeee", 20, Bytes, nil, []string{"aaaa\nbbbb cccc dddd", "eeee"}}, // the line break is too early
		{"see <https://x.example/a|the long label> now", 38, Bytes, link, []string{"see", "<https://x.example/a|the long label>", "now"}},
		{"word&amp;word&amp;word", 7, Bytes, link, []string{"word", "&amp;wo", "rd&amp;", "word"}},
		{"ééééé", 4, Bytes, nil, []string{"éé", "éé", "é"}},
		{"  ", 4, Bytes, nil, nil},
	} {
		got := Split(c.s, c.limit, c.m, c.keep)
		if !slices.Equal(got, c.want) {
			t.Errorf("Split(%q, %d) = %q, want %q", c.s, c.limit, got, c.want)
		}
	}
}

func TestPack(t *testing.T) {
	units := []Unit{{Text: "gist"}, {Text: "1. one", Gap: true}, {Text: "2. two"}, {Text: ""}, {Text: strings.Repeat("x ", 12)}}
	got := Pack(units, 20, Runes, nil)
	want := []string{"gist\n\n1. one\n2. two", "x x x x x x x x x x", "x x"}
	if !slices.Equal(got, want) {
		t.Errorf("Pack = %q, want %q", got, want)
	}
}
