#!/usr/bin/env bash
# Installs what is missing and runs every check and test: formatting,
# clippy, core and shell tests, the UI catalog tests, and the end-to-end
# tests of the release app under Xvfb, and the .deb package: built once
# (release), its binary is the one the end-to-end tests start, then it is
# installed, started and removed again (scripts/check-package.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n== %s (%d min so far)\n' "$*" $((SECONDS / 60)); }

step "formatting"
cargo fmt --all -- --check

step "clippy"
cargo clippy --locked --workspace --all-targets -- -D warnings

step "the release package (.deb); its binary is the app the end-to-end tests start"
bash scripts/package.sh
export TILLID_APP="$PWD/target/release/tillid"

step "UI tests"
node --test tests/ui/

step "core and shell tests"
cargo test --locked --workspace --exclude tillid-e2e

step "end-to-end tests (screenshots in tests/artifacts/)"
cargo test --locked -p tillid-e2e -- --test-threads=1

step "the package: contents, install, the installed app's first screen, remove"
bash scripts/check-package.sh

printf '\nAll checks passed in %d min.\n' $((SECONDS / 60))
