package io.windowpane.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One output row (SPEC section 5): one fired pane's count and sum for one key (a user, in the tutorial's shape) and
 * window, with the pane's own timing, index and first/last flags, and the least and greatest value where the job
 * asks for them. Window bounds are ISO-8601 UTC instants. How a row is written, with the names the job's event
 * mapping gives its fields, is {@link RowFormat}'s.
 */
@JsonPropertyOrder({
  "user_id", "count", "sum_amount", "window_start", "window_end",
  "pane_timing", "pane_index", "pane_is_first", "pane_is_last"
})
public record ResultRow(
    @JsonProperty("user_id") String key,
    @JsonProperty("count") long count,
    @JsonProperty("sum_amount") BigDecimal sumAmount,
    @JsonProperty("window_start") String windowStart,
    @JsonProperty("window_end") String windowEnd,
    @JsonProperty("pane_timing") String paneTiming,
    @JsonProperty("pane_index") long paneIndex,
    @JsonProperty("pane_is_first") boolean paneIsFirst,
    @JsonProperty("pane_is_last") boolean paneIsLast,
    @JsonProperty("min") @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal min,
    @JsonProperty("max") @JsonInclude(JsonInclude.Include.NON_NULL) BigDecimal max)
    implements Serializable {

  /** A row of a job that keeps no minimum or maximum (the default aggregates, count and sum). */
  public ResultRow(String key, long count, BigDecimal sumAmount, String windowStart, String windowEnd,
      String paneTiming, long paneIndex, boolean paneIsFirst, boolean paneIsLast) {
    this(key, count, sumAmount, windowStart, windowEnd, paneTiming, paneIndex, paneIsFirst, paneIsLast, null,
        null);
  }

  /**
   * Equal rows have equal sums as numbers: {@code 11} and {@code 11.0} are the same sum (the written scale follows
   * the input's amounts).
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof ResultRow that
        && count == that.count && paneIndex == that.paneIndex && paneIsFirst == that.paneIsFirst
        && paneIsLast == that.paneIsLast && Objects.equals(key, that.key)
        && sameNumber(sumAmount, that.sumAmount)
        && Objects.equals(windowStart, that.windowStart) && Objects.equals(windowEnd, that.windowEnd)
        && Objects.equals(paneTiming, that.paneTiming) && sameNumber(min, that.min) && sameNumber(max, that.max);
  }

  private static boolean sameNumber(BigDecimal a, BigDecimal b) {
    return a == null ? b == null : b != null && a.compareTo(b) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, count, sumAmount == null ? null : sumAmount.stripTrailingZeros(), windowStart,
        windowEnd, paneTiming, paneIndex, paneIsFirst, paneIsLast, min == null ? null : min.stripTrailingZeros(),
        max == null ? null : max.stripTrailingZeros());
  }
}
