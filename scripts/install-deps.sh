#!/usr/bin/env bash
# Installs the Debian packages the project builds and tests against (idempotent).
# Runs as root (CI, fresh containers) or through sudo when available.
set -euo pipefail

PKGS=(
  cmake g++ make pkg-config git ca-certificates clang-format clang-tidy
  libpoco-dev libboost-dev libboost-filesystem-dev libyaml-cpp-dev libgtest-dev libgmock-dev libssl-dev
  libavahi-compat-libdnssd-dev avahi-daemon avahi-utils dbus libc-ares-dev nsd
  openssh-server openssh-client openssl iproute2 procps psmisc prometheus nlohmann-json3-dev libsimdjson-dev
  lld
)

missing=()
# npm installs the reference OpenClaw for the interop suite; any npm will do (Node 24 comes from npm itself).
command -v npm >/dev/null 2>&1 || PKGS+=(npm)
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
# Packages with a daemon (prometheus, avahi-daemon, sshd) are installed, not started: the tests start
# instances of their own, and scripts/machine-daemons.sh the machine's dbus and avahi-daemon. A policy-rc.d
# of our own says so to invoke-rc.d for the length of the install (one already there is left alone).
policy=/usr/sbin/policy-rc.d
ours=""
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod 755 "$policy" && ours=1
fi
trap '[ -z "$ours" ] || $SUDO rm -f "$policy"' EXIT
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
