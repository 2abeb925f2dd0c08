package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/longarticle"
	"github.com/briefbot/briefbot/internal/testutil"
)

// A 1 MB article dropped into the seeds folder while a per-second
// schedule runs is briefed, and no slot is lost meanwhile: storing it
// holds the database only briefly, and a slot held up by it is posted
// late rather than never. Every second from the first digest to the last
// has its digest, once.
func TestEndToEndLargeSeedLosesNoSlot(t *testing.T) {
	dir := workdir(t)
	cmd := botCmd(t, dir, "BRIEFING_SCHEDULE=* * * * * *", "BRIEFING_ON_START=false", "CATCHUP_WINDOW=1m",
		"SEEDS_POLL_INTERVAL=1s")
	p := testutil.Start(t, "briefbot", cmd)
	const title = "Council weighs a long report on the river district"
	var headers []string
	briefed := -1 // how many digests there were when the large article showed
	testutil.WaitFor(t, 3*time.Minute, "three digests after the large article", func() bool {
		select {
		case <-p.Done():
			t.Fatalf("the bot stopped: %v", p.Err())
		default:
		}
		out := p.Stdout.String()
		headers = digestHeaders(out)
		if briefed < 0 {
			if i := strings.Index(out, title); i >= 0 {
				briefed = len(digestHeaders(out[:i]))
			}
		}
		if len(headers) >= 2 && briefed < 0 && !fileExists(filepath.Join(dir, "seeds", "large.txt")) {
			// Written under a hidden name, then renamed, so that the
			// watcher never reads half of it.
			hidden := filepath.Join(dir, "seeds", ".large.txt")
			if err := os.WriteFile(hidden, []byte(longarticle.File(1_000_000)), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(hidden, filepath.Join(dir, "seeds", "large.txt")); err != nil {
				t.Fatal(err)
			}
		}
		return briefed >= 0 && len(headers) >= briefed+3
	})
	if err := p.Stop(t, syscall.SIGTERM, 30*time.Second); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}

	var slots []time.Time
	for _, h := range headers {
		s, err := time.Parse("15:04:05 Mon 2 Jan 2006 MST", h)
		if err != nil {
			s, err = time.Parse("15:04 Mon 2 Jan 2006 MST", h)
		}
		if err != nil {
			t.Fatalf("digest header %q: %v", h, err)
		}
		slots = append(slots, s)
	}
	slices.SortFunc(slots, func(a, b time.Time) int { return a.Compare(b) })
	for i := 1; i < len(slots); i++ {
		if d := slots[i].Sub(slots[i-1]); d != time.Second {
			t.Errorf("digests for %s and then %s (%v apart): a slot is lost or posted twice", slots[i-1].Format(time.TimeOnly), slots[i].Format(time.TimeOnly), d)
		}
	}
	t.Logf("%d digests, the large article in the %dth", len(slots), briefed)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// brief and claims stop at SIGINT (Ctrl-C) and SIGTERM with 130 and 143,
// between articles or in the middle of one, and say how far they got;
// what they wrote is whole articles.
func TestEndToEndBriefAndClaimsStopOnSignal(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	large := longarticle.File(1_000_000)
	for i := range n {
		// Different titles, so that each is its own article.
		text := strings.Replace(large, "title: ", fmt.Sprintf("title: Part %d: ", i+1), 1)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%02d.txt", i)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		args []string
		sig  syscall.Signal
		code int
		line string // starts each article's output
	}{
		{[]string{"brief", dir}, syscall.SIGINT, 130, "Part "},
		{[]string{"claims", "--json", dir}, syscall.SIGTERM, 143, `{"article":"`},
	} {
		t.Run(tt.args[0], func(t *testing.T) {
			cmd := exec.Command(binary(t), tt.args...)
			cmd.Dir = t.TempDir()
			p := testutil.Start(t, tt.args[0], cmd)
			// Signal once the first article is out: the others are to come.
			testutil.WaitFor(t, time.Minute, "the first article", func() bool {
				return strings.HasPrefix(p.Stdout.String(), tt.line) || strings.Contains(p.Stdout.String(), "\n"+tt.line)
			})
			p.Signal(tt.sig)
			err := p.Wait(t, time.Minute)
			stderr := p.Stderr
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tt.code {
				t.Fatalf("exit %v after %v, want status %d; stderr:\n%s", err, tt.sig, tt.code, stderr.String())
			}
			articles := map[string]bool{}
			for line := range strings.Lines(p.Stdout.String()) {
				if strings.HasPrefix(line, tt.line) {
					articles[articleOf(strings.TrimSuffix(line, "\n"))] = true
				}
			}
			if len(articles) == 0 || len(articles) >= n {
				t.Errorf("output of %d articles of %d, want some but not all", len(articles), n)
			}
			if want := fmt.Sprintf("briefbot: stopped by %s after ", map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[tt.sig]); !strings.Contains(stderr.String(), want) || !strings.Contains(stderr.String(), fmt.Sprintf("of %d articles", n)) {
				t.Errorf("stderr %q, want %q… of %d articles", stderr.String(), want, n)
			}
		})
	}
}

// articleOf names the article a line of brief or claims output is from.
func articleOf(line string) string {
	if strings.HasPrefix(line, "{") {
		var c struct{ Article string }
		json.Unmarshal([]byte(line), &c)
		return c.Article
	}
	part, _, _ := strings.Cut(line, ":")
	return part
}
