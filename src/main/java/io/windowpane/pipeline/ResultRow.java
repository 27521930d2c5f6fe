package io.windowpane.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One output row (SPEC section 5): one fired pane's count and sum for one user and window, with the pane's own
 * timing, index and first/last flags. Window bounds are ISO-8601 UTC instants.
 */
@JsonPropertyOrder({
  "user_id", "count", "sum_amount", "window_start", "window_end",
  "pane_timing", "pane_index", "pane_is_first", "pane_is_last"
})
public record ResultRow(
    @JsonProperty("user_id") String userId,
    @JsonProperty("count") long count,
    @JsonProperty("sum_amount") BigDecimal sumAmount,
    @JsonProperty("window_start") String windowStart,
    @JsonProperty("window_end") String windowEnd,
    @JsonProperty("pane_timing") String paneTiming,
    @JsonProperty("pane_index") long paneIndex,
    @JsonProperty("pane_is_first") boolean paneIsFirst,
    @JsonProperty("pane_is_last") boolean paneIsLast)
    implements Serializable {

  /**
   * Equal rows have equal sums as numbers: {@code 11} and {@code 11.0} are the same sum (the written scale follows
   * the input's amounts).
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof ResultRow that
        && count == that.count && paneIndex == that.paneIndex && paneIsFirst == that.paneIsFirst
        && paneIsLast == that.paneIsLast && Objects.equals(userId, that.userId)
        && sameNumber(sumAmount, that.sumAmount)
        && Objects.equals(windowStart, that.windowStart) && Objects.equals(windowEnd, that.windowEnd)
        && Objects.equals(paneTiming, that.paneTiming);
  }

  private static boolean sameNumber(BigDecimal a, BigDecimal b) {
    return a == null ? b == null : b != null && a.compareTo(b) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(userId, count, sumAmount == null ? null : sumAmount.stripTrailingZeros(), windowStart,
        windowEnd, paneTiming, paneIndex, paneIsFirst, paneIsLast);
  }
}
