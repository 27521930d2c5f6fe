#!/usr/bin/env bash
# Small input stays fast: the seed batch job (`java -jar target/app.jar --agg.mode=batch --agg.exit-when-done=true`),
# end to end, RUNS times (default 15), rows checked against the plain-Java reference every run. Not part of the tests.
#
#   bench/start.sh                                # target/app.jar
#   RUNS=20 OTHER_JAR=/tmp/before/app.jar bench/start.sh   # two builds alternately, with paired differences
#
# Give each jar its own folder (/tmp/before/app.jar): the fast-start cache is kept per jar location. The first start
# of a jar extracts it and writes its class-data archive, and is not counted.
RUNS="${RUNS:-15}"
source "$(dirname "$0")/common.sh"
java -cp "$CP" StartBench target/app.jar "$CP" bench/data "$RUNS" "${OTHER_JAR:-}"
