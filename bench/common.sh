# Shared set-up of the benchmark scripts (sourced): builds target/app.jar if missing, compiles bench/*.java
# against the project's own classes and libraries (Jackson, Kafka's clients and broker), and sets CP to that classpath.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -f target/app.jar ] || ./mvnw -q -B package -DskipTests
mkdir -p bench/target
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=bench/target/classpath.txt \
  -Dmdep.includeScope=runtime >/dev/null
# DuckDB (the "what a user would pick instead" line) and the plain-Java floor (bench/floor, a copy of the floor program
# the project was given)
./mvnw -q -B dependency:copy -Dartifact=org.duckdb:duckdb_jdbc:1.4.4.0 -DoutputDirectory=bench/target/lib >/dev/null
CP="bench/target/classes:target/classes:target/test-classes:$(cat bench/target/classpath.txt):bench/target/lib/duckdb_jdbc-1.4.4.0.jar"
javac -d bench/target/classes -cp "$CP" bench/*.java
FLOOR_CP=""
if [ -f bench/floor/Baseline.java ]; then
  javac -d bench/target/floor bench/floor/Baseline.java && FLOOR_CP="bench/target/floor"
fi
echo "machine: $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; $(java -version 2>&1 | head -1)" >&2
