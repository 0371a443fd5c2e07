//go:build bindings

package buildinfo

// GeneratingBindings is true in the build Wails runs to write the frontend's
// bindings; that run opens no window, so it needs no display.
const GeneratingBindings = true
