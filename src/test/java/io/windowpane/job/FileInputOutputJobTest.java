package io.windowpane.job;

import static io.windowpane.testing.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windowpane.testing.Actuator;
import io.windowpane.testing.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Batch input from several files matched by a glob, with good and bad lines, CRLF endings and blank lines; result
 * rows to a file and rejected lines to {@code <path>.invalid}, each with its origin and reason.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, args = "--agg.mode=batch")
class FileInputOutputJobTest {

  private static final Path DIR = StreamJobTest.tempDir();
  private static final Path OUT = DIR.resolve("out/results.jsonl");

  static {
    try {
      Files.createDirectories(DIR.resolve("in"));
      Files.writeString(DIR.resolve("in/part-1.jsonl"),
          "{\"user_id\": \"u1\", \"event_type\": \"purchase\", \"amount\": 20.0, \"event_time\": 1767866405}\r\n"
              + "\r\n"
              + "{\"user_id\": \"u1\", \"amount\": 15, \"event_time\": \"2026-01-08T10:00:20Z\", \"extra\": 1}\r\n"
              + "{\"user_id\": \"u1\", \"amount\": \"15\", \"event_time\": 1767866405}\r\n");
      Files.writeString(DIR.resolve("in/part-2.jsonl"),
          "{\"user_id\": \"u2\", \"amount\": 8, \"event_time\": 1767866435.5}\n"
              + "[1, 2, 3]\n"
              + "{\"user_id\": \"u2\", \"amount\": 8, \"event_t\n"
              + "   \n"
              + "{\"amount\": 1, \"event_time\": 1767866405}\n");
      // bytes that are not UTF-8 in the user id: rejected, not aggregated under a user full of U+FFFD
      Files.write(DIR.resolve("in/part-3.jsonl"),
          "{\"user_id\": \"u\u00ff\", \"amount\": 1, \"event_time\": 1767866405}\n"
              .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      Files.writeString(DIR.resolve("in/ignored.txt"), "not matched by the glob\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void files(DynamicPropertyRegistry registry) {
    registry.add("agg.batch.input", () -> DIR.resolve("in").toString() + "/*.jsonl");
    registry.add("agg.output.path", OUT::toString);
  }

  @LocalServerPort int port;

  @Test
  void resultRowsGoToTheOutputFile() {
    assertThat(JsonLines.rows(OUT)).containsExactlyInAnyOrder(
        row("u1", 2, 35.0, 0, "ON_TIME", 0, true, true),
        row("u2", 1, 8.0, 0, "ON_TIME", 0, true, true));
  }

  @Test
  void everyRejectedLineIsInTheDeadLetterFileWithOriginAndReason() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> rejected = Files.readAllLines(OUT.resolveSibling("results.jsonl.invalid")).stream()
        .map(line -> {
          try {
            return json.readTree(line);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }).toList();
    assertThat(rejected).hasSize(5);
    assertThat(rejected).extracting(n -> n.path("reason").asText()).satisfiesExactlyInAnyOrder(
        reason -> assertThat(reason).isEqualTo("amount must be a number, got string \"15\""),
        reason -> assertThat(reason).isEqualTo("not a JSON object but a JSON array"),
        reason -> assertThat(reason).isEqualTo("user_id is missing"),
        reason -> assertThat(reason)
            .isEqualTo("not valid UTF-8 text (a malformed byte sequence, or U+FFFD, in the line)"),
        // Jackson's own message follows, with a location that depends on its version
        reason -> assertThat(reason).startsWith("invalid JSON"));
    assertThat(rejected).filteredOn(n -> n.path("line").asText().equals("[1, 2, 3]"))
        .singleElement()
        .satisfies(n -> assertThat(n.path("origin").asText()).endsWith("in/part-2.jsonl"));
    assertThat(rejected).allSatisfy(n -> assertThat(n.path("line").asText()).doesNotEndWith("\r"));
  }

  @Test
  void eachDeadLetterOffsetIsWhereItsLineStartsInItsFile() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> letters = Files.readAllLines(Path.of(OUT + ".invalid"));
    assertThat(letters).hasSize(5);
    for (String line : letters) {
      var letter = json.readTree(line);
      byte[] file = Files.readAllBytes(Path.of(letter.path("origin").asText()));
      int start = (int) letter.path("offset").asLong(-1);
      assertThat(start).as(line).isBetween(0, file.length - 1);
      int end = start;
      while (end < file.length && file[end] != '\n' && file[end] != '\r') {
        end++;
      }
      String atOffset = new String(file, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
      assertThat(atOffset).as("the line at offset " + start).isEqualTo(letter.path("line").asText());
    }
  }

  @Test
  void everyEventReadIsAggregatedOrInvalid() {
    Actuator actuator = new Actuator(port);
    assertThat(actuator.metric("agg.events.read")).isEqualTo(8.0);
    assertThat(actuator.metric("agg.events.invalid")).isEqualTo(5.0);
    assertThat(actuator.metric("agg.events.late.dropped")).isEqualTo(0.0);
    long aggregated = JsonLines.rows(OUT).stream().mapToLong(r -> r.count()).sum();
    assertThat(aggregated).isEqualTo(3);
  }
}
