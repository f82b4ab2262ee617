#!/usr/bin/env bash
# Collector fuzz run: mutated MQTT frames through the real decoder and connection handler (in-memory
# channel, paranoid buffer-leak detection), and mutated envelopes through the codec and the verifier.
# Fails on any exception that escapes, any buffer leak, or any altered envelope that is stored or accepted.
# Usage: bench/collector-fuzz.sh [seconds=600] [seed=random]
# The seed is printed; rerun with the same seed to replay a failure (the time budget changes only
# how far the run gets, not what it feeds).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
secs="${1:-600}"
seed="${2:-$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')}"
echo "collector fuzz: ${secs} s, seed ${seed}"
mvn -B -q -pl collector -am test \
  -Dtest=CollectorFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfuzz.seconds="$secs" -Dfuzz.seed="$seed"
echo "collector fuzz: passed (seed ${seed})"
