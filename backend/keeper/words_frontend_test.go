package keeper

import (
	"os"
	"regexp"
	"testing"
)

// The window keeps its own copy of the status words (it needs them before
// any call to Go returns); this holds the two copies to the same words.
func TestWindowUsesTheSameStatusWords(t *testing.T) {
	src, err := os.ReadFile("../../frontend/src/lib/format.ts")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)export const statusLabel[^{]*\{(.*?)\n\}`).FindSubmatch(src)
	if block == nil {
		t.Fatal("frontend/src/lib/format.ts has no statusLabel table")
	}
	got := map[string]string{}
	for _, m := range regexp.MustCompile(`(\w+): '([^']*)'`).FindAllSubmatch(block[1], -1) {
		got[string(m[1])] = string(m[2])
	}
	if len(got) != len(StatusLabels) {
		t.Errorf("the window has %d status words, Go %d: %v vs %v", len(got), len(StatusLabels), got, StatusLabels)
	}
	for status, want := range StatusLabels {
		if got[status] != want {
			t.Errorf("status %q: the window says %q, the command line %q", status, got[status], want)
		}
	}
}
