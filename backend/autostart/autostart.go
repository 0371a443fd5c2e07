// Package autostart makes Pagekeeper start at login, each platform its own
// way: a freedesktop .desktop entry in the user's autostart folder on Linux,
// a LaunchAgent on macOS and the per-user Run key on Windows. None needs an
// administrator.
package autostart

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/pagekeeper/pagekeeper/backend/buildinfo"
)

// Label names Pagekeeper's login item: the LaunchAgent's label (and file
// name) on macOS, the Run value on Windows. It is the bundle identifier, so
// the macOS login items list shows one name for the app and its agent.
const Label = buildinfo.BundleID

// Set adds (enabled) or removes what starts exe at login. Removing what is
// not there is not an error.
func Set(enabled bool, exe string) error {
	if err := set(enabled, exe); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	return nil
}

// Enabled reports whether Pagekeeper starts at login.
func Enabled() bool { return enabled() }

// writeFile and removeFile back the platforms whose login item is a file.
func writeFile(p string, body []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, body, 0o644)
}

func removeFile(p string) error {
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func fileExists(p string, err error) bool {
	if err != nil {
		return false
	}
	_, err = os.Stat(p)
	return err == nil
}

// DesktopEntryPath is where the freedesktop autostart entry lives
// ($XDG_CONFIG_HOME/autostart).
func DesktopEntryPath() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "autostart", "pagekeeper.desktop"), nil
}

// DesktopEntry is the .desktop file that starts Pagekeeper at login.
func DesktopEntry(exe string) string {
	// Exec needs quoting when the path has spaces (Desktop Entry spec, "Exec key").
	quoted := exe
	if strings.ContainsAny(exe, " \t\"") {
		quoted = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(exe) + `"`
	}
	return "[Desktop Entry]\nType=Application\nName=Pagekeeper\nComment=Keeps your Facebook Page connections alive\n" +
		"Exec=" + quoted + "\nIcon=pagekeeper\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
}

// LaunchAgentPath is where the macOS LaunchAgent lives (~/Library/LaunchAgents).
func LaunchAgentPath() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, "Library", "LaunchAgents", Label+".plist"), nil
}

// LaunchAgent is the property list launchd reads at login: it runs exe once
// (RunAtLoad) and does not restart it when the owner quits the app.
func LaunchAgent(exe string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>` + Label + `</string>
	<key>ProgramArguments</key>
	<array>
		<string>`)
	xmlEscape(&b, exe)
	b.WriteString(`</string>
	</array>
	<key>RunAtLoad</key>
	<true/>
	<key>KeepAlive</key>
	<false/>
	<key>ProcessType</key>
	<string>Interactive</string>
</dict>
</plist>
`)
	return b.String()
}

func xmlEscape(b *strings.Builder, s string) {
	b.WriteString(strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(s))
}

// RunCommand is the Run key's value: the quoted path, as Windows splits a
// command line on spaces.
func RunCommand(exe string) string { return `"` + exe + `"` }
