package io.windowpane.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.pipeline.ResultRow;
import io.windowpane.testing.Actuator;
import io.windowpane.testing.EventGenerator;
import io.windowpane.testing.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Batch output must not depend on machine speed. With a 1 ms early delay and a run that lasts far longer (tens of
 * thousands of events on the DirectRunner), a processing-time early firing would show up as EARLY rows or as a
 * user and window with more than one row. It must not: one ON_TIME row each, equal to the reference totals.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    args = {"--agg.mode=batch", "--agg.trigger.early-delay=1ms", "--agg.trigger.late-delay=0s",
        "--agg.window.size=60s", "--agg.progress-interval=200ms"})
@ExtendWith(OutputCaptureExtension.class)
class BatchDeterminismJobTest {

  private static final Path DIR = StreamJobTest.tempDir();
  private static final EventGenerator.Generated DATA =
      EventGenerator.generate(42, 20_000, 20, 1_767_866_400_000L, 3 * 3_600_000L, 60_000L, 0.0);

  static {
    try {
      Files.write(DIR.resolve("events.jsonl"), DATA.lines());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void files(DynamicPropertyRegistry registry) {
    registry.add("agg.batch.input", () -> DIR.resolve("events.jsonl").toString());
    registry.add("agg.output.path", () -> DIR.resolve("out.jsonl").toString());
  }

  @LocalServerPort int port;

  @Test
  void oneOnTimeRowPerUserAndWindowWithTheReferenceTotals() {
    List<ResultRow> rows = JsonLines.rows(DIR.resolve("out.jsonl"));
    assertThat(rows).extracting(ResultRow::paneTiming).containsOnly("ON_TIME");
    assertThat(rows).containsExactlyInAnyOrderElementsOf(DATA.reference().rows());
    Actuator actuator = new Actuator(port);
    assertThat(actuator.metric("agg.panes", "timing:EARLY")).isZero();
    assertThat(actuator.metric("agg.events.read")).isEqualTo(20_000.0);
  }

  @Test
  void longRunReportsProgressAndEndsWithASummary(CapturedOutput output) {
    assertThat(output.getErr()).containsPattern("Progress: \\d+ events read \\(\\d+ events/s\\), \\d+ result rows")
        .contains("Job DONE").contains("20000 events read, 20000 aggregated, 0 filtered, 0 invalid, 0 too late");
    assertThat(output.getOut()).isEmpty();
  }
}
