import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The small-input benchmark: the seed batch job (`java -jar app.jar --agg.mode=batch --agg.exit-when-done=true`, the
 * packaged 7-event sample), end to end, several times, its rows checked against the plain-Java reference every run.
 * With a second jar it runs both alternately and prints the paired differences too: on a noisy 2-core machine the
 * medians of two separate batches differ by more than most start-up changes are worth.
 *
 * <p>Usage (see bench/start.sh): java StartBench JAR CLASSPATH DATA_DIR RUNS [OTHER_JAR]
 */
public final class StartBench {

  private static final Path SAMPLE = Path.of("src/main/resources/samples/tutorial-events.jsonl");

  public static void main(String[] args) throws Exception {
    List<Path> jars = new ArrayList<>(List.of(Path.of(args[0])));
    String referenceClassPath = args[1];
    Path dataDir = Path.of(args[2]);
    int runs = Integer.parseInt(args[3]);
    if (args.length > 4 && !args[4].isBlank()) {
      jars.add(Path.of(args[4]));
    }
    Files.createDirectories(dataDir);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path reference = dataDir.resolve("start-reference.jsonl");
    Bench.measure(List.of(java, "-cp", referenceClassPath, "PlainJavaReference", SAMPLE.toString(),
        reference.toString(), "fixed:60"));

    List<List<Double>> seconds = new ArrayList<>();
    for (Path jar : jars) {
      seconds.add(new ArrayList<>());
      // The first start of a jar extracts it and writes its class-data archive (seconds more, once): not counted.
      seedJob(java, jar, dataDir, reference);
    }
    for (int i = 1; i <= runs; i++) {
      StringBuilder line = new StringBuilder("run " + i + ":");
      for (int j = 0; j < jars.size(); j++) {
        double s = seedJob(java, jars.get(j), dataDir, reference);
        seconds.get(j).add(s);
        line.append(String.format(Locale.ROOT, " %s %.2f s", jars.get(j), s));
      }
      System.err.println(line);
    }

    System.out.printf("%nThe seed batch job, end to end, %d runs each, rows checked against the reference:%n%n", runs);
    System.out.println("| jar | median s | fastest s | slowest s |");
    System.out.println("|---|---:|---:|---:|");
    for (int j = 0; j < jars.size(); j++) {
      List<Double> sorted = seconds.get(j).stream().sorted().toList();
      System.out.printf(Locale.ROOT, "| %s | **%.2f** | %.2f | %.2f |%n", jars.get(j), median(sorted), sorted.get(0),
          sorted.get(sorted.size() - 1));
    }
    if (jars.size() == 2) {
      List<Double> differences = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        differences.add(seconds.get(0).get(i) - seconds.get(1).get(i));
      }
      List<Double> sorted = differences.stream().sorted().toList();
      long faster = differences.stream().filter(d -> d < 0).count();
      System.out.printf(Locale.ROOT, "%n%s minus %s, run by run: median %+.2f s (%+.2f to %+.2f); faster in %d of %d"
          + " runs%n", jars.get(0), jars.get(1), median(sorted), sorted.get(0), sorted.get(sorted.size() - 1), faster,
          runs);
    }
  }

  /** One run of the seed batch job: its wall time, after checking its rows. */
  private static double seedJob(String java, Path jar, Path dataDir, Path reference)
      throws IOException, InterruptedException {
    Path rows = dataDir.resolve("start-app.jsonl");
    Path log = dataDir.resolve("start-app.log");
    // As a user runs it (rows to stdout), on a free port so that a server on 8080 does not stop it
    Bench.Measurement m = Bench.measure(List.of(java, "-jar", jar.toString(), "--agg.mode=batch",
        "--agg.exit-when-done=true", "--server.port=0"), rows, log);
    String difference = Bench.compare(reference, rows);
    if (difference != null) {
      throw new IllegalStateException(jar + ": rows differ from the reference: " + difference + " (log: " + log + ")");
    }
    return m.seconds();
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
