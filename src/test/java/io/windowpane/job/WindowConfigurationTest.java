package io.windowpane.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.testing.StartupFailure;
import io.windowpane.pipeline.ResultRow;
import io.windowpane.pipeline.WindowShape;
import io.windowpane.testing.AppProcess;
import io.windowpane.testing.JsonLines;
import io.windowpane.testing.Rows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** agg.window.type and its properties: what each type needs is checked at startup; what it ignores is reported. */
class WindowConfigurationTest {

  @TempDir Path dir;

  static Stream<Arguments> invalidWindows() {
    return Stream.of(
        Arguments.of(new String[] {"--agg.window.type=sliding"}, "agg.window.period",
            "is required with agg.window.type=sliding"),
        Arguments.of(new String[] {"--agg.window.type=sliding", "--agg.window.period=90s"}, "agg.window.period",
            "must not be longer than agg.window.size (PT1M)"),
        Arguments.of(new String[] {"--agg.window.type=session"}, "agg.window.gap",
            "is required with agg.window.type=session"));
  }

  @ParameterizedTest
  @MethodSource("invalidWindows")
  void whatATypeNeedsIsCheckedAtStartup(String[] args, String property, String problem) {
    StartupFailure.assertRefused(args, property, problem);
  }

  @Test
  void aPropertyTheTypeDoesNotUseIsReportedAndTheJobRuns() {
    AppProcess.Result result = AppProcess.run(dir, "--agg.window.period=30s", "--agg.exit-when-done=true");
    assertThat(result.exitCode()).isZero();
    assertThat(result.stderr()).contains("agg.window.period = PT30S has no effect with agg.window.type=fixed");
    assertThat(JsonLines.rows(result.stdout())).containsExactlyInAnyOrder(Rows.seedScenarioAccumulating());
  }

  @Test
  void slidingWindowsOfTheSeedScenarioOverlap() {
    AppProcess.Result result = AppProcess.run(dir, "--agg.window.type=sliding", "--agg.window.period=30s",
        "--agg.exit-when-done=true");
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    // every event belongs to two windows of 60 s starting every 30 s; each window's last pane holds all its events
    // (the late one is within the allowed lateness)
    List<ResultRow> rows = JsonLines.rows(result.stdout());
    assertThat(Rows.totals(Rows.lastPanes(rows))).containsExactlyInAnyOrderElementsOf(Rows.totals(
        Rows.seedReference(true).rows(WindowShape.sliding(Duration.ofSeconds(60), Duration.ofSeconds(30)))));
    assertThat(result.stderr()).contains("Sliding windows of PT1M every PT30S");
  }
}
