package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/briefbot/briefbot/briefing"
	"github.com/briefbot/briefbot/internal/longarticle"
)

// goldenCorpus writes the corpus of TestCorpusGolden into a new folder and
// returns it: the seed article, the engine's test articles (briefings,
// evaluation, benchmark), every article of the attribution cases, and
// generated articles of about 330 words.
func goldenCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	put := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, pattern := range []string{"seeds/*.txt", "briefing/testdata/briefings/*.txt", "briefing/testdata/eval/dev/*.txt", "briefing/testdata/bench_bridge.txt"} {
		files, err := filepath.Glob(pattern)
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: %v, %d files", pattern, err, len(files))
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			put(strings.NewReplacer("/", "_").Replace(f), data)
		}
	}
	cases, err := filepath.Glob("briefing/testdata/attribution/*.txtar")
	if err != nil || len(cases) == 0 {
		t.Fatalf("attribution cases: %v, %d files", err, len(cases))
	}
	for _, f := range cases {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		base := strings.TrimSuffix(filepath.Base(f), ".txtar")
		for name, text := range txtarFiles(string(data)) {
			if strings.HasSuffix(name, ".txt") {
				put("attribution_"+base+"_"+name, []byte(text))
			}
		}
	}
	for i := range 40 {
		put(fmt.Sprintf("generated_%03d.txt", i), []byte(longarticle.Article(uint64(i), 330)))
	}
	return dir
}

// txtarFiles returns the files of a txtar archive by name.
func txtarFiles(s string) map[string]string {
	files := map[string]string{}
	name := ""
	var sb strings.Builder
	flush := func() {
		if name != "" {
			files[name] = sb.String()
		}
		sb.Reset()
	}
	for line := range strings.SplitAfterSeq(s, "\n") {
		l := strings.TrimRight(line, "\n")
		if strings.HasPrefix(l, "-- ") && strings.HasSuffix(l, " --") && len(l) > 6 {
			flush()
			name = strings.TrimSpace(l[3 : len(l)-3])
			continue
		}
		sb.WriteString(line)
	}
	flush()
	return files
}

// TestCorpusGolden is the safety net of the engine's and the commands'
// speed work: every output of `claims` and `brief` over a corpus of about
// 200 articles, byte for byte. A change that means to change the output
// regenerates the files with `go test -run TestCorpusGolden -update .`
// and shows the difference in its commit.
func TestCorpusGolden(t *testing.T) {
	dir := goldenCorpus(t)
	for _, c := range []struct {
		golden string
		args   []string
	}{
		{"corpus.claims.jsonl", []string{"claims", "--json", dir}},
		{"corpus.claims.txt", []string{"claims", dir}},
		{"corpus.brief.jsonl", []string{"brief", "--format", "json", dir}},
		{"corpus.brief.text", []string{"brief", "--format", "text", dir}},
		{"corpus.brief.markdown", []string{"brief", "--format", "markdown", dir}},
	} {
		out, errOut, code := runCmd(t, nil, c.args...)
		if code != 0 || errOut != "" {
			t.Fatalf("%v: exit %d, stderr %q", c.args[:len(c.args)-1], code, errOut)
		}
		golden(t, c.golden, out)
	}
	// The sentences, which the store also uses to show a claim's context.
	arts, problems := briefing.LoadPaths([]string{dir}, briefing.LoadOptions{})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	var sb strings.Builder
	for _, a := range arts {
		sb.WriteString(a.Name)
		for _, s := range briefing.Segment(a.Body) {
			fmt.Fprintf(&sb, " %d:%d:%d", s.Start, s.End, s.Para)
		}
		sb.WriteByte('\n')
	}
	golden(t, "corpus.sentences.txt", sb.String())
}
