package login_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/pagekeeper/pagekeeper/backend/internal/testport"
	"github.com/pagekeeper/pagekeeper/backend/login"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

// These tests run the whole login against the project's fake Facebook: the
// sandbox's Login dialog (played by its Consent helper, as a person would in
// the browser) and its /oauth/access_token.

type sandboxLogin struct {
	sb   *sandbox.Server
	s    *login.Session
	port int
}

func startSandbox(t *testing.T, opts sandbox.Options) *sandbox.Server {
	t.Helper()
	sb, err := sandbox.Start("127.0.0.1:0", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb
}

func startSandboxLogin(t *testing.T, sb *sandbox.Server, mutate func(*login.Config)) *sandboxLogin {
	t.Helper()
	id, secret := sb.App()
	cfg := login.Config{
		AppID: id, AppSecret: secret,
		FacebookURL: sb.URL(), GraphURL: sb.URL(),
		Port:    testport.Free(t),
		Scopes:  []string{"pages_show_list", "pages_read_engagement"},
		Timeout: time.Minute,
	}
	s := mustStart(t, &cfg, mutate)
	return &sandboxLogin{sb: sb, s: s, port: cfg.Port}
}

// consent plays the dialog at dialogURL and checks that Facebook sends the
// browser back to this session's redirect URI.
func (l *sandboxLogin) consent(t *testing.T, dialogURL string, c sandbox.ConsentChoice) *url.URL {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	back, err := l.sb.Consent(ctx, dialogURL, c)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Scheme + "://" + back.Host + back.Path; got != l.s.RedirectURI() {
		t.Fatalf("dialog redirected to %s, want %s", got, l.s.RedirectURI())
	}
	return back
}

// deliver is the browser following the redirect to the loopback server.
func (l *sandboxLogin) deliver(t *testing.T, back *url.URL) (int, string) {
	t.Helper()
	return getURL(t, back.String())
}

func (l *sandboxLogin) wait(t *testing.T) (*oauth2.Token, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return l.s.Wait(ctx)
}

func TestSandboxLoginSuccess(t *testing.T) {
	sb := startSandbox(t, sandbox.Options{})
	l := startSandboxLogin(t, sb, nil)
	back := l.consent(t, l.s.URL(), sandbox.ConsentChoice{})
	if back.Query().Get("code") == "" {
		t.Fatalf("no code in the redirect: %s", back.Redacted())
	}
	status, body := l.deliver(t, back)
	if status != 200 || !strings.Contains(body, "You can close this tab and return to Pagekeeper") {
		t.Fatalf("success page: %d %s", status, body)
	}
	tok, err := l.wait(t)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken == "" || tok.Expiry.IsZero() || time.Until(tok.Expiry) <= 0 {
		t.Fatalf("token without value or future expiry (expiry %v)", tok.Expiry)
	}
	if !portFree(l.port) {
		t.Error("port still bound after Wait")
	}

	// The token is a real one: the Graph API knows who it belongs to.
	req, _ := http.NewRequest("GET", sb.URL()+"/v25.0/me?fields=id,name", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var me struct{ ID, Name string }
	if err := json.NewDecoder(resp.Body).Decode(&me); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/me with the new token: HTTP %d, %v", resp.StatusCode, err)
	}
	if want := sb.Personas()[0]; me.ID != want.ID {
		t.Errorf("/me = %+v, want persona %s", me, want.ID)
	}
}

func TestSandboxLoginCancel(t *testing.T) {
	sb := startSandbox(t, sandbox.Options{})
	l := startSandboxLogin(t, sb, nil)
	back := l.consent(t, l.s.URL(), sandbox.ConsentChoice{Cancel: true})
	status, body := l.deliver(t, back)
	if status != 200 || !strings.Contains(body, "You cancelled the Facebook login") {
		t.Fatalf("cancel page: %d %s", status, body)
	}
	if _, err := l.wait(t); !errors.Is(err, login.ErrCancelled) {
		t.Fatalf("err = %v, want ErrCancelled", err)
	}
}

// failedExchange delivers back and returns Wait's error, checking that
// neither the error nor the browser page holds the code or a secret.
func (l *sandboxLogin) failedExchange(t *testing.T, back *url.URL, secrets ...string) error {
	t.Helper()
	status, body := l.deliver(t, back)
	if status != 200 || !strings.Contains(body, "could not finish connecting") {
		t.Errorf("failure page: %d %s", status, body)
	}
	tok, err := l.wait(t)
	if err == nil {
		t.Fatalf("login succeeded (token %v)", tok != nil)
	}
	t.Logf("error: %v", err)
	_, appSecret := l.sb.App()
	for _, s := range append(secrets, back.Query().Get("code"), appSecret, "client_secret", "access_token=") {
		if s == "" {
			continue
		}
		if strings.Contains(err.Error(), s) || strings.Contains(body, s) {
			t.Errorf("error or page contains %q: %v / %s", s, err, body)
		}
	}
	return err
}

func TestSandboxReplayedCode(t *testing.T) {
	sb := startSandbox(t, sandbox.Options{})
	l := startSandboxLogin(t, sb, nil)
	back := l.consent(t, l.s.URL(), sandbox.ConsentChoice{})

	// Someone else redeems the code first (say, a leaked redirect).
	id, secret := sb.App()
	resp, err := http.PostForm(sb.URL()+"/v25.0/oauth/access_token", url.Values{
		"client_id": {id}, "client_secret": {secret}, "redirect_uri": {l.s.RedirectURI()},
		"code": {back.Query().Get("code")},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("first redemption: HTTP %d", resp.StatusCode)
	}

	err = l.failedExchange(t, back)
	var ee *login.ExchangeError
	if !errors.Is(err, login.ErrCodeRejected) || !errors.As(err, &ee) || ee.Subcode != 36009 {
		t.Fatalf("err = %v, want ErrCodeRejected with subcode 36009", err)
	}
}

func TestSandboxExpiredCode(t *testing.T) {
	clock := sandbox.NewClock(time.Now())
	sb := startSandbox(t, sandbox.Options{Clock: clock})
	l := startSandboxLogin(t, sb, nil)
	back := l.consent(t, l.s.URL(), sandbox.ConsentChoice{})
	clock.Advance(sandbox.CodeTTL + time.Second)
	err := l.failedExchange(t, back)
	if !errors.Is(err, login.ErrCodeRejected) || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("err = %v", err)
	}
}

func TestSandboxWrongSecret(t *testing.T) {
	sb := startSandbox(t, sandbox.Options{})
	l := startSandboxLogin(t, sb, func(c *login.Config) { c.AppSecret = "0123456789abcdef-wrong" })
	back := l.consent(t, l.s.URL(), sandbox.ConsentChoice{})
	err := l.failedExchange(t, back, "0123456789abcdef-wrong")
	if !errors.Is(err, login.ErrAppRejected) || !strings.Contains(err.Error(), "App Secret") {
		t.Fatalf("err = %v, want ErrAppRejected", err)
	}
}

func TestSandboxPKCEVerifierChecked(t *testing.T) {
	sb := startSandbox(t, sandbox.Options{})
	l := startSandboxLogin(t, sb, nil)
	// The dialog is told a challenge that is not ours, so the verifier this
	// session sends at the exchange cannot match.
	u, _ := url.Parse(l.s.URL())
	q := u.Query()
	q.Set("code_challenge", s256(oauth2.GenerateVerifier()))
	u.RawQuery = q.Encode()
	back := l.consent(t, u.String(), sandbox.ConsentChoice{})
	err := l.failedExchange(t, back)
	if !errors.Is(err, login.ErrCodeRejected) || !strings.Contains(err.Error(), "code_verifier") {
		t.Fatalf("err = %v, want a PKCE rejection", err)
	}
}

func TestSandboxUnreachableAtExchange(t *testing.T) {
	sb := startSandbox(t, sandbox.Options{})
	l := startSandboxLogin(t, sb, nil)
	back := l.consent(t, l.s.URL(), sandbox.ConsentChoice{})
	sb.Close()
	err := l.failedExchange(t, back)
	if !errors.Is(err, login.ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
	if strings.Contains(err.Error(), strconv.Itoa(l.port)) && strings.Contains(err.Error(), "callback") {
		t.Errorf("error names the redirect URI: %v", err)
	}
}
