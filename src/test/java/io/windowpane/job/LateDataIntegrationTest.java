package io.windowpane.job;

import static io.windowpane.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.testing.Actuator;
import io.windowpane.testing.JsonLines;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The seed scenario with no allowed lateness: the late u2 event is dropped by Beam, and counted. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "agg.window.allowed-lateness=0s")
class LateDataIntegrationTest {

  private static final Path OUT = StreamJobIntegrationTest.tempDir().resolve("late.jsonl");

  @DynamicPropertySource
  static void output(DynamicPropertyRegistry registry) {
    registry.add("agg.output.path", OUT::toString);
  }

  @LocalServerPort int port;

  @Test
  void droppedEventIsCountedAndAccountingAddsUp() {
    Actuator actuator = new Actuator(port);
    assertThat(actuator.metric("agg.events.late.dropped")).isEqualTo(1.0);
    assertThat(actuator.metric("agg.panes", "timing:LATE")).isEqualTo(0.0);
    double read = actuator.metric("agg.events.read");
    double aggregated = JsonLines.rows(OUT).stream()
        .filter(r -> r.paneIsFirst()).mapToLong(r -> r.count()).sum();
    assertThat(read).isEqualTo(aggregated + actuator.metric("agg.events.invalid")
        + actuator.metric("agg.events.late.dropped"));
  }

  @Test
  void onTimePanesAreFinalWithoutLateness() {
    assertThat(JsonLines.rows(OUT)).containsExactlyInAnyOrder(
        row("u1", 2, 35.0, 0, "ON_TIME", 0, true, true),
        row("u2", 1, 8.0, 0, "ON_TIME", 0, true, true),
        row("u1", 1, -5.0, 1, "ON_TIME", 0, true, true),
        row("u2", 1, 12.0, 1, "ON_TIME", 0, true, true),
        row("u3", 1, 9.0, 1, "ON_TIME", 0, true, true));
  }
}
