package autostart

import (
	"os"
	"testing"
)

const testExe = "/opt/Page Keeper/pagekeeper"

func isolate(t *testing.T) { t.Setenv("XDG_CONFIG_HOME", t.TempDir()) }

func want(exe string) string { return `Exec="` + exe + `"` }

func stored(t *testing.T) string {
	p, _ := DesktopEntryPath()
	body, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}
