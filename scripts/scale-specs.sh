#!/usr/bin/env bash
# Build cost at scale (issue 10): makes N synthetic method specs from the shipped ones (copies
# under new method names, in the same folders), then measures the build of the API with all
# scopes, with one scope, and after editing one spec: time and peak memory.
#   scripts/scale-specs.sh N [scope]     (scope default: crm)
#   scripts/scale-specs.sh shipped [scope]  the shipped specs as they are (no synthetic ones)
# Works on a copy of the workspace in $SCALE_DIR (default target/scale/ws); dependencies are built
# once in target/scale/target and reused, so the figures are "dependencies prebuilt".
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:?usage: scale-specs.sh N [scope]}
scope=${2:-crm}
root=$PWD
work=${SCALE_DIR:-$root/target/scale}
ws=$work/ws
export CARGO_TARGET_DIR=$work/target
mkdir -p "$work"
rm -rf "$ws"
mkdir -p "$ws"
# The workspace without its build output and history.
tar -C "$root" --exclude=./target --exclude=./.git -cf - . | tar -C "$ws" -xf -

# Synthetic specs: copy i of `a.b.c` is `a.sI.b.c` (an entity module of its own), same folder,
# made from the hand-finished specs (the imported ones are removed first), so that the curve
# starts from the same 82 seed specs whatever was imported since.
[ "$n" = shipped ] || python3 - "$ws/specs" "$n" <<'PY'
import os, re, sys
root, n = sys.argv[1], int(sys.argv[2])
every = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".toml") and not f.startswith("_")]
for path in every:
    text = open(path).read()
    if re.search(r'^origin = "import"', text, re.M):
        os.remove(path)
shipped = sorted(p for p in every if os.path.exists(p))
made, i = len(shipped), 1
while made < n:
    for path in shipped:
        if made >= n:
            break
        text = open(path).read()
        method = re.search(r'^method = "([^"]+)"', text, re.M).group(1)
        head, _, rest = method.partition(".")
        new = f"{head}.s{i}.{rest}" if rest else f"{head}.s{i}"
        text = text.replace(f'method = "{method}"', f'method = "{new}"', 1)
        with open(os.path.join(os.path.dirname(path), new + ".toml"), "w") as f:
            f.write(text)
        made += 1
    i += 1
print(f"{made} specs", file=sys.stderr)
PY

cd "$ws"
measure() { # prints "seconds peak_MiB" of one command
  /usr/bin/time -o "$work/time" -f "%e %M" "$@" >"$work/log" 2>&1 || { tail -30 "$work/log" >&2; echo "FAILED"; return 0; }
  awk '{printf "%.1f s, %.0f MiB\n", $1, $2/1024}' "$work/time"
}
pkg=bitrix-rest
cargo build -q -p $pkg --no-default-features >/dev/null 2>&1 || true   # dependencies
ours() { cargo clean -q -p bitrix-codegen -p bitrix-macros $(cargo metadata --no-deps --format-version 1 | python3 -c 'import json,sys; print(" ".join("-p "+p["name"] for p in json.load(sys.stdin)["packages"] if p["name"].startswith(("bitrix-api","bitrix-rest","bitrix-runtime"))))'); }
ours
echo "specs=$(find specs -name '*.toml' ! -name '_*' | wc -l)"
echo "all scopes: $(measure cargo build -q -p $pkg --all-features)"
spec=$(ls specs/imbot/imbot.command.update.toml)
echo "# edited" >> "$spec"
echo "one spec edited, all scopes: $(measure cargo build -q -p $pkg --all-features)"
ours
echo "one scope ($scope, $(find specs/$scope -name '*.toml' ! -name '_*' | wc -l) specs): $(measure cargo build -q -p $pkg --no-default-features --features $scope)"
