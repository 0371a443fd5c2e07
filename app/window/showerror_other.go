//go:build !windows

package window

// ShowError has nothing to add elsewhere: the message went to stderr,
// and a desktop launcher logs it.
func ShowError(string) {}
