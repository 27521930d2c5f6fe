package io.windowpane.testing;

import io.windowpane.pipeline.ResultRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plain-Java reference the batch pipeline must agree with: count and sum per user and epoch-aligned fixed
 * window, one final ON_TIME row each.
 */
public final class ReferenceAggregation {

  private final long windowMillis;
  private final Map<String, long[]> counts = new TreeMap<>();
  private final Map<String, Double> sums = new TreeMap<>();

  public ReferenceAggregation(long windowMillis) {
    this.windowMillis = windowMillis;
  }

  public void add(String user, double amount, long eventTimeMillis) {
    long start = Math.floorDiv(eventTimeMillis, windowMillis) * windowMillis;
    String key = user + "\u0000" + start;
    counts.computeIfAbsent(key, k -> new long[1])[0]++;
    sums.merge(key, amount, Double::sum);
  }

  public List<ResultRow> rows() {
    List<ResultRow> rows = new ArrayList<>();
    counts.forEach((key, count) -> {
      String[] parts = key.split("\u0000");
      long start = Long.parseLong(parts[1]);
      rows.add(new ResultRow(parts[0], count[0], sums.get(key), Instant.ofEpochMilli(start).toString(),
          Instant.ofEpochMilli(start + windowMillis).toString(), "ON_TIME", 0, true, true));
    });
    return rows;
  }
}
