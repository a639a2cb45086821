#!/usr/bin/env bash
# Installs the Debian 12 packages Chalkroom needs, only those that are missing.
# Usage: scripts/deps.sh [build|test]
set -euo pipefail
packages=(cmake ninja-build g++ ccache pkg-config
          qt6-base-dev qt6-websockets-dev qt6-multimedia-dev qcoro-qt6-dev
          libqt6sql6-sqlite libqt6sql6-psql qt6-tools-dev qt6-l10n-tools
          libgl1-mesa-dev qt6-qpa-plugins fonts-dejavu-core fonts-noto-color-emoji
          libsodium-dev)
if [[ "${1:-build}" == build ]]; then
    # Chinese, Japanese and Korean text in messages and room names (the package recommends it).
    packages+=(fonts-noto-cjk)
fi
if [[ "${1:-build}" == test ]]; then
    # Screenshots under Xvfb, the fuzzer (clang + its runtime), TLS tests' openssl, a private
    # D-Bus daemon for the notification test, and
    # simdjson and RapidJSON for json_library_bench's smoke run (it holds our JSON code
    # against them; the app itself uses neither: docs/PERFORMANCE.md says why).
    packages+=(xvfb xauth imagemagick clang libclang-rt-14-dev openssl rapidjson-dev
               libsimdjson-dev dbus-daemon
               # tst_package: Debian's and the desktops' checks of the .deb.
               lintian desktop-file-utils appstream systemd)
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "Installing: ${missing[*]}"
    SUDO=""
    [[ $(id -u) -ne 0 ]] && SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
