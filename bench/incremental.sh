#!/usr/bin/env bash
# Benchmark, not a test: a debug rebuild with `podvm mkosi --incremental` after one file of the binaries tree
# changed, against the cold incremental build of the same image (empty incremental cache, warm package
# cache, so that downloads do not count). Goal: rebuild/cold <= 0.3.
# Also checks that the rebuild holds the changed file. Run as root from the repository root, under the
# shared build lock: flock /tmp/podvm-real-build.lock bash bench/incremental.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /var/tmp/podvm-bench-incremental-XXXXXX)
trap 'rm -rf "$work"' EXIT
cache=${PODVM_BENCH_CACHE:-/var/tmp/podvm-bench-cache}
mkdir -p "$cache"
[ -n "$(ls engine/target/podvm-engine-*-cli.jar 2>/dev/null)" ] || mvn -B -q package -DskipTests

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }
build() {
  local t0
  t0=$(now)
  bin/podvm mkosi --variant debug --incremental --package-cache "$cache" --binaries-tree "$work/binaries" \
    --output-dir "$work/out" --json >"$work/result.json" 2>"$work/last.log" || { tail -50 "$work/last.log" >&2; exit 1; }
  calc "$(now) - $t0"
}

mkdir -p "$work/binaries/usr/local/bin" "$work/binaries/etc/podvm"
printf '#!/bin/sh\necho agent v1\n' >"$work/binaries/usr/local/bin/podvm-bench-agent"
chmod 0755 "$work/binaries/usr/local/bin/podvm-bench-agent"
printf 'name = "bench"\n' >"$work/binaries/etc/podvm/agent.toml"

if [ -z "$(ls -A "$cache")" ]; then
  echo "warming the package cache ($cache) with a plain build..."
  bin/podvm mkosi --variant debug --package-cache "$cache" --output-dir "$work/out" >/dev/null 2>"$work/last.log"
fi
rm -rf "$cache/podvm-incremental"

cold=$(build)
echo "cold incremental build (empty incremental cache, warm package cache): ${cold}s"
printf '#!/bin/sh\necho agent v2\n' >"$work/binaries/usr/local/bin/podvm-bench-agent"
rebuild=$(build)
# mkosi logs "Copying cached trees" after filling the cache too; a rebuild that reuses it installs nothing.
! grep -q "Installing Debian" "$work/last.log" || { echo "the rebuild did not reuse mkosi's cache" >&2; exit 1; }
echo "rebuild after changing one binaries-tree file: ${rebuild}s"
python3 - "$work/result.json" <<'PY'
import json, sys
print("rebuild result:", {k: json.load(open(sys.argv[1]))[k] for k in ("contentKey", "incremental", "packageCount", "seconds")})
PY
echo
echo "rebuild/cold (goal <= 0.3): $(calc "$rebuild / $cold" 3)"
