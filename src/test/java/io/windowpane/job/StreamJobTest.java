package io.windowpane.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.windowpane.testing.Actuator;
import io.windowpane.testing.JsonLines;
import io.windowpane.testing.Rows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/** The default job (built-in stream scenario) through the real CommandLineRunner, read back over HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StreamJobTest {

  private static final Path OUT = tempDir().resolve("results.jsonl");

  @DynamicPropertySource
  static void output(DynamicPropertyRegistry registry) {
    registry.add("agg.output.path", OUT::toString);
  }

  @LocalServerPort int port;

  /** A folder for one test class's files, removed when the test JVM exits. */
  static Path tempDir() {
    try {
      Path dir = Files.createTempDirectory("windowpane-it");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          FileSystemUtils.deleteRecursively(dir);
        } catch (IOException e) {
          // a leftover temporary folder is harmless
        }
      }));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void writesExactlyTheSixRowsOfTheSpec() {
    assertThat(JsonLines.rows(OUT)).containsExactlyInAnyOrder(Rows.seedScenarioAccumulating());
  }

  @Test
  void publishesPaneCountsByTiming() {
    Actuator actuator = new Actuator(port);
    assertThat(actuator.metric("agg.panes", "timing:ON_TIME")).isEqualTo(5.0);
    assertThat(actuator.metric("agg.panes", "timing:LATE")).isEqualTo(1.0);
    assertThat(actuator.metric("agg.panes", "timing:EARLY")).isEqualTo(0.0);
    assertThat(actuator.metric("agg.panes")).isEqualTo(6.0);
  }

  @Test
  void publishesEventAndJobFigures() {
    Actuator actuator = new Actuator(port);
    assertThat(actuator.metric("agg.events.read")).isEqualTo(7.0);
    assertThat(actuator.metric("agg.events.invalid")).isEqualTo(0.0);
    assertThat(actuator.metric("agg.events.late.dropped")).isEqualTo(0.0);
    assertThat(actuator.metric("agg.job.runs", "status:DONE")).isEqualTo(1.0);
    assertThat(actuator.metric("agg.job.runs", "status:FAILED")).isEqualTo(0.0);
    assertThat(actuator.metric("agg.job.duration", "mode:stream")).isEqualTo(1.0);
  }

  @Test
  void theWatermarkLagIsMeasuredFromTheScriptsLastWatermark() {
    double lag = new Actuator(port).metric("agg.watermark.lag");
    double expected = (System.currentTimeMillis() - Instant.parse("2026-01-08T10:02:01Z").toEpochMilli()) / 1000.0;
    assertThat(lag).as("the seed's last watermark step before 'end' is t0 + 121 s").isCloseTo(expected, within(5.0));
  }

  @Test
  void prometheusEndpointServesTheSameFigures() {
    String scrape = new Actuator(port).get("/actuator/prometheus").body();
    assertThat(scrape)
        .containsPattern("agg_panes_total\\{[^}]*timing=\"LATE\"[^}]*\\} 1\\.0")
        .containsPattern("agg_events_read_total(\\{[^}]*\\})? 7\\.0")
        .contains("agg_job_duration_seconds_count")
        .containsPattern("agg_watermark_lag_seconds(\\{[^}]*\\})? \\d"); // the name the README's alert uses
  }

  @Test
  void healthReportsTheFinishedJob() {
    JsonNode health = new Actuator(port).json("/actuator/health");
    assertThat(health.path("status").asText()).isEqualTo("UP");
    assertThat(health.path("components").path("job").path("details").path("state").asText()).isEqualTo("DONE");
  }

  @Test
  void onlyHealthInfoMetricsAndPrometheusAreExposed() {
    Actuator actuator = new Actuator(port);
    assertThat(actuator.get("/actuator/info").statusCode()).isEqualTo(200);
    assertThat(actuator.get("/actuator/env").statusCode()).isEqualTo(404);
    assertThat(actuator.get("/actuator/beans").statusCode()).isEqualTo(404);
  }
}
