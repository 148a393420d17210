#!/usr/bin/env bash
# Scale figures (docs/performance.md): one event to 1 000 and to 10 000 sessions, and 100 000 idle
# authenticated sessions, on our gateway (and, with BASELINE=<rev>, on that revision built as compare.sh
# does, in alternating order); and the same event to 1 000 and 10 000 peers of the raw-echo anchor
# (`openclaw-bench echo-server`: one text frame to each peer, nothing else), the floor of that fan-out here.
# Needs root for the descriptor limits (about 2 per session on this machine: one each side); the client spreads 100 000 connections over 127.0.0.1..5 (--sources) so that no source
# address runs out of ephemeral ports; the gateway is given gateway.limits.maxSessions 110000 in its
# native.json5 (the default is 20 000).
#
#   bash bench/scale.sh
#   RUNS=2 BASELINE=ceca661 bash bench/scale.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
runs="${RUNS:-1}"
bench="$build/bin/openclaw-bench"
[ -x "$bench" ] || { echo "scale: build first (bash scripts/build.sh)" >&2; exit 1; }
# 100 000 sessions need about 100 300 descriptors in the gateway and as many in the client. Where the hard
# limit cannot be raised (a container without CAP_SYS_RESOURCE: root, yet `ulimit -Hn` stays at 20 000), the
# largest count that fits is measured instead, and said.
idle_big=100000
if ! ulimit -n 250000 2>/dev/null; then
  hard="$(ulimit -Hn)"
  ulimit -n "$hard"
  idle_big=$(( (hard - 1000) / 1000 * 1000 ))
  echo "scale: the descriptor limit cannot be raised past $hard here (no CAP_SYS_RESOURCE); idle sessions: $idle_big, not 100000" >&2
fi
labels=(ours)
if [ -n "${BASELINE:-}" ]; then
  rev="$(git -C "$root" rev-parse --short "$BASELINE")"
  [ -x "$build/baseline-$rev/build/bin/openclaw" ] || { echo "scale: run BASELINE=$BASELINE bash bench/compare.sh once first (it builds the baseline)" >&2; exit 1; }
  labels=(ours baseline)
fi
out="${OUT:-$build/bench-results/scale-$(date +%Y%m%d-%H%M%S).jsonl}"
mkdir -p "$(dirname "$out")"
: > "$out"
token="scale-$(date +%s%N)"
home=""
pid=""
echo_pid=""
cleanup() {
  [ -n "$pid" ] && { kill -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  [ -n "$echo_pid" ] && { kill "$echo_pid" 2>/dev/null || true; wait "$echo_pid" 2>/dev/null || true; }
  [ -n "$home" ] && rm -rf "$home"
  return 0
}
trap cleanup EXIT
trap "exit 130" INT TERM
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# start LABEL: a fresh gateway of that side, as compare.sh starts it, allowed 110 000 sessions
start() {
  local bin="$build/bin/openclaw"
  [ "$1" = baseline ] && bin="$build/baseline-$rev/build/bin/openclaw"
  home="$(mktemp -d /tmp/openclaw-scale.XXXXXX)"
  mkdir -p "$home/.openclaw"
  printf '{ gateway: { mode: "local" }, plugins: { entries: { bonjour: { enabled: true } } } }\n' > "$home/.openclaw/openclaw.json"
  printf '{ gateway: { limits: { maxSessions: 110000, maxPreauthConnections: 4096 } } }\n' > "$home/.openclaw/native.json5"
  port="$(free_port)"
  (
    unset OPENCLAW_GATEWAY_TOKEN OPENCLAW_GATEWAY_PASSWORD OPENCLAW_STATE_DIR OPENCLAW_CONFIG_PATH OPENCLAW_GATEWAY_PORT
    export HOME="$home" NO_COLOR=1 OPENCLAW_DISABLE_BONJOUR=1
    exec setsid "$bin" gateway run --port "$port" --bind loopback --token "$token" --allow-unconfigured
  ) > "$home/gateway.out" 2>&1 &
  pid=$!
  for _ in $(seq 400); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "scale: $1 did not become ready:" >&2; cat "$home/gateway.out" >&2; return 1
}
stop() { kill -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; rm -rf "$home"; home=""; }
record() { while IFS= read -r line; do [ -n "$line" ] && { echo "${line%\}},\"label\":\"$1\"}" >> "$out"; echo "  $1: $line"; }; done; }

# The anchor, with as many loop threads as our gateway runs (its default).
echo_port="$(free_port)"
setsid "$bench" echo-server --port "$echo_port" > /dev/null &
echo_pid=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$echo_port") 2>/dev/null && break; sleep 0.05; done

for round in $(seq "$runs"); do
  echo "== round $round: the raw-echo anchor"
  for n in 1000 10000; do
    "$bench" echo-fanout --url "ws://127.0.0.1:$echo_port" --pid "$echo_pid" --sessions "$n" --rounds 5 | record echo || true
  done
  order=("${labels[@]}")
  [ $((round % 2)) -eq 0 ] && [ "${#labels[@]}" -eq 2 ] && order=(baseline ours)
  for label in "${order[@]}"; do
    echo "== round $round: $label"
    url() { echo "ws://127.0.0.1:$port"; }
    start "$label"
    "$bench" fanout --url "$(url)" --token "$token" --pid "$pid" --sessions 1000 --rounds 5 | record "$label" || true
    stop; start "$label"
    "$bench" fanout --url "$(url)" --token "$token" --pid "$pid" --sessions 10000 --rounds 5 | record "$label" || true
    stop; start "$label"
    "$bench" idle-conns --url "$(url)" --token "$token" --pid "$pid" --sessions "$idle_big" --sources 5 --hold 3 | record "$label" || true
    stop
  done
done
echo "results: $out"
# Medians of the event figures, and 10 000 against 1 000 sessions for each side.
python3 - "$out" <<'PY'
import json, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("scenario") in ("fanout", "echo-fanout") and r.get("errors") == 0:
        runs.setdefault((r["label"], int(r["sessions"])), []).append(r["all_delivered_p50_us"])
for label in sorted({k[0] for k in runs}):
    small, big = runs.get((label, 1000)), runs.get((label, 10000))
    if small and big:
        a, b = statistics.median(small), statistics.median(big)
        print(f"{label}: one event to 1 000 sessions {a / 1000:.2f} ms, to 10 000 {b / 1000:.2f} ms: {b / a:.2f}x")
PY
