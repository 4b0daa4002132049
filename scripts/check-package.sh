#!/usr/bin/env bash
# The published crates are self-contained: `cargo package` builds bitrix-rest from its .crate file
# alone, so the specs and event specs it generates its API from must travel inside it.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo package -q --allow-dirty -p bitrix-codegen -p bitrix-macros -p bitrix-rest
files=$(cargo package -q --allow-dirty --list -p bitrix-rest)
for needle in specs/imbot/imbot.command.update.toml specs/README.md events/imbot/ONIMCOMMANDADD.toml build.rs; do
  if ! grep -qxF "$needle" <<<"$files"; then
    echo "package: bitrix-rest's .crate lacks $needle" >&2
    exit 1
  fi
done
echo "package: ok ($(grep -c '^specs/.*\.toml$' <<<"$files") method specs inside bitrix-rest)"
