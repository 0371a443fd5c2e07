#!/usr/bin/env bash
# The macOS release, run on a Mac by scripts/release.sh darwin (see
# docs/macos-release.md for the one-time setup):
#
#   scripts/macos-release.sh VERSION DIST
#
# Builds a universal Pagekeeper.app, signs it with the hardened runtime,
# packs a DMG, notarizes and staples it. Signing and notarizing need
# MACOS_SIGN_IDENTITY ("Developer ID Application: NAME (TEAMID)") and
# MACOS_NOTARY_PROFILE (a notarytool keychain profile); without them the
# DMG is built unsigned, for testing only, and the script says so.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?version}; dist=${2:?output folder}
app=build/bin/Pagekeeper.app
dmg="$dist/Pagekeeper-$version-macos.dmg"

bin/wails build -platform darwin/universal -s -m -skipbindings \
  -ldflags "-X github.com/pagekeeper/pagekeeper/backend/buildinfo.Version=$version"
/usr/libexec/PlistBuddy -c 'Print :CFBundleIdentifier' "$app/Contents/Info.plist"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  # Every binary in the bundle, inside out, with the hardened runtime and a
  # secure timestamp: notarization refuses anything less.
  find "$app/Contents/MacOS" -type f -perm -u+x -print0 |
    xargs -0 codesign --force --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY"
  codesign --force --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" "$app"
  codesign --verify --strict --verbose=2 "$app"
else
  echo "macos-release: MACOS_SIGN_IDENTITY is not set: the app is NOT signed (testing only)" >&2
fi

rm -f "$dmg"
stage=$(mktemp -d)
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
hdiutil create -volname "Pagekeeper $version" -srcfolder "$stage" -ov -format UDZO "$dmg"
rm -rf "$stage"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
fi
if [ -n "${MACOS_SIGN_IDENTITY:-}" ] && [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "$dmg" --keychain-profile "$MACOS_NOTARY_PROFILE" --wait
  xcrun stapler staple "$dmg"
  xcrun stapler validate "$dmg"
  spctl --assess --type open --context context:primary-signature --verbose "$dmg"
else
  echo "macos-release: not notarized (MACOS_SIGN_IDENTITY and MACOS_NOTARY_PROFILE are needed): Gatekeeper will refuse this DMG" >&2
fi
