#!/usr/bin/env bash
# Installs packages and the reference OpenClaw (for interop), builds with warnings as errors, checks
# formatting, runs the unit and integration tests again under ASan+UBSan (LeakSanitizer included) and the
# server tests under TSan, runs each fuzzer for a bounded time, then the whole suite through CTest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/tests/interop/install-reference.sh"
"$root/scripts/build.sh" "$root/build" Release
"$root/scripts/format.sh" --check

echo "== ASan+UBSan: unit and integration tests"
"$root/scripts/build.sh" "$root/build-asan" Debug -DOPENCLAW_SANITIZE=ON
(cd "$root/build-asan" && ctest -L "unit|integration" -j2 --output-on-failure)

echo "== TSan: the server (integration) tests"
"$root/scripts/build.sh" "$root/build-tsan" Debug -DOPENCLAW_TSAN=ON
(cd "$root/build-tsan" && TSAN_OPTIONS="halt_on_error=1" ctest -L integration -j2 --output-on-failure)

echo "== fuzzing (${FUZZ_SECONDS:-20}s per target)"
"$root/scripts/fuzz.sh"

echo "== the whole suite"
cd "$root/build"
export OPENCLAW_REQUIRE_INTEROP=1
ctest --output-on-failure -j2 "$@"
