#!/usr/bin/env bash
# Writes bench/text-order/openclaw.order: the functions of the gateway and its bundled plugins in the order a
# gateway first calls them, for lld to lay out their text (CMakeLists.txt, openclaw_order_text). A traced build
# (-DOPENCLAW_TEXT_TRACE=ON, in build/text-trace) records each function's first call; this script starts that
# gateway as bench/compare.sh does, runs the benchmark client's scenarios and the CLI's query commands
# against it, stops it, and turns the recorded addresses into symbol names. Gateway start-up and serving come
# first, the CLI after; a function seen in both keeps its first place.
#
#   bash bench/text-order.sh        # then rebuild: the order file is a link dependency
#
# Re-run it when the code has moved a lot: a name no longer in the code is skipped by the linker, a new
# function is placed after the ordered ones, so a stale file costs only some packing, never correctness.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
trace_build="$root/build/text-trace"
plain="$root/build" # the plain build (scripts/build.sh): its names are what the linker will see
bench="${BENCH:-$plain/bin/openclaw-bench}"
for needed in "$bench" "$plain/bin/openclaw"; do
  [ -x "$needed" ] || { echo "text-order: build first (bash scripts/build.sh): $needed is missing" >&2; exit 1; }
done
cmake -S "$root" -B "$trace_build" -DCMAKE_BUILD_TYPE=Release -DOPENCLAW_TEXT_TRACE=ON -DOPENCLAW_BUILD_TESTS=OFF >/dev/null
cmake --build "$trace_build" -j"$(nproc)" >/dev/null
bin="$trace_build/bin/openclaw"

work="$(mktemp -d /tmp/openclaw-text-order.XXXXXX)"
pid=""
cleanup() {
  [ -n "$pid" ] && { kill -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/home/.openclaw"
printf '{ gateway: { mode: "local" }, plugins: { entries: { bonjour: { enabled: true } } } }\n' \
  > "$work/home/.openclaw/openclaw.json"
port="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
token="order-$(date +%s%N)"
url="ws://127.0.0.1:$port"
in_home() { (export HOME="$work/home" NO_COLOR=1 OPENCLAW_DISABLE_BONJOUR=1 OPENCLAW_TEXT_TRACE="$1"; shift; exec "$@"); }

(in_home "$work/gateway.trace" setsid "$bin" gateway run --port "$port" --bind loopback --token "$token" \
  --allow-unconfigured) > "$work/gateway.out" 2>&1 &
pid=$!
for _ in $(seq 200); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.05; done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/gateway.out" >&2; exit 1; }
sleep 1 # what the gateway does once idle
gpid="$(ss -ltnpH "sport = :$port" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)"
for scenario in "handshake --count 50" "rpc-latency --count 200" "rpc-throughput --seconds 1 --connections 4" \
                "pipelined --count 20" "fanout --sessions 20 --rounds 3" "node-invoke --count 20" \
                "idle-conns --sessions 20 --hold 1"; do
  # shellcheck disable=SC2086 # the scenario's words are its arguments
  "$bench" $scenario --url "$url" --token "$token" --pid "$gpid" >/dev/null
done
in_home "$work/cli.trace" "$bin" gateway health --url "$url" --token "$token" >/dev/null
in_home "$work/cli.trace" "$bin" gateway status --url "$url" --token "$token" >/dev/null || true
in_home "$work/cli.trace" "$bin" --version >/dev/null
kill -TERM "$gpid"
wait "$pid" 2>/dev/null || true
pid=""

# "<object> <offset>" lines -> symbol names: an object's defined functions by address (nm), each name once.
symbols_of() { nm --defined-only "$1" | awk '$2 ~ /^[tTwWi]$/ { print $1, $3 }'; }
: > "$work/names"
for object in "$bin" "$trace_build"/lib/openclaw/plugins/*/*.so; do
  symbols_of "$object" | sed "s|^|$(realpath "$object") |" >> "$work/names"
done
# The plain build's function names, for what the trace cannot name (its local clones and thunks).
for object in "$plain/bin/openclaw" "$plain"/lib/openclaw/plugins/*/*.so; do
  symbols_of "$object" | awk '{ print $2 }'
done | sort -u > "$work/plain"
out="$root/bench/text-order/openclaw.order"
python3 - "$work" > "$out.tmp" <<'PY'
import re, sys
work = sys.argv[1]
by_address = {}  # "<object> <offset>" of the traced build -> its names
for line in open(f"{work}/names"):
    obj, addr, name = line.split()
    by_address.setdefault(f"{obj} {addr}", []).append(name)
traced_names = {n for names in by_address.values() for n in names}
plain = [n.strip() for n in open(f"{work}/plain")]

def base_of(name):
    """What a plain-build function is a variant of: name.isra.0 / .constprop.0 / .part.0 of name (one local copy
    per file that calls it), a this-adjusting thunk _ZThn16_N...E of _ZN...E."""
    name = name.split(".", 1)[0]
    return re.sub(r"^_ZT(?:h|v)(?:n?\d+_)+", "_Z", name)

variants = {}
for n in plain:
    if base_of(n) != n:
        variants.setdefault(base_of(n), []).append(n)

def traced(trace):
    for line in open(trace):
        for name in by_address.get(line.strip(), []):
            yield name

order = []
def add(name):
    order.append(name)
    order.extend(variants.get(name, []))
# What runs at every start but is not instrumented comes first: the C runtime's entry. (Each file's static
# initialiser is in .text.startup, which -z keep-text-section-prefix keeps together; naming them here would
# also pull in the whole .text of an archive member built without -ffunction-sections, such as yaml-cpp's.)
for n in ["_start", "_init", "frame_dummy", "register_tm_clones", "deregister_tm_clones", "__do_global_dtors_aux"]:
    add(n)
for n in traced(f"{work}/gateway.trace"):
    if not n.startswith("_GLOBAL__sub_I_"):
        add(n)
# Local copies of library templates the traced build called in the library itself (std::string's move
# assignment, ...): no trace names them, the gateway uses most of them.
for base, names in variants.items():
    if base not in traced_names:
        order.extend(names)
for n in traced(f"{work}/cli.trace"):
    add(n)
seen = set()
for n in order:
    if n not in seen:
        seen.add(n)
        print(n)
PY
mv "$out.tmp" "$out"
echo "text-order: $(wc -l < "$out") functions in $out"
