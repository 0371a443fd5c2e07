package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestBatchSample(t *testing.T) {
	s, c := newServer(t, replay(200, sample(t, "33-batch-error-and-success.json")))
	resps, err := c.Batch(context.Background(), testUserToken, []BatchRequest{
		{Method: "GET", RelativeURL: "2"}, {Method: "GET", RelativeURL: "me?fields=id,name"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resps) != 2 || resps[0].Code != 400 || resps[1].Code != 200 {
		t.Fatalf("resps = %+v", resps)
	}
	var ge *Error
	if err := resps[0].Err(); !errors.As(err, &ge) || ge.Code != 100 || ge.HTTPStatus != 400 || ge.Type != "GraphMethodException" ||
		ge.FBTraceID != "AjPj2sQoTXX" || !strings.Contains(ge.Message, "https://developers.facebook.com/docs/graph-api") {
		t.Errorf("item 0 err = %v", err)
	}
	var u User
	if err := resps[0].Decode(&u); !errors.As(err, &ge) {
		t.Errorf("Decode of an error item = %v", err)
	}
	if err := resps[1].Decode(&u); err != nil || u != (User{ID: "123456789", Name: "Tester"}) {
		t.Errorf("item 1 = %+v, %v", u, err)
	}
	// Each item's headers are read: the sample's items report the app's usage.
	if len(resps[0].Usage) != 1 || resps[0].Usage[0].Kind != UsageApp || resps[0].Usage[0].CallCount != 2 {
		t.Errorf("item 0 usage = %+v", resps[0].Usage)
	}
	if b := c.Budget(); b.MaxPercent() != 2 {
		t.Errorf("the items' app usage is not in the budget: %+v", b)
	}
	r := s.requests()[0]
	if r.Method != "POST" || r.URL.Path != "/v25.0/" || r.PostForm.Has("include_headers") ||
		r.PostForm.Get("access_token") != testUserToken || r.PostForm.Get("appsecret_proof") != AppSecretProof(testUserToken, testAppSecret) {
		t.Errorf("batch request: %s %s form keys %v", r.Method, r.URL.Path, keys(r.PostForm))
	}
	var sent []BatchRequest
	if err := json.Unmarshal([]byte(r.PostForm.Get("batch")), &sent); err != nil || len(sent) != 2 || sent[1].RelativeURL != "me?fields=id,name" {
		t.Errorf("batch param = %q", r.PostForm.Get("batch"))
	}
}

func TestBatchItemEdgeCases(t *testing.T) {
	_, c := newServer(t, replay(200, []byte(`[null,{"code":502,"body":"<html>bad gateway</html>"},{"code":200,"body":"[1"},{"code":200,"body":"{\"id\":\"9\"}"}]`)))
	resps, err := c.Batch(context.Background(), testUserToken, make([]BatchRequest, 4))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		var out map[string]any
		if err := resps[i].Decode(&out); !errors.As(err, new(*UnavailableError)) || IsDefinitive(err) {
			t.Errorf("item %d: %v, want UnavailableError", i, err)
		}
	}
	if err := resps[3].Err(); err != nil {
		t.Errorf("item 3: %v", err)
	}
	// The wrong number of items, or a non-list answer, fails the whole batch.
	_, c = newServer(t, replay(200, []byte(`[{"code":200,"body":"{}"}]`)))
	if _, err := c.Batch(context.Background(), testUserToken, make([]BatchRequest, 2)); !errors.As(err, new(*UnavailableError)) {
		t.Errorf("short batch answer: %v", err)
	}
	_, c = newServer(t, replay(400, sample(t, "15-err-4-app-limit.json")))
	_, err = c.Batch(context.Background(), testUserToken, make([]BatchRequest, 2))
	var ge *Error
	if !errors.As(err, &ge) || !ge.IsRateLimit() {
		t.Errorf("batch refused as a whole: %v", err)
	}
	if resps, err := c.Batch(context.Background(), testUserToken, nil); err != nil || len(resps) != 0 {
		t.Errorf("empty batch: %v %v", resps, err)
	}
}

// debugBatchServer answers batches of debug_token requests: token "ok-N" is
// valid with user_id N, "dead-N" gets the 460 body, "gone-N" an item error,
// "lost-N" a null item. It fails the test on batches over 50.
func debugBatchServer(t *testing.T) http.HandlerFunc {
	valid := sample(t, "22-debug-token-user-long-lived-valid.json")
	dead := sample(t, "26-debug-token-invalid-460-password.json")
	return func(w http.ResponseWriter, r *http.Request) {
		if r.PostForm.Get("access_token") != testAppID+"|"+testAppSecret || r.PostForm.Has("appsecret_proof") {
			t.Error("debug_token batches go with the app token and no proof")
		}
		var reqs []BatchRequest
		if err := json.Unmarshal([]byte(r.PostForm.Get("batch")), &reqs); err != nil {
			http.Error(w, "bad batch", 400)
			return
		}
		if len(reqs) > MaxBatch {
			t.Errorf("batch of %d", len(reqs))
		}
		out := make([]any, len(reqs))
		for i, q := range reqs {
			u, err := url.Parse(q.RelativeURL)
			if err != nil || u.Path != "debug_token" || q.Method != "GET" {
				t.Errorf("item %+v", q)
				continue
			}
			tok := u.Query().Get("input_token")
			kind, n, _ := strings.Cut(tok, "-")
			switch kind {
			case "ok":
				body := strings.Replace(string(valid), `"user_id": "123"`, `"user_id": "`+n+`"`, 1)
				out[i] = map[string]any{"code": 200, "body": body}
			case "dead":
				out[i] = map[string]any{"code": 200, "body": string(dead)}
			case "gone":
				out[i] = map[string]any{"code": 400, "body": string(sample(t, "29-debug-token-http400-no-app-token.json"))}
			case "lost":
				out[i] = nil
			}
		}
		json.NewEncoder(w).Encode(out)
	}
}

func TestDebugTokensSplitsAndKeepsOrder(t *testing.T) {
	s, c := newServer(t, debugBatchServer(t))
	tokens := make([]string, 120)
	for i := range tokens {
		tokens[i] = fmt.Sprintf("ok-%d", i)
	}
	tokens[7], tokens[64], tokens[101], tokens[119] = "dead-7", "gone-64", "lost-101", "dead-119"
	res, err := c.DebugTokens(context.Background(), tokens)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.requests()); n != 3 {
		t.Errorf("%d HTTP requests for 120 tokens, want 3", n)
	}
	var sizes []int
	for _, r := range s.requests() {
		var reqs []BatchRequest
		json.Unmarshal([]byte(r.PostForm.Get("batch")), &reqs)
		sizes = append(sizes, len(reqs))
	}
	if fmt.Sprint(sizes) != "[50 50 20]" {
		t.Errorf("batch sizes %v", sizes)
	}
	if len(res) != 120 {
		t.Fatalf("%d results", len(res))
	}
	for i, r := range res {
		switch tokens[i] {
		case "dead-7", "dead-119":
			if r.Err != nil || r.Info.IsValid || r.Info.Error == nil || r.Info.Error.Subcode != 460 {
				t.Errorf("%d: %+v", i, r)
			}
		case "gone-64":
			if !IsDefinitive(r.Err) || !errors.As(r.Err, new(*Error)) {
				t.Errorf("%d: %v", i, r.Err)
			}
			assertNoSecret(t, r.Err)
		case "lost-101":
			if !errors.As(r.Err, new(*UnavailableError)) {
				t.Errorf("%d: %v", i, r.Err)
			}
		default:
			if r.Err != nil || !r.Info.IsValid || r.Info.UserID != fmt.Sprint(i) {
				t.Errorf("%d: out of order or wrong: %+v %v", i, r.Info.UserID, r.Err)
			}
		}
	}
}

func TestDebugTokensFailsWhole(t *testing.T) {
	_, c := newServer(t, replay(500, []byte("<html>oops</html>")))
	_, err := c.DebugTokens(context.Background(), []string{testUserToken, testPageToken})
	if !errors.As(err, new(*UnavailableError)) {
		t.Errorf("err = %v", err)
	}
	assertNoSecret(t, err)
	c = New(Config{GraphURL: "http://127.0.0.1:1", AppID: testAppID})
	if _, err := c.DebugTokens(context.Background(), []string{"x"}); !errors.Is(err, ErrNoAppCredentials) {
		t.Errorf("without secret: %v", err)
	}
}

func TestAppBatchWithPerItemTokens(t *testing.T) {
	s, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		var reqs []BatchRequest
		json.Unmarshal([]byte(r.PostForm.Get("batch")), &reqs)
		out := make([]map[string]any, len(reqs))
		for i, q := range reqs {
			u, _ := url.Parse(q.RelativeURL)
			tok := u.Query().Get("access_token")
			if u.Query().Get("appsecret_proof") != AppSecretProof(tok, testAppSecret) {
				out[i] = map[string]any{"code": 400, "body": string(sample(t, "02-err-190-460-password-changed.json"))}
				continue
			}
			out[i] = map[string]any{"code": 200, "body": `{"id":"` + u.Path + `","name":"` + u.Query().Get("fields") + `"}`}
		}
		json.NewEncoder(w).Encode(out)
	})
	reqs := []BatchRequest{c.WithToken("GET", "77?fields=id,name", testPageToken), c.WithToken("GET", "88", testUserToken)}
	if !strings.Contains(reqs[1].RelativeURL, "88?access_token=") || strings.Count(reqs[0].RelativeURL, "?") != 1 {
		t.Errorf("relative urls %q", reqs)
	}
	resps, err := c.AppBatch(context.Background(), reqs)
	if err != nil {
		t.Fatal(err)
	}
	var p PageInfo
	if err := resps[0].Decode(&p); err != nil || p.ID != "77" || p.Name != "id,name" {
		t.Errorf("item 0 = %+v, %v", p, err)
	}
	if err := resps[1].Decode(&p); err != nil || p.ID != "88" {
		t.Errorf("item 1 = %+v, %v", p, err)
	}
	top := s.requests()[0].PostForm
	if top.Get("access_token") != testAppID+"|"+testAppSecret || top.Has("appsecret_proof") {
		t.Error("the batch itself goes with the app token and no proof")
	}
	noSecret := New(Config{GraphURL: s.URL, AppID: testAppID})
	if _, err := noSecret.AppBatch(context.Background(), reqs); !errors.Is(err, ErrNoAppCredentials) {
		t.Errorf("AppBatch without secret: %v", err)
	}
	if strings.Contains(noSecret.WithToken("GET", "1", "t").RelativeURL, "appsecret_proof") {
		t.Error("no proof can be made without the secret")
	}
	for range 2 { // the second time, the proof comes from the client's cache
		odd := "EAA+b/c=d&e f%"
		u, err := url.Parse(c.WithToken("GET", "1", odd).RelativeURL)
		if err != nil || u.Query().Get("access_token") != odd || u.Query().Get("appsecret_proof") != AppSecretProof(odd, testAppSecret) {
			t.Errorf("a token with URL characters: %v %v", u, err)
		}
	}
}

// A Page's own usage arrives only in its item's headers: the item, the hook
// and the budget that paces the checks all get it.
func TestBatchItemPageUsage(t *testing.T) {
	body := `[{"code":200,"headers":[{"name":"X-Business-Use-Case-Usage","value":"{\"104\":[{\"type\":\"pages\",\"call_count\":91,\"total_cputime\":3,\"total_time\":4,\"estimated_time_to_regain_access\":7}]}"},{"name":"X-App-Usage","value":"{\"call_count\":5,\"total_cputime\":1,\"total_time\":1}"}],"body":"{\"id\":\"104\"}"},{"code":200,"body":"{\"id\":\"105\"}"}]`
	_, c := newServer(t, replay(200, []byte(body)))
	var hooked []Usage
	c.onUsage = func(us []Usage) { hooked = append(hooked, us...) }
	resps, err := c.Batch(context.Background(), testUserToken, make([]BatchRequest, 2))
	if err != nil {
		t.Fatal(err)
	}
	var page *Usage
	for i, u := range resps[0].Usage {
		if u.Kind == UsageBusiness {
			page = &resps[0].Usage[i]
		}
	}
	if page == nil || page.ID != "104" || page.MaxPercent() != 91 || page.RegainAfter() != 7*time.Minute {
		t.Fatalf("item 0 usage = %+v", resps[0].Usage)
	}
	if len(resps[1].Usage) != 0 {
		t.Fatalf("item 1 had no headers but usage %+v", resps[1].Usage)
	}
	if b := c.Budget(); b.MaxPercent() != 91 || b.RegainAfter() != 7*time.Minute {
		t.Fatalf("budget = %+v, want the Page's 91 %% and its 7 minutes", b)
	}
	if len(hooked) != 2 {
		t.Fatalf("the hook saw %+v", hooked)
	}
}

// An item is read in one pass; when one of its parts is odd, the others
// still count: headers that are not a list cost the usage report only, and
// a code that is not a number costs the answer but not the usage report.
func TestBatchItemOddPartCostsOnlyItself(t *testing.T) {
	usage := `{"name":"X-Business-Use-Case-Usage","value":"{\"104\":[{\"type\":\"pages\",\"call_count\":80,\"total_cputime\":1,\"total_time\":1}]}"}`
	body := `[{"code":200,"headers":{"odd":true},"body":"{\"id\":\"104\"}"},` +
		`{"code":{"odd":true},"headers":[` + usage + `],"body":"{\"id\":\"104\"}"},` +
		`{"code":200,"headers":[{"name":"X-Odd","value":7}],"body":"{\"id\":\"105\"}"}]`
	_, c := newServer(t, replay(200, []byte(body)))
	resps, err := c.Batch(context.Background(), testUserToken, make([]BatchRequest, 3))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := resps[0].DecodePage("104"); err != nil || p.ID != "104" || len(resps[0].Usage) != 0 {
		t.Errorf("item 0 (odd headers): %+v, %v, usage %+v", p, err, resps[0].Usage)
	}
	if err := resps[1].Err(); resps[1].Code != 0 || !errors.As(err, new(*UnavailableError)) {
		t.Errorf("item 1 (odd code): code %d, %v", resps[1].Code, err)
	}
	if len(resps[1].Usage) != 1 || resps[1].Usage[0].MaxPercent() != 80 {
		t.Errorf("item 1 (odd code) lost its usage report: %+v", resps[1].Usage)
	}
	if p, err := resps[2].DecodePage("105"); err != nil || p.ID != "105" {
		t.Errorf("item 2 (a header value not a string): %+v, %v", p, err)
	}
}

// A Page's usage in its item counts as fresh even when the batch's own
// answer carries no usage header: the backoff asks only for what came after
// its mark.
func TestBatchItemUsageIsFreshWithoutAnswerHeaders(t *testing.T) {
	body := `[{"code":200,"headers":[{"name":"X-Business-Use-Case-Usage","value":"{\"104\":[{\"type\":\"pages\",\"call_count\":91,\"total_cputime\":3,\"total_time\":4,\"estimated_time_to_regain_access\":7}]}"}],"body":"{\"id\":\"104\"}"}]`
	_, c := newServer(t, replay(200, []byte(body)))
	for i := range 2 {
		mark := c.UsageMark()
		if _, err := c.Batch(context.Background(), testUserToken, make([]BatchRequest, 1)); err != nil {
			t.Fatal(err)
		}
		if b := c.BudgetSince(mark); b.MaxPercent() != 91 {
			t.Fatalf("batch %d: the budget since its mark = %+v, want the Page's 91 %%", i+1, b)
		}
	}
}
