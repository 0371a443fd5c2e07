// Package autostart makes Pagekeeper start at login, the freedesktop way on
// Linux: a .desktop entry in the user's autostart folder.
package autostart

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Path is where the autostart entry lives ($XDG_CONFIG_HOME/autostart).
func Path() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "autostart", "pagekeeper.desktop"), nil
}

// Set adds (enabled) or removes the entry that starts exe at login.
func Set(enabled bool, exe string) error {
	if runtime.GOOS != "linux" {
		if enabled {
			return fmt.Errorf("start at login is not supported on %s yet", runtime.GOOS)
		}
		return nil
	}
	p, err := Path()
	if err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	if !enabled {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("start at login: %w", err)
		}
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	return os.WriteFile(p, []byte(Entry(exe)), 0o644)
}

// Enabled reports whether the autostart entry exists.
func Enabled() bool {
	p, err := Path()
	if err != nil {
		return false
	}
	_, err = os.Stat(p)
	return err == nil
}

// Entry is the .desktop file that starts Pagekeeper hidden-friendly at login.
func Entry(exe string) string {
	// Exec needs quoting when the path has spaces (Desktop Entry spec, "Exec key").
	quoted := exe
	if strings.ContainsAny(exe, " \t\"") {
		quoted = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(exe) + `"`
	}
	return "[Desktop Entry]\nType=Application\nName=Pagekeeper\nComment=Keeps your Facebook Page connections alive\n" +
		"Exec=" + quoted + "\nIcon=pagekeeper\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
}
