package io.windowpane.pipeline;

import java.io.Serializable;
import java.time.Duration;

/**
 * How {@link UserWindowAggregation} windows and fires: plain values, free of Spring, so the transform can be built
 * in a unit test or on a worker alike.
 *
 * @param earlyDelay processing-time delay after a pane's first element before an EARLY firing; zero = none
 * @param lateDelay processing-time delay after a late pane's first element before a LATE firing; zero = every
 *     late element fires
 * @param accumulating whether fired panes keep their elements (each pane restates the total so far)
 */
public record AggregationSpec(
    Duration windowSize, Duration allowedLateness, Duration earlyDelay, Duration lateDelay, boolean accumulating)
    implements Serializable {

  public AggregationSpec {
    if (windowSize.isNegative() || windowSize.isZero()) {
      throw new IllegalArgumentException("window size must be > 0, got " + windowSize);
    }
    if (allowedLateness.isNegative() || earlyDelay.isNegative() || lateDelay.isNegative()) {
      throw new IllegalArgumentException("allowed lateness and trigger delays must be >= 0");
    }
  }

  /**
   * The spec for bounded input, where the whole input is read before the watermark moves and it then jumps to the
   * end of time. Nothing can be late, so allowed lateness only decides whether the ON_TIME pane is flagged last,
   * and that flag then depends on how the runner batches its timers; early firings would depend on how fast the
   * machine reads. Without both, every user and window gets exactly one ON_TIME pane, first and last, whatever
   * the input size and machine speed.
   */
  public AggregationSpec forBoundedInput() {
    return new AggregationSpec(windowSize, Duration.ZERO, Duration.ZERO, lateDelay, accumulating);
  }
}
