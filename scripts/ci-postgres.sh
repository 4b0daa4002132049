#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the bitrix-app tests and prints the line that exports its URL.
#
#   eval "$(bash scripts/ci-postgres.sh)"      # then: cargo test -p bitrix-app
#   bash scripts/ci-postgres.sh stop           # stops it again
#
# Installs the Debian package when initdb is missing (needs root and the package mirror), runs
# the server as the `postgres` user when called as root, on a free loopback port, with its data
# in a temp folder (recorded in /tmp/bitrix-app-ci-pg.dir for `stop`).
set -euo pipefail

state=/tmp/bitrix-app-ci-pg.dir

find_bin() {
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return
    fi
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

if [ "${1:-}" = "stop" ]; then
    [ -f "$state" ] || exit 0
    dir=$(cat "$state")
    bin=$(find_bin)
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$bin/pg_ctl" stop -m fast -D "$dir/data" >&2 || true
    else
        "$bin/pg_ctl" stop -m fast -D "$dir/data" >&2 || true
    fi
    rm -rf "$dir" "$state"
    exit 0
fi

bin=$(find_bin)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "installing postgresql" >&2
    # A fresh machine may have no package lists yet.
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2 ||
        { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2; }
    bin=$(find_bin)
fi

dir=$(mktemp -d /tmp/bitrix-app-ci-pg.XXXXXX)
chmod 0777 "$dir"
# The first port from 54320 that nothing answers on (bash's /dev/tcp: a refused connect is free).
port=54320
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
    if [ "$port" -gt 54420 ]; then
        echo "no free port in 54320-54420" >&2
        exit 1
    fi
done
run() {
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$dir"
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}
run "$bin/initdb" -A trust -U postgres --no-sync -D "$dir/data" >&2
run "$bin/pg_ctl" start -w -D "$dir/data" -l "$dir/log" \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" >&2
echo "$dir" > "$state"
echo "export BITRIX_APP_PG_URL=postgres://postgres@127.0.0.1:$port/postgres"
