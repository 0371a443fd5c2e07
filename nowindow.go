//go:build !dev && !production && !bindings

// The command-line build (plain go build): no GTK or WebKit to load, so a
// command starts in milliseconds. Asked for a window, it hands over to the
// window build installed beside it.

package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pagekeeper/pagekeeper/backend/cli"
)

// windowBinary is the window build's file name, next to this one.
const windowBinary = "pagekeeper-window"

func main() {
	args := os.Args[1:]
	if !cli.OpensWindow(args) {
		os.Exit(runCommand(args))
	}
	self, err := os.Executable()
	if err == nil {
		self, err = filepath.EvalSymlinks(self)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pagekeeper: cannot find the window build:", err)
		os.Exit(1)
	}
	path := filepath.Join(filepath.Dir(self), windowBinary+exeSuffix)
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(os.Stderr, "pagekeeper: the window needs %s beside this program (%v); the commands work without it\n", filepath.Base(path), err)
		os.Exit(1)
	}
	err = runWindowBuild(path, args)
	fmt.Fprintln(os.Stderr, "pagekeeper: starting the window:", err)
	os.Exit(1)
}
