#!/usr/bin/env bash
# Start-up and memory of Tillid against a bare Tauri 2 window of the same
# Tauri version (benches/bare-tauri): a benchmark, not a test; nothing calls
# it from scripts/test.sh or CI.
#
# Builds both in release (the bare window with the root Cargo.toml's release
# profile), seeds a small demo workplace once, then starts them in turn,
# A B A B ..., through tauri-driver and WebKitWebDriver under Xvfb, and
# measures the time from starting the app to the first sign-in name being
# there, and the PSS of the app and its WebKit processes three seconds
# later (see scripts/bench-startup.py). Prints a table of medians and
# ratios and writes it to <target>/bench-startup.txt.
#
#   PAIRS=9            counted pairs (default 9), after WARMUP=1 warm-up pair
#   SEED_PEOPLE=30 SEED_DIALOGUES=300   the demo workplace (`tillid seed`)
#   CARGO_TARGET_DIR   where both are built (default ./target)
#   DISPLAY            used if set; otherwise an Xvfb of its own
#
# Needs what `bash scripts/install-deps.sh --test` installs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
pairs=${PAIRS:-9}
warmup=${WARMUP:-1}
people=${SEED_PEOPLE:-30}
dialogues=${SEED_DIALOGUES:-300}
export PATH="$HOME/.cargo/bin:$PATH"

for tool in cargo python3 strip tauri-driver WebKitWebDriver; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "bench-startup: $tool is missing: run \`bash scripts/install-deps.sh --test\`" >&2
        exit 1
    }
done
if [[ -z "${DISPLAY:-}" ]] && ! command -v Xvfb >/dev/null 2>&1; then
    echo "bench-startup: Xvfb is missing: run \`bash scripts/install-deps.sh --test\`" >&2
    exit 1
fi

# The root's [profile.release], passed to the bare window's build as
# --config, so both are built the same way whatever that profile becomes.
mapfile -t profile < <(python3 - "$root/Cargo.toml" <<'EOF'
import json, sys, tomllib
with open(sys.argv[1], "rb") as f:
    release = tomllib.load(f).get("profile", {}).get("release", {})
import re
def part(key):
    # `package."*"` must stay quoted to be read back as a TOML key.
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)
def flat(prefix, table):
    for key, value in table.items():
        if isinstance(value, dict):
            yield from flat(f"{prefix}.{part(key)}", value)
        else:
            yield f"{prefix}.{part(key)}={json.dumps(value)}"
for setting in flat("profile.release", release):
    print("--config")
    print(setting)
EOF
)

echo "== building Tillid (release)" >&2
cargo build --release --locked -p tillid --features tauri/custom-protocol
echo "== building the bare Tauri window (release${profile:+, ${profile[*]}})" >&2
CARGO_TARGET_DIR="$target" cargo build --release --locked \
    --manifest-path benches/bare-tauri/Cargo.toml --features custom-protocol "${profile[@]}"

tillid="$target/release/tillid"
bare="$target/release/bare-tauri"
work="$target/bench-startup"
data="$work/data"
rm -rf "$data"
mkdir -p "$data"
echo "== seeding $data ($people people, $dialogues dialogues)" >&2
"$tillid" --data-dir "$data" seed --people "$people" --dialogues "$dialogues" >&2
db=$("$tillid" --data-dir "$data" where)

echo "== measuring: $warmup warm-up + $pairs pairs, A = Tillid, B = the bare window" >&2
python3 scripts/bench-startup.py \
    --tillid "$tillid" --bare "$bare" \
    --data-dir "$data" --db "$db" --seed "$people people, $dialogues dialogues" \
    --ui "$root/ui" --pairs "$pairs" --warmup "$warmup" \
    --tauri-driver "$(command -v tauri-driver)" \
    --out "$target/bench-startup.txt" --log "$work/drivers.log"
echo "(written to $target/bench-startup.txt; the drivers' and apps' output in $work/drivers.log)" >&2
