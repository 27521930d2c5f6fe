package io.windowpane;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.testing.Await;
import io.windowpane.testing.EventGenerator;
import io.windowpane.testing.JarProcess;
import io.windowpane.testing.JsonLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch results appear at their path only when the job succeeded: SIGTERM in the middle of a real run of the
 * packaged jar leaves the previous results and dead letters untouched and no partial file behind; a finished run
 * replaces them with exactly the reference's rows.
 */
class AtomicResultsIT {

  @TempDir Path dir;
  private JarProcess app;

  @AfterEach
  void cleanUp() {
    if (app != null) {
      app.destroyGroup();
    }
  }

  @Test
  void anInterruptedBatchRunLeavesThePreviousResultsAndAFinishedOneReplacesThem() throws Exception {
    Path input = dir.resolve("events.jsonl");
    // 13 MB: Flink's batch execution (from 4 MB), which runs for several seconds here
    EventGenerator.Generated events =
        EventGenerator.generate(3, 150_000, 500, 1_767_866_400_000L, 86_400_000L, 60_000, 0.001);
    Files.write(input, events.lines());
    Path results = dir.resolve("out/results.jsonl");
    Path deadLetters = dir.resolve("out/results.jsonl.invalid");
    Files.createDirectories(results.getParent());
    Files.writeString(results, "previous results\n");
    Files.writeString(deadLetters, "previous dead letters\n");

    app = start("interrupted.log", input, results);
    // the job is under way: its first progress line, written after half a second of running
    Await.until("the batch job running", Duration.ofSeconds(90),
        () -> app.log().contains("Progress: running for"));
    assertThat(app.isAlive()).as("still running when interrupted").isTrue();
    app.terminate(); // SIGTERM
    assertThat(app.waitFor(Duration.ofSeconds(60))).isTrue();
    assertThat(app.log()).contains("stopped by a shutdown before it finished");

    assertThat(Files.readString(results)).isEqualTo("previous results\n");
    assertThat(Files.readString(deadLetters)).isEqualTo("previous dead letters\n");
    assertThat(leftovers()).isEmpty();

    app = start("finished.log", input, results);
    assertThat(app.waitFor(Duration.ofSeconds(180))).isTrue();
    assertThat(app.exitValue()).as(app.log()).isZero();
    assertThat(JsonLines.rows(results)).containsExactlyInAnyOrderElementsOf(events.reference().rows());
    assertThat(Files.readAllLines(deadLetters)).hasSize(events.invalid())
        .allSatisfy(letter -> assertThat(JsonLines.parse(letter).path("reason").asText()).isNotBlank());
    assertThat(leftovers()).isEmpty();
  }

  private List<Path> leftovers() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("out"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".in-progress")).toList();
    }
  }

  private JarProcess start(String log, Path input, Path results) throws Exception {
    return JarProcess.start(dir, dir.resolve(log), List.of("--agg.mode=batch", "--agg.batch.input=" + input,
        "--agg.output.path=" + results, "--agg.exit-when-done=true", "--agg.progress-interval=500ms",
        "--server.port=0"));
  }
}
