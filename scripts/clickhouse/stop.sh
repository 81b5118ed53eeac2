#!/usr/bin/env bash
# Stops the local ClickHouse servers start.sh started (by their recorded pids; default: all of them) and
# keeps their data dirs. `--clean` also removes $CLICKHOUSE_TEST_DIR.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

clean=0
names=()
for arg in "$@"; do
  if [ "$arg" = "--clean" ]; then clean=1; else names+=("$arg"); fi
done
[ ${#names[@]} -gt 0 ] || names=("${!PORTS[@]}")

for name in "${names[@]}"; do
  if ! pid="$(server_pid "$name")"; then
    continue
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$CLICKHOUSE_TEST_DIR/$name/pid"
  echo "clickhouse $name: stopped (pid $pid)"
done

if [ "$clean" = 1 ]; then rm -rf "$CLICKHOUSE_TEST_DIR"; fi
