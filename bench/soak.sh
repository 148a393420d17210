#!/usr/bin/env bash
# The long soak (docs/reliability.md): our gateway under mixed RPC load, connection churn, garbage and bad
# frames, and SIGUSR1 restarts, for SOAK_SECONDS (default 600). Prints one JSON line of figures.
#   SOAK_SECONDS=1800 RESTART_EVERY=30 bash bench/soak.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
seconds="${SOAK_SECONDS:-600}"
restart="${RESTART_EVERY:-30}"
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
