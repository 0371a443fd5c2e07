package keeper

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/sandbox"
)

// The window's first pull of 1,000 Pages is small: the first rows of its
// list and every Page with a problem, in the list form; the rest holds
// every other Page once, and the two together are the snapshot.
func TestHeadIsSmallAndTheRestCompletesIt(t *testing.T) {
	k, sb := connectAll(t, sandbox.Options{}, 1000, Options{})
	ctx := context.Background()
	sb.Apply(sandbox.Scenario{Kind: sandbox.WebhooksUnsubscribed, Page: sandbox.PageCatering})
	if _, err := k.Check(ctx, nil); err != nil {
		t.Fatal(err)
	}
	snap, err := k.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	whole, _ := json.Marshal(snap)
	head, rest := snap.ListForm().Head(60)
	first, _ := json.Marshal(head)
	if len(first) > len(whole)/10 {
		t.Errorf("first pull %d bytes of the whole %d: want at most a tenth", len(first), len(whole))
	}
	if len(head.Pages) < 60 || len(head.Pages) > 61 || head.Counts != snap.Counts || head.Seq != snap.Seq {
		t.Errorf("head: %d Pages, counts %+v, seq %d; want 60 or 61 Pages and the snapshot's counts %+v, seq %d",
			len(head.Pages), head.Counts, head.Seq, snap.Counts, snap.Seq)
	}
	seen := map[string]int{}
	for _, p := range append(append([]PageView{}, head.Pages...), rest...) {
		seen[p.ID]++
		if len(p.Tasks)+len(p.Permissions)+len(p.Features) != 0 {
			t.Fatalf("Page %s in the list form has tasks, permissions or features", p.ID)
		}
	}
	for _, p := range snap.Pages {
		if seen[p.ID] != 1 {
			t.Fatalf("Page %s is %d times in head and rest", p.ID, seen[p.ID])
		}
	}
	if len(seen) != len(snap.Pages) {
		t.Fatalf("head and rest hold %d Pages, the snapshot %d", len(seen), len(snap.Pages))
	}
	// The broken Page is in the head whatever its place in the list: the
	// banners above the list name it.
	var problem bool
	for _, p := range head.Pages {
		problem = problem || p.ID == sandbox.PageCatering && p.Status == "warning"
	}
	if !problem {
		t.Error("the Page with a problem is not in the first pull")
	}
	// The full snapshot (the command line's) keeps what the list form leaves out.
	if len(snap.Pages[0].Tasks) == 0 || len(snap.Pages[0].Features) == 0 {
		t.Error("the list form changed the snapshot it was made from")
	}
}
