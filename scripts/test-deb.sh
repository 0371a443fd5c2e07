#!/usr/bin/env bash
# Installs the .deb from scripts/release.sh, runs it, checks its desktop entry
# and icons, and removes it again (unless Pagekeeper was installed before).
#
#   scripts/test-deb.sh DIST
set -euo pipefail
cd "$(dirname "$0")/.."
dist=$(realpath "${1:?the folder scripts/release.sh wrote}")
version=$(scripts/version.sh)
deb="$dist/pagekeeper_${version}_amd64.deb"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"

dpkg-deb --field "$deb" Depends Recommends
had=$(dpkg-query -W -f='${Status}' pagekeeper 2>/dev/null | grep -c "install ok installed" || true)
$SUDO dpkg -i "$deb" >/dev/null
[ "$had" = 1 ] || trap '$SUDO dpkg -r pagekeeper >/dev/null' EXIT

# The command line links no window library; the window build sits beside it.
if ldd /usr/bin/pagekeeper 2>/dev/null | grep -q -e libgtk -e libwebkit; then echo "/usr/bin/pagekeeper links GTK or WebKit"; exit 1; fi
win=$(/usr/bin/pagekeeper-window version)
[ "$win" = "pagekeeper $version" ] || { echo "installed pagekeeper-window says '$win', want 'pagekeeper $version'"; exit 1; }
got=$(/usr/bin/pagekeeper version)
[ "$got" = "pagekeeper $version" ] || { echo "installed pagekeeper says '$got', want 'pagekeeper $version'"; exit 1; }
echo "$got"
desktop-file-validate /usr/share/applications/pagekeeper.desktop
for size in 48 64 128 256 512; do
  icon=/usr/share/icons/hicolor/${size}x${size}/apps/pagekeeper.png
  [ "$(identify -format '%wx%h' "$icon")" = "${size}x${size}" ] || { echo "$icon is not ${size}x${size}"; exit 1; }
done
dpkg -L pagekeeper | grep -E '^/usr/(bin|share/applications)/'
