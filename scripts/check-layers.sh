#!/usr/bin/env bash
# Proves that the layers are enforced by the build (core/CMakeLists.txt): in a scratch copy of the tree,
# an include that crosses a layer the wrong way must not compile. Each case adds one such include to a
# file of a lower layer and builds that layer alone; the build must fail with the header not found.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d /tmp/openclaw-layers-XXXXXX)"
trap 'rm -rf "$scratch"' EXIT

# file | wrong include | layer target
cases=(
  "core/config/Paths.cpp|server/GatewayServer.h|openclaw_core_config"
  "core/protocol/Frames.cpp|config/Document.h|openclaw_core_protocol"
  "core/plugins/Manifest.cpp|server/GatewayServer.h|openclaw_core_plugins"
  "core/json/Json.cpp|log/Logger.h|openclaw_core_json"
  "core/process/Subprocess.cpp|plugins/PluginHost.h|openclaw_core_process"
  "core/files/AtomicFile.cpp|config/Paths.h|openclaw_core_files"
)
status=0
for c in "${cases[@]}"; do
  IFS='|' read -r file header target <<< "$c"
  rm -rf "$scratch/src" "$scratch/build"
  mkdir -p "$scratch/src"
  (cd "$root" && git ls-files -z | xargs -0 cp --parents -t "$scratch/src")
  ln -s "$root/../shared" "$scratch/shared" 2>/dev/null || true
  printf '\n#include "%s"\n' "$header" >> "$scratch/src/$file"
  cmake -S "$scratch/src" -B "$scratch/build" -DCMAKE_BUILD_TYPE=Release -DOPENCLAW_BUILD_TESTS=OFF >/dev/null
  if cmake --build "$scratch/build" --target "$target" -j"$(nproc)" > "$scratch/log" 2>&1; then
    echo "check-layers: FAILED: $file including $header compiled ($target); the layer is not enforced"
    status=1
  elif grep -q "$header: No such file or directory" "$scratch/log"; then
    echo "check-layers: ok: $file cannot include $header"
  else
    echo "check-layers: FAILED: $target did not build for another reason:"; tail -20 "$scratch/log"
    status=1
  fi
done
exit $status
