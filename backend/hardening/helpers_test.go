package hardening

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/internal/testport"
	"github.com/pagekeeper/pagekeeper/backend/keeper"
	"github.com/pagekeeper/pagekeeper/backend/notify"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// figure prints one measured result on a line of its own, to stdout (so a
// -v run shows it unindented, for grep '^FIGURE') and to the test log.
func figure(t testing.TB, format string, args ...any) {
	t.Helper()
	line := "FIGURE " + t.Name() + ": " + fmt.Sprintf(format, args...)
	t.Log(line)
	fmt.Println(line)
}

// tokenShape is what Facebook's (and the sandbox's) access tokens look like.
var tokenShape = regexp.MustCompile(`EAA[A-Za-z0-9_\-]{16,}`)

// tokenRecorder is an http.RoundTripper on the keeper's HTTPClient that
// collects every access token that crosses the wire, in either direction:
// the sandbox has no API listing what it issued, and this way the list also
// holds tokens that only ever travelled inside a batch or a code exchange.
type tokenRecorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	seen map[string]bool
	reqs int
}

func newTokenRecorder() *tokenRecorder {
	return &tokenRecorder{base: http.DefaultTransport.(*http.Transport).Clone(), seen: map[string]bool{}}
}

func (r *tokenRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.scanValues(req.URL.Query())
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(b))
		if q, err := url.ParseQuery(string(b)); err == nil {
			r.scanValues(q)
		}
		r.scanText(b)
	}
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	r.scanText(body)
	r.scanJSON(body)
	r.mu.Lock()
	r.reqs++
	r.mu.Unlock()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

func (r *tokenRecorder) add(tok string) {
	if tok == "" {
		return
	}
	r.mu.Lock()
	r.seen[tok] = true
	r.mu.Unlock()
}

func (r *tokenRecorder) scanValues(q url.Values) {
	for _, k := range []string{"access_token", "input_token", "fb_exchange_token"} {
		for _, v := range q[k] {
			// The app token is APP_ID|APP_SECRET: the secret is listed on its own.
			if !strings.Contains(v, "|") {
				r.add(v)
			}
		}
	}
}

func (r *tokenRecorder) scanText(b []byte) {
	for _, m := range tokenShape.FindAll(b, -1) {
		r.add(string(m))
	}
}

// scanJSON takes every "access_token" value, also inside batch bodies,
// which are JSON documents held in JSON strings.
func (r *tokenRecorder) scanJSON(b []byte) {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && k == "access_token" && !strings.Contains(s, "|") {
					r.add(s)
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case string:
			if strings.HasPrefix(x, "{") || strings.HasPrefix(x, "[") {
				r.scanJSON([]byte(x))
			}
		}
	}
	walk(v)
}

func (r *tokenRecorder) tokens() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.seen))
	for t := range r.seen {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

func (r *tokenRecorder) requests() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reqs
}

// sender is a recording notify.Sender.
type sender struct {
	mu   sync.Mutex
	sent []notify.Notification
}

func (s *sender) Send(_ context.Context, n notify.Notification) error {
	s.mu.Lock()
	s.sent = append(s.sent, n)
	s.mu.Unlock()
	return nil
}

func (s *sender) all() []notify.Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]notify.Notification(nil), s.sent...)
}

func (s *sender) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sent)
}

// events keeps every event the keeper sent to the window, as the JSON the
// window would have received.
type events struct {
	mu   sync.Mutex
	json [][]byte
}

func (e *events) emit(name string, data any) {
	b, err := json.Marshal(data)
	if err != nil {
		b = []byte("unmarshallable event " + name + ": " + err.Error())
	}
	e.mu.Lock()
	e.json = append(e.json, append([]byte(name+" "), b...))
	e.mu.Unlock()
}

func (e *events) all() [][]byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([][]byte(nil), e.json...)
}

// rig is a keeper on a sandbox, with everything that leaves it recorded.
type rig struct {
	t      *testing.T
	sb     *sandbox.Server
	k      *keeper.Keeper
	dir    string
	tokens *tokenRecorder
	sent   *sender
	events *events
}

type rigOptions struct {
	secrets vault.Secrets  // default vault.NewMemory()
	clock   *sandbox.Clock // default a running clock; a frozen one also drives the keeper's Now
	timeout time.Duration  // HTTP client timeout, default 10 s
	seed    uint64         // sandbox fault RNG
	dir     string         // default t.TempDir()
	opener  func(string) error
}

func newRig(t *testing.T, o rigOptions) *rig {
	t.Helper()
	if o.secrets == nil {
		o.secrets = vault.NewMemory()
	}
	if o.timeout == 0 {
		o.timeout = 10 * time.Second
	}
	if o.dir == "" {
		o.dir = t.TempDir()
	}
	sb, err := sandbox.Start("127.0.0.1:0", sandbox.Options{Clock: o.clock, Seed: o.seed})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	r := &rig{t: t, sb: sb, dir: o.dir, tokens: newTokenRecorder(), sent: &sender{}, events: &events{}}
	opts := keeper.Options{
		DataDir: o.dir, Secrets: o.secrets, GraphURL: sb.URL(), FacebookURL: sb.URL(),
		Sender: r.sent, Emit: r.events.emit, Opener: o.opener,
		HTTPClient: &http.Client{Transport: r.tokens, Timeout: o.timeout},
	}
	if o.clock != nil {
		opts.Now = o.clock.Now
	}
	r.k, err = keeper.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.k.Close() })
	r.usePort(testport.Free(t))
	id, secret := sb.App()
	if err := r.k.SetupApp(context.Background(), id, secret); err != nil {
		t.Fatal(err)
	}
	return r
}

// usePort moves the login redirect to a free port, so parallel test
// processes never meet on the default one.
func (r *rig) usePort(port int) {
	r.t.Helper()
	v, err := r.k.Settings()
	if err != nil {
		r.t.Fatal(err)
	}
	v.RedirectPort = port
	if err := r.k.SaveSettings(v); err != nil {
		r.t.Fatal(err)
	}
}

// login plays a whole "Log in with Facebook" through the sandbox's dialog.
func (r *rig) login(req keeper.LoginRequest, c sandbox.ConsentChoice) keeper.LoginResult {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req.NoBrowser = true
	start, err := r.k.StartLogin(ctx, req)
	if err != nil {
		r.t.Fatal(err)
	}
	redirect, err := r.sb.Consent(ctx, start.URL, c)
	if err != nil {
		r.t.Fatal(err)
	}
	follow(r.t, redirect.String())
	res, err := r.k.WaitLogin(ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	return res
}

// follow does what the browser does with Facebook's redirect.
func follow(t testing.TB, u string) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// connectAll logs persona in and connects every Page offered.
func (r *rig) connectAll(persona string) keeper.LoginResult {
	r.t.Helper()
	res := r.login(keeper.LoginRequest{}, sandbox.ConsentChoice{Persona: persona})
	if !res.OK {
		r.t.Fatalf("login as %s: %+v", persona, res)
	}
	var ids []string
	for _, c := range res.Candidates {
		ids = append(ids, c.ID)
	}
	if _, err := r.k.FinishConnect(context.Background(), ids); err != nil {
		r.t.Fatal(err)
	}
	return res
}

// statuses maps every Page to its status in the keeper's snapshot.
func (r *rig) statuses() map[string]string {
	r.t.Helper()
	snap, err := r.k.Snapshot()
	if err != nil {
		r.t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range snap.Pages {
		out[p.ID] = p.Status
	}
	return out
}
