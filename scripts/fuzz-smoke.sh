#!/usr/bin/env bash
# A brief run of every fuzz target (fuzz/fuzz_targets/), one after the other, one process each.
#
#   scripts/fuzz-smoke.sh                 # every target, 10 s each, from the committed seeds
#   scripts/fuzz-smoke.sh form receiver   # some targets
#   FUZZ_SECONDS=600 FUZZ_KEEP=1 scripts/fuzz-smoke.sh envelope   # a long run that keeps its corpus
#
# Needs `cargo +nightly fuzz` (cargo install cargo-fuzz; a nightly toolchain); without it the
# script says so and exits 0. A crash fails the script; its input is under fuzz/artifacts/<target>/.
# Builds without a sanitizer (the code under test has no `unsafe`; ASan would only slow it down)
# and with debug assertions, so integer overflow is a crash too.
set -euo pipefail

cd "$(dirname "$0")/../fuzz"
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz-smoke: \`cargo +nightly fuzz\` is not available (cargo install cargo-fuzz); skipped"
    exit 0
fi

seconds="${FUZZ_SECONDS:-10}"
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo +nightly fuzz list)
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for target in "${targets[@]}"; do
    if [ "${FUZZ_KEEP:-0}" = 1 ]; then
        # New inputs go to fuzz/corpus/<target> (ignored by git except the `seed-*` files).
        dirs=("corpus/$target")
    else
        # New inputs go to a scratch folder; the committed seeds are only read.
        mkdir -p "$scratch/$target"
        dirs=("$scratch/$target" "corpus/$target")
    fi
    echo "fuzz-smoke: $target for ${seconds}s"
    cargo +nightly fuzz run -s none -a "$target" "${dirs[@]}" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
done
echo "fuzz-smoke: ${#targets[@]} targets, no crash"
