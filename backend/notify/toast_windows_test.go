package notify

import (
	"testing"

	"golang.org/x/sys/windows/registry"
)

// Under Wine the Windows Runtime's toast classes are missing (and its COM
// calls back into a process that is exiting), so the toast itself is not
// pushed here; what is checked: the command line's sender on Windows is the
// toast, and it registers Pagekeeper as a toast sender.
func TestToastRegistersPagekeeper(t *testing.T) {
	s, ok := Headless().(*Toast)
	if !ok {
		t.Fatalf("Headless() on Windows is %T, want *Toast", Headless())
	}
	const key = `Software\Classes\AppUserModelId\` + ToastAppID
	_ = registry.DeleteKey(registry.CURRENT_USER, key)
	if err := s.register(); err != nil {
		t.Fatal(err)
	}
	k, err := registry.OpenKey(registry.CURRENT_USER, key, registry.QUERY_VALUE)
	if err != nil {
		t.Fatalf("the AppUserModelID is not registered: %v", err)
	}
	name, _, _ := k.GetStringValue("DisplayName")
	k.Close()
	if name != "Pagekeeper" {
		t.Fatalf("DisplayName %q", name)
	}
}
