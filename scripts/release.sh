#!/usr/bin/env bash
# Builds Pagekeeper's release artifacts with the version from wails.json
# (scripts/version.sh) into dist/ (or $PAGEKEEPER_DIST), plus SHA256SUMS:
#
#   scripts/release.sh [linux] [windows] [darwin]     default: linux windows
#
#   linux    dist/pagekeeper_VERSION_amd64.deb                 (scripts/deb.sh)
#   windows  dist/pagekeeper-VERSION-windows-amd64-setup.exe   (per-user NSIS installer)
#   darwin   dist/Pagekeeper-VERSION-macos.dmg                 (on a Mac only; see docs/macos-release.md)
#
# The binaries of each platform are staged in build/bin/release/OS-ARCH/ (the
# tests run them from there). Adding a binary is one line in the lists below.
set -euo pipefail
cd "$(dirname "$0")/.."

# NAME KIND, where KIND is "wails" (the window build: GTK/WebKit, WebView2 or
# WKWebView) or "go" (a plain go build that links no window library).
LINUX_BINARIES=(
  "pagekeeper go"              # the command line; starts the window build beside it
  "pagekeeper-window wails"    # the window (GTK, WebKitGTK 4.1)
)
WINDOWS_BINARIES=(
  "pagekeeper go"              # the console program cmd.exe and PowerShell run
  "pagekeeper-window wails"    # the GUI program the Start menu opens
)

VERSION=$(scripts/version.sh)
LDFLAGS="-X github.com/pagekeeper/pagekeeper/backend/buildinfo.Version=$VERSION"
DIST=${PAGEKEEPER_DIST:-dist}
STAGE=build/bin/release
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(linux windows)

say() { printf 'release: %s\n' "$*" >&2; }

# build GOOS GOARCH NAME KIND DEST: one binary into DEST.
build() {
  local goos=$1 goarch=$2 name=$3 kind=$4 dest=$5 ext=""
  [ "$goos" = windows ] && ext=.exe
  case $kind in
    wails)
      # -s: the frontend was built once below; -o names the file in build/bin,
      # under a name of its own so the developer's build/bin/$name stays.
      bin/wails build -platform "$goos/$goarch" -s -m -skipbindings \
        -ldflags "$LDFLAGS" -o "release-$name$ext" >/dev/null
      mv "build/bin/release-$name$ext" "$dest/$name$ext"
      ;;
    go)
      # Windows: the icon and version info Wails gives the window build,
      # compiled by mingw's windres into a .syso that go build links.
      [ "$goos" = windows ] && windows_resources "$name$ext" "$goarch"
      GOOS=$goos GOARCH=$goarch CGO_ENABLED=0 go build -ldflags "-s -w $LDFLAGS" -o "$dest/$name$ext" .
      rm -f "$SYSO"
      ;;
    *) echo "release: unknown kind $kind for $name" >&2; exit 1 ;;
  esac
}

SYSO=zz_release_res_windows.syso
trap 'rm -f "$SYSO"' EXIT
windows_resources() { # FILENAME ARCH
  local rc v4 target=pe-x86-64
  [ "$2" = amd64 ] || { echo "release: no resource compiler for windows/$2" >&2; exit 1; }
  rc=$(mktemp --suffix=.rc)
  v4=$(echo "$VERSION" | tr . ,),0
  cat >"$rc" <<RC
1 ICON "$PWD/build/windows/icon.ico"
1 VERSIONINFO
FILEVERSION $v4
PRODUCTVERSION $v4
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
      VALUE "CompanyName", "Pagekeeper"
      VALUE "FileDescription", "Pagekeeper command line"
      VALUE "FileVersion", "$VERSION"
      VALUE "InternalName", "${1%.exe}"
      VALUE "LegalCopyright", "Copyright (c) The Pagekeeper authors"
      VALUE "OriginalFilename", "$1"
      VALUE "ProductName", "Pagekeeper"
      VALUE "ProductVersion", "$VERSION"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
RC
  x86_64-w64-mingw32-windres -F "$target" -O coff -o "$SYSO" "$rc"
  rm -f "$rc"
}

stage() { # OS ARCH LIST...: builds the list into a fresh stage folder, prints it
  local goos=$1 goarch=$2; shift 2
  local dir="$STAGE/$goos-$goarch"
  rm -rf "$dir"; mkdir -p "$dir"
  local entry
  for entry in "$@"; do
    # shellcheck disable=SC2086
    build "$goos" "$goarch" $entry "$dir"
  done
  echo "$dir"
}

mkdir -p "$DIST"
say "version $VERSION: ${targets[*]}"
(cd frontend && npm run --silent build >/dev/null)

for t in "${targets[@]}"; do
  case $t in
    linux)
      dir=$(stage linux amd64 "${LINUX_BINARIES[@]}")
      scripts/deb.sh "$VERSION" "$dir" "$DIST" amd64 >/dev/null
      ;;
    windows)
      dir=$(stage windows amd64 "${WINDOWS_BINARIES[@]}")
      # -XTarget: a 64-bit stub (Wails' -nsis uses a 32-bit one); the script
      # takes every .exe of the stage folder.
      makensis -V2 "-XTarget amd64-unicode" -DVERSION="$VERSION" -DBINDIR="$PWD/$dir" \
        -DOUTFILE="$(realpath "$DIST")/pagekeeper-$VERSION-windows-amd64-setup.exe" \
        build/windows/installer/project.nsi >/dev/null
      ;;
    darwin)
      if [ "$(uname -s)" != Darwin ]; then
        echo "release: the macOS app is built on a Mac (cgo needs Apple's SDK): see docs/macos-release.md" >&2
        exit 1
      fi
      scripts/macos-release.sh "$VERSION" "$DIST"
      ;;
    *) echo "release: unknown target $t (want linux, windows or darwin)" >&2; exit 64 ;;
  esac
done

(cd "$DIST" && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%P\n' | sort | xargs -r sha256sum >SHA256SUMS)
say "done:"
(cd "$DIST" && ls -l) >&2
