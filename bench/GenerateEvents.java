import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seeded benchmark workload: N events, 100 users, event times spread evenly over one day from
 * 2026-01-08T00:00:00Z, 5% of them out of order (moved back by up to 90 s), amounts uniform in [0, 100).
 *
 * <p>Usage: java GenerateEvents N out.jsonl [seed]
 */
public final class GenerateEvents {

  static final long DAY_START = 1_767_830_400L; // 2026-01-08T00:00:00Z, epoch seconds
  static final double DAY_SECONDS = 86_400.0;
  static final int USERS = 100;

  public static void main(String[] args) throws IOException {
    long n = Long.parseLong(args[0]);
    Path out = Path.of(args[1]);
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 42L;
    SplittableRandom random = new SplittableRandom(seed);
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder(128);
      for (long i = 0; i < n; i++) {
        double t = DAY_START + i * DAY_SECONDS / n;
        if (random.nextDouble() < 0.05) {
          t -= random.nextDouble() * 90.0;
        }
        line.setLength(0);
        line.append("{\"user_id\":\"u").append(random.nextInt(USERS))
            .append("\",\"event_type\":\"purchase\",\"amount\":")
            .append(String.format(Locale.ROOT, "%.2f", random.nextDouble() * 100.0))
            .append(",\"event_time\":").append(String.format(Locale.ROOT, "%.3f", t)).append("}\n");
        writer.write(line.toString());
      }
    }
  }
}
