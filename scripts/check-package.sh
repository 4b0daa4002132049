#!/usr/bin/env bash
# The published crates are self-contained: `cargo package` builds bitrix-rest from its .crate file
# and those of its dependencies, so the specs and event specs the API is generated from must
# travel inside the runtime, the API crates and the facade.
set -euo pipefail
cd "$(dirname "$0")/.."
api=$(ls -d bitrix-api/part-* | sed 's|bitrix-api/part-|-p bitrix-api-|')
# Verification unpacks our .crate files into cargo's registry cache, and cargo reuses an unpacked
# copy of the same name and version: drop copies left by earlier runs so today's files are built.
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/bitrix-{codegen,macros,runtime,rest,api-[0-9]*}-[0-9]*
# Likewise, cargo takes a registry crate's build output as final for its version: build afresh.
rm -rf "${CARGO_TARGET_DIR:-target}/package"
# Only bitrix-rest is verified (built from the .crate files); it builds every crate below it.
cargo package -q --allow-dirty --no-verify -p bitrix-codegen -p bitrix-macros -p bitrix-runtime $api
cargo package -q --allow-dirty -p bitrix-codegen -p bitrix-macros -p bitrix-runtime $api -p bitrix-rest
check() { # crate, files that must be inside
  local crate=$1; shift
  local files
  files=$(cargo package -q --allow-dirty --list -p "$crate")
  for needle in "$@"; do
    if ! grep -qxF "$needle" <<<"$files"; then
      echo "package: $crate's .crate lacks $needle" >&2
      exit 1
    fi
  done
  echo "package: $crate ok ($(grep -c '^specs/.*\.toml$' <<<"$files") spec files inside)"
}
check bitrix-rest specs/imbot/imbot.command.update.toml specs/README.md build.rs
check bitrix-api-0 specs/imbot/imbot.command.update.toml build.rs
check bitrix-runtime events/imbot/ONIMCOMMANDADD.toml build.rs
