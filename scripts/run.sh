#!/usr/bin/env bash
# Sets up and opens Pagekeeper. With nothing configured yet it opens the demo,
# on the built-in Facebook sandbox, so a newcomer can try every flow at once;
# the demo's first screen offers to set up the real thing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
(cd frontend && npm run --silent build >/dev/null)
bin/wails build -s -m >/dev/null           # build/bin/pagekeeper-window
go build -o build/bin/pagekeeper .          # the command line, which opens the window through it
if [ $# -eq 0 ] && build/bin/pagekeeper status 2>/dev/null | grep -q "not set up yet"; then
  exec build/bin/pagekeeper demo
fi
exec build/bin/pagekeeper "$@"
