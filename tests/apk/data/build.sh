#!/usr/bin/env bash
# Rebuild the compiled (binary AXML + resources.arsc) test inputs of tests/apk from src/.
# Needs aapt2 and framework-res.apk (Debian: aapt2, android-framework-res). Outputs are committed,
# so the tests themselves need neither.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FRAMEWORK_RES="${FRAMEWORK_RES:-/usr/share/android-framework-res/framework-res.apk}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
aapt2 compile --dir "$HERE/src/edge/res" -o "$WORK/edge-res.zip"
# --warn-manifest-validation: this aapt2 predates <queries>
aapt2 link --warn-manifest-validation -I "$FRAMEWORK_RES" --manifest "$HERE/src/edge/AndroidManifest.xml" \
  -o "$HERE/edge.zip" "$WORK/edge-res.zip"
aapt2 link -I "$FRAMEWORK_RES" --manifest "$HERE/src/minimal/AndroidManifest.xml" -o "$HERE/minimal.zip"
aapt2 link -I "$FRAMEWORK_RES" --manifest "$HERE/src/modern/AndroidManifest.xml" -o "$HERE/modern.zip"
