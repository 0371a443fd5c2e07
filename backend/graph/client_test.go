package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestAppSecretProofKnownAnswer(t *testing.T) {
	// printf 'EAAB-user-token' | openssl dgst -sha256 -hmac 'app-secret'
	const want = "53c4357b0bd103f576474a45c46eadadddaf8ff2dc886300b57d7bb8fff25627"
	if got := AppSecretProof("EAAB-user-token", "app-secret"); got != want {
		t.Fatalf("proof = %s, want %s", got, want)
	}
}

func TestProofSentWithUserAndPageTokensOnly(t *testing.T) {
	s, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v25.0/me":
			w.Write([]byte(`{"id":"42","name":"Dana"}`))
		case "/v25.0/77":
			w.Write([]byte(`{"id":"77","name":"Bakery"}`))
		case "/v25.0/debug_token":
			w.Write(sample(t, "22-debug-token-user-long-lived-valid.json"))
		default:
			http.NotFound(w, r)
		}
	})
	ctx := context.Background()
	if u, err := c.Me(ctx, testUserToken); err != nil || u != (User{ID: "42", Name: "Dana"}) {
		t.Fatalf("Me = %+v, %v", u, err)
	}
	if p, err := c.Page(ctx, "77", testPageToken); err != nil || p.Name != "Bakery" {
		t.Fatalf("Page = %+v, %v", p, err)
	}
	if _, err := c.DebugToken(ctx, testUserToken); err != nil {
		t.Fatal(err)
	}
	reqs := s.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests", len(reqs))
	}
	for i, tok := range []string{testUserToken, testPageToken} {
		q := reqs[i].URL.Query()
		if q.Get("access_token") != tok || q.Get("appsecret_proof") != AppSecretProof(tok, testAppSecret) {
			t.Errorf("request %d: access_token/proof = %q/%q", i, q.Get("access_token"), q.Get("appsecret_proof"))
		}
	}
	if reqs[0].URL.Query().Get("fields") != "id,name" {
		t.Errorf("Me fields = %q", reqs[0].URL.Query().Get("fields"))
	}
	q := reqs[2].URL.Query()
	if q.Get("access_token") != testAppID+"|"+testAppSecret || q.Has("appsecret_proof") || q.Get("input_token") != testUserToken {
		t.Errorf("debug_token query: token %v proof %v input %v", q.Get("access_token") != "", q.Has("appsecret_proof"), q.Get("input_token") != "")
	}
}

func TestNoProofWithoutSecret(t *testing.T) {
	s, _ := newServer(t, replay(200, []byte(`{"id":"1","name":"x"}`)))
	c := New(Config{GraphURL: s.URL, AppID: testAppID})
	if _, err := c.Me(context.Background(), testUserToken); err != nil {
		t.Fatal(err)
	}
	if s.requests()[0].URL.Query().Has("appsecret_proof") {
		t.Error("a proof needs the secret; none must be sent without it")
	}
	if _, err := c.DebugToken(context.Background(), "x"); !errors.Is(err, ErrNoAppCredentials) {
		t.Errorf("DebugToken without secret: %v", err)
	}
	if _, err := c.AppToken(context.Background()); !errors.Is(err, ErrNoAppCredentials) {
		t.Errorf("AppToken without secret: %v", err)
	}
	if _, err := c.ExchangeLongLived(context.Background(), "x"); !errors.Is(err, ErrNoAppCredentials) {
		t.Errorf("ExchangeLongLived without secret: %v", err)
	}
	if len(s.requests()) != 1 {
		t.Error("calls lacking credentials must not reach Facebook")
	}
}

// recorder is a RoundTripper that answers locally, to see the URLs built from defaults.
type recorder struct{ urls []string }

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.urls = append(r.urls, req.URL.Scheme+"://"+req.URL.Host+req.URL.Path)
	return &http.Response{StatusCode: 200, Header: http.Header{}, Request: req,
		Body: http.NoBody}, nil
}

func TestConfigDefaultsAndURLs(t *testing.T) {
	rec := &recorder{}
	c := New(Config{HTTPClient: &http.Client{Transport: rec}})
	c.Me(context.Background(), "t")
	c2 := New(Config{GraphURL: "http://127.0.0.1:9/", Version: "v24.0", HTTPClient: &http.Client{Transport: rec}})
	c2.Page(context.Background(), "123", "t")
	want := []string{"https://graph.facebook.com/v25.0/me", "http://127.0.0.1:9/v24.0/123"}
	if !reflect.DeepEqual(rec.urls, want) {
		t.Errorf("urls = %v, want %v", rec.urls, want)
	}
	for _, bad := range []string{"", "1/feed", "1?x", "1#y", "a&b"} {
		if _, err := c.Page(context.Background(), bad, "t"); err == nil {
			t.Errorf("Page ID %q accepted", bad)
		}
	}
	if len(rec.urls) != 2 {
		t.Error("a bad Page ID must not be sent")
	}
}

func TestDebugTokenSamples(t *testing.T) {
	at := func(sec int64) time.Time { return time.Unix(sec, 0).UTC() }
	cases := []struct {
		file string
		want TokenInfo
	}{
		{"22-debug-token-user-long-lived-valid.json", TokenInfo{AppID: "257422819769992", Type: "USER",
			Application: "oauth2-rs-f-b-web-app-demo", IsValid: true, ExpiresAt: at(1673934788),
			DataAccessExpiresAt: at(1676526788), IssuedAt: at(1668750788), Scopes: []string{"public_profile"}, UserID: "123"}},
		{"23-debug-token-user-expires-0-granular-scopes.json", TokenInfo{AppID: "202493264460000", Type: "USER",
			Application: "xxxx", IsValid: true, DataAccessExpiresAt: at(1635913358), IssuedAt: at(1622448563),
			Scopes: []string{"pages_show_list", "instagram_basic", "instagram_manage_comments", "instagram_manage_insights",
				"instagram_content_publish", "pages_read_engagement", "pages_manage_metadata", "public_profile"},
			GranularScopes: []GranularScope{{"pages_show_list", []string{"104518538110000"}}, {"instagram_basic", []string{"17841400478070000"}},
				{"instagram_manage_comments", nil}, {"instagram_manage_insights", []string{"17841400478070000"}},
				{"instagram_content_publish", nil}, {"pages_read_engagement", nil}, {"pages_manage_metadata", nil}},
			UserID: "780170842500000"}},
		{"24-debug-token-page-valid.json", TokenInfo{AppID: "257422819769992", Type: "PAGE",
			Application: "oauth2-rs-f-b-web-app-demo", IsValid: true, ExpiresAt: at(1669086000),
			DataAccessExpiresAt: at(1676858291), Scopes: []string{"pages_show_list", "public_profile"},
			GranularScopes: []GranularScope{{"pages_show_list", []string{"103455271248220"}}}, UserID: "123", ProfileID: "103455271248220"}},
		{"25-debug-token-invalid-463-expired.json", TokenInfo{AppID: "257422819769992", Type: "USER",
			Application: "oauth2-rs-f-b-web-app-demo", ExpiresAt: at(1668613551), DataAccessExpiresAt: at(1671205551),
			IssuedAt: at(1663429551), Scopes: []string{"email", "public_profile"}, UserID: "123",
			Error: &Error{HTTPStatus: 200, Code: 190, Subcode: 463, Message: "Error validating access token: Session has expired on Wednesday, 16-Nov-22 07:45:51 PST. The current time is Thursday, 17-Nov-22 21:30:03 PST."}}},
		{"26-debug-token-invalid-460-password.json", TokenInfo{AppID: "257422819769992", Type: "USER",
			Application: "oauth2-rs-f-b-web-app-demo", DataAccessExpiresAt: at(1671412462),
			Scopes:         []string{"email", "instagram_basic", "instagram_manage_comments", "instagram_manage_insights", "instagram_content_publish", "public_profile"},
			GranularScopes: []GranularScope{{"instagram_basic", nil}, {"instagram_manage_comments", nil}, {"instagram_manage_insights", nil}, {"instagram_content_publish", nil}},
			UserID:         "123",
			Error:          &Error{HTTPStatus: 200, Code: 190, Subcode: 460, Message: "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons."}}},
		{"27-debug-token-invalid-466-api-invalidated.json", TokenInfo{AppID: "202493264460000", Type: "USER",
			Application: "xxxx", ExpiresAt: at(1622793600), DataAccessExpiresAt: at(1630564369), Scopes: []string{},
			UserID: "1882252945270000",
			Error:  &Error{HTTPStatus: 200, Code: 190, Subcode: 466, Message: "Error validating access token: The session was invalidated explicitly using an API call."}}},
		{"28-debug-token-invalid-unparseable.json", TokenInfo{Scopes: []string{},
			Error: &Error{HTTPStatus: 200, Code: 190, Message: "Invalid OAuth access token - Cannot parse access token"}}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			got, err := ParseDebugToken(200, sample(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			// And through a real HTTP exchange.
			_, c := newServer(t, replay(200, sample(t, tc.file)))
			viaHTTP, err := c.DebugToken(context.Background(), testUserToken)
			if err != nil || !reflect.DeepEqual(viaHTTP, tc.want) {
				t.Errorf("DebugToken = %+v, %v", viaHTTP, err)
			}
		})
	}
}

func TestDebugTokenHelpersAndErrors(t *testing.T) {
	info, _ := ParseDebugToken(200, sample(t, "23-debug-token-user-expires-0-granular-scopes.json"))
	if !info.ExpiresAt.IsZero() || !info.HasScope("pages_manage_metadata") || info.HasScope("pages_messaging") {
		t.Errorf("expires/scopes wrong: %+v", info)
	}
	if ids, ok := info.Targets("pages_show_list"); !ok || !reflect.DeepEqual(ids, []string{"104518538110000"}) {
		t.Errorf("Targets = %v %v", ids, ok)
	}
	if _, ok := info.Targets("pages_read_engagement"); ok {
		t.Error("a scope without target_ids has no targets")
	}
	if !info.Error.isNil() {
		t.Error("valid token has an error")
	}
	bad, _ := ParseDebugToken(200, sample(t, "26-debug-token-invalid-460-password.json"))
	if !bad.ExpiresAt.IsZero() || bad.Error.Class() != ClassLoginRecoverable || !IsDefinitive(bad.Error) {
		t.Errorf("460: %+v", bad)
	}
	// Sample 29: Facebook refused the app token: a Go error, definitive.
	_, c := newServer(t, replay(400, sample(t, "29-debug-token-http400-no-app-token.json")))
	_, err := c.DebugToken(context.Background(), testUserToken)
	var ge *Error
	if !errors.As(err, &ge) || ge.Code != 100 {
		t.Errorf("sample 29: %v", err)
	}
	assertNoSecret(t, err)
	for _, body := range []string{`{}`, `{"data":{}}`, `{"data":[]}`, `{"data":{"is_valid":true`, `[]`} {
		_, err := ParseDebugToken(200, []byte(body))
		if !errors.As(err, new(*UnavailableError)) {
			t.Errorf("%s: %v, want UnavailableError", body, err)
		}
	}
}

func (e *Error) isNil() bool { return e == nil }

// accountsPages serves /me/accounts in three cursor pages built from samples 30 and 31.
func accountsPages(t *testing.T) http.HandlerFunc {
	var p30, p31 map[string]any
	json.Unmarshal(sample(t, "30-me-accounts-with-cursors.json"), &p30)
	json.Unmarshal(sample(t, "31-me-accounts-localized-category.json"), &p31)
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v25.0/me/accounts" {
			http.NotFound(w, r)
			return
		}
		// paging.next carries another token, as Facebook's does: the client must not use it.
		next := func(after string) string {
			return "https://graph.facebook.com/v25.0/1/accounts?access_token=NOT-OURS&limit=100&after=" + after
		}
		var body map[string]any
		switch r.FormValue("after") {
		case "":
			body = map[string]any{"data": p30["data"], "paging": map[string]any{
				"cursors": map[string]any{"before": "MTAx", "after": "MTAxNzA4NjAyMTcyNzc3"}, "next": next("MTAxNzA4NjAyMTcyNzc3")}}
		case "MTAxNzA4NjAyMTcyNzc3":
			// No cursors here: the client must fall back to the query of paging.next.
			body = map[string]any{"data": p31["data"], "paging": map[string]any{"next": next("UEFHRTM=")}}
		case "UEFHRTM=":
			body = map[string]any{"data": []any{map[string]any{"id": "555", "name": "Third", "access_token": "pt3",
				"tasks": []string{"ANALYZE"}, "instagram_business_account": map[string]any{"id": "1784", "username": "third.ig"}}},
				"paging": map[string]any{"cursors": map[string]any{"before": "UEFHRTM=", "after": "UEFHRTM="}}}
		default:
			http.Error(w, "unknown cursor", 400)
			return
		}
		json.NewEncoder(w).Encode(body)
	}
}

func TestAccountsFollowsCursors(t *testing.T) {
	s, c := newServer(t, accountsPages(t))
	got, err := c.Accounts(context.Background(), testUserToken)
	if err != nil {
		t.Fatal(err)
	}
	want := []PageAccount{
		{ID: "101708602172777", Name: "Suttiphak.W", Category: "Personal blog", AccessToken: "REDACTED",
			Tasks: []string{"ANALYZE", "ADVERTISE", "MESSAGING", "MODERATE", "CREATE_CONTENT", "MANAGE"}},
		{ID: "XXXXXXXXXXX", Name: "YYYYYYYYYY", Category: "Prekyba ir pramonė", AccessToken: "YYYYYYYYYY",
			Tasks: []string{"ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"}},
		{ID: "555", Name: "Third", AccessToken: "pt3", Tasks: []string{"ANALYZE"}, Instagram: &Instagram{ID: "1784", Username: "third.ig"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	reqs := s.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	for i, r := range reqs {
		if r.FormValue("access_token") != testUserToken || r.FormValue("appsecret_proof") != AppSecretProof(testUserToken, testAppSecret) {
			t.Errorf("page %d sent another token", i)
		}
		if r.FormValue("fields") != AccountsFields {
			t.Errorf("page %d fields = %q", i, r.FormValue("fields"))
		}
	}
}

// The roles-only listing asks for no Page token and follows the cursors too.
func TestAccountTasksAsksForNoToken(t *testing.T) {
	s, c := newServer(t, accountsPages(t))
	got, err := c.AccountTasks(context.Background(), testUserToken)
	if err != nil || len(got) != 3 || got[2].ID != "555" || !reflect.DeepEqual(got[2].Tasks, []string{"ANALYZE"}) {
		t.Fatalf("got %+v, %v", got, err)
	}
	for i, r := range s.requests() {
		if r.FormValue("fields") != "id,tasks" {
			t.Errorf("page %d fields = %q", i, r.FormValue("fields"))
		}
	}
}

func TestAccountsSinglePageSamples(t *testing.T) {
	for _, f := range []string{"30-me-accounts-with-cursors.json", "31-me-accounts-localized-category.json"} {
		s, c := newServer(t, replay(200, sample(t, f)))
		got, err := c.Accounts(context.Background(), testUserToken)
		if err != nil || len(got) != 1 || got[0].AccessToken == "" || len(got[0].Tasks) != 6 {
			t.Errorf("%s: %+v %v", f, got, err)
		}
		if len(s.requests()) != 1 {
			t.Errorf("%s: cursors without paging.next mean the last page; %d requests", f, len(s.requests()))
		}
	}
}

func TestPagingThatDoesNotAdvance(t *testing.T) {
	_, c := newServer(t, replay(200, []byte(`{"data":[{"id":"1"}],"paging":{"cursors":{"after":"SAME"},"next":"https://x/?after=SAME"}}`)))
	_, err := c.Accounts(context.Background(), testUserToken)
	if !errors.As(err, new(*UnavailableError)) || !strings.Contains(err.Error(), "did not advance") {
		t.Errorf("err = %v", err)
	}
	_, c = newServer(t, replay(200, []byte(`{"paging":{}}`)))
	if _, err := c.Accounts(context.Background(), testUserToken); !errors.As(err, new(*UnavailableError)) {
		t.Errorf("no data list: %v", err)
	}
}

func TestPageInstagramSample(t *testing.T) {
	s, c := newServer(t, replay(200, sample(t, "32-page-instagram-business-account.json")))
	p, err := c.Page(context.Background(), "134895793791914", testUserToken, "instagram_business_account", "id")
	if err != nil || p.ID != "134895793791914" || p.Instagram == nil || p.Instagram.ID != "17841405822304914" {
		t.Fatalf("Page = %+v, %v", p, err)
	}
	if r := s.requests()[0]; r.URL.Path != "/v25.0/134895793791914" || r.FormValue("fields") != "instagram_business_account,id" {
		t.Errorf("request %s fields %q", r.URL.Path, r.FormValue("fields"))
	}
	_, c = newServer(t, replay(200, []byte(`{"name":"no id"}`)))
	if _, err := c.Page(context.Background(), "1", testPageToken); !errors.As(err, new(*UnavailableError)) {
		t.Errorf("answer without id: %v", err)
	}
}

func TestPermissionsSample(t *testing.T) {
	s, c := newServer(t, replay(200, sample(t, "34-permissions-granted.json")))
	got, err := c.Permissions(context.Background(), testUserToken)
	want := []Permission{{"email", "granted"}, {"public_profile", "granted"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Permissions = %+v, %v", got, err)
	}
	if s.requests()[0].URL.Path != "/v25.0/me/permissions" {
		t.Errorf("path %s", s.requests()[0].URL.Path)
	}
}

func TestSubscriptions(t *testing.T) {
	s, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v25.0/77/subscribed_apps" {
			http.NotFound(w, r)
			return
		}
		switch r.Method {
		case "GET":
			w.Write([]byte(`{"data":[{"category":"Business","link":"https://x","name":"Pagekeeper","id":"1234567890","subscribed_fields":["messages","feed"]}]}`))
		case "POST":
			w.Write([]byte(`{"success":"true"}`)) // FACEBOOK.md §5: the string form
		case "DELETE":
			w.Write([]byte(`{"success":true}`))
		}
	})
	ctx := context.Background()
	apps, err := c.SubscribedApps(ctx, "77", testPageToken)
	if err != nil || !reflect.DeepEqual(apps, []SubscribedApp{{ID: "1234567890", Name: "Pagekeeper", SubscribedFields: []string{"messages", "feed"}}}) {
		t.Errorf("SubscribedApps = %+v, %v", apps, err)
	}
	if err := c.Subscribe(ctx, "77", testPageToken, []string{"messages", "feed"}); err != nil {
		t.Errorf("Subscribe: %v", err)
	}
	if err := c.Unsubscribe(ctx, "77", testPageToken); err != nil {
		t.Errorf("Unsubscribe: %v", err)
	}
	reqs := s.requests()
	post := reqs[1]
	if post.Method != "POST" || post.PostForm.Get("subscribed_fields") != "messages,feed" || post.URL.RawQuery != "" ||
		post.PostForm.Get("appsecret_proof") != AppSecretProof(testPageToken, testAppSecret) {
		t.Errorf("POST: method %s form %v query %q", post.Method, post.PostForm.Get("subscribed_fields"), post.URL.RawQuery)
	}
	if reqs[2].Method != "DELETE" || reqs[2].FormValue("access_token") != testPageToken {
		t.Errorf("DELETE: %s", reqs[2].Method)
	}
	if err := c.Subscribe(ctx, "77", testPageToken, nil); err == nil {
		t.Error("Subscribe with no fields accepted")
	}
	_, c = newServer(t, replay(200, []byte(`{"success":false}`)))
	if err := c.Unsubscribe(ctx, "77", testPageToken); !errors.As(err, new(*UnavailableError)) {
		t.Errorf("success false: %v", err)
	}
}

func TestOAuthExchanges(t *testing.T) {
	var mu sync.Mutex
	bodies := map[string][]byte{}
	s, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path != "/v25.0/oauth/access_token" {
			http.NotFound(w, r)
			return
		}
		key := r.FormValue("grant_type") + r.FormValue("code")
		b, ok := bodies[key]
		if !ok {
			http.Error(w, "no body for "+key, 500)
			return
		}
		if strings.Contains(string(b), `"error"`) {
			w.WriteHeader(400)
		}
		w.Write(b)
	})
	set := func(key, file string) { mu.Lock(); bodies[key] = sample(t, file); mu.Unlock() }
	ctx := context.Background()

	set("CODE1", "35-oauth-token-code-exchange.json")
	tok, err := c.ExchangeCode(ctx, "CODE1", "https://www.facebook.com/connect/login_success.html", "verifier-1")
	if err != nil || tok.AccessToken != "TOKEN_WAS_HERE" || !tok.ExpiresAt.Equal(testNow.Add(5167519*time.Second)) {
		t.Errorf("code exchange = %+v, %v", tok, err)
	}
	q := s.requests()[0].URL.Query()
	if q.Get("client_id") != testAppID || q.Get("client_secret") != testAppSecret || q.Get("code_verifier") != "verifier-1" ||
		q.Get("redirect_uri") != "https://www.facebook.com/connect/login_success.html" || q.Has("access_token") || q.Has("appsecret_proof") {
		t.Errorf("code exchange query keys wrong: %v", keys(q))
	}

	set("fb_exchange_token", "36-oauth-token-no-expires-in.json")
	tok, err = c.ExchangeLongLived(ctx, testUserToken)
	if err != nil || tok.AccessToken != "xxxx" || !tok.ExpiresAt.IsZero() {
		t.Errorf("long-lived without expires_in = %+v, %v", tok, err)
	}
	q = s.requests()[1].URL.Query()
	if q.Get("fb_exchange_token") != testUserToken || q.Get("client_secret") != testAppSecret || q.Has("appsecret_proof") {
		t.Errorf("fb_exchange_token query keys wrong: %v", keys(q))
	}

	set("fb_exchange_token", "37-oauth-token-device-flow.json")
	tok, err = c.ExchangeLongLived(ctx, testUserToken)
	if err != nil || tok.AccessToken != "x*184" || !tok.ExpiresAt.Equal(testNow.Add(5183999*time.Second)) ||
		!tok.DataAccessExpiresAt.Equal(time.Unix(1644569029, 0).UTC()) {
		t.Errorf("device-flow body = %+v, %v", tok, err)
	}

	set("CODE2", "38-oauth-error-redirect-uri-mismatch.json")
	_, err = c.ExchangeCode(ctx, "CODE2", "http://other", "")
	var ge *Error
	if !errors.As(err, &ge) || ge.Code != 100 || !IsDefinitive(err) {
		t.Errorf("redirect mismatch: %v", err)
	}
	assertNoSecret(t, err)
	if s.requests()[3].URL.Query().Has("code_verifier") {
		t.Error("empty verifier sent")
	}
	if _, err := c.ExchangeCode(ctx, "", "x", ""); err == nil {
		t.Error("empty code accepted")
	}

	set("client_credentials", "11-err-1-client-secret.json")
	_, err = c.AppToken(ctx)
	if !errors.Is(err, ErrBadAppCredentials) || !IsDefinitive(err) {
		t.Errorf("wrong secret: %v", err)
	}
	assertNoSecret(t, err)
}

func keys(q map[string][]string) []string {
	var k []string
	for key := range q {
		k = append(k, key)
	}
	return k
}

func TestAppTokenSuccess(t *testing.T) {
	s, c := newServer(t, replay(200, []byte(`{"access_token":"1234567890|abc","token_type":"bearer"}`)))
	got, err := c.AppToken(context.Background())
	if err != nil || got != "1234567890|abc" {
		t.Fatalf("AppToken = %q, %v", got, err)
	}
	q := s.requests()[0].URL.Query()
	if q.Get("grant_type") != "client_credentials" || q.Get("client_id") != testAppID || q.Get("client_secret") != testAppSecret {
		t.Errorf("query keys %v", keys(q))
	}
	_, c = newServer(t, replay(200, []byte(`{"token_type":"bearer"}`)))
	if _, err := c.AppToken(context.Background()); !errors.As(err, new(*UnavailableError)) {
		t.Errorf("no access_token: %v", err)
	}
}

func TestUnavailable(t *testing.T) {
	ctx := context.Background()
	check := func(t *testing.T, err error, status int) *UnavailableError {
		t.Helper()
		var ue *UnavailableError
		if !errors.As(err, &ue) {
			t.Fatalf("err = %T %v, want *UnavailableError", err, err)
		}
		if ue.HTTPStatus != status || IsDefinitive(err) || errors.As(err, new(*Error)) {
			t.Errorf("status %d definitive %v: %v", ue.HTTPStatus, IsDefinitive(err), err)
		}
		assertNoSecret(t, err)
		return ue
	}
	t.Run("html 500", func(t *testing.T) {
		_, c := newServer(t, replay(500, []byte("<!DOCTYPE html><html><body>Sorry, something went wrong.</body></html>")))
		_, err := c.Page(ctx, "1", testPageToken)
		if ue := check(t, err, 500); ue.Op != "GET /1" {
			t.Errorf("op %q", ue.Op)
		}
	})
	t.Run("truncated json 200", func(t *testing.T) {
		_, c := newServer(t, replay(200, []byte(`{"data":[{"id":"1","name":"A`)))
		_, err := c.Accounts(ctx, testUserToken)
		check(t, err, 200)
	})
	t.Run("truncated error json 400", func(t *testing.T) {
		_, c := newServer(t, replay(400, []byte(`{"error":{"message":"Error validating access token","code":19`)))
		_, err := c.Me(ctx, testUserToken)
		check(t, err, 400)
	})
	t.Run("2xx of another shape", func(t *testing.T) {
		_, c := newServer(t, replay(200, []byte(`[1,2,3]`)))
		_, err := c.Me(ctx, testUserToken)
		check(t, err, 200)
	})
	t.Run("body cut by the server", func(t *testing.T) {
		_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000")
			w.WriteHeader(200)
			w.Write([]byte(`{"id":"1"`))
			// Returning closes the connection short of Content-Length.
		})
		_, err := c.Me(ctx, testUserToken)
		check(t, err, 200)
	})
	t.Run("connection refused", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		c := New(Config{GraphURL: "http://" + addr, AppID: testAppID, AppSecret: testAppSecret})
		_, err = c.Me(ctx, testUserToken)
		ue := check(t, err, 0)
		if !strings.Contains(err.Error(), "refused") || ue.Op != "GET /me" {
			t.Errorf("err = %v", err)
		}
		_, err = c.ExchangeLongLived(ctx, testUserToken)
		check(t, err, 0)
		_, err = c.DebugToken(ctx, testUserToken)
		check(t, err, 0)
	})
	t.Run("context timeout", func(t *testing.T) {
		_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
		})
		tctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		_, err := c.Me(tctx, testUserToken)
		check(t, err, 0)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want DeadlineExceeded inside", err)
		}
	})
	t.Run("client timeout", func(t *testing.T) {
		s, _ := newServer(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		c := New(Config{GraphURL: s.URL, AppID: testAppID, AppSecret: testAppSecret, HTTPClient: &http.Client{Timeout: 50 * time.Millisecond}})
		_, err := c.DebugToken(ctx, testUserToken)
		check(t, err, 0)
	})
}

func TestUsageHeaders(t *testing.T) {
	buc := string(sample(t, "42-header-business-use-case-usage.json"))
	var hooked [][]Usage
	var mu sync.Mutex
	s, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Business-Use-Case-Usage", buc)
		w.Header().Set("X-App-Usage", `{"call_count":0,"total_cputime":0,"total_time":0}`) // same source as sample 42
		if r.URL.Path == "/v25.0/2" {
			w.Header().Set("X-App-Usage", `{"call_count":91,"total_cputime":12.2,"total_time":40}`)
			w.Header().Set("X-Page-Usage", `{"call_count":5,"total_cputime":7,"total_time":3}`)
			w.Header().Set("X-Business-Use-Case-Usage", `{"77":[{"type":"pages","call_count":100,"total_cputime":20,"total_time":30,"estimated_time_to_regain_access":12}]}`)
			w.Header().Set("X-Ad-Account-Usage", `{"acc_id_util_pct":9.67,"reset_time_duration":30}`)
		}
		w.Write([]byte(`{"id":"` + strings.TrimPrefix(r.URL.Path, "/v25.0/") + `"}`))
	})
	_ = s
	c.SetUsageHook(func(us []Usage) { mu.Lock(); hooked = append(hooked, us); mu.Unlock() })
	ctx := context.Background()
	if _, err := c.Page(ctx, "1", testPageToken); err != nil {
		t.Fatal(err)
	}
	b := c.Budget()
	want := Budget{
		{Kind: UsageApp, Seen: testNow},
		{Kind: UsageBusiness, ID: "YOUR_PAGE_ID", Type: "messenger", CallCount: 1, TotalCPUTime: 1, TotalTime: 1, Seen: testNow},
	}
	if !reflect.DeepEqual(b, want) {
		t.Errorf("budget = %+v\nwant %+v", b, want)
	}
	if b.MaxPercent() != 1 || b.RegainAfter() != 0 {
		t.Errorf("max %d regain %v", b.MaxPercent(), b.RegainAfter())
	}
	if _, err := c.Page(ctx, "2", testPageToken); err != nil {
		t.Fatal(err)
	}
	b = c.Budget()
	if len(b) != 5 || b.MaxPercent() != 100 || b.RegainAfter() != 12*time.Minute {
		t.Errorf("budget after 2nd call = %+v (max %d, regain %v)", b, b.MaxPercent(), b.RegainAfter())
	}
	byKey := map[string]Usage{}
	for _, u := range b {
		byKey[u.Kind+"/"+u.ID] = u
	}
	if u := byKey["app/"]; u.CallCount != 91 || u.TotalCPUTime != 13 || u.MaxPercent() != 91 {
		t.Errorf("app usage %+v", u)
	}
	if u := byKey["page/"]; u.MaxPercent() != 7 {
		t.Errorf("page usage %+v", u)
	}
	if u := byKey["ad_account/"]; u.MaxPercent() != 10 || u.RegainAfter() != 30*time.Second {
		t.Errorf("ad account usage %+v", u)
	}
	if u := byKey["business_use_case/YOUR_PAGE_ID"]; u.CallCount != 1 {
		t.Errorf("the older BUC id must be kept: %+v", u)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(hooked) != 2 || len(hooked[1]) != 4 {
		t.Errorf("hook calls: %+v", hooked)
	}
}

func TestUsageFromBatchSampleAndMalformed(t *testing.T) {
	var items []struct {
		Headers []struct{ Name, Value string } `json:"headers"`
	}
	if err := json.Unmarshal(sample(t, "33-batch-error-and-success.json"), &items); err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	for _, hd := range items[0].Headers {
		h.Add(hd.Name, hd.Value)
	}
	us := ParseUsage(h, testNow)
	if len(us) != 1 || us[0].Kind != UsageApp || us[0].CallCount != 2 || us[0].MaxPercent() != 2 {
		t.Errorf("usage from sample 33 = %+v", us)
	}
	bad := http.Header{}
	bad.Set("X-App-Usage", "not json")
	bad.Set("X-Page-Usage", `{"call_count":"x"}`)
	bad.Set("X-Business-Use-Case-Usage", `{"1":{"type":"pages"}}`)
	bad.Set("X-Ad-Account-Usage", `[]`)
	if us := ParseUsage(bad, testNow); len(us) != 0 {
		t.Errorf("malformed headers gave %+v", us)
	}
	neg := http.Header{}
	neg.Set("X-Business-Use-Case-Usage", `{"1":[{"type":"pages","call_count":-5,"estimated_time_to_regain_access":-3}]}`)
	if us := ParseUsage(neg, testNow); len(us) != 1 || us[0].MaxPercent() != 0 || us[0].RegainAfter() != 0 {
		t.Errorf("negative values: %+v", us)
	}
}

func TestBudgetConcurrent(t *testing.T) {
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-App-Usage", fmt.Sprintf(`{"call_count":%s,"total_cputime":1,"total_time":1}`, r.FormValue("n")))
		w.Write([]byte(`{"id":"1","name":"x"}`))
	})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			c.do(context.Background(), call{method: "GET", path: "me", params: map[string][]string{"n": {fmt.Sprint(i)}}, token: "t"}, nil)
		}()
		go func() { defer wg.Done(); _ = c.Budget().MaxPercent() }()
	}
	wg.Wait()
	if b := c.Budget(); len(b) != 1 || b[0].Kind != UsageApp {
		t.Errorf("budget %+v", b)
	}
}

func TestAppName(t *testing.T) {
	s, c := newServer(t, replay(200, []byte(`{"name":"Harbor Street Pagekeeper","id":"`+testAppID+`"}`)))
	got, err := c.AppName(context.Background())
	if err != nil || got != "Harbor Street Pagekeeper" {
		t.Fatalf("AppName = %q, %v", got, err)
	}
	r := s.requests()[0]
	q := r.URL.Query()
	if r.URL.Path != "/v25.0/"+testAppID || q.Get("fields") != "name" || q.Get("access_token") != testAppID+"|"+testAppSecret || q.Has("appsecret_proof") {
		t.Errorf("request %s %v", r.URL.Path, keys(q))
	}
	_, c = newServer(t, replay(400, []byte(`{"error":{"message":"Invalid OAuth access token signature.","type":"OAuthException","code":190}}`)))
	_, err = c.AppName(context.Background())
	var ge *Error
	if !errors.As(err, &ge) || ge.Code != 190 || !IsDefinitive(err) {
		t.Errorf("wrong secret: %v", err)
	}
	assertNoSecret(t, err)
}

// A usage header cannot ask for a wait longer than the limit's own window
// (FACEBOOK.md §4): a year of estimated_time_to_regain_access would stop the
// checks for a year.
func TestRegainIsBoundedByTheLimitsWindow(t *testing.T) {
	h := http.Header{}
	h.Set("X-Business-Use-Case-Usage", `{"77":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":525600}],"78":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":30}]}`)
	h.Set("X-Ad-Account-Usage", `{"acc_id_util_pct":100,"reset_time_duration":999999}`)
	got := map[string]time.Duration{}
	for _, u := range ParseUsage(h, testNow) {
		got[u.Kind+"/"+u.ID] = u.Regain
	}
	want := map[string]time.Duration{"business_use_case/77": 24 * time.Hour, "business_use_case/78": 30 * time.Minute, "ad_account/": time.Hour}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("regain %v, want %v", got, want)
	}
}

// BudgetSince leaves out what earlier answers reported.
func TestBudgetSinceIsOnlyFreshReports(t *testing.T) {
	full := true
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if full {
			w.Header().Set("X-Business-Use-Case-Usage", `{"77":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":60}]}`)
		} else {
			w.Header().Set("X-App-Usage", `{"call_count":3,"total_cputime":1,"total_time":1}`)
		}
		w.Write([]byte(`{"id":"1"}`))
	})
	ctx := context.Background()
	mark := c.UsageMark()
	if _, err := c.Page(ctx, "1", testPageToken); err != nil {
		t.Fatal(err)
	}
	if b := c.BudgetSince(mark); b.MaxPercent() != 100 || b.RegainAfter() != time.Hour {
		t.Fatalf("fresh budget %+v", b)
	}
	full = false
	mark = c.UsageMark()
	if _, err := c.Page(ctx, "1", testPageToken); err != nil {
		t.Fatal(err)
	}
	if b := c.BudgetSince(mark); b.MaxPercent() != 3 || b.RegainAfter() != 0 || len(b) != 1 {
		t.Fatalf("budget since the second call %+v: the first call's report is stale", b)
	}
	if b := c.Budget(); len(b) != 2 {
		t.Fatalf("Budget() keeps the latest of every kind: %+v", b)
	}
}
