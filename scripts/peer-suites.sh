#!/usr/bin/env bash
# Third-party SDKs' own test suites against the emulator: fast_bitrix24 (pytest) and b24jssdk
# (vitest `jsSdk:integration`). They were written against real portals, so a failure is either
# the emulator's (fix it) or the suite's (a test that needs one particular portal, or that no
# longer matches its SDK).
#
#   scripts/peer-suites.sh PEERS_DIR            # both suites
#   scripts/peer-suites.sh PEERS_DIR fast       # fast_bitrix24 only
#   scripts/peer-suites.sh PEERS_DIR jssdk      # b24jssdk only (root: /etc/hosts, ports 80 and 443)
#   scripts/peer-suites.sh PEERS_DIR jssdk-tls  # b24jssdk against `bitrix-mock --tls` on port 443
#                                               # directly, no TLS relay (root: /etc/hosts, port 443)
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
if [ "$which" = jssdk-tls ]; then
    echo "== b24jssdk over the emulator's own TLS"
    out="$PEERS_DIR/jssdk-tls"; mkdir -p "$out"
    grep -q ' b24emu.test$' /etc/hosts || echo "127.0.0.1 b24emu.test" >> /etc/hosts
    EMU_ADDR=127.0.0.1:443 EMU_ENV="$out/emu.env" \
        EMU_ARGS="--tls --tls-name b24emu.test --ca-out $out/ca.pem" \
        bash "$peers/emu_start.sh" > /dev/null
    trap 'kill "$(cat "$out/emu.env.pid")"' EXIT
    hook="$(grep '^webhook=' "$out/emu.env" | cut -d= -f2- | sed -E 's#^https://127\.0\.0\.1(:443)?/#https://b24emu.test/#')"
    # The records the suite's getMapId() and its list tests assume its portal has: contacts
    # 1..12; companies well past 150 (pages at start=50, 100, 150 of `>id: 2`), more than 50 of
    # them titled "A…" (`=%title: "A%"` lists more than one page); tasks 1 and 2 and no task 3
    # (`taskWrong`); deals 1..3.
    seed() { curl -s --cacert "$out/ca.pem" "${hook}$1" -d "$2" > /dev/null; }
    for i in $(seq 1 12); do seed crm.contact.add "fields[NAME]=Contact$i"; done
    for i in $(seq 1 200); do seed crm.company.add "fields[TITLE]=Acme $i"; done
    for i in 1 2; do seed tasks.task.add "fields[TITLE]=Task$i&fields[RESPONSIBLE_ID]=1"; done
    for i in 1 2 3; do seed crm.deal.add "fields[TITLE]=Deal$i"; done
    repo="$PEERS_DIR/bitrix24+b24jssdk"
    echo "B24_HOOK=$hook" > "$repo/.env.test"
    (cd "$repo" && NODE_EXTRA_CA_CERTS="$out/ca.pem" timeout "${TMO:-900}" ./node_modules/.bin/vitest run \
        --project jsSdk:integration --reporter=junit --outputFile="$out/junit.xml" > "$out/vitest.log" 2>&1) || status=1
    python3 "$peers/junit_summary.py" "$out/junit.xml" || status=1
fi
exit "$status"
