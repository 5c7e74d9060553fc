#!/usr/bin/env bash
# Installs what is missing, builds Tillid (release) and starts it. Any
# arguments go to the app, e.g. `--data-dir DIR` or `seed --people 30`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cargo build --release --locked -p tillid --features custom-protocol
exec target/release/tillid "$@"
