#!/usr/bin/env bash
# Installs what is missing and runs every check and test: formatting,
# clippy, core and shell tests, the UI catalog tests, and the end-to-end
# tests of the built app under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }

step "formatting"
cargo fmt --all -- --check

step "clippy"
cargo clippy --locked --workspace --all-targets -- -D warnings

step "the app binary for the end-to-end tests"
cargo build --locked -p tillid

step "UI tests"
node --test tests/ui/

step "core and shell tests"
cargo test --locked --workspace --exclude tillid-e2e

step "end-to-end tests (screenshots in tests/artifacts/)"
cargo test --locked -p tillid-e2e -- --test-threads=1
