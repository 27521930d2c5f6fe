package io.windowpane.pipeline;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * One pane's figures for one user and window: how many events and the exact decimal sum of their values, and, where
 * the job asks for them ({@code agg.aggregates} with {@code min} or {@code max}), the least and the greatest value.
 *
 * @param min the least value, or null where the job does not keep it
 * @param max the greatest value, or null where the job does not keep it
 */
public record CountSum(long count, BigDecimal sum, BigDecimal min, BigDecimal max) implements Serializable {

  /** Count and sum only: the figures (and the wire format) of a job that asks for no minimum or maximum. */
  public CountSum(long count, BigDecimal sum) {
    this(count, sum, null, null);
  }

  /** One event's figures: count 1 and its value, and the value as minimum and maximum where they are kept. */
  public static CountSum of(BigDecimal value, boolean range) {
    return range ? new CountSum(1, value, value, value) : new CountSum(1, value);
  }
}
