package io.windowpane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.pipeline.ResultRow;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Each user's window totals (count, sum of whole amounts): what a producer wrote, and what a job's rows say, for
 * checks that every event was counted exactly once.
 */
public final class WindowTotals {

  /** A user's window. */
  public record Key(String user, String windowStart) {}

  /** Count and sum of a window's events. */
  public record Totals(long count, long sum) {
    Totals plus(Totals other) {
      return new Totals(count + other.count, sum + other.sum);
    }
  }

  private WindowTotals() {}

  /** What the events add up to, per user and fixed window of {@code windowMillis}. */
  public static Map<Key, Totals> of(List<LiveProducer.Sent> events, long windowMillis) {
    return events.stream().collect(Collectors.groupingBy(
        event -> new Key(event.user(),
            Instant.ofEpochMilli(Math.floorDiv(event.eventTimeMillis(), windowMillis) * windowMillis).toString()),
        Collectors.reducing(new Totals(0, 0), event -> new Totals(1, event.amount()), Totals::plus)));
  }

  /** Discarding panes: each event is in exactly one pane of its window, so the panes add up to the window. */
  public static Map<Key, Totals> ofDiscardingPanes(List<ResultRow> rows) {
    return rows.stream().collect(Collectors.groupingBy(WindowTotals::key,
        Collectors.reducing(new Totals(0, 0), WindowTotals::totals, Totals::plus)));
  }

  /** Accumulating panes: the last pane of each window holds all of its events. */
  public static Map<Key, Totals> ofLastPanes(List<ResultRow> rows) {
    return rows.stream().collect(Collectors.groupingBy(WindowTotals::key, Collectors.collectingAndThen(
        Collectors.maxBy(Comparator.comparingLong(ResultRow::paneIndex)), row -> totals(row.orElseThrow()))));
  }

  /** No pane of a user's window was written twice. */
  public static void assertNoPaneTwice(List<ResultRow> rows) {
    assertThat(rows.stream().map(row -> List.of(row.key(), row.windowStart(), row.paneIndex())))
        .doesNotHaveDuplicates();
  }

  /**
   * The panes of each user's window are those of one uninterrupted run (SPEC section 13: stops and crashes change
   * nothing): exactly one first pane, at most one ON_TIME pane, indexes 0..n without repeats or gaps, and the first
   * pane is the one numbered 0.
   */
  public static void assertPanesOfOneRun(List<ResultRow> rows) {
    Map<Key, List<ResultRow>> byWindow = rows.stream().collect(Collectors.groupingBy(WindowTotals::key));
    assertThat(byWindow).as("windows with rows").isNotEmpty();
    byWindow.forEach((window, panes) -> {
      assertThat(panes).as("first panes of %s", window).filteredOn(ResultRow::paneIsFirst).singleElement()
          .extracting(ResultRow::paneIndex).isEqualTo(0L);
      assertThat(panes).as("ON_TIME panes of %s", window).filteredOn(row -> row.paneTiming().equals("ON_TIME"))
          .hasSizeLessThanOrEqualTo(1);
      assertThat(panes.stream().map(ResultRow::paneIndex).sorted()).as("pane indexes of %s", window)
          .containsExactlyElementsOf(java.util.stream.LongStream.range(0, panes.size()).boxed().toList());
    });
  }

  /** Each user's window ended with exactly one pane marked last ({@code closing-behavior=fire-always}, ended). */
  public static void assertOneLastPanePerWindow(List<ResultRow> rows) {
    rows.stream().collect(Collectors.groupingBy(WindowTotals::key)).forEach((window, panes) ->
        assertThat(panes).as("last panes of %s", window).filteredOn(ResultRow::paneIsLast).hasSize(1));
  }

  private static Key key(ResultRow row) {
    return new Key(row.key(), row.windowStart());
  }

  private static Totals totals(ResultRow row) {
    return new Totals(row.count(), row.sumAmount().longValueExact());
  }
}
