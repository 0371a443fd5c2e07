package sandbox

import (
	"encoding/json"
	"regexp"
	"testing"
)

// The error body carries every field of Facebook's model: the keys are the
// graph-samples bodies (copied here as published); only fbtrace_id differs.
func TestErrorBodyMatchesSamples(t *testing.T) {
	cases := map[string]*graphError{
		`{"error":{"message":"Application request limit reached","type":"OAuthException","is_transient":false,"code":4,"error_subcode":2207051,"error_user_title":"Action is blocked","error_user_msg":"We restrict certain activity to protect our community. Tell us if you think that we've made a mistake.","fbtrace_id":"Ak94s1zgaADBUMfc50QG0ma"}}`: {Code: 4, Subcode: 2207051, Transient: boolp(false), Message: "Application request limit reached",
			UserTitle: "Action is blocked", UserMsg: "We restrict certain activity to protect our community. Tell us if you think that we've made a mistake."},
		`{"error":{"message":"Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.","type":"OAuthException","code":190,"error_subcode":460,"fbtrace_id":"ASkD40ZYzAMGpUkxW2P4ez6"}}`:                                                 errPasswordChanged(),
		`{"error":{"message":"Error validating access token: The user has not authorized application 401490103558218.","type":"OAuthException","code":190,"error_subcode":458,"fbtrace_id":"F7v5hCYpfFn"}}`:                                                                                                                                       errAppNotAuthorized("401490103558218"),
		`{"error":{"message":"The user must be an administrator, editor, or moderator of the page in order to impersonate it. If the page business requires Two Factor Authentication, the user also needs to enable Two Factor Authentication.","type":"OAuthException","code":190,"error_subcode":492,"fbtrace_id":"ArmNm5F1-pv6cm7cLNCNd5W"}}`: errNoPageRole(),
		`{"error":{"message":"The access token is invalid since the user hasn't engaged the app in longer than 90 days.","type":"OAuthException","code":190,"error_subcode":493,"fbtrace_id":"EALaIqC7Yf2"}}`:                                                                                                                                     errDataAccessExpired(),
		`{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","is_transient":true,"code":4,"fbtrace_id":"GNV+FOvDX3z"}}`:                                                                                                                                                                                          errAppLimit(),
		`{"error":{"message":"(#10) Application does not have permission for this action","type":"OAuthException","code":10,"fbtrace_id":"AlxUisvCSIMDcrLtpCjx_X0"}}`:                                                                                                                                                                             {Code: 10, Message: "(#10) Application does not have permission for this action"},
	}
	trace := regexp.MustCompile(`"fbtrace_id":"[^"]*"`)
	for sample, e := range cases {
		want := trace.ReplaceAll(compact(t, []byte(sample)), []byte(`"fbtrace_id":"X"`))
		got := trace.ReplaceAll(e.body(), []byte(`"fbtrace_id":"X"`))
		if !sameJSON(t, want, got) {
			t.Errorf("\n got %s\nwant %s", got, want)
		}
	}
}

func compact(t *testing.T, b []byte) []byte {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	return out
}

func sameJSON(t *testing.T, a, b []byte) bool {
	return string(compact(t, a)) == string(compact(t, b))
}
