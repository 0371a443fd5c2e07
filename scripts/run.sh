#!/usr/bin/env bash
# Sets up and opens Pagekeeper. With nothing configured it opens in demo mode,
# on the built-in Facebook sandbox, so a newcomer can try every flow.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
bin/wails build -s -m >/dev/null
exec build/bin/pagekeeper "$@"
