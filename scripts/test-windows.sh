#!/usr/bin/env bash
# The Windows build under Wine, as users get it from scripts/release.sh:
#
#   . scripts/wine-env.sh; scripts/test-windows.sh DIST
#
# Go tests of the Windows-only code (the login item in the Run key, the busy
# port's advice, the toast sender, the Page tokens in Credential Manager's
# 2,560-byte entries), then backend/winbuild: the command line
# in cmd.exe against the sandbox, and the per-user installer and uninstaller.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=$(realpath "${1:?the folder scripts/release.sh wrote}")
: "${WINEPREFIX:?source scripts/wine-env.sh first}"
version=$(scripts/version.sh)

# A persistent server whose services (started here, on /dev/null) never hold
# the pipes go test reads its test programs' output from.
{ wineserver -k; wineserver -w; } 2>/dev/null || true
wineserver -p
wine wineboot >/dev/null 2>&1 </dev/null

log=$(mktemp)
trap 'rm -f "$log"' EXIT
run() { if ! "$@" >"$log" 2>&1; then cat "$log"; exit 1; fi; grep -E '^(ok|FAIL|---)' "$log" || true; }

run env GOOS=windows go test -count=1 -exec wine ./backend/autostart/
run env GOOS=windows go test -count=1 -exec wine -run 'TestPortInUse' ./backend/login/
run env GOOS=windows go test -count=1 -exec wine -run 'Toast' ./backend/notify/
run env GOOS=windows go test -count=1 -exec wine -run 'TestKeyringPlatformEntries' ./backend/vault/
run env PAGEKEEPER_VERSION="$version" \
  PAGEKEEPER_WINDOWS_EXE="$PWD/build/bin/release/windows-amd64/pagekeeper.exe" \
  PAGEKEEPER_WINDOWS_SETUP="$dist/pagekeeper-$version-windows-amd64-setup.exe" \
  go test -count=1 -tags wine -v ./backend/winbuild/
# What the console showed, for the record.
sed -n '/the console:/,/^--- /p' "$log" | sed '$d'
