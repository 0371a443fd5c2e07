package keeper

import (
	"context"
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

// A refused Meta app is said once, for the check, with the App Dashboard
// setting to change; no Page turns red or says "could not reach Facebook".
func TestMetaAppProblemIsOneNoteAboveTheList(t *testing.T) {
	f := newFixture(t)
	f.connectAllPages()
	before := f.pages()

	for _, tc := range []struct{ variant, setting string }{
		{"secret_reset", "App settings > Basic"},
		{"deleted", "App ID"},
		{"proof_required", "Require App Secret"},
	} {
		if err := f.sb.Apply(sandbox.Scenario{Kind: sandbox.MetaApp, Variant: tc.variant}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.k.Check(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		snap, err := f.k.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		p := snap.Check.AppProblem
		if p == nil || !strings.Contains(p.Fix, tc.setting) || !strings.Contains(p.Fix, "App Dashboard") {
			t.Fatalf("%s: app problem %+v", tc.variant, p)
		}
		if snap.Check.Error != "" {
			t.Errorf("%s: the check also says %q", tc.variant, snap.Check.Error)
		}
		for id, pg := range f.pages() {
			if pg.Status != before[id].Status || pg.Status == "invalid" {
				t.Errorf("%s: page %s went %s/%s (was %s)", tc.variant, pg.Name, pg.Status, pg.Reason, before[id].Status)
			}
		}
		f.sb.ClearAll()
	}
	if len(f.sent.sent) != 0 {
		t.Errorf("notifications for an app problem: %+v", f.sent.sent)
	}
	if _, err := f.k.Check(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if snap, _ := f.k.Snapshot(); snap.Check.AppProblem != nil {
		t.Errorf("the note stays after the app is fixed: %+v", snap.Check.AppProblem)
	}
}
