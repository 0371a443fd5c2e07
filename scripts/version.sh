#!/usr/bin/env bash
# Prints Pagekeeper's version. Its one home is wails.json's info.productVersion:
# Wails writes it into the Windows version info and the macOS Info.plist, and
# scripts/release.sh links it into every binary (buildinfo.Version).
set -euo pipefail
cd "$(dirname "$0")/.."
v=$(sed -n 's/^ *"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
if ! [[ "$v" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "version.sh: wails.json info.productVersion must be MAJOR.MINOR.PATCH (Windows needs numbers), got '$v'" >&2
  exit 1
fi
echo "$v"
