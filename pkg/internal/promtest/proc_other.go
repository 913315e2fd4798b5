//go:build !linux

package promtest

import "os/exec"

// setProcAttr does nothing where there is no parent-death signal.
func setProcAttr(*exec.Cmd) {}
