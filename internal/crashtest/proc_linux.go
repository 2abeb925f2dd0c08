package crashtest

import (
	"os/exec"
	"syscall"
)

// setDeathSignal has the child killed if the test process dies first
// (a test binary that times out or is killed), rather than left behind.
func setDeathSignal(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
