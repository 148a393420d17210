#!/usr/bin/env bash
# Configures and builds one tree. Usage: scripts/build.sh [build-dir] [build-type] [extra cmake args...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/build}"
type="${2:-Release}"
shift $(( $# >= 2 ? 2 : $# ))
cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE="$type" -DOPENCLAW_WERROR=ON "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"
