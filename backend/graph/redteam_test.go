package graph

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

// Answers a hostile or sloppy path to Facebook could hand back, read over a
// real HTTP server. Each was read wrong before: a definitive answer became
// "no usable answer", or one odd batch item lost every Page of its batch.

// A UTF-8 byte order mark before the JSON (some proxies and gateways add
// one) hides nothing: the 190/463 is still a dead token, and the success
// still names the Page.
func TestByteOrderMarkBeforeJSON(t *testing.T) {
	const bom = "\ufeff"
	dead := bom + `{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463}}`
	_, c := newServer(t, replay(400, []byte(dead)))
	_, err := c.Page(context.Background(), "77", testPageToken)
	var ge *Error
	if !errors.As(err, &ge) || ge.Code != 190 || ge.Subcode != 463 || !IsDefinitive(err) {
		t.Errorf("direct call: %v, want the definitive 190/463", err)
	}

	_, c = newServer(t, replay(200, []byte(bom+`{"id":"77","name":"Corner Bakery"}`)))
	if p, err := c.Page(context.Background(), "77", testPageToken); err != nil || p.ID != "77" {
		t.Errorf("direct success: %+v, %v", p, err)
	}

	// The same inside a batch: around the whole answer, and around an item's body.
	item := `"` + bom + `{\"error\":{\"message\":\"x\",\"code\":190,\"error_subcode\":460}}"`
	_, c = newServer(t, replay(200, []byte(bom+`[{"code":400,"body":`+item+`},{"code":200,"body":"`+bom+`{\"id\":\"78\"}"}]`)))
	res, err := c.AppBatch(context.Background(), []BatchRequest{{Method: "GET", RelativeURL: "77"}, {Method: "GET", RelativeURL: "78"}})
	if err != nil {
		t.Fatalf("batch: %v", err)
	}
	if _, err := res[0].DecodePage("77"); !errors.As(err, &ge) || ge.Subcode != 460 {
		t.Errorf("batch item 0: %v, want the definitive 190/460", err)
	}
	if p, err := res[1].DecodePage("78"); err != nil || p.ID != "78" {
		t.Errorf("batch item 1: %+v, %v", p, err)
	}
}

// One batch item written oddly (its code as a string or a float, its body
// as an object rather than a JSON string, an item that is not an object)
// loses that item at most: every other Page of the batch keeps its answer.
func TestBatchItemOddTypesStayPerItem(t *testing.T) {
	body := `[
		{"code":"200","body":"{\"id\":\"1\"}"},
		{"code":200.0,"body":"{\"id\":\"2\"}"},
		{"code":200,"body":{"id":"3"}},
		{"code":400,"body":{"error":{"code":190,"error_subcode":460,"message":"x"}}},
		"garbage",
		{"code":200,"headers":"not a list","body":"{\"id\":\"6\"}"},
		{"code":{"x":1},"body":"{\"id\":\"7\"}"}
	]`
	_, c := newServer(t, replay(200, []byte(body)))
	ids := []string{"1", "2", "3", "4", "5", "6", "7"}
	reqs := make([]BatchRequest, len(ids))
	for i, id := range ids {
		reqs[i] = BatchRequest{Method: "GET", RelativeURL: id}
	}
	res, err := c.AppBatch(context.Background(), reqs)
	if err != nil {
		t.Fatalf("one odd item failed the whole batch: %v", err)
	}
	for _, i := range []int{0, 1, 2, 5} {
		if p, err := res[i].DecodePage(ids[i]); err != nil || p.ID != ids[i] {
			t.Errorf("item %d: %+v, %v", i, p, err)
		}
	}
	var ge *Error
	if _, err := res[3].DecodePage("4"); !errors.As(err, &ge) || ge.Subcode != 460 {
		t.Errorf("item 3 (error body as an object): %v", err)
	}
	for _, i := range []int{4, 6} {
		_, err := res[i].DecodePage(ids[i])
		var ue *UnavailableError
		if !errors.As(err, &ue) || !ue.Arrived() || IsDefinitive(err) {
			t.Errorf("item %d (unreadable): %v, want an answer that arrived without a verdict", i, err)
		}
	}
}

// A usage header written with numbers as strings, or as a JSON string that
// holds the object, still says how full the quota is: skipping it would
// keep a check running at full speed into a quota Facebook says is used up.
func TestUsageHeaderOddSpellings(t *testing.T) {
	h := http.Header{}
	h.Set("X-App-Usage", `{"call_count":"96","total_cputime":" 12 ","total_time":40}`)
	h.Set("X-Page-Usage", `"{\"call_count\":97,\"total_cputime\":1,\"total_time\":1}"`)
	h.Set("X-Business-Use-Case-Usage", `{"77":[{"type":"pages","call_count":"98","total_cputime":1,"total_time":1,"estimated_time_to_regain_access":"12"}]}`)
	got := map[string]Usage{}
	for _, u := range ParseUsage(h, testNow) {
		got[u.Kind] = u
	}
	if u := got[UsageApp]; u.CallCount != 96 || u.TotalCPUTime != 12 || u.TotalTime != 40 {
		t.Errorf("X-App-Usage with numeric strings: %+v", u)
	}
	if u := got[UsagePage]; u.CallCount != 97 {
		t.Errorf("X-Page-Usage as a JSON string: %+v", u)
	}
	if u := got[UsageBusiness]; u.CallCount != 98 || u.Regain != 12*time.Minute {
		t.Errorf("X-Business-Use-Case-Usage with numeric strings: %+v", u)
	}
}

// debug_token's is_valid written as a string or a number is still read,
// and an invalid token's data.error stays the token's verdict: never the
// call's own error, which (made with the app token) would blame the
// owner's Meta app for one person's dead token.
func TestDebugTokenIsValidSpellings(t *testing.T) {
	cases := []struct {
		isValid string
		want    bool
	}{{`"true"`, true}, {`"false"`, false}, {`1`, true}, {`0`, false}}
	for _, tc := range cases {
		body := `{"data":{"app_id":"1","type":"USER","is_valid":` + tc.isValid + `,"scopes":[],` +
			`"error":{"code":190,"subcode":460,"message":"Error validating access token: The session has been invalidated because the user changed their password."}}}`
		if tc.want {
			body = `{"data":{"app_id":"1","type":"USER","is_valid":` + tc.isValid + `,"scopes":["pages_show_list"],"user_id":"5"}}`
		}
		_, c := newServer(t, replay(200, []byte(body)))
		info, err := c.DebugToken(context.Background(), testUserToken)
		if err != nil {
			t.Errorf("is_valid %s: the call failed: %v", tc.isValid, err)
			continue
		}
		if info.IsValid != tc.want {
			t.Errorf("is_valid %s read as %v", tc.isValid, info.IsValid)
		}
		if !tc.want && (info.Error == nil || info.Error.Subcode != 460 || info.Error.AppIssue() != AppOK) {
			t.Errorf("is_valid %s: the token's verdict is %+v", tc.isValid, info.Error)
		}
	}
}

// A debug_token answer that carries data.error but leaves out is_valid is
// still a verdict on the input token (the app token's own errors come at
// the top level), never the owner's Meta app refused.
func TestDebugTokenErrorWithoutIsValid(t *testing.T) {
	body := `{"data":{"error":{"code":190,"message":"Error validating access token: Session has expired on Friday, 27-Nov-26 10:00:00 PST.","subcode":463},"scopes":[]}}`
	_, c := newServer(t, replay(200, []byte(body)))
	info, err := c.DebugToken(context.Background(), testUserToken)
	if err != nil {
		t.Fatalf("the call failed: %v", err)
	}
	if info.IsValid || info.Error == nil || info.Error.Subcode != 463 || info.Error.AppIssue() != AppOK {
		t.Errorf("info = %+v, want an invalid token with its 463", info)
	}
}

// A redirect Pagekeeper refuses to follow is an answer that arrived: the
// Page is "Facebook answered oddly", never "could not reach Facebook".
func TestRefusedRedirectIsAnAnswerThatArrived(t *testing.T) {
	for _, code := range []int{301, 302, 303, 307, 308} {
		_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://elsewhere.example/steal", code)
		})
		_, err := c.Page(context.Background(), "77", testPageToken)
		var ue *UnavailableError
		if !errors.As(err, &ue) || !ue.Arrived() || ue.HTTPStatus != code || IsDefinitive(err) {
			t.Errorf("HTTP %d: %v, want an answer that arrived with its status and no verdict", code, err)
		}
		assertNoSecret(t, err)
	}
}

// Older answers carry the code only as the "(#N)" that starts the message
// ({"message":"(#803) Some of the aliases ...","type":"OAuthException"}):
// it is the code, so a "(#4)" without one is still a rate limit.
func TestCodeOnlyInTheMessage(t *testing.T) {
	for body, want := range map[string]int{
		`{"error":{"message":"(#4) Application request limit reached","type":"OAuthException"}}`:                   4,
		`{"error":{"message":"(#803) Some of the aliases you requested do not exist: x","type":"OAuthException"}}`: 803,
		`{"error":{"message":"(#10) Application does not have permission","code":"x"}}`:                            10,
		`{"error":{"message":"Error (#12) in the middle","type":"OAuthException"}}`:                                0,
		`{"error":{"message":"(#190) x","code":463}}`:                                                              463,
	} {
		e := ParseError(400, []byte(body))
		if e == nil || e.Code != want {
			t.Errorf("%s: %+v, want code %d", body, e, want)
		}
	}
	if e := ParseError(400, []byte(`{"error":{"message":"(#4) Application request limit reached","type":"OAuthException"}}`)); e == nil || !e.IsRateLimit() {
		t.Errorf("a (#4) without a code is no rate limit: %+v", e)
	}
}
