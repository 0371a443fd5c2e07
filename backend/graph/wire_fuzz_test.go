package graph

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// fuzzServer answers each request with the next of its canned answers (the
// last one repeating), and records the access tokens the client sent.
type fuzzServer struct {
	*httptest.Server
	mu      sync.Mutex
	answers [][]byte
	status  int
	calls   int
	tokens  []string
}

func newFuzzServer(f *testing.F) (*fuzzServer, *Client) {
	s := &fuzzServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		s.mu.Lock()
		s.tokens = append(s.tokens, r.Form.Get("access_token"))
		body := s.answers[min(s.calls, len(s.answers)-1)]
		s.calls++
		status := s.status
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		w.Write(body)
	}))
	f.Cleanup(s.Close)
	c := New(Config{GraphURL: s.URL, AppID: testAppID, AppSecret: testAppSecret, Now: func() time.Time { return testNow },
		HTTPClient: &http.Client{Timeout: 5 * time.Second}})
	return s, c
}

func (s *fuzzServer) answer(status int, bodies ...[]byte) {
	s.mu.Lock()
	s.status, s.answers, s.calls, s.tokens = status, bodies, 0, nil
	s.mu.Unlock()
}

// typedErr fails unless err is one of the client's two documented kinds.
func typedErr(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var ge *Error
	var ue *UnavailableError
	if !errors.As(err, &ge) && !errors.As(err, &ue) {
		t.Fatalf("untyped error %T: %v", err, err)
	}
	assertNoSecret(t, err)
}

// FuzzBatchBody feeds the batch API's outer body (and HTTP status) to
// AppBatch and every item's answer to Err and Decode.
func FuzzBatchBody(f *testing.F) {
	seedAll(f, func(b []byte) { f.Add(200, b) })
	for _, s := range []string{`[null,null,null]`, `[{"code":200,"body":"{}"},{"code":400,"body":"{\"error\":{\"code\":190}}"},{"code":0}]`,
		`[{"code":200,"body":"{\"id\":"},{"code":500,"body":"<html>"},{"code":-1,"body":null}]`, `[1,2,3]`, `[[],{},""]`,
		`[{"code":1e99,"body":"x"},{"code":200,"body":"\u0000"},{"code":"200","body":{}}]`} {
		f.Add(200, []byte(s))
	}
	srv, c := newFuzzServer(f)
	reqs := []BatchRequest{c.WithToken("GET", "1?fields=id", testPageToken), c.WithToken("GET", "2", testUserToken), {Method: "GET", RelativeURL: "3"}}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 200 || status > 599 {
			status = 200
		}
		srv.answer(status, body)
		res, err := c.AppBatch(context.Background(), reqs)
		typedErr(t, err)
		if err != nil {
			if res != nil {
				t.Fatal("a failed batch returned answers")
			}
			return
		}
		if len(res) != len(reqs) {
			t.Fatalf("%d answers for %d requests", len(res), len(reqs))
		}
		for _, r := range res {
			typedErr(t, r.Err())
			var v map[string]any
			typedErr(t, r.Decode(&v))
		}
	})
}

// FuzzParseUsage feeds the four usage headers to ParseUsage.
func FuzzParseUsage(f *testing.F) {
	buc := string(sample(f, "42-header-business-use-case-usage.json"))
	f.Add(`{"call_count":28,"total_cputime":25,"total_time":25}`, `{"call_count":1}`, buc, `{"acc_id_util_pct":9.67,"reset_time_duration":0}`)
	f.Add(`{"call_count":1e308,"total_cputime":-1,"total_time":"NaN"}`, `null`, `{"1":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":1e300}]}`, `{"acc_id_util_pct":-5,"reset_time_duration":1e20}`)
	f.Add(``, `[]`, `{"x":null,"y":[null]}`, `{}`)
	f.Fuzz(func(t *testing.T, app, page, bucH, ad string) {
		h := http.Header{}
		for k, v := range map[string]string{usageHeaderApp: app, usageHeaderPage: page, usageHeaderBUC: bucH, usageHeaderAdAcc: ad} {
			if v != "" {
				h.Set(k, v)
			}
		}
		us := ParseUsage(h, testNow)
		var b Budget
		for _, u := range us {
			for _, p := range []int{u.CallCount, u.TotalCPUTime, u.TotalTime} {
				if p < 0 || p > 1e6 {
					t.Fatalf("percent %d out of range in %+v", p, u)
				}
			}
			if u.Regain < 0 || u.Regain > 366*24*time.Hour {
				t.Fatalf("regain %v out of range", u.Regain)
			}
			switch u.Kind {
			case UsageApp, UsagePage, UsageBusiness, UsageAdAccount:
			default:
				t.Fatalf("unknown kind %q", u.Kind)
			}
			b = append(b, u)
		}
		if b.MaxPercent() < 0 || b.RegainAfter() < 0 {
			t.Fatal("negative budget")
		}
	})
}

// FuzzAccountsPaging answers /me/accounts with a fuzzed first page and a
// fuzzed page for every cursor after it: Accounts must end, and must only
// ever send the caller's own token, never one planted in paging.next.
func FuzzAccountsPaging(f *testing.F) {
	first := sample(f, "30-me-accounts-with-cursors.json")
	f.Add(first, []byte(`{"data":[]}`))
	f.Add(first, first)
	f.Add([]byte(`{"data":[{"id":"1"}],"paging":{"next":"https://graph.facebook.com/v25.0/me/accounts?access_token=EAA-planted&after=x"}}`),
		[]byte(`{"data":[{"id":"2","tasks":null,"instagram_business_account":{}}],"paging":{"cursors":{"after":"y"},"next":"z"}}`))
	f.Add([]byte(`{"data":null}`), []byte(`{}`))
	f.Add([]byte(`{"data":[],"paging":{"next":"::::"}}`), []byte(`{"error":{"code":190,"error_subcode":460}}`))
	srv, c := newFuzzServer(f)
	f.Fuzz(func(t *testing.T, page1, pageN []byte) {
		srv.answer(200, page1, pageN)
		accts, err := c.Accounts(context.Background(), testUserToken)
		typedErr(t, err)
		if err != nil && accts != nil {
			t.Fatal("a failed listing returned Pages")
		}
		srv.mu.Lock()
		defer srv.mu.Unlock()
		if srv.calls > maxPages {
			t.Fatalf("%d requests for one listing", srv.calls)
		}
		for _, tok := range srv.tokens {
			if tok != testUserToken {
				t.Fatalf("sent token %q", tok)
			}
		}
	})
}
