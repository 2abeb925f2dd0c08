package briefing

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAttributionPhenomena runs the attribution cases of
// testdata/attribution, one txtar file per phenomenon. Each case is a pair
// of files: NAME.txt, a passage, and NAME.want, every attributed claim
// expected from it (and any unattributed ones worth checking), one a line:
//
//	kind | speaker | text | flags
//
// kind is direct, indirect, according_to or unattributed; speaker is "-"
// for none; text is the claim's text, or its beginning when it ends in
// "…"; flags, separated by ";", are verbatim, anonymous and unsure (each
// required exactly when listed) and role=..., via=..., verb=... (checked
// when listed). An attributed claim that no line expects is an error, so
// a case also proves what is not a claim. Lines starting with # are
// comments.
func TestAttributionPhenomena(t *testing.T) {
	forTxtarCases(t, "testdata/attribution", func(t *testing.T, name, passage, want string) {
		body := strings.TrimSuffix(passage, "\n")
		claims := Extract(body)
		checkClaimInvariants(t, body, claims)
		for _, msg := range checkWant(claims, want) {
			t.Error(msg)
		}
		if t.Failed() {
			t.Logf("passage: %s\ngot:\n%s", body, formatClaims(claims))
		}
	})
}

// forTxtarCases runs check on every case of the txtar files in dir: a
// pair of files NAME.txt (the passage) and NAME.want (what to expect of
// it), as a subtest named after the file and the case. A passage with no
// .want is an error.
func forTxtarCases(t *testing.T, dir string, check func(t *testing.T, name, passage, want string)) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases in %s: %v", dir, err)
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
				check(t, af.name, af.data, want)
			})
		}
	}
}

type txtarFile struct{ name, data string }

// parseTxtar reads the txtar archive format: a comment, then files, each
// introduced by a line "-- NAME --".
func parseTxtar(s string) []txtarFile {
	var files []txtarFile
	for line := range strings.Lines(s) {
		trimmed := strings.TrimRight(line, "\n")
		if strings.HasPrefix(trimmed, "-- ") && strings.HasSuffix(trimmed, " --") && len(trimmed) > 6 {
			files = append(files, txtarFile{name: strings.TrimSpace(trimmed[3 : len(trimmed)-3])})
			continue
		}
		if n := len(files); n > 0 {
			files[n-1].data += line
		}
	}
	return files
}

type wantClaim struct {
	kind                        Kind
	speaker, text               string
	prefix                      bool
	verbatim, anonymous, unsure bool
	role, via, verb             string
	hasRole, hasVia, hasVerb    bool
}

func parseWant(line string) (wantClaim, error) {
	f := strings.Split(line, "|")
	if len(f) < 3 {
		return wantClaim{}, fmt.Errorf("want line %q: need kind | speaker | text", line)
	}
	w := wantClaim{kind: Kind(strings.TrimSpace(f[0])), speaker: strings.TrimSpace(f[1]), text: strings.TrimSpace(f[2])}
	switch w.kind {
	case Direct, Indirect, AccordingTo, Unattributed:
	default:
		return w, fmt.Errorf("want line %q: unknown kind %q", line, w.kind)
	}
	if w.speaker == "-" {
		w.speaker = ""
	}
	if t, ok := strings.CutSuffix(w.text, "…"); ok {
		w.text, w.prefix = t, true
	}
	if len(f) > 3 {
		for _, flag := range strings.Split(strings.Join(f[3:], "|"), ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(flag), "=")
			switch k {
			case "":
			case "verbatim":
				w.verbatim = true
			case "anonymous":
				w.anonymous = true
			case "unsure":
				w.unsure = true
			case "role":
				w.role, w.hasRole = v, true
			case "via":
				w.via, w.hasVia = v, true
			case "verb":
				w.verb, w.hasVerb = v, true
			default:
				return w, fmt.Errorf("want line %q: unknown flag %q", line, k)
			}
		}
	}
	return w, nil
}

func (w wantClaim) textMatches(c Claim) bool {
	if w.prefix {
		return strings.HasPrefix(c.Text, w.text)
	}
	return c.Text == w.text
}

// checkWant compares the claims with the expected ones and returns what
// differs.
func checkWant(claims []Claim, want string) []string {
	var errs []string
	used := make([]bool, len(claims))
	for line := range strings.Lines(want) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		w, err := parseWant(line)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		found := -1
		for i, c := range claims {
			if !used[i] && w.textMatches(c) && (c.Kind == Unattributed) == (w.kind == Unattributed) {
				found = i
				break
			}
		}
		if found < 0 {
			errs = append(errs, fmt.Sprintf("no claim for: %s", line))
			continue
		}
		used[found] = true
		c := claims[found]
		var diff []string
		if c.Kind != w.kind {
			diff = append(diff, fmt.Sprintf("kind %s", c.Kind))
		}
		if c.Speaker != w.speaker {
			diff = append(diff, fmt.Sprintf("speaker %q", c.Speaker))
		}
		if c.Verbatim != w.verbatim {
			diff = append(diff, fmt.Sprintf("verbatim %v", c.Verbatim))
		}
		if c.Anonymous != w.anonymous {
			diff = append(diff, fmt.Sprintf("anonymous %v", c.Anonymous))
		}
		if c.SpeakerUnsure != w.unsure {
			diff = append(diff, fmt.Sprintf("unsure %v", c.SpeakerUnsure))
		}
		if w.hasRole && c.SpeakerRole != w.role {
			diff = append(diff, fmt.Sprintf("role %q", c.SpeakerRole))
		}
		if w.hasVia && c.Via != w.via {
			diff = append(diff, fmt.Sprintf("via %q", c.Via))
		}
		if w.hasVerb && c.Verb != w.verb {
			diff = append(diff, fmt.Sprintf("verb %q", c.Verb))
		}
		if len(diff) > 0 {
			errs = append(errs, fmt.Sprintf("%s\n\tgot %s", line, strings.Join(diff, ", ")))
		}
	}
	for i, c := range claims {
		if !used[i] && c.Kind != Unattributed {
			errs = append(errs, fmt.Sprintf("unexpected claim: %s", formatClaim(c)))
		}
	}
	return errs
}

func formatClaim(c Claim) string {
	speaker := c.Speaker
	if speaker == "" {
		speaker = "-"
	}
	var flags []string
	if c.Verbatim {
		flags = append(flags, "verbatim")
	}
	if c.Anonymous {
		flags = append(flags, "anonymous")
	}
	if c.SpeakerUnsure {
		flags = append(flags, "unsure")
	}
	if c.SpeakerRole != "" {
		flags = append(flags, "role="+c.SpeakerRole)
	}
	if c.Via != "" {
		flags = append(flags, "via="+c.Via)
	}
	return fmt.Sprintf("%s | %s | %s | %s", c.Kind, speaker, c.Text, strings.Join(flags, "; "))
}

func formatClaims(claims []Claim) string {
	var sb strings.Builder
	for _, c := range claims {
		sb.WriteString("\t" + formatClaim(c) + "\n")
	}
	return sb.String()
}
