package hardening

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/internal/testport"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/login"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

// stillWaiting asserts the keeper's login has not ended.
func stillWaiting(t *testing.T, k *keeper.Keeper, after string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if res, err := k.WaitLogin(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("after %s the login ended: %+v %v", after, res, err)
	}
}

func get(t *testing.T, method, u, host string) int {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0 // nothing listens: as good as a refusal
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestCallbackThroughKeeper attacks the keeper's login the way a web page
// in the same browser could, then replays a used code into a new login.
func TestCallbackThroughKeeper(t *testing.T) {
	r := newRig(t, rigOptions{})
	ctx := context.Background()
	start, err := r.k.StartLogin(ctx, keeper.LoginRequest{NoBrowser: true})
	if err != nil {
		t.Fatal(err)
	}
	dialog, _ := url.Parse(start.URL)
	state := dialog.Query().Get("state")
	cb, _ := url.Parse(start.RedirectURI)
	port := cb.Port()
	base := "http://127.0.0.1:" + port + login.CallbackPath
	blocked := 0
	forged := []struct {
		name, method, query, host string
		want                      int
	}{
		{"no state", "GET", "code=abc", "", 400},
		{"wrong state", "GET", "code=abc&state=" + strings.Repeat("A", len(state)), "", 400},
		{"wrong state, error", "GET", "error=access_denied&state=x", "", 400},
		{"no state, error", "GET", "error=server_error&error_description=Forged%1B%5B2J", "", 400},
		{"no state, cancel", "GET", "error=access_denied&error_reason=user_denied", "", 400},
		{"state of another length", "GET", "code=abc&state=" + state[:10], "", 400},
		{"foreign Host (DNS rebinding)", "GET", "code=abc&state=" + state, "evil.example:" + port, 400},
		{"POST", "POST", "code=abc&state=" + state, "", 405},
		{"right state, no code", "GET", "state=" + state, "", 400},
	}
	for _, f := range forged {
		if got := get(t, f.method, base+"?"+f.query, f.host); got != f.want {
			t.Errorf("%s: HTTP %d, want %d", f.name, got, f.want)
			continue
		}
		stillWaiting(t, r.k, f.name)
		blocked++
	}

	// Loopback only: nothing answers on ::1 or on the machine's other addresses.
	exposed, tried := 0, 0
	addrs, _ := net.InterfaceAddrs()
	hosts := []string{"::1"}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() {
			hosts = append(hosts, ipn.IP.String())
		}
	}
	for _, h := range hosts {
		tried++
		if c, err := net.DialTimeout("tcp", net.JoinHostPort(h, port), time.Second); err == nil {
			c.Close()
			exposed++
			t.Errorf("the callback answers on %s", h)
		}
	}

	// The real redirect completes the login; the same redirect again does not.
	redirect, err := r.sb.Consent(ctx, start.URL, sandbox.ConsentChoice{Persona: sandbox.DanaID})
	if err != nil {
		t.Fatal(err)
	}
	if code := follow(t, redirect.String()); code != 200 {
		t.Fatalf("the real redirect: HTTP %d", code)
	}
	res, err := r.k.WaitLogin(ctx)
	if err != nil || !res.OK {
		t.Fatalf("login: %+v %v", res, err)
	}
	if code := get(t, "GET", redirect.String(), ""); code == 200 {
		t.Error("a second callback was accepted")
	} else {
		blocked++
	}

	// The used code, replayed into a new login with its fresh state, is refused by Facebook.
	start2, err := r.k.StartLogin(ctx, keeper.LoginRequest{NoBrowser: true})
	if err != nil {
		t.Fatal(err)
	}
	d2, _ := url.Parse(start2.URL)
	replay := redirect.Query()
	replay.Set("state", d2.Query().Get("state"))
	get(t, "GET", "http://localhost:"+port+login.CallbackPath+"?"+replay.Encode(), "")
	res2, err := r.k.WaitLogin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res2.OK || !strings.Contains(res2.Error, "rejected the login code") {
		t.Errorf("replayed code: %+v", res2)
	} else {
		blocked++
	}

	// A new login replaces a waiting one on the same port; cancelling frees it.
	for range 3 {
		if _, err := r.k.StartLogin(ctx, keeper.LoginRequest{NoBrowser: true}); err != nil {
			t.Fatalf("a new login could not replace the waiting one: %v", err)
		}
	}
	r.k.CancelLogin()
	res3, err := r.k.WaitLogin(ctx)
	if err != nil || !res3.Cancelled {
		t.Errorf("cancelled login: %+v %v", res3, err)
	}
	freed := portFree(t, port)

	// The login times out on its own and frees its port.
	p := testport.Free(t)
	id, secret := r.sb.App()
	sess, err := login.Start(ctx, login.Config{AppID: id, AppSecret: secret, FacebookURL: r.sb.URL(), GraphURL: r.sb.URL(),
		Port: p, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	_, err = sess.Wait(ctx)
	if !errors.Is(err, login.ErrTimeout) {
		t.Errorf("login without an answer: %v, want ErrTimeout", err)
	}
	timedOut := time.Since(began).Round(10 * time.Millisecond)
	freed = freed && portFree(t, strconv.Itoa(p))
	if !freed {
		t.Error("a finished login kept its port")
	}
	figure(t, "forged, replayed and second callbacks refused %d/%d; listening beyond 127.0.0.1 on %d of %d other addresses; login timed out after %v; ports freed: %v",
		blocked, len(forged)+2, exposed, tried, timedOut, freed)
}

func portFree(t *testing.T, port string) bool {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:"+port)
	if err != nil {
		return false
	}
	ln.Close()
	return true
}
