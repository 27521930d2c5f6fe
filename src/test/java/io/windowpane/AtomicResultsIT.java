package io.windowpane;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.testing.EventGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch results appear at their path only when the job succeeded: SIGTERM in the middle of a real run of the
 * packaged jar leaves the previous results and dead letters untouched and no partial file behind; a finished run
 * replaces them.
 */
class AtomicResultsIT {

  @TempDir Path dir;

  @Test
  void anInterruptedBatchRunLeavesThePreviousResultsAndAFinishedOneReplacesThem() throws Exception {
    Path input = dir.resolve("events.jsonl");
    // 13 MB: Flink's batch execution (from 4 MB), still running 1.5 s after it started
    Files.write(input, EventGenerator.generate(3, 150_000, 500, 1_767_866_400_000L, 86_400_000L, 60_000, 0.001)
        .lines());
    Path results = dir.resolve("out/results.jsonl");
    Path deadLetters = dir.resolve("out/results.jsonl.invalid");
    Files.createDirectories(results.getParent());
    Files.writeString(results, "previous results\n");
    Files.writeString(deadLetters, "previous dead letters\n");

    Path log = dir.resolve("interrupted.log");
    Process interrupted = start(log, input, results);
    awaitLogLine(log, "Starting batch job", 60);
    Thread.sleep(1_500);
    assertThat(interrupted.isAlive()).as("still running when interrupted").isTrue();
    interrupted.destroy(); // SIGTERM
    assertThat(interrupted.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(Files.readString(results)).isEqualTo("previous results\n");
    assertThat(Files.readString(deadLetters)).isEqualTo("previous dead letters\n");
    assertThat(leftovers()).isEmpty();

    Process finished = start(dir.resolve("finished.log"), input, results);
    assertThat(finished.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(finished.exitValue()).as(Files.readString(dir.resolve("finished.log"))).isZero();
    assertThat(Files.readString(results)).startsWith("{\"user_id\"");
    assertThat(Files.readString(deadLetters)).contains("\"reason\"");
    assertThat(leftovers()).isEmpty();
  }

  private List<Path> leftovers() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("out"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".in-progress")).toList();
    }
  }

  private Process start(Path log, Path input, Path results) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("target", "app.jar").toAbsolutePath().toString(), "--agg.mode=batch",
        "--agg.batch.input=" + input, "--agg.output.path=" + results, "--agg.exit-when-done=true",
        "--server.port=0"));
    return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
  }

  private static void awaitLogLine(Path log, String text, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no '" + text + "' in the log within " + seconds + " s");
  }
}
