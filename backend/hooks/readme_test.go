package hooks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/store"
)

// The README's hook example works as printed.
func TestREADMEHookExample(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(raw), "<!-- hook-example -->\n```sh\n")
	example, _, ok2 := strings.Cut(rest, "```\n<!-- /hook-example -->")
	if !ok || !ok2 {
		t.Fatal("README.md has no hook example between <!-- hook-example --> markers")
	}
	g := newRig(t)
	home := t.TempDir()
	t.Setenv("HOME", home)
	script := filepath.Join(g.dir, "pagekeeper-deploy")
	if err := os.WriteFile(script, []byte(example), 0o700); err != nil {
		t.Fatal(err)
	}
	g.setHooks(store.Hook{ID: "all-command", Command: script})
	g.r.Fire(Event{Kind: NewToken, PageID: pageID, PageName: "Crumb & Co"}, Event{Kind: StoppedWorking, PageID: pageID, PageName: "Crumb & Co", Status: "invalid"})
	g.r.Wait()
	file := filepath.Join(home, ".page-tokens", pageID)
	got, err := os.ReadFile(file)
	if err != nil || string(got) != token+"\n" {
		t.Fatalf("the example stored %q, %v", got, err)
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
		t.Errorf("the token file is %v, want only the owner to read it", st.Mode().Perm())
	}
	runs := g.log(KindRun)
	if len(runs) != 2 || !strings.Contains(runs[0].Details, "stored the new token of Crumb & Co") || !strings.Contains(runs[1].Details, "Crumb & Co is now invalid") {
		t.Errorf("history: %+v", runs)
	}
}

func TestANewTokenForAPageDisconnectedSinceIsNotRetried(t *testing.T) {
	g := newRig(t)
	g.setHooks(store.Hook{ID: "all-command", Command: "cat"})
	if err := g.v.DeletePageToken(pageID); err != nil {
		t.Fatal(err)
	}
	g.r.Fire(Event{Kind: NewToken, PageID: pageID})
	g.r.Wait()
	if runs := g.log(KindRun); len(runs) != 1 || !strings.Contains(runs[0].Details, "no longer holds a token") || !strings.Contains(runs[0].Details, "attempt 1 of 1") {
		t.Errorf("runs: %+v", runs)
	}
}

func TestAHookOwnTimeoutWins(t *testing.T) {
	g := newRig(t)
	g.r.Attempts = 1 // the Runner's own timeout stays at 10 s
	g.setHooks(store.Hook{ID: "all-command", Command: "sleep 20", TimeoutSeconds: 1})
	g.r.Fire(Event{Kind: WorksAgain, PageID: pageID})
	g.r.Wait()
	if runs := g.log(KindRun); len(runs) != 1 || !strings.Contains(runs[0].Details, "stopped after the 1s timeout") {
		t.Errorf("runs: %+v", runs)
	}
}
