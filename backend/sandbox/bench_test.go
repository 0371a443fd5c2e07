package sandbox

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// BenchmarkMeAccounts measures one /me/accounts call through the handler
// (no network), the sandbox's busiest endpoint in monitor tests.
func BenchmarkMeAccounts(b *testing.B) {
	e := newEnv(b, Options{CallsPerUserPerHour: 1 << 30})
	user := e.connect(ConsentChoice{})
	h := e.s.Handler()
	target := "/v25.0/me/accounts?" + url.Values{"access_token": {user}, "fields": {"id,name,access_token,tasks"}}.Encode()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if rec.Code != 200 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkConsent measures a whole headless login through the dialog's forms.
func BenchmarkConsent(b *testing.B) {
	e := newEnv(b, Options{})
	u := e.dialog("bench", nil, pageScopes...)
	for b.Loop() {
		if _, err := e.s.Consent(context.Background(), u, ConsentChoice{}); err != nil {
			b.Fatal(err)
		}
	}
}
