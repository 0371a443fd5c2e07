package vault

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// Each platform's owner reads the name of their own keychain and where to
// unlock it.
func TestUnavailableWordsNameThePlatformsKeychain(t *testing.T) {
	for _, c := range []struct {
		goos string
		r    Reason
		want string
	}{
		{"darwin", Locked, "Keychain Access"},
		{"darwin", Locked, "Always Allow"},
		{"darwin", Absent, "security unlock-keychain"},
		{"darwin", Other, "login keychain"},
		{"windows", Other, "Credential Manager"},
		{"windows", Absent, "Credential Manager"},
		{"linux", Absent, "Secret Service"},
		{"linux", Locked, "seahorse"},
	} {
		got := unavailableWords(c.goos, c.r)
		if !strings.Contains(got, c.want) {
			t.Errorf("%s/%v: %q lacks %q", c.goos, c.r, got, c.want)
		}
		if c.goos != "linux" && (strings.Contains(got, "D-Bus") || strings.Contains(got, "seahorse")) {
			t.Errorf("%s/%v speaks of Linux: %q", c.goos, c.r, got)
		}
	}
}

// go-keyring on macOS keeps only the exit status of /usr/bin/security.
func TestSecurityExitStatusIsLockedOnMacOS(t *testing.T) {
	exit := func(code string) error {
		err := exec.Command("sh", "-c", "exit "+code).Run()
		if err == nil {
			t.Fatal("no exit error")
		}
		return err
	}
	for code, want := range map[string]bool{"36": true, "51": true, "128": true, "44": false, "1": false} {
		r, ok := securityExitReason("darwin", exit(code))
		if ok != want || (ok && r != Locked) {
			t.Errorf("exit %s: %v %v, want locked=%v", code, r, ok, want)
		}
	}
	if _, ok := securityExitReason("linux", exit("36")); ok {
		t.Error("exit 36 means nothing on Linux")
	}
	if _, ok := securityExitReason("darwin", errors.New("exit status 36")); ok {
		t.Error("a look-alike message is not an exit status")
	}
}
