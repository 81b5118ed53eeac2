# Shared by start.sh and stop.sh: where the local test servers live and which ports each one uses.
# Sourced, not run. Servers: `one` and `two` form the cluster `incident_cards_test`; `spare` is a standalone
# server the failure test may kill and restart without disturbing the others; `crash` is another, for the
# mid-batch fault test (test files run in parallel, so each killer has its own server).

CLICKHOUSE_TEST_DIR="${CLICKHOUSE_TEST_DIR:-${TMPDIR:-/tmp}/incident-cards-clickhouse}"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# name -> "http tcp interserver"
declare -A PORTS=(
  [one]="8123 9000 9009"
  [two]="8124 9001 9010"
  [spare]="8125 9002 9011"
  [crash]="8126 9003 9012"
)

clickhouse_binary() {
  if command -v clickhouse-server >/dev/null 2>&1; then echo "$(command -v clickhouse-server)"; return; fi
  if [ -x /usr/sbin/clickhouse-server ]; then echo /usr/sbin/clickhouse-server; return; fi
  if [ -x /usr/bin/clickhouse-server ]; then echo /usr/bin/clickhouse-server; return; fi
  # Single-binary installs (current releases): `clickhouse server`.
  if command -v clickhouse >/dev/null 2>&1; then echo "$(command -v clickhouse) server"; return; fi
  return 1
}

# Prints the answer of `SELECT 1` on the given HTTP port, or nothing.
http_select_one() {
  local port="$1"
  if command -v curl >/dev/null 2>&1; then
    curl -s --max-time 2 "http://127.0.0.1:${port}/?query=SELECT%201" 2>/dev/null || true
  else
    (
      exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 0
      printf 'GET /?query=SELECT%%201 HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
      timeout 2 cat <&3 | tail -n 1
    ) 2>/dev/null || true
  fi
}

is_up() {
  [ "$(http_select_one "$1" | tr -d '[:space:]')" = "1" ]
}

# The pid recorded for a server, if that process still runs our config (a recycled pid is ignored).
server_pid() {
  local name="$1" pidfile="$CLICKHOUSE_TEST_DIR/$1/pid" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$CLICKHOUSE_TEST_DIR/$name/config.xml" || return 1
  echo "$pid"
}
