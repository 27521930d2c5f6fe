package io.windowpane.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.WindowpaneApplication;
import io.windowpane.launch.StopTimes;
import io.windowpane.metrics.JobFigures;
import io.windowpane.metrics.JobMetrics;
import io.windowpane.pipeline.ResultRow;
import io.windowpane.testing.Await;
import io.windowpane.testing.EventGenerator;
import io.windowpane.testing.FlinkSnapshots;
import io.windowpane.testing.JsonLines;
import io.windowpane.testing.KafkaTestBroker;
import io.windowpane.testing.StartupFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Stream jobs on a real Kafka broker, from the Spring context: a bounded read ({@code stop-at=end}) of a
 * three-partition topic gives the batch totals as its final panes on both runners, rejects malformed and non-UTF-8
 * records to a dead-letter topic, publishes rows to an output topic, and commits the group's offsets; bad Kafka
 * settings stop the application at startup with exit code 2.
 */
@ExtendWith(OutputCaptureExtension.class)
class KafkaJobTest {

  private static final long T0 = 1_767_866_400_000L; // 2026-01-08T10:00:00Z
  private static KafkaTestBroker kafka;
  private static EventGenerator.Generated events;

  @TempDir Path dir;

  @BeforeAll
  static void topicWithEvents() {
    kafka = new KafkaTestBroker();
    kafka.createTopic("events", 3);
    kafka.createTopic("rows", 1);
    kafka.createTopic("rejected", 1);
    events = EventGenerator.generate(42, 3_000, 25, T0, 600_000, 60_000, 0.02);
    kafka.produce("events", events.lines());
    // bytes that are not UTF-8 inside an otherwise valid event: rejected, never aggregated under a mangled user
    kafka.produceBytes("events", List.of(
        "{\"user_id\":\"u\u00ff\",\"amount\":1,\"event_time\":1767866405}".getBytes(StandardCharsets.ISO_8859_1)));
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  /** A finished job: its rows file and its figures. */
  record Run(Path out, JobFigures figures) {
    List<ResultRow> rows() {
      return JsonLines.rows(out);
    }
  }

  @Test
  void boundedReadEqualsBatchTotalsOnBothRunnersAndRejectsBadRecords() {
    Run direct = run("direct", "group-direct", "--agg.kafka.output-topic=rows",
        "--agg.kafka.dead-letter-topic=rejected");
    Run flink = run("flink", "group-flink");

    assertThat(finalPanes(direct.rows())).containsExactlyInAnyOrderElementsOf(events.reference().rows());
    assertThat(finalPanes(flink.rows())).containsExactlyInAnyOrderElementsOf(finalPanes(direct.rows()));

    long records = events.lines().size() + 1;
    long invalid = events.invalid() + 1;
    assertThat(direct.figures().eventsRead()).isEqualTo(records);
    assertThat(direct.figures().eventsInvalid()).isEqualTo(invalid);
    assertThat(direct.figures().lateDropped()).isZero();
    assertThat(flink.figures().eventsRead()).isEqualTo(records);
    assertThat(flink.figures().eventsInvalid()).isEqualTo(invalid);

    // each topic read to its end offsets: a record written twice, or one too many, shows
    List<String> published = kafka.readToEnd("rows");
    assertThat(JsonLines.rows(String.join("\n", published))).containsExactlyInAnyOrderElementsOf(direct.rows());
    List<String> rejected = kafka.readToEnd("rejected");
    assertThat(rejected).hasSize((int) invalid)
        .anySatisfy(r -> assertThat(r).contains("not valid UTF-8").contains("\"origin\":\"kafka:events/")
            .containsPattern("\"offset\":\\d+"));

    // a bounded re-read never moves the group's offsets: a live job may own the group
    assertThat(kafka.committedTotal("group-direct", "events")).isZero();
    assertThat(kafka.committedTotal("group-flink", "events")).isZero();
  }

  /**
   * The entity only in the record key and the time only in the record timestamp (SPEC section 14: {@code @key},
   * {@code @timestamp}), on both runners; a record without a key is a dead letter.
   */
  @Test
  void theRecordsOwnKeyAndTimestampAsKeyAndEventTime() throws IOException {
    kafka.createTopic("keyed", 2);
    kafka.produceKeyed("keyed", 0, List.of(
        new KafkaTestBroker.Keyed("c7", T0 + 5_000, "{\"total\":12.30}"),
        new KafkaTestBroker.Keyed("c7", T0 + 65_000, "{\"total\":\"1\"}"),
        new KafkaTestBroker.Keyed(null, T0 + 6_000, "{\"total\":5}")));
    kafka.produceKeyed("keyed", 1, List.of(
        new KafkaTestBroker.Keyed("c7", T0 + 15_000, "{\"total\":20}"),
        new KafkaTestBroker.Keyed("c8", T0 + 7_000, "{\"total\":2.5}")));
    for (String runner : List.of("direct", "flink")) {
      Path out = dir.resolve(runner + "-keyed.jsonl");
      run(runner, "group-keyed", out, "--agg.kafka.input-topic=keyed", "--agg.event.key=@key",
          "--agg.event.time=@timestamp", "--agg.event.value=total", "--agg.aggregates=count,sum,max");
      String window = "\"window_start\":\"2026-01-08T10:00:00Z\",\"window_end\":\"2026-01-08T10:01:00Z\"";
      String next = "\"window_start\":\"2026-01-08T10:01:00Z\",\"window_end\":\"2026-01-08T10:02:00Z\"";
      String pane = "\"pane_timing\":\"ON_TIME\",\"pane_index\":0,\"pane_is_first\":true,\"pane_is_last\":true}";
      assertThat(Files.readAllLines(out)).as(runner).containsExactlyInAnyOrder(
          "{\"key\":\"c7\",\"count\":2,\"sum_total\":32.30,\"max_total\":20.0," + window + "," + pane,
          "{\"key\":\"c7\",\"count\":1,\"sum_total\":1.0,\"max_total\":1.0," + next + "," + pane,
          "{\"key\":\"c8\",\"count\":1,\"sum_total\":2.5,\"max_total\":2.5," + window + "," + pane);
      assertThat(Files.readAllLines(Path.of(out + ".invalid"))).as(runner).singleElement()
          .satisfies(letter -> assertThat(letter).contains("\"origin\":\"kafka:keyed/0\"")
              .contains("the record has no key (agg.event.key names @key)"));
    }
  }

  @Test
  void aBoundedReReadStartsAtTheGroupsOffsetsAndLeavesThemWhereTheyWere() {
    Run first = run("direct", "group-twice");
    Run second = run("direct", "group-twice");
    assertThat(second.figures().eventsRead()).isEqualTo(first.figures().eventsRead()).isPositive();
    assertThat(second.rows()).containsExactlyInAnyOrderElementsOf(first.rows());
    assertThat(kafka.committedTotal("group-twice", "events")).isZero();
  }

  @Test
  void unreachableBrokerStopsTheApplicationAtStartup() {
    assertStartupFailure("spring.kafka.bootstrap-servers", "no Kafka broker answered within 2 s",
        "--spring.kafka.bootstrap-servers=127.0.0.1:1");
  }

  @Test
  void missingTopicStopsTheApplicationAtStartup() {
    assertStartupFailure("agg.kafka.input-topic", "topic does not exist",
        "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(), "--agg.kafka.input-topic=no-such-topic");
  }

  @Test
  void missingOutputTopicStopsTheApplicationAtStartup() {
    assertStartupFailure("agg.kafka.output-topic", "topic does not exist",
        "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(), "--agg.kafka.output-topic=nowhere");
  }

  @Test
  void aLiveJobWhoseCheckpointDoesNotFitItsWindowsStopsAtStartup() throws IOException {
    Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
    Files.writeString(checkpoints.resolve("windowpane-job.json"), "{\"run\":\"r1\",\"started\":\"2026-01-01T00:00:00Z\","
        + "\"configuration\":{\"agg.window.type\":\"fixed\",\"agg.window.size\":\"30s\"},\"pipeline\":null}");
    FlinkSnapshots.complete(checkpoints.resolve("run-r1/job/chk-1"), 1);

    assertStartupFailure(List.of("--agg.mode=stream", "--agg.stream.source=kafka", "--agg.kafka.connect-timeout=2s",
            "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(), "--agg.checkpoint.dir=" + checkpoints),
        "agg.window.size", "does not fit the checkpoints in " + checkpoints.toUri());
    assertThat(checkpoints.resolve("run-r1/job/chk-1/_metadata")).as("a refused checkpoint is kept").exists();
  }

  /**
   * A live job that has not drained when its drain time runs out ({@link StopTimes}: 30 s in the application, none
   * here, so that it cannot) is cancelled, and the application's stop still ends, within the cancel time.
   */
  @Test
  void aLiveJobThatDoesNotDrainInTimeIsCancelledWhenTheApplicationStops(CapturedOutput output) throws Exception {
    kafka.createTopic("undrained", 1);
    kafka.produce("undrained", List.of("{\"user_id\":\"u1\",\"amount\":1,\"event_time\":"
        + System.currentTimeMillis() / 1000 + "}"));
    ConfigurableApplicationContext context = new SpringApplicationBuilder(WindowpaneApplication.class)
        .web(WebApplicationType.NONE)
        .initializers(app -> ((GenericApplicationContext) app).registerBean(StopTimes.class,
            () -> new StopTimes(Duration.ZERO, Duration.ofSeconds(10))))
        .run("--agg.mode=stream", "--agg.stream.source=kafka", "--agg.runner=direct",
            "--agg.kafka.input-topic=undrained", "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
            "--spring.kafka.consumer.group-id=undrained", "--agg.progress-interval=200ms",
            "--agg.output.path=" + dir.resolve("rows.jsonl"));
    JobState state = context.getBean(JobState.class);
    JobMetrics metrics = context.getBean(JobMetrics.class);
    Await.until("the live job reads the event", Duration.ofSeconds(60),
        () -> metrics.figures().eventsRead() == 1);
    assertThat(state.status()).isEqualTo(JobStatus.RUNNING);

    context.close(); // as on SIGTERM

    assertThat(state.status()).as("ended by the stop").isNotEqualTo(JobStatus.RUNNING);
    assertThat(output).contains("draining the running job").contains("The job did not drain within 0 s")
        .contains("Shutdown: stopping the running job").doesNotContain("The job did not stop within");
  }

  private void assertStartupFailure(String property, String problem, String... extra) {
    List<String> args = new ArrayList<>(List.of("--agg.mode=stream", "--agg.stream.source=kafka",
        "--agg.kafka.stop-at=end", "--agg.kafka.connect-timeout=2s"));
    args.addAll(List.of(extra));
    assertStartupFailure(args, property, problem);
  }

  private void assertStartupFailure(List<String> args, String property, String problem) {
    StartupFailure.assertRefused(args.toArray(String[]::new), property, problem);
  }

  /** Each user and window's last pane, without the pane fields: what a batch run reports. */
  private static List<ResultRow> finalPanes(List<ResultRow> rows) {
    return rows.stream().filter(ResultRow::paneIsLast)
        .map(r -> new ResultRow(r.key(), r.count(), r.sumAmount(), r.windowStart(), r.windowEnd(), "ON_TIME", 0,
            true, true))
        .toList();
  }

  private Run run(String runner, String group, String... extra) {
    return run(runner, group, dir.resolve(runner + "-" + group + "-" + System.nanoTime() + ".jsonl"), extra);
  }

  private Run run(String runner, String group, Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("--agg.mode=stream", "--agg.stream.source=kafka",
        "--agg.kafka.stop-at=end", "--agg.runner=" + runner, "--agg.output.path=" + out,
        "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
        "--spring.kafka.consumer.group-id=" + group));
    args.addAll(List.of(extra));
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WindowpaneApplication.class)
        .web(WebApplicationType.NONE).run(args.toArray(String[]::new))) {
      assertThat(context.getBean(JobState.class).status()).as(runner + " job").isEqualTo(JobStatus.DONE);
      return new Run(out, context.getBean(JobMetrics.class).figures());
    }
  }
}
