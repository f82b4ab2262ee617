#!/usr/bin/env bash
# Derivation engine throughput on one thread: JMH over StateDeriver.derive on a realistic 1 Hz series
# (one day and thirty days, several runs per hour, dips, blips, gaps). Scores are samples per second.
# Usage: bench/derive-throughput.sh [extra JMH options, e.g. -wi 1 -i 3]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -q -pl metering-api test-compile
cpfile="$(mktemp)"; classes="$(mktemp -d)"
trap 'rm -rf "$cpfile" "$classes"' EXIT
mvn -B -q -pl metering-api dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >/dev/null
# A private copy of the classes, so that another build in this tree cannot pull them away mid-run.
cp -r metering-api/target/classes "$classes/main"; cp -r metering-api/target/test-classes "$classes/test"
java -cp "$classes/test:$classes/main:$(cat "$cpfile")" \
  org.openjdk.jmh.Main 'org.labmeter.metering.bench.DeriveBenchmark' "$@"
