#!/usr/bin/env bash
# Builds Pagekeeper's Debian package from built binaries:
#
#   scripts/deb.sh VERSION BINDIR OUTDIR [ARCH]
#
# BINDIR holds the Linux binaries scripts/release.sh lists (every file in it
# goes to /usr/bin); the package adds the desktop entry and the hicolor icons
# (48 to 512 px, from build/appicon.png) and depends on WebKitGTK 4.1 and
# GTK 3. gnome-keyring is recommended: any Secret Service (KWallet too) holds
# the tokens.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?version}; bindir=${2:?folder of the binaries}; out=${3:?output folder}; arch=${4:-amd64}

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
install -d "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/applications" "$root/usr/share/doc/pagekeeper"
for b in "$bindir"/*; do install -m 0755 "$b" "$root/usr/bin/"; done
install -m 0644 build/linux/pagekeeper.desktop "$root/usr/share/applications/pagekeeper.desktop"
for size in 48 64 128 256 512; do
  d="$root/usr/share/icons/hicolor/${size}x${size}/apps"
  install -d "$d"
  convert build/appicon.png -resize "${size}x${size}" -strip "$d/pagekeeper.png"
done
cat >"$root/usr/share/doc/pagekeeper/copyright" <<'TXT'
Pagekeeper: keeps your Facebook Page connections alive.
Copyright (c) The Pagekeeper authors. See https://github.com/pagekeeper/pagekeeper for the source and its license.
TXT
size_kb=$(du -sk "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<TXT
Package: pagekeeper
Version: $version
Architecture: $arch
Maintainer: The Pagekeeper authors <noreply@pagekeeper.invalid>
Installed-Size: $size_kb
Depends: libwebkit2gtk-4.1-0, libgtk-3-0
Recommends: gnome-keyring
Section: net
Priority: optional
Description: keeps your Facebook Page connections alive
 Pagekeeper checks the access tokens of your Facebook Pages (and their
 Instagram accounts) within Meta's rate limits, says in plain words what
 broke and how to fix it, repairs it with one reauthorization, and sends a
 desktop notification when a Page needs you. Tokens live in the system
 keychain (a Secret Service such as gnome-keyring). The pagekeeper command
 serves scripts and monitoring.
TXT
mkdir -p "$out"
deb="$out/pagekeeper_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
