package io.windowpane.job;

import static io.windowpane.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.testing.Rows;
import io.windowpane.testing.Actuator;
import io.windowpane.testing.JsonLines;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The seed scenario with no allowed lateness: the late u2 event is kept in the dead-letter output, counted, and in
 * no row.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "agg.window.allowed-lateness=0s")
class LateDataJobTest {

  private static final Path OUT = StreamJobTest.tempDir().resolve("late.jsonl");

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
  void theLateEventIsADeadLetterWithItsLineAndWhy() throws java.io.IOException {
    List<String> deadLetters = Files.readAllLines(Path.of(OUT + ".invalid"));
    assertThat(deadLetters).singleElement().satisfies(letter -> {
      JsonNode late = JsonLines.parse(letter);
      assertThat(late.path("origin").asText()).isEqualTo("classpath:scenarios/tutorial.yml step 7");
      assertThat(late.path("line").asText()).contains("\"u2\"").contains("2026-01-08T10:00:50Z");
      assertThat(late.path("reason").asText()).startsWith("late: window [2026-01-08T10:00:00.000Z,"
          + " 2026-01-08T10:01:00.000Z) closed before the watermark 2026-01-08T10:01:01.000Z");
    });
  }

  @Test
  void onTimePanesAreFinalWithoutLateness() {
    assertThat(JsonLines.rows(OUT)).containsExactlyInAnyOrder(Rows.tutorialFinalTotals(false));
  }
}
