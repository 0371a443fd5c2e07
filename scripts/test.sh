#!/usr/bin/env bash
# Sets up and runs every test of Pagekeeper; fails on the first failure.
# Everything that needs a desktop session (keychain, notifications, window,
# browser) runs inside a private D-Bus session and a private X display, which
# are torn down at the end so no process is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

step() { printf '\n=== %s\n' "$*"; }

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt would change:"; echo "$unformatted"; exit 1; fi

step "go vet"
go vet ./...

step "fuzzing (bounded; the corpus under testdata/fuzz replays in go test too)"
scripts/fuzz.sh

step "frontend: bindings, svelte-check, vitest"
bin/wails generate module >/dev/null
(cd frontend && npm run --silent check && npm test --silent)

step "production build"
(cd frontend && npm run --silent build >/dev/null)
bin/wails build -s -m -clean >/dev/null
go build -o build/bin/pagekeeper .
test -f frontend/dist/index.html
test -x build/bin/pagekeeper-window
build/bin/pagekeeper version
build/bin/pagekeeper-window version
if ldd build/bin/pagekeeper | grep -q -e libgtk -e libwebkit; then echo "the command-line build links GTK or WebKit"; exit 1; fi

step "dev build (for the browser tests)"
go build -tags dev,webkit2_41 -o build/bin/pagekeeper-dev .

step "release artifacts (scripts/release.sh): the .deb and the per-user Windows installer"
dist=$(mktemp -d)
PAGEKEEPER_DIST=$dist scripts/release.sh linux windows

step "Windows build under Wine: the same damaged databases as on Linux; the engine on its named pipe; the command line in cmd.exe, the installer"
(
  damaged=$(mktemp -d)
  . scripts/wine-env.sh
  trap '{ wineserver -k && wineserver -w; } 2>/dev/null || true; rm -rf "$WINEPREFIX" "$damaged" || true' EXIT
  log=$(mktemp)
  export PAGEKEEPER_DAMAGED_FILES=$damaged
  if ! go test -count=1 -run 'TestDamagedFilesNeverCrash' -v ./backend/store/ >"$log" 2>&1 ||
    ! GOOS=windows go test -count=1 -exec wine -run 'TestDamagedFilesNeverCrash' -v ./backend/store/ >>"$log" 2>&1 ||
    ! GOOS=windows go test -count=1 -exec wine -v ./backend/engine/ >>"$log" 2>&1; then
    cat "$log"; rm -f "$log"; exit 1
  fi
  grep -E '^(FIGURE|ok)' "$log"; rm -f "$log"
  scripts/test-windows.sh "$dist"
)

step "the .deb: dpkg -i, pagekeeper version, desktop-file-validate"
scripts/test-deb.sh "$dist"
rm -rf "$dist"

step "macOS: the backend vetted and built for darwin"
GOOS=darwin go vet ./backend/...
GOOS=darwin go build ./backend/...

step "desktop session: Go tests, keychain, notifications, window, browser"
export XDG_DATA_HOME XDG_RUNTIME_DIR
XDG_DATA_HOME=$(mktemp -d)
XDG_RUNTIME_DIR=$(mktemp -d); chmod 700 "$XDG_RUNTIME_DIR"
trap 'rm -rf "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"' EXIT
dbus-run-session -- scripts/test-session.sh </dev/null
echo
echo "All tests passed."
