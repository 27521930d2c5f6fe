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

  /** The same spec without processing-time early firings. */
  public AggregationSpec withoutEarlyFirings() {
    return new AggregationSpec(windowSize, allowedLateness, Duration.ZERO, lateDelay, accumulating);
  }
}
