package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// startSandboxCmd runs `pagekeeper sandbox args...` and returns its stdout
// as a line reader, a stop function and the exit code channel.
func startSandboxCmd(t *testing.T, args ...string) (*bufio.Reader, context.CancelFunc, <-chan int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	env := &Env{Stdin: strings.NewReader(""), Stdout: pw, Stderr: io.Discard, Getenv: func(string) string { return "" }, IsTerminal: func(any) bool { return false }}
	done := make(chan int, 1)
	go func() {
		code := Main(ctx, env, append([]string{"sandbox"}, args...))
		pw.Close()
		done <- code
	}()
	t.Cleanup(cancel)
	return bufio.NewReader(pr), cancel, done
}

func TestSandboxCommandServesAndStops(t *testing.T) {
	out, stop, done := startSandboxCmd(t, "--addr", "127.0.0.1:0", "--json", "--app-secret", "s3cret")
	line, err := out.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	var info sandboxInfo
	if err := json.Unmarshal([]byte(line), &info); err != nil {
		t.Fatalf("json line %q: %v", line, err)
	}
	if info.AppSecret != "s3cret" || info.AppID == "" || !strings.HasPrefix(info.URL, "http://127.0.0.1:") || len(info.Personas) != 2 {
		t.Fatalf("info %+v", info)
	}
	resp, err := http.Get(info.URL + "/v25.0/oauth/access_token?grant_type=client_credentials&client_id=" + info.AppID + "&client_secret=s3cret")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"access_token":"`+info.AppID+`|`) {
		t.Fatalf("client_credentials: %d %s", resp.StatusCode, body)
	}
	resp, err = http.Get(info.DialogURL + "?client_id=" + info.AppID + "&redirect_uri=http://localhost:9/cb&state=x")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Continue as Dana Whitfield") {
		t.Fatalf("dialog: %d", resp.StatusCode)
	}
	stop()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit code %d", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("sandbox did not stop")
	}
	if _, err := http.Get(info.URL + "/__sandbox/state"); err == nil {
		t.Fatal("still serving after stop")
	}
}

func TestSandboxCommandText(t *testing.T) {
	out, stop, done := startSandboxCmd(t, "--addr", "127.0.0.1:0")
	var text strings.Builder
	for !strings.Contains(text.String(), "__sandbox/scenarios") {
		line, err := out.ReadString('\n')
		if err != nil {
			t.Fatalf("output ended: %q", text.String())
		}
		text.WriteString(line)
	}
	for _, want := range []string{"Base URL      http://127.0.0.1:", "App ID        584930217765432", "App secret    ", "Dana Whitfield", "Sam Ortiz", "PAGEKEEPER_GRAPH_URL="} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, text.String())
		}
	}
	stop()
	go io.Copy(io.Discard, out)
	if code := <-done; code != 0 {
		t.Fatalf("exit %d", code)
	}
}

func TestSandboxCommandBadInput(t *testing.T) {
	if code, _, errs := run(t, "sandbox", "--quota", "0"); code != 64 || !strings.Contains(errs, "--quota") {
		t.Fatalf("quota 0: %d %q", code, errs)
	}
	if code, _, _ := run(t, "sandbox", "--nope"); code != 64 {
		t.Fatalf("bad flag: %d", code)
	}
	if code, _, errs := run(t, "sandbox", "--addr", "256.0.0.1:1"); code != 1 || !strings.Contains(errs, "listen") {
		t.Fatalf("bad addr: %d %q", code, errs)
	}
}

// lockedBuffer is a bytes.Buffer safe to write from the command's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// The sandbox's admin API is open by design; listening beyond loopback puts
// it on the network, which the command says before anything else.
func TestSandboxWarnsBeyondLoopback(t *testing.T) {
	for addr, warn := range map[string]bool{"0.0.0.0:0": true, ":0": true, "127.0.0.1:0": false, "localhost:0": false, "[::1]:0": false} {
		ctx, cancel := context.WithCancel(context.Background())
		pr, pw := io.Pipe()
		var errb lockedBuffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: pw, Stderr: &errb, Getenv: func(string) string { return "" }, IsTerminal: func(any) bool { return false }}
		done := make(chan int, 1)
		go func() {
			done <- Main(ctx, env, []string{"sandbox", "--addr", addr, "--json"})
			pw.Close()
		}()
		if _, err := bufio.NewReader(pr).ReadString('\n'); err != nil {
			cancel()
			t.Fatalf("%s: %v (%s)", addr, err, errb.String())
		}
		got := errb.String()
		cancel()
		go io.Copy(io.Discard, pr)
		<-done
		if warned := strings.Contains(got, "other machines on the network can reach") && strings.Contains(got, "admin API"); warned != warn {
			t.Errorf("--addr %s: warned %v, want %v (stderr %q)", addr, warned, warn, got)
		}
	}
}
