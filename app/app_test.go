package app

import (
	"testing"

	"github.com/pagekeeper/pagekeeper/backend/buildinfo"
	"github.com/pagekeeper/pagekeeper/backend/datadir"
)

func TestAboutReportsVersionAndDataDir(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(datadir.EnvVar, dir)
	got, err := New().About()
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != buildinfo.Version || got.DataDir != dir || got.Name != "Pagekeeper" {
		t.Fatalf("About() = %+v", got)
	}
}
