#!/usr/bin/env bash
# Installs what building and testing Pagekeeper needs, and only what is missing,
# so it is quick on a machine that already has everything.
set -euo pipefail
cd "$(dirname "$0")/.."

WAILS_VERSION=v2.15.0
APT_PACKAGES=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools
  chromium imagemagick fonts-dejavu-core curl
  python3-minimal                           # runs the README's webhook verifier (backend/hooks/readme_test.go)
  wine wine64 gcc-mingw-w64-x86-64-win32    # Windows builds' tests under Wine (scripts/wine-env.sh)
  nsis desktop-file-utils)                  # the Windows installer and the .deb checks (scripts/release.sh)

need_cmd() { command -v "$1" >/dev/null 2>&1 || { echo "setup: $1 is required ($2)" >&2; exit 1; }; }
need_cmd go "Go 1.25 or newer: https://go.dev/dl/"
need_cmd node "Node.js 20 or newer"
need_cmd npm "npm, which comes with Node.js"

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The Wails CLI lives in the project's own bin/ so nothing depends on the user's PATH.
if ! [ -x bin/wails ] || ! bin/wails version 2>/dev/null | grep -q "${WAILS_VERSION}"; then
  echo "setup: installing the Wails CLI ${WAILS_VERSION} into bin/"
  GOBIN="$PWD/bin" go install "github.com/wailsapp/wails/v2/cmd/wails@${WAILS_VERSION}"
fi

# npm ci only when the lock file changed since the last install. npm's own
# node_modules/.package-lock.json never equals package-lock.json byte for
# byte, so the install leaves a copy of the lock file it installed from.
if ! cmp -s frontend/package-lock.json frontend/node_modules/.installed-from-lock.json 2>/dev/null; then
  echo "setup: npm ci"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-from-lock.json)
fi
go mod download
