package login

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

const fuzzSecret = "fuzz-app-secret-DO-NOT-LEAK"

// FuzzCallbackQuery sends fuzzed query strings to a live Session's callback.
// "STATE" in the input stands for the session's real state, so the fuzzer
// also reaches the code exchange (against a token endpoint that accepts
// "good" and refuses anything else). Whatever arrives: no panic, a known
// status, no secret in the page, and the login ends only as the state rule
// allows.
func FuzzCallbackQuery(f *testing.F) {
	for _, q := range []string{
		"code=good&state=STATE", "code=bad&state=STATE", "state=STATE", "code=good", "code=good&state=wrong",
		"error=access_denied&error_reason=user_denied&error_code=200&state=STATE", "error_code=4201&error_message=User+canceled",
		"error=server_error&error_description=%3Cscript%3E&state=STATE", "state=STATE&state=other&code=good", "code=good&state=STATE;x=1",
		"%zz", "state=%00STATE", "error_reason=&code=&state=", strings.Repeat("a=b&", 500),
	} {
		f.Add(q)
	}
	token := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		if r.Form.Get("code") != "good" {
			w.WriteHeader(400)
			io.WriteString(w, `{"error":{"message":"Error validating verification code. `+r.Form.Get("client_secret")+`","type":"OAuthException","code":100}}`)
			return
		}
		io.WriteString(w, `{"access_token":"EAAfuzz","token_type":"bearer","expires_in":5183944}`)
	}))
	f.Cleanup(token.Close)
	var s *Session
	f.Cleanup(func() {
		if s != nil {
			s.Cancel()
		}
	})
	f.Fuzz(func(t *testing.T, query string) {
		if s == nil {
			ln, err := net.Listen("tcp4", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			port := ln.Addr().(*net.TCPAddr).Port
			ln.Close()
			s, err = Start(context.Background(), Config{AppID: "1234", AppSecret: fuzzSecret, FacebookURL: token.URL,
				GraphURL: token.URL, Port: port, Timeout: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
		}
		query = strings.ReplaceAll(query, "STATE", s.state)
		u := "http://127.0.0.1:" + strconv.Itoa(s.cfg.Port) + CallbackPath + "?" + query
		req, err := http.NewRequest("GET", u, nil)
		if err != nil {
			return // not a URL any browser would send
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("callback unreachable: %v", err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case 200, 400, 405, 409:
		default:
			t.Fatalf("status %d", resp.StatusCode)
		}
		if strings.Contains(string(body), fuzzSecret) {
			t.Fatal("the page shows the app secret")
		}
		q, _ := url.ParseQuery(req.URL.RawQuery)
		state := q.Get("state")
		isError := q.Get("error") != "" || q.Get("error_code") != "" || q.Get("error_reason") != ""
		s.mu.Lock()
		ph, tok, serr := s.phase, s.token, s.err
		s.mu.Unlock()
		if ph != finished {
			return
		}
		switch {
		case tok != nil && (state != s.state || q.Get("code") != "good" || isError):
			t.Fatalf("a token came out of %q", query)
		case state != s.state:
			t.Fatalf("the login ended (%v) on a callback without the right state: %q", serr, query)
		}
		if serr != nil && strings.Contains(serr.Error(), fuzzSecret) {
			t.Fatal("the error shows the app secret")
		}
		s.Wait(context.Background())
		s = nil
	})
}
