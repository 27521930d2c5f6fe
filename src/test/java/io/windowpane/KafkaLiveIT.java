package io.windowpane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.windowpane.pipeline.ResultRow;
import io.windowpane.testing.Actuator;
import io.windowpane.testing.Await;
import io.windowpane.testing.Chromium;
import io.windowpane.testing.TestUser;
import io.windowpane.testing.JarProcess;
import io.windowpane.testing.JsonLines;
import io.windowpane.testing.KafkaTestBroker;
import io.windowpane.testing.StepByStep;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a long-running Kafka job against a real broker, one claim per step of two runs. On the
 * DirectRunner: rows fire live as the watermark passes, a late record within the allowed lateness fires a LATE pane,
 * one beyond it is a dead letter and counted, metrics and the pane diagram are live, SIGTERM drains the job with the
 * group's offsets committed, and a restart with the same group reads exactly the records written while it was down.
 * By default (embedded Flink with checkpoints): offsets are committed only with checkpoints, the same panes fire
 * live, SIGTERM keeps the open windows in a savepoint, the next start resumes from it, a drain asked for ends the job
 * for good and its windows stay closed, and {@code restore=never} starts fresh from the committed offsets.
 */
class KafkaLiveIT {

  private static final long WINDOW_MILLIS = 5_000;
  /**
   * How far ahead of now the window the test writes into starts at least (see {@link #windowAhead()}): the job has
   * this long to read the records before the watermark, which follows the wall clock, passes their window's end and
   * makes them late, on a machine where another IT runs three Flink JVMs.
   */
  private static final long READ_MARGIN_MILLIS = 20_000;
  /**
   * How far ahead of now the window is that must still be open at the stop: ten minutes, so that a slow run on a busy
   * machine does not see the wall clock, which a caught-up watermark follows, overtake it (two minutes once did).
   */
  private static final long OPEN_AHEAD_MILLIS = 600_000;
  private static KafkaTestBroker kafka;

  @BeforeAll
  static void broker() {
    kafka = new KafkaTestBroker();
    kafka.createTopic("live", 2);
    kafka.createTopic("live-flink", 2);
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  /**
   * One live job's run, step by step ({@link StepByStep}): its folder, the application now running (killed by its
   * process group after the steps, whatever happened), its output, the windows it writes into.
   */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  @ExtendWith(StepByStep.class)
  abstract class LiveRun {

    private final String topic;
    private final List<String> runArgs;
    Path dir;
    JarProcess app;
    Actuator actuator;
    int port;
    Path out;
    long windowStart;
    long openWindow;

    /** @param runArgs what this run adds to the live job's settings */
    LiveRun(String topic, String... runArgs) {
      this.topic = topic;
      this.runArgs = List.of(runArgs);
    }

    /** @param dir the steps' folder; a failed run leaves its applications' logs there */
    @BeforeAll
    void start(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
      this.dir = dir;
      out = dir.resolve("rows.jsonl");
      startApp("run.log");
    }

    @AfterAll
    void cleanUp() {
      if (app != null) {
        app.destroyGroup();
      }
    }

    /** Starts the live job (5 s windows, 5 min allowed lateness, a pane for every late record) and waits for it. */
    void startApp(String log, String... more) throws Exception {
      List<String> all = new ArrayList<>(List.of("--agg.output.path=" + out, "--agg.window.size=5s",
          "--agg.window.allowed-lateness=5m", "--agg.trigger.early-delay=0s", "--agg.trigger.late-delay=0s",
          "--agg.kafka.max-out-of-orderness=1s", "--agg.progress-interval=500ms"));
      all.addAll(runArgs);
      all.addAll(List.of(more));
      app = KafkaLiveIT.start(dir, dir.resolve(log), topic, all.toArray(String[]::new));
      port = app.port(Duration.ofSeconds(90));
      actuator = new Actuator(port);
      Actuator up = actuator;
      Await.until("the application serves /actuator", Duration.ofSeconds(90), () -> isUp(up) && read(up) >= 0);
    }
  }

  /** A live job on the DirectRunner, which keeps its state in memory only: SIGTERM drains it. */
  @Nested
  class OnTheDirectRunner extends LiveRun {

    OnTheDirectRunner() {
      super("live", "--agg.runner=direct");
    }

    @Test
    @Order(1)
    void aWindowFiresItsOnTimePaneWhenTheWatermarkPassesItsEnd() throws Exception {
      windowStart = assertOnTimePane("live", out);
    }

    @Test
    @Order(2)
    void aRecordForAFiredWindowWithinTheAllowedLatenessFiresALatePane() throws Exception {
      assertLatePane("live", out, windowStart);
    }

    @Test
    @Order(3)
    void aRecordBeyondTheAllowedLatenessIsADeadLetterAndCounted() throws Exception {
      // an hour old: beyond the allowed lateness
      kafka.produce("live", List.of(event("u2", 7, windowStart - 3_600_000)));
      Await.until("the late drop is counted", Duration.ofSeconds(30),
          () -> metric(actuator, "agg.events.late.dropped") == 1.0);
      Await.until("its dead letter", Duration.ofSeconds(30),
          () -> deadLetters(out).stream().anyMatch(letter -> letter.path("line").asText().contains("\"u2\"")));
      assertLateRecordIsADeadLetter(out, "kafka:live/");
      assertThat(Files.readString(Path.of(out + ".invalid"))).contains("kafka:live/").contains("not json");
    }

    @Test
    @Order(4)
    void theMetricsAreLive() {
      assertThat(read(actuator)).isEqualTo(5.0);
      assertThat(metric(actuator, "agg.events.invalid")).isEqualTo(1.0);
      assertThat(metric(actuator, "agg.panes", "timing:ON_TIME")).isEqualTo(1.0);
      assertThat(metric(actuator, "agg.panes", "timing:LATE")).isEqualTo(1.0);
      assertThat(metric(actuator, "agg.event-time.lag")).isBetween(-30.0, 120.0);
    }

    @Test
    @Order(5)
    void thePaneDiagramFollowsTheLiveJob() throws Exception {
      // its rows so far, a page that redraws itself, the elements it read, the watermark
      assertThat(actuator.json("/api/panes")).extracting(row -> row.path("pane_timing").asText())
          .containsExactly("ON_TIME", "LATE");
      String page = actuator.get("/").body();
      assertThat(page).contains("var live = true;").contains("Job <b id=\"job-status\">RUNNING</b>");
      assertThat(page.split("<g class=\"element\"", -1)).hasSize(4 + 1); // the four valid events read
      assertWatermarkIsLiveAndDrawn(actuator, port);
    }

    @Test
    @Order(6)
    void sigtermDrainsTheJobFiringItsOpenWindowAndCommitsTheOffsets() throws Exception {
      openWindow = windowAhead() + OPEN_AHEAD_MILLIS;
      kafka.produce("live", List.of(event("u4", 4, openWindow)));
      Await.until("the open window's event is read", Duration.ofSeconds(30), () -> read(actuator) == 6.0);
      app.terminate(); // SIGTERM, as docker stop or Kubernetes send it
      assertThat(app.waitFor(Duration.ofSeconds(30))).as("stopped within 30 s").isTrue();
      assertThat(app.log())
          .contains("SIGTERM drains this job: every open window fires its final pane now and the job ends, because"
              + " the DirectRunner keeps its state in memory only")
          .contains("draining the running job")
          .contains("stopped on shutdown").contains("runs on the DirectRunner, which keeps its state in memory only");
      assertThat(rows(out)).filteredOn(row -> row.key().equals("u4")).containsExactly(openWindowRow(openWindow));
      assertThat(kafka.committedTotal("live-group", "live")).isEqualTo(kafka.endTotal("live"));
    }

    @Test
    @Order(7)
    void aRestartOfTheGroupReadsExactlyTheRecordsWrittenWhileItWasDown() throws Exception {
      kafka.produce("live", List.of(event("u3", 1, 1_767_866_405_000L), event("u3", 2, 1_767_866_406_000L)));
      Path restartOut = dir.resolve("restart.jsonl");
      app = KafkaLiveIT.start(dir, dir.resolve("restart.log"), "live", "--agg.output.path=" + restartOut,
          "--agg.kafka.stop-at=end", "--agg.exit-when-done=true");
      assertThat(app.awaitExit(Duration.ofSeconds(120))).as(app.log()).isZero();
      assertThat(JsonLines.rows(restartOut)).containsExactly(new ResultRow("u3", 2, BigDecimal.valueOf(3),
          "2026-01-08T10:00:00Z", "2026-01-08T10:01:00Z", "ON_TIME", 0, true, true));
      assertThat(app.log()).contains("2 events read");
    }
  }

  /** A live job by default: on embedded Flink with checkpoints, so that a stop keeps its state. */
  @Nested
  class OnFlinkByDefault extends LiveRun {

    private int rowsBeforeTheStop;

    OnFlinkByDefault() {
      // rows and offsets are committed with checkpoints: every 2 s instead of the default 10 s
      super("live-flink", "--agg.checkpoint.interval=2s",
          "--management.endpoints.web.exposure.include=health,info,metrics,prometheus,drain");
    }

    @Test
    @Order(1)
    void aReadRecordsOffsetIsCommittedOnlyWithACheckpointThatHoldsIt() throws Exception {
      Instant produced = Instant.now();
      kafka.produce("live-flink", List.of(event("u0", 1, System.currentTimeMillis())));
      Await.until("the first event is read", Duration.ofSeconds(60), () -> read(actuator) == 1.0);
      AtomicBoolean committedAhead = new AtomicBoolean();
      Await.until("its offset committed", Duration.ofSeconds(60), () -> {
        boolean committed = kafka.committedTotal("live-flink-group", "live-flink") > 0;
        committedAhead.compareAndSet(false,
            committed && !Await.checkpointCompletedAfter(dir.resolve("checkpoints"), produced));
        return committed;
      });
      assertThat(committedAhead).as("an offset committed before a checkpoint completed").isFalse();
      Await.until("the first pane", Duration.ofSeconds(120),
          () -> rows(out).stream().anyMatch(r -> r.key().equals("u0")));
    }

    @Test
    @Order(2)
    void aWindowFiresItsOnTimePaneWhenTheWatermarkPassesItsEnd() throws Exception {
      windowStart = assertOnTimePane("live-flink", out);
    }

    @Test
    @Order(3)
    void aRecordForAFiredWindowWithinTheAllowedLatenessFiresALatePane() throws Exception {
      assertLatePane("live-flink", out, windowStart);
    }

    /** Read from the embedded cluster's REST API while the job runs. */
    @Test
    @Order(4)
    void theMetricsAndTheDiagramAreLiveOnFlinkToo() throws Exception {
      // an hour old: beyond the allowed lateness
      kafka.produce("live-flink", List.of(event("u2", 7, windowStart - 3_600_000)));
      Await.until("live metrics", Duration.ofSeconds(30), () -> read(actuator) == 6.0
          && metric(actuator, "agg.panes", "timing:LATE") == 1.0
          && metric(actuator, "agg.events.late.dropped") == 1.0);
      assertThat(metric(actuator, "agg.events.invalid")).isEqualTo(1.0);
      assertThat(metric(actuator, "agg.panes", "timing:ON_TIME")).isEqualTo(2.0);
      assertThat(metric(actuator, "agg.event-time.lag")).isBetween(-30.0, 120.0);
      assertWatermarkIsLiveAndDrawn(actuator, port);
    }

    @Test
    @Order(5)
    void sigtermStopsTheJobWithASavepointThatKeepsItsOpenWindows() throws Exception {
      openWindow = windowAhead() + OPEN_AHEAD_MILLIS;
      kafka.produce("live-flink", List.of(event("u4", 4, openWindow)));
      Await.until("the open window's record is read", Duration.ofSeconds(30), () -> read(actuator) == 7.0);
      app.terminate(); // SIGTERM, as docker stop or Kubernetes send it
      assertThat(app.waitFor(Duration.ofSeconds(30))).as("stopped within Kubernetes' 30 s grace period").isTrue();
      assertThat(app.log())
          .contains("Runner: flink (agg.runner=auto: a live Kafka job runs where its state survives a crash")
          .contains("SIGTERM stops this job with a savepoint that keeps its open windows")
          .contains("Progress: 6 events read")
          .contains("the running job, its open windows kept, stopped with savepoint")
          .contains("Job DONE (stopped on shutdown)")
          .contains("7 events read, 5 aggregated, 0 filtered, 1 invalid, 1 too late")
          .doesNotContain("draining");
      assertThat(rows(out)).as("nothing fired early").noneMatch(row -> row.key().equals("u4"));
      assertThat(rows(out)).allSatisfy(row -> assertThat(row.count()).isPositive());
      assertThat(Files.readString(Path.of(out + ".invalid"))).contains("kafka:live-flink/").contains("not json");
      assertLateRecordIsADeadLetter(out, "kafka:live-flink/");
      assertThat(kafka.committedTotal("live-flink-group", "live-flink")).isEqualTo(kafka.endTotal("live-flink"));
      rowsBeforeTheStop = rows(out).size();
    }

    /**
     * The next start resumes from the savepoint with the open window in its state, reads only what is new, keeps
     * the rows already written; a drain asked for then fires the kept window's final pane and ends the job for good.
     */
    @Test
    @Order(6)
    void theNextStartResumesFromTheSavepointAndADrainAskedForFiresTheKeptWindow() throws Exception {
      startApp("again.log");
      long u5 = System.currentTimeMillis();
      kafka.produce("live-flink", List.of(event("u5", 5, u5)));
      // the figures come from Flink's REST metrics: the count must come to exactly one (only the new record is read,
      // nothing read before the stop is read again) and stay there
      Await.until("the read counter counts the new record", Duration.ofSeconds(90), () -> read(actuator) >= 1.0);
      assertThat(read(actuator)).isEqualTo(1.0);
      assertThat(rows(out)).noneMatch(row -> row.key().equals("u4"));

      HttpResponse<String> drained = actuator.post("/actuator/drain");
      assertThat(drained.statusCode()).isEqualTo(200);
      assertThat(drained.body()).contains("drained: every open window fired its final pane and the job ended");
      assertThat(actuator.json("/actuator/health").path("components").path("job").path("details").path("state")
          .asText()).isEqualTo("DONE");
      app.terminate();
      assertThat(app.waitFor(Duration.ofSeconds(60))).isTrue();
      assertThat(app.log()).contains("resuming from").contains("savepoint-")
          .contains("Drain asked for").contains("the rows fired so far are committed with checkpoint")
          .contains("the drained job stopped with savepoint");
      assertThat(rows(out)).filteredOn(row -> row.key().equals("u4")).containsExactly(openWindowRow(openWindow));
      // The new record's first pane: ON_TIME when the watermark passed its window, at the latest with the drain;
      // LATE where it was still on its way when the watermark did (the partitions drain one after the other, and
      // the job's watermark is then the other partition's, which follows the clock). Never a dead letter: before
      // each partition's watermark was kept behind the wall clock, it became one here when the drain made the
      // job's watermark that of the partition holding the u4 record, ten minutes ahead (EventTimeWatermarkPolicy).
      long u5Window = Math.floorDiv(u5, WINDOW_MILLIS) * WINDOW_MILLIS;
      List<ResultRow> u5Rows = rows(out).stream().filter(row -> row.key().equals("u5")).toList();
      System.out.println("KafkaLiveIT: the resumed job's new record: " + u5Rows);
      assertThat(deadLetters(out)).as("dead letters").noneMatch(letter -> letter.path("line").asText()
          .contains("\"u5\""));
      assertThat(u5Rows).singleElement().satisfies(row -> {
        assertThat(row.windowStart()).isEqualTo(Instant.ofEpochMilli(u5Window).toString());
        assertThat(row.count()).isEqualTo(1);
        assertThat(row.sumAmount()).isEqualByComparingTo("5");
        assertThat(row.paneTiming()).isIn("ON_TIME", "LATE");
        assertThat(row.paneIndex()).isZero();
        assertThat(row.paneIsFirst()).isTrue(); // last or not: whether its window expired or the drain fired it
      });
      assertThat(rows(out)).hasSize(rowsBeforeTheStop + 2);
    }

    /** An event for the drained window is a dead letter that names the drain, never a second first pane. */
    @Test
    @Order(7)
    void afterTheDrainItsWindowsStayClosed() throws Exception {
      // drained again at its SIGTERM: the next step starts fresh, which only a drained job's state allows
      startApp("after.log", "--agg.shutdown=drain");
      kafka.produce("live-flink", List.of(event("u4", 6, openWindow + 1_000)));
      Await.until("the drained window's event is a dead letter", Duration.ofSeconds(60),
          () -> Files.readString(Path.of(out + ".invalid")).contains("closed for good by a drain of this job"));
      Await.until("its offset committed with a checkpoint", Duration.ofSeconds(60),
          () -> kafka.committedTotal("live-flink-group", "live-flink") == kafka.endTotal("live-flink"));
      app.terminate();
      assertThat(app.waitFor(Duration.ofSeconds(60))).isTrue();
      assertThat(app.log()).contains("the drained job stopped with savepoint");
      assertThat(rows(out)).filteredOn(row -> row.key().equals("u4")).containsExactly(openWindowRow(openWindow));
      List<JsonNode> drainedLetters = deadLetters(out).stream()
          .filter(letter -> letter.path("reason").asText().contains("drain")).toList();
      assertThat(drainedLetters).singleElement().satisfies(letter -> {
        assertThat(letter.path("origin").asText()).startsWith("kafka:live-flink/");
        assertThat(letter.path("line").asText()).contains("\"u4\"").contains("\"amount\":6.0");
        assertThat(letter.path("reason").asText()).startsWith("late: window ["
            + new org.joda.time.Instant(openWindow) + ", ").contains("closed for good by a drain of this job");
      });
    }

    /** A fresh run without state reads on from the group's committed offsets: only what is new. */
    @Test
    @Order(8)
    void restoreNeverStartsFreshFromTheGroupsCommittedOffsets() throws Exception {
      startApp("fresh.log", "--agg.checkpoint.restore=never");
      assertThat(app.log()).contains("starting fresh (agg.checkpoint.restore=never)");
      kafka.produce("live-flink", List.of(event("u6", 6, System.currentTimeMillis())));
      Await.until("the new event's pane", Duration.ofSeconds(90),
          () -> rows(out).stream().anyMatch(r -> r.key().equals("u6")));
      Await.until("the read counter counts the new record", Duration.ofSeconds(30), () -> read(actuator) >= 1.0);
      assertThat(read(actuator)).as("records read by the fresh run").isEqualTo(1.0);
      app.terminate();
      assertThat(app.waitFor(Duration.ofSeconds(60))).isTrue();
    }
  }

  /**
   * Writes u1's two records (and a line that is no JSON) into a window ahead; its ON_TIME pane must fire once the
   * watermark passes the window's end. Returns the window's start.
   */
  private static long assertOnTimePane(String topic, Path out) throws Exception {
    long windowStart = windowAhead();
    kafka.produce(topic, List.of(event("u1", 10, windowStart + 1_000), event("u1", 5, windowStart + 2_000),
        "not json"));
    Await.until("the ON_TIME pane", Duration.ofSeconds(90), () -> u1Rows(out).size() == 1);
    assertThat(u1Rows(out)).containsExactly(row("u1", 2, 15, windowStart, "ON_TIME", 0, true, false));
    return windowStart;
  }

  /** A record for u1's fired window, within the allowed lateness: a LATE pane with the window's new total. */
  private static void assertLatePane(String topic, Path out, long windowStart) throws Exception {
    kafka.produce(topic, List.of(event("u1", 1, windowStart + 3_000)));
    Await.until("the LATE pane", Duration.ofSeconds(30), () -> u1Rows(out).size() == 2);
    assertThat(u1Rows(out).get(1)).isEqualTo(row("u1", 3, 16, windowStart, "LATE", 1, false, false));
  }

  private static List<ResultRow> u1Rows(Path out) {
    return rows(out).stream().filter(r -> r.key().equals("u1")).toList();
  }

  /**
   * The hour-old record written into the caught-up topic is in the dead letters, where it was read and why, not in a
   * row: the dead letters hold exactly the events the rows lack.
   */
  private static void assertLateRecordIsADeadLetter(Path out, String origin) throws IOException {
    assertThat(rows(out)).noneMatch(row -> row.key().equals("u2"));
    List<JsonNode> late = deadLetters(out).stream()
        .filter(letter -> letter.path("reason").asText().startsWith("late: ")).toList();
    assertThat(late).singleElement().satisfies(letter -> {
      assertThat(letter.path("origin").asText()).startsWith(origin);
      assertThat(letter.has("offset")).isTrue();
      assertThat(letter.path("line").asText()).contains("\"u2\"").contains("\"amount\":7.0");
      assertThat(letter.path("reason").asText()).contains("closed before the watermark");
    });
  }

  /**
   * The watermark of a caught-up live read trails the wall clock by the out-of-orderness (1 s) plus how often it is
   * read; the pane diagram draws it in the browser as a staircase with the pane that fired when it crossed a window's
   * end.
   */
  private static void assertWatermarkIsLiveAndDrawn(Actuator actuator, int port) throws Exception {
    Await.until("the watermark gauge follows the wall clock", Duration.ofSeconds(30), () -> {
      double lag = metric(actuator, "agg.watermark.lag");
      return lag >= 0.5 && lag < 15;
    });
    String dom = Chromium.dumpDom(TestUser.browserUrl(port, "/"));
    Matcher line = Pattern.compile("<polyline class=\"watermark\"[^>]* points=\"([^\"]+)\"").matcher(dom);
    assertThat(line.find()).as("a watermark line in the page").isTrue();
    assertThat(line.group(1).split(" ")).as("a staircase of several reads").hasSizeGreaterThan(3);
    assertThat(dom).contains("The green staircase is the aggregation's input watermark")
        .contains("class=\"pane pane-ON_TIME\"");
  }

  /** The packaged jar reading {@code topic} as its group, in a process group of its own ({@link JarProcess}). */
  private static JarProcess start(Path dir, Path log, String topic, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("--agg.stream.source=kafka", "--agg.kafka.input-topic=" + topic,
        "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
        "--spring.kafka.consumer.group-id=" + topic + "-group", "--server.port=0"));
    command.addAll(List.of(args));
    return JarProcess.start(dir, log, command);
  }

  private static String event(String user, double amount, long eventTimeMillis) {
    return "{\"user_id\":\"" + user + "\",\"amount\":" + amount + ",\"event_time\":" + eventTimeMillis / 1000.0 + "}";
  }

  /** The dead letters written so far, parsed (their lines are JSON text inside JSON). */
  private static List<JsonNode> deadLetters(Path out) throws IOException {
    Path letters = Path.of(out + ".invalid");
    return Files.exists(letters) ? Files.readAllLines(letters).stream().map(JsonLines::parse).toList() : List.of();
  }

  private static List<ResultRow> rows(Path out) {
    return Files.exists(out) ? JsonLines.rows(out) : List.of();
  }

  /**
   * The start of the next window that begins at least {@link #READ_MARGIN_MILLIS} from now. It ends 25-30 s from now,
   * so records produced at once for its first seconds are on time if the job reads them within 20 s, and its ON_TIME
   * pane fires when the watermark (1 s behind the wall clock) passes its end, 26-31 s after this call.
   */
  private static long windowAhead() {
    return Math.floorDiv(System.currentTimeMillis() + READ_MARGIN_MILLIS, WINDOW_MILLIS) * WINDOW_MILLIS
        + WINDOW_MILLIS;
  }

  /** A row of the tutorial's shape for a window of {@link #WINDOW_MILLIS} starting at {@code windowStart}. */
  private static ResultRow row(String user, long count, long sum, long windowStart, String timing, long index,
      boolean first, boolean last) {
    return new ResultRow(user, count, BigDecimal.valueOf(sum), Instant.ofEpochMilli(windowStart).toString(),
        Instant.ofEpochMilli(windowStart + WINDOW_MILLIS).toString(), timing, index, first, last);
  }

  /** The final pane a drain fires for the u4 record produced into a window ten minutes ahead. */
  private static ResultRow openWindowRow(long openWindow) {
    return new ResultRow("u4", 1, BigDecimal.valueOf(4), Instant.ofEpochMilli(openWindow).toString(),
        Instant.ofEpochMilli(openWindow + WINDOW_MILLIS).toString(), "ON_TIME", 0, true, true);
  }

  private static boolean isUp(Actuator actuator) {
    try {
      return actuator.get("/actuator/health").statusCode() == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static double read(Actuator actuator) {
    return metric(actuator, "agg.events.read");
  }

  private static double metric(Actuator actuator, String name, String... tags) {
    return actuator.metric(name, tags);
  }
}
