//go:build windows

package hooks

import (
	"context"
	"os/exec"
)

// shell runs a hook's command line as the owner typed it.
func shell(ctx context.Context, command string) *exec.Cmd {
	return exec.CommandContext(ctx, "cmd.exe", "/C", command)
}
