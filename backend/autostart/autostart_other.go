//go:build !linux && !darwin && !windows

package autostart

import (
	"fmt"
	"runtime"
)

// Other Unixes follow freedesktop like Linux when they have a desktop; until
// someone asks, saying so beats writing a file nothing reads.
func set(enabled bool, _ string) error {
	if enabled {
		return fmt.Errorf("not supported on %s", runtime.GOOS)
	}
	return nil
}

func enabled() bool { return false }
