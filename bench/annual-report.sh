#!/usr/bin/env bash
# The annual report of a facility of 24,000 instruments served from the ledger (H2 file): fills the ledger once
# with 24,000 instruments x 365 days (kept in the given folder), then times ReportService.facility and
# GET /api/v1/facilities/:id/report end to end; every run's total is checked against the same sum worked out
# apart. Target: <= 2 s per report.
# Usage: bench/annual-report.sh <data folder (about 4 GB free needed)> [runs=5] [max heap=2g]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [[ $# -lt 1 ]]; then echo "usage: $0 <data folder> [runs=5] [max heap=2g]" >&2; exit 2; fi
folder="$(mkdir -p "$1" && cd "$1" && pwd)"
runs="${2:-5}"
heap="${3:-2g}"
mvn -B -q -pl metering-api test-compile
cpfile="$(mktemp)"; classes="$(mktemp -d)"
trap 'rm -rf "$cpfile" "$classes"' EXIT
mvn -B -q -pl metering-api dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >/dev/null
# A private copy of the classes, so that another build in this tree cannot pull them away mid-run.
cp -r metering-api/target/classes "$classes/main"; cp -r metering-api/target/test-classes "$classes/test"
java -Xmx"$heap" -cp "$classes/test:$classes/main:$(cat "$cpfile")" \
  org.labmeter.metering.bench.AnnualReportBench "$folder" "$runs"
echo "disk used by the data folder: $(du -sh "$folder" | cut -f1)"
