package io.windowpane.testing;

import io.windowpane.pipeline.ResultRow;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

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

  /**
   * The tutorial's seven events run as bounded input (a batch run, or the seed scenario without allowed lateness):
   * one final ON_TIME pane per user and window. A batch reads the late u2 3 with the rest ({@code withLateEvent});
   * the scenario without allowed lateness drops it.
   */
  public static ResultRow[] tutorialFinalTotals(boolean withLateEvent) {
    return new ResultRow[] {
      row("u1", 2, 35.0, 0, "ON_TIME", 0, true, true),
      withLateEvent ? row("u2", 2, 11.0, 0, "ON_TIME", 0, true, true) : row("u2", 1, 8.0, 0, "ON_TIME", 0, true, true),
      row("u1", 1, -5.0, 1, "ON_TIME", 0, true, true),
      row("u2", 1, 12.0, 1, "ON_TIME", 0, true, true),
      row("u3", 1, 9.0, 1, "ON_TIME", 0, true, true),
    };
  }

  /** Discarding mode differs only in the LATE row: it holds just the late element. */
  public static ResultRow[] seedScenarioDiscarding() {
    ResultRow[] rows = seedScenarioAccumulating();
    rows[2] = row("u2", 1, 3.0, 0, "LATE", 1, false, true);
    return rows;
  }

  /**
   * The tutorial's seven events (SPEC section 3: the built-in sample and seed scenario) as a reference, with or
   * without the late u2 3 at +50 (which no row holds where the allowed lateness is 0).
   */
  public static ReferenceAggregation seedReference(boolean withLateEvent) {
    ReferenceAggregation reference = new ReferenceAggregation(60_000);
    long t0 = T0.toEpochMilli();
    reference.add("u1", new BigDecimal("20"), t0 + 5_000);
    reference.add("u1", new BigDecimal("15"), t0 + 20_000);
    reference.add("u2", new BigDecimal("8"), t0 + 35_000);
    reference.add("u1", new BigDecimal("-5"), t0 + 62_000);
    reference.add("u2", new BigDecimal("12"), t0 + 70_000);
    reference.add("u3", new BigDecimal("9"), t0 + 75_000);
    if (withLateEvent) {
      reference.add("u2", new BigDecimal("3"), t0 + 50_000);
    }
    return reference;
  }

  /** The last pane of each user's window: with accumulating panes, its final totals. */
  public static List<ResultRow> lastPanes(List<ResultRow> rows) {
    return List.copyOf(rows.stream().collect(Collectors.toMap(
        row -> row.key() + " " + row.windowStart() + " " + row.windowEnd(), row -> row,
        (a, b) -> a.paneIndex() > b.paneIndex() ? a : b)).values());
  }

  /** User, window, count and sum of each row: a window's totals, whatever pane carried them. */
  public static List<String> totals(List<ResultRow> rows) {
    return rows.stream().map(row -> row.key() + " " + row.windowStart() + "-" + row.windowEnd() + " "
        + row.count() + " " + row.sumAmount().stripTrailingZeros().toPlainString()).toList();
  }
}
