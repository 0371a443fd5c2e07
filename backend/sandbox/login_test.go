package sandbox

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCodeExchangeAndMe(t *testing.T) {
	e := newEnv(t, Options{})
	code := e.login(ConsentChoice{Persona: "Dana Whitfield"}, nil, pageScopes...)
	r := e.get("/v25.0/oauth/access_token", "", "client_id", e.id, "client_secret", e.sc, "redirect_uri", testRedirect, "code", code)
	m := wantOK(t, r)
	if m["token_type"] != "bearer" || m["expires_in"] != float64(3600) || m["access_token"] == "" {
		t.Fatalf("code exchange shape: %s", r.body)
	}
	tok := m["access_token"].(string)
	// The code is single use.
	again := e.get("/v25.0/oauth/access_token", "", "client_id", e.id, "client_secret", e.sc, "redirect_uri", testRedirect, "code", code)
	wantErr(t, again, 400, 100, 36009)
	me := wantOK(t, e.get("/v25.0/me", tok))
	if me["id"] != DanaID || me["name"] != "Dana Whitfield" {
		t.Fatalf("/me: %v", me)
	}
	// Without a version prefix too, and the Authorization header works.
	if m := wantOK(t, e.get("/me", tok, "fields", "id")); m["id"] != DanaID || m["name"] != nil {
		t.Fatalf("/me?fields=id: %v", m)
	}
}

func TestCodeExchangeRejections(t *testing.T) {
	e := newEnv(t, Options{})
	code := e.login(ConsentChoice{}, nil, "pages_show_list")
	ex := func(kv ...string) reply {
		base := []string{"client_id", e.id, "code", code}
		return e.get("/v25.0/oauth/access_token", "", append(base, kv...)...)
	}
	wantErr(t, ex("client_secret", e.sc, "redirect_uri", testRedirect+"/other"), 400, 100, 0)
	r := ex("client_secret", "wrong", "redirect_uri", testRedirect)
	wantErr(t, r, 400, 1, 0)
	if !strings.Contains(string(r.body), "Error validating client secret.") {
		t.Fatalf("bad secret body: %s", r.body)
	}
	wantErr(t, ex("redirect_uri", testRedirect), 400, 100, 0) // no secret, no PKCE
	// Failed attempts do not burn the code; it then expires after CodeTTL.
	e.s.Clock().Advance(CodeTTL)
	wantErr(t, ex("client_secret", e.sc, "redirect_uri", testRedirect), 400, 100, 36007)
	wantErr(t, e.get("/v25.0/oauth/access_token", "", "client_id", "1", "client_secret", e.sc, "code", code), 400, 101, 0)
}

func TestPKCE(t *testing.T) {
	e := newEnv(t, Options{})
	verifier := strings.Repeat("v3rif1er-", 6)
	extra := url.Values{"code_challenge": {s256(verifier)}, "code_challenge_method": {"S256"}}
	code := e.login(ConsentChoice{}, extra, "openid", "pages_show_list")
	bad := e.get("/v25.0/oauth/access_token", "", "client_id", e.id, "redirect_uri", testRedirect, "code", code, "code_verifier", verifier+"x")
	wantErr(t, bad, 400, 100, 0)
	ok := wantOK(t, e.get("/v25.0/oauth/access_token", "", "client_id", e.id, "redirect_uri", testRedirect, "code", code, "code_verifier", verifier))
	if ok["access_token"] == "" || ok["id_token"] == nil || len(strings.Split(ok["id_token"].(string), ".")) != 3 {
		t.Fatalf("PKCE exchange: %v", ok)
	}
	// Without a secret the token cannot become long-lived [LL].
	r := e.get("/v25.0/oauth/access_token", "", "grant_type", "fb_exchange_token", "client_id", e.id, "fb_exchange_token", ok["access_token"].(string))
	wantErr(t, r, 400, 100, 0)
	// A plain challenge method is refused by the dialog.
	_, err := e.s.Consent(context.Background(), e.dialog("s", url.Values{"code_challenge": {s256(verifier)}, "code_challenge_method": {"plain"}}), ConsentChoice{})
	if err == nil || !strings.Contains(err.Error(), "code_challenge_method") {
		t.Fatalf("plain method: %v", err)
	}
}

func TestLongLivedAndAppTokens(t *testing.T) {
	e := newEnv(t, Options{})
	short := e.exchange(e.login(ConsentChoice{}, nil, pageScopes...))
	r := e.get("/v25.0/oauth/access_token", "", "grant_type", "fb_exchange_token", "client_id", e.id, "client_secret", e.sc, "fb_exchange_token", short)
	m := wantOK(t, r)
	if m["expires_in"] != float64(60*24*3600) || m["token_type"] != "bearer" {
		t.Fatalf("long-lived: %s", r.body)
	}
	long := m["access_token"].(string)
	d := e.debug(long)
	if d["expires_at"] != float64(t0.Add(LongLivedTTL).Unix()) || d["issued_at"] != float64(t0.Unix()) {
		t.Fatalf("long-lived debug: %v", d)
	}
	if d := e.debug(short); d["issued_at"] != nil || d["expires_at"] != float64(t0.Add(time.Hour).Unix()) {
		t.Fatalf("short-lived debug: %v", d)
	}
	cc := wantOK(t, e.get("/v25.0/oauth/access_token", "", "grant_type", "client_credentials", "client_id", e.id, "client_secret", e.sc))
	app := cc["access_token"].(string)
	if !strings.HasPrefix(app, e.id+"|") || cc["expires_in"] != nil {
		t.Fatalf("client_credentials: %v", cc)
	}
	if d := e.debug(app); d["type"] != "APP" || d["is_valid"] != true {
		t.Fatalf("app token debug: %v", d)
	}
	// An expired token cannot be exchanged.
	e.s.Clock().Advance(time.Hour)
	r = e.get("/v25.0/oauth/access_token", "", "grant_type", "fb_exchange_token", "client_id", e.id, "client_secret", e.sc, "fb_exchange_token", short)
	wantErr(t, r, 400, 190, 463)
}

func TestDialogValidation(t *testing.T) {
	e := newEnv(t, Options{RedirectURIs: []string{"https://app.example/cb"}, LiveMode: true})
	try := func(q url.Values) error {
		_, err := e.s.Consent(context.Background(), e.s.URL()+"/v25.0/dialog/oauth?"+q.Encode(), ConsentChoice{})
		return err
	}
	base := func() url.Values {
		return url.Values{"client_id": {e.id}, "redirect_uri": {"https://app.example/cb"}, "state": {"x"}, "scope": {"pages_show_list"}}
	}
	cases := map[string]func(url.Values){
		"Invalid App ID":        func(q url.Values) { q.Set("client_id", "42") },
		"URL Blocked":           func(q url.Values) { q.Set("redirect_uri", "https://app.example/cb/") },
		"URL Blocked ":          func(q url.Values) { q.Set("redirect_uri", "http://127.0.0.1:9000/cb") }, // live mode
		"Invalid Scopes":        func(q url.Values) { q.Set("scope", "pages_show_list,manage_pages") },
		"Invalid auth_type":     func(q url.Values) { q.Set("auth_type", "sometimes") },
		"Invalid response_type": func(q url.Values) { q.Set("response_type", "id_token") },
	}
	for want, mut := range cases {
		q := base()
		mut(q)
		if err := try(q); err == nil || !strings.Contains(err.Error(), strings.TrimSpace(want)) {
			t.Errorf("%s: got %v", want, err)
		}
	}
	if err := try(base()); err != nil {
		t.Fatalf("valid dialog: %v", err)
	}
	// Development mode accepts any http loopback redirect.
	dev := newEnv(t, Options{})
	for _, ru := range []string{"http://localhost:51234/cb", "http://127.0.0.1:1/x", "http://[::1]:8080/"} {
		if _, err := dev.s.Consent(context.Background(), dev.s.DialogURL(dev.s.URL(), ru, "s"), ConsentChoice{}); err != nil {
			t.Errorf("%s: %v", ru, err)
		}
	}
	if _, err := dev.s.Consent(context.Background(), dev.s.DialogURL(dev.s.URL(), "http://evil.example/cb", "s"), ConsentChoice{}); err == nil {
		t.Error("non-loopback http redirect accepted")
	}
}

func TestCancelRedirect(t *testing.T) {
	e := newEnv(t, Options{})
	state := "a b&c=d/é"
	red, err := e.s.Consent(context.Background(), e.s.DialogURL(e.s.URL(), testRedirect, state, "pages_show_list"), ConsentChoice{Cancel: true})
	if err != nil {
		t.Fatal(err)
	}
	q := red.Query()
	if q.Get("error") != "access_denied" || q.Get("error_reason") != "user_denied" || q.Get("error_description") != "Permissions error." ||
		q.Get("state") != state || q.Get("code") != "" || !strings.Contains(red.RawQuery, "error_description=Permissions+error.") {
		t.Fatalf("cancel redirect: %s", red)
	}
	if !strings.HasPrefix(red.String(), testRedirect+"?") {
		t.Fatalf("redirect target: %s", red)
	}
}

func TestStateEchoedExactly(t *testing.T) {
	e := newEnv(t, Options{})
	state := "s=1&t=2 +%/é"
	red, err := e.s.Consent(context.Background(), e.s.DialogURL(e.s.URL(), testRedirect, state, "pages_show_list"), ConsentChoice{})
	if err != nil {
		t.Fatal(err)
	}
	if red.Query().Get("state") != state || red.Fragment != "_=_" {
		t.Fatalf("redirect %s", red)
	}
}

func TestReloginReusesGrantAndRerequest(t *testing.T) {
	e := newEnv(t, Options{})
	// First login: tick two Pages, decline instagram_basic.
	first := e.longLived(e.exchange(e.login(ConsentChoice{Pages: []string{PageBakery, PageCafe}, Untick: []string{"instagram_basic"}}, nil, pageScopes...)))
	acc := wantOK(t, e.get("/v25.0/me/accounts", first))
	if got := ids(t, acc); !slices.Equal(got, []string{PageBakery, PageCafe}) {
		t.Fatalf("first login accounts: %v", got)
	}
	perms := wantOK(t, e.get("/v25.0/me/permissions", first))
	if !hasPerm(perms, "instagram_basic", "declined") || !hasPerm(perms, "pages_show_list", "granted") {
		t.Fatalf("permissions: %v", perms)
	}
	// Re-login without rerequest: the earlier grant is reused silently even
	// if the person would tick more; declined stays declined.
	second := e.exchange(e.login(ConsentChoice{Pages: []string{PageBakery, PageCafe, PageClasses}}, nil, pageScopes...))
	if got := ids(t, wantOK(t, e.get("/v25.0/me/accounts", second))); !slices.Equal(got, []string{PageBakery, PageCafe}) {
		t.Fatalf("re-login accounts: %v", got)
	}
	// With rerequest the Pages and declined permissions are asked again.
	third := e.exchange(e.login(ConsentChoice{Pages: []string{PageBakery, PageClasses}}, url.Values{"auth_type": {"rerequest"}}, pageScopes...))
	if got := ids(t, wantOK(t, e.get("/v25.0/me/accounts", third))); !slices.Equal(got, []string{PageBakery, PageClasses}) {
		t.Fatalf("rerequest accounts: %v", got)
	}
	if !hasPerm(wantOK(t, e.get("/v25.0/me/permissions", third)), "instagram_basic", "granted") {
		t.Fatal("rerequest did not re-ask the declined permission")
	}
	// The Café was unticked: its old Page token is dead (190/467), the
	// Bakery's keeps working.
	_ = first
}

func hasPerm(m map[string]any, name, status string) bool {
	for _, d := range m["data"].([]any) {
		p := d.(map[string]any)
		if p["permission"] == name && p["status"] == status {
			return true
		}
	}
	return false
}

func TestTokenResponseType(t *testing.T) {
	e := newEnv(t, Options{})
	q := url.Values{"client_id": {e.id}, "redirect_uri": {DefaultRedirectURI}, "state": {"tok"}, "response_type": {"token"}, "scope": {"pages_show_list"}}
	red, err := e.s.Consent(context.Background(), e.s.URL()+"/dialog/oauth?"+q.Encode(), ConsentChoice{})
	if err != nil {
		t.Fatal(err)
	}
	frag, _ := url.ParseQuery(red.Fragment)
	if red.Query().Get("code") != "" || frag.Get("access_token") == "" || frag.Get("expires_in") != "3600" || frag.Get("state") != "tok" {
		t.Fatalf("token redirect %s", red)
	}
	wantOK(t, e.get("/v25.0/me", frag.Get("access_token")))
}

func TestReauthenticateAsksForPassword(t *testing.T) {
	e := newEnv(t, Options{})
	u := e.dialog("re", url.Values{"auth_type": {"reauthenticate"}}, "pages_show_list")
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `type="password"`) {
		t.Fatal("reauthenticate dialog has no password field")
	}
	e.login(ConsentChoice{Password: "hunter2"}, url.Values{"auth_type": {"reauthenticate"}}, "pages_show_list")
}

// The app node answers its name to the app token, and APP_ID|wrong-secret is
// refused as a bad signature: the sandbox checks the secret as Facebook does.
func TestAppNodeWithAppToken(t *testing.T) {
	e := newEnv(t, Options{AppName: "Harbor Street Pagekeeper"})
	m := wantOK(t, e.get("/v25.0/"+e.id, e.id+"|"+e.sc, "fields", "name"))
	if m["name"] != "Harbor Street Pagekeeper" || len(m) != 1 {
		t.Fatalf("app node: %v", m)
	}
	wantErr(t, e.get("/v25.0/"+e.id, e.id+"|0123456789abcdef0123456789abcdef", "fields", "name"), 400, 190, 0)
	if r := e.get("/v25.0/"+e.id, e.id+"|0123456789abcdef0123456789abcdef", "fields", "name"); !strings.Contains(string(r.body), "signature") {
		t.Fatalf("wrong secret: %s", r.body)
	}
	wantErr(t, e.get("/v25.0/"+e.id, e.id+"|"+e.sc, "fields", "secret_sauce"), 400, 100, 0)
}
