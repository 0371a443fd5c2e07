//go:build bindings

package cli

// generatingBindings: `wails generate module` runs a build with this tag to
// read the bound methods; it opens no window and may run without a display.
const generatingBindings = true
