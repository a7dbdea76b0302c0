#!/usr/bin/env bash
# System libraries the Qt widgets need (offscreen and on a screen), fonts, Xvfb for
# screenshots of the real window, the tools that build the Debian package, and Chromium and
# npm for the browser tests. Installs only what is missing; needs root (or sudo).
set -euo pipefail
packages=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
          libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
          libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0
          fonts-dejavu-core xvfb xauth
          # the installer: PyInstaller reads binaries with binutils; packaging/build-deb.sh
          # computes Depends with dpkg-shlibdeps (dpkg-dev); fakeroot lets the packaging test
          # run dpkg on a scratch root without root privileges
          binutils dpkg-dev fakeroot
          # the browser tests (tests/web): headless Chromium, driven over its DevTools pipe
          chromium)
# npm installs TimelineJS for the browser tests (tests/web/package.json); Debian's nodejs
# and npm unless a Node.js with its own npm (as NodeSource's) is there already
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
