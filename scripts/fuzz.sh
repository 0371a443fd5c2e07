#!/bin/sh
# Runs every fuzz target of the code that reads what Facebook (or a browser
# on the login callback) sends, for a bounded time each, and fails on the
# first failure. A failing input is saved by Go under the package's
# testdata/fuzz/<Target>/ and then replays in every plain `go test`.
#
#   scripts/fuzz.sh                 each target for FUZZTIME (default 40000x)
#   FUZZTIME=1m scripts/fuzz.sh     longer
#   KEEP_CORPUS=1 scripts/fuzz.sh   also copy what the fuzzer found
#                                   interesting into testdata/fuzz, to commit
#
# The default is a count of runs, not a time: Go 1.26's fuzzer can fail a
# target with a bare "context deadline exceeded" when a -fuzztime duration
# runs out (go.dev/issue/75804, fixed in Go 1.27), and a count has no deadline.
set -eu
cd "$(dirname "$0")/.."
FUZZTIME=${FUZZTIME:-40000x}
TARGETS="
./backend/graph FuzzParseError
./backend/graph FuzzParseDebugToken
./backend/graph FuzzBatchBody
./backend/graph FuzzParseUsage
./backend/graph FuzzAccountsPaging
./backend/login FuzzCallbackQuery
"
cache=$(go env GOCACHE)/fuzz/$(go list -m)
start=$(date +%s)
echo "$TARGETS" | while read -r pkg target; do
	[ -n "$pkg" ] || continue
	echo "fuzz: $target ($pkg) for $FUZZTIME"
	if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg" >/tmp/pagekeeper-fuzz.$$ 2>&1; then
		cat /tmp/pagekeeper-fuzz.$$
		rm -f /tmp/pagekeeper-fuzz.$$
		echo "fuzz: $target FAILED; the input is in ${pkg#./}/testdata/fuzz/$target/" >&2
		exit 1
	fi
	grep -E '^fuzz: elapsed' /tmp/pagekeeper-fuzz.$$ | tail -1
	rm -f /tmp/pagekeeper-fuzz.$$
	if [ "${KEEP_CORPUS:-}" = 1 ] && [ -d "$cache/${pkg#./}/$target" ]; then
		mkdir -p "${pkg#./}/testdata/fuzz/$target"
		cp -n "$cache/${pkg#./}/$target"/* "${pkg#./}/testdata/fuzz/$target/"
	fi
done
echo "fuzz: all targets passed in $(($(date +%s) - start)) s"
