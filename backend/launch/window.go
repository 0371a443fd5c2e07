package launch

import (
	"fmt"
	"os"
	"path/filepath"
)

// WindowBinary is the window build's file name (plus .exe on Windows), next
// to the command-line build.
const WindowBinary = "pagekeeper-window"

// Window hands the arguments to the window build beside this program. On
// success it does not return (unix replaces this process; Windows exits with
// the window build's code); the error says why the window could not start.
func Window(args []string) error {
	self, err := os.Executable()
	if err == nil {
		self, err = filepath.EvalSymlinks(self)
	}
	if err != nil {
		return fmt.Errorf("cannot find the window build: %w", err)
	}
	path := filepath.Join(filepath.Dir(self), WindowBinary+exeSuffix)
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("the window needs %s beside this program (%v); the commands work without it", filepath.Base(path), err)
	}
	if err := runWindowBuild(path, args); err != nil {
		return fmt.Errorf("starting the window: %w", err)
	}
	return nil
}
