package io.windowpane.pipeline;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * One input event: who, what, how much, and when it happened (event time, epoch milliseconds).
 *
 * <p>A live input's events also carry, until the lateness check, where they were read ({@code origin}, else
 * {@code null}), and after it, which of their windows they missed: those that end before
 * {@code missedWindowsEndingBefore} (only sliding windows can be missed in part; {@code null} for none).
 *
 * @param eventType optional, may be {@code null}
 * @param amount the decimal written in the input, exactly ({@link EventParser#MAX_AMOUNT_DECIMALS})
 */
public record Event(String key, String eventType, BigDecimal amount, long eventTimeMillis, LineOrigin origin,
    Long missedWindowsEndingBefore) implements Serializable {

  public Event(String key, String eventType, BigDecimal amount, long eventTimeMillis) {
    this(key, eventType, amount, eventTimeMillis, null, null);
  }

  /** This event, with where it was read. */
  public Event readFrom(LineOrigin where) {
    return new Event(key, eventType, amount, eventTimeMillis, where, missedWindowsEndingBefore);
  }

  /** This event after the lateness check: on time for all its windows. */
  public Event onTime() {
    return new Event(key, eventType, amount, eventTimeMillis, null, null);
  }

  /** This event after the lateness check: on time for its windows that end at or after {@code windowsFrom}. */
  public Event onTimeFor(long windowsFrom) {
    return new Event(key, eventType, amount, eventTimeMillis, null, windowsFrom);
  }
}
