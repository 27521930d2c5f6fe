package io.windowpane.testing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random event lines for property-style tests. Amounts have up to two decimal places (most not representable
 * in binary floating point, as money is): sums must be the exact decimal sums in any order and bundling.
 */
public final class EventGenerator {

  /** Generated lines and the reference totals of their valid events. */
  public record Generated(List<String> lines, ReferenceAggregation reference, int valid, int invalid) {}

  private static final String[] BAD_LINES = {
    "{\"user_id\": \"u1\", \"amount\": 3", "plain text", "[1,2]", "{\"amount\": 1, \"event_time\": 5}",
    "{\"user_id\": \"u1\", \"amount\": \"x\", \"event_time\": 5}", "{\"user_id\": \"u1\", \"amount\": 1}",
  };

  private EventGenerator() {}

  public static Generated generate(long seed, int events, int users, long startMillis, long spanMillis,
      long windowMillis, double invalidShare) {
    Random random = new Random(seed);
    ReferenceAggregation reference = new ReferenceAggregation(windowMillis);
    List<String> lines = new ArrayList<>();
    int invalid = 0;
    for (int i = 0; i < events; i++) {
      if (random.nextDouble() < invalidShare) {
        lines.add(BAD_LINES[random.nextInt(BAD_LINES.length)]);
        invalid++;
        continue;
      }
      String user = "user-" + random.nextInt(users);
      java.math.BigDecimal amount = java.math.BigDecimal.valueOf(random.nextInt(400_001) - 200_000, random.nextInt(3));
      long millis = startMillis + (long) (random.nextDouble() * spanMillis);
      reference.add(user, amount, millis);
      String time = random.nextBoolean()
          ? java.math.BigDecimal.valueOf(millis).movePointLeft(3).toPlainString()
          : "\"" + java.time.Instant.ofEpochMilli(millis) + "\"";
      lines.add("{\"user_id\":\"" + user + "\",\"event_type\":\"purchase\",\"amount\":" + amount.toPlainString()
          + ",\"event_time\":" + time + "}");
    }
    return new Generated(lines, reference, events - invalid, invalid);
  }
}
