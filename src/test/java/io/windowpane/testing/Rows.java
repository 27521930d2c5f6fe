package io.windowpane.testing;

import io.windowpane.pipeline.ResultRow;
import java.math.BigDecimal;
import java.time.Instant;

/** Expected result rows, written the way SPEC section 5 lists them. */
public final class Rows {

  /** 2026-01-08T10:00:00Z: the base time of the built-in scenario and sample, on a window boundary. */
  public static final Instant T0 = Instant.parse("2026-01-08T10:00:00Z");

  private Rows() {}

  /** A row of the 60 s window starting {@code windowMinute} minutes after {@link #T0}. */
  public static ResultRow row(String user, long count, double sum, int windowMinute, String timing, long index,
      boolean first, boolean last) {
    return row(user, count, sum, T0.plusSeconds(60L * windowMinute), 60, timing, index, first, last);
  }

  public static ResultRow row(String user, long count, double sum, Instant windowStart, long windowSeconds,
      String timing, long index, boolean first, boolean last) {
    return new ResultRow(user, count, BigDecimal.valueOf(sum), windowStart.toString(), windowStart.plusSeconds(windowSeconds).toString(),
        timing, index, first, last);
  }

  /** The six rows SPEC section 5 requires for the built-in stream scenario in accumulating mode. */
  public static ResultRow[] seedScenarioAccumulating() {
    return new ResultRow[] {
      row("u1", 2, 35.0, 0, "ON_TIME", 0, true, false),
      row("u2", 1, 8.0, 0, "ON_TIME", 0, true, false),
      row("u2", 2, 11.0, 0, "LATE", 1, false, true),
      row("u1", 1, -5.0, 1, "ON_TIME", 0, true, false),
      row("u2", 1, 12.0, 1, "ON_TIME", 0, true, false),
      row("u3", 1, 9.0, 1, "ON_TIME", 0, true, false),
    };
  }

  /** Discarding mode differs only in the LATE row: it holds just the late element. */
  public static ResultRow[] seedScenarioDiscarding() {
    ResultRow[] rows = seedScenarioAccumulating();
    rows[2] = row("u2", 1, 3.0, 0, "LATE", 1, false, true);
    return rows;
  }
}
