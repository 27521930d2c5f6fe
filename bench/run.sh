#!/usr/bin/env bash
# windowpane's batch benchmark against a plain-Java reference. Not part of the test suite.
#
#   bench/run.sh                      # 1M and 10M events, 3 runs each, default runner
#   RUNS=5 SIZES=1000000 bench/run.sh # other sizes / run counts
#   bench/run.sh --agg.runner=flink   # extra arguments go to windowpane
#
# Needs only Java 17: builds target/app.jar with ./mvnw if missing, compiles bench/*.java against the project's
# Jackson, generates the seeded workload into bench/data/ (about 85 MB per million events; git-ignored).
SIZES="${SIZES:-1000000,10000000}"
RUNS="${RUNS:-3}"
source "$(dirname "$0")/common.sh"
FLOOR_CP="$FLOOR_CP" java -cp "$CP" Bench target/app.jar "$CP" bench/data "$SIZES" "$RUNS" "$@"
# Your own events (docs/spec.md section 14): the same 1M events as tutorial JSON, nested JSON and CSV, each under its
# mapping, checked equal (bench/shapes.sh runs only this)
if [[ ",$SIZES," == *",1000000,"* ]]; then
  java -cp "$CP" ShapesBench target/app.jar bench/data/events-1000000.jsonl bench/data "$RUNS" "$@"
fi
