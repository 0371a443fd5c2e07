#!/usr/bin/env bash
# A throwaway Wine prefix in which Pagekeeper's Windows builds (and their Go
# tests) run: Wine 8 (Debian bookworm) lacks bcryptprimitives.dll, which Go
# 1.22+ calls at startup, so a test-only shim (scripts/wine/) is built with
# mingw and put in the prefix's system32.
#
#   . scripts/wine-env.sh              # exports WINEPREFIX and WINEDEBUG here
#   eval "$(scripts/wine-env.sh)"      # the same from another shell
#   GOOS=windows go test -exec wine ./backend/store/
#   wineserver -k                      # stop the prefix's server when done
#
# WINEPREFIX, when already set to a prepared prefix, is reused.
# Needs wine and gcc-mingw-w64-x86-64-win32 (scripts/setup.sh installs them).
_pk_wine_env() {
  local root shim
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  if [ -z "${WINEPREFIX:-}" ] || ! [ -f "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" ]; then
    WINEPREFIX=$(mktemp -d "${TMPDIR:-/tmp}/pkwine.XXXXXX")
    export WINEPREFIX WINEDEBUG=-all
    wineboot -i >/dev/null 2>&1 || { echo "wine-env: wineboot failed" >&2; return 1; }
    shim=$(mktemp -d)
    x86_64-w64-mingw32-gcc -shared -O2 -o "$shim/bcryptprimitives.dll" \
      "$root/scripts/wine/bcryptprimitives.c" "$root/scripts/wine/bcryptprimitives.def" -ladvapi32 ||
      { echo "wine-env: building the bcryptprimitives shim failed" >&2; return 1; }
    cp "$shim/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
    rm -rf "$shim"
    # Installers check for Windows 10.
    wine reg add 'HKCU\Software\Wine' /v Version /t REG_SZ /d win10 /f >/dev/null 2>&1
  fi
  export WINEPREFIX WINEDEBUG=-all
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  _pk_wine_env >&2
  printf 'export WINEPREFIX=%q WINEDEBUG=-all\n' "$WINEPREFIX"
else
  _pk_wine_env
fi
