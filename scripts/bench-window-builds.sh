#!/usr/bin/env bash
# Builds what the benchmarks launch, into the folder $1: pagekeeper (the
# command line) and pagekeeper-window beside it, and the bare Wails vanilla
# template ("tmpl") from the pinned Wails CLI, which logs its first paint the
# way Pagekeeper's page does. Needs no network once the npm and Go module
# caches are warm (the template borrows Pagekeeper's vite).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1
(cd frontend && npm run --silent build >/dev/null)
go build -o "$out/pagekeeper" .
go build -tags desktop,production,webkit2_41 -ldflags '-s -w' -o "$out/pagekeeper-window" .
rm -rf "$out/tmpl-src"
bin/wails init -n tmpl -t vanilla -d "$out/tmpl-src" >/dev/null
echo "requestAnimationFrame(() => requestAnimationFrame(() => window.runtime.LogPrint('first paint')))" >>"$out/tmpl-src/frontend/src/main.js"
ln -s "$PWD/frontend/node_modules" "$out/tmpl-src/frontend/node_modules"
(cd "$out/tmpl-src/frontend" && ./node_modules/.bin/vite build --logLevel error >/dev/null)
(cd "$out/tmpl-src" && go build -tags desktop,production,webkit2_41 -ldflags '-s -w' -o "$out/tmpl" .)
