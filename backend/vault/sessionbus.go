package vault

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// errNoSessionBus is the Cause when no session bus can be found.
var errNoSessionBus = errors.New("no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set")

// userRuntimeDir is where systemd puts the user's session bus; a variable so
// the tests can point it at a folder they control.
var userRuntimeDir = fmt.Sprintf("/run/user/%d", os.Getuid())

// checkSessionBus stops a keychain call before godbus, finding no session bus,
// "autolaunches" one with dbus-launch: that bus has no unlocked keyring, and
// its daemons outlive Pagekeeper (a cron job would leave one per run).
func checkSessionBus() error {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		return nil
	}
	if !sessionBusKnown(os.Getenv("DBUS_SESSION_BUS_ADDRESS"), userRuntimeDir) {
		return &UnavailableError{Reason: Absent, Cause: errNoSessionBus}
	}
	return nil
}

// sessionBusKnown mirrors how godbus v5 finds the session bus without
// autolaunch: the environment, then the systemd user runtime folder.
func sessionBusKnown(envAddress, runtimeDir string) bool {
	if envAddress != "" && envAddress != "autolaunch:" {
		return true
	}
	for _, name := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(filepath.Join(runtimeDir, name)); err == nil {
			return true
		}
	}
	return false
}
