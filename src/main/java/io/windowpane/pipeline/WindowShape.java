package io.windowpane.pipeline;

import java.io.Serializable;
import java.time.Duration;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.WindowFn;

/**
 * Which event-time windows the aggregation uses (SPEC section 10): fixed windows of {@code size}, sliding windows of
 * {@code size} starting every {@code period}, or per-user sessions closed by {@code gap} of inactivity. All align to
 * the epoch, as Beam's own window functions do.
 *
 * @param period sliding windows only, else {@code null}
 * @param gap session windows only, else {@code null}; {@code size} is then unused
 */
public record WindowShape(Kind kind, Duration size, Duration period, Duration gap) implements Serializable {

  /** The kinds of window, as {@code agg.window.type} names them. */
  public enum Kind {
    FIXED,
    SLIDING,
    SESSION
  }

  public WindowShape {
    switch (kind) {
      case FIXED -> requirePositive("size", size);
      case SLIDING -> {
        requirePositive("size", size);
        requirePositive("period", period);
        if (period.compareTo(size) > 0) {
          throw new IllegalArgumentException("period " + period + " is longer than the window size " + size);
        }
      }
      case SESSION -> requirePositive("gap", gap);
    }
  }

  public static WindowShape fixed(Duration size) {
    return new WindowShape(Kind.FIXED, size, null, null);
  }

  public static WindowShape sliding(Duration size, Duration period) {
    return new WindowShape(Kind.SLIDING, size, period, null);
  }

  public static WindowShape sessions(Duration gap) {
    return new WindowShape(Kind.SESSION, null, null, gap);
  }

  /** Beam's window function for this shape. */
  public WindowFn<Object, IntervalWindow> windowFn() {
    return switch (kind) {
      case FIXED -> FixedWindows.of(millis(size));
      case SLIDING -> SlidingWindows.of(millis(size)).every(millis(period));
      case SESSION -> Sessions.withGapDuration(millis(gap));
    };
  }

  /** For the logs: "fixed windows of PT1M", "sliding windows of PT1M every PT30S", "sessions with a gap of PT5M". */
  public String describe() {
    return switch (kind) {
      case FIXED -> "fixed windows of " + size;
      case SLIDING -> "sliding windows of " + size + " every " + period;
      case SESSION -> "sessions with a gap of " + gap;
    };
  }

  private static org.joda.time.Duration millis(Duration duration) {
    return org.joda.time.Duration.millis(duration.toMillis());
  }

  private static void requirePositive(String name, Duration value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " is required");
    }
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }
}
