package io.windowpane.job;

import io.windowpane.checkpoint.CheckpointPlan;
import io.windowpane.checkpoint.WriterLock;
import io.windowpane.config.AggProperties;
import io.windowpane.runner.RemoteTwinCheck;
import io.windowpane.sink.JobOutputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes this instance the only writer of its live job (issue 34): no job of the same checkpoint folder still running
 * on a remote cluster ({@link RemoteTwinCheck}), a {@link WriterLock} on the checkpoint folder and one beside each
 * output file, taken at startup before anything there is read, tidied or appended to, and held until
 * the application ends (after the stop's savepoint). A job that ends by itself (batch, scenario) writes no shared
 * state and its files are replaced whole, so it takes none.
 */
final class JobWriterLocks implements AutoCloseable {

  private final List<WriterLock> locks;

  private JobWriterLocks(List<WriterLock> locks) {
    this.locks = List.copyOf(locks);
  }

  static JobWriterLocks take(AggProperties properties) {
    RemoteTwinCheck.refuseRunningTwin(properties);
    List<WriterLock> locks = new ArrayList<>();
    try {
      if (properties.checkpointed()) {
        CheckpointPlan.lockFolder(properties).ifPresent(locks::add);
      }
      if (properties.runsUntilStopped()) {
        AggProperties.Output output = properties.output();
        if (!output.path().isBlank()) {
          locks.add(lockBeside(output.path(), "agg.output.path"));
        }
        String deadLetters = JobOutputs.deadLetterFile(output.path(), output.deadLetterPath());
        // one file for both is refused by JobOutputs, with its own reason: not locked twice here
        if (deadLetters != null && !sameFile(deadLetters, output.path())) {
          locks.add(lockBeside(deadLetters, output.deadLetterPath().isBlank() ? "agg.output.path"
              : "agg.output.dead-letter-path"));
        }
      }
    } catch (RuntimeException refused) {
      locks.forEach(WriterLock::close);
      throw refused;
    }
    return new JobWriterLocks(locks);
  }

  private static boolean sameFile(String one, String other) {
    return !other.isBlank() && Path.of(one).toAbsolutePath().normalize()
        .equals(Path.of(other).toAbsolutePath().normalize());
  }

  /** {@code .<name>.lock} beside the file, hidden like its commit record. */
  private static WriterLock lockBeside(String file, String property) {
    Path path = Path.of(file).toAbsolutePath().normalize();
    return WriterLock.take(path.resolveSibling("." + path.getFileName() + ".lock"), property, file);
  }

  @Override
  public void close() {
    locks.forEach(WriterLock::close);
  }
}
