package login_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/internal/testport"
	"github.com/pagekeeper/pagekeeper/backend/login"
)

const (
	appID     = "1234567890"
	appSecret = "s3cr3t-app-secret-value"
	goodCode  = "AQD-the-login-code"
	userToken = "EAAB-user-token-value"
)

// portFree reports whether the port can be bound again.
func portFree(port int) bool {
	ln, err := net.Listen("tcp4", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

// tokenEndpoint is a real HTTP server playing Graph's /oauth/access_token by
// the rules of FACEBOOK.md §1: it checks every parameter, including the PKCE
// verifier against the challenge of the dialog URL.
type tokenEndpoint struct {
	srv       *httptest.Server
	hits      atomic.Int32
	challenge atomic.Value // string, set by the test from the dialog URL
	redirect  atomic.Value // string
	used      atomic.Bool
	// reply overrides the answer (status, body) when set.
	reply func() (int, string)
}

func newTokenEndpoint(t *testing.T) *tokenEndpoint {
	te := &tokenEndpoint{}
	te.srv = httptest.NewServer(http.HandlerFunc(te.serve))
	t.Cleanup(te.srv.Close)
	return te
}

func (te *tokenEndpoint) serve(w http.ResponseWriter, r *http.Request) {
	te.hits.Add(1)
	w.Header().Set("Content-Type", "application/json")
	fail := func(status int, body string) {
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
	if r.URL.Path != "/v25.0/oauth/access_token" || r.Method != http.MethodPost {
		fail(404, `{"error":{"message":"Unknown path","type":"OAuthException","code":2500}}`)
		return
	}
	if te.reply != nil {
		fail(te.reply())
		return
	}
	r.ParseForm()
	f := r.PostForm
	switch {
	case f.Get("client_id") != appID || f.Get("client_secret") != appSecret:
		fail(400, `{"error":{"message":"Error validating client secret.","type":"OAuthException","code":1,"fbtrace_id":"F0n\/KYH+Z5K"}}`)
	case f.Get("code") != goodCode || te.used.Load():
		fail(400, `{"error":{"message":"This authorization code has been used.","type":"OAuthException","code":100,"error_subcode":36009}}`)
	case f.Get("redirect_uri") != te.redirect.Load():
		fail(400, `{"error":{"message":"Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request","type":"OAuthException","code":100,"fbtrace_id":"FXgxdS+pnYb"}}`)
	case s256(f.Get("code_verifier")) != te.challenge.Load():
		fail(400, `{"error":{"message":"Invalid code verifier.","type":"OAuthException","code":100}}`)
	default:
		te.used.Store(true)
		io.WriteString(w, `{"access_token":"`+userToken+`","token_type":"bearer","expires_in":5183944}`)
	}
}

func s256(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

type fixture struct {
	s      *login.Session
	port   int
	te     *tokenEndpoint
	dialog url.Values
	opened []string
}

func config(t *testing.T, te *tokenEndpoint) login.Config {
	return login.Config{
		AppID: appID, AppSecret: appSecret,
		FacebookURL: "https://www.facebook.example", GraphURL: te.srv.URL,
		Port:    testport.Free(t),
		Scopes:  []string{"pages_show_list", "pages_read_engagement"},
		Timeout: time.Minute,
	}
}

func start(t *testing.T, mutate func(*login.Config)) *fixture {
	t.Helper()
	f := &fixture{te: newTokenEndpoint(t)}
	cfg := config(t, f.te)
	cfg.Opener = func(u string) error { f.opened = append(f.opened, u); return nil }
	s := mustStart(t, &cfg, mutate)
	f.s, f.port = s, cfg.Port
	u, err := url.Parse(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	f.dialog = u.Query()
	f.te.challenge.Store(f.dialog.Get("code_challenge"))
	f.te.redirect.Store(f.dialog.Get("redirect_uri"))
	return f
}

// mustStart applies mutate to cfg and starts a session stopped at test end.
func mustStart(t *testing.T, cfg *login.Config, mutate func(*login.Config)) *login.Session {
	t.Helper()
	if mutate != nil {
		mutate(cfg)
	}
	s, err := login.Start(context.Background(), *cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Cancel)
	return s
}

// get requests the loopback server like a browser would, on a fresh
// connection each time so no keep-alive outlives the session.
func (f *fixture) get(t *testing.T, query string) (int, string) {
	t.Helper()
	return getURL(t, "http://localhost:"+strconv.Itoa(f.port)+"/callback?"+query)
}

func getURL(t *testing.T, u string) (int, string) {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (f *fixture) state() string { return f.dialog.Get("state") }

func (f *fixture) wait(t *testing.T) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tok, err := f.s.Wait(ctx)
	if err == nil && (tok == nil || tok.AccessToken != userToken) {
		t.Fatalf("Wait returned token %+v and no error", tok)
	}
	return err
}

func TestDialogURLHasEveryParameter(t *testing.T) {
	f := start(t, func(c *login.Config) { c.AuthType = "rerequest" })
	if len(f.opened) != 1 || f.opened[0] != f.s.URL() {
		t.Fatalf("opener got %q, want exactly the session URL %q", f.opened, f.s.URL())
	}
	if f.s.OpenError() != nil {
		t.Errorf("OpenError = %v", f.s.OpenError())
	}
	u, _ := url.Parse(f.s.URL())
	if u.Scheme+"://"+u.Host+u.Path != "https://www.facebook.example/v25.0/dialog/oauth" {
		t.Errorf("dialog at %s://%s%s", u.Scheme, u.Host, u.Path)
	}
	q := f.dialog
	want := map[string]string{
		"client_id":             appID,
		"redirect_uri":          "http://localhost:" + strconv.Itoa(f.port) + "/callback",
		"response_type":         "code",
		"scope":                 "pages_show_list pages_read_engagement",
		"auth_type":             "rerequest",
		"code_challenge_method": "S256",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if raw, err := base64.RawURLEncoding.DecodeString(q.Get("state")); err != nil || len(raw) < 32 {
		t.Errorf("state %q is not 32+ random bytes", q.Get("state"))
	}
	if c, err := base64.RawURLEncoding.DecodeString(q.Get("code_challenge")); err != nil || len(c) != sha256.Size {
		t.Errorf("code_challenge %q is not a SHA-256", q.Get("code_challenge"))
	}
	if strings.Contains(f.s.URL(), appSecret) {
		t.Error("the dialog URL contains the app secret")
	}
	if f.s.RedirectURI() != login.RedirectURI(f.port) {
		t.Errorf("RedirectURI = %q", f.s.RedirectURI())
	}

	// Each login has its own state and verifier.
	f.s.Cancel()
	g := start(t, nil)
	if g.state() == f.state() || g.dialog.Get("code_challenge") == q.Get("code_challenge") {
		t.Error("two logins share state or PKCE challenge")
	}
	if g.dialog.Has("auth_type") {
		t.Error("auth_type sent although not configured")
	}
}

func TestRedirectURI(t *testing.T) {
	if got := login.RedirectURI(0); got != "http://localhost:47613/callback" {
		t.Errorf("RedirectURI(0) = %q", got)
	}
	if got := login.RedirectURI(5000); got != "http://localhost:5000/callback" {
		t.Errorf("RedirectURI(5000) = %q", got)
	}
}

func TestSuccessThenSecondCallback(t *testing.T) {
	f := start(t, nil)
	q := "code=" + goodCode + "&state=" + f.state()
	status, body := f.get(t, q+"#_=_")
	if status != 200 || !strings.Contains(body, "You can close this tab and return to Pagekeeper") {
		t.Fatalf("success page: %d %s", status, body)
	}
	status, body = f.get(t, q)
	if status != http.StatusConflict || !strings.Contains(body, "This login already completed") {
		t.Fatalf("second callback: %d %s", status, body)
	}
	if err := f.wait(t); err != nil {
		t.Fatal(err)
	}
	if n := f.te.hits.Load(); n != 1 {
		t.Errorf("token endpoint called %d times, want 1", n)
	}
	if !portFree(f.port) {
		t.Error("port still bound after Wait returned")
	}
}

func TestTokenFields(t *testing.T) {
	f := start(t, nil)
	f.get(t, "code="+goodCode+"&state="+f.state())
	tok, err := f.s.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != userToken || !strings.EqualFold(tok.TokenType, "bearer") {
		t.Errorf("token = %+v", tok)
	}
	if d := time.Until(tok.Expiry); d < 59*24*time.Hour || d > 61*24*time.Hour {
		t.Errorf("expiry in %s, want about 60 days", d)
	}
	// Wait is repeatable.
	tok2, err := f.s.Wait(context.Background())
	if err != nil || tok2.AccessToken != userToken {
		t.Errorf("second Wait: %v %v", tok2, err)
	}
}

func TestWrongOrMissingStateKeepsWaiting(t *testing.T) {
	f := start(t, nil)
	wrong := f.state()[:len(f.state())-1] + "x"
	for _, q := range []string{
		"code=" + goodCode + "&state=" + wrong,
		"code=" + goodCode,
		"code=" + goodCode + "&state=",
		"error=access_denied&error_reason=user_denied&state=" + wrong,
	} {
		status, body := f.get(t, q)
		if status != http.StatusBadRequest || !strings.Contains(body, "not accepted") {
			t.Errorf("%s: %d %s", q, status, body)
		}
		if strings.Contains(body, goodCode) {
			t.Errorf("%s: page echoes the code", q)
		}
	}
	if n := f.te.hits.Load(); n != 0 {
		t.Fatalf("a wrong-state callback reached the token endpoint (%d calls)", n)
	}
	// The real redirect still completes the login.
	if status, _ := f.get(t, "code="+goodCode+"&state="+f.state()); status != 200 {
		t.Fatalf("real callback after bad ones: %d", status)
	}
	if err := f.wait(t); err != nil {
		t.Fatal(err)
	}
}

func TestNonCallbackRequestsRejected(t *testing.T) {
	f := start(t, nil)
	base := "http://127.0.0.1:" + strconv.Itoa(f.port)
	if status, _ := getURL(t, base+"/other?code="+goodCode+"&state="+f.state()); status != 404 {
		t.Errorf("other path: %d", status)
	}
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.PostForm(base+"/callback", url.Values{"code": {goodCode}, "state": {f.state()}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
	// A DNS-rebinding page reaches 127.0.0.1 under a foreign host name.
	req, _ := http.NewRequest("GET", base+"/callback?code="+goodCode+"&state="+f.state(), nil)
	req.Host = "evil.example:" + strconv.Itoa(f.port)
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("foreign Host: %d", resp.StatusCode)
	}
	if n := f.te.hits.Load(); n != 0 {
		t.Fatalf("rejected requests reached the token endpoint (%d)", n)
	}
	// 127.0.0.1 is as good as localhost.
	if status, _ := getURL(t, base+"/callback?code="+goodCode+"&state="+f.state()); status != 200 {
		t.Fatalf("callback via 127.0.0.1: %d", status)
	}
	if err := f.wait(t); err != nil {
		t.Fatal(err)
	}
}

func TestCancelRedirects(t *testing.T) {
	for name, q := range map[string]func(state string) string{
		// graph-sample 39, with the state Facebook passes back.
		"user_denied": func(s string) string {
			return "error=access_denied&error_code=200&error_description=Permissions+error&error_reason=user_denied&state=" + s
		},
		// graph-sample 40: only error_code=4201, with the state.
		"4201": func(s string) string {
			return "error_code=4201&error_message=User+canceled+the+Dialog+flow&state=" + s
		},
	} {
		t.Run(name, func(t *testing.T) {
			f := start(t, nil)
			status, body := f.get(t, q(f.state()))
			if status != 200 || !strings.Contains(body, "You cancelled the Facebook login") {
				t.Fatalf("cancel page: %d %s", status, body)
			}
			if err := f.wait(t); !errors.Is(err, login.ErrCancelled) {
				t.Fatalf("err = %v, want ErrCancelled", err)
			}
			if !portFree(f.port) {
				t.Error("port still bound")
			}
		})
	}
}

// Any web page can make the browser call the callback: an error redirect
// without the login's state neither ends the login nor gets its words shown.
func TestStatelessErrorIsIgnored(t *testing.T) {
	f := start(t, nil)
	for _, q := range []string{
		"error=server_error&error_description=Your+account+is+locked%2C+call+%2B1-555",
		"error=access_denied&error_reason=user_denied&error_description=Forged+words",
		"error_code=4201&error_message=Forged+words",
	} {
		status, body := f.get(t, q)
		if status != http.StatusBadRequest || strings.Contains(body, "locked") || strings.Contains(body, "Forged") {
			t.Fatalf("%s: %d %s", q, status, body)
		}
	}
	// The login still waits, and the real redirect completes it.
	if status, _ := f.get(t, "code="+goodCode+"&state="+f.state()); status != 200 {
		t.Fatalf("the real redirect after the forged ones: HTTP %d", status)
	}
	if err := f.wait(t); err != nil {
		t.Fatalf("the login ended with %v", err)
	}
}

func TestOtherFacebookError(t *testing.T) {
	f := start(t, nil)
	status, body := f.get(t, "error=server_error&error_description=Something+went+wrong&state="+f.state())
	if status != 200 || !strings.Contains(body, "Something went wrong") {
		t.Fatalf("error page: %d %s", status, body)
	}
	err := f.wait(t)
	var ce *login.CallbackError
	if !errors.As(err, &ce) || ce.Code != "server_error" || !strings.Contains(err.Error(), "Something went wrong") {
		t.Fatalf("err = %v", err)
	}
}

func TestErrorPageEscapesHTML(t *testing.T) {
	f := start(t, nil)
	_, body := f.get(t, "error=x&error_description="+url.QueryEscape("<script>alert(1)</script>")+"&state="+f.state())
	if strings.Contains(body, "<script>") {
		t.Fatalf("description not escaped: %s", body)
	}
}

func TestBoundToLoopbackOnly(t *testing.T) {
	f := start(t, nil)
	addr := f.s.Addr().(*net.TCPAddr)
	if !addr.IP.Equal(net.IPv4(127, 0, 0, 1)) || addr.Port != f.port {
		t.Fatalf("listening on %s, want 127.0.0.1:%d", addr, f.port)
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	// ::1 proves it is not a dual-stack wildcard; the machine's own
	// addresses prove other hosts cannot reach it.
	targets := []string{"::1"}
	for _, a := range addrs {
		if ip, ok := a.(*net.IPNet); ok && !ip.IP.IsLoopback() && !ip.IP.IsLinkLocalUnicast() {
			targets = append(targets, ip.IP.String())
		}
	}
	if len(targets) == 1 {
		t.Log("this machine has no non-loopback address; only ::1 was tried")
	}
	t.Logf("addresses tried: %v", targets)
	for _, host := range targets {
		conn, err := net.DialTimeout("tcp", net.JoinHostPort(host, strconv.Itoa(f.port)), 2*time.Second)
		if err == nil {
			conn.Close()
			t.Errorf("connected to the login server via %s", host)
		}
	}
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(f.port), 2*time.Second)
	if err != nil {
		t.Fatalf("cannot reach it on 127.0.0.1: %v", err)
	}
	conn.Close()
}

func TestPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	te := newTokenEndpoint(t)
	cfg := config(t, te)
	cfg.Port = port
	_, err = login.Start(context.Background(), cfg)
	var pe *login.PortInUseError
	if !errors.As(err, &pe) || pe.Port != port {
		t.Fatalf("err = %v (%T), want *PortInUseError for %d", err, err, port)
	}
	for _, want := range []string{"already in use", login.RedirectURI(port)} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}

func TestTimeoutFreesPort(t *testing.T) {
	f := start(t, func(c *login.Config) { c.Timeout = 100 * time.Millisecond })
	if err := f.wait(t); !errors.Is(err, login.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if !portFree(f.port) {
		t.Error("port still bound after the timeout")
	}
}

func TestCancelFreesPortAtOnce(t *testing.T) {
	f := start(t, nil)
	f.s.Cancel()
	if !portFree(f.port) {
		t.Fatal("port still bound right after Cancel")
	}
	if err := f.wait(t); !errors.Is(err, login.ErrStopped) {
		t.Fatalf("err = %v, want ErrStopped", err)
	}
	f.s.Cancel() // twice is harmless
}

func TestWaitContextStops(t *testing.T) {
	f := start(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.s.Wait(ctx); !errors.Is(err, login.ErrStopped) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if !portFree(f.port) {
		t.Error("port still bound")
	}
}

func TestStartContextStops(t *testing.T) {
	te := newTokenEndpoint(t)
	cfg := config(t, te)
	ctx, cancel := context.WithCancel(context.Background())
	s, err := login.Start(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := s.Wait(context.Background()); !errors.Is(err, login.ErrStopped) {
		t.Fatalf("err = %v", err)
	}
	if !portFree(cfg.Port) {
		t.Error("port still bound")
	}
}

func TestOpenerFailureIsNotFatal(t *testing.T) {
	f := start(t, func(c *login.Config) {
		c.Opener = func(string) error { return errors.New("xdg-open: not found") }
	})
	if err := f.s.OpenError(); err == nil || !strings.Contains(err.Error(), f.s.URL()) {
		t.Fatalf("OpenError = %v; it should carry the URL to copy", err)
	}
	f.get(t, "code="+goodCode+"&state="+f.state())
	if err := f.wait(t); err != nil {
		t.Fatal(err)
	}
}

func TestConfigChecks(t *testing.T) {
	te := newTokenEndpoint(t)
	for name, tc := range map[string]struct {
		mutate func(*login.Config)
		want   string
	}{
		"no app id":     {func(c *login.Config) { c.AppID = "" }, "no Facebook App ID"},
		"app id digits": {func(c *login.Config) { c.AppID = "12ab" }, "digits only"},
		"no secret":     {func(c *login.Config) { c.AppSecret = "" }, "no Facebook App Secret"},
		"port":          {func(c *login.Config) { c.Port = 70000 }, "not a valid TCP port"},
		"auth type":     {func(c *login.Config) { c.AuthType = "force" }, "unknown auth_type"},
		"version":       {func(c *login.Config) { c.Version = "25.0" }, "should look like v25.0"},
	} {
		cfg := config(t, te)
		tc.mutate(&cfg)
		_, err := login.Start(context.Background(), cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", name, err, tc.want)
		}
		if cfg.Port < 65536 && !portFree(cfg.Port) {
			t.Errorf("%s: a refused config left the port bound", name)
		}
	}
}

// exchangeFailure runs a login whose code exchange fails and returns the
// error and the browser page; it checks that no secret leaks into either.
func exchangeFailure(t *testing.T, f *fixture, code string) (error, string) {
	t.Helper()
	status, body := f.get(t, "code="+url.QueryEscape(code)+"&state="+f.state())
	if status != 200 || !strings.Contains(body, "could not finish connecting") {
		t.Errorf("failure page: %d %s", status, body)
	}
	err := f.wait(t)
	if err == nil {
		t.Fatal("login succeeded")
	}
	for _, secret := range []string{code, appSecret, userToken, "client_secret", "access_token="} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q contains %q", err, secret)
		}
		if strings.Contains(body, secret) {
			t.Errorf("page contains %q: %s", secret, body)
		}
	}
	return err, body
}

func TestExchangeFailures(t *testing.T) {
	t.Run("replayed code", func(t *testing.T) {
		f := start(t, nil)
		f.te.used.Store(true)
		err, _ := exchangeFailure(t, f, goodCode)
		var ee *login.ExchangeError
		if !errors.Is(err, login.ErrCodeRejected) || !errors.As(err, &ee) || ee.Code != 100 || ee.Subcode != 36009 {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		f := start(t, func(c *login.Config) { c.AppSecret = "not-the-secret" })
		err, _ := exchangeFailure(t, f, goodCode)
		if !errors.Is(err, login.ErrAppRejected) || !strings.Contains(err.Error(), "check the App ID and App Secret") {
			t.Fatalf("err = %v", err)
		}
		if strings.Contains(err.Error(), "not-the-secret") {
			t.Fatalf("error contains the configured secret: %v", err)
		}
	})
	t.Run("redirect mismatch", func(t *testing.T) {
		f := start(t, nil)
		f.te.redirect.Store("http://localhost:1/callback")
		err, _ := exchangeFailure(t, f, goodCode)
		if !errors.Is(err, login.ErrCodeRejected) || !strings.Contains(err.Error(), "redirect_uri is identical") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("pkce verifier", func(t *testing.T) {
		f := start(t, nil)
		f.te.challenge.Store(s256("some other verifier"))
		err, _ := exchangeFailure(t, f, goodCode)
		if !errors.Is(err, login.ErrCodeRejected) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("facebook echoes the code and secret", func(t *testing.T) {
		f := start(t, nil)
		f.te.reply = func() (int, string) {
			return 400, fmt.Sprintf(`{"error":{"message":"Bad code %s for secret %s","type":"OAuthException","code":100}}`, goodCode, appSecret)
		}
		exchangeFailure(t, f, goodCode)
	})
	t.Run("not json", func(t *testing.T) {
		f := start(t, nil)
		f.te.reply = func() (int, string) { return 502, "<html>Bad Gateway</html>" }
		err, _ := exchangeFailure(t, f, goodCode)
		// An answer arrived: it is never "could not reach Facebook".
		if !errors.Is(err, login.ErrFacebookTrouble) || errors.Is(err, login.ErrUnreachable) || !strings.Contains(err.Error(), "HTTP 502") {
			t.Fatalf("err = %v", err)
		}
	})
	// Issue 10, shape 7: the token endpoint's other spellings of an error.
	for _, tc := range []struct {
		name   string
		status int
		body   string
		kind   error
		has    string
	}{
		{"oauth error string, bad secret", 400, `{"error":"invalid_client","error_description":"Invalid client secret"}`, login.ErrAppRejected, "Invalid client secret"},
		{"oauth error string, used code", 400, `{"error":"invalid_grant","error_description":"This authorization code has been used."}`, login.ErrCodeRejected, "has been used"},
		{"oauth error string, other", 400, `{"error":"invalid_request","error_description":"Missing redirect_uri"}`, login.ErrRefused, "invalid_request Missing redirect_uri"},
		{"error_code and error_message", 400, `{"error_code":"100","error_message":"Error validating verification code. Please make sure your redirect_uri is identical"}`, login.ErrCodeRejected, "verification code"},
		{"code as a string, subcode spelled subcode", 400, `{"error":{"message":"This authorization code has expired.","code":"100","subcode":"36007","error_data":"x"}}`, login.ErrCodeRejected, "(code 100/36007)"},
		{"transient", 500, `{"error":{"message":"An unexpected error has occurred. Please retry your request later.","code":2,"is_transient":true}}`, login.ErrFacebookTrouble, "Please retry"},
		// x/oauth2 keeps no body of a 200 without a token; still an answer, not "unreachable".
		{"error inside a 200", 200, `{"error":{"message":"An unexpected error has occurred.","code":2,"is_transient":true}}`, login.ErrFacebookTrouble, "not a usable token"},
		{"app deleted", 400, `{"error":{"message":"Error validating application. Application has been deleted.","type":"OAuthException","code":101}}`, login.ErrAppRejected, "deleted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := start(t, nil)
			f.te.reply = func() (int, string) { return tc.status, tc.body }
			err, _ := exchangeFailure(t, f, goodCode)
			if !errors.Is(err, tc.kind) || errors.Is(err, login.ErrUnreachable) || !strings.Contains(err.Error(), tc.has) {
				t.Fatalf("err = %v, want %v with %q", err, tc.kind, tc.has)
			}
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		dead := testport.Free(t)
		f := start(t, func(c *login.Config) { c.GraphURL = "http://127.0.0.1:" + strconv.Itoa(dead) })
		err, _ := exchangeFailure(t, f, goodCode)
		if !errors.Is(err, login.ErrUnreachable) || !strings.Contains(err.Error(), "connection refused") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestNoCodeKeepsWaiting(t *testing.T) {
	f := start(t, nil)
	if status, _ := f.get(t, "state="+f.state()); status != http.StatusBadRequest {
		t.Fatalf("callback without code: %d", status)
	}
	f.get(t, "code="+goodCode+"&state="+f.state())
	if err := f.wait(t); err != nil {
		t.Fatal(err)
	}
}

func TestMain(m *testing.M) {
	// The tests talk to 127.0.0.1 and to httptest servers only.
	os.Unsetenv("HTTP_PROXY")
	os.Unsetenv("http_proxy")
	os.Exit(m.Run())
}
