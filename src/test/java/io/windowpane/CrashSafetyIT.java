package io.windowpane;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.pipeline.ResultRow;
import io.windowpane.testing.JarProcess;
import io.windowpane.testing.JsonLines;
import io.windowpane.testing.KafkaTestBroker;
import io.windowpane.testing.LiveProducer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
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
    Map<Key, Totals> expected = totals(sent);
    for (List<ResultRow> rows : List.of(topicRows("discarding-out"), fileRows())) {
      assertNoPaneTwice(rows);
      // discarding panes: each event is in exactly one pane of its window
      assertThat(rows.stream().collect(Collectors.groupingBy(Key::of,
          Collectors.reducing(new Totals(0, 0), row -> new Totals(row.count(), Math.round(row.sumAmount())),
              Totals::plus)))).isEqualTo(expected);
    }
  }

  @Test
  void accumulatingPanesEndWithTheWholeWindowAcrossAKill() throws Exception {
    List<LiveProducer.Sent> sent = runKilledAndDrained("accumulating", "accumulating", 1);
    Map<Key, Totals> expected = totals(sent);
    for (List<ResultRow> rows : List.of(topicRows("accumulating-out"), fileRows())) {
      assertNoPaneTwice(rows);
      // accumulating panes: the last pane of each window holds all of its events
      Map<Key, Totals> last = rows.stream().collect(Collectors.groupingBy(Key::of, Collectors.collectingAndThen(
          Collectors.maxBy(Comparator.comparingLong(ResultRow::paneIndex)),
          row -> new Totals(row.orElseThrow().count(), Math.round(row.orElseThrow().sumAmount())))));
      assertThat(last).isEqualTo(expected);
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
    await("the first checkpoint", Duration.ofSeconds(90), () -> checkpointsSince(Instant.EPOCH));
    producer = new LiveProducer(kafka.bootstrapServers(), in, 2, 300, seed);
    producer.start();
    for (int kill = 1; kill <= kills; kill++) {
      Thread.sleep(3_000 + random.nextInt(10_000));
      app.killGroup();
      Instant restarted = Instant.now();
      app = JarProcess.start(dir, dir.resolve("run-" + (kill + 1) + ".log"), args);
      await("a checkpoint after restart " + kill, Duration.ofSeconds(90), () -> checkpointsSince(restarted));
      assertThat(app.log()).contains("resuming from");
    }
    Thread.sleep(3_000);
    List<LiveProducer.Sent> sent = producer.stop();
    await("every offset committed with a checkpoint", Duration.ofSeconds(90),
        () -> kafka.committedTotal(name, in) == kafka.endTotal(in));
    app.terminate();
    assertThat(app.waitFor(Duration.ofSeconds(60))).as("drained within 60 s").isTrue();
    assertThat(app.log()).contains("the drained job stopped with savepoint");
    assertThat(sent).hasSizeGreaterThan(1_000);
    return sent;
  }

  private List<ResultRow> topicRows(String topic) {
    return JsonLines.rows(String.join("\n", kafka.readCommitted(topic)));
  }

  private List<ResultRow> fileRows() {
    return JsonLines.rows(dir.resolve("out/rows.jsonl"));
  }

  private static void assertNoPaneTwice(List<ResultRow> rows) {
    assertThat(rows.stream().map(row -> List.of(row.userId(), row.windowStart(), row.paneIndex())))
        .doesNotHaveDuplicates();
  }

  private static Map<Key, Totals> totals(List<LiveProducer.Sent> sent) {
    return sent.stream().collect(Collectors.groupingBy(Key::of,
        Collectors.reducing(new Totals(0, 0), event -> new Totals(1, event.amount()), Totals::plus)));
  }

  /** A complete checkpoint (or savepoint) finished after {@code since}. */
  private boolean checkpointsSince(Instant since) throws IOException {
    Path checkpoints = dir.resolve("checkpoints");
    if (!Files.exists(checkpoints)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(checkpoints)) {
      return files.filter(file -> file.getFileName().toString().equals("_metadata"))
          .anyMatch(file -> modified(file).isAfter(since));
    }
  }

  private static Instant modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      return Instant.EPOCH; // removed meanwhile
    }
  }

  private static void await(String what, Duration timeout, Check condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.holds()) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  /** A user's window. */
  private record Key(String user, String windowStart) {
    static Key of(ResultRow row) {
      return new Key(row.userId(), row.windowStart());
    }

    static Key of(LiveProducer.Sent event) {
      long start = Math.floorDiv(event.eventTimeMillis(), WINDOW_MILLIS) * WINDOW_MILLIS;
      return new Key(event.user(), Instant.ofEpochMilli(start).toString());
    }
  }

  private record Totals(long count, long sum) {
    Totals plus(Totals other) {
      return new Totals(count + other.count, sum + other.sum);
    }
  }
}
