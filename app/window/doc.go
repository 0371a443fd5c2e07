// Package window holds what the window build needs around Wails' own window
// on Windows: WebView2's messages worded for the owner, a message box for a
// window that could not open, and the console a GUI-subsystem program lacks.
// Only the window build (main.go) imports it; the command-line build stays
// free of the console attach.
package window
