package launch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Without the window build beside it, the command line says which file is
// missing and that the commands still work, instead of failing somewhere
// deeper. The test binary's folder holds no pagekeeper-window.
func TestWindowNamesTheMissingWindowBuild(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	self, _ = filepath.EvalSymlinks(self)
	if _, err := os.Stat(filepath.Join(filepath.Dir(self), WindowBinary+exeSuffix)); err == nil {
		t.Fatal("a window build sits beside the test binary; this test needs a folder without one")
	}
	err = Window([]string{"demo"})
	if err == nil {
		t.Fatal("Window returned no error without the window build")
	}
	for _, want := range []string{WindowBinary + exeSuffix, "the commands work without it"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
