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
import java.util.HashMap;
import java.util.Map;

/**
 * The yardstick: a single-threaded plain Java loop doing windowpane's batch aggregation. Reads JSON Lines with
 * Jackson, counts and sums amounts per user and 60 s epoch-aligned window, writes one row per user and window in
 * windowpane's row format.
 *
 * <p>Usage: java PlainJavaReference in.jsonl out.jsonl [windowSeconds]
 */
public final class PlainJavaReference {

  private static final class Totals {
    long count;
    double sum;
  }

  public static void main(String[] args) throws IOException {
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1]);
    long windowMillis = (args.length > 2 ? Long.parseLong(args[2]) : 60) * 1000;
    ObjectMapper json = new ObjectMapper();
    Map<String, Map<Long, Totals>> byUser = new HashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode event = json.readTree(line);
        long millis = new BigDecimal(event.get("event_time").asText()).movePointRight(3)
            .setScale(0, RoundingMode.FLOOR).longValueExact();
        long start = Math.floorDiv(millis, windowMillis) * windowMillis;
        Totals totals = byUser.computeIfAbsent(event.get("user_id").asText(), u -> new HashMap<>())
            .computeIfAbsent(start, s -> new Totals());
        totals.count++;
        totals.sum += event.get("amount").asDouble();
      }
    }
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        JsonGenerator generator = json.getFactory().createGenerator(writer)) {
      for (Map.Entry<String, Map<Long, Totals>> user : byUser.entrySet()) {
        for (Map.Entry<Long, Totals> window : user.getValue().entrySet()) {
          generator.writeStartObject();
          generator.writeStringField("user_id", user.getKey());
          generator.writeNumberField("count", window.getValue().count);
          generator.writeNumberField("sum_amount", window.getValue().sum);
          generator.writeStringField("window_start", Instant.ofEpochMilli(window.getKey()).toString());
          generator.writeStringField("window_end", Instant.ofEpochMilli(window.getKey() + windowMillis).toString());
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
}
