// Package buildinfo holds what identifies this build of Pagekeeper.
package buildinfo

// Version is overwritten at link time (-ldflags "-X ...buildinfo.Version=v1.2.3")
// so release binaries report their tag without a code change.
var Version = "0.1.0-dev"

// Name is the product name shown in the window title, notifications and the CLI.
const Name = "Pagekeeper"

// BundleID identifies Pagekeeper to the OS: the macOS bundle identifier
// (build/darwin/Info.plist), the single-instance lock, the login item and the
// Windows manifest. Notifications on macOS need it.
const BundleID = "io.github.pagekeeper.desktop"
