#!/usr/bin/env bash
# clang-tidy over the project's sources (checks and why some are left out: .clang-tidy), using the
# compile commands of the release build. Fails on any finding.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ -f build/compile_commands.json ] || scripts/build.sh build Release
out="$(mktemp /tmp/openclaw-tidy-XXXXXX)"
trap 'rm -f "$out"' EXIT
git ls-files 'core/*.cpp' 'cli/*.cpp' 'plugins/*.cpp' 'modules/*.cpp' \
  | xargs -P"$(nproc)" -n4 clang-tidy -p build --quiet 2>&1 \
  | grep -E "^/.*(warning|error):" | sort -u > "$out" || true
if [ -s "$out" ]; then
  cat "$out"
  echo "clang-tidy: $(wc -l < "$out") finding(s)"
  exit 1
fi
echo "clang-tidy: clean"
