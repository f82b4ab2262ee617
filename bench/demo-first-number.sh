#!/usr/bin/env bash
# Time from `./labmeter demo` to the first derived numbers, on a second start (build done, data present).
# Usage: bench/demo-first-number.sh [runs]   (uses its own data folder and ports 18080/11883/19000/18812)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-3}"
data="$(mktemp -d)/demo-data"
args=(--data-dir "$data" --api-port 18080 --mqtt-port 11883 --store-http-port 19000 --store-pg-port 18812)

run_once() {
  local log; log="$(mktemp)"
  local start; start=$(date +%s.%N)
  ./labmeter demo "${args[@]}" >"$log" 2>&1 &
  local pid=$!
  local secs=""
  for _ in $(seq 1 1800); do
    if grep -q 'First derived numbers' "$log"; then secs=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN{printf "%.1f", a-b}'); break; fi
    sleep 0.1
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # SIGTERM runs the same shutdown hook as Ctrl-C (a background job ignores SIGINT)
  pkill -TERM -f "LabMeterCli demo --data-dir $data" 2>/dev/null || true
  while pgrep -f "LabMeterCli demo --data-dir $data" >/dev/null; do sleep 0.2; done
  echo "${secs:-timeout}"
}

./labmeter build >/dev/null
echo "first start (creates keys, registry and one hour of history): $(run_once) s"
for i in $(seq 1 "$runs"); do
  echo "second start, run $i: $(run_once) s"
done
rm -rf "$(dirname "$data")"
