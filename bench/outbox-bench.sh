#!/usr/bin/env bash
# Edge agent outbox: disk bytes of a week offline at 1 Hz (120,000 batches of 5 samples = 600,000
# samples) and the replay rate once the broker is back (publisher stub that acknowledges at once).
# Usage: bench/outbox-bench.sh [batches] [empty folder on the disk to measure]   (default: a temp folder)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
batches="${1:-120000}"
if [[ $# -ge 2 ]]; then folder="$2"; mkdir -p "$folder"; own=""; else folder="$(mktemp -d)"; own=1; fi
mvn -B -q -pl edge-agent test-compile
cpfile="$(mktemp)"
mvn -B -q -pl edge-agent dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >/dev/null
java -cp "edge-agent/target/test-classes:edge-agent/target/classes:$(cat "$cpfile")" \
  org.labmeter.agent.bench.OutboxBench "$batches" "$folder"
rm -f "$cpfile"
if [[ -n "$own" ]]; then rm -rf "$folder"; fi
