//go:build !bindings

package cli

const generatingBindings = false
