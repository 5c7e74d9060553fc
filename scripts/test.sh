#!/usr/bin/env bash
# Installs what is missing and runs every check and test: formatting,
# clippy, the UI catalog tests, the core and shell tests, the end-to-end
# tests of the release app under Xvfb, and the .deb package: built once
# (release), its binary is the one the end-to-end tests start, then it is
# installed, started and removed again (scripts/check-package.sh).
#
# The release build runs in the background from the start. Its last few
# minutes are one single-threaded whole-program link, and the debug build
# of clippy and the tests fills the other core meanwhile. All tests run in
# one `cargo test --workspace`: the workspace's dependencies are then built
# once with one set of features, where a run per package would build about
# a hundred of them twice (the end-to-end tests take turns by themselves,
# see tests/tests/support/mod.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n== %s (%d min so far)\n' "$*" $((SECONDS / 60)); }

mkdir -p target
package_log=target/package.log
step "the release package (.deb), in the background; its output goes to $package_log"
# Its own session, so that stopping it stops the whole build under it.
setsid bash scripts/package.sh >"$package_log" 2>&1 &
package=$!
trap 'kill -TERM -- "-$package" 2>/dev/null || true' EXIT

step "formatting"
cargo fmt --all -- --check

step "clippy"
cargo clippy --locked --workspace --all-targets -- -D warnings

step "UI tests"
node --test tests/ui/

step "building the tests"
cargo test --locked --workspace --no-run

step "waiting for the release package"
if ! wait "$package"; then
    tail -n 60 "$package_log"
    printf '\nThe release package failed to build; all of its output is in %s.\n' "$package_log" >&2
    exit 1
fi
trap - EXIT
tail -n 2 "$package_log"
export TILLID_APP="$PWD/target/release/tillid"

step "core, shell and end-to-end tests (screenshots in tests/artifacts/)"
cargo test --locked --workspace

step "the package: contents, install, the installed app's first screen, remove"
bash scripts/check-package.sh

printf '\nAll checks passed in %d min.\n' $((SECONDS / 60))
