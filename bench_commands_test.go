package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/longarticle"
)

// commandCorpus is a folder of 3,000 generated articles of about 330
// words, written once per test binary.
var commandCorpus = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "briefbot-corpus")
	if err != nil {
		return "", err
	}
	for i := range 3000 {
		name := filepath.Join(dir, fmt.Sprintf("article_%04d.txt", i))
		if err := os.WriteFile(name, []byte(longarticle.Article(uint64(1000+i), 330)), 0o644); err != nil {
			return "", err
		}
	}
	return dir, nil
})

// BenchmarkCommands runs `briefbot claims --json` and `briefbot brief
// --format json` over 3,000 generated articles of about 330 words, on one
// core (GOMAXPROCS=1), output to /dev/null, and for comparison `cat` and
// `wc -w` over the same files. Each reports articles/s; an iteration is
// the whole corpus. BRIEFBOT_BENCH_BIN runs another build of briefbot
// instead of this one (to compare before and after). On a shared machine,
// compare articles/cpu-s (the processes' user and system time) rather than
// the wall clock.
func BenchmarkCommands(b *testing.B) {
	bin := os.Getenv("BRIEFBOT_BENCH_BIN")
	if bin == "" {
		bin = binary(b)
	}
	dir, err := commandCorpus()
	if err != nil {
		b.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		argv []string
	}{
		{"claims-json", []string{bin, "claims", "--json", dir}},
		{"brief-json", []string{bin, "brief", "--format", "json", dir}},
		{"cat", append([]string{"cat"}, files...)},
		{"wc-w", append([]string{"wc", "-w"}, files...)},
	} {
		b.Run(c.name, func(b *testing.B) {
			devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
			if err != nil {
				b.Fatal(err)
			}
			defer devnull.Close()
			var cpu time.Duration
			for b.Loop() {
				cmd := exec.Command(c.argv[0], c.argv[1:]...)
				cmd.Dir = b.TempDir()
				cmd.Env = append(os.Environ(), "GOMAXPROCS=1", "SEEDS_DIR="+dir)
				cmd.Stdout = devnull
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				if err := cmd.Run(); err != nil {
					b.Fatalf("%v: %v %s", c.argv[:2], err, stderr.Bytes())
				}
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
			b.ReportMetric(float64(len(files)*b.N)/b.Elapsed().Seconds(), "articles/s")
			// CPU time is steadier than the wall clock on a shared machine.
			b.ReportMetric(float64(len(files)*b.N)/cpu.Seconds(), "articles/cpu-s")
		})
	}
}
