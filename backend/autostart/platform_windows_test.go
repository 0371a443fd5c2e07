package autostart

import (
	"testing"

	"golang.org/x/sys/windows/registry"
)

const testExe = `C:\Users\Ann Lee\AppData\Local\Programs\Pagekeeper\pagekeeper-window.exe`

// isolate keeps a login item the machine already had: the Run key is the
// user's own, so the test puts back what it found.
func isolate(t *testing.T) {
	k, err := registry.OpenKey(registry.CURRENT_USER, RunKey, registry.QUERY_VALUE)
	if err != nil {
		return
	}
	old, _, err := k.GetStringValue(runValue)
	k.Close()
	if err == nil {
		t.Cleanup(func() { _ = Set(true, old[1:len(old)-1]) })
	}
	_ = Set(false, "")
}

func want(exe string) string { return RunCommand(exe) }

func stored(t *testing.T) string {
	k, err := registry.OpenKey(registry.CURRENT_USER, RunKey, registry.QUERY_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	v, _, err := k.GetStringValue(runValue)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
