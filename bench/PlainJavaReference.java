import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The yardstick: a single-threaded plain Java loop doing windowpane's batch aggregation. Reads JSON Lines with
 * Jackson, counts and sums amounts per user and epoch-aligned window, writes one row per user and window in
 * windowpane's row format. Windows: {@code fixed:SIZE} (default {@code fixed:60}), {@code sliding:SIZE:PERIOD} or
 * {@code session:GAP}, in seconds.
 *
 * <p>Usage: java PlainJavaReference in.jsonl out.jsonl [windows]
 */
public final class PlainJavaReference {

  private static final class Totals {
    long end;
    long count;
    double sum;
  }

  public static void main(String[] args) throws IOException {
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1]);
    String[] windows = (args.length > 2 ? args[2] : "fixed:60").split(":");
    long size = Long.parseLong(windows[1]) * 1000;
    long period = windows[0].equals("sliding") ? Long.parseLong(windows[2]) * 1000 : size;
    boolean sessions = windows[0].equals("session");
    ObjectMapper json = new ObjectMapper();
    Map<String, Map<Long, Totals>> byUser = new HashMap<>();
    Map<String, List<double[]>> sessionEvents = new HashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode event = json.readTree(line);
        long millis = new BigDecimal(event.get("event_time").asText()).movePointRight(3)
            .setScale(0, RoundingMode.FLOOR).longValueExact();
        String user = event.get("user_id").asText();
        double amount = event.get("amount").asDouble();
        if (sessions) {
          sessionEvents.computeIfAbsent(user, u -> new ArrayList<>()).add(new double[] {millis, amount});
          continue;
        }
        Map<Long, Totals> userWindows = byUser.computeIfAbsent(user, u -> new HashMap<>());
        for (long start = Math.floorDiv(millis, period) * period; start > millis - size; start -= period) {
          Totals totals = userWindows.computeIfAbsent(start, s -> new Totals());
          totals.end = start + size;
          totals.count++;
          totals.sum += amount;
        }
      }
    }
    sessionEvents.forEach((user, events) -> byUser.put(user, sessions(events, size)));
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        JsonGenerator generator = json.getFactory().createGenerator(writer)) {
      for (Map.Entry<String, Map<Long, Totals>> user : byUser.entrySet()) {
        for (Map.Entry<Long, Totals> window : user.getValue().entrySet()) {
          generator.writeStartObject();
          generator.writeStringField("user_id", user.getKey());
          generator.writeNumberField("count", window.getValue().count);
          generator.writeNumberField("sum_amount", window.getValue().sum);
          generator.writeStringField("window_start", Instant.ofEpochMilli(window.getKey()).toString());
          generator.writeStringField("window_end", Instant.ofEpochMilli(window.getValue().end).toString());
          generator.writeStringField("pane_timing", "ON_TIME");
          generator.writeNumberField("pane_index", 0);
          generator.writeBooleanField("pane_is_first", true);
          generator.writeBooleanField("pane_is_last", true);
          generator.writeEndObject();
          generator.writeRaw('\n');
        }
      }
    }
  }

  /** A user's sessions: events less than {@code gap} apart share one, from the first event to the last + gap. */
  private static Map<Long, Totals> sessions(List<double[]> events, long gap) {
    events.sort(Comparator.comparingDouble(e -> e[0]));
    Map<Long, Totals> sessions = new HashMap<>();
    long start = 0;
    Totals current = null;
    for (double[] event : events) {
      long millis = (long) event[0];
      if (current == null || millis >= current.end) {
        start = millis;
        current = new Totals();
        sessions.put(start, current);
      }
      current.end = Math.max(current.end, millis + gap);
      current.count++;
      current.sum += event[1];
    }
    return sessions;
  }
}
