#!/usr/bin/env bash
# Quick start: install packages, build (Release), and run the gateway on a safe local default:
# loopback only, token auth. The first run generates a token, prints it once and stores it in the
# dev config (~/.openclaw-dev/openclaw.json, mode 0600).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" "$root/build" Release
exec "$root/build/bin/openclaw" --dev gateway run --bind loopback "$@"
