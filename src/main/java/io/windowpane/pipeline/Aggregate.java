package io.windowpane.pipeline;

/** The figures a row can hold per key and window (SPEC section 14, {@code agg.aggregates}). */
public enum Aggregate {
  COUNT,
  SUM,
  MIN,
  MAX,
  MEAN;

  /** Whether it reads the events' value field ({@code count} alone does not). */
  public boolean readsValue() {
    return this != COUNT;
  }

  /** Whether the figures must keep the least and greatest value for it. */
  public boolean needsRange() {
    return this == MIN || this == MAX;
  }

  /** Its field in a row: {@code count}, or e.g. {@code sum_amount} for the value field {@code amount}. */
  public String fieldName(String valueName) {
    return this == COUNT ? "count" : name().toLowerCase(java.util.Locale.ROOT) + "_" + valueName;
  }
}
