#!/usr/bin/env bash
# The SDK as a third party uses it: installs the gateway and the SDK (cmake --install) into a fresh prefix, builds
# examples/hello-plugin (C++, CMake: find_package(OpenClawSDK 1.1)) and examples/hello-plugin-c (C, pkg-config)
# against that prefix only, runs the C++ example's own unit test (the SDK's fake host), checks that asking for
# another major fails, then runs the INSTALLED gateway with both plugins (plugins.load.paths) and calls their
# methods: `openclaw gateway call`, and a client holding operator.write but not the example's own scope.
#   scripts/test-sdk.sh [build-dir]   (default: build; its tests' ws_connect helper is used)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
work="$(mktemp -d /tmp/openclaw-sdk-XXXXXX)"
gw_pid=""
cleanup() {
  if [ -n "$gw_pid" ] && kill -0 "$gw_pid" 2>/dev/null; then kill -TERM "$gw_pid"; wait "$gw_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "test-sdk: FAILED: $*" >&2; exit 1; }

prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/openclaw lib/openclaw/libopenclaw-tls.so include/openclaw/plugin.h include/openclaw/plugin.hpp \
         include/openclaw/testing/FakeHost.hpp lib/cmake/OpenClawSDK/OpenClawSDKConfig.cmake \
         lib/cmake/OpenClawSDK/OpenClawSDKConfigVersion.cmake lib/pkgconfig/openclaw-plugin.pc \
         lib/openclaw/plugins/auth-token/auth-token.so lib/openclaw/plugins/auth-token/openclaw.plugin.json; do
  [ -f "$prefix/$f" ] || fail "not installed: $f"
done
echo "test-sdk: installed into $prefix"

# C++ example, CMake package, its unit test on the fake host.
cmake -S "$root/examples/hello-plugin" -B "$work/hello" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/hello" >/dev/null
(cd "$work/hello" && ctest --output-on-failure) >/dev/null || fail "the example's unit test"
symbols=$(nm -D --defined-only "$work/hello/hello/hello.so" | awk '$2 == "T" { print $3 }')
[ "$symbols" = "openclaw_plugin_entry" ] || fail "hello.so exports more than its entry point: $symbols"
echo "test-sdk: examples/hello-plugin built with find_package(OpenClawSDK 1.1); its fake-host test passed"

# Another major must be refused by the package's version file.
mkdir -p "$work/major"
printf 'cmake_minimum_required(VERSION 3.16)\nproject(m LANGUAGES CXX)\nfind_package(OpenClawSDK 2.0 REQUIRED)\n' \
  > "$work/major/CMakeLists.txt"
if cmake -S "$work/major" -B "$work/major/build" -DCMAKE_PREFIX_PATH="$prefix" >"$work/major.log" 2>&1; then
  fail "find_package(OpenClawSDK 2.0) was accepted"
fi
sdk_version="$(sed -n 's/^set(OPENCLAW_SDK_VERSION \(.*\))$/\1/p' "$root/sdk/CMakeLists.txt")"
grep -qF "$sdk_version" "$work/major.log" || fail "the refusal does not name the version found ($sdk_version)"
echo "test-sdk: find_package(OpenClawSDK 2.0) refused"

# C example: with CMake (openclaw_add_plugin on a C source), and with pkg-config only (used below).
cmake -S "$root/examples/hello-plugin-c" -B "$work/hello-c-cmake" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/hello-c-cmake" >/dev/null
symbols=$(nm -D --defined-only "$work/hello-c-cmake/hello-c/hello-c.so" | awk '$2 == "T" { print $3 }')
[ "$symbols" = "openclaw_plugin_entry" ] || fail "hello-c.so (CMake) exports more than its entry point: $symbols"
[ -f "$work/hello-c-cmake/hello-c/openclaw.plugin.json" ] || fail "openclaw_add_plugin did not copy the C manifest"
echo "test-sdk: examples/hello-plugin-c built with find_package(OpenClawSDK 1.1) (C sources)"
mkdir -p "$work/hello-c"
cp "$root/examples/hello-plugin-c/openclaw.plugin.json" "$work/hello-c/"
PKG_CONFIG_PATH="$prefix/lib/pkgconfig" cc -std=c99 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden \
  $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags openclaw-plugin) \
  "$root/examples/hello-plugin-c/hello.c" -o "$work/hello-c/hello-c.so"
echo "test-sdk: examples/hello-plugin-c built with pkg-config"

# The installed gateway loads both from plugins.load.paths.
home="$work/home"
mkdir -p "$home/.openclaw"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 28931)
cat > "$home/.openclaw/openclaw.json" <<JSON
{ "gateway": { "mode": "local", "port": $port, "auth": { "mode": "token", "token": "SDK" } },
  "plugins": { "load": { "paths": ["$work/hello/hello", "$work/hello-c"] },
               "entries": { "hello": { "config": { "greeting": "Bonjour" } } } } }
JSON
export HOME="$home" OPENCLAW_DISABLE_BONJOUR=1 OPENCLAW_GATEWAY_TOKEN="" OPENCLAW_GATEWAY_PORT=""
"$prefix/bin/openclaw" gateway run >"$work/gateway.log" 2>&1 &
gw_pid=$!
for _ in $(seq 100); do grep -q "\[gateway\] ready" "$work/gateway.log" && break; sleep 0.1; done
grep -q "\[gateway\] ready" "$work/gateway.log" || { cat "$work/gateway.log"; fail "the installed gateway did not start"; }
grep -q "plugins: .*hello" "$work/gateway.log" || { cat "$work/gateway.log"; fail "the example plugins did not load"; }

out=$("$prefix/bin/openclaw" gateway call hello.greet --params '{"name":"SDK"}' --token SDK --json)
[[ "$out" == *'"text": "Bonjour, SDK"'* ]] || fail "hello.greet answered: $out"
out=$("$prefix/bin/openclaw" gateway call helloc.greet --token SDK --json)
[[ "$out" == *'"text": "Hello from C"'* ]] || fail "helloc.greet answered: $out"
echo "test-sdk: openclaw gateway call reached both plugins"

# A client holding operator.write but not hello.admin: hello.greet answers, hello.secret is refused.
ws="$build/bin/ws_connect"
if [ -x "$ws" ]; then
  out=$(WS_CONNECT_SCOPES='["operator.write"]' WS_CONNECT_CALL=hello.greet "$ws" "ws://127.0.0.1:$port" '{"token":"SDK"}')
  [[ "$out" == *'"ok":true'* ]] || fail "hello.greet with operator.write: $out"
  out=$(WS_CONNECT_SCOPES='["operator.write"]' WS_CONNECT_CALL=hello.secret "$ws" "ws://127.0.0.1:$port" '{"token":"SDK"}')
  [[ "$out" == *'"ok":false'* ]] || fail "hello.secret without hello.admin: $out"
  [[ "$out" == *'hello.admin'* ]] || fail "the refusal does not name the scope: $out"
  echo "test-sdk: scopes enforced (hello.greet with operator.write, hello.secret refused without hello.admin)"
else
  fail "$ws is missing (build the tests)"
fi
kill -TERM "$gw_pid"; wait "$gw_pid" || fail "the installed gateway did not stop cleanly"
gw_pid=""

# The Debian packages: contents, apt install, the installed gateway runs an example built against /usr, apt purge.
(cd "$build" && rm -f openclaw-gateway_*.deb openclaw-plugin-sdk_*.deb && cpack -G DEB >/dev/null)
gw_deb=$(ls "$build"/openclaw-gateway_*.deb)
sdk_deb=$(ls "$build"/openclaw-plugin-sdk_*.deb)
dpkg-deb -c "$gw_deb" > "$work/gateway.contents"
dpkg-deb -c "$sdk_deb" > "$work/sdk.contents"
for f in ./usr/bin/openclaw ./usr/lib/openclaw/libopenclaw-tls.so ./usr/lib/openclaw/plugins/bonjour/bonjour.so \
         ./usr/lib/openclaw/plugins/bonjour/bonjour-core.so ./usr/lib/openclaw/plugins/tailscale/tailscale-core.so \
         ./usr/lib/openclaw/plugins/tailscale/openclaw.plugin.json ./usr/share/openclaw/systemd/openclaw-gateway.service \
         ./usr/share/doc/openclaw-gateway/operator.md; do
  grep -q " $f\$" "$work/gateway.contents" || fail "$gw_deb lacks $f"
done
for f in ./usr/include/openclaw/plugin.h ./usr/include/openclaw/testing/FakeHost.hpp \
         ./usr/lib/cmake/OpenClawSDK/OpenClawSDKConfigVersion.cmake ./usr/lib/pkgconfig/openclaw-plugin.pc \
         ./usr/share/doc/openclaw-plugin-sdk/plugin-guide.md; do
  grep -q " $f\$" "$work/sdk.contents" || fail "$sdk_deb lacks $f"
done
[[ "$(dpkg-deb -f "$gw_deb" Depends)" == *libavahi-compat-libdnssd1* ]] || fail "$gw_deb does not declare its dependencies"
echo "test-sdk: packages built: $(basename "$gw_deb") $(basename "$sdk_deb")"
if [ "$(id -u)" -ne 0 ] || dpkg -s openclaw-gateway >/dev/null 2>&1 || dpkg -s openclaw-plugin-sdk >/dev/null 2>&1; then
  echo "test-sdk: NOT installing the packages here (not root, or already installed: this machine is left alone)"
  echo "test-sdk: ok"
  exit 0
fi
purge() { DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq openclaw-gateway openclaw-plugin-sdk >/dev/null 2>&1 || true; }
trap 'purge; cleanup' EXIT
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$gw_deb" "$sdk_deb" >/dev/null \
  || fail "apt install of the packages"
cmake -S "$root/examples/hello-plugin" -B "$work/hello-usr" >/dev/null   # finds /usr/lib/cmake/OpenClawSDK
cmake --build "$work/hello-usr" >/dev/null
(cd "$work/hello-usr" && ctest --output-on-failure) >/dev/null || fail "the example against the packaged SDK"
sed -i "s#$work/hello/hello#$work/hello-usr/hello#" "$home/.openclaw/openclaw.json"
/usr/bin/openclaw gateway run >"$work/gateway-deb.log" 2>&1 &
gw_pid=$!
for _ in $(seq 100); do grep -q "\[gateway\] ready" "$work/gateway-deb.log" && break; sleep 0.1; done
out=$(/usr/bin/openclaw gateway call hello.greet --params '{"name":"deb"}' --token SDK --json) \
  || { cat "$work/gateway-deb.log"; fail "the packaged gateway did not answer"; }
[[ "$out" == *'"text": "Bonjour, deb"'* ]] || fail "hello.greet through the packaged gateway: $out"
kill -TERM "$gw_pid"; wait "$gw_pid" || fail "the packaged gateway did not stop cleanly"
gw_pid=""
purge
[ ! -e /usr/bin/openclaw ] && [ ! -e /usr/include/openclaw/plugin.h ] || fail "apt purge left files behind"
echo "test-sdk: packages installed with apt, the packaged gateway served an example built against /usr, purged"
echo "test-sdk: ok"
