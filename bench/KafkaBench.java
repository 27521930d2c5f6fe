import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka benchmark (not a test), everything through windowpane's own embedded broker and replay:
 *
 * <ul>
 *   <li><b>throughput</b>: N events (bench/data/events-N.jsonl, the batch benchmark's workload) are published into
 *       the topic, then read bounded ({@code stop-at=end}); per runner: whole-process wall time and peak RSS
 *       (medians), the job's own time from its log (events/s through Kafka), the publishing time, and rows checked
 *       equal to the plain-Java reference.
 *   <li><b>latency</b>: a live job fed at a steady RATE events/s for SECONDS, event time = send time (a real-time
 *       replay of evenly spaced events), 10 s windows, 1 s out-of-orderness; the bench watches the results file and
 *       notes when each ON_TIME row appears: its delay after the window's end, and the latency from a record being
 *       produced to its ON_TIME row.
 * </ul>
 *
 * <p>Usage (see bench/kafka.sh): java KafkaBench JAR CLASSPATH DATA_DIR SIZE RUNS RATE SECONDS RUNNERS
 */
public final class KafkaBench {

  private static final Pattern JOB_MS = Pattern.compile("Job DONE in (\\d+) ms");
  private static final Pattern REPLAY_MS = Pattern.compile("Replay published (\\d+) records into topic \\S+ in (\\d+) ms");

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    String classPath = args[1];
    Path data = Path.of(args[2]);
    long size = Long.parseLong(args[3]);
    int runs = Integer.parseInt(args[4]);
    int rate = Integer.parseInt(args[5]);
    int seconds = Integer.parseInt(args[6]);
    String[] runners = args[7].split(",");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Files.createDirectories(data);

    Path events = data.resolve("events-" + size + ".jsonl");
    if (!Files.exists(events)) {
      run(List.of(java, "-cp", classPath, "GenerateEvents", Long.toString(size), events.toString()));
    }
    Path reference = data.resolve("reference-" + size + ".jsonl");
    run(List.of(java, "-cp", classPath, "PlainJavaReference", events.toString(), reference.toString(), "fixed:60"));

    List<String> table = new ArrayList<>();
    for (String runner : runners) {
      List<Bench.Measurement> whole = new ArrayList<>();
      List<Double> jobSeconds = new ArrayList<>();
      List<Double> publishSeconds = new ArrayList<>();
      for (int i = 1; i <= runs; i++) {
        Path out = data.resolve("kafka-" + runner + ".jsonl");
        Path log = data.resolve("kafka-" + runner + ".log");
        Bench.Measurement m = Bench.measure(List.of(java, "-jar", jar.toString(), "--agg.stream.source=kafka",
            "--agg.kafka.embedded=true", "--agg.kafka.replay=" + events, "--agg.kafka.stop-at=end",
            "--agg.trigger.early-delay=0s", "--agg.runner=" + runner, "--agg.output.path=" + out,
            "--agg.exit-when-done=true", "--server.port=0"), ProcessBuilder.Redirect.to(log.toFile()));
        String logText = Files.readString(log);
        Files.delete(log);
        double job = group(JOB_MS, logText, 1) / 1000.0;
        double publish = group(REPLAY_MS, logText, 2) / 1000.0;
        String difference = Bench.compare(reference, out);
        if (difference != null) {
          throw new IllegalStateException(runner + ": rows differ from the reference: " + difference);
        }
        whole.add(m);
        jobSeconds.add(job);
        publishSeconds.add(publish);
        System.err.printf(Locale.ROOT, "%s run %d: whole %.1f s, %d MB; publish %.1f s; job %.1f s (%,.0f events/s)%n",
            runner, i, m.seconds(), m.peakRssKb() / 1024, publish, job, size / job);
      }
      Bench.Measurement w = Bench.median(whole);
      double job = median(jobSeconds);
      table.add(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %,.0f | %.1f | %,d |", runner, size,
          median(publishSeconds), job, size / job, w.seconds(), w.peakRssKb() / 1024));
    }
    System.out.printf("%nKafka throughput, medians of %d runs (embedded broker, replay then stop-at=end; rows checked"
        + " equal to the reference):%n%n", runs);
    System.out.println("| runner | events | publish s | job s | events/s through Kafka | whole process s | peak RSS MB |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    table.forEach(System.out::println);

    if (rate > 0) {
      for (String runner : runners) {
        latency(java, jar, data, rate, seconds, runner);
      }
    }
  }

  private static void latency(String java, Path jar, Path data, int rate, int seconds, String runner)
      throws Exception {
    Path steady = data.resolve("steady-" + rate + "x" + seconds + ".jsonl");
    long t0 = 1_767_866_400_000L; // any window boundary: the replay moves it to the next one from now
    SplittableRandom random = new SplittableRandom(7);
    StringBuilder lines = new StringBuilder();
    for (long i = 0; i < (long) rate * seconds; i++) {
      lines.append(String.format(Locale.ROOT, "{\"user_id\":\"u%d\",\"amount\":%.2f,\"event_time\":%.3f}%n",
          random.nextInt(100), random.nextDouble() * 100, (t0 + i * 1000.0 / rate) / 1000.0));
    }
    Files.writeString(steady, lines);
    Path out = data.resolve("latency-" + runner + ".jsonl");
    Files.deleteIfExists(out);
    Path log = data.resolve("latency-" + runner + ".log");
    Process app = new ProcessBuilder(java, "-jar", jar.toString(), "--agg.stream.source=kafka",
        "--agg.kafka.embedded=true", "--agg.kafka.replay=" + steady, "--agg.kafka.replay-pacing=real-time",
        "--agg.window.size=10s", "--agg.kafka.max-out-of-orderness=1s", "--agg.trigger.early-delay=0s",
        "--agg.runner=" + runner, "--agg.output.path=" + out, "--server.port=0")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Map<String, Long> seen = new HashMap<>();
    long peakRss = 0;
    long deadline = System.currentTimeMillis() + (seconds + 90) * 1000L;
    long windows = 0;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(out)) {
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
          if (line.contains("\"ON_TIME\"")) {
            seen.putIfAbsent(line, System.currentTimeMillis());
          }
        }
      }
      peakRss = Math.max(peakRss, Bench.rssOfTree(app.toHandle()));
      windows = seen.keySet().stream().map(KafkaBench::windowEnd).distinct().count();
      if (windows >= seconds / 10) {
        break;
      }
      Thread.sleep(20);
    }
    app.destroy();
    app.waitFor(60, TimeUnit.SECONDS);
    List<Double> delays = new ArrayList<>();
    double recordLatencySum = 0;
    long records = 0;
    for (Map.Entry<String, Long> row : seen.entrySet()) {
      long end = windowEnd(row.getKey());
      double delay = (row.getValue() - end) / 1000.0;
      delays.add(delay);
      long count = Long.parseLong(field(row.getKey(), "count"));
      // the row's records were produced evenly over its 10 s window: on average 5 s before the window's end
      recordLatencySum += count * (delay + 5.0);
      records += count;
    }
    delays.sort(Double::compare);
    System.out.printf(Locale.ROOT, "%nKafka latency on %s at %,d events/s for %d s (10 s windows, max-out-of-orderness"
            + " 1 s, %d windows, %d ON_TIME rows, peak RSS %d MB):%n", runner, rate, seconds, windows, delays.size(),
        peakRss / 1024);
    if (delays.isEmpty()) {
      System.out.println("no ON_TIME rows seen; see " + log);
      return;
    }
    System.out.printf(Locale.ROOT, "  window end -> ON_TIME row written: median %.2f s, p95 %.2f s, max %.2f s%n",
        delays.get(delays.size() / 2), delays.get((int) (delays.size() * 0.95)), delays.get(delays.size() - 1));
    System.out.printf(Locale.ROOT, "  record produced -> its ON_TIME row: mean %.2f s%n", recordLatencySum / records);
  }

  private static long windowEnd(String row) {
    return Instant.parse(field(row, "window_end")).toEpochMilli();
  }

  private static String field(String row, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]+)").matcher(row);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in " + row);
    }
    return m.group(1);
  }

  private static long group(Pattern pattern, String text, int group) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no '" + pattern + "' in the log");
    }
    return Long.parseLong(m.group(group));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    if (new ProcessBuilder(command).inheritIO().start().waitFor() != 0) {
      throw new IllegalStateException("failed: " + command);
    }
  }
}
