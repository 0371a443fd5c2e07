//go:build !windows

package main

// showWindowError has nothing to add elsewhere: the message went to stderr,
// and a desktop launcher logs it.
func showWindowError(string) {}
