package hardening

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/hooks"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
)

const hookSecret = "hardening-hook-secret-0123456789abcdef"

// hookWatch is a deploy hook and a webhook receiver that keep everything
// Pagekeeper handed them: the command's arguments and environment and the
// webhook deliveries go to the haystack; what the command read on stdin
// (where the token belongs) is kept apart, to prove tokens were delivered.
type hookWatch struct {
	dir string
	mu  sync.Mutex
	got [][]byte
}

// hookScript records its arguments, environment and stdin, and prints the
// token back, so the history's scrubbing is put to the test.
const hookScript = `#!/bin/sh
dir="$1"
printf '%s\n' "$0" "$@" >> "$dir/args"
env >> "$dir/env"
tok=$(cat)
printf '%s\n' "$tok" >> "$dir/stdin"
echo "$PAGEKEEPER_EVENT for $PAGEKEEPER_PAGE_NAME: got $tok"
echo "stderr: $tok" >&2
`

func setHooks(t *testing.T, r *rig, h *haystack) *hookWatch {
	t.Helper()
	w := &hookWatch{dir: t.TempDir()}
	script := filepath.Join(w.dir, "deploy.sh")
	if err := os.WriteFile(script, []byte(hookScript), 0o700); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		w.mu.Lock()
		w.got = append(w.got, []byte(fmt.Sprintf("%v %s", req.Header, b)))
		w.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	v, err := r.k.SetHook(keeper.HookInput{Command: fmt.Sprintf("'%s' '%s'", script, w.dir)})
	h.ret("SetHook command", v, err)
	v, err = r.k.SetHook(keeper.HookInput{URL: srv.URL + "/pagekeeper", Secret: hookSecret})
	h.ret("SetHook webhook", v, err)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// collect puts the hooks' arguments, environment and deliveries into h and
// checks the hooks did get tokens, on stdin.
func (w *hookWatch) collect(t *testing.T, h *haystack) {
	t.Helper()
	for _, f := range []string{"args", "env"} {
		b, err := os.ReadFile(filepath.Join(w.dir, f))
		if err != nil {
			t.Fatalf("the hook never ran: %v", err)
		}
		h.add("hook "+f, b)
	}
	w.mu.Lock()
	for i, d := range w.got {
		h.add(fmt.Sprintf("webhook delivery %d", i), d)
	}
	n := len(w.got)
	w.mu.Unlock()
	stdin, _ := os.ReadFile(filepath.Join(w.dir, "stdin"))
	delivered := len(tokenShape.FindAll(stdin, -1))
	if delivered == 0 || n == 0 || !strings.Contains(string(stdin), hooks.DryRunToken) {
		t.Errorf("hooks: %d tokens delivered on stdin, %d webhook deliveries", delivered, n)
	}
	figure(t, "deploy hooks: %d tokens delivered on stdin, %d webhook deliveries; arguments, environment, history and deliveries scanned", delivered, n)
}
