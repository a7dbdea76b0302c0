#!/usr/bin/env bash
# Build Hindsight as a Debian package:   packaging/build-deb.sh OUTDIR
#
# 1. PyInstaller builds the app as one folder (packaging/hindsight.spec) with the seed archive
#    and its sources bundled as data;
# 2. the folder is staged under /opt/hindsight, with /usr/bin/hindsight (a symlink), a .desktop
#    entry and icons (SVG + 256 px PNG rendered from packaging/icons/hindsight.svg);
# 3. Depends is computed from the bundle by dpkg-shlibdeps: every shared library the bundle's
#    ELF files link against that is not inside the bundle, mapped to its package;
# 4. dpkg-deb wraps it (xz): OUTDIR/hindsight_<version>_<arch>.deb, version from pyproject.toml.
#
# Needs: the project venv (made with `make setup` when it has no PyInstaller), dpkg-deb and
# dpkg-shlibdeps (dpkg-dev); `make system-deps` installs what is missing.
# Environment: HINDSIGHT_VENV (default ./.venv), HINDSIGHT_MAINTAINER ("Name <email>"),
# HINDSIGHT_KEEP_WORK=1 keeps the work folder (OUTDIR/.deb-work) for inspection,
# HINDSIGHT_DEB_XZ_LEVEL (0-9) sets the package's xz level (default: dpkg's, 6).
set -euo pipefail

if [ $# -ne 1 ] || [ "${1:0:1}" = "-" ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$1"
OUT="$(cd "$1" && pwd)"
VENV="${HINDSIGHT_VENV:-$ROOT/.venv}"
MAX_MIB=250
started=$(date +%s)

say() { printf 'build-deb: %s\n' "$*" >&2; }
die() { printf 'build-deb: error: %s\n' "$*" >&2; exit 1; }

# xz at dpkg's own level unless HINDSIGHT_DEB_XZ_LEVEL (0-9) says otherwise: the tests build
# at 0, the same format in a sixth of the time, at about a fifth more bytes.
level=()
if [ -n "${HINDSIGHT_DEB_XZ_LEVEL:-}" ]; then
  [[ "$HINDSIGHT_DEB_XZ_LEVEL" =~ ^[0-9]$ ]] \
    || die "HINDSIGHT_DEB_XZ_LEVEL is '$HINDSIGHT_DEB_XZ_LEVEL', not a level from 0 to 9"
  level=(-z "$HINDSIGHT_DEB_XZ_LEVEL")
fi
for tool in dpkg-deb dpkg-shlibdeps dpkg; do
  command -v "$tool" >/dev/null \
    || die "$tool is missing (run 'make system-deps' or install dpkg-dev)"
done
if [ ! -x "$VENV/bin/pyinstaller" ]; then
  say "no PyInstaller in $VENV: running 'make setup'"
  make -C "$ROOT" setup
fi
PY="$VENV/bin/python"
[ -x "$VENV/bin/pyinstaller" ] || die "PyInstaller is not in $VENV (is it in the dev extras?)"

read -r PROJECT_VERSION VERSION < <("$PY" - "$ROOT/pyproject.toml" <<'EOF'
import re, sys, tomllib
version = tomllib.load(open(sys.argv[1], "rb"))["project"]["version"]
# PEP 440 pre-releases sort before the release in Debian only with a tilde: 1.0rc1 -> 1.0~rc1
print(version, re.sub(r"[.-]?(a|b|rc|dev)(\d*)", r"~\1\2", version))
EOF
)
[ -n "${VERSION:-}" ] || die "no version in pyproject.toml"
ARCH="$(dpkg --print-architecture)"
DEB="$OUT/hindsight_${VERSION}_${ARCH}.deb"
WORK="$OUT/.deb-work"
rm -rf "$WORK"
mkdir -p "$WORK"
if [ -z "${HINDSIGHT_KEEP_WORK:-}" ]; then
  trap 'rm -rf "$WORK"' EXIT
fi
say "Hindsight $VERSION for $ARCH -> $DEB"

# --- 1. the app, one folder ----------------------------------------------------------------
"$PY" "$ROOT/packaging/render_icon.py" "$WORK/icons" >/dev/null
t0=$(date +%s)
(cd "$ROOT" && HINDSIGHT_ICON_DIR="$WORK/icons" QT_QPA_PLATFORM=offscreen \
  "$VENV/bin/pyinstaller" --noconfirm --log-level WARN \
  --distpath "$WORK/dist" --workpath "$WORK/pyinstaller" packaging/hindsight.spec) \
  2> >(grep -v -e "required via ctypes not found" -e "libgtk-3\|libgdk-3" >&2)
BUNDLE="$WORK/dist/hindsight"
[ -x "$BUNDLE/hindsight" ] || die "PyInstaller did not produce $BUNDLE/hindsight"
say "PyInstaller: $(( $(date +%s) - t0 )) s, bundle $(du -sh "$BUNDLE" | cut -f1) on disk"

# The bundle must start and offer the desktop app and the self-test (plugins are wired in
# packaging/hindsight_entry.py, since a bundle has no entry points).
help="$(env -i PATH=/usr/bin:/bin HOME="$WORK" "$BUNDLE/hindsight" --help)" \
  || die "the bundled app does not start"
for cmd in gui self-test as-of; do
  grep -qw -- "$cmd" <<<"$help" || die "the bundled app has no '$cmd' command"
done
app_version="$(env -i PATH=/usr/bin:/bin HOME="$WORK" "$BUNDLE/hindsight" --version)"
[ "$app_version" = "hindsight $PROJECT_VERSION" ] \
  || die "the app says '$app_version', pyproject.toml says $PROJECT_VERSION (timeline/__init__.py)"

# --- 2. the package tree -------------------------------------------------------------------
PKG="$WORK/pkg"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
  "$PKG/usr/share/icons/hicolor/scalable/apps" "$PKG/usr/share/icons/hicolor/256x256/apps" \
  "$PKG/usr/share/doc/hindsight"
cp -a "$BUNDLE" "$PKG/opt/hindsight"
ln -s /opt/hindsight/hindsight "$PKG/usr/bin/hindsight"
install -m 0644 "$ROOT/packaging/linux/hindsight.desktop" "$PKG/usr/share/applications/"
install -m 0644 "$ROOT/packaging/icons/hindsight.svg" "$PKG/usr/share/icons/hicolor/scalable/apps/"
install -m 0644 "$WORK/icons/hindsight.png" "$PKG/usr/share/icons/hicolor/256x256/apps/"
install -m 0644 "$ROOT/packaging/linux/copyright" "$PKG/usr/share/doc/hindsight/copyright"

# --- 3. Depends ----------------------------------------------------------------------------
mkdir -p "$WORK/shlibs/debian"
printf 'Source: hindsight\n\nPackage: hindsight\nArchitecture: any\n' \
  > "$WORK/shlibs/debian/control"
mapfile -t elves < <(find "$PKG/opt/hindsight" -type f \( -name '*.so' -o -name '*.so.*' \
  -o -path "$PKG/opt/hindsight/hindsight" \) | sort)
mapfile -t libdirs < <(printf '%s\n' "${elves[@]}" | xargs -n1 dirname | sort -u)
(cd "$WORK/shlibs" && dpkg-shlibdeps -O --ignore-missing-info \
  "${libdirs[@]/#/-l}" "${elves[@]}") >"$WORK/shlibs.out" 2>"$WORK/shlibs.log" \
  || { cat "$WORK/shlibs.log" >&2; die "dpkg-shlibdeps failed (a library missing here?)"; }
DEPENDS="$(sed -n 's/^shlibs:Depends=//p' "$WORK/shlibs.out")"
[ -n "$DEPENDS" ] || die "no Depends found (dpkg-shlibdeps said: $(cat "$WORK/shlibs.out"))"

# --- 4. the control file and the package ---------------------------------------------------
find "$PKG" -type d -exec chmod 0755 {} +
chmod -R go-w,a+rX "$PKG"
SIZE_KB="$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)"
cat > "$PKG/DEBIAN/control" <<EOF
Package: hindsight
Version: $VERSION
Architecture: $ARCH
Maintainer: ${HINDSIGHT_MAINTAINER:-Hindsight maintainers <maintainers@hindsight.example>}
Installed-Size: $SIZE_KB
Depends: $DEPENDS
Section: science
Priority: optional
Homepage: https://hindsight.example/
Description: replay history to a point in time, with sources
 Hindsight is an event-sourced, bitemporal archive of sourced claims for
 historians: it answers what held as of a date, and what the record said on
 another date, with uncertain (EDTF) dates, citations and conflicting accounts
 side by side. This package holds the desktop app and the hindsight command.
 .
 Each user's archive lives in their data folder (~/.local/share/hindsight),
 created from the bundled seed archive on first use; installing, upgrading or
 removing the package never touches it. Run 'hindsight --self-test' to check
 an installation.
EOF
rm -f "$DEB"
t0=$(date +%s)
dpkg-deb --root-owner-group -Zxz "${level[@]}" --build "$PKG" "$DEB" >/dev/null
bytes=$(stat -c %s "$DEB")
mib=$(( (bytes + 1048575) / 1048576 ))
say "dpkg-deb: $(( $(date +%s) - t0 )) s; Depends: $DEPENDS"
say "built in $(( $(date +%s) - started )) s: $(( SIZE_KB / 1024 )) MiB installed, $mib MiB package"
if [ "$bytes" -ge $(( MAX_MIB * 1048576 )) ]; then
  die "$DEB is $mib MiB, over the $MAX_MIB MiB limit"
fi
echo "$DEB $bytes"
