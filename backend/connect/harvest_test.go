package connect

import (
	"slices"
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/graph"
)

// Granular scopes name Pages for page scopes, Instagram accounts for
// instagram_* scopes and businesses for business_management (sample 23).
func TestScopesForAPage(t *testing.T) {
	info := graph.TokenInfo{GranularScopes: []graph.GranularScope{
		{Scope: "pages_show_list", TargetIDs: []string{"P1", "P2"}},
		{Scope: "pages_messaging", TargetIDs: []string{"P1"}},
		{Scope: "instagram_basic", TargetIDs: []string{"IG1"}},
		{Scope: "business_management", TargetIDs: []string{"B1"}},
	}}
	granted := []string{"pages_show_list", "pages_messaging", "instagram_basic", "business_management", "public_profile"}

	withIG := GrantedPage{ID: "P1", InstagramID: "IG1"}
	withIG.Scopes = scopesFor(info, granted, withIG)
	if !slices.Equal(withIG.Scopes, granted) {
		t.Errorf("P1 with its Instagram account: %v", withIG.Scopes)
	}

	other := GrantedPage{ID: "P2", InstagramID: "IG2"}
	other.Scopes = scopesFor(info, granted, other)
	if want := []string{"pages_show_list", "business_management", "public_profile"}; !slices.Equal(other.Scopes, want) {
		t.Errorf("P2: %v, want %v", other.Scopes, want)
	}
	if m := other.Missing(); !slices.Contains(m, "pages_messaging") || !slices.Contains(m, "instagram_basic") {
		t.Errorf("P2 missing %v", m)
	}

	noIG := GrantedPage{ID: "P1"}
	noIG.Scopes = scopesFor(info, granted, noIG)
	for _, s := range noIG.Missing() {
		if s == "instagram_basic" || s == "instagram_manage_messages" || s == "business_management" {
			t.Errorf("a Page without Instagram is missing %s", s)
		}
	}
}
