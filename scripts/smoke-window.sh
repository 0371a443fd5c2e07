#!/usr/bin/env bash
# Launches the built binary in a real window, screenshots the display and fails
# when the window is blank (a blank WebKit view has only a handful of colours).
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
shot=${SMOKE_SHOT:-build/bin/smoke.png}
PAGEKEEPER_DATA_DIR=$data build/bin/pagekeeper >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
colours=0
for _ in $(seq 40); do
  sleep 0.5
  kill -0 $pid 2>/dev/null || { echo "smoke: the app exited early"; exit 1; }
  import -window root "$shot" 2>/dev/null || continue
  colours=$(identify -format %k "$shot")
  [ "$colours" -gt 100 ] && break
done
echo "smoke: $colours colours on screen ($shot)"
[ "$colours" -gt 100 ] || { echo "smoke: the window looks blank"; exit 1; }
