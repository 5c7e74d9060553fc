#!/usr/bin/env bash
# Builds the release .deb for a workplace with the official Tauri CLI from
# npm (pinned in package.json and package-lock.json; `npm ci` puts it in
# node_modules/ in seconds). The CLI builds with the release profile of the
# root Cargo.toml and turns on Tauri's custom-protocol feature, so the
# binary carries ui/ inside it and needs no dev server.
#
# Out: target/release/tillid (the binary the end-to-end tests run) and
# target/release/bundle/deb/Tillid_<version>_amd64.deb.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --package
export PATH="$HOME/.cargo/bin:$PATH"

rm -f target/release/bundle/deb/*.deb
npx --no-install tauri build --ci --bundles deb -- --locked

deb=$(ls target/release/bundle/deb/*.deb)
printf 'package: %s (%s)\nbinary:  target/release/tillid (%s)\n' \
    "$deb" "$(du -h "$deb" | cut -f1)" "$(du -h target/release/tillid | cut -f1)"
