import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The batch benchmark: generates the seeded workload, then for each size runs the plain-Java reference and
 * windowpane (`java -jar app.jar --agg.mode=batch ...`, default JVM flags) several times, alternating, checks that
 * windowpane's rows equal the reference totals, and prints medians of wall time, events/s and peak RSS (summed over
 * the process and its children, sampled every 20 ms) with the app/reference ratios.
 *
 * <p>Usage (see bench/run.sh): java Bench JAR CLASSPATH DATA_DIR SIZES RUNS [extra app args...]
 */
public final class Bench {

  record Measurement(double seconds, long peakRssKb) {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    String referenceClassPath = args[1];
    Path dataDir = Path.of(args[2]);
    long[] sizes = Arrays.stream(args[3].split(",")).mapToLong(Long::parseLong).toArray();
    int runs = Integer.parseInt(args[4]);
    List<String> appArgs = List.of(args).subList(5, args.length);
    Files.createDirectories(dataDir);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    List<String> table = new ArrayList<>();
    for (long size : sizes) {
      Path events = dataDir.resolve("events-" + size + ".jsonl");
      if (!Files.exists(events)) {
        System.err.printf("generating %,d events into %s%n", size, events);
        run(List.of(java, "-cp", referenceClassPath, "GenerateEvents", Long.toString(size), events.toString()));
      }
      Path refOut = dataDir.resolve("reference-" + size + ".jsonl");
      Path appOut = dataDir.resolve("app-" + size + ".jsonl");
      List<Measurement> reference = new ArrayList<>();
      List<Measurement> floor = new ArrayList<>();
      List<Measurement> duckdb = new ArrayList<>();
      List<Measurement> app = new ArrayList<>();
      List<Measurement> plainBeam = new ArrayList<>();
      String chosenRunner = null;
      String windows = referenceWindows(appArgs);
      // The floor (bench/floor/Baseline.java) and DuckDB do fixed windows only.
      String floorClassPath = System.getenv().getOrDefault("FLOOR_CP", "");
      boolean fixed = windows.startsWith("fixed:");
      String windowSeconds = windows.substring(windows.indexOf(':') + 1);
      for (int i = 1; i <= runs; i++) {
        reference.add(measure(List.of(java, "-cp", referenceClassPath, "PlainJavaReference", events.toString(),
            refOut.toString(), windows)));
        if (fixed && !floorClassPath.isEmpty()) {
          Path floorOut = dataDir.resolve("floor-" + size + ".jsonl");
          floor.add(measure(List.of(java, "-cp", floorClassPath, "Baseline", events.toString(), floorOut.toString(),
              windowSeconds)));
          check("the floor", compare(refOut, floorOut));
        }
        if (fixed) {
          Path duckOut = dataDir.resolve("duckdb-" + size + ".jsonl");
          duckdb.add(measure(List.of(java, "-cp", referenceClassPath, "DuckDbTotals", events.toString(),
              duckOut.toString(), windowSeconds)));
          check("DuckDB", compare(refOut, duckOut));
        }
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString(), "--agg.mode=batch",
            "--agg.batch.input=" + events, "--agg.output.path=" + appOut, "--agg.exit-when-done=true",
            "--server.port=0"));
        command.addAll(appArgs);
        Path appLog = dataDir.resolve("app-" + size + ".log");
        app.add(measure(command, ProcessBuilder.Redirect.to(appLog.toFile())));
        check("windowpane", compare(refOut, appOut));
        chosenRunner = runnerOf(appLog);
        // The same pipeline written as a plain Beam program, on the runner windowpane chose (files on Flink run in
        // its batch execution)
        Path beamOut = dataDir.resolve("plain-beam-" + size);
        plainBeam.add(measure(List.of(java, "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "-cp", referenceClassPath, "PlainBeam", events.toString(),
            beamOut.toString(), windows, chosenRunner.equals("flink") ? "flink-batch" : chosenRunner)));
        check("plain Beam", compare(refOut, Path.of(beamOut + ".jsonl")));
        System.err.printf("%,d events, run %d: reference %.2f s %d MB; plain Beam (%s) %.2f s %d MB; windowpane (%s)"
            + " %.2f s %d MB%n", size, i, reference.get(i - 1).seconds(), reference.get(i - 1).peakRssKb() / 1024,
            chosenRunner, plainBeam.get(i - 1).seconds(), plainBeam.get(i - 1).peakRssKb() / 1024, chosenRunner,
            app.get(i - 1).seconds(), app.get(i - 1).peakRssKb() / 1024);
      }
      Measurement win = median(app);
      row(table, size, "plain-Java reference (Jackson, one thread)", median(reference), win);
      if (!floor.isEmpty()) {
        row(table, size, "floor (bench/floor/Baseline.java)", median(floor), win);
      }
      if (!duckdb.isEmpty()) {
        row(table, size, "DuckDB 1.4.4 (one GROUP BY over read_json)", median(duckdb), win);
      }
      row(table, size, "plain Beam program (bench/PlainBeam.java), " + chosenRunner, median(plainBeam), win);
      table.add(String.format(Locale.ROOT, "| %,d | **windowpane** (" + chosenRunner + ") | %.2f | %,.0f | %,d | |", size, win.seconds(),
          size / win.seconds(), win.peakRssKb() / 1024));
    }
    System.out.printf("%nMedians of %d runs each, windows %s (app args: %s), rows checked equal to the reference:%n%n",
        runs, referenceWindows(appArgs),
        appArgs.isEmpty() ? "defaults" : String.join(" ", appArgs));
    System.out.println("| events | program | wall s | events/s | peak RSS MB | windowpane / this |");
    System.out.println("|---:|---|---:|---:|---:|---|");
    table.forEach(System.out::println);
  }

  private static final Pattern RUNNER = Pattern.compile("Runner: (\\w+) ");

  /** The runner a windowpane run chose, from its log. */
  private static String runnerOf(Path log) throws IOException {
    Matcher m = RUNNER.matcher(Files.readString(log));
    if (!m.find()) {
      throw new IllegalStateException("no 'Runner:' line in " + log);
    }
    return m.group(1);
  }

  private static void row(List<String> table, long size, String program, Measurement m, Measurement win) {
    table.add(String.format(Locale.ROOT, "| %,d | %s | %.2f | %,.0f | %,d | %.1fx time, %.1fx RSS |", size, program,
        m.seconds(), size / m.seconds(), m.peakRssKb() / 1024, win.seconds() / m.seconds(),
        (double) win.peakRssKb() / m.peakRssKb()));
  }

  private static void check(String program, String difference) {
    if (difference != null) {
      throw new IllegalStateException(program + "'s rows differ from the reference: " + difference);
    }
  }

  /** The reference's window argument for the app's --agg.window.* arguments: fixed:60, sliding:60:30, session:5. */
  static String referenceWindows(List<String> appArgs) {
    Map<String, String> window = new HashMap<>(Map.of("type", "fixed", "size", "60s"));
    for (String arg : appArgs) {
      if (arg.startsWith("--agg.window.") && arg.contains("=")) {
        window.put(arg.substring("--agg.window.".length(), arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      }
    }
    return switch (window.get("type")) {
      case "sliding" -> "sliding:" + seconds(window.get("size")) + ":" + seconds(window.get("period"));
      case "session" -> "session:" + seconds(window.get("gap"));
      default -> "fixed:" + seconds(window.get("size"));
    };
  }

  /** Seconds of a Spring duration written as 90s, 2m or 1h. */
  private static long seconds(String duration) {
    long n = Long.parseLong(duration.substring(0, duration.length() - 1));
    return switch (duration.charAt(duration.length() - 1)) {
      case 'm' -> n * 60;
      case 'h' -> n * 3600;
      default -> n;
    };
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).inheritIO().start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("failed: " + command);
    }
  }

  /** Wall time and peak RSS of the process and its descendants (windowpane runs in a child JVM). */
  static Measurement measure(List<String> command) throws IOException, InterruptedException {
    return measure(command, ProcessBuilder.Redirect.DISCARD);
  }

  /** The same, with the process's stderr (its log) sent where asked. */
  static Measurement measure(List<String> command, ProcessBuilder.Redirect stderr)
      throws IOException, InterruptedException {
    return measure(command, ProcessBuilder.Redirect.DISCARD, stderr);
  }

  /** The same, with the process's stdout (rows, when it writes them there) and stderr kept in files. */
  static Measurement measure(List<String> command, Path stdout, Path stderr) throws IOException, InterruptedException {
    return measure(command, ProcessBuilder.Redirect.to(stdout.toFile()), ProcessBuilder.Redirect.to(stderr.toFile()));
  }

  private static Measurement measure(List<String> command, ProcessBuilder.Redirect stdout,
      ProcessBuilder.Redirect stderr) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectOutput(stdout).redirectError(stderr).start();
    long peak = 0;
    while (!process.waitFor(20, TimeUnit.MILLISECONDS)) {
      peak = Math.max(peak, rssOfTree(process.toHandle()));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (process.exitValue() != 0) {
      throw new IllegalStateException("exit code " + process.exitValue() + ": " + command);
    }
    return new Measurement(seconds, peak);
  }

  /** RSS of a process and its descendants, in kB. */
  static long rssOfTree(ProcessHandle process) {
    long rss = rssKb(process);
    for (ProcessHandle child : process.descendants().toList()) {
      rss += rssKb(child);
    }
    return rss;
  }

  private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

  private static long rssKb(ProcessHandle process) {
    try {
      Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(process.pid()), "status")));
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
  }

  static Measurement median(List<Measurement> measurements) {
    double[] seconds = measurements.stream().mapToDouble(Measurement::seconds).sorted().toArray();
    long[] rss = measurements.stream().mapToLong(Measurement::peakRssKb).sorted().toArray();
    return new Measurement(seconds[seconds.length / 2], rss[rss.length / 2]);
  }

  /** Null when both files hold the same (user, window) -> count, sum (to 1e-6) and all app rows are ON_TIME. */
  static String compare(Path reference, Path app) throws IOException {
    Map<String, String> expected = totals(reference);
    Map<String, String> actual = totals(app);
    if (!expected.equals(actual)) {
      for (Map.Entry<String, String> e : expected.entrySet()) {
        if (!e.getValue().equals(actual.get(e.getKey()))) {
          return e.getKey() + ": expected " + e.getValue() + ", got " + actual.get(e.getKey()) + " ("
              + expected.size() + " vs " + actual.size() + " rows)";
        }
      }
      return expected.size() + " vs " + actual.size() + " rows";
    }
    return null;
  }

  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[^,}]+)");

  private static Map<String, String> totals(Path file) throws IOException {
    Map<String, String> totals = new HashMap<>();
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      lines.forEach(line -> {
        Map<String, String> f = new HashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
          f.put(m.group(1), m.group(2));
        }
        if (!"\"ON_TIME\"".equals(f.get("pane_timing"))) {
          throw new IllegalStateException("not an ON_TIME row: " + line);
        }
        String key = f.get("user_id") + " " + f.get("window_start");
        String sum = new BigDecimal(f.get("sum_amount")).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        if (totals.put(key, f.get("count") + " / " + sum) != null) {
          throw new IllegalStateException("two rows for " + key);
        }
      });
    }
    return totals;
  }
}
