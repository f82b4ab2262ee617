#!/usr/bin/env bash
# One instrument-year at 1 Hz (31,536,000 samples) in the collector's embedded QuestDB, read back through
# metering-api's QuestDbSampleReader and derived by StateDeriver. The data are loaded once (ILP over HTTP,
# timed apart) and kept in the given folder, so later runs time only the read and the derivation; every run's
# result is checked against deriving the same samples generated in memory.
# The reader is in-process (QuestDB's own cursor, as `labmeter serve` reads its embedded store) unless the fourth
# argument is `wire` (PostgreSQL wire protocol, as against an external QuestDB).
# Usage: bench/derive-year.sh <data folder (about 2 GB free needed)> [runs=3] [max heap=6g] [in-process|wire]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ $# -lt 1 ]]; then echo "usage: $0 <data folder> [runs=3] [max heap=6g] [in-process|wire]" >&2; exit 2; fi
folder="$(mkdir -p "$1" && cd "$1" && pwd)"
runs="${2:-3}"
heap="${3:-6g}"
reader="${4:-in-process}"
mvn -B -q -pl metering-api test-compile
cpfile="$(mktemp)"; classes="$(mktemp -d)"
trap 'rm -rf "$cpfile" "$classes"' EXIT
mvn -B -q -pl metering-api dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >/dev/null
# A private copy of the classes, so that another build in this tree cannot pull them away mid-run.
cp -r metering-api/target/classes "$classes/main"; cp -r metering-api/target/test-classes "$classes/test"
java -Xms"$heap" -Xmx"$heap" -cp "$classes/test:$classes/main:$(cat "$cpfile")" \
  org.labmeter.metering.bench.DeriveYearBench "$folder" "$runs" "$reader"
echo "disk used by the data folder: $(du -sh "$folder" | cut -f1)"
