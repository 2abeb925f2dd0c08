//go:build !linux

package crashtest

import "os/exec"

// setDeathSignal does nothing where there is no Pdeathsig: a child left
// behind by a dead test process ends at its own -test.timeout.
func setDeathSignal(*exec.Cmd) {}
