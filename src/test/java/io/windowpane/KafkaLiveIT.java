package io.windowpane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.windowpane.pipeline.ResultRow;
import io.windowpane.testing.Actuator;
import io.windowpane.testing.Await;
import io.windowpane.testing.Chromium;
import io.windowpane.testing.JarProcess;
import io.windowpane.testing.JsonLines;
import io.windowpane.testing.KafkaTestBroker;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as a long-running Kafka job against a real broker: rows fire live as the watermark passes,
 * a late record within the allowed lateness fires a LATE pane, one beyond it is dropped and counted, metrics and the
 * freshness gauge are live on /actuator, SIGTERM stops the job within seconds with the group's offsets committed,
 * and a restart with the same group reads exactly the records written while it was down (DirectRunner). By default
 * (embedded Flink with checkpoints): the same panes fire live, offsets are committed only with checkpoints, SIGTERM
 * drains the job to a savepoint, and the next start resumes from it.
 */
class KafkaLiveIT {

  private static final long WINDOW_MILLIS = 5_000;
  /** How far ahead of now the window the test writes into starts at least (see {@link #windowAhead()}). */
  private static final long READ_MARGIN_MILLIS = 2_000;
  /**
   * How far ahead of now the window is that must still be open at the stop: ten minutes, so that a slow run on a busy
   * machine does not see the wall clock, which a caught-up watermark follows, overtake it (two minutes once did).
   */
  private static final long OPEN_AHEAD_MILLIS = 600_000;
  private static KafkaTestBroker kafka;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir; // a failed run leaves its applications' logs
  /** The application now running, killed by its process group after the test whatever happened. */
  private JarProcess app;

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

  @AfterEach
  void cleanUp() {
    if (app != null) {
      app.destroyGroup();
    }
  }

  @Test
  void liveJobFiresOnTimeAndLatePanesStopsOnSigtermAndResumesWithoutLoss() throws Exception {
    Path out = dir.resolve("rows.jsonl");
    app = start(dir.resolve("live.log"), "live", "--agg.runner=direct",
        "--agg.output.path=" + out,
        "--agg.window.size=5s", "--agg.window.allowed-lateness=5m", "--agg.trigger.early-delay=0s",
        "--agg.trigger.late-delay=0s", "--agg.kafka.max-out-of-orderness=1s", "--agg.progress-interval=500ms");
    int port = app.port(Duration.ofSeconds(90));
    Actuator actuator = new Actuator(port);
    Await.until("the application serves /actuator", Duration.ofSeconds(90),
        () -> isUp(actuator) && read(actuator) >= 0);

    long windowStart = windowAhead();
    kafka.produce("live", List.of(event("u1", 10, windowStart + 1_000), event("u1", 5, windowStart + 2_000),
        "not json"));
    Await.until("the ON_TIME pane", Duration.ofSeconds(60), () -> rows(out).stream().anyMatch(r ->
        r.paneTiming().equals("ON_TIME") && r.count() == 2 && r.sumAmount().compareTo(BigDecimal.valueOf(15)) == 0));

    // the same window again, now that it has fired: late, within the allowed lateness
    kafka.produce("live", List.of(event("u1", 1, windowStart + 3_000)));
    Await.until("the LATE pane", Duration.ofSeconds(30), () -> rows(out).stream().anyMatch(r ->
        r.paneTiming().equals("LATE") && r.count() == 3 && r.sumAmount().compareTo(BigDecimal.valueOf(16)) == 0));

    // an hour old: beyond the allowed lateness, dropped by Beam and counted
    kafka.produce("live", List.of(event("u2", 7, windowStart - 3_600_000)));
    Await.until("the late drop is counted", Duration.ofSeconds(30),
        () -> metric(actuator, "agg.events.late.dropped") == 1.0);

    assertThat(read(actuator)).isEqualTo(5.0);
    assertThat(metric(actuator, "agg.events.invalid")).isEqualTo(1.0);
    assertThat(metric(actuator, "agg.panes", "timing:ON_TIME")).isEqualTo(1.0);
    assertThat(metric(actuator, "agg.panes", "timing:LATE")).isEqualTo(1.0);
    double lag = metric(actuator, "agg.event-time.lag");
    assertThat(lag).isBetween(-20.0, 120.0);
    assertThat(Files.readString(Path.of(out + ".invalid"))).contains("kafka:live/").contains("not json");

    // the pane diagram follows the live job: its rows so far, a page that redraws itself, the elements it read
    assertThat(actuator.json("/api/panes")).extracting(row -> row.path("pane_timing").asText())
        .containsExactly("ON_TIME", "LATE");
    String page = actuator.get("/").body();
    assertThat(page).contains("var live = true;").contains("Job <b id=\"job-status\">RUNNING</b>");
    assertThat(page.split("<g class=\"element\"", -1)).hasSize(4 + 1); // the four valid events read
    assertWatermarkIsLiveAndDrawn(actuator, port);

    // a window that stays open until the shutdown: the drain fires its final pane
    long openWindow = windowAhead() + OPEN_AHEAD_MILLIS;
    kafka.produce("live", List.of(event("u4", 4, openWindow)));
    Await.until("the open window's event is read", Duration.ofSeconds(30), () -> read(actuator) == 6.0);
    app.terminate(); // SIGTERM, as docker stop or Kubernetes send it
    assertThat(app.waitFor(Duration.ofSeconds(30))).as("stopped within 30 s").isTrue();
    assertThat(Files.readString(dir.resolve("live.log")))
        .contains("SIGTERM drains this job: every open window fires its final pane now and the job ends, because the"
            + " DirectRunner keeps its state in memory only")
        .contains("draining the running job")
        .contains("stopped on shutdown").contains("runs on the DirectRunner, which keeps its state in memory only");
    assertThat(rows(out)).filteredOn(row -> row.key().equals("u4")).containsExactly(openWindowRow(openWindow));
    assertThat(kafka.committedTotal("live-group", "live")).isEqualTo(kafka.endTotal("live"));
    assertLateRecordIsADeadLetter(out, "kafka:live/");

    // written while the job was down: a restart of the same group reads exactly these
    kafka.produce("live", List.of(event("u3", 1, 1_767_866_405_000L), event("u3", 2, 1_767_866_406_000L)));
    Path restartOut = dir.resolve("restart.jsonl");
    app = start(dir.resolve("restart.log"), "live", "--agg.output.path=" + restartOut,
        "--agg.kafka.stop-at=end", "--agg.exit-when-done=true");
    assertThat(app.waitFor(Duration.ofSeconds(120))).isTrue();
    assertThat(app.exitValue()).as(app.log()).isZero();
    assertThat(JsonLines.rows(restartOut)).containsExactly(
        new ResultRow("u3", 2, BigDecimal.valueOf(3), "2026-01-08T10:00:00Z", "2026-01-08T10:01:00Z", "ON_TIME", 0, true, true));
    assertThat(Files.readString(dir.resolve("restart.log"))).contains("2 events read");
  }

  @Test
  void liveJobOnFlinkByDefaultKeepsItsOpenWindowsAcrossSigtermAndDrainsOnlyWhenAsked() throws Exception {
    Path out = dir.resolve("rows.jsonl");
    String[] args = {"--agg.output.path=" + out, "--agg.window.size=5s",
        "--agg.window.allowed-lateness=5m", "--agg.trigger.early-delay=0s", "--agg.trigger.late-delay=0s",
        "--agg.kafka.max-out-of-orderness=1s", "--agg.progress-interval=500ms",
        // rows and offsets are committed with checkpoints: every 2 s instead of the default 10 s
        "--agg.checkpoint.interval=2s",
        "--management.endpoints.web.exposure.include=health,info,metrics,prometheus,drain"};
    app = start(dir.resolve("flink.log"), "live-flink", args);
    int port = app.port(Duration.ofSeconds(90));
    Actuator actuator = new Actuator(port);
    Await.until("the application serves /actuator", Duration.ofSeconds(90), () -> isUp(actuator) && read(actuator) >= 0);
    // a first event: read at once, but its offset is committed only when a checkpoint that holds it completes
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
    Await.until("the first pane", Duration.ofSeconds(120), () -> rows(out).stream().anyMatch(r -> r.key().equals("u0")));

    long windowStart = windowAhead();
    kafka.produce("live-flink", List.of(event("u1", 10, windowStart + 1_000), event("u1", 5, windowStart + 2_000),
        "not json"));
    Await.until("the ON_TIME pane", Duration.ofSeconds(60), () -> rows(out).stream().anyMatch(r ->
        r.paneTiming().equals("ON_TIME") && r.key().equals("u1") && r.count() == 2 && r.sumAmount().compareTo(BigDecimal.valueOf(15)) == 0));

    kafka.produce("live-flink", List.of(event("u1", 1, windowStart + 3_000)));
    Await.until("the LATE pane", Duration.ofSeconds(30), () -> rows(out).stream().anyMatch(r ->
        r.paneTiming().equals("LATE") && r.count() == 3 && r.sumAmount().compareTo(BigDecimal.valueOf(16)) == 0));

    // an hour old: beyond the allowed lateness; and the metrics are live on Flink too (read from the embedded
    // cluster's REST API while the job runs)
    kafka.produce("live-flink", List.of(event("u2", 7, windowStart - 3_600_000)));
    Await.until("live metrics", Duration.ofSeconds(30), () -> read(actuator) == 6.0
        && metric(actuator, "agg.panes", "timing:LATE") == 1.0 && metric(actuator, "agg.events.late.dropped") == 1.0);
    assertThat(metric(actuator, "agg.events.invalid")).isEqualTo(1.0);
    assertThat(metric(actuator, "agg.panes", "timing:ON_TIME")).isEqualTo(2.0);
    assertThat(metric(actuator, "agg.event-time.lag")).isBetween(-20.0, 120.0);
    assertWatermarkIsLiveAndDrawn(actuator, port);

    // a window that stays open across the stop: SIGTERM keeps it, with its record, for the next start
    long openWindow = windowAhead() + OPEN_AHEAD_MILLIS;
    kafka.produce("live-flink", List.of(event("u4", 4, openWindow)));
    Await.until("the open window's record is read", Duration.ofSeconds(30), () -> read(actuator) == 7.0);
    app.terminate(); // SIGTERM, as docker stop or Kubernetes send it
    assertThat(app.waitFor(Duration.ofSeconds(30))).as("stopped within Kubernetes' 30 s grace period").isTrue();
    String log = Files.readString(dir.resolve("flink.log"));
    assertThat(log).contains("Runner: flink (agg.runner=auto: a live Kafka job runs where its state survives a crash")
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
    int rowsBefore = rows(out).size();

    // The next start resumes from the savepoint with the open window in its state, reads only what is new, and keeps
    // the rows already written; an explicit drain then fires the kept window's final pane and ends the job for good.
    app = start(dir.resolve("again.log"), "live-flink", args);
    Actuator again = new Actuator(app.port(Duration.ofSeconds(90)));
    Await.until("the restarted application serves /actuator", Duration.ofSeconds(90),
        () -> isUp(again) && read(again) >= 0);
    long u5 = System.currentTimeMillis();
    kafka.produce("live-flink", List.of(event("u5", 5, u5)));
    // the figures come from Flink's REST metrics: the count must come to exactly one (only the new record is read,
    // nothing read before the stop is read again) and stay there
    Await.until("the read counter counts the new record", Duration.ofSeconds(90), () -> read(again) >= 1.0);
    assertThat(read(again)).isEqualTo(1.0);
    assertThat(rows(out)).noneMatch(row -> row.key().equals("u4"));

    HttpResponse<String> drained = again.post("/actuator/drain");
    assertThat(drained.statusCode()).isEqualTo(200);
    assertThat(drained.body()).contains("drained: every open window fired its final pane and the job ended");
    assertThat(again.json("/actuator/health").path("components").path("job").path("details").path("state")
        .asText()).isEqualTo("DONE");
    app.terminate();
    assertThat(app.waitFor(Duration.ofSeconds(60))).isTrue();
    assertThat(Files.readString(dir.resolve("again.log"))).contains("resuming from").contains("savepoint-")
        .contains("Drain asked for").contains("the rows fired so far are committed with checkpoint")
        .contains("the drained job stopped with savepoint");
    assertThat(rows(out)).filteredOn(row -> row.key().equals("u4")).containsExactly(openWindowRow(openWindow));
    // The new record's first pane: ON_TIME when the watermark passed its window, at the latest with the drain; LATE
    // where it was still on its way when the watermark did (the partitions drain one after the other, and the job's
    // watermark is then the other partition's, which follows the clock). Never a dead letter: before each partition's
    // watermark was kept behind the wall clock, it became one here when the drain made the job's watermark that of
    // the partition holding the u4 record, ten minutes ahead (EventTimeWatermarkPolicy).
    long u5Window = Math.floorDiv(u5, WINDOW_MILLIS) * WINDOW_MILLIS;
    List<ResultRow> u5Rows = rows(out).stream().filter(row -> row.key().equals("u5")).toList();
    System.out.println("KafkaLiveIT: the resumed job's new record: " + u5Rows);
    assertThat(Files.readString(Path.of(out + ".invalid"))).as("dead letters").doesNotContain("\"u5\"");
    assertThat(u5Rows).singleElement().satisfies(row -> {
      assertThat(row.windowStart()).isEqualTo(Instant.ofEpochMilli(u5Window).toString());
      assertThat(row.count()).isEqualTo(1);
      assertThat(row.sumAmount()).isEqualByComparingTo("5");
      assertThat(row.paneTiming()).isIn("ON_TIME", "LATE");
      assertThat(row.paneIndex()).isZero();
      assertThat(row.paneIsFirst()).isTrue(); // last or not: whether its window expired or the drain fired it
    });
    assertThat(rows(out)).hasSize(rowsBefore + 2);

    // After the drain its windows stay closed: an event for the drained window is a dead letter that names the drain,
    // never a second first pane.
    app = start(dir.resolve("after.log"), "live-flink", args);
    Actuator third = new Actuator(app.port(Duration.ofSeconds(90)));
    Await.until("the third start serves /actuator", Duration.ofSeconds(90),
        () -> isUp(third) && read(third) >= 0);
    kafka.produce("live-flink", List.of(event("u4", 6, openWindow + 1_000)));
    Await.until("the drained window's event is a dead letter", Duration.ofSeconds(60),
        () -> Files.readString(Path.of(out + ".invalid")).contains("closed for good by a drain of this job"));
    Await.until("its offset committed with a checkpoint", Duration.ofSeconds(60),
        () -> kafka.committedTotal("live-flink-group", "live-flink") == kafka.endTotal("live-flink"));
    app.terminate();
    assertThat(app.waitFor(Duration.ofSeconds(60))).isTrue();
    assertThat(rows(out)).filteredOn(row -> row.key().equals("u4")).containsExactly(openWindowRow(openWindow));
    List<JsonNode> drainedLetters = Files.readAllLines(Path.of(out + ".invalid")).stream().map(JsonLines::parse)
        .filter(letter -> letter.path("reason").asText().contains("drain")).toList();
    assertThat(drainedLetters).singleElement().satisfies(letter -> {
      assertThat(letter.path("origin").asText()).startsWith("kafka:live-flink/");
      assertThat(letter.path("line").asText()).contains("\"u4\"").contains("\"amount\":6.0");
      assertThat(letter.path("reason").asText()).startsWith("late: window ["
          + new org.joda.time.Instant(openWindow) + ", ").contains("closed for good by a drain of this job");
    });

    // restore=never: a fresh run without state, which reads on from the group's committed offsets: only what is new
    List<String> fresh = new ArrayList<>(List.of(args));
    fresh.add("--agg.checkpoint.restore=never");
    app = start(dir.resolve("fresh.log"), "live-flink", fresh.toArray(String[]::new));
    Actuator fourth = new Actuator(app.port(Duration.ofSeconds(90)));
    Await.until("the fresh start serves /actuator", Duration.ofSeconds(90), () -> isUp(fourth) && read(fourth) >= 0);
    assertThat(app.log()).contains("starting fresh (agg.checkpoint.restore=never)");
    kafka.produce("live-flink", List.of(event("u6", 6, System.currentTimeMillis())));
    Await.until("the new event's pane", Duration.ofSeconds(90),
        () -> rows(out).stream().anyMatch(r -> r.key().equals("u6")));
    Await.until("the read counter counts the new record", Duration.ofSeconds(30), () -> read(fourth) >= 1.0);
    assertThat(read(fourth)).as("records read by the fresh run").isEqualTo(1.0);
    app.terminate();
    assertThat(app.waitFor(Duration.ofSeconds(60))).isTrue();
  }

  /**
   * The hour-old record written into the caught-up topic is in the dead letters, where it was read and why, not in a
   * row: the dead letters hold exactly the events the rows lack.
   */
  private static void assertLateRecordIsADeadLetter(Path out, String origin) throws IOException {
    assertThat(rows(out)).noneMatch(row -> row.key().equals("u2"));
    List<JsonNode> late = Files.readAllLines(Path.of(out + ".invalid")).stream().map(JsonLines::parse)
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
  private void assertWatermarkIsLiveAndDrawn(Actuator actuator, int port) throws Exception {
    Await.until("the watermark gauge follows the wall clock", Duration.ofSeconds(30), () -> {
      double lag = metric(actuator, "agg.watermark.lag");
      return lag >= 0.5 && lag < 15;
    });
    String dom = Chromium.dumpDom("http://127.0.0.1:" + port + "/");
    Matcher line = Pattern.compile("<polyline class=\"watermark\"[^>]* points=\"([^\"]+)\"").matcher(dom);
    assertThat(line.find()).as("a watermark line in the page").isTrue();
    assertThat(line.group(1).split(" ")).as("a staircase of several reads").hasSizeGreaterThan(3);
    assertThat(dom).contains("The green staircase is the aggregation's input watermark")
        .contains("class=\"pane pane-ON_TIME\"");
  }

  /** The packaged jar reading {@code topic} as its group, in a process group of its own ({@link JarProcess}). */
  private JarProcess start(Path log, String topic, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("--agg.stream.source=kafka", "--agg.kafka.input-topic=" + topic,
        "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
        "--spring.kafka.consumer.group-id=" + topic + "-group", "--server.port=0"));
    command.addAll(List.of(args));
    return JarProcess.start(dir, log, command);
  }

  private static String event(String user, double amount, long eventTimeMillis) {
    return "{\"user_id\":\"" + user + "\",\"amount\":" + amount + ",\"event_time\":" + eventTimeMillis / 1000.0 + "}";
  }

  private static List<ResultRow> rows(Path out) {
    return Files.exists(out) ? JsonLines.rows(out) : List.of();
  }

  /**
   * The start of the next window that begins at least {@link #READ_MARGIN_MILLIS} from now. It ends 7-12 s from now,
   * so records produced at once for its first seconds are on time if the job reads them within 7 s, and its ON_TIME
   * pane fires when the watermark (1 s behind the wall clock) passes its end, 8-13 s after this call.
   */
  private static long windowAhead() {
    return Math.floorDiv(System.currentTimeMillis() + READ_MARGIN_MILLIS, WINDOW_MILLIS) * WINDOW_MILLIS
        + WINDOW_MILLIS;
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
