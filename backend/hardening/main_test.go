package hardening

import (
	"fmt"
	"os"
	"testing"
)

// envChild names the part a re-executed test binary plays (crash_test.go,
// instance_test.go); envDir is the data folder it works on.
const (
	envChild = "PAGEKEEPER_HARDENING_CHILD"
	envDir   = "PAGEKEEPER_HARDENING_DIR"
	envSeed  = "PAGEKEEPER_HARDENING_SEED"
)

var children = map[string]func(dir string) error{}

func TestMain(m *testing.M) {
	if role := os.Getenv(envChild); role != "" {
		run := children[role]
		if run == nil {
			fmt.Fprintf(os.Stderr, "unknown child role %q\n", role)
			os.Exit(2)
		}
		if err := run(os.Getenv(envDir)); err != nil {
			fmt.Fprintf(os.Stderr, "child %s: %v\n", role, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
