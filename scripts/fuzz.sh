#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each for a bounded time.
#   scripts/fuzz.sh            # FUZZ_SECONDS per target (default 20), as CI does
#   FUZZ_SECONDS=3600 scripts/fuzz.sh   # the documented longer run
# Crashes are written to build-fuzz/artifacts/<target>/ and fail the run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/build-fuzz"
seconds="${FUZZ_SECONDS:-20}"
cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DOPENCLAW_FUZZ=ON \
  -DOPENCLAW_BUILD_TESTS=OFF -DOPENCLAW_WERROR=ON >/dev/null
cmake --build "$dir" -j"$(nproc)" --target fuzzframes fuzzconfig fuzzmanifest fuzzparams fuzzhttphead \
  fuzztailscale fuzzbonjour
"$root/tests/fuzz/seed-corpus.sh" "$dir/seeds" >/dev/null
status=0
for t in fuzzframes fuzzconfig fuzzmanifest fuzzparams fuzzhttphead fuzztailscale fuzzbonjour; do
  mkdir -p "$dir/corpus/$t" "$dir/artifacts/$t"
  echo "fuzz: $t for ${seconds}s"
  if ! "$dir/bin/$t" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$dir/artifacts/$t/" "$dir/corpus/$t" "$dir/seeds/$t" > "$dir/$t.log" 2>&1; then
    echo "fuzz: $t FAILED (see $dir/$t.log and $dir/artifacts/$t/)"; tail -30 "$dir/$t.log"; status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$dir/$t.log" | tail -2 | tr '\n' ' '; echo
  fi
done
exit $status
