package vault

import "testing"

// A reader lists the keychain while another process deletes from it: an
// item gone between the search and the reading of its name is left out.
func TestListingSkipsAnItemDeletedMeanwhile(t *testing.T) {
	needSessionBus(t)
	svc := testService(t)
	k := Keyring{Service: svc}
	for _, key := range []string{"page-token:1", "page-tokens:0"} {
		if err := k.Set(key, "EAAvalue"); err != nil {
			t.Fatal(err)
		}
	}
	s, err := openSecretService()
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	paths, err := s.svc.SearchItems(s.coll, map[string]string{"service": svc})
	if err != nil || len(paths) != 2 {
		t.Fatalf("search: %v, %v", paths, err)
	}
	if err := k.Delete("page-token:1"); err != nil {
		t.Fatal(err)
	}
	got, err := s.named(svc, paths)
	if err != nil || len(got) != 1 || got["page-tokens:0"] == "" {
		t.Fatalf("listing beside a delete: %v, %v", got, err)
	}
}
