package io.windowpane;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.pipeline.ResultRow;
import io.windowpane.testing.JsonLines;
import io.windowpane.testing.Rows;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submits the packaged jar's job to a Flink cluster in another JVM (loopback) with
 * {@code --agg.runner-args=--flinkMaster=...}. The cluster has Flink and nothing else on its classpath, so the
 * job only runs if windowpane stages its own classes and libraries to it. Its file outputs are Beam's shards
 * ({@code agg.output.layout=auto}).
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
  void streamAndBatchJobsRunOnARemoteClusterAndWriteShards() throws Exception {
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

    String master = "--agg.runner-args=--flinkMaster=127.0.0.1:" + port;

    // Stream: the seed scenario; on a remote cluster files are Beam's shards, one per window and pane.
    Path streamOut = Files.createDirectories(dir.resolve("stream"));
    // Run from the executable jar itself (no fast-start cache): its nested libraries must be unpacked and staged.
    String log = runApp(java, "stream", Map.of("WINDOWPANE_CACHE", "off"),
        "--agg.output.path=" + streamOut.resolve("rows.jsonl"), master);
    assertThat(log).contains("Staging the executable jar's classes");
    assertThat(rows(streamOut, "rows-*.jsonl")).containsExactlyInAnyOrder(Rows.seedScenarioAccumulating());

    // Batch at parallelism 2: two shards of results and two of dead letters, renamed into place when complete.
    Path input = Files.writeString(dir.resolve("events.jsonl"),
        "{\"user_id\": \"u1\", \"amount\": 20, \"event_time\": \"2026-01-08T10:00:05Z\"}\n"
            + "{\"user_id\": \"u2\", \"amount\": 8, \"event_time\": \"2026-01-08T10:00:35Z\"}\n"
            + "{\"user_id\": \"u1\", \"amount\": 15, \"event_time\": \"2026-01-08T10:00:20Z\"}\n"
            + "not json\n");
    Path batchOut = Files.createDirectories(dir.resolve("batch"));
    // Run from the fast-start cache's extracted jar (the default): Beam stages its plain class path by itself.
    String batchLog = runApp(java, "batch", Map.of(), "--agg.mode=batch", "--agg.batch.input=" + input,
        "--agg.output.path=" + batchOut.resolve("results.jsonl"), master + ",--parallelism=2",
        "--agg.output.diagram-path=" + dir.resolve("batch-panes.html"));
    try (var files = Files.list(batchOut)) {
      assertThat(files.map(file -> file.getFileName().toString()).sorted()).containsExactly(
          "results-00000-of-00002.jsonl", "results-00000-of-00002.jsonl.invalid",
          "results-00001-of-00002.jsonl", "results-00001-of-00002.jsonl.invalid");
    }
    assertThat(rows(batchOut, "results-*.jsonl")).containsExactlyInAnyOrder(
        Rows.row("u1", 2, 35.0, 0, "ON_TIME", 0, true, true),
        Rows.row("u2", 1, 8.0, 0, "ON_TIME", 0, true, true));
    assertThat(lines(batchOut, "results-*.jsonl.invalid")).singleElement().asString().contains("not json");
    assertThat(batchLog).doesNotContain("Staging the executable jar's classes").contains("windowpane-cache");
    // The workers cannot report to the page: the diagram file draws the rows read back from the shards.
    String diagram = Files.readString(dir.resolve("batch-panes.html"));
    assertThat(diagram).contains("runs on a remote cluster").contains("ON_TIME 2 / 35").contains("ON_TIME 1 / 8");
  }

  /** Runs the packaged jar against the cluster, expecting exit 0; returns its log. */
  private String runApp(String java, String name, Map<String, String> env, String... args) throws Exception {
    Path appTmp = Files.createDirectories(dir.resolve(name + "-tmp"));
    Path appLog = dir.resolve(name + ".log");
    List<String> command = new java.util.ArrayList<>(List.of(java, "-Djava.io.tmpdir=" + appTmp, "-jar",
        Path.of("target", "app.jar").toAbsolutePath().toString(),
        "--agg.runner=flink", "--agg.exit-when-done=true", "--server.port=0"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(appLog.toFile());
    builder.environment().putAll(env);
    Process app = builder.start();
    assertThat(app.waitFor(180, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(appLog);
    assertThat(app.exitValue()).as(log).isZero();
    return log;
  }

  private static List<ResultRow> rows(Path folder, String glob) throws Exception {
    return JsonLines.rows(String.join("\n", lines(folder, glob)));
  }

  private static List<String> lines(Path folder, String glob) throws Exception {
    List<String> lines = new java.util.ArrayList<>();
    try (var files = Files.newDirectoryStream(folder, glob)) {
      for (Path file : files) {
        lines.addAll(Files.readAllLines(file));
      }
    }
    return lines;
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
