#!/usr/bin/env bash
# Benchmark, not a test: what podvm adds to mkosi, and what the package cache saves.
#  1. podvm mkosi against plain mkosi on the same staged tree, warm package cache (goal: ratio <= 1.03);
#     the two alternate, ROUNDS times each, so that a drift of the machine hits both alike.
#  2. podvm mkosi with a cold (empty) package cache against a warm one.
# Prints each run and the ratios. Run as root from the repository root: bash bench/mkosi-overhead.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-2}
work=$(mktemp -d /var/tmp/podvm-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
warm=${PODVM_BENCH_CACHE:-/var/tmp/podvm-bench-cache}
mkdir -p "$warm"
[ -n "$(ls engine/target/podvm-engine-*-cli.jar 2>/dev/null)" ] || mvn -B -q package -DskipTests

now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }
timed() { local t0; t0=$(now); "$@" >"$work/last.log" 2>&1 || { tail -50 "$work/last.log" >&2; exit 1; }; calc "$(now) - $t0"; }

echo "warming the package cache ($warm)..."
timed bin/podvm mkosi --package-cache "$warm" --output-dir "$work/out" >/dev/null

mkosi_cmd=$(bin/podvm mkosi --package-cache "$warm" --output-dir "$work/out" --stage-only "$work/staged" 2>/dev/null)
podvm_total=0; plain_total=0
for round in $(seq "$ROUNDS"); do
  p=$(timed bin/podvm mkosi --package-cache "$warm" --output-dir "$work/out")
  m=$(cd "$work/staged" && timed $mkosi_cmd)
  echo "round $round: podvm mkosi ${p}s, plain mkosi ${m}s"
  podvm_total=$(calc "$podvm_total + $p"); plain_total=$(calc "$plain_total + $m")
done

cold_cache="$work/cold-cache"
c=$(timed bin/podvm mkosi --package-cache "$cold_cache" --output-dir "$work/out")
w=$(calc "$podvm_total / $ROUNDS")
echo "podvm mkosi, cold package cache: ${c}s"
echo
echo "podvm/plain mkosi, warm cache (goal <= 1.03): $(calc "$podvm_total / $plain_total" 3)"
echo "cold/warm package cache (podvm mkosi):       $(calc "$c / $w" 3)"
