#!/usr/bin/env bash
# Third-party SDKs' own test suites against the emulator: fast_bitrix24 (pytest) and b24jssdk
# (vitest `jsSdk:integration`). They were written against real portals, so a failure is either
# the emulator's (fix it) or the suite's (a test that needs one particular portal, or that no
# longer matches its SDK).
#
#   scripts/peer-suites.sh PEERS_DIR            # both suites
#   scripts/peer-suites.sh PEERS_DIR fast       # fast_bitrix24 only
#   scripts/peer-suites.sh PEERS_DIR jssdk      # b24jssdk only (root: /etc/hosts, ports 80 and 443)
#
# PEERS_DIR holds the runner scripts (setup.sh, run_fast_bitrix24.sh, run_b24jssdk.sh,
# junit_summary.py); they are not part of this repository. Run `PEERS_DIR/setup.sh FB_GIT JS_GIT`
# once first (clones of leshchenko1979/fast_bitrix24 and bitrix24/b24jssdk, a venv, node
# packages; under $PEERS_WORK, default /tmp/peers). Builds the release emulator unless EMU_BIN
# names one. Results: $PEERS_WORK/fb/ and $PEERS_WORK/jssdk/ (junit.xml, logs); set HTTP_LOG=FILE
# to log every exchange.
set -euo pipefail

peers="${1:?usage: scripts/peer-suites.sh PEERS_DIR [fast|jssdk|all]}"
which="${2:-all}"
peers="$(cd "$peers" && pwd)"
root="$(cd "$(dirname "$0")/.." && pwd)"
export PEERS_DIR="${PEERS_WORK:-/tmp/peers}"

if [ -z "${EMU_BIN:-}" ]; then
    (cd "$root" && cargo build -j 1 --release -p bitrix-mock)
    EMU_BIN="${CARGO_TARGET_DIR:-$root/target}/release/bitrix-mock"
fi
export EMU_BIN

status=0
if [ "$which" = all ] || [ "$which" = fast ]; then
    echo "== fast_bitrix24"
    OUT="$PEERS_DIR/fb" bash "$peers/run_fast_bitrix24.sh" || status=1
    python3 "$peers/junit_summary.py" "$PEERS_DIR/fb/junit.xml" || status=1
fi
if [ "$which" = all ] || [ "$which" = jssdk ]; then
    echo "== b24jssdk"
    if [ "$(id -u)" != 0 ]; then
        echo "peer-suites: b24jssdk needs root (an /etc/hosts line, ports 80 and 443); skipped"
    else
        OUT="$PEERS_DIR/jssdk" bash "$peers/run_b24jssdk.sh" || status=1
        python3 "$peers/junit_summary.py" "$PEERS_DIR/jssdk/junit.xml" || status=1
    fi
fi
exit "$status"
