#!/usr/bin/env bash
# Checks the .deb that scripts/package.sh built, the way a workplace gets
# it: its metadata and contents, then a real install on this machine (CI is
# a fresh, throw-away Debian 12), `tillid --version` and `tillid where` from
# the PATH, one WebDriver start of the INSTALLED binary to the sign-in
# screen (tests/tests/installed.rs), and `apt-get remove`, which must leave
# the person's data folder (under their home) alone.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

fail() { echo "check-package: $*" >&2; exit 1; }
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"

deb=$(ls target/release/bundle/deb/*.deb 2>/dev/null | head -n1)
[[ -n "$deb" ]] || fail "no .deb in target/release/bundle/deb/ (run scripts/package.sh)"
echo "check-package: $deb ($(du -h "$deb" | cut -f1))"

# Metadata: name, version, architecture, dependencies.
info=$(dpkg-deb -I "$deb")
grep -q '^ Package: tillid$' <<<"$info" || fail "package name is not tillid"
version=$(sed -n 's/^ Version: //p' <<<"$info")
[[ "$version" == "$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)" ]] \
    || fail "version $version is not the workspace version"
grep -q '^ Architecture: amd64$' <<<"$info" || fail "architecture is not amd64"
grep -q '^ Depends:.*libwebkit2gtk-4.1-0' <<<"$info" || fail "no dependency on WebKitGTK 4.1"

# Contents: the binary on the PATH, the menu entry, an icon in every size.
contents=$(dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's#^\./##')
has() { grep -qx "$1" <<<"$contents" || fail "the package lacks $1"; }
has usr/bin/tillid
has usr/share/applications/Tillid.desktop
for size in 16 22 24 32 48 64 96 128 256 512; do
    has "usr/share/icons/hicolor/${size}x${size}/apps/tillid.png"
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/root"
desktop="$work/root/usr/share/applications/Tillid.desktop"
for key in 'Name=Tillid' 'Name\[da\]=Tillid' 'Comment=' 'Comment\[da\]=' 'Exec=tillid' 'Icon=tillid' 'Type=Application'; do
    grep -q "^$key" "$desktop" || fail "Tillid.desktop has no $key"
done
if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "$desktop"
fi
if file "$work/root/usr/bin/tillid" | grep -q 'not stripped'; then
    fail "the packaged binary is not stripped"
fi
echo "check-package: metadata and contents ok"

# A real install, as a workplace does it.
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall "./$deb"
[[ "$(command -v tillid)" == /usr/bin/tillid ]] || fail "tillid is not on the PATH"
tillid --version | grep -qx "tillid $version" || fail "tillid --version: $(tillid --version)"
# A person's own data folder, under a throw-away home.
data="$work/home/.local/share/tillid"
as_person() { env -u TILLID_DATA_DIR -u XDG_DATA_HOME HOME="$work/home" "$@"; }
where=$(as_person tillid where)
[[ "$where" == "$data/tillid.sqlite3" ]] || fail "tillid where said $where, not $data/tillid.sqlite3"
echo "check-package: installed; $(tillid --version); data in $where"

# One start of the installed window, over WebDriver, to the sign-in screen.
# `--workspace`, as in test.sh: the same selection of packages gives the
# same features, so the test is already built there (`-p tillid-e2e` would
# build about a hundred dependencies again).
TILLID_INSTALLED=/usr/bin/tillid cargo test --locked --workspace --test installed -- --nocapture

# A person's data folder, made by the installed binary, survives removal.
mkdir -p "$data"
as_person tillid seed --people 2 --dialogues 1 >/dev/null
[[ -f "$data/tillid.sqlite3" && -f "$data/logs/tillid.log" ]] || fail "seed made no data file or log"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq tillid
[[ ! -e /usr/bin/tillid ]] || fail "/usr/bin/tillid is still there after apt-get remove"
[[ -f "$data/tillid.sqlite3" ]] || fail "apt-get remove took the data folder"
echo "check-package: removed; the data folder $data is still there"
