//go:build !windows

package hooks

import (
	"context"
	"os/exec"
	"syscall"
)

// shell runs a hook's command line as the owner typed it.
func shell(ctx context.Context, command string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", command)
	// Its own process group, so a timeout ends what the script started too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	return cmd
}
