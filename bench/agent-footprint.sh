#!/usr/bin/env bash
# Edge agent footprint: 8 Modbus TCP meters polled at 1 Hz, publishing to a local Mosquitto, in -Xmx32m.
# Reports the agent's CPU share of one core and its resident memory over the measured period.
# Usage: bench/agent-footprint.sh [seconds=600]     (needs mosquitto and python3-pymodbus)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
secs="${1:-600}"
work="$(mktemp -d)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
modbus_port=$(free_port); mqtt_port=$(free_port)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

./labmeter build >/dev/null
/usr/bin/python3 edge-agent/src/test/resources/emulators/energy_meter_tcp.py "$modbus_port" >"$work/modbus.log" 2>&1 &
pids+=($!)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$mqtt_port" >"$work/mosquitto.conf"
/usr/sbin/mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
pids+=($!)

{
  printf 'agent:\n  id: bench-agent\n  dataDir: %s/data\nmqtt:\n  uri: tcp://127.0.0.1:%s\n  password: unused\n' "$work" "$mqtt_port"
  printf 'instruments:\n'
  for i in 1 2 3 4 5 6 7 8; do
    printf '  - id: meter-%s\n    source:\n      type: modbus\n      transport: tcp\n      host: 127.0.0.1\n      port: %s\n      unitId: 1\n      profile: eastron-sdm120\n      periodMillis: 1000\n' "$i" "$modbus_port"
  done
} >"$work/agent.yaml"
sleep 2

java -Xmx32m -XX:+UseSerialGC -cp "launcher/target/labmeter-launcher.jar:launcher/target/lib/*" \
  org.labmeter.launcher.LabMeterCli agent run --config "$work/agent.yaml" >"$work/agent.log" 2>&1 &
agent=$!
pids+=($agent)
sleep 30   # start-up and JIT warm-up are not part of the steady state
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$agent/stat"; }
t0=$(ticks); s0=$(date +%s.%N)
sleep "$secs"
kill -0 "$agent" || { echo "agent died:"; tail -20 "$work/agent.log"; exit 1; }
t1=$(ticks); s1=$(date +%s.%N)
rss=$(awk '/VmRSS/ {print $2}' "/proc/$agent/status")
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$agent/status")
awk -v t0="$t0" -v t1="$t1" -v s0="$s0" -v s1="$s1" -v hz="$hz" -v rss="$rss" -v hwm="$hwm" 'BEGIN {
  el = s1 - s0; cpu = (t1 - t0) / hz;
  printf "8 Modbus TCP meters at 1 Hz, -Xmx32m, %.0f s measured: CPU %.2f s = %.2f%% of one core; RSS %.0f MiB (peak %.0f MiB)\n",
    el, cpu, 100 * cpu / el, rss / 1024, hwm / 1024 }'
grep -cE 'OutOfMemory' "$work/agent.log" | sed 's/^/OutOfMemoryError lines in the agent log: /'
grep -E 'ERROR' "$work/agent.log" | head -5 || true
