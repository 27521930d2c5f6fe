package io.windowpane.source;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * A stream scenario (SPEC section 4), validated: what arrives when, and how the watermark and processing time move.
 * Step numbers are 1-based, as the user counts them in the YAML file.
 *
 * @param location where the scenario was read from, for messages and the origin of its lines
 */
public record Scenario(String location, Instant baseTime, List<Step> steps) implements Serializable {

  public Scenario {
    steps = List.copyOf(steps);
  }

  /** One scripted step. */
  public sealed interface Step extends Serializable permits AddElements, AdvanceWatermark, AdvanceProcessingTime {
    int number();
  }

  /**
   * Elements arrive.
   *
   * @param lines each element as a JSON event line with its absolute event time
   */
  public record AddElements(int number, List<TimedLine> lines) implements Step {
    public AddElements {
      lines = List.copyOf(lines);
    }
  }

  /** The watermark advances to {@code toMillis} (epoch), or to infinity when {@code toEnd}. */
  public record AdvanceWatermark(int number, long toMillis, boolean toEnd) implements Step {}

  /** Processing time advances by {@code millis}. */
  public record AdvanceProcessingTime(int number, long millis) implements Step {}

  /** An element as an input line, with its event time. */
  public record TimedLine(String json, long eventTimeMillis) implements Serializable {}
}
