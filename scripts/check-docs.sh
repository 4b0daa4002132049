#!/usr/bin/env bash
# The generated API documents itself: rustdoc builds with no warning for all features, and the
# page of the seed method shows its summary, parameters, errors and deprecation.
set -euo pipefail
cd "$(dirname "$0")/.."
RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps --all-features -p bitrix-rest -p bitrix-codegen -p bitrix-macros
page=${CARGO_TARGET_DIR:-target}/doc/bitrix_rest/api/imbot/struct.ImbotCommandUpdate.html
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
echo "docs: ok ($page)"
