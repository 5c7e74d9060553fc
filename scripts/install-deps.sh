#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and run Tillid, and
# with --package what packaging needs (Node.js and npm for the pinned Tauri
# CLI in node_modules/), with --test also what the tests need
# (WebKitWebDriver, Xvfb, Node.js for the UI tests, tauri-driver 2.x, and
# the packaging). Idempotent; installs only what is missing.
set -euo pipefail

want_tests=false
want_package=false
[[ "${1:-}" == "--test" ]] && want_tests=true && want_package=true
[[ "${1:-}" == "--package" ]] && want_package=true

packages=(build-essential pkg-config libwebkit2gtk-4.1-dev libssl-dev)
if $want_tests; then
    packages+=(webkit2gtk-driver xvfb xauth imagemagick dbus python3-venv)
fi
if $want_package; then
    # Debian's npm is a package of its own; file checks the .deb's binary.
    packages+=(file)
    command -v node >/dev/null 2>&1 || packages+=(nodejs)
    command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} > 0)); then
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    echo "install-deps: installing ${missing[*]}"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
    echo "install-deps: Rust is missing. Install it with rustup (https://rustup.rs), Rust 1.89 or newer." >&2
    exit 1
fi
# 1.89: the standard library's file locks, which keep a restore from
# replacing the data file under a running window.
rust_minor=$(rustc --version | sed -E 's/^rustc 1\.([0-9]+).*/\1/')
if [[ "$rust_minor" =~ ^[0-9]+$ ]] && ((rust_minor < 89)); then
    echo "install-deps: $(rustc --version) is too old; Tillid needs Rust 1.89 or newer (rustup update)." >&2
    exit 1
fi

# tauri-driver 3 is an alpha for Tauri 3; Tillid is on Tauri 2.
if $want_tests && ! command -v tauri-driver >/dev/null 2>&1; then
    echo "install-deps: installing tauri-driver 2.x"
    cargo install tauri-driver --version '^2' --locked
fi

# The calendar tests read Tillid's .ics files back with an independent
# parser, Python's icalendar, pinned, in a venv under target/py.
if $want_tests; then
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    py="$here/target/py"
    if ! "$py/bin/python" -c 'import icalendar, sys; sys.exit(icalendar.__version__ != "7.3.0")' 2>/dev/null; then
        echo "install-deps: installing Python icalendar 7.3.0 into target/py"
        python3 -m venv "$py"
        "$py/bin/pip" install -q 'icalendar==7.3.0'
    fi
fi

# The npm packages package-lock.json pins: axe-core for the accessibility
# end-to-end test, the Tauri CLI that builds the .deb. `npm ci` again only
# when node_modules is missing or older than the lock file.
if $want_tests || $want_package; then
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    stamp="$root/node_modules/.package-lock.json"
    if [[ ! -f "$stamp" || "$root/package-lock.json" -nt "$stamp" ]]; then
        echo "install-deps: npm ci (axe-core, the Tauri CLI; from package-lock.json)"
        (cd "$root" && npm ci --no-audit --no-fund)
    fi
fi
