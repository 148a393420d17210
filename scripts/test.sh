#!/usr/bin/env bash
# Installs packages and the reference OpenClaw (for interop), builds with warnings as errors,
# checks formatting, and runs the whole test suite through CTest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/tests/interop/install-reference.sh"
"$root/scripts/build.sh" "$root/build" Release
"$root/scripts/format.sh" --check
cd "$root/build"
export OPENCLAW_REQUIRE_INTEROP=1
ctest --output-on-failure -j2 "$@"
