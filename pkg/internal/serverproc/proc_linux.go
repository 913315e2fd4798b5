package serverproc

import (
	"os/exec"
	"syscall"
)

// setProcAttr asks the kernel to kill the server when the test binary dies,
// so an aborted test run (timeout panic, ^C) leaves no server behind.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
