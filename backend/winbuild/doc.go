// Package winbuild tests the Windows release build of Pagekeeper (the
// pagekeeper.exe command line and its installer) by running them under Wine,
// with the Facebook sandbox served from this test on the Linux side.
//
// Its tests carry the build tag "wine" and need the artifacts, so scripts/test.sh
// runs them after cross-building (see scripts/wine-test.sh):
//
//	PAGEKEEPER_WINDOWS_EXE=build/bin/windows/pagekeeper.exe \
//	PAGEKEEPER_WINDOWS_SETUP=build/bin/windows/setup.exe \
//	  go test -tags wine ./backend/winbuild/
package winbuild
