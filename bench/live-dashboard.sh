#!/usr/bin/env bash
# The live screens under load, against the collector's embedded QuestDB with a synthetic fleet whose every
# instrument reports (and changes) once a second:
#   1. single-instrument usage queries with wrk (1 h and 24 h windows, rate held near 200 req/s by bench/usage.lua);
#   2. /api/v1/fleet answer time for the whole fleet;
#   3. <clients> Server-Sent-Events clients on /api/v1/live, event age on arrival (p50/p99/max);
#   4. the dashboard with the whole fleet in headless Chromium (time until the table is filled).
# Needs wrk, chromium and chromium-driver (Debian packages).
# Usage: bench/live-dashboard.sh [instruments=1000] [sse clients=500] [sse seconds=30] [parts=usage,fleet,live,page]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
instruments="${1:-1000}"; clients="${2:-500}"; seconds="${3:-30}"; parts="${4:-usage,fleet,live,page}"
for tool in wrk /usr/bin/chromium /usr/bin/chromedriver; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install wrk chromium chromium-driver)" >&2; exit 1; }
done
mvn -B -q -pl metering-api test-compile
work="$(mktemp -d)"; cpfile="$work/cp"
mvn -B -q -pl metering-api dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >/dev/null
# A private copy of the classes, so that another build in this tree cannot pull them away mid-run.
cp -r metering-api/target/classes "$work/main"; cp -r metering-api/target/test-classes "$work/test"
cp="$work/test:$work/main:$(cat "$cpfile")"
java -Xmx3g -cp "$cp" org.labmeter.metering.bench.LiveBenchServer "$work/data" "$instruments" 20 24 >"$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do [ -s "$work/data/port" ] && break; kill -0 "$server" || { cat "$work/server.log"; exit 1; }; sleep 0.5; done
base="http://127.0.0.1:$(cat "$work/data/port")"
auth="Authorization: Bearer $(cat "$work/data/token")"
grep -E "loaded|API on" "$work/server.log"
sleep 5 # let the hub see every instrument once
if [[ ,$parts, == *,usage,* ]]; then
echo "== warm-up: 10 s of the same load, not reported (fills the sample cache of the queried instruments)"
wrk -t2 -c20 -d10s -H "$auth" -s bench/usage.lua "$base" -- 86400 100 20 >/dev/null
echo "== usage queries, 1 h window (20 connections, 100 ms pause each: about 200 req/s offered)"
wrk -t2 -c20 -d30s --latency -H "$auth" -s bench/usage.lua "$base" -- 3600 100 20 | grep -E "Latency|50%|90%|99%|achieved|Requests/sec"
echo "== usage queries, 24 h window (same offered rate)"
wrk -t2 -c20 -d30s --latency -H "$auth" -s bench/usage.lua "$base" -- 86400 100 20 | grep -E "Latency|50%|90%|99%|achieved|Requests/sec"
fi
if [[ ,$parts, == *,fleet,* ]]; then
echo "== /api/v1/fleet with $instruments instruments (5 requests)"
for i in 1 2 3 4 5; do curl -s -H "$auth" -o /dev/null -w "  %{time_total} s, %{size_download} bytes\n" "$base/api/v1/fleet"; done
fi
if [[ ,$parts, == *,live,* ]]; then
echo "== live feed: $clients clients, $seconds s"
java -Xmx2g -cp "$cp" org.labmeter.metering.bench.LiveLoadClient "$base" "$clients" "$seconds" "$(cat "$work/data/token")"
fi
if [[ ,$parts, == *,page,* ]]; then
echo "== dashboard with $instruments instruments in headless Chromium"
java -cp "$cp" org.labmeter.metering.bench.FleetPageBench "$base" 5 "$(cat "$work/data/token")"
fi
