// Package browser opens a URL in the person's default browser without a window of our own.
package browser

import (
	"fmt"
	"os/exec"
	"runtime"
)

// Open starts the OS's URL opener and does not wait for the browser.
func Open(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not open a browser: %w", err)
	}
	go cmd.Wait() // reap it
	return nil
}
