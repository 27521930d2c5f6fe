package io.windowpane;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.pipeline.ResultRow;
import com.fasterxml.jackson.databind.JsonNode;
import io.windowpane.testing.Actuator;
import io.windowpane.testing.Await;
import io.windowpane.testing.FlinkStandaloneCluster;
import io.windowpane.testing.JarProcess;
import io.windowpane.testing.JsonLines;
import io.windowpane.testing.KafkaTestBroker;
import io.windowpane.testing.LiveProducer;
import io.windowpane.testing.Rows;
import io.windowpane.testing.WindowTotals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submits the packaged jar's job to a Flink session cluster of separate JVMs on loopback (a job manager and two task
 * managers) with {@code --agg.runner-args=--flinkMaster=...}. The cluster has Flink and nothing else on its
 * classpath, so the job only runs if windowpane stages its own classes and libraries to it. A bounded job's file
 * outputs are Beam's shards ({@code agg.output.layout=auto}); a live job survives the loss of a task manager.
 */
class RemoteFlinkClusterIT {

  private static final long WINDOW_MILLIS = 5_000;

  @TempDir static Path clusterDir;
  private static FlinkStandaloneCluster cluster;
  @TempDir Path dir;
  private KafkaTestBroker kafka;
  private LiveProducer producer;
  private JarProcess app;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = FlinkStandaloneCluster.start(clusterDir, 2, 2);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @AfterEach
  void stop() throws Exception {
    if (producer != null) {
      producer.close();
    }
    if (app != null) {
      app.destroyGroup();
    }
    if (kafka != null) {
      kafka.close();
    }
    cluster.awaitTaskManagers(2); // whole again for the next test
  }

  @Test
  void streamAndBatchJobsRunOnARemoteClusterAndWriteShards() throws Exception {
    int port = cluster.restPort();

    String master = "--agg.runner-args=--flinkMaster=127.0.0.1:" + port;

    // Stream: the seed scenario; on a remote cluster files are Beam's shards, one per window and pane.
    Path streamOut = Files.createDirectories(dir.resolve("stream"));
    // Run from the executable jar itself (no fast-start cache): its nested libraries must be unpacked and staged.
    String log = runApp("stream", Map.of("WINDOWPANE_CACHE", "off"),
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
    String batchLog = runApp("batch", Map.of(), "--agg.mode=batch", "--agg.batch.input=" + input,
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

  /**
   * A live job on a cluster of two task managers, one of them killed with SIGKILL mid-job (a lost host): Flink
   * restarts the job from its newest checkpoint (on the task manager left and a replacement), and nothing is lost
   * or doubled in the output topic (read_committed) or the results file. Checkpoints go to a folder every JVM can
   * reach (file://).
   */
  @Test
  void aLiveJobLosesATaskManagerAndCountsEveryEventOnce() throws Exception {
    kafka = new KafkaTestBroker();
    kafka.createTopic("remote-in", 2);
    kafka.createTopic("remote-out", 2);
    Path checkpoints = dir.resolve("checkpoints");
    Path out = dir.resolve("out/rows.jsonl");
    List<String> args = List.of("--agg.stream.source=kafka",
        "--agg.kafka.input-topic=remote-in", "--agg.kafka.output-topic=remote-out",
        "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(), "--spring.kafka.consumer.group-id=remote",
        "--agg.window.size=5s", "--agg.trigger.accumulation=discarding", "--agg.output.path=" + out,
        "--agg.checkpoint.dir=" + checkpoints.toUri(), "--agg.checkpoint.interval=2s", "--agg.runner=flink",
        "--agg.runner-args=--flinkMaster=127.0.0.1:" + cluster.restPort() + ",--parallelism=2", "--server.port=0");
    app = JarProcess.start(dir, dir.resolve("live.log"), args);
    Await.until("the job's first checkpoint", Duration.ofSeconds(180),
        () -> Await.checkpointCompletedAfter(checkpoints, Instant.EPOCH));
    long seed = System.nanoTime();
    System.out.println("RemoteFlinkClusterIT: producer seed " + seed);
    producer = new LiveProducer(kafka.bootstrapServers(), "remote-in", 2, 300, seed);
    producer.start();

    // mid-stream: the job has read and checkpointed some of the stream, and the producer goes on
    Await.until("a checkpoint with part of the stream", Duration.ofSeconds(90),
        () -> producer.acknowledged() >= 600 && kafka.committedTotal("remote", "remote-in") > 0);
    cluster.killTaskManager(0);
    Instant killed = Instant.now();
    cluster.startTaskManager(); // as a supervisor would: the job restarts at once on the one left
    Actuator rest = Actuator.anonymous(cluster.restPort());
    Await.until("the job restored from its checkpoint", Duration.ofSeconds(90), () -> {
      for (JsonNode job : rest.json("/jobs/overview").path("jobs")) {
        if ("RUNNING".equals(job.path("state").asText())) { // the cluster also lists the other test's ended jobs
          JsonNode restored = rest.json("/jobs/" + job.path("jid").asText() + "/checkpoints").path("latest")
              .path("restored");
          return !restored.isMissingNode() && !restored.isNull();
        }
      }
      return false;
    });
    Await.until("a checkpoint after the failover", Duration.ofSeconds(90),
        () -> Await.checkpointCompletedAfter(checkpoints, killed));
    int beforeFailoverCheckpoint = producer.acknowledged();
    // events after the restored job's first checkpoint too, before the producer stops
    Await.until("more events after it", Duration.ofSeconds(60),
        () -> producer.acknowledged() >= beforeFailoverCheckpoint + 600);
    List<LiveProducer.Sent> sent = producer.stop();
    Await.until("every offset committed with a checkpoint", Duration.ofSeconds(90),
        () -> kafka.committedTotal("remote", "remote-in") == kafka.endTotal("remote-in"));
    app.terminate();
    assertThat(app.waitFor(Duration.ofSeconds(60))).as("stopped within 60 s").isTrue();
    // SIGTERM stops the job on the cluster with a savepoint that keeps its open windows
    assertThat(app.log()).contains("its open windows kept, stopped with savepoint");

    // started again, the job resumes on the cluster from that savepoint (Beam's savepointPath), writes nothing twice,
    // and its drain (agg.shutdown=drain) fires every window still open
    Instant restarted = Instant.now();
    List<String> drainOnSigterm = new java.util.ArrayList<>(args);
    drainOnSigterm.add("--agg.shutdown=drain");
    app = JarProcess.start(dir, dir.resolve("again.log"), drainOnSigterm);
    Await.until("a checkpoint of the resumed job", Duration.ofSeconds(180),
        () -> Await.checkpointCompletedAfter(checkpoints, restarted));
    assertThat(app.log()).contains("resuming from").contains("/savepoints/savepoint-");

    // the application killed (kill -9 of its process group), the job runs on in the cluster: a start of the same
    // job is refused, naming it, until it is cancelled; then the start resumes from its newest checkpoint
    app.killGroup();
    String orphan = runningJob(rest).orElseThrow();
    app = JarProcess.start(dir, dir.resolve("twin.log"), drainOnSigterm);
    assertThat(app.awaitExit(Duration.ofSeconds(120))).as(app.log()).isEqualTo(2);
    assertThat(app.log()).contains("agg.checkpoint.dir").contains("is the folder of Flink job " + orphan)
        .contains("which still runs on");
    assertThat(runningJob(rest)).as("the refused start leaves the running job alone").contains(orphan);
    rest.patch("/jobs/" + orphan + "?mode=cancel");
    Await.until("the orphaned job cancelled", Duration.ofSeconds(60), () -> runningJob(rest).isEmpty());
    Instant cancelled = Instant.now();
    app = JarProcess.start(dir, dir.resolve("after-cancel.log"), drainOnSigterm);
    Await.until("a checkpoint of the job resumed after the cancel", Duration.ofSeconds(180),
        () -> Await.checkpointCompletedAfter(checkpoints, cancelled));
    assertThat(app.log()).contains("resuming from").contains("/chk-");
    app.terminate();
    assertThat(app.waitFor(Duration.ofSeconds(60))).isTrue();
    assertThat(app.log()).contains("the drained job stopped with savepoint");

    Map<WindowTotals.Key, WindowTotals.Totals> expected = WindowTotals.of(sent, WINDOW_MILLIS);
    for (List<ResultRow> rows : List.of(JsonLines.rows(String.join("\n", kafka.readCommitted("remote-out"))),
        JsonLines.rows(out))) {
      WindowTotals.assertNoPaneTwice(rows);
      assertThat(WindowTotals.ofDiscardingPanes(rows)).isEqualTo(expected);
    }
  }

  /** The id of the job the cluster runs, if any (it also lists the other test's ended jobs). */
  private static java.util.Optional<String> runningJob(Actuator rest) {
    for (JsonNode job : rest.json("/jobs/overview").path("jobs")) {
      if (!List.of("FINISHED", "CANCELED", "FAILED").contains(job.path("state").asText())) {
        return java.util.Optional.of(job.path("jid").asText());
      }
    }
    return java.util.Optional.empty();
  }

  /** Runs the packaged jar against the cluster, expecting exit 0; returns its log. */
  private String runApp(String name, Map<String, String> env, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("--agg.runner=flink", "--agg.exit-when-done=true",
        "--server.port=0"));
    command.addAll(List.of(args));
    app = JarProcess.in(dir).log(dir.resolve(name + ".log")).tmp(dir.resolve(name + "-tmp")).env(env).start(command);
    int exit = app.awaitExit(Duration.ofSeconds(180));
    assertThat(exit).as(app.log()).isZero();
    return app.log();
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
}
