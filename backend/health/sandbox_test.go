package health_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/graph"
	"github.com/pagekeeper/pagekeeper/backend/health"
	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

// TestShapesFromTheSandbox: each answer shape of issue 10, produced by the
// sandbox (switched on over its HTTP admin endpoint), read by the Graph
// client the way the monitor reads a probe (a batch item with the Page's own
// token under the app token), and diagnosed. Two separate readings of Meta's
// documentation meet here.
func TestShapesFromTheSandbox(t *testing.T) {
	sb, err := sandbox.Start("127.0.0.1:0", sandbox.Options{Clock: sandbox.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	id, secret := sb.App()
	g := graph.New(graph.Config{GraphURL: sb.URL(), AppID: id, AppSecret: secret})
	ctx := context.Background()

	dialog := sb.DialogURL(sb.URL(), sandbox.DefaultRedirectURI, "s1",
		"pages_show_list", "pages_read_engagement", "pages_manage_metadata", "pages_messaging", "instagram_basic")
	back, err := sb.Consent(ctx, dialog, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
	if err != nil {
		t.Fatal(err)
	}
	short, err := g.ExchangeCode(ctx, back.Query().Get("code"), sandbox.DefaultRedirectURI, "")
	if err != nil {
		t.Fatal(err)
	}
	long, err := g.ExchangeLongLived(ctx, short.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	accts, err := g.Accounts(ctx, long.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	var pageToken string
	for _, a := range accts {
		if a.ID == sandbox.PageBakery {
			pageToken = a.AccessToken
		}
	}
	if pageToken == "" {
		t.Fatal("no Page token for the bakery")
	}

	switchOn := func(t *testing.T, body string) {
		t.Helper()
		resp, err := http.Post(sb.URL()+"/__sandbox/scenarios", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("switch on %s: HTTP %d", body, resp.StatusCode)
		}
		t.Cleanup(sb.ClearAll)
	}
	probe := func() health.Diagnosis {
		obs := health.Observation{PageID: sandbox.PageBakery, PageName: "Harbor Street Bakery", PersonName: "Dana Whitfield",
			Now: sb.Clock().Now(), Wanted: []string{}}
		res, err := g.AppBatch(ctx, []graph.BatchRequest{g.WithToken("GET", sandbox.PageBakery+"?fields=id,name", pageToken)})
		if err != nil {
			obs.Probe = err // the batch failed as a whole: every Page gets its error
		} else {
			_, obs.Probe = res[0].DecodePage(sandbox.PageBakery)
		}
		return health.Diagnose(obs)
	}

	if d := probe(); d.Status != health.Valid {
		t.Fatalf("before any fault: %s/%s", d.Status, d.Reason)
	}
	cases := []struct {
		shape  string
		fault  string
		status health.Status
		reason health.Reason
		issue  graph.AppIssue
	}{
		{"2 no id", `{"kind":"probe_not_page"}`, health.Unknown, health.UnexpectedAnswer, ""},
		{"2 another id", `{"kind":"probe_not_page","variant":"other_id"}`, health.Unknown, health.UnexpectedAnswer, ""},
		{"2 error in a 200", `{"kind":"probe_not_page","variant":"error_in_200"}`, health.Invalid, health.PasswordChanged, ""},
		{"2 legacy error", `{"kind":"probe_not_page","variant":"legacy_error"}`, health.Invalid, health.PasswordChanged, ""},
		{"3 100/33", `{"kind":"page_deleted","page":"` + sandbox.PageBakery + `"}`, health.Invalid, health.PageGone, ""},
		{"3 code 33", `{"kind":"page_deleted","code":33}`, health.Invalid, health.PageGone, ""},
		{"4 code 10", `{"kind":"permission_named","permission":"pages_read_engagement"}`, health.Invalid, health.PermissionMissing, ""},
		{"4 100/33 naming it", `{"kind":"permission_named","permission":"pages_read_engagement","code":100}`, health.Invalid, health.PermissionMissing, ""},
		{"5 490", `{"kind":"checkpoint_blocking","persona":"` + sandbox.DanaID + `"}`, health.Invalid, health.AccountCheckpointed, ""},
		{"5 another subcode", `{"kind":"checkpoint_blocking","code":491}`, health.Invalid, health.AccountCheckpointed, ""},
		{"6 proof required", `{"kind":"meta_app","variant":"proof_required"}`, health.Unknown, health.MetaAppProblem, graph.AppProofRequired},
		{"6 secret reset", `{"kind":"meta_app","variant":"secret_reset"}`, health.Unknown, health.MetaAppProblem, graph.AppSecretMismatch},
		{"6 not live", `{"kind":"meta_app","variant":"not_live"}`, health.Unknown, health.MetaAppProblem, graph.AppNotLive},
		{"6 deleted", `{"kind":"meta_app","variant":"deleted"}`, health.Unknown, health.MetaAppProblem, graph.AppUnknown},
	}
	for _, tc := range cases {
		t.Run(tc.shape, func(t *testing.T) {
			switchOn(t, tc.fault)
			d := probe()
			if d.Status != tc.status || d.Reason != tc.reason || d.AppIssue != tc.issue {
				t.Errorf("got %s/%s %q, want %s/%s %q", d.Status, d.Reason, d.AppIssue, tc.status, tc.reason, tc.issue)
			}
			if tc.reason == health.PermissionMissing && (len(d.MissingPermissions) != 1 || d.MissingPermissions[0] != "pages_read_engagement") {
				t.Errorf("missing %v", d.MissingPermissions)
			}
			if strings.Contains(d.Summary, "could not reach") {
				t.Errorf("an answer arrived, yet: %q", d.Summary)
			}
		})
	}

	// 7: every respelling of an error keeps its verdict.
	t.Run("7 spellings", func(t *testing.T) {
		for _, v := range []string{"code_string", "subcode_renamed", "subcode_missing", "legacy"} {
			sb.ClearAll()
			switchOn(t, `{"kind":"page_deleted","code":33}`)
			switchOn(t, `{"kind":"error_shape","variant":"`+v+`"}`)
			if d := probe(); d.Status != health.Invalid || d.Reason != health.PageGone {
				t.Errorf("%s: %s/%s", v, d.Status, d.Reason)
			}
		}
		sb.ClearAll()
		switchOn(t, `{"kind":"error_shape","variant":"oauth_error_string"}`)
		switchOn(t, `{"kind":"meta_app","variant":"secret_reset"}`)
		_, err := g.AppToken(ctx)
		var ge *graph.Error
		if !graph.IsDefinitive(err) || !strings.Contains(err.Error(), "invalid_client") || !errors.As(err, &ge) || ge.AppIssue() != graph.AppSecretMismatch {
			t.Errorf("token endpoint, OAuth error string: %v", err)
		}
	})

	sb.ClearAll()
	if d := probe(); d.Status != health.Valid {
		t.Fatalf("after clearing: %s/%s", d.Status, d.Reason)
	}
}
