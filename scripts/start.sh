#!/usr/bin/env bash
# Installs what is missing, builds Tillid (release) and starts it. Any
# arguments go to the app, e.g. `--data-dir DIR` or `seed --people 30`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# The same features as the Tauri CLI's build in scripts/package.sh (Tauri's
# custom-protocol, nothing on Tillid itself), so after the test command or
# a package build this finds the binary fresh instead of linking it again.
cargo build --release --locked -p tillid --features tauri/custom-protocol
exec target/release/tillid "$@"
