#!/usr/bin/env bash
# Fleet ingest benchmark: one MQTT connection per simulated agent, pre-signed 10-sample batches at a
# constant offered rate, into the collector + embedded QuestDB (or into Mosquitto for comparison).
# Collector and load generator run in separate JVMs on the same machine.
#
# Usage:
#   bench/fleet-ingest.sh collector RATE SECONDS [AGENTS]   sustained rate, every batch verified and stored
#     (LOAD_ARGS="--window 30-60" adds a latency report for seconds 30-60 of the run,
#      LOAD_ARGS=--timeline one line per second: acks, p50, p99, max;
#      SERVE_ARGS=--write-behind acknowledges once fsync'd to the spool and writes the store behind it;
#      in outage mode SERVE_ARGS="--replay-max-rate N" paces the spool's replay)
#   bench/fleet-ingest.sh mosquitto RATE SECONDS [AGENTS]   the same load into Mosquitto, one QoS 1 subscriber
#   bench/fleet-ingest.sh idle AGENTS                       heap of the collector with AGENTS idle connections
#   bench/fleet-ingest.sh outage RATE OUTAGE_SECONDS [AGENTS]  store down for OUTAGE_SECONDS under load
#     (SERVE_ARGS="--spool-max-mb N" for a spool larger than the default 1 GiB; LOAD_ARGS as above, for
#      example "--timeline --window 180-240" for the drain alone)
# Batch files are kept under target/bench-fleet and reused by later runs of the same shape.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode="${1:?mode: collector|mosquitto|idle|outage}"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
./labmeter build >/dev/null
CP="launcher/target/labmeter-launcher.jar:launcher/target/lib/*"
CLI=(java -cp "$CP" org.labmeter.launcher.LabMeterCli)
work="target/bench-fleet"
mkdir -p "$work"
run="$(mktemp -d "$work/run.XXXX")"
pids=()
cleanup() {
  exec 3>&- 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP_RUN:-}" ] && echo "kept $run" >&2 || rm -rf "$run"
}
trap cleanup EXIT

prepare() { # rate seconds agents -> batch file path
  local rate=$1 seconds=$2 agents=$3
  local per=$(( (rate * seconds + agents - 1) / agents ))
  local f n
  for f in "$work"/batches-"${agents}"x*.bin; do # reuse a file long enough for this run
    [ -f "$f" ] || continue
    n=${f##*x}; n=${n%.bin}
    if [ "$n" -ge "$per" ]; then echo "$f"; return; fi
  done
  local file="$work/batches-${agents}x${per}.bin"
  "${CLI[@]}" bench-fleet prepare --agents "$agents" --batches-per-agent "$per" --file "$file" >&2
  echo "$file"
}

start_server() { # agents ["--spool OTHER-ARGS"] (one word-split argument)
  mkfifo "$run/ctl"
  java ${SERVE_JAVA_OPTS:--Xmx1g} -cp "$CP" org.labmeter.launcher.LabMeterCli bench-fleet serve \
    --agents "$1" --data "$run/data" ${2:-} <"$run/ctl" >"$run/serve.log" 2>&1 &
  pids+=($!)
  exec 3>"$run/ctl"
  for _ in $(seq 600); do grep -q '^READY' "$run/serve.log" && break; sleep 0.5; done
  grep -E '^(VERIFY|READY)' "$run/serve.log"
  port=$(grep -o 'READY port=[0-9]*' "$run/serve.log" | cut -d= -f2)
}

ask() { # command -> its answer line
  local before; before=$(grep -c "^${2}" "$run/serve.log" || true)
  echo "$1" >&3
  for _ in $(seq 600); do
    [ "$(grep -c "^${2}" "$run/serve.log" || true)" -gt "$before" ] && break; sleep 0.2
  done
  grep "^${2}" "$run/serve.log" | tail -1
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(java -version 2>&1 | head -1)"
case "$mode" in
  collector)
    rate=$2 seconds=$3 agents=${4:-1000}
    file=$(prepare "$rate" "$seconds" "$agents")
    start_server "$agents" "${SERVE_ARGS:-}"
    "${CLI[@]}" bench-fleet load --port "$port" --agents "$agents" --rate "$rate" --seconds "$seconds" --file "$file" ${LOAD_ARGS:-}
    ask count COUNT
    ask quit QUIT >/dev/null ;;
  mosquitto)
    rate=$2 seconds=$3 agents=${4:-1000}
    file=$(prepare "$rate" "$seconds" "$agents")
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    cat >"$run/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 1000000
max_inflight_messages 1000
CONF
    mosquitto -c "$run/mosquitto.conf" >"$run/mosquitto.log" 2>&1 &
    pids+=($!)
    sleep 1
    echo "mosquitto $(mosquitto -h 2>&1 | head -1 | grep -o 'version [0-9.]*')"
    "${CLI[@]}" bench-fleet load --port "$port" --agents "$agents" --rate "$rate" --seconds "$seconds" \
      --file "$file" --no-credentials --drain-subscriber ;;
  idle)
    agents=${2:-10000}
    start_server "$agents"
    ask heap HEAP | sed 's/^HEAP/HEAP before connections:/'
    "${CLI[@]}" bench-fleet load --port "$port" --agents "$agents" --rate 0 --hold 60 >"$run/load.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1200); do grep -q '^CONNECTED' "$run/load.log" && break; sleep 0.5; done
    grep '^CONNECTED' "$run/load.log"
    ask stats STATS
    ask heap HEAP | sed "s/^HEAP/HEAP with $agents idle agents:/"
    ask quit QUIT >/dev/null ;;
  outage)
    rate=$2 outage=$3 agents=${4:-1000}
    before=${BEFORE_SECONDS:-60} after=$(( outage * 2 / 3 + 120 ))
    seconds=$(( before + outage + after ))
    file=$(prepare "$rate" "$seconds" "$agents")
    start_server "$agents" "--spool ${SERVE_ARGS:-}"
    "${CLI[@]}" bench-fleet load --port "$port" --agents "$agents" --rate "$rate" --seconds "$seconds" \
      --file "$file" --window "0-$before" --window "$before-$(( before + outage ))" \
      --window "$(( before + outage ))-$seconds" ${LOAD_ARGS:-} >"$run/load.log" 2>&1 &
    load=$!
    pids+=($load)
    for _ in $(seq 1200); do grep -q '^offering' "$run/load.log" && break; sleep 0.5; done
    sleep "$before"; ask store-down STORE-DOWN; echo "store down at ${before}s"
    step=$(( outage < 60 ? outage : 60 ))
    for ((t = 0; t < outage; t += step)); do sleep "$step"; ask stats STATS; done
    ask store-up STORE-UP; echo "store up at $(( before + outage ))s"
    while kill -0 "$load" 2>/dev/null; do sleep 10; ask stats STATS; done
    cat "$run/load.log"
    ask count COUNT
    ask quit QUIT >/dev/null ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
