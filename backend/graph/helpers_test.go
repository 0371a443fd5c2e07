package graph

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Distinctive secrets: every error string in the tests is checked against them.
const (
	testAppID     = "1234567890"
	testAppSecret = "app-secret-DO-NOT-LEAK"
	testUserToken = "EAAB-user-token-DO-NOT-LEAK"
	testPageToken = "EAAB-page-token-DO-NOT-LEAK"
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// sample reads a captured Facebook answer from testdata (copies of /work/shared/graph-samples).
func sample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read sample: %v", err)
	}
	return b
}

// server is an httptest server whose handler a test sets; it records requests.
type server struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
	h    http.HandlerFunc
}

func newServer(t *testing.T, h http.HandlerFunc) (*server, *Client) {
	t.Helper()
	s := &server{h: h}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", 400)
			return
		}
		s.mu.Lock()
		s.reqs = append(s.reqs, r)
		s.mu.Unlock()
		s.h(w, r)
	}))
	t.Cleanup(s.Close)
	c := New(Config{GraphURL: s.URL, AppID: testAppID, AppSecret: testAppSecret, Now: func() time.Time { return testNow }})
	return s, c
}

func (s *server) requests() []*http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*http.Request(nil), s.reqs...)
}

// replay answers every request with status and body.
func replay(status int, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(body)
	}
}

// assertNoSecret fails when an error's text could leak a secret.
func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	for _, s := range []string{testAppSecret, testUserToken, testPageToken, "access_token=", "client_secret=", "appsecret_proof="} {
		if strings.Contains(msg, s) {
			t.Errorf("error text leaks %q: %s", s, msg)
		}
	}
}
