package io.windowpane.job;

import io.windowpane.config.AggProperties;
import io.windowpane.config.InvalidJobSpecException;
import io.windowpane.runner.RunnerArgs;
import io.windowpane.runner.RunnerChoice;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether file outputs are single files or Beam's shards ({@code agg.output.layout}), and how many shards.
 * One file, appended to in bundles, is exact while every writer is a thread of this JVM; a remote cluster's task
 * managers are other processes, often on other hosts over shared storage, and a runner there may retry a bundle.
 */
final class OutputSharding {

  private OutputSharding() {}

  /** 0 for single files, else the number of shards per output. */
  static int shards(AggProperties properties, RunnerChoice runner) {
    AggProperties.Output output = properties.output();
    boolean sharded = switch (output.layout()) {
      case SINGLE_FILE -> false;
      case SHARDED -> {
        if (properties.checkpointed()) {
          // Beam's file sink writes a pane's shards when it fires and again when a bundle is retried after a
          // restore: neither once nor tied to the checkpoint that took the pane
          throw new InvalidJobSpecException("agg.output.layout", "sharded", "is not exactly once on a checkpointed"
              + " live job: its shards are written as panes fire, again after a restore. Use agg.output.layout=auto"
              + " or single-file (one file per output, committed with each checkpoint, on any cluster)");
        }
        yield true;
      }
      // a checkpointed live job writes each file through one exactly-once writer, on any cluster
      case AUTO -> runner.flink() && !properties.checkpointed()
          && (RunnerArgs.remoteFlinkMaster(properties.runnerArgs())
              || parallelism(properties.runnerArgs()).orElse(1) > 1);
    };
    if (!sharded) {
      return 0;
    }
    if (output.shards() > 0) {
      return output.shards();
    }
    return Math.max(1, parallelism(properties.runnerArgs()).orElse(1));
  }

  /** The {@code --parallelism} given, if it is a number (anything else is refused with the other runner args). */
  private static Optional<Integer> parallelism(List<String> runnerArgs) {
    try {
      return RunnerArgs.value(runnerArgs, "parallelism").map(Integer::valueOf);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
