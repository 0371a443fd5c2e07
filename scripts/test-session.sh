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

# Xvfb picks a free display itself, so test runs side by side do not collide.
dfile=$(mktemp)
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp 3>"$dfile" >/dev/null 2>&1 & pids+=($!)
for _ in $(seq 100); do [ -s "$dfile" ] && break; sleep 0.1; done
export DISPLAY=":$(tr -d '[:space:]' <"$dfile")"
rm -f "$dfile"
# GTK would start an accessibility bus that outlives the test run.
export NO_AT_BRIDGE=1

# The no-display test runs the production binary test.sh built.
export PAGEKEEPER_BINARY="$PWD/build/bin/pagekeeper"

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
