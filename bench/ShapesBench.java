import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The same events in three shapes, aggregated by windowpane (docs/spec.md section 14): the tutorial's JSON Lines,
 * a nested JSON shape ({"order":{"customer":"u1","total":..},"at":"2026-01-08 10:00:05"}) and a CSV export, each
 * read under its mapping. Checks that all three give the same totals, and prints each shape's median wall time and
 * its ratio to the tutorial's shape.
 *
 * <p>Usage: java ShapesBench app.jar events.jsonl workDir runs [windowpane args...]
 */
public final class ShapesBench {

  private static final Pattern EVENT = Pattern.compile(
      "\\{\"user_id\":\"([^\"]+)\",\"event_type\":\"[^\"]*\",\"amount\":([^,]+),\"event_time\":([^}]+)}");

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    Path events = Path.of(args[1]);
    Path work = Path.of(args[2]);
    int runs = Integer.parseInt(args[3]);
    List<String> extra = List.of(args).subList(4, args.length);
    Files.createDirectories(work);
    Path nested = work.resolve(events.getFileName() + ".nested.jsonl");
    Path csv = work.resolve(events.getFileName() + ".csv");
    if (!Files.exists(nested) || !Files.exists(csv)) {
      reshape(events, nested, csv);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Map<String, List<String>> shapes = new java.util.LinkedHashMap<>();
    shapes.put("tutorial JSON (default mapping)", List.of("--agg.batch.input=" + events));
    shapes.put("nested JSON, ISO local times", List.of("--agg.batch.input=" + nested,
        "--agg.event.key=order.customer", "--agg.event.value=order.total", "--agg.event.time=at",
        "--agg.event.time-format=iso"));
    shapes.put("CSV, local times by pattern", List.of("--agg.batch.input=" + csv, "--agg.event.key=customer",
        "--agg.event.value=total", "--agg.event.time=at", "--agg.event.time-format=yyyy-MM-dd HH:mm:ss.SSS"));
    // Interleaved (each run tries every shape in turn), so that a slow spell of a shared machine hits all of them.
    Map<String, List<Double>> seconds = new java.util.LinkedHashMap<>();
    shapes.keySet().forEach(shape -> seconds.put(shape, new ArrayList<>()));
    Map<String, String> totals = null;
    Path out = work.resolve("shape-out.jsonl");
    for (int i = 0; i < runs; i++) {
      for (Map.Entry<String, List<String>> shape : shapes.entrySet()) {
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString(), "--agg.mode=batch",
            "--agg.output.path=" + out, "--agg.exit-when-done=true", "--server.port=0"));
        command.addAll(shape.getValue());
        command.addAll(extra);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(work.resolve("shape.log").toFile()).start();
        if (process.waitFor() != 0) {
          throw new IllegalStateException(shape.getKey() + " failed: see " + work.resolve("shape.log"));
        }
        seconds.get(shape.getKey()).add((System.nanoTime() - start) / 1e9);
        Map<String, String> these = totals(out);
        if (totals == null) {
          totals = these;
        } else if (!totals.equals(these)) {
          throw new IllegalStateException(shape.getKey() + " gave other totals than the tutorial's shape");
        }
      }
    }
    Map<String, Double> medians = new java.util.LinkedHashMap<>();
    seconds.forEach((shape, s) -> {
      System.err.printf(Locale.ROOT, "%s: %s s%n", shape, s);
      List<Double> sorted = new ArrayList<>(s);
      sorted.sort(Comparator.naturalOrder());
      medians.put(shape, sorted.get(sorted.size() / 2));
    });
    double base = medians.values().iterator().next();
    System.out.printf("%nMedians of %d interleaved runs, %s, the same %d rows from every shape:%n%n", runs, events.getFileName(),
        totals.size());
    System.out.println("| shape | wall s | / tutorial shape |");
    System.out.println("|---|---:|---:|");
    medians.forEach((shape, s) -> System.out.printf(Locale.ROOT, "| %s | %.2f | %.2fx |%n", shape, s, s / base));
  }

  /** The tutorial's events as nested JSON and as CSV, with local times (UTC, written without an offset). */
  private static void reshape(Path events, Path nested, Path csv) throws IOException {
    java.time.format.DateTimeFormatter local = java.time.format.DateTimeFormatter
        .ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(java.time.ZoneOffset.UTC);
    java.time.format.DateTimeFormatter iso = java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME
        .withZone(java.time.ZoneOffset.UTC);
    try (BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8);
        BufferedWriter json = Files.newBufferedWriter(nested, StandardCharsets.UTF_8);
        BufferedWriter rows = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      rows.write("customer,kind,total,at\n");
      String line;
      while ((line = in.readLine()) != null) {
        Matcher m = EVENT.matcher(line);
        if (!m.matches()) {
          throw new IllegalStateException("not a generated event: " + line);
        }
        long millis = new java.math.BigDecimal(m.group(3)).movePointRight(3)
            .setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
        java.time.Instant at = java.time.Instant.ofEpochMilli(millis);
        json.write("{\"order\":{\"customer\":\"" + m.group(1) + "\",\"kind\":\"purchase\",\"total\":" + m.group(2)
            + "},\"at\":\"" + iso.format(at) + "\"}\n");
        rows.write(m.group(1) + ",purchase," + m.group(2) + "," + local.format(at) + "\n");
      }
    }
  }

  private static final Pattern ROW = Pattern.compile(
      "\\{\"(?:user_id|customer)\":\"([^\"]+)\",\"count\":(\\d+),\"sum_(?:amount|total)\":([^,]+),"
          + "\"window_start\":\"([^\"]+)\"");

  /** Key and window to count and sum, whatever the field names. */
  private static Map<String, String> totals(Path out) throws IOException {
    Map<String, String> totals = new TreeMap<>();
    for (String row : Files.readAllLines(out)) {
      Matcher m = ROW.matcher(row);
      if (!m.find()) {
        throw new IllegalStateException("not a row: " + row);
      }
      totals.put(m.group(1) + "@" + m.group(4), m.group(2) + "/" + new java.math.BigDecimal(m.group(3))
          .stripTrailingZeros().toPlainString());
    }
    return totals;
  }
}
