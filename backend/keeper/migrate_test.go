package keeper

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pagekeeper/pagekeeper/backend/sandbox"
	"github.com/pagekeeper/pagekeeper/backend/vault"
)

// A keychain from before the vault's numbered entries holds one entry per
// Page token; the window moves them over as it starts, and checks on.
func TestWindowMovesTokensFromTheOldLayout(t *testing.T) {
	m, dir := vault.NewMemory(), t.TempDir()
	f := newFixtureOn(t, m, dir)
	res := f.login(LoginRequest{}, sandbox.ConsentChoice{Persona: "Dana Whitfield"})
	var ids []string
	for _, c := range res.Candidates {
		ids = append(ids, c.ID)
	}
	if _, err := f.k.FinishConnect(context.Background(), ids); err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{}
	for _, id := range ids {
		tok, err := f.k.vault.PageToken(id)
		if err != nil {
			t.Fatal(err)
		}
		tokens[id] = tok
	}
	f.k.Close()
	// The keychain as Pagekeeper left it before: page-token:<id> entries.
	numbered, _ := m.Scan(nil, []string{"page-tokens:"})
	for key := range numbered {
		m.Delete(key)
	}
	for id, tok := range tokens {
		if err := m.Set("page-token:"+id, tok); err != nil {
			t.Fatal(err)
		}
	}

	k, err := Open(context.Background(), Options{DataDir: dir, Secrets: m, GraphURL: f.sb.URL(), FacebookURL: f.sb.URL(), Sender: &recorder{}})
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go k.Run(ctx)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		old, _ := m.Scan(nil, []string{"page-token:"})
		moved, _ := m.Scan(nil, []string{"page-tokens:"})
		if len(old) == 0 && strings.Contains(moved["page-tokens:0"], `"migrated":true`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the old entries were not moved: %d left, numbered entries %d", len(old), len(moved))
		}
	}
	fresh := vault.New(m)
	for id, want := range tokens {
		if got, err := fresh.PageToken(id); got != want || err != nil {
			t.Fatalf("PageToken(%s) after the move = %v", id, err)
		}
	}
	if _, err := k.Check(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	snap, err := k.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range snap.Pages {
		if p.Status != "valid" && p.Status != "warning" {
			t.Errorf("Page %s after the move: %s %s", p.Name, p.Status, p.Summary)
		}
	}
}
