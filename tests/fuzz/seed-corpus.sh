#!/usr/bin/env bash
# Builds seed corpora for the fuzz targets: client frames from the recorded reference transcripts,
# real config and manifest files, and params. Usage: seed-corpus.sh <out-dir>
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$1"
mkdir -p "$out"/{fuzzframes,fuzzconfig,fuzzmanifest,fuzzparams,fuzzhttphead,fuzztailscale,fuzzbonjour}
transcripts="$root/../shared/reference/transcripts"
n=0
if [ -d "$transcripts" ]; then
  # One seed per client frame (c2s), as the JSON text the client sent.
  python3 - "$transcripts" "$out/fuzzframes" <<'PY'
import json, os, sys, glob
src, dst = sys.argv[1], sys.argv[2]
i = 0
for f in sorted(glob.glob(os.path.join(src, "*.jsonl"))):
    for line in open(f):
        d = json.loads(line)
        if d.get("dir") != "c2s": continue
        text = d.get("text") if "text" in d else json.dumps(d.get("json"))
        if not isinstance(text, str) or len(text) > 65536: continue
        open(os.path.join(dst, "t%04d" % i), "w").write(text); i += 1
PY
fi
printf '{"type":"req","id":"c1","method":"connect","params":{"minProtocol":4,"maxProtocol":4,"client":{"id":"cli","version":"1","platform":"linux","mode":"cli"},"auth":{"token":"T"}}}' > "$out/fuzzframes/connect"
printf '\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x4c\x58' > "$out/fuzzframes/masked-hello"
printf 'J{\n  // comment\n  gateway: { mode: '"'"'local'"'"', port: 0x4965, bind: "loopback", auth: { token: "${X}", rateLimit: { maxAttempts: 3 } } },\n  plugins: { allow: ["a",], entries: { b: { enabled: false, config: {} } } },\n}\n' > "$out/fuzzconfig/json5"
printf 'Ygateway:\n  mode: local\n  port: 19000\n  tls: {enabled: true}\nplugins:\n  deny: [bonjour]\n' > "$out/fuzzconfig/yaml"
for m in "$root"/plugins/*/openclaw.plugin.json "$root"/tests/plugins/*.json; do cp "$m" "$out/fuzzmanifest/$(basename "$(dirname "$m")")-$(basename "$m")"; done
printf '{"sinceMs": 60000}' > "$out/fuzzparams/since"
printf '[1, 2.5, -0, 1e300, "\\u00e9", {"a": [null, true]}]' > "$out/fuzzparams/mixed"
printf 'GET / HTTP/1.1\r\nHost: 127.0.0.1:18789\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:18789\r\nSec-WebSocket-Protocol: chat, superchat\r\n\r\n' > "$out/fuzzhttphead/upgrade"
printf 'GET /readyz?x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' > "$out/fuzzhttphead/readyz"
printf 'GET /healthz HTTP/1.0\r\n\r\n' > "$out/fuzzhttphead/http10"
echo "seed corpora in $out"
# The tailscale plugin's inputs: the STAND-IN's real-format outputs (first byte: which reader).
printf '\x00{"BackendState":"Running","Self":{"DNSName":"gw-host.tail4e2a7c.ts.net.","TailscaleIPs":["100.101.42.7","fd7a::1"]}}' > "$out/fuzztailscale/status"
printf '\x01{"Node":{"ID":1},"UserProfile":{"ID":5,"LoginName":"alice@example.com"}}' > "$out/fuzztailscale/whois"
printf '\x02{"Web":{"gw:443":{"Handlers":{"/":{"Proxy":"http://127.0.0.1:18789"}}}}}' > "$out/fuzztailscale/serve"
printf '\x03  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:9C40 0100007F:4965 01 00000000:00000000 00:00000000 00000000     0        0 1 1 0 20 4 30 10 -1\n' > "$out/fuzztailscale/table"
printf '\x04tailscale-user-login:alice@example.com\nx-forwarded-for:100.88.14.93\nx-forwarded-proto:https\nx-forwarded-host:gw\n' > "$out/fuzztailscale/headers"
printf '\x05sending serve config: Access denied: serve config denied\nsudo: a password is required\n' > "$out/fuzztailscale/errors"
# The bonjour plugin's inputs (first byte: which reader).
printf '\x00\x0crole=gateway\x10gatewayPort=18789\x0cgatewayTls=1' > "$out/fuzzbonjour/txt"
printf '\x01vm\\032\\040OpenClaw\\041' > "$out/fuzzbonjour/label"
printf '\x02{"gatewayPort":18789,"gatewayTls":true,"gatewayTlsSha256":"ab","tailnetIPv4":"100.64.0.1","mdnsMode":"full"}' > "$out/fuzzbonjour/facts"
