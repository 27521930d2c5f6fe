package io.windowpane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

/** Waits for a condition of a running system, polling; a check that throws counts as "not yet". */
public final class Await {

  /** A condition that may fail while the system is not up yet. */
  public interface Condition {
    boolean holds() throws Exception;
  }

  private Await() {}

  public static void until(String what, Duration timeout, Condition condition) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Throwable last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.holds()) {
          // where a test's time goes, in its report: most of an IT's time is spent in these waits
          System.out.printf("waited %.1f s for %s%n", (System.nanoTime() - start) / 1e9, what);
          return;
        }
      } catch (Exception | AssertionError notYet) {
        last = notYet;
      }
      Thread.sleep(250);
    }
    AssertionError timedOut = new AssertionError("timed out waiting for " + what);
    if (last != null) {
      timedOut.initCause(last);
    }
    throw timedOut;
  }

  /** Whether a checkpoint or savepoint in {@code checkpoints} was completed (its _metadata written) after {@code since}. */
  public static boolean checkpointCompletedAfter(Path checkpoints, Instant since) {
    if (!Files.exists(checkpoints)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(checkpoints)) {
      return files.filter(file -> file.getFileName().toString().equals("_metadata"))
          .anyMatch(file -> modified(file).isAfter(since));
    } catch (IOException | UncheckedIOException e) {
      return false; // Flink removed a folder meanwhile
    }
  }

  private static Instant modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }
}
