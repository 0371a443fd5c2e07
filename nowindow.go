//go:build !dev && !production && !bindings

// The command-line build (plain go build): no GTK or WebKit to load, so a
// command starts in milliseconds. Asked for a window, it hands over to the
// window build installed beside it.

package main

import (
	"fmt"
	"os"

	"github.com/pagekeeper/pagekeeper/backend/cli"
	"github.com/pagekeeper/pagekeeper/backend/launch"
)

func main() {
	args := os.Args[1:]
	if !cli.OpensWindow(args) {
		os.Exit(launch.Command(args))
	}
	fmt.Fprintln(os.Stderr, "pagekeeper:", launch.Window(args))
	os.Exit(1)
}
