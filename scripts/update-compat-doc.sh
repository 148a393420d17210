#!/usr/bin/env bash
# Runs the interop suite and refreshes docs/compatibility.md from its results.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/tests/interop/install-reference.sh"
"$root/scripts/build.sh" "$root/build" Release
(cd "$root/build" && OPENCLAW_REQUIRE_INTEROP=1 ctest -L interop -j2 --output-on-failure)
cp "$root/build/compatibility.md" "$root/docs/compatibility.md"
echo "docs/compatibility.md updated"
