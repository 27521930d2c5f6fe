#!/usr/bin/env bash
# Kafka benchmark: throughput of a bounded read of SIZE events and latency of a live job at RATE events/s, through
# windowpane's embedded broker. Not part of the test suite.
#
#   bench/kafka.sh                                   # 1M events, 3 runs, direct and flink; latency at 2,000/s for 60 s
#   SIZE=100000 RUNS=1 RATE=0 bench/kafka.sh         # quick throughput check only
SIZE="${SIZE:-1000000}"
RUNS="${RUNS:-3}"
RATE="${RATE:-2000}"
SECONDS_LIVE="${SECONDS_LIVE:-60}"
RUNNERS="${RUNNERS:-direct,flink}"
source "$(dirname "$0")/common.sh"
java -cp "$CP" KafkaBench target/app.jar "$CP" bench/data "$SIZE" "$RUNS" "$RATE" "$SECONDS_LIVE" "$RUNNERS"
