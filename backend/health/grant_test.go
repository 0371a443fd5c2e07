package health

import (
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/graph"
)

// A Page connect accepted because the grant names it (a Business Portfolio
// Page listed in pages_read_engagement's targets but not in
// pages_show_list's) is in the grant for the check too: the very next
// check must not call it "no longer among the Pages allowed".
func TestInGrantReadsEveryPageScopeConnectReads(t *testing.T) {
	info := &graph.TokenInfo{IsValid: true, GranularScopes: []graph.GranularScope{
		{Scope: "pages_show_list", TargetIDs: []string{"P1"}},
		{Scope: "pages_read_engagement", TargetIDs: []string{"P1", "P2"}},
		{Scope: "instagram_basic", TargetIDs: []string{"IG9"}},
	}}
	if in := InGrant(info, "P2"); in == nil || !*in {
		t.Errorf("P2 (in pages_read_engagement's targets): InGrant = %v, want true", in)
	}
	if in := InGrant(info, "P3"); in == nil || *in {
		t.Errorf("P3 (in no page scope's targets): InGrant = %v, want false", in)
	}
	if in := InGrant(info, "IG9"); in == nil || *in {
		t.Errorf("an Instagram target is no Page of the grant: %v", in)
	}
	none := &graph.TokenInfo{IsValid: true, GranularScopes: []graph.GranularScope{{Scope: "pages_show_list"}}}
	if in := InGrant(none, "P1"); in != nil {
		t.Errorf("no page scope lists targets: InGrant = %v, want nil (all)", *in)
	}
}

// Code 803 ("Some of the aliases you requested do not exist: 77") is
// Facebook's other "this object does not exist" answer: as definitive for
// the Page as 100/33.
func TestAliasDoesNotExistIsPageGone(t *testing.T) {
	d := probeWith(t, 404, `{"error":{"message":"(#803) Some of the aliases you requested do not exist: 77","type":"OAuthException","code":803,"fbtrace_id":"AbC"}}`)
	if d.Status != Invalid || d.Reason != PageGone {
		t.Errorf("803: %s/%s, want invalid/page_gone", d.Status, d.Reason)
	}
}

// The same answer seen without a code, the code only in the message.
func TestAliasDoesNotExistWithoutCode(t *testing.T) {
	d := probeWith(t, 200, `{"error":{"message":"(#803) Some of the aliases you requested do not exist: 77","type":"OAuthException"}}`)
	if d.Status != Invalid || d.Reason != PageGone {
		t.Errorf("803 without a code: %s/%s, want invalid/page_gone", d.Status, d.Reason)
	}
}

// Targets on another page scope while pages_show_list lists none say
// nothing about the Pages they leave out.
func TestInGrantUnlimitedWithoutPagesShowListTargets(t *testing.T) {
	info := &graph.TokenInfo{IsValid: true, GranularScopes: []graph.GranularScope{
		{Scope: "pages_show_list"},
		{Scope: "pages_manage_metadata", TargetIDs: []string{"P1"}},
	}}
	if in := InGrant(info, "P2"); in != nil {
		t.Errorf("P2: InGrant = %v, want nil", *in)
	}
}

// debug_token answering is_valid false with a temporary error in data.error
// (code 1 "An unknown error occurred", code 2) gave no verdict on the
// token: the person is unknown, not "token invalid", and a working Page
// keeps its status.
func TestTemporaryDebugTokenErrorIsNoVerdict(t *testing.T) {
	for _, body := range []string{
		`{"data":{"is_valid":false,"error":{"code":2,"message":"Service temporarily unavailable"},"scopes":[]}}`,
		`{"data":{"is_valid":false,"error":{"code":1,"message":"An unknown error occurred","is_transient":true},"scopes":[]}}`,
		`{"data":{"is_valid":false,"error":{"code":4,"message":"(#4) Application request limit reached"},"scopes":[]}}`,
	} {
		info, err := graph.ParseDebugToken(200, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		person := Diagnose(Observation{PersonName: "Dana", UserToken: &info, Now: now, Wanted: []string{}})
		if person.Status != Unknown || person.Reason == Unreachable {
			t.Errorf("%.60s: person %s/%s, want unknown (an answer that arrived)", body, person.Status, person.Reason)
		}
		o := healthy()
		o.UserToken = &info
		if d := Diagnose(o); d.Status != Valid {
			t.Errorf("%.60s: a working Page became %s/%s", body, d.Status, d.Reason)
		}
	}
}
