package testutil

import (
	"io"
	"os"
	"os/exec"
	"testing"
	"time"
)

// Proc is a command run for a test: its standard input is a pipe held open
// until Stop (or CloseInput), its output is collected in Stdout and Stderr,
// and it is killed when the test ends if it is still running, its output
// shown if the test failed.
type Proc struct {
	Stdout, Stderr *Buffer

	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{} // closed once the process has exited
	err   error         // cmd.Wait's, once done is closed
}

// Start starts cmd; name names it in the test's log.
func Start(t testing.TB, name string, cmd *exec.Cmd) *Proc {
	t.Helper()
	p := &Proc{Stdout: &Buffer{}, Stderr: &Buffer{}, cmd: cmd, done: make(chan struct{})}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.stdin = stdin
	cmd.Stdout, cmd.Stderr = p.Stdout, p.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			_ = cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("%s: stdout:\n%s\n%s: stderr:\n%s", name, p.Stdout, name, p.Stderr)
		}
	})
	return p
}

// Input is the process's standard input.
func (p *Proc) Input() io.Writer { return p.stdin }

// CloseInput closes the process's standard input: the end of its input.
func (p *Proc) CloseInput() { _ = p.stdin.Close() }

// Done is closed once the process has exited.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Err is cmd.Wait's error, once Done is closed.
func (p *Proc) Err() error {
	<-p.done
	return p.err
}

// Signal sends sig to the process.
func (p *Proc) Signal(sig os.Signal) { _ = p.cmd.Process.Signal(sig) }

// Wait waits up to timeout for the process to exit and returns cmd.Wait's
// error; the test fails if it does not exit.
func (p *Proc) Wait(t testing.TB, timeout time.Duration) error {
	t.Helper()
	select {
	case <-p.done:
		return p.err
	case <-time.After(timeout):
		t.Fatalf("the process did not exit within %v", timeout)
		return nil
	}
}

// Stop sends sig, closes the process's input and waits for it to exit, as
// Wait does.
func (p *Proc) Stop(t testing.TB, sig os.Signal, timeout time.Duration) error {
	t.Helper()
	p.Signal(sig)
	p.CloseInput()
	return p.Wait(t, timeout)
}
