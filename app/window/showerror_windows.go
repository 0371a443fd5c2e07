package window

import (
	"golang.org/x/sys/windows"
)

// ShowError puts why the window could not open in a message box: a
// program started from the Start menu has no console to print it on.
func ShowError(msg string) {
	title, _ := windows.UTF16PtrFromString("Pagekeeper")
	text, _ := windows.UTF16PtrFromString(msg)
	windows.MessageBox(0, text, title, windows.MB_OK|windows.MB_ICONERROR)
}
