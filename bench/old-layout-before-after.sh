#!/usr/bin/env bash
# Not a test: what the image of an old-layout tree (engine/src/test/resources/trees/old-layout) gets from
# the top level with the translation of BEFORE_JAR (podvm before issue 11) and with AFTER_JAR, read from
# mkosi --json summary of the system image. The files that the top level adds to the image are then the
# skeleton's files, the units its presets enable, and what mkosi.postinst writes.
#   BEFORE_JAR=... AFTER_JAR=... flock /tmp/podvm-real-build.lock bash bench/old-layout-before-after.sh
set -euo pipefail
cd "$(dirname "$0")/.."
MKOSI=${MKOSI:-mkosi}
work=$(mktemp -d /var/tmp/podvm-old-layout-XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -a engine/src/test/resources/trees/old-layout "$work/tree"
chmod +x "$work/tree/mkosi.postinst"
for which in before after; do
  jar=BEFORE_JAR; [ "$which" = after ] && jar=AFTER_JAR
  cmd=$(java -jar "${!jar}" mkosi --dir "$work/tree" --mkosi "$MKOSI" --output-dir "$work/out-$which" \
    --stage-only "$work/$which" 2>/dev/null)
  cmd=${cmd//" -C $work/$which"/}
  (cd "$work/$which" && ${cmd% --force build} --json summary 2>/dev/null) | /usr/bin/python3 -c '
import json, sys
which = sys.argv[1]
for image in json.load(sys.stdin)["Images"]:
    if image["Format"] != "disk":
        continue
    name = image.get("Image")
    print(which + ": system image (" + str(name) + "):")
    for key in ("SkeletonTrees", "PostInstallationScripts", "RemoveFiles", "Environment"):
        print("  " + key + ": " + json.dumps(image.get(key)))
' "$which"
done
echo "files of the top-level mkosi.skeleton/ (in the image only after):"
(cd "$work/tree/mkosi.skeleton" && find . -type f | sed 's|^\.|  |' | sort)
