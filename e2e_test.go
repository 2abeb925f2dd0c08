package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/briefbot/briefbot/internal/testutil"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds briefbot once for the end-to-end tests.
func binary(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "briefbot-e2e")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "briefbot")
		args := []string{"build", "-o", binPath}
		if raceEnabled {
			args = append(args, "-race")
		}
		out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
		if err != nil {
			buildErr = err
			t.Logf("%s", out)
		}
	})
	if buildErr != nil {
		t.Fatalf("build: %v", buildErr)
	}
	return binPath
}

// workdir makes a directory with the seed article and returns it.
func workdir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "seeds"), 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("seeds/000_d0f21df6df0c1ae4.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "seeds", "000_d0f21df6df0c1ae4.txt"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func botCmd(t testing.TB, dir string, env ...string) *exec.Cmd {
	cmd := exec.Command(binary(t))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "LOG_LEVEL=info")
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

// Piped commands get answers on stdout; logs stay on stderr; end of input
// exits 0.
func TestEndToEndConsole(t *testing.T) {
	dir := workdir(t)
	cmd := botCmd(t, dir)
	cmd.Stdin = strings.NewReader(strings.Join([]string{
		"/help",
		"/briefing Qatar",
		"/briefing volcanoes",
		"/subscribe 30 7 * * 1-5 Europe/Paris",
		"/schedule",
		"/subscribe 0 25 * * *",
		"/subscribe CRON_TZ=",
		"/frobnicate",
		"@briefbot help",
	}, "\n") + "\n")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("exit: %v\nstderr:\n%s", err, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"briefbot: running on console; database briefbot.db; 1 article",
		"/subscribe <schedule> [time zone]",
		"Briefing: Qatar",
		"(anonymous Biden administration official, via Reuters)",
		"I have no article about “volcanoes” in my sources.",
		"Subscribed. This channel gets the digest of new articles on “30 7 * * 1-5” (Europe/Paris).",
		"Next runs: 07:30 ",
		"end of range (25) above maximum (23)",
		"give the time zone separately",
		`I don't know the command "frobnicate"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q\n%s", want, out)
		}
	}
	if strings.Contains(out, "level=") {
		t.Errorf("log lines on stdout:\n%s", out)
	}
	if !strings.Contains(stderr.String(), `msg="seeds: synced" added=1`) {
		t.Errorf("stderr lacks the sync log:\n%s", stderr.String())
	}

	// The subscription survives a restart.
	cmd = botCmd(t, dir, "BRIEFING_ON_START=false")
	cmd.Stdin = strings.NewReader("/schedule\n")
	got, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), "“30 7 * * 1-5” (Europe/Paris)") {
		t.Errorf("after restart:\n%s", got)
	}
}

// A bad variable stops the start with an error that names it.
func TestEndToEndBadConfig(t *testing.T) {
	cmd := botCmd(t, workdir(t), "BRIEFING_TZ=Mars/Olympus")
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "BRIEFING_TZ") {
		t.Errorf("exit %v, output %s", err, out)
	}
}

var headerRE = regexp.MustCompile(`── Digest for (\S+ \S+ \S+ \S+ \S+ \S+)`)

// runUntil starts the bot with its stdin held open and returns the first
// want digests it prints, waiting at most deadline.
func runUntil(t *testing.T, cmd *exec.Cmd, want int, deadline time.Duration) (headers []string, stop func(sig syscall.Signal) error) {
	t.Helper()
	p := testutil.Start(t, "briefbot", cmd)
	testutil.WaitFor(t, deadline, fmt.Sprintf("%d digests", want), func() bool {
		headers = digestHeaders(p.Stdout.String())
		return len(headers) >= want
	})
	return headers[:want], func(sig syscall.Signal) error { return p.Stop(t, sig, 20*time.Second) }
}

// digestHeaders are the slots of the digests in the console's output.
func digestHeaders(out string) []string {
	var headers []string
	for _, m := range headerRE.FindAllStringSubmatch(out, -1) {
		headers = append(headers, m[1])
	}
	return headers
}

// A per-second schedule delivers digests; across a kill -9 and a restart
// every slot is posted once.
func TestEndToEndKillAndRestart(t *testing.T) {
	dir := workdir(t)
	env := []string{"BRIEFING_SCHEDULE=* * * * * *", "BRIEFING_ON_START=false", "CATCHUP_WINDOW=1m"}
	first, stop := runUntil(t, botCmd(t, dir, env...), 3, 20*time.Second)
	stop(syscall.SIGKILL)

	second, stop := runUntil(t, botCmd(t, dir, env...), 3, 20*time.Second)
	if err := stop(syscall.SIGTERM); err != nil {
		t.Errorf("SIGTERM: exit %v, want 0", err)
	}
	seen := map[string]bool{}
	for _, h := range append(first, second...) {
		if seen[h] {
			t.Errorf("slot %s posted twice (first run %v, second run %v)", h, first, second)
		}
		seen[h] = true
	}
}

// SIGINT ends the bot cleanly with status 0.
func TestEndToEndInterrupt(t *testing.T) {
	p := testutil.Start(t, "briefbot", botCmd(t, workdir(t), "BRIEFING_ON_START=false"))
	testutil.WaitFor(t, 10*time.Second, "the startup line", func() bool { return strings.Contains(p.Stdout.String(), "running on console") })
	p.Signal(os.Interrupt)
	if err := p.Wait(t, 20*time.Second); err != nil {
		t.Errorf("exit after SIGINT: %v, want 0", err)
	}
}
