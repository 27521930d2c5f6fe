package io.windowpane.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.metrics.JobFigures;
import io.windowpane.pipeline.ResultRow;
import io.windowpane.pipeline.WindowShape;
import io.windowpane.testing.EventGenerator;
import io.windowpane.testing.JsonLines;
import io.windowpane.testing.Rows;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same job on the DirectRunner and on an embedded Flink cluster, from the Spring context: identical rows, pane
 * timing included, and identical Beam figures.
 */
class RunnerParityJobTest {

  @TempDir Path dir;

  /** Written once for the three window types, with the reference totals of its valid events. */
  private static final EventGenerator.Generated MIXED = mixedInput();
  private static final String MIXED_INPUT = write(MIXED.lines());

  private static final WindowShape FIXED = WindowShape.fixed(Duration.ofSeconds(60));
  private static final WindowShape SLIDING = WindowShape.sliding(Duration.ofSeconds(60), Duration.ofSeconds(20));

  record Run(List<ResultRow> rows, JobFigures figures, List<String> deadLetters) {}

  /**
   * What a job must give, from an independent reference: the exact rows where they are known by hand, else each user
   * and window's final totals from {@link ReferenceAggregation} (the last pane of each window for a stream: with
   * accumulating panes it holds every event that was in time).
   *
   * @param rows the exact rows, or null
   * @param finalTotals the reference's rows, one per user and window, or null
   * @param mergedSessions sessions of a stream: windows that fired before a late event merged them have rows of their
   *     own as well, so the reference's merged sessions are among the final panes rather than all of them
   */
  record Expected(ResultRow[] rows, List<ResultRow> finalTotals, boolean mergedSessions) {
    static Expected rows(ResultRow... rows) {
      return new Expected(rows, null, false);
    }

    static Expected finalTotals(List<ResultRow> reference) {
      return new Expected(null, reference, false);
    }
  }

  static Stream<Arguments> jobs() {
    return Stream.of(
        Arguments.of("seed stream scenario", List.of("--agg.mode=stream"),
            Expected.rows(Rows.seedScenarioAccumulating())),
        Arguments.of("seed stream scenario, discarding",
            List.of("--agg.mode=stream", "--agg.trigger.accumulation=discarding"),
            Expected.rows(Rows.seedScenarioDiscarding())),
        // the late u2 3 at +50 comes after the watermark passed 10:01: with no allowed lateness it is in no row
        Arguments.of("seed stream scenario, no allowed lateness",
            List.of("--agg.mode=stream", "--agg.window.allowed-lateness=0s"),
            Expected.finalTotals(Rows.seedReference(false).rows(FIXED))),
        Arguments.of("built-in batch sample", List.of("--agg.mode=batch"),
            Expected.finalTotals(Rows.seedReference(true).rows(FIXED))),
        // one watermark step past the end of the windows' allowed lateness: Flink fires each window's timers one by
        // one, and without SkipStaleEmptyPaneFn a second, empty ON_TIME row followed every final pane
        Arguments.of("watermark leaps past the allowed lateness",
            List.of("--agg.mode=stream", "--agg.stream.scenario=" + leapScenario()), Expected.rows(
                new ResultRow("u1", 1, BigDecimal.valueOf(20), "2026-01-08T10:00:00Z", "2026-01-08T10:01:00Z", "ON_TIME", 0, true, true),
                new ResultRow("u2", 1, BigDecimal.valueOf(8), "2026-01-08T10:00:00Z", "2026-01-08T10:01:00Z", "ON_TIME", 0, true, true))),
        Arguments.of("seed stream scenario, sliding windows",
            List.of("--agg.mode=stream", "--agg.window.type=sliding", "--agg.window.period=20s"),
            Expected.finalTotals(Rows.seedReference(true).rows(SLIDING))),
        Arguments.of("seed stream scenario, sessions",
            List.of("--agg.mode=stream", "--agg.window.type=session", "--agg.window.gap=20s"),
            new Expected(null, Rows.seedReference(true).rows(WindowShape.sessions(Duration.ofSeconds(20))), true)),
        Arguments.of("built-in batch sample, sessions",
            List.of("--agg.mode=batch", "--agg.window.type=session", "--agg.window.gap=10s"),
            Expected.finalTotals(Rows.seedReference(true).rows(WindowShape.sessions(Duration.ofSeconds(10))))),
        // Flink's batch execution (grouping by sorting) against the DirectRunner, on events in random order with
        // invalid lines among them
        Arguments.of("batch, random order and invalid lines, fixed windows",
            List.of("--agg.mode=batch", "--agg.batch.input=" + MIXED_INPUT),
            Expected.finalTotals(MIXED.reference().rows(FIXED))),
        Arguments.of("batch, random order and invalid lines, sliding windows", List.of("--agg.mode=batch",
            "--agg.batch.input=" + MIXED_INPUT, "--agg.window.type=sliding", "--agg.window.period=20s"),
            Expected.finalTotals(MIXED.reference().rows(SLIDING))),
        Arguments.of("batch, random order and invalid lines, sessions", List.of("--agg.mode=batch",
            "--agg.batch.input=" + MIXED_INPUT, "--agg.window.type=session", "--agg.window.gap=15s"),
            Expected.finalTotals(MIXED.reference().rows(WindowShape.sessions(Duration.ofSeconds(15))))));
  }

  /** 3,000 lines, 5% invalid, 20 users over 30 minutes in random order: sessions merge and split all over. */
  private static EventGenerator.Generated mixedInput() {
    return EventGenerator.generate(19, 3_000, 20, 1_767_866_400_000L, 1_800_000L, 60_000L, 0.05);
  }

  private static String write(List<String> lines) {
    try {
      Path input = Files.createTempFile("windowpane-parity-", ".jsonl");
      input.toFile().deleteOnExit();
      Files.write(input, lines);
      return input.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String leapScenario() {
    try {
      Path scenario = Files.createTempFile("windowpane-leap-", ".yml");
      scenario.toFile().deleteOnExit();
      Files.writeString(scenario, """
          base-time: 2026-01-08T10:00:00Z
          steps:
            - add:
                - {user_id: u1, event_type: purchase, amount: 20, t: 5}
                - {user_id: u2, event_type: purchase, amount: 8, t: 35}
            - watermark: end
          """);
      return scenario.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jobs")
  void flinkGivesTheDirectRunnersRows(String description, List<String> args, Expected expected) {
    Run direct = run("direct", args);
    Run flink = run("flink", args);

    assertThat(direct.rows()).as("rows").isNotEmpty();
    assertThat(flink.rows()).containsExactlyInAnyOrderElementsOf(direct.rows());
    assertThat(flink.figures()).isEqualTo(direct.figures());
    assertThat(flink.deadLetters()).containsExactlyInAnyOrderElementsOf(direct.deadLetters());
    if (args.contains("--agg.mode=batch")) {
      // bounded input: each row is its window's single final pane (SPEC section 5), whatever the runner reports
      assertThat(flink.rows()).isNotEmpty().allSatisfy(row -> {
        assertThat(row.paneTiming()).isEqualTo("ON_TIME");
        assertThat(row.paneIndex()).isZero();
        assertThat(row.paneIsFirst()).isTrue();
        assertThat(row.paneIsLast()).isTrue();
      });
    }
    if (expected.rows() != null) {
      assertThat(direct.rows()).containsExactlyInAnyOrder(expected.rows());
    } else if (expected.mergedSessions()) {
      assertThat(Rows.totals(Rows.lastPanes(direct.rows()))).containsAll(Rows.totals(expected.finalTotals()));
    } else {
      assertThat(Rows.totals(Rows.lastPanes(direct.rows()))).containsExactlyInAnyOrderElementsOf(Rows.totals(expected.finalTotals()));
    }
  }

  static Stream<Arguments> lateJobs() {
    return Stream.of(
        Arguments.of("the seed without allowed lateness: u2's 3 at +50", List.of("--agg.window.allowed-lateness=0s"),
            List.of("late: window [2026-01-08T10:00:00.000Z, 2026-01-08T10:01:00.000Z) closed before the watermark"
                + " 2026-01-08T10:01:01.000Z (end + allowed lateness PT0S)"),
            List.of("u1 10:00:00-10:01:00 2 35.0", "u2 10:00:00-10:01:00 1 8.0", "u1 10:01:00-10:02:00 1 -5.0",
                "u2 10:01:00-10:02:00 1 12.0", "u3 10:01:00-10:02:00 1 9.0")),
        Arguments.of("sliding windows: late for one window, then for both", List.of("--agg.window.allowed-lateness=0s",
            "--agg.window.type=sliding", "--agg.window.period=30s", "--agg.stream.scenario=" + scenario("""
                base-time: 2026-01-08T10:00:00Z
                steps:
                  - add: [{user_id: u1, amount: 1, t: 40}]
                  - watermark: 61
                  - add: [{user_id: u1, amount: 5, t: 45}]
                  - watermark: 95
                  - add: [{user_id: u1, amount: 7, t: 50}]
                  - watermark: end
                """)),
            List.of("late: for 1 of its 2 windows, [2026-01-08T10:00:00.000Z, 2026-01-08T10:01:00.000Z), closed"
                    + " before the watermark 2026-01-08T10:01:01.000Z (end + allowed lateness PT0S); counted in the"
                    + " other 1",
                "late: windows [2026-01-08T10:00:00.000Z, 2026-01-08T10:01:00.000Z), [2026-01-08T10:00:30.000Z,"
                    + " 2026-01-08T10:01:30.000Z) closed before the watermark 2026-01-08T10:01:35.000Z (end + allowed"
                    + " lateness PT0S)"),
            List.of("u1 10:00:00-10:01:00 1 1.0", "u1 10:00:30-10:01:30 2 6.0")),
        Arguments.of("sessions: a late event between two closed sessions", List.of(
            "--agg.window.allowed-lateness=5s", "--agg.window.type=session", "--agg.window.gap=10s",
            "--agg.stream.scenario=" + scenario("""
                base-time: 2026-01-08T10:00:00Z
                steps:
                  - add: [{user_id: u1, amount: 16, t: 50}, {user_id: u1, amount: 32, t: 65}]
                  - watermark: 90
                  - add: [{user_id: u1, amount: 64, t: 58}]
                  - watermark: end
                """)),
            List.of("late: window [2026-01-08T10:00:58.000Z, 2026-01-08T10:01:08.000Z) closed before the watermark"
                + " 2026-01-08T10:01:30.000Z (end + allowed lateness PT5S)"),
            List.of("u1 10:00:50-10:01:00 1 16.0", "u1 10:01:05-10:01:15 1 32.0")));
  }

  /**
   * Too-late events are dead letters on both runners alike (DirectRunner and embedded Flink): exactly the expected
   * ones, with their lines, and none dropped by Beam.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("lateJobs")
  void tooLateEventsAreDeadLetteredAlikeOnBothRunners(String description, List<String> args, List<String> reasons,
      List<String> finalRows) {
    List<String> all = new ArrayList<>(args);
    all.add("--agg.mode=stream");
    for (String runner : List.of("direct", "flink")) {
      Run run = run(runner, all);
      List<JsonNode> late = run.deadLetters().stream().map(JsonLines::parse).toList();
      assertThat(late).as(runner).extracting(letter -> letter.path("reason").asText())
          .containsExactlyInAnyOrderElementsOf(reasons);
      assertThat(late).as(runner).allSatisfy(letter -> assertThat(letter.path("line").asText()).contains("u"));
      long whollyLate = reasons.stream().filter(r -> !r.startsWith("late: for ")).count();
      assertThat(run.figures().lateDeadLettered()).as(runner).isEqualTo(whollyLate);
      assertThat(run.figures().runnerLateDropped()).as(runner + ": Beam's own late drops").isZero();
      assertThat(run.rows()).as(runner + ": each window's last pane, without the late events")
          .filteredOn(ResultRow::paneIsLast)
          .extracting(row -> row.key() + " " + row.windowStart().substring(11, 19) + "-"
              + row.windowEnd().substring(11, 19) + " " + row.count() + " " + row.sumAmount())
          .containsExactlyInAnyOrderElementsOf(finalRows);
    }
  }

  private static String scenario(String yaml) {
    try {
      Path scenario = Files.createTempFile("windowpane-late-", ".yml");
      scenario.toFile().deleteOnExit();
      Files.writeString(scenario, yaml);
      return scenario.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Run run(String runner, List<String> args) {
    FinishedJob job = FinishedJob.run(runner, dir.resolve(runner + ".jsonl"), args);
    return new Run(job.rows(), job.figures(), job.deadLetters());
  }
}
