#!/usr/bin/env bash
# docs/plugin-guide.md followed literally: its ```sh run blocks and ```<lang> file=<path> blocks become one bash
# script, in the page's order (files written where the page says, commands run as pasted into one terminal),
# run in an empty home folder with only the installed SDK; then every ```text output block must appear in what
# the commands printed. Blocks without `run`/`file=`/`output` are for reading only (apt, an export to adapt).
#   scripts/test-guide.sh [build-dir]   (default: build; the guide installs it with cmake --install)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
guide="$root/docs/plugin-guide.md"
work="$(mktemp -d /tmp/openclaw-guide-XXXXXX)"
cleanup() {
  pkill -TERM -f "$work/home/openclaw/bin/openclaw" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "test-guide: FAILED: $*" >&2; exit 1; }

# The page as a script, and its expected outputs (blocks separated by a line holding only "--").
awk -v script="$work/guide.sh" -v expected="$work/expected.txt" '
  /^```/ {
    if (mode == "file") print "GUIDE_EOF" > script
    if (mode == "output") print "--" > expected
    if (mode != "") { mode = ""; next }
    info = substr($0, 4)
    if (info ~ /^(sh|bash) run$/) { mode = "run"; print "# ---- " NR ": a command block" > script; next }
    if (match(info, /file=[^ ]+/)) {
      path = substr(info, RSTART + 5, RLENGTH - 5)
      mode = "file"
      print "mkdir -p $(dirname " path ")\ncat > " path " <<'\''GUIDE_EOF'\''" > script
      next
    }
    mode = (info == "text output") ? "output" : "skip"
    next
  }
  mode == "run" || mode == "file" { print > script }
  mode == "output" { print > expected }
' "$guide"
[ -s "$work/guide.sh" ] || fail "no runnable block in $guide"
[ -s "$work/expected.txt" ] || fail "no expected output in $guide"

# What differs from a reader's terminal: an empty home, the source folder's build, a free port, no mDNS.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 28932)
mkdir -p "$work/home"
[ "$build" = "$root/build" ] || fail "the guide installs \$OPENCLAW_SRC/build; run it with $root/build"
if ! env -i PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" HOME="$work/home" \
     OPENCLAW_SRC="$root" OPENCLAW_GATEWAY_PORT="$port" OPENCLAW_DISABLE_BONJOUR=1 \
     timeout 900 bash -euo pipefail "$work/guide.sh" > "$work/output.txt" 2>&1; then
  cat "$work/output.txt"
  [ -f "$work/home/hello-gateway.log" ] && cat "$work/home/hello-gateway.log"
  fail "a block of the guide failed (output above)"
fi

# Each expected line, in the output.
missing=0
while IFS= read -r line; do
  [ "$line" = "--" ] || [ -z "$line" ] && continue
  grep -qF -- "$line" "$work/output.txt" || { echo "test-guide: expected, not printed: $line" >&2; missing=1; }
done < "$work/expected.txt"
[ "$missing" -eq 0 ] || { cat "$work/output.txt"; fail "the guide's outputs differ from what it shows"; }
echo "test-guide: $(grep -c '^# ---- ' "$work/guide.sh") command blocks and $(grep -c '^GUIDE_EOF$' "$work/guide.sh") files of docs/plugin-guide.md ran as written; outputs as shown"
echo "test-guide: ok"
