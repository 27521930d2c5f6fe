# Shared set-up of the benchmark scripts (sourced): builds target/app.jar if missing, compiles bench/*.java
# against the project's Jackson, and sets CP to that classpath.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -f target/app.jar ] || ./mvnw -q -B package -DskipTests
mkdir -p bench/target
./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=bench/target/classpath.txt \
  -Dmdep.includeArtifactIds=jackson-core,jackson-databind,jackson-annotations >/dev/null
CP="bench/target/classes:$(cat bench/target/classpath.txt)"
javac -d bench/target/classes -cp "$CP" bench/*.java
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; $(java -version 2>&1 | head -1)" >&2
