package io.windowpane.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.windowpane.testing.Actuator;
import io.windowpane.testing.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A pipeline that fails while running (a truncated .gz input): the app stays up, health is DOWN with the
 * reason, the failed run is counted, and the exit code would be 1.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, args = "--agg.mode=batch")
class FailedJobTest {

  private static final Path CORRUPT = corruptGzip();

  @DynamicPropertySource
  static void input(DynamicPropertyRegistry registry) {
    registry.add("agg.batch.input", CORRUPT::toString);
    registry.add("agg.output.path", () -> CORRUPT.resolveSibling("out.jsonl").toString());
  }

  @LocalServerPort int port;
  @Autowired JobState state;

  static Path corruptGzip() {
    try {
      return TestFiles.truncatedGzip(StreamJobTest.tempDir().resolve("events.jsonl.gz"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void healthIsDownWithTheReason() {
    Actuator actuator = new Actuator(port);
    assertThat(actuator.get("/actuator/health").statusCode()).isEqualTo(503);
    JsonNode job = actuator.json("/actuator/health").path("components").path("job");
    assertThat(job.path("status").asText()).isEqualTo("DOWN");
    assertThat(job.path("details").path("state").asText()).isEqualTo("FAILED");
    assertThat(job.path("details").path("error").asText()).containsIgnoringCase("EOF");
  }

  @Test
  void failedRunIsCountedAndExitCodeIsOne() {
    Actuator actuator = new Actuator(port);
    assertThat(actuator.metric("agg.job.runs", "status:FAILED")).isEqualTo(1.0);
    assertThat(actuator.metric("agg.job.runs", "status:DONE")).isEqualTo(0.0);
    assertThat(state.getExitCode()).isEqualTo(1);
  }
}
