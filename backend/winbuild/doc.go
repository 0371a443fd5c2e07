// Package winbuild tests the Windows release build of Pagekeeper (the
// pagekeeper.exe command line and its installer) by running them under Wine,
// with the Facebook sandbox served from this test on the Linux side.
//
// Its tests carry the build tag "wine" and need the artifacts, so scripts/test.sh
// runs them after scripts/release.sh has built them:
//
//	PAGEKEEPER_WINDOWS_EXE=build/bin/release/windows-amd64/pagekeeper.exe \
//	PAGEKEEPER_WINDOWS_SETUP=dist/pagekeeper-VERSION-windows-amd64-setup.exe PAGEKEEPER_VERSION=VERSION \
//	  go test -tags wine ./backend/winbuild/
package winbuild
