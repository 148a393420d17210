#!/usr/bin/env bash
# The long soak (docs/reliability.md): our gateway under mixed RPC load, connection churn, garbage and bad
# frames, and SIGUSR1 restarts, for SOAK_SECONDS (default 600). Prints one JSON line of figures.
# Then a flood of FLOOD_KEYS (default 10000) connects with fresh device keys against a gateway with silent
# local pairing off, and one with it on: pending requests, paired devices, RSS and the pairing database's
# size must stay bounded (docs/reliability.md).
#   SOAK_SECONDS=1800 RESTART_EVERY=30 bash bench/soak.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
seconds="${SOAK_SECONDS:-600}"
restart="${RESTART_EVERY:-30}"
flood_keys="${FLOOD_KEYS:-10000}"
home="$(mktemp -d /tmp/openclaw-soak.XXXXXX)"
port="$(shuf -i 20000-60000 -n 1)"
token="soak-$(date +%s%N)"
mkdir -p "$home/.openclaw"
printf '{ gateway: { mode: "local", auth: { token: "%s" } } }\n' "$token" > "$home/.openclaw/openclaw.json"
(
  unset OPENCLAW_GATEWAY_TOKEN OPENCLAW_GATEWAY_PASSWORD OPENCLAW_STATE_DIR OPENCLAW_CONFIG_PATH
  export HOME="$home"
  exec "$build/bin/openclaw" gateway run --port "$port"
) > "$home/gateway.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$home"' EXIT
for _ in $(seq 200); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.05; done
"$build/bin/openclaw-bench" soak --url "ws://127.0.0.1:$port" --token "$token" --pid "$pid" \
  --seconds "$seconds" --restart-every "$restart" --label ours
echo "gateway log: $(grep -c 'restarting in-process' "$home/gateway.log") restarts," \
  "$(grep -ci 'error' "$home/gateway.log" || true) error lines"

kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true

# flood AUTO_APPROVE_LOCAL: a fresh gateway, FLOOD_KEYS strangers, then what it kept.
flood() {
  local fhome fport fpid
  fhome="$(mktemp -d /tmp/openclaw-flood.XXXXXX)"
  fport="$(shuf -i 20000-60000 -n 1)"
  mkdir -p "$fhome/.openclaw"
  printf '{ gateway: { mode: "local", auth: { token: "%s" }, nodes: { pairing: { autoApproveLocal: %s } } } }\n' \
    "$token" "$1" > "$fhome/.openclaw/openclaw.json"
  (
    unset OPENCLAW_GATEWAY_TOKEN OPENCLAW_GATEWAY_PASSWORD OPENCLAW_STATE_DIR OPENCLAW_CONFIG_PATH
    export HOME="$fhome"
    exec "$build/bin/openclaw" gateway run --port "$fport"
  ) > "$fhome/gateway.log" 2>&1 &
  fpid=$!
  for _ in $(seq 200); do curl -fsS "http://127.0.0.1:$fport/readyz" >/dev/null 2>&1 && break; sleep 0.05; done
  "$build/bin/openclaw-bench" device-flood --url "ws://127.0.0.1:$fport" --token "$token" --pid "$fpid" \
    --sessions "$flood_keys" --connections 32 --label "autoApproveLocal=$1" || true
  echo "pairing database: $(du -skc "$fhome"/.openclaw/native/devices.sqlite* 2>/dev/null | tail -1 | cut -f1) KiB"
  kill "$fpid" 2>/dev/null || true
  wait "$fpid" 2>/dev/null || true
  rm -rf "$fhome"
}
flood false
flood true
