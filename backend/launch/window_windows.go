package launch

import (
	"errors"
	"os"
	"os/exec"
)

const exeSuffix = ".exe"

// runWindowBuild starts the window build and exits with its code: Windows
// has no exec.
func runWindowBuild(path string, args []string) error {
	cmd := exec.Command(path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		os.Exit(exit.ExitCode())
	}
	if err == nil {
		os.Exit(0)
	}
	return err
}
