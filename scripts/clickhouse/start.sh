#!/usr/bin/env bash
# Starts local ClickHouse servers for the tests and the benchmark: by default `one` (HTTP 8123, TCP 9000) and
# `two` (HTTP 8124, TCP 9001), which form the cluster `incident_cards_test`; pass names to start others
# (`spare`: HTTP 8125, `crash`: HTTP 8126). Configs come from scripts/clickhouse/config, data goes under $CLICKHOUSE_TEST_DIR
# (default $TMPDIR/incident-cards-clickhouse). Runs the binary directly as the current user, no systemd.
# A server already answering on its port is left alone.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

names=("$@")
[ ${#names[@]} -gt 0 ] || names=(one two)

if ! binary="$(clickhouse_binary)"; then
  echo "clickhouse-server not found (Debian: apt-get install clickhouse-server)" >&2
  exit 1
fi

read -r _ tcp_one _ <<<"${PORTS[one]}"
read -r _ tcp_two _ <<<"${PORTS[two]}"

start_one() {
  local name="$1" http tcp interserver root
  read -r http tcp interserver <<<"${PORTS[$name]}"
  root="$CLICKHOUSE_TEST_DIR/$name"
  if is_up "$http"; then
    echo "clickhouse $name: already running on http://127.0.0.1:$http"
    return
  fi
  mkdir -p "$root/log" "$root/data" "$root/tmp" "$root/user_files" "$root/format_schemas"
  sed -e "s#@ROOT@#$root#g" -e "s#@CONFIG_DIR@#$root#g" \
    -e "s#@HTTP_PORT@#$http#g" -e "s#@TCP_PORT@#$tcp#g" -e "s#@INTERSERVER_PORT@#$interserver#g" \
    -e "s#@TCP_PORT_1@#$tcp_one#g" -e "s#@TCP_PORT_2@#$tcp_two#g" \
    "$SCRIPT_DIR/config/server.xml" >"$root/config.xml"
  cp "$SCRIPT_DIR/config/users.xml" "$root/users.xml"
  # setsid: the server outlives the shell that started it (CI starts it before `npm test`).
  # shellcheck disable=SC2086
  setsid $binary --config-file="$root/config.xml" >>"$root/log/stdout.log" 2>&1 </dev/null &
  echo $! >"$root/pid"
}

for name in "${names[@]}"; do
  if [ -z "${PORTS[$name]:-}" ]; then
    echo "unknown server '$name' (known: ${!PORTS[*]})" >&2
    exit 2
  fi
  start_one "$name"
done

for name in "${names[@]}"; do
  read -r http tcp _ <<<"${PORTS[$name]}"
  for _ in $(seq 1 150); do
    is_up "$http" && break
    sleep 0.2
  done
  if ! is_up "$http"; then
    echo "clickhouse $name did not answer on port $http within 30 s; log: $CLICKHOUSE_TEST_DIR/$name/log" >&2
    tail -n 20 "$CLICKHOUSE_TEST_DIR/$name/log/server.err.log" "$CLICKHOUSE_TEST_DIR/$name/log/stdout.log" >&2 2>/dev/null || true
    exit 1
  fi
  pid="$(server_pid "$name" || echo '?')"
  echo "clickhouse $name: up on http://127.0.0.1:$http (tcp $tcp, pid $pid, data $CLICKHOUSE_TEST_DIR/$name)"
done
