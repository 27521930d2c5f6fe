#!/usr/bin/env bash
# The same 1M events as the tutorial's JSON Lines, nested JSON and CSV (docs/spec.md section 14): windowpane's wall
# time for each shape, and its ratio to the tutorial's. Not part of the test suite.
#
#   bench/shapes.sh                   # 1M events, 3 runs each
#   SIZE=200000 RUNS=5 bench/shapes.sh
SIZE="${SIZE:-1000000}"
RUNS="${RUNS:-3}"
source "$(dirname "$0")/common.sh"
EVENTS="bench/data/events-$SIZE.jsonl"
[ -f "$EVENTS" ] || java -cp "$CP" GenerateEvents "$SIZE" "$EVENTS"
java -cp "$CP" ShapesBench target/app.jar "$EVENTS" bench/data "$RUNS" "$@"
