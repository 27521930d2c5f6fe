package io.windowpane.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.windowpane.pipeline.ResultRow;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * What the job reported to the pane diagram: fired panes, element arrivals and scenario steps, each with the wall
 * time it was seen in the pipeline. Bounded: the newest {@link #MAX_PANES} panes and {@link #MAX_ARRIVALS}
 * arrivals are kept, so a job that runs for weeks holds a fixed amount.
 */
@Component
public class PaneJournal {

  public static final int MAX_PANES = 2_000;
  public static final int MAX_ARRIVALS = 5_000;

  /** Records carry their kind and time beside the row's fields. */
  private static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS) // sums and amounts exactly as written
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private final Deque<Pane> panes = new ArrayDeque<>();
  private final Deque<Arrival> arrivals = new ArrayDeque<>();
  /** Scenario step number -> when its marker passed (the step and all it caused were done). */
  private final Map<Integer, Instant> stepsDone = new TreeMap<>();
  private long panesSeen;
  private long arrivalsSeen;
  private boolean readBack;

  /** A fired pane: its result row, and when the pipeline emitted it. */
  public record Pane(ResultRow row, Instant at) {}

  /** An element read: its user, event time and amount, and when the pipeline read it. */
  public record Arrival(String key, Instant eventTime, BigDecimal amount, Instant at) {}

  /** A consistent copy for drawing; lists in the order things happened, steps in their order. */
  public record Snapshot(List<Pane> panes, List<Arrival> arrivals, SortedMap<Integer, Instant> stepsDone,
      long panesSeen, long arrivalsSeen, boolean readBack) {}

  /** Takes a batch of records posted by the pipeline (a JSON array); malformed ones or unknown kinds are refused. */
  public void accept(String posted) {
    JsonNode records = parse(posted);
    if (!records.isArray()) {
      throw new IllegalArgumentException("expected a JSON array of records");
    }
    List<Pane> newPanes = new ArrayList<>();
    List<Arrival> newArrivals = new ArrayList<>();
    Map<Integer, Instant> newSteps = new TreeMap<>();
    for (JsonNode record : records) {
      Instant at = micros(record.path("at").asLong());
      switch (record.path("kind").asText()) {
        case "pane" -> newPanes.add(new Pane(row(record), at));
        case "element" -> newArrivals.add(new Arrival(record.path("user_id").asText(),
            Instant.parse(record.path("event_time").asText()), record.path("amount").decimalValue(), at));
        case "step" -> newSteps.putIfAbsent(record.path("step").asInt(), at);
        default -> throw new IllegalArgumentException("unknown record kind: " + record.path("kind"));
      }
    }
    synchronized (this) {
      panesSeen += newPanes.size();
      newPanes.forEach(pane -> add(panes, pane, MAX_PANES));
      arrivalsSeen += newArrivals.size();
      newArrivals.forEach(arrival -> add(arrivals, arrival, MAX_ARRIVALS));
      newSteps.forEach(stepsDone::putIfAbsent);
    }
  }

  public synchronized Snapshot snapshot() {
    List<Pane> sortedPanes = new ArrayList<>(panes);
    sortedPanes.sort(Comparator.comparing(Pane::at));
    List<Arrival> sortedArrivals = new ArrayList<>(arrivals);
    sortedArrivals.sort(Comparator.comparing(Arrival::at));
    return new Snapshot(List.copyOf(sortedPanes), List.copyOf(sortedArrivals),
        Collections.unmodifiableSortedMap(new TreeMap<>(stepsDone)), panesSeen, arrivalsSeen, readBack);
  }

  /**
   * Result rows read back from the job's output after it ended (JSON lines, SPEC section 5), for a job whose
   * workers could not report (a remote cluster): they have no processing times, so the diagram draws them along
   * event time only.
   */
  public void readBack(List<String> lines) {
    List<Pane> rows = lines.stream().filter(line -> !line.isBlank())
        .map(line -> new Pane(row(parse(line)), Instant.EPOCH)).toList();
    synchronized (this) {
      readBack = true;
      panesSeen += rows.size();
      rows.forEach(pane -> add(panes, pane, MAX_PANES));
    }
  }

  private static <T> void add(Deque<T> deque, T item, int max) {
    deque.addLast(item);
    if (deque.size() > max) {
      deque.removeFirst();
    }
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static ResultRow row(JsonNode record) {
    try {
      return JSON.treeToValue(record, ResultRow.class);
    } catch (Exception e) {
      throw new IllegalArgumentException("not a result row: " + record, e);
    }
  }

  private static Instant micros(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
