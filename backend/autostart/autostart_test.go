package autostart

import (
	"os"
	"strings"
	"testing"
)

func TestSetWritesAndRemovesTheEntry(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if Enabled() {
		t.Fatal("enabled before Set")
	}
	if err := Set(true, "/opt/Page Keeper/pagekeeper"); err != nil {
		t.Fatal(err)
	}
	p, _ := Path()
	body, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), `Exec="/opt/Page Keeper/pagekeeper"`) || !Enabled() {
		t.Fatalf("entry %q", body)
	}
	if err := Set(false, ""); err != nil {
		t.Fatal(err)
	}
	if Enabled() {
		t.Fatal("still enabled after Set(false)")
	}
	if err := Set(false, ""); err != nil {
		t.Fatalf("removing twice: %v", err)
	}
}
