package io.windowpane.pipeline;

import java.io.Serializable;

/**
 * Where a live input's event was read: its origin (a scenario step, {@code kafka:<topic>/<partition>}), its offset
 * there where there is one, and the line itself. Kept with the event up to the lateness check, so that an event too
 * late for its windows becomes a dead letter like any rejected line ({@link SplitOffLateEvents}).
 */
public record LineOrigin(String origin, Long offset, String line) implements Serializable {

  /** The dead letter of this line. */
  public InvalidLine deadLetter(String reason) {
    return new InvalidLine(origin, offset, line, reason);
  }
}
