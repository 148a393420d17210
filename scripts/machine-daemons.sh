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

# The bus answers, not only has a socket: a machine restored from an image can keep a stale
# /run/dbus/system_bus_socket (and pid files) of a daemon that no longer runs.
bus_answers() {
  timeout 5 dbus-send --system --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.GetId >/dev/null 2>&1
}

ensure_dbus() {
  bus_answers && return 0
  # Debian's own init script (dbus ships one) starts dbus-daemon --system, which replaces a stale socket. Its
  # own stale-pid check only asks whether some process has that pid; ask whether it is dbus-daemon.
  # A dbus-daemon that is still starting or exiting is given a few seconds to do so.
  local pid
  for _ in $(seq 1 50); do
    pid="$(cat /run/dbus/pid 2>/dev/null || true)"
    [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "dbus-daemon" ] || break
    bus_answers && return 0
    sleep 0.1
  done
  [ -z "$pid" ] || [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "dbus-daemon" ] || rm -f /run/dbus/pid
  /etc/init.d/dbus start >&2 || { echo "machine-daemons: /etc/init.d/dbus start failed" >&2; exit 1; }
  for _ in $(seq 1 50); do bus_answers && return 0; sleep 0.1; done
  echo "machine-daemons: the machine's system bus does not answer after /etc/init.d/dbus start" >&2
  exit 1
}

ensure_avahi() {
  [ -n "$(avahi_pid || true)" ] && return 0
  # Debian's unit runs `avahi-daemon -s` with /etc/avahi/avahi-daemon.conf. The same, in a session of its
  # own, except that it is kept to the loopback interface: this workplace allows no traffic beyond it.
  # Its output goes to a log file so that a failure to start is shown, not lost to syslog.
  local conf log
  conf="$(mktemp /tmp/openclaw-machine-avahi.XXXXXX.conf)"
  log="${conf%.conf}.log"
  sed -e 's/^#\?allow-interfaces=.*/allow-interfaces=lo/' /etc/avahi/avahi-daemon.conf > "$conf"
  rm -f /run/avahi-daemon/pid # stale: avahi_pid found no process behind it
  setsid -f avahi-daemon -s -f "$conf" </dev/null >"$log" 2>&1
  for _ in $(seq 1 100); do [ -n "$(avahi_pid || true)" ] && answers && return 0; sleep 0.1; done
  echo "machine-daemons: the machine's avahi-daemon did not start; its output ($log):" >&2
  sed 's/^/  /' "$log" >&2
  exit 1
}

ensure() {
  ensure_dbus
  ensure_avahi
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
