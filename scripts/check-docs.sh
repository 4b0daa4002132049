#!/usr/bin/env bash
# The generated API documents itself: rustdoc builds with no warning for all features, the page
# of the seed method shows its summary, parameters, errors and deprecation, and `Client`'s page
# stays short (the API is in modules, not in methods of `Client`).
set -euo pipefail
cd "$(dirname "$0")/.."
RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps --all-features -p bitrix-rest -p bitrix-runtime -p bitrix-codegen -p bitrix-macros
doc=${CARGO_TARGET_DIR:-target}/doc
page=$doc/bitrix_rest/api/imbot/command/struct.Update.html
for needle in \
  "Changes the text, handler, visibility or translations of a registered bot command." \
  "COMMAND_ID" "FIELDS" "CLIENT_ID" \
  "COMMAND_ID_ERROR" "APP_ID_ERROR" "EVENT_COMMAND_ADD_ERROR" "Update fields can" "Command can" \
  "Deprecated" "imbot.v2.Command.update" \
  "Scope: <code>imbot</code>"; do
  if ! grep -qF "$needle" "$page"; then
    echo "docs: '$needle' missing from $page" >&2
    exit 1
  fi
done
client=$doc/bitrix_rest/struct.Client.html
methods=$(grep -o 'id="method\.[a-z_0-9]*"' "$client" | sort -u | wc -l)
if [ "$methods" -ge 150 ]; then
  echo "docs: Client's page lists $methods methods (limit 150)" >&2
  exit 1
fi
echo "docs: ok ($page; Client has $methods methods)"
