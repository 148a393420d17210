#!/usr/bin/env bash
# Installs packages and the reference OpenClaw (for interop), builds with warnings as errors, checks
# formatting, runs the whole suite under ASan+UBSan (LeakSanitizer included) and the server tests under
# TSan, runs each fuzzer for a bounded time, then the whole suite through CTest on the release build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/tests/interop/install-reference.sh"
"$root/scripts/build.sh" "$root/build" Release
"$root/scripts/format.sh" --check

echo "== ASan+UBSan: the whole suite (unit, integration, interop with the reference)"
"$root/scripts/build.sh" "$root/build-asan" Debug -DOPENCLAW_SANITIZE=ON
(cd "$root/build-asan" && OPENCLAW_REQUIRE_INTEROP=1 ctest -j2 --output-on-failure)

echo "== TSan: the server (integration) tests"
"$root/scripts/build.sh" "$root/build-tsan" Debug -DOPENCLAW_TSAN=ON
(cd "$root/build-tsan" && TSAN_OPTIONS="halt_on_error=1" ctest -L integration -j2 --output-on-failure)

echo "== fuzzing (${FUZZ_SECONDS:-20}s per target)"
"$root/scripts/fuzz.sh"

echo "== the whole suite"
cd "$root/build"
export OPENCLAW_REQUIRE_INTEROP=1
ctest --output-on-failure -j2 "$@"
