//go:build !windows

package launch

import (
	"os"
	"syscall"
)

const exeSuffix = ""

// runWindowBuild replaces this process with the window build: same process
// id, so a service manager's or a test's signals reach the window.
func runWindowBuild(path string, args []string) error {
	return syscall.Exec(path, append([]string{path}, args...), os.Environ())
}
