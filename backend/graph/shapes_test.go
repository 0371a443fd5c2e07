package graph

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// Test vectors for issue 10's answer shapes, written from Meta's error
// documentation and the shapes seen in answers Facebook sent (FACEBOOK.md §4,
// §10). None of them is in graph-samples/.

// Shape 2: a 200 answer to a Page read that is not the Page.
func TestShape2PageProbeNotThePage(t *testing.T) {
	cases := []struct {
		name string
		body string
		// definitive: Facebook's error model inside the 200 body is an answer
		// with a verdict; otherwise ErrNotThePage.
		code int
	}{
		{"no id", `{"name":"Corner Bakery"}`, 0},
		{"another id", `{"id":"99","name":"Someone else"}`, 0},
		{"numeric other id", `{"id":99}`, 0},
		{"bare false", `false`, 0},
		{"list", `[{"id":"77"}]`, 0},
		{"empty object", `{}`, 0},
		{"error object in a 200", `{"error":{"message":"Error validating access token: Session has expired on Tuesday, 04-Mar-26 10:00:00 PST.","type":"OAuthException","code":190,"error_subcode":463}}`, 190},
		{"error object beside an id", `{"id":"77","error":{"message":"(#100) x","code":100,"error_subcode":33}}`, 100},
		{"legacy error_code/error_msg", `{"error_code":190,"error_msg":"Error validating access token: The user has not authorized application 584930217765432."}`, 190},
		{"legacy with string code", `{"error_code":"102","error_msg":"Session key invalid or no longer valid"}`, 102},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := BatchResponse{Code: 200, Body: []byte(tc.body)}.DecodePage("77")
			if err == nil {
				t.Fatal("counted as a confirmation of the Page")
			}
			var ge *Error
			if tc.code != 0 {
				if !errors.As(err, &ge) || ge.Code != tc.code || !IsDefinitive(err) {
					t.Fatalf("err = %T %v, want Facebook error %d", err, err, tc.code)
				}
				return
			}
			var ue *UnavailableError
			if !errors.Is(err, ErrNotThePage) || !errors.As(err, &ue) || ue.HTTPStatus != 200 || IsDefinitive(err) {
				t.Fatalf("err = %T %v, want ErrNotThePage with HTTP 200", err, err)
			}
		})
	}
	p, err := BatchResponse{Code: 200, Body: []byte(`{"id":"77","name":"Corner Bakery"}`)}.DecodePage("77")
	if err != nil || p.Name != "Corner Bakery" {
		t.Errorf("the Page itself: %+v %v", p, err)
	}
	if _, err := (BatchResponse{}).DecodePage("77"); err == nil || errors.Is(err, ErrNotThePage) {
		t.Errorf("an item Facebook did not answer: %v", err)
	}

	// The direct call reads the same way.
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"id":"78","name":"Other"}`))
	})
	if _, err := c.Page(context.Background(), "77", testPageToken); !errors.Is(err, ErrNotThePage) {
		t.Errorf("Client.Page with another id: %v", err)
	}
}

// Shape 3: "object does not exist" answers are read with their codes.
func TestShape3ObjectDoesNotExist(t *testing.T) {
	for _, tc := range []struct {
		body      string
		code, sub int
	}{
		{`{"error":{"message":"Unsupported get request. Object with ID '77' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https:\/\/developers.facebook.com\/docs\/graph-api","type":"GraphMethodException","code":100,"error_subcode":33,"fbtrace_id":"Ab1"}}`, 100, 33},
		{`{"error":{"message":"(#33) This object does not exist or does not support this action","type":"OAuthException","code":33}}`, 33, 0},
		{`{"error":{"message":"Unsupported get request.","type":"GraphMethodException","code":"100","subcode":"33"}}`, 100, 33},
	} {
		e := ParseError(400, []byte(tc.body))
		if e == nil || e.Code != tc.code || e.Subcode != tc.sub || !IsDefinitive(e) || e.AppIssue() != AppOK {
			t.Errorf("%s: %+v", tc.body, e)
		}
	}
}

// Shape 4: a message naming a missing permission is kept whole.
func TestShape4PermissionNamed(t *testing.T) {
	body := `{"error":{"message":"(#10) This endpoint requires the 'pages_read_engagement' permission or the 'Page Public Content Access' feature.","type":"OAuthException","code":10,"fbtrace_id":"Ax"}}`
	e := ParseError(400, []byte(body))
	if e == nil || e.Class() != ClassPermission || !strings.Contains(e.Message, "pages_read_engagement") {
		t.Errorf("%+v", e)
	}
}

// Shape 5: checkpoints, whatever their subcode.
func TestShape5Checkpoints(t *testing.T) {
	for _, tc := range []struct {
		e    Error
		want bool
	}{
		{Error{Code: 190, Subcode: 459}, true},
		{Error{Code: 190, Subcode: 490, Message: "Error validating access token: The user is enrolled in a blocking, logged-in checkpoint"}, true},
		{Error{Code: 190, Subcode: 1234567, Message: "The user is enrolled in a checkpoint"}, true},
		{Error{Code: 190, Message: "Error validating access token: The user is enrolled in a blocking, logged-in checkpoint"}, true},
		{Error{Code: 190, Subcode: 460}, false},
		{Error{Code: 100, Message: "checkpoint"}, false},
	} {
		if got := tc.e.IsCheckpoint(); got != tc.want || tc.e.Class() != ClassLoginRecoverable && tc.e.Code == 190 {
			t.Errorf("%+v: IsCheckpoint %v class %v", tc.e, got, tc.e.Class())
		}
	}
	// The 490 answer as sent, with error_data an object.
	e := ParseError(400, []byte(`{"error":{"message":"Error validating access token: The user is enrolled in a blocking, logged-in checkpoint","type":"OAuthException","code":190,"error_data":{"checkpoint_flow_id":"1501092823525282","checkpoint_content_id":"0"},"error_subcode":490,"fbtrace_id":"AKERFEK61iI"}}`))
	if e == nil || e.Subcode != 490 || !e.IsCheckpoint() {
		t.Errorf("490 body: %+v", e)
	}
}

// Shape 6: answers about the owner's Meta app.
func TestShape6AppIssues(t *testing.T) {
	cases := []struct {
		name string
		body string
		via  bool
		want AppIssue
	}{
		{"proof required", `{"error":{"message":"API calls from the server require an appsecret_proof argument","type":"GraphMethodException","code":100,"fbtrace_id":"A1"}}`, false, AppProofRequired},
		{"proof invalid", `{"error":{"message":"Invalid appsecret_proof provided in the API argument","type":"GraphMethodException","code":100,"fbtrace_id":"A2"}}`, false, AppSecretMismatch},
		{"client secret", `{"error":{"message":"Error validating client secret.","type":"OAuthException","code":1}}`, false, AppSecretMismatch},
		{"oauth invalid_client", `{"error":"invalid_client","error_description":"Invalid client secret"}`, false, AppSecretMismatch},
		{"app token refused", `{"error":{"message":"Invalid OAuth access token signature.","type":"OAuthException","code":190}}`, true, AppSecretMismatch},
		{"app deleted", `{"error":{"message":"Error validating application. Application has been deleted.","type":"OAuthException","code":101,"fbtrace_id":"HE+J\/h0VT0j"}}`, false, AppUnknown},
		{"app deleted as 190", `{"error":{"message":"Error validating application. Application has been deleted.","type":"OAuthException","code":190}}`, false, AppUnknown},
		{"invalid app id", `{"error":{"message":"Error validating application. Invalid application ID.","type":"OAuthException","code":101}}`, false, AppUnknown},
		{"development mode", `{"error":{"message":"App Not Setup: This app is still in development mode, and you don't have access to it. Switch to a registered test user or ask an app admin for permissions.","type":"OAuthException","code":200}}`, false, AppNotLive},
		{"not active", `{"error":{"message":"(#200) App not active: This app is not currently accessible and the app developer is aware of the issue.","type":"OAuthException","code":200}}`, false, AppNotLive},
		{"a dead person token is not the app", `{"error":{"message":"Error validating access token: The session has been invalidated because the user changed their password.","type":"OAuthException","code":190,"error_subcode":460}}`, false, AppOK},
		{"system error is Facebook's", `{"error":{"message":"Error validating application. Cannot get application info due to a system error.","type":"OAuthException","code":101}}`, false, AppOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := ParseError(400, []byte(tc.body))
			if e == nil {
				t.Fatal("not parsed")
			}
			e.ViaAppToken = tc.via
			if got := e.AppIssue(); got != tc.want {
				t.Fatalf("AppIssue = %q, want %q", got, tc.want)
			}
			if tc.want != AppOK && (e.Class() != ClassApp || e.IsLoginRecoverable() || !IsDefinitive(e)) {
				t.Errorf("class %v", e.Class())
			}
		})
	}

	// The client marks what it asked with the app token.
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		w.Write([]byte(`{"error":{"message":"Invalid OAuth access token signature.","type":"OAuthException","code":190}}`))
	})
	ctx := context.Background()
	_, err := c.AppBatch(ctx, []BatchRequest{c.WithToken("GET", "77?fields=id", testPageToken)})
	var ge *Error
	if !errors.As(err, &ge) || !ge.ViaAppToken || ge.AppIssue() != AppSecretMismatch {
		t.Errorf("AppBatch: %v", err)
	}
	_, err = c.DebugToken(ctx, testUserToken)
	if !errors.As(err, &ge) || !ge.ViaAppToken || ge.AppIssue() != AppSecretMismatch {
		t.Errorf("DebugToken: %v", err)
	}
	_, err = c.Me(ctx, testUserToken)
	if !errors.As(err, &ge) || ge.ViaAppToken || ge.AppIssue() != AppOK || !ge.IsLoginRecoverable() {
		t.Errorf("a user token call: %v", err)
	}
}

// Shape 7: the odd spellings of the error model are all read, and none of
// them is taken for "no answer".
func TestShape7ErrorSpellings(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		body      string
		code, sub int
		typ, msg  string
	}{
		{"error_data string", 400, `{"error":{"message":"m","type":"OAuthException","code":190,"error_subcode":460,"error_data":"{\"blame_field_specs\":[[\"\"]]}"}}`, 190, 460, "OAuthException", "m"},
		{"error_data array", 400, `{"error":{"message":"m","code":200,"error_data":[{"x":1},"y"]}}`, 200, 0, "", "m"},
		{"error_data object", 400, `{"error":{"message":"m","code":100,"error_subcode":33,"error_data":{"object_id":"77"}}}`, 100, 33, "", "m"},
		{"code as string", 400, `{"error":{"message":"m","code":"190","error_subcode":"463"}}`, 190, 463, "", "m"},
		{"code as padded string", 400, `{"error":{"message":"m","code":" 10 "}}`, 10, 0, "", "m"},
		{"subcode spelled subcode", 400, `{"error":{"message":"m","code":190,"subcode":492}}`, 190, 492, "", "m"},
		{"subcode missing", 400, `{"error":{"message":"m","code":190}}`, 190, 0, "", "m"},
		{"subcode null", 400, `{"error":{"message":"m","code":190,"error_subcode":null}}`, 190, 0, "", "m"},
		{"oauth error string", 400, `{"error":"invalid_request","error_description":"Invalid redirect_uri"}`, 0, 0, "invalid_request", "Invalid redirect_uri"},
		{"oauth error string with code", 401, `{"error":"invalid_grant","error_description":"This authorization code has expired.","error_code":100}`, 100, 0, "invalid_grant", "This authorization code has expired."},
		{"oauth error_message", 400, `{"error_code":4201,"error_message":"User canceled the Dialog flow"}`, 4201, 0, "", "User canceled the Dialog flow"},
		{"error object with error_message", 400, `{"error":{"error_message":"m","error_code":"1"}}`, 1, 0, "", "m"},
		{"error inside 200", 200, `{"error":{"message":"m","code":2,"is_transient":true}}`, 2, 0, "", "m"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckResponse("GET /77", tc.status, []byte(tc.body))
			var ge *Error
			if !errors.As(err, &ge) {
				t.Fatalf("got %T %v, want a Facebook error (an answer arrived)", err, err)
			}
			if ge.Code != tc.code || ge.Subcode != tc.sub || ge.Type != tc.typ || ge.Message != tc.msg || ge.HTTPStatus != tc.status {
				t.Errorf("got %+v", ge)
			}
		})
	}
	// The token endpoint reads them too: an OAuth error string is Facebook's verdict.
	_, c := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		w.Write([]byte(`{"error":"invalid_client","error_description":"Invalid client secret"}`))
	})
	_, err := c.AppToken(context.Background())
	if !errors.Is(err, ErrBadAppCredentials) || !strings.HasPrefix(err.Error(), "graph: Facebook error invalid_client: Invalid client secret") {
		t.Errorf("AppToken with invalid_client: %v", err)
	}
}
