#!/usr/bin/env bash
# Launches the built binary in a real window, screenshots the display and fails
# when the window is blank (a blank WebKit view has only a handful of colours).
# It also proves the app quits on SIGTERM, so nothing is left behind.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
shot=${SMOKE_SHOT:-build/bin/smoke.png}
PAGEKEEPER_DATA_DIR=$data setsid build/bin/pagekeeper >/dev/null 2>&1 &
pid=$!
stop() {
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "smoke: the app ignored SIGTERM for 5 s"
  kill -KILL -- "-$pid" 2>/dev/null || true
  return 1
}
trap 'kill -KILL -- "-$pid" 2>/dev/null; rm -rf "$data"' EXIT
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
stop
echo "smoke: the app quit on SIGTERM"
