package buildinfo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The platform files Wails builds from (at the repository root) must name
// Pagekeeper the way the code does: macOS refuses notifications to an app
// without its bundle identifier, and Go needs macOS 12.
func TestPlatformFilesAgreeWithTheCode(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"build/darwin/Info.plist", "<string>" + BundleID + "</string>"},
		{"build/darwin/Info.plist", "<key>LSMinimumSystemVersion</key>\n        <string>12.0</string>"},
		{"build/darwin/Info.dev.plist", "<string>" + BundleID + "</string>"},
		{"build/windows/wails.exe.manifest", `name="` + BundleID + `"`},
		{"build/windows/info.json", `"ProductVersion": "{{.Info.ProductVersion}}"`},
		{"wails.json", `"copyright": "Copyright (c) The Pagekeeper authors"`},
	} {
		body, err := os.ReadFile(filepath.Join("..", "..", c.file))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(body), c.want) {
			t.Errorf("%s does not contain %q", c.file, c.want)
		}
	}
}
