//go:build wine

package winbuild

import (
	"bufio"
	"bytes"
	"context"
	"debug/pe"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/internal/testport"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
	"github.com/pagekeeper/pagekeeper/backend/store"
)

// winPath is how a Windows program under Wine names a Linux path (drive Z:).
func winPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		panic(err)
	}
	return `Z:` + strings.ReplaceAll(abs, "/", `\`)
}

func artifact(t *testing.T, env string) string {
	t.Helper()
	p := os.Getenv(env)
	if p == "" {
		t.Fatalf("%s is not set: run scripts/wine-test.sh, which builds the Windows artifacts first", env)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// console is a cmd.exe session under Wine: every command's stdout and
// stderr go to one pipe, in the order a console window would show them, and
// the transcript is kept for the test log.
type console struct {
	t          *testing.T
	env        []string
	transcript bytes.Buffer
}

func (c *console) command(line string) *exec.Cmd {
	c.transcript.WriteString("> " + line + "\n")
	cmd := exec.Command("wine", "cmd", "/c", line)
	cmd.Env = c.env
	return cmd
}

// run runs one command line in cmd.exe and returns its exit code and what
// the console showed.
func (c *console) run(line string) (int, string) {
	c.t.Helper()
	cmd := c.command(line)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	c.transcript.Write(out.Bytes())
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatalf("%s: %v", line, err)
	}
	return code, strings.ReplaceAll(out.String(), "\r\n", "\n")
}

// login runs a login command with --no-browser, plays the sandbox's dialog
// with the URL it prints first and follows the redirect, as the browser would.
func (c *console) login(sb *sandbox.Server, line string) (int, string) {
	c.t.Helper()
	cmd := c.command(line)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		c.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	rd := bufio.NewReader(stdout)
	first, err := rd.ReadString('\n')
	if err != nil {
		rest, _ := io.ReadAll(rd)
		cmd.Wait()
		c.t.Fatalf("%s printed no login URL: %q %q %q", line, first, rest, errb.String())
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	redirect, err := sb.Consent(ctx, strings.TrimSpace(first), sandbox.ConsentChoice{Persona: "Dana Whitfield"})
	if err != nil {
		cmd.Process.Kill()
		c.t.Fatalf("consent: %v", err)
	}
	if resp, err := http.Get(redirect.String()); err == nil {
		resp.Body.Close()
	}
	rest, _ := io.ReadAll(rd)
	err = cmd.Wait()
	out := first + string(rest) + errb.String()
	c.transcript.WriteString(out)
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	return code, strings.ReplaceAll(out, "\r\n", "\n")
}

func expect(t *testing.T, what string, code, wantCode int, out string, wants ...string) {
	t.Helper()
	if code != wantCode {
		t.Fatalf("%s: exit %d, want %d\n%s", what, code, wantCode, out)
	}
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Fatalf("%s: the console shows no %q:\n%s", what, w, out)
		}
	}
}

// credentials lists the entries of Windows Credential Manager whose name
// holds "pagekeeper" (Wine keeps them in its registry).
func credentials(t *testing.T, env []string) string {
	t.Helper()
	cmd := exec.Command("wine", "reg", "query", `HKCU\Software\Wine\Credential Manager`)
	cmd.Env = env
	out, _ := cmd.CombinedOutput()
	var names []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(strings.ToLower(l), "pagekeeper") {
			names = append(names, strings.TrimSpace(l))
		}
	}
	return strings.Join(names, "\n")
}

// TestCommandLineInAConsole goes through a first run the way an owner does
// in cmd.exe or PowerShell: setup, connect, check, reconnect, disconnect and
// reset, with the secrets in Windows Credential Manager.
func TestCommandLineInAConsole(t *testing.T) {
	exe := artifact(t, "PAGEKEEPER_WINDOWS_EXE")
	// A GUI-subsystem program prints nothing in cmd.exe or PowerShell (Wine
	// would show its output anyway, so this is checked on the file).
	f, err := pe.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	f.Close()
	if !ok || oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_CUI {
		t.Fatalf("%s is not a console program (subsystem %v)", exe, oh)
	}

	sb, err := sandbox.Start("127.0.0.1:0", sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	data := t.TempDir()
	// On the PATH, as the installer puts it, so the console types `pagekeeper`.
	c := &console{t: t, env: append(os.Environ(), "WINEPATH="+winPath(filepath.Dir(exe)),
		"PAGEKEEPER_DATA_DIR="+winPath(data),
		"PAGEKEEPER_GRAPH_URL="+sb.URL(), "PAGEKEEPER_FACEBOOK_URL="+sb.URL())}
	defer func() { t.Logf("the console:\n%s", c.transcript.String()) }()
	const pk = "pagekeeper"

	code, out := c.run(pk + " version")
	expect(t, "version", code, 0, out, "pagekeeper "+os.Getenv("PAGEKEEPER_VERSION"))

	// The secret piped in by the shell, with the CRLF cmd.exe ends lines with.
	id, secret := sb.App()
	code, out = c.run("echo " + secret + "| " + pk + " setup --app-id " + id)
	expect(t, "setup", code, 0, out, "(App ID "+id+")", "secret is in the system keychain", "http://localhost:")
	if strings.Contains(out, secret) {
		t.Fatal("setup showed the secret")
	}
	if creds := credentials(t, c.env); !strings.Contains(creds, "app-secret:"+id) {
		t.Fatalf("Credential Manager has no app secret after setup:\n%s", creds)
	}
	code, out = c.run(pk + " setup --app-id " + id + " < NUL")
	expect(t, "setup without a secret", code, 64, out, "no App Secret", "PowerShell")

	// A free port of its own for the login redirect (the default is fixed).
	setRedirectPort(t, filepath.Join(data, "pagekeeper.db"), testport.Free(t))

	pages := strings.Join([]string{sandbox.PageBakery, sandbox.PageCatering, sandbox.PageCafe, sandbox.PageWholesale}, ",")
	code, out = c.login(sb, pk+" connect --no-browser --pages "+pages)
	expect(t, "connect", code, 0, out, "Logged in as Dana Whitfield.", "Connected (4)")
	code, out = c.run(pk + " check")
	expect(t, "check", code, 0, out, "Harbor Street Bakery")
	code, out = c.login(sb, pk+" reconnect "+sandbox.DanaID+" --no-browser")
	expect(t, "reconnect", code, 0, out, "Logged in as Dana Whitfield.", "Access renewed (")
	code, out = c.run(pk + " disconnect " + sandbox.PageBakery)
	expect(t, "disconnect", code, 0, out, "Page "+sandbox.PageBakery+" is disconnected")
	// The Page tokens are in numbered credentials of at most 2,560 bytes:
	// the disconnected Page's is gone, the others read back (into NUL, so
	// no token reaches the transcript).
	if creds := credentials(t, c.env); !strings.Contains(creds, "page-tokens:0") || strings.Contains(creds, "page-token:") {
		t.Fatalf("Credential Manager after disconnect:\n%s", creds)
	}
	code, out = c.run(pk + " token " + sandbox.PageCatering + " > NUL")
	expect(t, "token of a connected Page", code, 0, out)
	code, out = c.run(pk + " token " + sandbox.PageBakery + " > NUL")
	expect(t, "token of the disconnected Page", code, 1, out)

	code, out = c.run(pk + " reset < NUL")
	expect(t, "reset without --yes", code, 64, out, "--yes")
	code, out = c.run(pk + " reset --yes")
	expect(t, "reset", code, 0, out, "Removed Pagekeeper's secrets", "Removed the data folder")
	if creds := credentials(t, c.env); creds != "" {
		t.Fatalf("Credential Manager still holds after reset:\n%s", creds)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Fatalf("the data folder is still there: %v", err)
	}
}

func setRedirectPort(t *testing.T, path string, port int) {
	t.Helper()
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *store.Tx) error {
		s, err := tx.Settings()
		if err != nil {
			return err
		}
		s.RedirectPort = port
		return tx.PutSettings(s)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// wineRun runs a Windows program under Wine and returns what it printed.
func wineRun(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("wine", args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(strings.ReplaceAll(string(out), "\r\n", "\n")), err
}

// unixPath is where a Windows path of the Wine prefix lives on Linux.
func unixPath(t *testing.T, env []string, p string) string {
	t.Helper()
	cmd := exec.Command("winepath", "-u", p)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("winepath %s: %v", p, err)
	}
	return strings.TrimSpace(string(out))
}

func regQuery(t *testing.T, env []string, key, value string) string {
	t.Helper()
	out, _ := wineRun(t, env, "reg", "query", key, "/v", value)
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) >= 3 && f[0] == value {
			return strings.Join(f[2:], " ")
		}
	}
	return ""
}

// TestInstallerPerUser installs the way an owner without administrator
// rights does, runs the installed program, and uninstalls with /PURGE,
// which runs `pagekeeper reset`.
func TestInstallerPerUser(t *testing.T) {
	setup := artifact(t, "PAGEKEEPER_WINDOWS_SETUP")
	env := os.Environ()
	const uninstKey = `HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Pagekeeper`

	if out, err := wineRun(t, env, setup, "/S"); err != nil {
		t.Fatalf("silent install: %v\n%s", err, out)
	}
	local, _ := wineRun(t, env, "cmd", "/c", "echo %LOCALAPPDATA%")
	dir := local + `\Programs\Pagekeeper`
	if got := regQuery(t, env, uninstKey, "InstallLocation"); got != dir {
		t.Fatalf("installed in %q (HKCU uninstall entry), want the per-user %q", got, dir)
	}
	for _, f := range []string{"pagekeeper.exe", "pagekeeper-window.exe", "uninstall.exe"} {
		if _, err := os.Stat(filepath.Join(unixPath(t, env, dir), f)); err != nil {
			t.Fatalf("%s is not installed: %v", f, err)
		}
	}
	if got := regQuery(t, env, uninstKey, "DisplayVersion"); got != os.Getenv("PAGEKEEPER_VERSION") {
		t.Fatalf("DisplayVersion %q, want %q", got, os.Getenv("PAGEKEEPER_VERSION"))
	}
	if path := regQuery(t, env, `HKCU\Environment`, "Path"); !strings.Contains(path, dir) {
		t.Fatalf("the user's Path %q does not hold %q", path, dir)
	}
	appData, _ := wineRun(t, env, "cmd", "/c", "echo %APPDATA%")
	menu := unixPath(t, env, appData+`\Microsoft\Windows\Start Menu\Programs\Pagekeeper.lnk`)
	if _, err := os.Stat(menu); err != nil {
		t.Fatalf("no Start menu shortcut: %v", err)
	}

	// The installed program runs, finds its way into Credential Manager,
	// and the uninstaller's reset takes that out again.
	out, err := wineRun(t, env, dir+`\pagekeeper.exe`, "version")
	if err != nil || out != "pagekeeper "+os.Getenv("PAGEKEEPER_VERSION") {
		t.Fatalf("the installed pagekeeper.exe version: %v %q", err, out)
	}
	sb, err := sandbox.Start("127.0.0.1:0", sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sb.Close()
	id, secret := sb.App()
	envSB := append(env, "PAGEKEEPER_GRAPH_URL="+sb.URL(), "PAGEKEEPER_FACEBOOK_URL="+sb.URL())
	if out, err := wineRun(t, envSB, "cmd", "/c", "echo "+secret+"| pagekeeper setup --app-id "+id); err != nil {
		t.Fatalf("setup with the installed program (found on the Path): %v\n%s", err, out)
	}
	data := unixPath(t, env, appData+`\pagekeeper`)
	if _, err := os.Stat(filepath.Join(data, "pagekeeper.db")); err != nil {
		t.Fatalf("no data folder in %%APPDATA%%: %v", err)
	}
	if creds := credentials(t, env); !strings.Contains(creds, "app-secret:"+id) {
		t.Fatalf("no app secret in Credential Manager:\n%s", creds)
	}

	// The uninstaller copies itself away and returns at once; wait for it.
	if out, err := wineRun(t, env, dir+`\uninstall.exe`, "/S", "/PURGE"); err != nil {
		t.Fatalf("uninstall: %v\n%s", err, out)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for regQuery(t, env, uninstKey, "DisplayName") != "" {
		if time.Now().After(deadline) {
			t.Fatal("the uninstaller did not finish in 2 minutes")
		}
		time.Sleep(time.Second)
	}
	if _, err := os.Stat(unixPath(t, env, dir)); !os.IsNotExist(err) {
		t.Fatalf("the program folder is still there: %v", err)
	}
	if creds := credentials(t, env); creds != "" {
		t.Fatalf("Credential Manager still holds after uninstall /PURGE:\n%s", creds)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Fatalf("the data folder is still there: %v", err)
	}
	if path := regQuery(t, env, `HKCU\Environment`, "Path"); strings.Contains(path, dir) {
		t.Fatalf("the user's Path still holds the program folder: %q", path)
	}
}

// TestMissingWebView2IsExplained starts the window build where WebView2 is
// missing (Wine has none). Without a display Wails' offer to install it gets
// no answer, as when the owner cancels it; Pagekeeper then says in words what
// is missing, where to get it and that the commands still work (in a message
// box on Windows, and on the console it was started from, which is what can
// be read here).
func TestMissingWebView2IsExplained(t *testing.T) {
	exe := filepath.Join(filepath.Dir(artifact(t, "PAGEKEEPER_WINDOWS_EXE")), "pagekeeper-window.exe")
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
			env = append(env, kv)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "wine", exe)
	cmd.Env = append(env, "PAGEKEEPER_DATA_DIR="+winPath(t.TempDir()))
	// Wine services started meanwhile may hold the output pipe open.
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the window build did not give up in 2 minutes:\n%s", out)
	}
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit %v, want 1\n%s", err, out)
	}
	for _, want := range []string{"Microsoft Edge WebView2 is not installed", "https://go.microsoft.com/fwlink/p/?LinkId=2124703", "pagekeeper status"} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("the owner is not told %q:\n%s", want, out)
		}
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// TestVersionInfo reads the version resources Explorer's Properties and the
// installer's entry show: the version from wails.json, the product and its
// copyright, in both programs.
func TestVersionInfo(t *testing.T) {
	cli := artifact(t, "PAGEKEEPER_WINDOWS_EXE")
	version := os.Getenv("PAGEKEEPER_VERSION")
	for exe, wants := range map[string][]string{
		cli: {"Pagekeeper command line", "Copyright (c) The Pagekeeper authors"},
		filepath.Join(filepath.Dir(cli), "pagekeeper-window.exe"): {"Keeps your Facebook Page connections alive", "Copyright (c) The Pagekeeper authors"},
	} {
		data, err := os.ReadFile(exe)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range append(wants, "ProductVersion", version) {
			if !bytes.Contains(data, utf16le(w)) {
				t.Errorf("%s has no %q in its version info", filepath.Base(exe), w)
			}
		}
	}
}
