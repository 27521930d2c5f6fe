package io.windowpane;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.pipeline.ResultRow;
import io.windowpane.testing.Await;
import io.windowpane.testing.JarProcess;
import io.windowpane.testing.JsonLines;
import io.windowpane.testing.KafkaTestBroker;
import io.windowpane.testing.LiveProducer;
import io.windowpane.testing.WindowTotals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC section 13, the hard way: the packaged jar reads a live topic of a real broker while a producer writes to its
 * two partitions; at random moments the job's whole process group is killed with SIGKILL and started again with the
 * same arguments; at the end SIGTERM drains it. Every event the broker acknowledged must be counted exactly once, in
 * the output topic (read with {@code read_committed}) and in the results file.
 */
class CrashSafetyIT {

  private static final long WINDOW_MILLIS = 5_000;
  private static KafkaTestBroker kafka;

  @TempDir Path dir;
  private JarProcess app;
  private LiveProducer producer;

  @BeforeAll
  static void broker() {
    kafka = new KafkaTestBroker();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @AfterEach
  void cleanUp() {
    if (producer != null) {
      producer.close();
    }
    if (app != null) {
      app.destroyGroup();
    }
  }

  @Test
  void discardingPanesCountEveryEventOnceAcrossTwoKills() throws Exception {
    List<LiveProducer.Sent> sent = runKilledAndDrained("discarding", "discarding", 2);
    for (List<ResultRow> rows : List.of(topicRows("discarding-out"), fileRows())) {
      WindowTotals.assertNoPaneTwice(rows);
      assertThat(WindowTotals.ofDiscardingPanes(rows)).isEqualTo(WindowTotals.of(sent, WINDOW_MILLIS));
    }
  }

  @Test
  void accumulatingPanesEndWithTheWholeWindowAcrossAKill() throws Exception {
    List<LiveProducer.Sent> sent = runKilledAndDrained("accumulating", "accumulating", 1);
    for (List<ResultRow> rows : List.of(topicRows("accumulating-out"), fileRows())) {
      WindowTotals.assertNoPaneTwice(rows);
      assertThat(WindowTotals.ofLastPanes(rows)).isEqualTo(WindowTotals.of(sent, WINDOW_MILLIS));
    }
  }

  /**
   * Starts the job, starts the producer once the job has checkpointed, kills the job's process group {@code kills}
   * times at random moments and starts it again each time, stops the producer, waits until the job has committed
   * every offset, then drains it with SIGTERM. Returns what the producer wrote.
   */
  private List<LiveProducer.Sent> runKilledAndDrained(String name, String accumulation, int kills)
      throws Exception {
    String in = name + "-in";
    kafka.createTopic(in, 2);
    kafka.createTopic(name + "-out", 2);
    List<String> args = List.of("--agg.stream.source=kafka", "--agg.kafka.input-topic=" + in,
        "--agg.kafka.output-topic=" + name + "-out", "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
        "--spring.kafka.consumer.group-id=" + name, "--agg.window.size=5s",
        "--agg.trigger.accumulation=" + accumulation, "--agg.output.path=out/rows.jsonl",
        "--agg.checkpoint.interval=2s", "--server.port=0");
    long seed = System.nanoTime();
    Random random = new Random(seed);
    System.out.println("CrashSafetyIT " + name + ": random seed " + seed);

    app = JarProcess.start(dir, dir.resolve("run-1.log"), args);
    Path checkpoints = dir.resolve("checkpoints");
    Await.until("the first checkpoint", Duration.ofSeconds(90),
        () -> Await.checkpointCompletedAfter(checkpoints, Instant.EPOCH));
    producer = new LiveProducer(kafka.bootstrapServers(), in, 2, 300, seed);
    producer.start();
    for (int kill = 1; kill <= kills; kill++) {
      Thread.sleep(2_000 + random.nextInt(6_000)); // a random moment across three checkpoint intervals
      app.killGroup();
      Instant restarted = Instant.now();
      app = JarProcess.start(dir, dir.resolve("run-" + (kill + 1) + ".log"), args);
      Await.until("a checkpoint after restart " + kill, Duration.ofSeconds(90),
          () -> Await.checkpointCompletedAfter(checkpoints, restarted));
      assertThat(app.log()).contains("resuming from");
    }
    Thread.sleep(3_000);
    List<LiveProducer.Sent> sent = producer.stop();
    Await.until("every offset committed with a checkpoint", Duration.ofSeconds(90),
        () -> kafka.committedTotal(name, in) == kafka.endTotal(in));
    app.terminate();
    assertThat(app.waitFor(Duration.ofSeconds(60))).as("drained within 60 s").isTrue();
    assertThat(app.log()).contains("the drained job stopped with savepoint");
    assertThat(sent).hasSizeGreaterThan(1_000);
    // the killed processes' temporary files (Tomcat's folders, the embedded Flink cluster's, unpacked native
    // libraries) were removed by the next start, the last process's own by its exit
    try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
      assertThat(left.map(folder -> folder.getFileName().toString())).isEmpty();
    }
    return sent;
  }

  private List<ResultRow> topicRows(String topic) {
    return JsonLines.rows(String.join("\n", kafka.readCommitted(topic)));
  }

  private List<ResultRow> fileRows() {
    return JsonLines.rows(dir.resolve("out/rows.jsonl"));
  }
}
