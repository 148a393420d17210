#!/usr/bin/env bash
# The machine's own system bus and avahi-daemon, as a Debian machine runs them, beside which the test suite
# must pass without seeing or touching them (the tests start daemons of their own in private namespaces).
#   scripts/machine-daemons.sh ensure   start dbus and avahi-daemon when they are not running (they are left
#                                       running); prints "<pid> <start time>" of the machine's avahi-daemon
#   scripts/machine-daemons.sh check <pid> <start time>
#                                       fails unless that same avahi-daemon process still runs and answers
#                                       on the system bus
set -euo pipefail

avahi_pid() {
  local pid
  pid="$(cat /run/avahi-daemon/pid 2>/dev/null || true)"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] && echo "$pid"
}

# Field 22 of /proc/<pid>/stat: the start time in clock ticks since boot (a reused pid has another one).
start_time() {
  sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $20 }'
}

answers() {
  timeout 10 avahi-browse -t -p _openclaw-machine-check._tcp >/dev/null 2>&1
}

ensure() {
  if [ ! -S /run/dbus/system_bus_socket ]; then
    # Debian's own init script (dbus ships one); it starts dbus-daemon --system.
    /etc/init.d/dbus start >&2
  fi
  if [ -z "$(avahi_pid)" ]; then
    # Debian's unit runs `avahi-daemon -s` with /etc/avahi/avahi-daemon.conf. The same, daemonised, except
    # that it is kept to the loopback interface: this workplace allows no traffic beyond it.
    local conf
    conf="$(mktemp /tmp/openclaw-machine-avahi.XXXXXX.conf)"
    sed -e 's/^#\?allow-interfaces=.*/allow-interfaces=lo/' /etc/avahi/avahi-daemon.conf > "$conf"
    avahi-daemon -D -f "$conf" >&2
    for _ in $(seq 1 100); do answers && break; sleep 0.1; done
  fi
  local pid
  pid="$(avahi_pid)" || { echo "machine-daemons: the machine's avahi-daemon did not start" >&2; exit 1; }
  answers || { echo "machine-daemons: the machine's avahi-daemon (pid $pid) does not answer on the system bus" >&2; exit 1; }
  echo "$pid $(start_time "$pid")"
}

check() {
  local pid="$1" started="$2" now
  now="$(avahi_pid || true)"
  if [ "$now" != "$pid" ] || [ "$(start_time "$pid")" != "$started" ]; then
    echo "machine-daemons: the machine's avahi-daemon (pid $pid) was stopped or restarted by the tests (now: ${now:-none})" >&2
    exit 1
  fi
  answers || { echo "machine-daemons: the machine's avahi-daemon (pid $pid) no longer answers on the system bus" >&2; exit 1; }
  echo "machine-daemons: the machine's avahi-daemon is the same process (pid $pid) and still answers"
}

case "${1:-}" in
  ensure) ensure ;;
  check) check "$2" "$3" ;;
  *) echo "usage: $0 ensure | check <pid> <start time>" >&2; exit 2 ;;
esac
