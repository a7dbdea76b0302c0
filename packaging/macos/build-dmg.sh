#!/usr/bin/env bash
# Build Hindsight.app and a disk image on macOS:   packaging/macos/build-dmg.sh OUTDIR
#
# Needs: macOS 12+, Python 3.11 (python.org or Homebrew), Xcode command line tools (iconutil,
# hdiutil, codesign). Uses the project venv .venv (created if missing, with the dev extras that
# pin PyInstaller). The same spec as Linux builds the one-folder app and wraps it as a
# windowed .app (Info.plist in packaging/hindsight.spec); the app's self-test runs before the
# .dmg is made. Optional: HINDSIGHT_CODESIGN_IDENTITY="Developer ID Application: …" signs the
# app (hardened runtime) and HINDSIGHT_NOTARY_PROFILE=<notarytool keychain profile> notarizes
# and staples the dmg. Unsigned builds run after right-click > Open (Gatekeeper).
# UNTESTED: written on Linux, never run on macOS.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
[ "$(uname -s)" = Darwin ] || { echo "build-dmg: this script runs on macOS only" >&2; exit 1; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "$1"
OUT="$(cd "$1" && pwd)"
VENV="${HINDSIGHT_VENV:-$ROOT/.venv}"
if [ ! -x "$VENV/bin/pyinstaller" ]; then
  python3.11 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --upgrade pip
  "$VENV/bin/python" -m pip install -e "$ROOT[dev]"
fi
PY="$VENV/bin/python"
VERSION="$("$PY" -c 'import sys, tomllib
print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$ROOT/pyproject.toml")"
WORK="$OUT/.dmg-work"
rm -rf "$WORK"
mkdir -p "$WORK"

# Icons: the SVG rendered by Qt into an iconset, turned into .icns by iconutil.
"$PY" "$ROOT/packaging/render_icon.py" "$WORK/icons" --iconset >/dev/null
iconutil -c icns "$WORK/icons/hindsight.iconset" -o "$WORK/icons/hindsight.icns"

(cd "$ROOT" && HINDSIGHT_ICON_DIR="$WORK/icons" "$VENV/bin/pyinstaller" --noconfirm \
  --log-level WARN --distpath "$WORK/dist" --workpath "$WORK/pyinstaller" packaging/hindsight.spec)
APP="$WORK/dist/Hindsight.app"
[ -d "$APP" ] || { echo "build-dmg: PyInstaller made no $APP" >&2; exit 1; }

if [ -n "${HINDSIGHT_CODESIGN_IDENTITY:-}" ]; then
  codesign --force --deep --options runtime --timestamp \
    --sign "$HINDSIGHT_CODESIGN_IDENTITY" "$APP"
  codesign --verify --deep --strict "$APP"
fi

# The installed app must pass its own self-test (offscreen: no window appears).
QT_QPA_PLATFORM=offscreen "$APP/Contents/MacOS/hindsight" --self-test

# The disk image: the app and a link to /Applications to drag it onto.
STAGE="$WORK/dmg"
mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
DMG="$OUT/Hindsight-$VERSION.dmg"
rm -f "$DMG"
hdiutil create -volname "Hindsight $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO \
  -imagekey zlib-level=9 -ov "$DMG"
if [ -n "${HINDSIGHT_NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "$DMG" --keychain-profile "$HINDSIGHT_NOTARY_PROFILE" --wait
  xcrun stapler staple "$DMG"
fi
echo "$DMG $(stat -f %z "$DMG")"
