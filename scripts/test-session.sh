#!/usr/bin/env bash
# Runs inside dbus-run-session (see test.sh): a real gnome-keyring and a real
# X display for the tests that need them.
set -euo pipefail
cd "$(dirname "$0")/.."

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  # gnome-keyring-daemon daemonizes; find it through the bus that owns it.
  kr=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null | awk '/uint32/ {print $2}')
  [ -n "${kr:-}" ] && kill "$kr" 2>/dev/null || true
}
trap cleanup EXIT

printf test-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null

Xvfb :97 -screen 0 1280x1024x24 -nolisten tcp >/dev/null 2>&1 & pids+=($!)
export DISPLAY=:97
# GTK would start an accessibility bus that outlives the test run.
export NO_AT_BRIDGE=1
for _ in $(seq 50); do [ -e /tmp/.X11-unix/X97 ] && break; sleep 0.1; done

printf '\n=== go test -race ./...  (the FIGURE lines are the hardening and load figures)\n'
log=$(mktemp)
if ! go test -race -count=1 -v ./... >"$log" 2>&1; then
  grep -vE '^(=== (RUN|PAUSE|CONT)|    --- PASS|--- PASS)' "$log" | tail -200
  rm -f "$log"
  exit 1
fi
grep -E '^(FIGURE|ok|FAIL)' "$log"
rm -f "$log"

printf '\n=== window smoke test (production binary)\n'
scripts/smoke-window.sh

printf '\n=== browser tests (Chromium on the dev binary)\n'
for t in frontend/e2e/*.test.mjs; do
  [ -e "$t" ] || continue
  echo "--- $t"
  node "$t"
done
