package autostart

import (
	"os"
	"testing"
)

const testExe = "/Applications/Pagekeeper.app/Contents/MacOS/Pagekeeper"

func isolate(t *testing.T) { t.Setenv("HOME", t.TempDir()) }

func want(exe string) string { return "<string>" + exe + "</string>" }

func stored(t *testing.T) string {
	p, _ := LaunchAgentPath()
	body, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}
