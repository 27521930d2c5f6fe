#!/usr/bin/env bash
# Kafka benchmark. Not part of the test suite.
#  - throughput of a bounded read of SIZE events and latency of a live job at RATE events/s, through windowpane's
#    embedded broker (KafkaBench);
#  - a live job with checkpoints (the default) at LIVE_RATE events/s for LIVE_SECONDS against a broker process of its
#    own: sustained throughput, event -> row latency in the file and the topic, checkpoint duration and size, the time
#    to resume after kill -9, and an exactly-once check (LiveBench).
#
#   bench/kafka.sh                                   # all of it
#   SIZE=100000 RUNS=1 RATE=0 LIVE_RATE=0 bench/kafka.sh   # quick throughput check only
#   SIZE=0 RATE=0 LIVE_RATE=20000 bench/kafka.sh     # the live job with checkpoints only
SIZE="${SIZE:-1000000}"
RUNS="${RUNS:-3}"
RATE="${RATE:-2000}"
SECONDS_LIVE="${SECONDS_LIVE:-60}"
RUNNERS="${RUNNERS:-direct,flink}"
source "$(dirname "$0")/common.sh"
LIVE_RATE="${LIVE_RATE:-20000}"
LIVE_SECONDS="${LIVE_SECONDS:-60}"
if [ "$SIZE" != "0" ]; then
  java -cp "$CP" KafkaBench target/app.jar "$CP" bench/data "$SIZE" "$RUNS" "$RATE" "$SECONDS_LIVE" "$RUNNERS"
fi
if [ "$LIVE_RATE" != "0" ]; then
  java -Dlogback.configurationFile=bench/logback-bench.xml -cp "$CP" LiveBench target/app.jar bench/data \
    "$LIVE_RATE" "$LIVE_SECONDS" "$CP"
fi
