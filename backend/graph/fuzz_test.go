package graph

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedAll adds every captured JSON sample as a fuzz seed.
func seedAll(f *testing.F, add func(body []byte)) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) < 38 {
		f.Fatalf("samples missing: %d files, %v", len(files), err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		add(b)
	}
	for _, s := range []string{``, `{}`, `null`, `{"error":{}}`, `{"error":{"code":"190","subcode":1e400}}`,
		`{"data":{"is_valid":"yes","expires_at":-1,"error":[]}}`, `{"data":{"is_valid":true,"expires_at":1e30,"scopes":[1,null,"x"]}}`,
		`{"error":"invalid_client","error_description":"x"}`, `{"error_code":"190","error_msg":"m"}`, `{"error":{"code":" 33 ","subcode":"33","error_data":[]}}`} {
		add([]byte(s))
	}
}

func FuzzParseError(f *testing.F) {
	seedAll(f, func(b []byte) { f.Add(400, b) })
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := ParseError(status, body)
		err := CheckResponse("GET /x", status, body)
		if e == nil {
			if err != nil && !strings.HasPrefix(err.Error(), "graph: GET /x: no usable answer") {
				t.Fatalf("non-Graph body gave %v", err)
			}
			return
		}
		if e.Code == 0 && e.Message == "" && e.Type == "" {
			t.Fatal("empty error object accepted") // an OAuth error string alone is an error: Type holds it
		}
		if e.HTTPStatus != status {
			t.Fatal("status lost")
		}
		if e.IsRateLimit() && !e.IsTransient() {
			t.Fatal("rate limit not transient")
		}
		if IsDefinitive(e) == e.IsTransient() {
			t.Fatal("definitive must be exactly not transient")
		}
		if !strings.HasPrefix(e.Error(), "graph: Facebook error ") {
			t.Fatalf("Error() = %q", e.Error())
		}
	})
}

func FuzzParseDebugToken(f *testing.F) {
	seedAll(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, body []byte) {
		info, err := ParseDebugToken(200, body)
		if err != nil {
			if info.IsValid || info.Error != nil || info.AppID != "" {
				t.Fatal("a failed parse returned data")
			}
			return
		}
		if info.Error != nil && info.Error.Code == 0 && info.Error.Message == "" {
			t.Fatal("empty data.error accepted")
		}
		if !info.ExpiresAt.IsZero() && info.ExpiresAt.Unix() <= 0 {
			t.Fatal("non-positive expiry must read as never")
		}
	})
}

func BenchmarkParseError(b *testing.B) {
	body := sample(b, "02-err-190-460-password-changed.json")
	b.ReportAllocs()
	for b.Loop() {
		if ParseError(400, body) == nil {
			b.Fatal("not parsed")
		}
	}
}

func BenchmarkParseDebugToken(b *testing.B) {
	body := sample(b, "23-debug-token-user-expires-0-granular-scopes.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseDebugToken(200, body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseUsage(b *testing.B) {
	h := map[string][]string{"X-Business-Use-Case-Usage": {string(sample(b, "42-header-business-use-case-usage.json"))},
		"X-App-Usage": {`{"call_count":2,"total_cputime":2,"total_time":2}`}}
	b.ReportAllocs()
	for b.Loop() {
		if len(ParseUsage(h, testNow)) != 2 {
			b.Fatal("usage not parsed")
		}
	}
}
