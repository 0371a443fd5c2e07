package datadir

import (
	"os"
	"path/filepath"
	"testing"
)

func TestEnvOverridesAndEnsureCreatesPrivateFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "pk")
	t.Setenv(EnvVar, dir)
	got, err := Ensure()
	if err != nil {
		t.Fatal(err)
	}
	if got != dir {
		t.Fatalf("Ensure() = %q, want %q", got, dir)
	}
	st, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := st.Mode().Perm(); perm != 0o700 {
		t.Fatalf("data folder mode %v, want 0700", perm)
	}
}

func TestDefaultIsUnderUserConfigDir(t *testing.T) {
	t.Setenv(EnvVar, "")
	t.Setenv("XDG_CONFIG_HOME", "/tmp/xdg-test")
	got, err := Resolve()
	if err != nil {
		t.Fatal(err)
	}
	if got != "/tmp/xdg-test/pagekeeper" {
		t.Fatalf("Resolve() = %q", got)
	}
}
