#!/usr/bin/env bash
# Writes the crates that compile the generated API in parallel (bitrix-api/part-N, one shard of
# the methods each, see bitrix-codegen's `shard_of`) and the per-folder Cargo features of them, of
# bitrix-runtime (shared types) and of bitrix-rest, from the folders of specs/. Run it
# after adding a folder of specs; until then the build fails, naming the folder without a feature.
#   scripts/sync-api-crates.sh
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
import os, re
SHARDS = 8
folders = sorted(d for d in os.listdir("specs") if os.path.isdir(os.path.join("specs", d))
                 and any(f.endswith(".toml") for f in os.listdir(os.path.join("specs", d))))
features = "\n".join(f"{f} = []" for f in folders)
BUILD_RS = open("bitrix-rest/build.rs").read()
for i in range(SHARDS):
    root = f"bitrix-api/part-{i}"
    os.makedirs(f"{root}/src", exist_ok=True)
    open(f"{root}/Cargo.toml", "w").write(f'''# Written by scripts/sync-api-crates.sh; do not edit.
[package]
name = "bitrix-api-{i}"
description = "Part {i} of {SHARDS} of the generated API of bitrix-rest (depend on bitrix-rest instead)"
version.workspace = true
edition.workspace = true
rust-version.workspace = true
license.workspace = true
repository.workspace = true
include = ["src/**/*", "specs/**/*", "build.rs", "Cargo.toml"]

[lib]
test = false
doctest = false

[features]
# One feature per folder of specs/; bitrix-rest turns them on.
{features}

[package.metadata.docs.rs]
all-features = true

[dependencies]
bitrix-runtime.workspace = true
bitrix-macros.workspace = true
''')
    open(f"{root}/src/lib.rs", "w").write(f'''//! Part {i} of {SHARDS} of the API generated from `specs/`; use it as `bitrix_rest::api`.
#![cfg_attr(docsrs, feature(doc_cfg))]
bitrix_macros::include_specs!(
    "specs",
    runtime = "::bitrix_runtime",
    shared = "::bitrix_runtime::shared",
    shard = "{i}/{SHARDS}",
    scope_features = true
);
''')
    open(f"{root}/build.rs", "w").write(BUILD_RS)
    link = f"{root}/specs"
    if not os.path.islink(link):
        os.symlink("../../specs", link)

toml = open("bitrix-rest/Cargo.toml").read()
def quoted(items):
    return ", ".join('"' + x + '"' for x in items)
lines = [f + " = [" + quoted([f"bitrix-api-{i}/{f}" for i in range(SHARDS)] + [f"bitrix-runtime/{f}"]) + "]" for f in folders]
block = "# One feature per folder of specs/ (written by scripts/sync-api-crates.sh).\nfull = [" + quoted(folders) + "]\n" + "\n".join(lines) + "\n"
toml = re.sub(r"# One feature per folder of specs/.*?\n(?=\n# The `axum`)", block, toml, flags=re.S)
deps = "\n".join(f'bitrix-api-{i} = {{ path = "../bitrix-api/part-{i}", version = "0.1.0" }}' for i in range(SHARDS))
toml = re.sub(r"# The shards \(written by scripts/sync-api-crates.sh\)\.\n(bitrix-api-\d+ = .*\n)*", f"# The shards (written by scripts/sync-api-crates.sh).\n{deps}\n", toml)
open("bitrix-rest/Cargo.toml", "w").write(toml)
crates = " ".join(f"::bitrix_api_{i}" for i in range(SHARDS))
lib = open("bitrix-rest/src/lib.rs").read()
lib = re.sub(r'crates = "[^"]*"', f'crates = "{crates}"', lib)
open("bitrix-rest/src/lib.rs", "w").write(lib)
# The runtime generates the shared types of the folders whose feature is on.
rt = open("bitrix-runtime/Cargo.toml").read()
rt_block = "# One feature per folder of specs/: its shared types (written by scripts/sync-api-crates.sh).\n" + features + "\n"
if "# One feature per folder of specs/: its shared types" in rt:
    rt = re.sub(r"# One feature per folder of specs/: its shared types.*?\n(?=\n# The `axum`)", rt_block, rt, flags=re.S)
else:
    rt = rt.replace("[features]\n", "[features]\n" + rt_block + "\n", 1)
open("bitrix-runtime/Cargo.toml", "w").write(rt)
# The runtime generates the folders' shared types and watches only the `_types.toml` that existed
# when it was last built: a new one is seen after this touch.
os.utime("bitrix-runtime/src/lib.rs")
print(f"{len(folders)} folders, {SHARDS} shards")
PY
