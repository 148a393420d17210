#!/usr/bin/env bash
# Installs packages, builds, and runs the whole test suite through CTest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build" Release
cd "$root/build"
ctest --output-on-failure -j2 "$@"
