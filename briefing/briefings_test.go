package briefing

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBriefingArticles briefs whole articles written in the styles of real
// news (testdata/briefings: a British tabloid story, wire copy, a court
// ruling, a study, a press release, a letter to the editor, an opinion
// piece) and checks each against its NAME.want, one assertion a line:
//
//	headline: TEXT            the headline is TEXT
//	gist: TEXT                the gist is TEXT
//	bullet: TEXT              some bullet shows TEXT
//	bullet: TEXT | SPEAKER    ... and its speaker holds SPEAKER
//	speaker: TEXT | SPEAKER   any bullet showing TEXT has a speaker or role holding SPEAKER
//	attribution: TEXT         some bullet's attribution holds TEXT
//	no text: TEXT             neither headline, gist nor any bullet holds TEXT
//
// Lines starting with # are comments. Every briefing must also keep the
// rules every briefing keeps (see checkBriefing).
func TestBriefingArticles(t *testing.T) {
	files, err := filepath.Glob("testdata/briefings/*.txt")
	if err != nil || len(files) < 7 {
		t.Fatalf("want the test articles in testdata/briefings: %v (%d)", err, len(files))
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			a, err := LoadFile(f, LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(f, ".txt") + ".want")
			if err != nil {
				t.Fatal(err)
			}
			checkBriefingWants(t, a, string(want))
		})
	}
}

// checkWantLine checks one assertion of a .want file, returning what is
// wrong, or "".
func checkWantLine(b Briefing, line string) string {
	key, arg, ok := strings.Cut(line, ": ")
	if !ok {
		return "bad line " + line
	}
	text, speaker, _ := strings.Cut(arg, " | ")
	switch key {
	case "headline":
		if b.Headline != arg {
			return "headline " + curly(b.Headline) + ", want " + curly(arg)
		}
	case "gist":
		if b.Gist != arg {
			return "gist " + curly(b.Gist) + ", want " + curly(arg)
		}
	case "bullet":
		for _, bl := range b.Bullets {
			if strings.Contains(bl.Shown, text) && strings.Contains(bl.Speaker, speaker) {
				return ""
			}
		}
		return "no bullet shows " + curly(text) + " with speaker " + curly(speaker)
	case "speaker":
		for _, bl := range b.Bullets {
			if strings.Contains(bl.Shown, text) && !strings.Contains(bl.Speaker+" "+bl.SpeakerRole, speaker) {
				return "bullet " + curly(bl.Line) + " is not attributed to " + curly(speaker)
			}
		}
	case "attribution":
		for _, bl := range b.Bullets {
			if strings.Contains(bl.Attribution, arg) {
				return ""
			}
		}
		return "no bullet is attributed to " + curly(arg)
	case "no text":
		all := b.Headline + "\n" + b.Gist
		for _, bl := range b.Bullets {
			all += "\n" + bl.Line
		}
		if strings.Contains(all, arg) {
			return "the briefing shows " + curly(arg)
		}
	default:
		return "unknown assertion " + line
	}
	return ""
}

func curly(s string) string { return "“" + s + "”" }

// checkBriefing checks the rules every briefing keeps: bullets are whole
// statements ending with their attribution, quotation marks only around
// verbatim words, nothing in the author's voice that holds a quotation
// mark, the gist and what a bullet says in its own words on one line, gist
// and claim text within the word budget, and the same briefing every time.
func checkBriefing(t *testing.T, a *Article, b Briefing, opt Options) {
	t.Helper()
	words := 0
	for _, bl := range b.Bullets {
		words += wordCount(bl.Text)
		if !wholeStatement(strings.TrimSuffix(bl.Shown, "…")) {
			t.Errorf("bullet %q is not a whole statement", bl.Shown)
		}
		if !strings.HasSuffix(bl.Line, "("+bl.Attribution+")") {
			t.Errorf("bullet %q does not end with its attribution", bl.Line)
		}
		if bl.Verbatim && a.Body[bl.Start:bl.End] != bl.Text {
			t.Errorf("verbatim bullet %q is not the body's %q", bl.Text, a.Body[bl.Start:bl.End])
		}
		for _, q := range quotedSpans(bl.Line) {
			if !strings.Contains(a.Body, strings.TrimSuffix(q, "…")) {
				t.Errorf("bullet quotes %q, which is not verbatim in the article", q)
			}
		}
		if bl.Kind == Unattributed && hasQuoteMark(bl.Shown) {
			t.Errorf("bullet %q in the author's voice holds someone's words", bl.Line)
		}
		if bl.Attributed() && (bl.Speaker == "" || bl.SpeakerUnsure) {
			t.Errorf("bullet %q shows a claim whose speaker is unsure", bl.Line)
		}
		if !bl.Verbatim && strings.Contains(bl.Shown, "\n") {
			t.Errorf("bullet %q is not on one line", bl.Shown)
		}
	}
	if strings.Contains(b.Gist, "\n") {
		t.Errorf("gist %q is not on one line", b.Gist)
	}
	if max := opt.withDefaults().MaxWords; len(b.Bullets) > 0 && wordCount(b.Gist)+words > max {
		t.Errorf("gist and bullets hold %d words, want at most %d", wordCount(b.Gist)+words, max)
	}
	if again := Analyze(a, opt).Briefing; Text(again) != Text(b) {
		t.Errorf("briefing differs from run to run:\n%s\nvs\n%s", Text(b), Text(again))
	}
}

// checkBriefingWants briefs a and checks the briefing against want, one
// assertion a line (see checkWantLine; blank lines and lines starting
// with # are skipped), and against the rules every briefing keeps
// (checkBriefing).
func checkBriefingWants(t *testing.T, a *Article, want string) {
	t.Helper()
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
}
