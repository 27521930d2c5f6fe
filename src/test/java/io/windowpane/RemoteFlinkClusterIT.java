package io.windowpane;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.testing.JsonLines;
import io.windowpane.testing.Rows;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submits the packaged jar's job to a Flink cluster in another JVM (loopback) with
 * {@code --agg.runner-args=--flinkMaster=...}. The cluster has Flink and nothing else on its classpath, so the
 * job only runs if windowpane stages its own classes and libraries to it.
 */
class RemoteFlinkClusterIT {

  @TempDir Path dir;
  private Process cluster;

  @AfterEach
  void stopCluster() {
    if (cluster != null) {
      cluster.destroyForcibly();
    }
  }

  @Test
  void seedScenarioRunsOnARemoteClusterWithTheSpecifiedRows() throws Exception {
    String flinkOnly = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> entry.endsWith("test-classes") || isFlinkClusterJar(entry))
        .collect(Collectors.joining(File.pathSeparator));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path clusterLog = dir.resolve("cluster.log");
    // The cluster is killed at the end, so its temporary files (RPC jar, minicluster_*, io and blob folders) go into
    // the test's own folder rather than the system temp directory.
    Path clusterTmp = Files.createDirectories(dir.resolve("cluster-tmp"));
    cluster = new ProcessBuilder(java, "-Xmx512m", "-Djava.io.tmpdir=" + clusterTmp, "-cp", flinkOnly,
        "io.windowpane.testing.FlinkTestCluster")
        .redirectErrorStream(true).redirectOutput(clusterLog.toFile()).start();
    int port = restPort(cluster, clusterLog);

    Path out = dir.resolve("rows.jsonl");
    Path appTmp = Files.createDirectories(dir.resolve("app-tmp"));
    Process app = new ProcessBuilder(java, "-Djava.io.tmpdir=" + appTmp, "-jar",
        Path.of("target", "app.jar").toAbsolutePath().toString(),
        "--agg.runner=flink", "--agg.exit-when-done=true", "--server.port=0", "--agg.output.path=" + out,
        "--agg.runner-args=--flinkMaster=127.0.0.1:" + port)
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("app.log").toFile()).start();
    assertThat(app.waitFor(180, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(dir.resolve("app.log"));
    assertThat(app.exitValue()).as(log).isZero();
    assertThat(log).contains("Staging the executable jar's classes");
    assertThat(JsonLines.rows(out)).containsExactlyInAnyOrder(Rows.seedScenarioAccumulating());
  }

  /** Flink and its own dependencies, but no Beam, Spring or application classes. */
  private static boolean isFlinkClusterJar(String entry) {
    List<String> cluster = List.of("/org/apache/flink/", "/com/esotericsoftware/", "/org/apache/commons/",
        "/commons-", "/org/slf4j/", "/ch/qos/logback/", "/org/snakeyaml/", "/com/twitter/", "/org/javassist/",
        "/org/lz4/", "/org/xerial/", "/com/google/code/findbugs/", "/tools/profiler/", "/org/objenesis/");
    return !entry.contains("/org/apache/beam/") && cluster.stream().anyMatch(entry::contains);
  }

  /** The cluster logs a lot: it writes to a file (a full pipe would block it), polled for its REST port. */
  private static int restPort(Process cluster, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && cluster.isAlive()) {
      for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
        if (line.startsWith("REST ")) {
          return Integer.parseInt(line.substring(5).trim());
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the Flink test cluster did not start: " + Files.readString(log,
        StandardCharsets.ISO_8859_1));
  }
}
