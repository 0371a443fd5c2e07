package sandbox

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// t0 is a fixed start so expiry arithmetic in tests is exact.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

const testRedirect = "http://127.0.0.1:8976/callback"

var pageScopes = []string{"pages_show_list", "pages_read_engagement", "pages_manage_metadata", "business_management", "instagram_basic"}

type env struct {
	t  testing.TB
	s  *Server
	id string
	sc string
}

func newEnv(t testing.TB, opts Options) *env {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = NewClock(t0)
	}
	if opts.Seed == 0 {
		opts.Seed = 7
	}
	s, err := Start("127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	id, secret := s.App()
	return &env{t: t, s: s, id: id, sc: secret}
}

func (e *env) dialog(state string, extra url.Values, scopes ...string) string {
	u := e.s.DialogURL(e.s.URL(), testRedirect, state, scopes...)
	if extra != nil {
		u += "&" + extra.Encode()
	}
	return u
}

// login plays the dialog and returns the code.
func (e *env) login(c ConsentChoice, extra url.Values, scopes ...string) string {
	e.t.Helper()
	red, err := e.s.Consent(context.Background(), e.dialog("st-1", extra, scopes...), c)
	if err != nil {
		e.t.Fatal(err)
	}
	code := red.Query().Get("code")
	if code == "" || red.Query().Get("state") != "st-1" {
		e.t.Fatalf("redirect %s has no code or wrong state", red)
	}
	return code
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	return m
}

// errCodes returns error.code and error.error_subcode (0 if absent).
func (r reply) errCodes(t testing.TB) (int, int) {
	t.Helper()
	m := r.json(t)
	e, ok := m["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error in %s", r.body)
	}
	code, _ := e["code"].(float64)
	sub, _ := e["error_subcode"].(float64)
	return int(code), int(sub)
}

func (e *env) do(method, path string, params url.Values) reply {
	e.t.Helper()
	u := e.s.URL() + path
	var body io.Reader
	if method == http.MethodGet || method == http.MethodDelete {
		if len(params) > 0 {
			u += "?" + params.Encode()
		}
	} else {
		body = strings.NewReader(params.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, b}
}

func (e *env) get(path, token string, kv ...string) reply {
	e.t.Helper()
	p := url.Values{}
	if token != "" {
		p.Set("access_token", token)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		p.Set(kv[i], kv[i+1])
	}
	return e.do(http.MethodGet, path, p)
}

// exchange trades a code for a short-lived user token with the secret.
func (e *env) exchange(code string) string {
	e.t.Helper()
	r := e.get("/v25.0/oauth/access_token", "", "client_id", e.id, "client_secret", e.sc, "redirect_uri", testRedirect, "code", code)
	if r.status != 200 {
		e.t.Fatalf("exchange: %d %s", r.status, r.body)
	}
	return r.json(e.t)["access_token"].(string)
}

func (e *env) longLived(short string) string {
	e.t.Helper()
	r := e.get("/v25.0/oauth/access_token", "", "grant_type", "fb_exchange_token", "client_id", e.id, "client_secret", e.sc, "fb_exchange_token", short)
	if r.status != 200 {
		e.t.Fatalf("fb_exchange_token: %d %s", r.status, r.body)
	}
	return r.json(e.t)["access_token"].(string)
}

// connect logs persona in with the Page scopes and returns a long-lived token.
func (e *env) connect(c ConsentChoice) string {
	e.t.Helper()
	return e.longLived(e.exchange(e.login(c, nil, pageScopes...)))
}

func (e *env) pageToken(user, page string) string {
	e.t.Helper()
	r := e.get("/v25.0/"+page, user, "fields", "access_token")
	tok, _ := r.json(e.t)["access_token"].(string)
	if tok == "" {
		e.t.Fatalf("no Page token for %s: %d %s", page, r.status, r.body)
	}
	return tok
}

func (e *env) debug(input string) map[string]any {
	e.t.Helper()
	r := e.get("/v25.0/debug_token", e.id+"|"+e.sc, "input_token", input)
	if r.status != 200 {
		e.t.Fatalf("debug_token: %d %s", r.status, r.body)
	}
	return r.json(e.t)["data"].(map[string]any)
}

func (e *env) apply(sc Scenario) {
	e.t.Helper()
	if err := e.s.Apply(sc); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) clear(sc Scenario) {
	e.t.Helper()
	if err := e.s.Clear(sc); err != nil {
		e.t.Fatal(err)
	}
}

// wantErr asserts an error reply's HTTP status, code and subcode.
func wantErr(t *testing.T, r reply, status, code, sub int) {
	t.Helper()
	c, s := r.errCodes(t)
	if r.status != status || c != code || s != sub {
		t.Fatalf("want %d %d/%d, got %d %d/%d: %s", status, code, sub, r.status, c, s, r.body)
	}
}

func wantOK(t *testing.T, r reply) map[string]any {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("want 200, got %d: %s", r.status, r.body)
	}
	return r.json(t)
}

func ids(t *testing.T, m map[string]any) []string {
	t.Helper()
	var out []string
	for _, d := range m["data"].([]any) {
		out = append(out, d.(map[string]any)["id"].(string))
	}
	return out
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
