package io.windowpane.runner;

import io.windowpane.config.AggProperties;
import io.windowpane.config.AggProperties.RunnerKind;
import io.windowpane.config.DurationText;
import java.util.Locale;

/**
 * The runner that runs the job (SPEC section 7), and why: {@code agg.runner}, or for {@code auto} the one that suits
 * the input, as measured on the benchmark workload (README, Performance):
 * <ul>
 *   <li>a scenario: the DirectRunner, the reference for a scripted watermark and processing time;
 *   <li>a live Kafka job: embedded Flink with checkpoints, the only runner whose state survives a crash;
 *   <li>a bounded Kafka read ({@code stop-at=end}): embedded Flink (about 30 times the DirectRunner's throughput);
 *   <li>files: Flink's batch execution from {@link #FLINK_BATCH_FROM_BYTES} on (sessions of 1M events: seconds,
 *       where the DirectRunner failed); below it the DirectRunner, whose start is about 2 s quicker.
 * </ul>
 *
 * @param kind {@link RunnerKind#DIRECT} or {@link RunnerKind#FLINK}, never {@code AUTO}
 * @param reason for the log
 */
public record RunnerChoice(RunnerKind kind, String reason) {

  /**
   * Input files from this size on run in Flink's batch execution: measured on 2 cores, the two runners' whole
   * processes took about as long at 30,000 events (2.5 MB), and Flink was ahead from 100,000 events (8.5 MB) on, by
   * far for session windows.
   */
  public static final long FLINK_BATCH_FROM_BYTES = 4L * 1024 * 1024;

  public RunnerChoice {
    if (kind == RunnerKind.AUTO) {
      throw new IllegalArgumentException("a chosen runner is direct or flink");
    }
  }

  /**
   * @param inputBytes the size of a batch job's input files (ignored for other jobs)
   */
  public static RunnerChoice of(AggProperties properties, long inputBytes) {
    if (properties.runner() != RunnerKind.AUTO) {
      return new RunnerChoice(properties.runner(), "agg.runner=" + properties.runner().name().toLowerCase());
    }
    if (properties.runsUntilStopped()) {
      return new RunnerChoice(RunnerKind.FLINK, "agg.runner=auto: a live Kafka job runs where its state survives a"
          + " crash (checkpoints every " + DurationText.of(properties.checkpoint().interval()) + ")");
    }
    if (properties.readsScenario()) {
      return new RunnerChoice(RunnerKind.DIRECT, "agg.runner=auto: a scenario runs on the DirectRunner, the"
          + " reference for its scripted watermark and processing time");
    }
    if (properties.mode() != AggProperties.Mode.BATCH) {
      return new RunnerChoice(RunnerKind.FLINK,
          "agg.runner=auto: a bounded Kafka read runs on Flink, many times faster than on the DirectRunner");
    }
    String size = megabytes(inputBytes);
    return inputBytes >= FLINK_BATCH_FROM_BYTES
        ? new RunnerChoice(RunnerKind.FLINK, "agg.runner=auto: " + size + " of input runs in Flink's batch execution"
            + " (from " + megabytes(FLINK_BATCH_FROM_BYTES) + " on)")
        : new RunnerChoice(RunnerKind.DIRECT, "agg.runner=auto: " + size + " of input runs on the DirectRunner, which"
            + " starts faster (Flink's batch execution from " + megabytes(FLINK_BATCH_FROM_BYTES) + " on)");
  }

  public boolean flink() {
    return kind == RunnerKind.FLINK;
  }

  /** {@code direct} or {@code flink}, for the logs and the page. */
  public String name() {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }
}
