//go:build !bindings

package buildinfo

const GeneratingBindings = false
