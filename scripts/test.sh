#!/usr/bin/env bash
# Installs packages and the reference OpenClaw (for interop), builds with warnings as errors, checks
# formatting and clang-tidy, runs the whole suite under ASan+UBSan (LeakSanitizer included) and the unit and
# server (integration) tests under TSan, runs each fuzzer for a bounded time, then the whole suite through
# CTest on the release build. Needs root. Before the suites it starts the machine's own dbus and avahi-daemon
# when they are not running (scripts/machine-daemons.sh) and afterwards checks that the tests left that
# avahi-daemon as it was: the tests' daemons are their own (docs/testing.md).
# Ends with the count of tests, failures and skips of every run; a skip not on tests/skip-allowlist.txt
# fails the run (scripts/check-skips.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "$(id -u)" -ne 0 ]; then
  echo "scripts/test.sh needs root: it installs Debian packages, and the tests start their own sshd, nsd," >&2
  echo "dbus-daemon and avahi-daemon inside private network namespaces. Run: sudo bash scripts/test.sh" >&2
  exit 1
fi
reports=()
summary() {
  local rc=$?
  if [ ${#reports[@]} -gt 0 ] && [ "$rc" -ne 0 ]; then "$root/scripts/check-skips.sh" "${reports[@]}" || true; fi
}
trap summary EXIT

"$root/scripts/install-deps.sh"
"$root/tests/interop/install-reference.sh"
"$root/scripts/build.sh" "$root/build" Release
"$root/scripts/format.sh" --check
"$root/scripts/check-layers.sh"
"$root/scripts/lint.sh"

# The suite must pass beside the machine's own daemons without seeing or touching them (docs/testing.md).
# (A command substitution, not `read < <(...)`: its failure stops this script.)
machine_avahi="$("$root/scripts/machine-daemons.sh" ensure)"
read -r machine_avahi_pid machine_avahi_start <<< "$machine_avahi"
echo "== the machine's avahi-daemon runs (pid $machine_avahi_pid); the tests start their own"

# Every sanitizer finding stops the process that has it (and so fails its test).
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export TSAN_OPTIONS="halt_on_error=1:exitcode=66:suppressions=$root/tests/tsan.supp"

echo "== ASan+UBSan: the whole suite (unit, integration, interop with the reference)"
"$root/scripts/build.sh" "$root/build-asan" Debug -DOPENCLAW_SANITIZE=ON
reports+=("asan=$root/build-asan/junit.xml")
(cd "$root/build-asan" && OPENCLAW_REQUIRE_INTEROP=1 ctest -j2 --output-on-failure --output-junit junit.xml)

echo "== TSan: the unit and server (integration) tests"
"$root/scripts/build.sh" "$root/build-tsan" Debug -DOPENCLAW_TSAN=ON
reports+=("tsan=$root/build-tsan/junit.xml")
(cd "$root/build-tsan" && ctest -L "unit|integration" -j2 --output-on-failure --output-junit junit.xml)

echo "== fuzzing (${FUZZ_SECONDS:-20}s per target)"
"$root/scripts/fuzz.sh"

echo "== the whole suite"
reports+=("release=$root/build/junit.xml")
(cd "$root/build" && OPENCLAW_REQUIRE_INTEROP=1 ctest --output-on-failure -j2 --output-junit junit.xml "$@")

echo "== the SDK installed and used by out-of-tree plugins (examples/)"
"$root/scripts/test-sdk.sh" "$root/build"

echo "== docs/plugin-guide.md followed literally (its blocks run in an empty home folder)"
"$root/scripts/test-guide.sh" "$root/build"

"$root/scripts/machine-daemons.sh" check "$machine_avahi_pid" "$machine_avahi_start"

trap - EXIT
"$root/scripts/check-skips.sh" "${reports[@]}"
