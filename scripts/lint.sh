#!/usr/bin/env bash
# clang-tidy over the project's sources (config in .clang-tidy), using build/compile_commands.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ -f build/compile_commands.json ] || scripts/build.sh build Release
git ls-files 'core/*.cpp' 'cli/*.cpp' 'plugins/*.cpp' | xargs -P"$(nproc)" -n4 clang-tidy -p build --quiet 2>&1 \
  | grep -E "^/.*(warning|error):" | sort -u > /tmp/openclaw-tidy.txt || true
if [ -s /tmp/openclaw-tidy.txt ]; then cat /tmp/openclaw-tidy.txt; exit 1; fi
echo "clang-tidy: clean"
