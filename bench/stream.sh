#!/usr/bin/env bash
# Stream-mode benchmark: a generated scenario of EVENTS events (default 100000) through the TestStream source.
#   bench/stream.sh                    # default runner
#   EVENTS=20000 bench/stream.sh --agg.runner=flink
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS="${EVENTS:-100000}"
[ -f target/app.jar ] || ./mvnw -q -B package -DskipTests
mkdir -p bench/target/classes bench/data
javac -d bench/target/classes bench/GenerateScenario.java
SCENARIO="bench/data/scenario-$EVENTS.yml"
[ -f "$SCENARIO" ] || java -cp bench/target/classes GenerateScenario "$EVENTS" "$SCENARIO"
start=$(date +%s.%N)
java -jar target/app.jar --agg.stream.scenario="$SCENARIO" --agg.output.path=bench/data/stream-out.jsonl \
  --agg.exit-when-done=true --server.port=0 "$@" 2> bench/data/stream.log
end=$(date +%s.%N)
grep "Job DONE" bench/data/stream.log | sed 's/.*: Job/Job/'
awk -v s="$start" -v e="$end" -v n="$EVENTS" 'BEGIN { printf "whole process: %.1f s, %.0f events/s\n", e - s, n / (e - s) }'
