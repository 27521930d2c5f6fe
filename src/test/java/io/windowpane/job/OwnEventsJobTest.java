package io.windowpane.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.WindowpaneApplication;
import io.windowpane.metrics.JobMetrics;
import io.windowpane.testing.StartupFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The user's own events, end to end (SPEC section 14): a CSV export with local times and a nested JSON file, read
 * under a mapping, with a filter and every aggregate, on the DirectRunner and on embedded Flink; and mappings that
 * cannot work, refused at startup.
 */
class OwnEventsJobTest {

  @TempDir Path dir;

  /** A shop's CSV export: local New York times, a quoted name holding the delimiter, a cancelled and a bad row. */
  private static final String CSV = """
      customer,country,placed,total,status
      "Smith, J",US,2026-01-08 05:00:05,12.30,paid
      "Smith, J",US,2026-01-08 05:00:35,20,paid
      "Smith, J",US,2026-01-08 05:00:50,4.6,paid
      "Smith, J",US,2026-01-08 05:00:55,99,cancelled
      Lee,US,2026-01-08 05:00:10,7,paid
      Lee,US,2026-01-08 05:01:10,abc,paid
      """;

  private static final List<String> CSV_ARGS = List.of("--agg.mode=batch", "--agg.event.key=customer",
      "--agg.event.time=placed", "--agg.event.time-format=yyyy-MM-dd HH:mm:ss",
      "--agg.event.time-zone=America/New_York", "--agg.event.value=total", "--agg.event.filter=status!=cancelled",
      "--agg.aggregates=count,sum,min,max,mean");

  @ParameterizedTest
  @ValueSource(strings = {"direct", "flink"})
  void aCsvExportWithLocalTimesAFilterAndEveryAggregate(String runner) throws IOException {
    // compressed: read whole, its header from the decompressed text
    Path input = dir.resolve("orders.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(input))) {
      out.write(CSV.getBytes(StandardCharsets.UTF_8));
    }
    FinishedJob run = run(runner, input, CSV_ARGS);
    assertThat(run.lines()).containsExactlyInAnyOrder(
        "{\"customer\":\"Smith, J\",\"count\":3,\"sum_total\":36.90,\"min_total\":4.6,\"max_total\":20.0,"
            + "\"mean_total\":12.3,\"window_start\":\"2026-01-08T10:00:00Z\",\"window_end\":\"2026-01-08T10:01:00Z\","
            + "\"pane_timing\":\"ON_TIME\",\"pane_index\":0,\"pane_is_first\":true,\"pane_is_last\":true}",
        "{\"customer\":\"Lee\",\"count\":1,\"sum_total\":7.0,\"min_total\":7.0,\"max_total\":7.0,"
            + "\"mean_total\":7.0,\"window_start\":\"2026-01-08T10:00:00Z\",\"window_end\":\"2026-01-08T10:01:00Z\","
            + "\"pane_timing\":\"ON_TIME\",\"pane_index\":0,\"pane_is_first\":true,\"pane_is_last\":true}");
    assertThat(run.deadLetters()).singleElement().satisfies(letter -> assertThat(letter)
        .contains("\"origin\":\"" + input + "\"").contains("Lee,US,2026-01-08 05:01:10,abc,paid")
        .contains("\"reason\":\"field total 'abc' is not a number\""));
    assertThat(run.figures().eventsRead()).isEqualTo(6);
    assertThat(run.figures().eventsFiltered()).isEqualTo(1);
    assertThat(run.figures().eventsInvalid()).isEqualTo(1);
    assertThat(run.figures().eventsAggregated()).isEqualTo(4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"direct", "flink"})
  void nestedJsonGroupedByTwoFieldsWithEpochMillis(String runner) throws IOException {
    Path input = Files.writeString(dir.resolve("orders.jsonl"), """
        {"order":{"customer":{"country":"DE","id":"c7"},"total":"12.30"},"ts":1767866405000}
        {"order":{"customer":{"country":"DE","id":"c7"},"total":24.6},"ts":1767866415000}
        {"order":{"customer":{"country":"DE","id":132},"total":1},"ts":1767866465000}
        {"order":{"customer":{"country":"DE"},"total":1},"ts":1767866465000}
        """);
    FinishedJob run = run(runner, input, List.of("--agg.mode=batch",
        "--agg.event.key=order.customer.country,order.customer.id", "--agg.event.time=ts",
        "--agg.event.time-format=epoch-millis", "--agg.event.value=order.total", "--agg.aggregates=count,sum,mean"));
    assertThat(run.lines()).containsExactlyInAnyOrder(
        "{\"country\":\"DE\",\"id\":\"c7\",\"count\":2,\"sum_total\":36.90,\"mean_total\":18.45,"
            + "\"window_start\":\"2026-01-08T10:00:00Z\",\"window_end\":\"2026-01-08T10:01:00Z\","
            + "\"pane_timing\":\"ON_TIME\",\"pane_index\":0,\"pane_is_first\":true,\"pane_is_last\":true}",
        "{\"country\":\"DE\",\"id\":\"132\",\"count\":1,\"sum_total\":1.0,\"mean_total\":1.0,"
            + "\"window_start\":\"2026-01-08T10:01:00Z\",\"window_end\":\"2026-01-08T10:02:00Z\","
            + "\"pane_timing\":\"ON_TIME\",\"pane_index\":0,\"pane_is_first\":true,\"pane_is_last\":true}");
    assertThat(run.deadLetters()).singleElement().satisfies(letter ->
        assertThat(letter).contains("\"reason\":\"missing field order.customer.id\""));
  }

  /**
   * Runner parity for a mapping other than the tutorial's, with every window type: the same seeded events as nested
   * JSON with epoch-millisecond times give, on the DirectRunner and on Flink, exactly the rows the tutorial's shape
   * gives (its key and sum under their own names).
   */
  @ParameterizedTest
  @ValueSource(strings = {"fixed", "sliding", "session"})
  void aMappedJobGivesTheTutorialShapesRowsOnBothRunnersForEveryWindowType(String type) throws Exception {
    io.windowpane.testing.EventGenerator.Generated events =
        io.windowpane.testing.EventGenerator.generate(7, 600, 12, 1_767_866_400_000L, 600_000, 60_000, 0);
    Path tutorial = Files.write(dir.resolve("tutorial.jsonl"), events.lines());
    List<String> nested = new ArrayList<>();
    for (String line : events.lines()) {
      io.windowpane.pipeline.Event event = io.windowpane.pipeline.EventParser.parse(line);
      nested.add("{\"order\":{\"customer\":\"" + event.key() + "\",\"total\":" + event.amount().toPlainString()
          + "},\"ts\":" + event.eventTimeMillis() + "}");
    }
    Path mapped = Files.write(dir.resolve("nested.jsonl"), nested);
    List<String> windows = switch (type) {
      case "sliding" -> List.of("--agg.window.type=sliding", "--agg.window.period=20s");
      case "session" -> List.of("--agg.window.type=session", "--agg.window.gap=5s");
      default -> List.of();
    };
    List<String> batch = new ArrayList<>(List.of("--agg.mode=batch"));
    batch.addAll(windows);
    List<String> expected = run("direct", tutorial, batch).lines().stream()
        .map(row -> row.replace("{\"user_id\":", "{\"customer\":").replace("\"sum_amount\":", "\"sum_total\":"))
        .toList();
    assertThat(expected).isNotEmpty();
    List<String> mappedArgs = new ArrayList<>(batch);
    mappedArgs.addAll(List.of("--agg.event.key=order.customer", "--agg.event.value=order.total",
        "--agg.event.time=ts", "--agg.event.time-format=epoch-millis"));
    for (String runner : List.of("direct", "flink")) {
      assertThat(run(runner, mapped, mappedArgs).lines()).as(type + " on " + runner)
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  /**
   * A scripted stream in the user's own shape: times as the mapping reads them, a late event, both runners. (YAML
   * reads 12.30 as the number 12.3: the sums carry no trailing zero here, unlike JSON input.)
   */
  @ParameterizedTest
  @ValueSource(strings = {"direct", "flink"})
  void aScenarioInTheUsersOwnShape(String runner) throws IOException {
    Path scenario = Files.writeString(dir.resolve("orders.yml"), """
        base-time: 2026-01-08T10:00:00Z
        steps:
          - watermark: 0
          - add:
              - {order: {customer: c7, total: 12.30}, at: "2026-01-08 10:00:05"}
              - {order: {customer: c7, total: 20}, at: "2026-01-08 10:00:20"}
              - {order: {customer: c8, total: 1}, at: "2026-01-08 10:00:30", kind: test}
          - watermark: 61
          - add:
              - {order: {customer: c7, total: 4.6}, at: "2026-01-08 10:00:50"}
          - watermark: end
        """);
    Path out = dir.resolve(runner + "-scenario.jsonl");
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WindowpaneApplication.class)
        .web(WebApplicationType.NONE).run("--agg.stream.scenario=" + scenario, "--agg.runner=" + runner,
            "--agg.output.path=" + out, "--agg.event.key=order.customer", "--agg.event.value=order.total",
            "--agg.event.time=at", "--agg.event.time-format=yyyy-MM-dd HH:mm:ss", "--agg.event.filter=kind!=test",
            "--agg.aggregates=count,sum,max", "--agg.trigger.early-delay=0s", "--agg.trigger.late-delay=0s")) {
      assertThat(context.getBean(JobState.class).status()).as(runner + " job").isEqualTo(JobStatus.DONE);
      String window = "\"window_start\":\"2026-01-08T10:00:00Z\",\"window_end\":\"2026-01-08T10:01:00Z\"";
      assertThat(Files.readAllLines(out)).as(runner).containsExactlyInAnyOrder(
          "{\"customer\":\"c7\",\"count\":2,\"sum_total\":32.3,\"max_total\":20.0," + window
              + ",\"pane_timing\":\"ON_TIME\",\"pane_index\":0,\"pane_is_first\":true,\"pane_is_last\":false}",
          "{\"customer\":\"c7\",\"count\":3,\"sum_total\":36.9,\"max_total\":20.0," + window
              + ",\"pane_timing\":\"LATE\",\"pane_index\":1,\"pane_is_first\":false,\"pane_is_last\":false}");
      assertThat(context.getBean(JobMetrics.class).figures().eventsFiltered()).isEqualTo(1);
    }
  }

  @Test
  void mappingsThatCannotWorkAreRefusedAtStartup() {
    String[] base = {"--agg.mode=batch"};
    StartupFailure.assertRefused(with(base, "--agg.event.key="), "agg.event.key", "names no field");
    StartupFailure.assertRefused(with(base, "--agg.event.time-format=yyyy-MM-dd {"), "agg.event.time-format",
        "is neither auto, iso");
    StartupFailure.assertRefused(with(base, "--agg.aggregates=count,median"), "agg.aggregates",
        "'median' is no aggregate");
    StartupFailure.assertRefused(with(base, "--agg.aggregates=mean", "--agg.event.value="), "agg.event.value",
        "reads a value");
    StartupFailure.assertRefused(with(base, "--agg.event.filter=status"), "agg.event.filter", "has no '='");
    StartupFailure.assertRefused(with(base, "--agg.event.key=@key"), "agg.event.key", "only a Kafka input");
    StartupFailure.assertRefused(with(base, "--agg.event.key=a.id,b.id"), "agg.event.key",
        "would have the same name in a row");
    StartupFailure.assertRefused(with(base, "--agg.event.time-zone=Mars/Olympus"), "agg.event.time-zone",
        "is no time zone");
    StartupFailure.assertRefused(with(base, "--agg.input.csv.delimiter=;;"), "agg.input.csv.delimiter",
        "must be one character");
    StartupFailure.assertRefused(new String[] {"--agg.event.key=customer"}, "agg.stream.scenario",
        "missing field customer");
  }

  /** Mistakes a new user makes (issue 33): each gets a clear answer, not a silent surprise. */
  @Test
  void aDurationWithoutAUnitOrInAnUnknownFormIsRefusedWithTheFormsThatWork() {
    StartupFailure.assertRefused(new String[] {"--agg.window.size=30"}, "agg.window.size",
        "has no unit (Spring would read it as milliseconds): write 500ms, 30s, 2m, 1h, 1d, or ISO-8601 such as PT1M");
    Throwable failure = StartupFailure.of("--agg.window.size=1min");
    assertThat(io.windowpane.config.StartupFailures.exitCode(failure)).isEqualTo(2);
    assertThat(new io.windowpane.config.InvalidDurationFailureAnalyzer().analyze(failure).getDescription())
        .contains("Property: agg.window.size").contains("Value: \"1min\"")
        .contains("Reason: is no duration: write 500ms, 30s, 2m, 1h, 1d, or ISO-8601 such as PT1M");
  }

  @Test
  void aJobThatRejectedEveryEventExitsWith3() throws IOException {
    Path input = Files.writeString(dir.resolve("bad.jsonl"), "not json\n{\"user_id\":\"u1\"}\n");
    Path out = dir.resolve("bad-out.jsonl");
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WindowpaneApplication.class)
        .web(WebApplicationType.NONE).run("--agg.mode=batch", "--agg.batch.input=" + input,
            "--agg.output.path=" + out)) {
      JobState state = context.getBean(JobState.class);
      assertThat(state.status()).isEqualTo(JobStatus.DONE);
      assertThat(state.getExitCode()).isEqualTo(io.windowpane.config.StartupFailures.NOTHING_AGGREGATED);
      assertThat(Files.readAllLines(Path.of(out + ".invalid"))).hasSize(2);
    }
  }

  private static String[] with(String[] base, String... more) {
    List<String> all = new ArrayList<>(List.of(base));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private FinishedJob run(String runner, Path input, List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.add("--agg.batch.input=" + input);
    return FinishedJob.run(runner, dir.resolve(runner + ".jsonl"), all);
  }
}
