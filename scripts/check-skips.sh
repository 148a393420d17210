#!/usr/bin/env bash
# Reads the JUnit files CTest wrote (ctest --output-junit) and prints, per run, the count of tests,
# failures and skips, then every skipped test with the reason its test printed. Fails when a test was
# skipped that tests/skip-allowlist.txt does not name: a skip is a test that did not check anything, so
# each one must be reasoned about (gtest also reports a failed SetUpTestSuite as a skip, and CTest counts
# anything printing "[  SKIPPED ]" as skipped, not failed).
#   scripts/check-skips.sh <label>=<junit.xml> [<label>=<junit.xml> ...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
allow="$root/tests/skip-allowlist.txt"

# One line per test: status<TAB>name<TAB>reason (reason: the line after gtest's "Skipped").
junit_rows() {
  awk '
    /<testcase / {
      match($0, /name="[^"]*"/); name = substr($0, RSTART + 6, RLENGTH - 7)
      match($0, /status="[^"]*"/); status = substr($0, RSTART + 8, RLENGTH - 9)
      skipped = 0; reason = ""; grab = 0
    }
    /<skipped/ { skipped = 1 }
    grab == 1 { if (reason == "") reason = $0; grab = 0 }
    /: Skipped$/ { grab = 1 }
    /<\/testcase>/ {
      if (skipped) status = "skipped"
      gsub(/\t/, " ", reason)
      print status "\t" name "\t" reason
    }
  ' "$1"
}

allowed() {
  [ -f "$allow" ] || return 1
  grep -v '^[[:space:]]*#' "$allow" | cut -d'|' -f1 | sed 's/[[:space:]]*$//' | grep -qxF -- "$1"
}

status=0
total_pass=0
total_fail=0
total_skip=0
unlisted=()
echo "== test summary"
for arg in "$@"; do
  label="${arg%%=*}"
  file="${arg#*=}"
  if [ ! -s "$file" ]; then
    echo "$label: no JUnit report at $file (did CTest run?)"
    status=1
    continue
  fi
  rows="$(junit_rows "$file")"
  n=$(printf '%s\n' "$rows" | grep -c . || true)
  fail=$(printf '%s\n' "$rows" | grep -c '^fail' || true)
  skip=$(printf '%s\n' "$rows" | grep -c '^skipped' || true)
  pass=$((n - fail - skip))
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
  total_skip=$((total_skip + skip))
  echo "$label: $n tests, $pass passed, $fail failed, $skip skipped"
  while IFS=$'\t' read -r st name reason; do
    [ "$st" = "skipped" ] || continue
    if allowed "$name"; then
      why="$(grep -v '^[[:space:]]*#' "$allow" | grep -F -- "$name" | head -1 | cut -d'|' -f2- | sed 's/^[[:space:]]*//')"
      echo "  skipped (allowed): $name — $why"
    else
      echo "  skipped (NOT on tests/skip-allowlist.txt): $name — ${reason:-no reason printed}"
      unlisted+=("$label: $name")
    fi
  done <<< "$rows"
done
if [ ${#unlisted[@]} -gt 0 ]; then
  echo "check-skips: ${#unlisted[@]} skipped test(s) not on tests/skip-allowlist.txt; a skip checks nothing:"
  printf '  %s\n' "${unlisted[@]}"
  status=1
fi
echo "total: $total_pass passed, $total_fail failed, $total_skip skipped"
exit $status
