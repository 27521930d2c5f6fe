package io.windowpane.testing;

import io.windowpane.pipeline.ResultRow;
import io.windowpane.pipeline.WindowShape;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plain-Java totals per user and window: what a batch run must report, one ON_TIME row per user and window. Fixed
 * and sliding windows align to the epoch; sessions merge a user's events that are less than the gap apart, as
 * Beam's {@code Sessions} does.
 */
public final class ReferenceAggregation {

  private record Event(String user, BigDecimal amount, long millis) {}

  private final long windowMillis;
  private final List<Event> events = new ArrayList<>();

  public ReferenceAggregation(long windowMillis) {
    this.windowMillis = windowMillis;
  }

  /** An event whose amount is the decimal as written: {@code BigDecimal.valueOf(12.34)} is 12.34. */
  public void add(String user, BigDecimal amount, long eventTimeMillis) {
    events.add(new Event(user, amount, eventTimeMillis));
  }

  /** Fixed windows of the size given at construction. */
  public List<ResultRow> rows() {
    return rows(WindowShape.fixed(Duration.ofMillis(windowMillis)));
  }

  public List<ResultRow> rows(WindowShape shape) {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, BigDecimal> sums = new TreeMap<>();
    if (shape.kind() == WindowShape.Kind.SESSION) {
      sessions(shape.gap().toMillis(), counts, sums);
    } else {
      long size = shape.size().toMillis();
      long period = shape.kind() == WindowShape.Kind.SLIDING ? shape.period().toMillis() : size;
      for (Event e : events) {
        for (long start = Math.floorDiv(e.millis(), period) * period; start > e.millis() - size; start -= period) {
          add(counts, sums, e.user(), start, start + size, e.amount());
        }
      }
    }
    List<ResultRow> rows = new ArrayList<>();
    counts.forEach((key, count) -> {
      String[] parts = key.split("\u0000");
      rows.add(new ResultRow(parts[0], count[0], sums.get(key), Instant.ofEpochMilli(Long.parseLong(parts[1]))
          .toString(), Instant.ofEpochMilli(Long.parseLong(parts[2])).toString(), "ON_TIME", 0, true, true));
    });
    return rows;
  }

  private void sessions(long gap, Map<String, long[]> counts, Map<String, BigDecimal> sums) {
    List<Event> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparing(Event::user).thenComparingLong(Event::millis));
    int i = 0;
    while (i < sorted.size()) {
      String user = sorted.get(i).user();
      long start = sorted.get(i).millis();
      long end = start + gap;
      List<Event> session = new ArrayList<>();
      while (i < sorted.size() && sorted.get(i).user().equals(user) && sorted.get(i).millis() < end) {
        session.add(sorted.get(i));
        end = Math.max(end, sorted.get(i).millis() + gap);
        i++;
      }
      for (Event e : session) {
        add(counts, sums, user, start, end, e.amount());
      }
    }
  }

  private static void add(Map<String, long[]> counts, Map<String, BigDecimal> sums, String user, long start, long end,
      BigDecimal amount) {
    String key = user + "\u0000" + start + "\u0000" + end;
    counts.computeIfAbsent(key, k -> new long[1])[0]++;
    sums.merge(key, amount, BigDecimal::add);
  }
}
