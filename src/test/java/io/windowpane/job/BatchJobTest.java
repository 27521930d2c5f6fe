package io.windowpane.job;

import static io.windowpane.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.testing.Rows;
import io.windowpane.testing.Actuator;
import io.windowpane.testing.JsonLines;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Batch mode chosen with a command-line flag, on the built-in sample, with a tiny early delay that a real run
 * lasts far longer than: still exactly one ON_TIME row per user and window.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    args = {"--agg.mode=batch", "--agg.trigger.early-delay=1ms", "--agg.trigger.accumulation=discarding"})
class BatchJobTest {

  private static final Path OUT = StreamJobTest.tempDir().resolve("batch.jsonl");

  @DynamicPropertySource
  static void output(DynamicPropertyRegistry registry) {
    registry.add("agg.output.path", OUT::toString);
  }

  @LocalServerPort int port;

  @Test
  void writesOneOnTimeRowPerUserAndWindowWithTheFinalTotals() {
    assertThat(JsonLines.rows(OUT)).containsExactlyInAnyOrder(Rows.tutorialFinalTotals(true));
  }

  @Test
  void metricsCountTheBatchRun() {
    Actuator actuator = new Actuator(port);
    assertThat(actuator.metric("agg.panes", "timing:ON_TIME")).isEqualTo(5.0);
    assertThat(actuator.metric("agg.panes", "timing:EARLY")).isEqualTo(0.0);
    assertThat(actuator.metric("agg.events.read")).isEqualTo(7.0);
    assertThat(actuator.metric("agg.job.duration", "mode:batch")).isEqualTo(1.0);
  }
}
