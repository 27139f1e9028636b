#!/usr/bin/env bash
# Benchmark, not a test (issue 11, point 3): mkosi 24.3 builds the top-level configuration as a "default"
# image even with [Output] Format=none, and discards it. podvm used to translate the bundled old-layout
# definition that way; now the system preset is the main image, and 24.3 builds only initrd and system.
# Builds the bundled debian definition, warm package cache, with the translation of BEFORE_REV (default: the
# commit before the change) and with this checkout's, and prints both times, their ratio and which images
# mkosi built. Run as root from the repository root, under the shared build lock:
#   flock /tmp/podvm-real-build.lock bash bench/mkosi-default-image.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE_REV=${BEFORE_REV:-b771804}
MKOSI=${MKOSI:-mkosi}
cache=${PODVM_BENCH_CACHE:-/var/tmp/podvm-test/mkosi-packages}
work=$(mktemp -d /var/tmp/podvm-bench-default-XXXXXX)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }

[ -n "$(ls engine/target/podvm-engine-*-cli.jar 2>/dev/null)" ] || mvn -B -q -o -pl engine package -DskipTests
before_jar=${BEFORE_JAR:-}
if [ -z "$before_jar" ]; then
  mkdir "$work/before-src"
  git archive "$BEFORE_REV" | tar -x -C "$work/before-src"
  (cd "$work/before-src" && mvn -B -q -o -pl engine package -DskipTests >/dev/null)
  before_jar=$(ls "$work"/before-src/engine/target/podvm-engine-*-cli.jar)
fi
after_jar=${AFTER_JAR:-$(ls engine/target/podvm-engine-*-cli.jar)}

run() { # name jar
  local cmd t0 t
  cmd=$(java -jar "$2" mkosi --mkosi "$MKOSI" --package-cache "$cache" --output-dir "$work/out-$1" \
    --stage-only "$work/$1" 2>"$work/$1-stage.log")
  cmd=${cmd//" -C $work/$1"/}   # the old CLI printed no -C; run in the staged tree either way
  t0=$(now)
  (cd "$work/$1" && $cmd) >"$work/$1.log" 2>&1 || { tail -30 "$work/$1.log" >&2; exit 1; }
  t=$(calc "$(now) - $t0")
  echo "$1: ${t}s; images built: $(grep -o 'Building [a-z]* image' "$work/$1.log" | awk '{print $2}' | tr '\n' ' ')" >&2
  grep -E 'Building [a-z]+ image|Installing |Copying in|Generating|Running finalize' "$work/$1.log" | sed "s/^/  $1| /" >&2
  echo "$t"
}
echo "bundled debian definition, $($MKOSI --version), warm package cache $cache" >&2
ROUNDS=${ROUNDS:-1}
b=0; a=0
for round in $(seq "$ROUNDS"); do
  b=$(calc "$b + $(run before "$before_jar")"); a=$(calc "$a + $(run after "$after_jar")")
done
b=$(calc "$b / $ROUNDS"); a=$(calc "$a / $ROUNDS")
echo "before (top level as discarded default image): ${b}s"
echo "after  (system preset as the main image):      ${a}s"
echo "after/before: $(calc "$a / $b" 3)"
