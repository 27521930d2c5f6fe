package io.windowpane.pipeline;

import java.io.Serializable;
import java.time.Duration;

/**
 * How {@link KeyWindowAggregation} windows and fires: plain values, free of Spring, so the transform can be built
 * in a unit test or on a worker alike.
 *
 * @param earlyDelay processing-time delay after a pane's first element before an EARLY firing; zero = none
 * @param lateDelay processing-time delay after a late pane's first element before a LATE firing; zero = every
 *     late element fires
 * @param accumulating whether fired panes keep their elements (each pane restates the total so far)
 * @param boundedInput the whole input is read before the watermark moves ({@link #forBoundedInput()}): each window
 *     fires exactly once, so events may be combined within bundles before the grouping, and each result is its
 *     window's single final pane whatever the runner reports (SPEC section 5)
 * @param closingFiresAlways Beam's {@code ClosingBehavior.FIRE_ALWAYS}: a window that expires (its end plus the
 *     allowed lateness passes) fires a last pane even with nothing new since its previous firing, so every window ends
 *     with a row marked last; false: Beam's default, {@code FIRE_IF_NON_EMPTY}
 */
public record AggregationSpec(
    WindowShape window,
    Duration allowedLateness,
    Duration earlyDelay,
    Duration lateDelay,
    boolean accumulating,
    boolean boundedInput,
    boolean closingFiresAlways)
    implements Serializable {

  /** A spec with Beam's default closing behaviour. */
  public AggregationSpec(WindowShape window, Duration allowedLateness, Duration earlyDelay, Duration lateDelay,
      boolean accumulating, boolean boundedInput) {
    this(window, allowedLateness, earlyDelay, lateDelay, accumulating, boundedInput, false);
  }

  /** A spec that sends every event to the grouping on its own (any input, any trigger). */
  public AggregationSpec(
      WindowShape window, Duration allowedLateness, Duration earlyDelay, Duration lateDelay, boolean accumulating) {
    this(window, allowedLateness, earlyDelay, lateDelay, accumulating, false);
  }

  /** Fixed windows of {@code windowSize}. */
  public AggregationSpec(
      Duration windowSize, Duration allowedLateness, Duration earlyDelay, Duration lateDelay, boolean accumulating) {
    this(WindowShape.fixed(windowSize), allowedLateness, earlyDelay, lateDelay, accumulating, false);
  }

  public AggregationSpec {
    if (allowedLateness.isNegative() || earlyDelay.isNegative() || lateDelay.isNegative()) {
      throw new IllegalArgumentException("allowed lateness and trigger delays must be >= 0");
    }
  }

  /**
   * The spec for bounded input, where the whole input is read before the watermark moves and it then jumps to the
   * end of time. Nothing can be late, so allowed lateness only decides whether the ON_TIME pane is flagged last,
   * and that flag then depends on how the runner batches its timers; early firings would depend on how fast the
   * machine reads. Without both, every user and window gets exactly one ON_TIME pane, first and last, whatever
   * the input size and machine speed. With only the watermark firing, once per window, the events can be combined
   * within each bundle before the grouping: far fewer elements reach it, with identical results. The closing
   * behaviour is Beam's default: that single pane is the window's last, and a closing pane after it (Flink fires the
   * end-of-window and expiry timers one at a time) would be a second row.
   */
  public AggregationSpec forBoundedInput() {
    return new AggregationSpec(window, Duration.ZERO, Duration.ZERO, lateDelay, accumulating, true, false);
  }
}
