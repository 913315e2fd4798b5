//go:build integration

package serverproc

import (
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStartReportsAServerThatExitsBeforeItIsReady(t *testing.T) {
	sh, err := exec.LookPath("sh")
	require.NoError(t, err)
	var addrs []string
	_, err = Start(sh, t.TempDir(), func(addr string) []string {
		addrs = append(addrs, addr)
		return []string{"-c", "echo cannot listen on " + addr + "; exit 3"}
	}, func(p *Process) error { return p.WaitFor("/", nil) })
	require.Error(t, err)
	require.Len(t, addrs, 3, "a failed start is retried, each time on a port free at that moment")
	require.ErrorContains(t, err, "sh exited before it was ready (exit status 3)")
	require.ErrorContains(t, err, "sh log:\ncannot listen on "+addrs[2], "the error holds the server's log")
}
