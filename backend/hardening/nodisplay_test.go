package hardening

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// EnvBinary names an already built production binary to test (test-session.sh
// sets it to build/bin/pagekeeper); without it the test builds one.
const EnvBinary = "PAGEKEEPER_BINARY"

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// desktopBinary is the real desktop build: GTK and WebKit linked in, as
// people run it.
func desktopBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv(EnvBinary); p != "" {
		abs, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return abs
	}
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pkbin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "pagekeeper")
		cmd := exec.Command("go", "build", "-tags", "desktop,production,webkit2_41", "-o", binPath, ".")
		cmd.Dir = "../.."
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = errors.New("building the desktop binary: " + err.Error() + "\n" + string(out))
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// Without a display, whatever would open the window says so and exits 1 (not
// GTK's panic and exit 2, which `check`'s convention reads as "a Page is
// invalid"); mistyped flags are reported as such, without touching GTK.
func TestNoDisplayIsAClearMessage(t *testing.T) {
	bin := desktopBinary(t)
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "DISPLAY" && k != "WAYLAND_DISPLAY" && k != "PAGEKEEPER_DATA_DIR" {
			env = append(env, kv)
		}
	}
	env = append(env, "PAGEKEEPER_DATA_DIR="+t.TempDir())
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{nil, 1, "no display"},
		{[]string{"demo"}, 1, "no display"},
		{[]string{"--json", "status"}, 64, `unknown flag "--json"`},
		{[]string{"-x"}, 64, `unknown flag "-x"`},
	} {
		cmd := exec.Command(bin, tc.args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		text := string(out)
		if code != tc.code || !strings.Contains(text, tc.says) || strings.Contains(text, "panic") || strings.Contains(text, "goroutine") {
			t.Errorf("pagekeeper %q without a display: exit %d, want %d saying %q:\n%s", tc.args, code, tc.code, tc.says, text)
		}
	}
}
