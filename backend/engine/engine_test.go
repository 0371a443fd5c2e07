package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// TestMain lets the test binary play a client of another user: the test
// runs it again under uid 65534 with envClient naming the data folder.
func TestMain(m *testing.M) {
	if dir := os.Getenv(envClient); dir != "" {
		os.Exit(playClient(dir))
	}
	os.Exit(m.Run())
}

const (
	envClient = "PAGEKEEPER_ENGINE_TEST_CLIENT"
	envRaw    = "PAGEKEEPER_ENGINE_TEST_RAW"
)

// playClient asks for the version: through Dial, or (raw) on a bare
// connection that skips the client's own check of the engine's user.
func playClient(dir string) int {
	c, err := Dial(dir)
	if os.Getenv(envRaw) != "" {
		c, err = &Client{http: &http.Client{Transport: &http.Transport{
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, "unix", Endpoint(dir))
			}}}}, nil
	}
	if err != nil {
		fmt.Println("dial:", err)
		return 2
	}
	var v Version
	if err := c.Get(context.Background(), "/version", &v); err != nil {
		fmt.Println("get:", err)
		return 3
	}
	fmt.Println("served:", v.Version)
	return 0
}

// echo is a command that prints its arguments (one to each stream, a
// character split across two writes included) and exits with len(args).
func echo(_ context.Context, name string, req RunRequest, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "%s %s\n", name, strings.Join(req.Args, " "))
	b := []byte("café ✓\n")
	stderr.Write(b[:4])
	stderr.Write(b[4:])
	if req.StderrTerminal {
		fmt.Fprint(stderr, "tty\n")
	}
	return len(req.Args)
}

func serve(t *testing.T, dir string) (*Server, *keeper.Keeper, *Hub) {
	t.Helper()
	hub := NewHub()
	k, err := keeper.Open(context.Background(), keeper.Options{DataDir: dir, Secrets: vault.NewMemory(), Emit: hub.Emit})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	s, err := Serve(dir, Config{Keeper: k, Hub: hub, Commands: []string{"echo"}, Run: echo})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, k, hub
}

// shortDir is a data folder whose socket path fits in sun_path (t.TempDir's may not).
func shortDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pk-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func TestRunStreamsOutputAndExitCode(t *testing.T) {
	dir := shortDir(t)
	serve(t, dir)
	c, err := Dial(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code, err := c.Run(context.Background(), "echo", RunRequest{Args: []string{"a", "--json"}, StderrTerminal: true}, &out, &errb)
	if err != nil {
		t.Fatal(err)
	}
	if code != 2 || out.String() != "echo a --json\n" || errb.String() != "café ✓\ntty\n" {
		t.Fatalf("code %d stdout %q stderr %q", code, out.String(), errb.String())
	}
	_, err = c.Run(context.Background(), "setup", RunRequest{}, &out, &errb)
	var refused *RefusedError
	if !errors.As(err, &refused) || refused.Status != http.StatusNotFound || !strings.Contains(err.Error(), "setup") {
		t.Fatalf("a command the engine does not run: %v", err)
	}
}

func TestSnapshotAndEventsAreServed(t *testing.T) {
	dir := shortDir(t)
	_, _, hub := serve(t, dir)
	c, err := Dial(dir)
	if err != nil {
		t.Fatal(err)
	}
	var snap keeper.Snapshot
	if err := c.Get(context.Background(), "/snapshot", &snap); err != nil {
		t.Fatal(err)
	}
	if snap.Configured || snap.Pages == nil {
		t.Fatalf("snapshot of an empty folder: %+v", snap)
	}
	// A script following /v1/events sees what the keeper tells the window.
	resp, err := c.http.Get(c.url("/events"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	go func() {
		for i := 0; i < 50; i++ {
			hub.Emit(keeper.EventNotice, keeper.Notice{Level: "info", Message: "hello"})
		}
	}()
	var ev struct {
		Name string        `json:"event"`
		Data keeper.Notice `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&ev); err != nil {
		t.Fatal(err)
	}
	if ev.Name != keeper.EventNotice || ev.Data.Message != "hello" {
		t.Fatalf("event %+v", ev)
	}
}

// seen is a writer that records, in one sequence, what both streams got.
type seen struct {
	mu   sync.Mutex
	log  []string
	tell chan string
}

func (s *seen) stream(name string) io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		s.mu.Lock()
		s.log = append(s.log, name+":"+string(p))
		s.mu.Unlock()
		if s.tell != nil {
			s.tell <- string(p)
		}
		return len(p), nil
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestOutputKeepsItsOrderAndArrivesWhileTheCommandWaits: gathered output
// still comes in the order written, and reaches the client while the
// command waits (a login URL before the login).
func TestOutputKeepsItsOrderAndArrivesWhileTheCommandWaits(t *testing.T) {
	dir := shortDir(t)
	got := make(chan struct{})
	k, err := keeper.Open(context.Background(), keeper.Options{DataDir: dir, Secrets: vault.NewMemory()})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	s, err := Serve(dir, Config{Keeper: k, Hub: NewHub(), Commands: []string{"login"},
		Run: func(ctx context.Context, _ string, _ RunRequest, stdout, stderr io.Writer) int {
			io.WriteString(stdout, "a")
			io.WriteString(stderr, "b")
			io.WriteString(stdout, "c")
			io.WriteString(stdout, "https://example.com/dialog\n")
			select { // until the client has the URL
			case <-got:
			case <-time.After(10 * time.Second):
				return 9
			}
			io.WriteString(stdout, "Logged in.\n")
			return 0
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := Dial(dir)
	if err != nil {
		t.Fatal(err)
	}
	rec := &seen{tell: make(chan string, 16)}
	go func() {
		for p := range rec.tell {
			if strings.Contains(p, "/dialog") {
				close(got)
				return
			}
		}
	}()
	code, err := c.Run(context.Background(), "login", RunRequest{}, rec.stream("out"), rec.stream("err"))
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v (9: the URL never arrived while the command waited)", code, err)
	}
	want := "out:a|err:b|out:chttps://example.com/dialog\n|out:Logged in.\n"
	if strings.Join(rec.log, "|") != want {
		t.Fatalf("got %q\nwant %q", strings.Join(rec.log, "|"), want)
	}
}
