//go:build unix

package briefing

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A named pipe in a folder is reported, and never opened: an open would
// release a writer waiting for a reader (and could wait for a writer).
func TestLoadLeavesNamedPipeAlone(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.txt")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	opened := make(chan struct{})
	go func() {
		if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil { // waits for a reader
			f.Close()
		}
		close(opened)
	}()
	arts, errs := LoadPaths([]string{dir}, LoadOptions{})
	if len(arts) != 0 || len(errs) != 1 || !strings.Contains(errs[0].Error(), "not a regular file") {
		t.Fatalf("LoadPaths = %d articles, errors %v; want the pipe reported as not a regular file", len(arts), errs)
	}
	select {
	case <-opened:
		t.Fatal("loading opened the named pipe: its writer went on")
	case <-time.After(50 * time.Millisecond):
	}
	if r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil { // let the writer go
		defer r.Close()
	}
	<-opened
}
