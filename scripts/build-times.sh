#!/usr/bin/env bash
# Build cost of the generated API (issue 5): clean and incremental builds of bitrix-rest, with the
# peak memory of each, as medians of N runs. Uses its own target dir; run on a quiet machine.
#   scripts/build-times.sh [runs]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
target=$(mktemp -d)
scratch=$(mktemp -d)
export CARGO_TARGET_DIR=$target
spec=specs/imbot/imbot.command.update.toml
cp "$spec" "$scratch/spec.bak"
trap 'cp "$scratch/spec.bak" "$spec"; rm -rf "$target" "$scratch"' EXIT

# Prints "seconds peak_MiB" of one command.
measure() {
  /usr/bin/time -o "$scratch/time" -f "%e %M" "$@" >/dev/null 2>&1 || true
  awk '{printf "%.1f %.0f\n", $1, $2/1024}' "$scratch/time"
}

median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }

row() {
  local name=$1; shift
  local secs=() mems=()
  for _ in $(seq "$runs"); do
    eval "$PREP" >/dev/null 2>&1 || true
    read -r s m < <(measure "$@")
    secs+=("$s"); mems+=("$m")
  done
  printf "| %s | %s s | %s MiB | %s |\n" "$name" "$(printf '%s\n' "${secs[@]}" | median)" \
    "$(printf '%s\n' "${mems[@]}" | median)" "${secs[*]}"
}

# Dependencies are built once; what is measured is our crates.
cargo build -q -p bitrix-rest --all-features
echo "| build | median time | median peak memory | runs (s) |"
echo "|---|---|---|---|"
clean_ours() { cargo clean -q -p bitrix-rest -p bitrix-macros -p bitrix-codegen; }
PREP=clean_ours row "bitrix-rest + generator, all features (deps prebuilt)" cargo build -q -p bitrix-rest --all-features
PREP=clean_ours row "bitrix-rest + generator, imbot only (deps prebuilt)" cargo build -q -p bitrix-rest --no-default-features --features imbot
cargo build -q -p bitrix-rest --all-features
touch_spec() { echo "# edited $(date +%s%N)" >> "$spec"; }
PREP=touch_spec row "incremental: one spec edited, all features" cargo build -q -p bitrix-rest --all-features
PREP="cargo clean -q" row "everything from scratch (deps included), all features" cargo build -q -p bitrix-rest --all-features
