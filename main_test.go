package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// runCmd runs briefbot in-process with the given environment variables.
func runCmd(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &environment{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return env[k] },
	}
	code = run(context.Background(), e, args)
	return out.String(), errb.String(), code
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// The briefing of the seed article, byte for byte, in each format.
func TestBriefSeedGolden(t *testing.T) {
	for _, format := range []string{"text", "markdown", "json"} {
		out, errOut, code := runCmd(t, nil, "brief", "--format", format)
		if code != 0 || errOut != "" {
			t.Fatalf("brief --format %s: exit %d, stderr %q", format, code, errOut)
		}
		golden(t, "seed.brief."+format, out)
	}
	out, _, _ := runCmd(t, nil, "claims", "--json")
	golden(t, "seed.claims.jsonl", out)
}

// The claims --json line format is a contract: check its fields.
func TestClaimsJSONContract(t *testing.T) {
	out, _, code := runCmd(t, nil, "claims", "--json", "seeds")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 10 {
		t.Fatalf("only %d claims", len(lines))
	}
	want := []string{"article", "text", "speaker", "speaker_role", "kind", "verb", "via", "anonymous", "speaker_unsure", "verbatim", "start", "end"}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("bad JSON line %q: %v", l, err)
		}
		if len(m) != len(want) {
			t.Errorf("line has %d fields, want %d: %s", len(m), len(want), l)
		}
		for _, k := range want {
			if _, ok := m[k]; !ok {
				t.Errorf("line lacks %q: %s", k, l)
			}
		}
		if m["article"] != "000_d0f21df6df0c1ae4.txt" {
			t.Errorf("article = %v", m["article"])
		}
	}
}

// Bad files are named on stderr, one line each, and skipped; the command
// fails only when nothing at all loads.
func TestBadFilesAreSkipped(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"good.txt":     []byte("The council voted 5-2 to approve the budget on Monday, the clerk said.\n"),
		"empty.txt":    {},
		"binary.txt":   {0x00, 0x01, 0x02, 'a', 0x00},
		"latin1.txt":   []byte("Caf\xe9 owners said the rent rose."),
		"huge.txt":     bytes.Repeat([]byte("word "), 300),
		"notes.pdf":    []byte("%PDF-1.4"),
		"broken.json":  []byte(`{"title": "x", "body": `),
		"dangling.txt": nil,
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if name == "dangling.txt" {
			if err := os.Symlink(filepath.Join(dir, "missing"), p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, code := runCmd(t, map[string]string{"MAX_ARTICLE_BYTES": "1000"}, "claims", "--json", dir)
	if code != 0 {
		t.Fatalf("exit %d, want 0; stderr:\n%s", code, errOut)
	}
	if !strings.Contains(out, `"speaker":"clerk"`) {
		t.Errorf("good file's claim missing from output:\n%s", out)
	}
	warnings := strings.Split(strings.TrimSpace(errOut), "\n")
	if len(warnings) != len(files)-1 {
		t.Errorf("got %d warning lines, want %d:\n%s", len(warnings), len(files)-1, errOut)
	}
	for name := range files {
		if name != "good.txt" && !strings.Contains(errOut, name) {
			t.Errorf("no warning names %s:\n%s", name, errOut)
		}
	}

	// Nothing loadable: exit 1.
	_, errOut, code = runCmd(t, nil, "brief", filepath.Join(dir, "empty.txt"), filepath.Join(dir, "notes.pdf"))
	if code != 1 || !strings.Contains(errOut, "no article could be loaded") {
		t.Errorf("exit %d, stderr %q; want 1 and a clear message", code, errOut)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"frobnicate"},
		{"brief", "--format", "yaml"},
		{"brief", "--nope"},
	} {
		_, errOut, code := runCmd(t, nil, args...)
		if code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
	_, errOut, code := runCmd(t, map[string]string{"BRIEFING_MAX_WORDS": "lots"}, "brief")
	if code != 2 || !strings.Contains(errOut, "BRIEFING_MAX_WORDS") {
		t.Errorf("bad variable: exit %d, stderr %q; want 2 naming the variable", code, errOut)
	}
}

// Flags may follow the paths.
func TestFlagsAfterPaths(t *testing.T) {
	out, _, code := runCmd(t, nil, "brief", "seeds", "--format", "json")
	if code != 0 || !strings.HasPrefix(out, `{"article":"000_d0f21df6df0c1ae4.txt"`) {
		t.Errorf("exit %d, output %.80q", code, out)
	}
}
