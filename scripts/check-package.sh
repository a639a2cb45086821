#!/usr/bin/env bash
# The .deb as a user gets it: built with CPack from a finished build, unpacked into a
# throwaway root, its two programs run from there (--version), and the checks Debian and the
# desktops apply: lintian (no error), desktop-file-validate, appstreamcli validate and
# systemd-analyze verify on the files as installed. Run by CTest as tst_package.
# Usage: scripts/check-package.sh <build dir>
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { echo "== $*"; }

step "cpack -G DEB"
if ! (cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1); then
    cat "$work/cpack.log"
    exit 1
fi
deb=$(ls "$work"/out/chalkroom_*.deb)
dpkg-deb --field "$deb" Package Version Architecture Depends Recommends

step "unpacked into a throwaway root"
root="$work/root"
dpkg-deb -x "$deb" "$root"
for f in usr/bin/chalkroom usr/bin/chalkroom-server \
         usr/share/applications/org.chalkroom.Chalkroom.desktop \
         usr/share/metainfo/org.chalkroom.Chalkroom.metainfo.xml \
         usr/share/doc/chalkroom/copyright usr/share/doc/chalkroom/changelog.gz; do
    [[ -e "$root/$f" ]] || { echo "missing from the package: /$f"; exit 1; }
done
unit=""
for u in lib/systemd/system/chalkroom-server.service usr/lib/systemd/system/chalkroom-server.service; do
    [[ -e "$root/$u" ]] && unit=$u
done
[[ -n "$unit" ]] || { echo "missing from the package: chalkroom-server.service"; exit 1; }

step "the programs run from the package"
server_version=$("$root/usr/bin/chalkroom-server" --version)
app_version=$(QT_QPA_PLATFORM=offscreen "$root/usr/bin/chalkroom" --version)
echo "$server_version / $app_version"
version=$(dpkg-deb --field "$deb" Version)
[[ "$server_version" == *"$version"* && "$app_version" == *"$version"* ]] ||
    { echo "--version does not say $version"; exit 1; }

step "desktop-file-validate"
desktop-file-validate "$root/usr/share/applications/org.chalkroom.Chalkroom.desktop"

step "appstreamcli validate"
appstreamcli validate --no-net "$root/usr/share/metainfo/org.chalkroom.Chalkroom.metainfo.xml"

step "systemd-analyze verify"
# The unit names /usr/bin/chalkroom-server, which is not installed on this machine: verify a
# copy that names the unpacked binary, everything else as shipped.
grep -qx "ExecStart=/usr/bin/chalkroom-server .*" <(grep '^ExecStart=' "$root/$unit") ||
    { echo "the unit does not start /usr/bin/chalkroom-server:"; grep '^ExecStart=' "$root/$unit"; exit 1; }
sed "s#^ExecStart=/usr/bin/#ExecStart=$root/usr/bin/#" "$root/$unit" >"$work/chalkroom-server.service"
SYSTEMD_LOG_LEVEL=warning systemd-analyze verify "$work/chalkroom-server.service" 2>&1 |
    tee "$work/verify.log"
if grep -q . "$work/verify.log"; then
    echo "systemd-analyze verify complained (above)"
    exit 1
fi

step "lintian (errors fail)"
# As an unprivileged user where possible: lintian refuses nothing as root, but says so.
lintian --fail-on error --suppress-tags-from-file /dev/null "$deb" | tee "$work/lintian.log"
echo "package checks passed: $(basename "$deb")"
