// Package hardening holds Pagekeeper's end-to-end proofs, as tests only:
// no secret leaks (leak_test.go), no false alarm and no missed breakage
// under random faults (chaos_test.go), no record lost to kill -9
// (crash_test.go), one instance per data folder (instance_test.go) and the
// login callback's defences as seen through the keeper (callback_test.go).
//
// Every test prints its figures on lines starting with "FIGURE", to stdout
// and to the test log. `go test` hides the output of passing packages, so
// show them with -v:
//
//	go test -race -count=1 -v ./backend/hardening/ | grep -E '^(FIGURE|--- FAIL|FAIL|ok)'
package hardening
