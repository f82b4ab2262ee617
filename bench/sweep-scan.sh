#!/usr/bin/env bash
# What one chain sweep costs as lm_batches grows: the sweep's reads unbounded by ts (as before) against
# ChainSweeper's first sweep (one scan bounded by ts) and its later sweeps (candidates from its UnverifiedLog),
# in the collector's embedded QuestDB. The data are loaded once (INSERT ... SELECT, timed apart) and kept in the
# given folder, so later runs time only the sweeps.
# Usage: bench/sweep-scan.sh <data folder> [days=30] [rows per day=1000000] [runs=3]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ $# -lt 1 ]]; then echo "usage: $0 <data folder> [days=30] [rows per day=1000000] [runs=3]" >&2; exit 2; fi
folder="$(mkdir -p "$1" && cd "$1" && pwd)"
mvn -B -q -pl collector -am install -DskipTests
mvn -B -q -pl collector test-compile
cpfile="$(mktemp)"; classes="$(mktemp -d)"
trap 'rm -rf "$cpfile" "$classes"' EXIT
mvn -B -q -pl collector dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >/dev/null
# A private copy of the classes, so that another build in this tree cannot pull them away mid-run.
cp -r collector/target/classes "$classes/main"; cp -r collector/target/test-classes "$classes/test"
java -Xmx2g -cp "$classes/test:$classes/main:$(cat "$cpfile")" \
  org.labmeter.collector.sweep.SweepScanBench "$folder" "${2:-30}" "${3:-1000000}" "${4:-3}"
echo "disk used by the data folder: $(du -sh "$folder" | cut -f1)"
