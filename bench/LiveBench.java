import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windowpane.testing.LiveProducer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The live benchmark (not a test): a live job with checkpoints (the default: embedded Flink, exactly-once outputs)
 * against a broker of its own process, fed by a producer at RATE events/s with event time = send time, 2 partitions,
 * 8 users, 10 s windows, max-out-of-orderness 1 s, no early firings. Producer, broker and job share this machine.
 * The producer is the tests' ({@code LiveProducer}, from target/test-classes).
 *
 * <ol>
 *   <li><b>Steady</b> (SECONDS): sustained throughput (events/s the job read, and how far it fell behind), the
 *       latency from an event being produced to its row becoming visible, in the results file and in the output topic
 *       (read_committed), p50 and p95 over every event, and the checkpoints' duration and size (Flink's REST API).
 *   <li><b>Crash</b>: production goes on; the job's process group is killed with SIGKILL and started again at once;
 *       the time until the resumed job has its first checkpoint, and until it has caught up.
 *   <li><b>Deploy</b>: production goes on; SIGTERM stops the job with a savepoint that keeps its open windows, and
 *       the same command starts it again at once: how long the stop took (Kubernetes allows 30 s by default), how far
 *       behind the job was at SIGTERM, and when the resumed job had its first checkpoint.
 *   <li><b>Check</b>: after a drain, every produced event is counted exactly once in the file and the topic, and no
 *       user's window has a second first pane.
 * </ol>
 *
 * <p>Usage (see bench/kafka.sh): java LiveBench JAR DATA_DIR RATE SECONDS
 */
public final class LiveBench {

  private static final long WINDOW_MILLIS = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REST = Pattern.compile("REST API on (http://127\\.0\\.0\\.1:\\d+)");
  private static volatile boolean watching = true;

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath();
    Path data = Path.of(args[1]).toAbsolutePath();
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    String brokerClassPath = args[4];
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path dir = data.resolve("live");
    deleteRecursively(dir);
    Files.createDirectories(dir);

    Process broker = new ProcessBuilder(java, "-Dlogback.configurationFile=bench/logback-bench.xml", "-Xmx512m",
        "-cp", brokerClassPath, "BenchBroker")
        .redirectErrorStream(true).redirectOutput(dir.resolve("broker.log").toFile()).start();
    String bootstrap = awaitLine(dir.resolve("broker.log"), Pattern.compile("^BROKER (\\S+)"), 60);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic("in", 2, (short) 1), new NewTopic("out", 2, (short) 1))).all().get();
    }
    List<String> app = List.of("setsid", java, "-jar", jar.toString(), "--agg.stream.source=kafka",
        "--agg.kafka.input-topic=in", "--agg.kafka.output-topic=out", "--spring.kafka.bootstrap-servers=" + bootstrap,
        "--spring.kafka.consumer.group-id=bench", "--agg.window.size=10s", "--agg.kafka.max-out-of-orderness=1s",
        "--agg.trigger.early-delay=0s", "--agg.output.path=" + dir.resolve("rows.jsonl"), "--server.port=0");
    Process job = start(app, dir, "job-1.log");
    String rest = awaitLine(dir.resolve("job-1.log"), REST, 120);
    awaitCheckpoint(rest, 1, 120);

    LiveProducer producer = new LiveProducer(bootstrap, "in", 2, rate, 7);
    RowWatch file = new RowWatch();
    RowWatch topic = new RowWatch();
    Thread fileWatch = daemon(() -> watchFile(dir.resolve("rows.jsonl"), file));
    Thread topicWatch = daemon(() -> watchTopic(bootstrap, topic));
    fileWatch.start();
    topicWatch.start();
    producer.start();
    long steadyStart = System.currentTimeMillis();
    Thread.sleep(seconds * 1000L);
    long steadyEnd = System.currentTimeMillis();
    long producedSteady = producer.acknowledged();
    long lagAtEnd = backlog(bootstrap);
    JsonNode checkpoints = get(rest, "/jobs/" + runningJob(rest) + "/checkpoints");

    // crash and resume, while production goes on
    Thread.sleep(5_000);
    kill(job);
    long restarted = System.currentTimeMillis();
    job = start(app, dir, "job-2.log");
    String rest2 = awaitLine(dir.resolve("job-2.log"), REST, 120);
    awaitCheckpoint(rest2, 1, 180);
    long firstCheckpoint = System.currentTimeMillis();
    Thread.sleep(10_000);

    // a deploy, while production goes on: SIGTERM keeps the open windows, the same command resumes them; the last
    // run drains on SIGTERM, to end the benchmark with every window's final pane
    long backlogAtSigterm = backlog(bootstrap);
    long terminated = System.currentTimeMillis();
    job.destroy();
    job.waitFor(120, TimeUnit.SECONDS);
    long stopped = System.currentTimeMillis();
    List<String> last = new ArrayList<>(app);
    last.add("--agg.shutdown=drain");
    job = start(last, dir, "job-3.log");
    String rest3 = awaitLine(dir.resolve("job-3.log"), REST, 120);
    awaitCheckpoint(rest3, 1, 180);
    long deployedCheckpoint = System.currentTimeMillis();
    Thread.sleep(10_000);
    List<LiveProducer.Sent> sent = producer.stop();
    producer.close();
    long producedAll = sent.size();
    long caughtUp = awaitCaughtUp(bootstrap, 180);
    job.destroy(); // SIGTERM with agg.shutdown=drain: every window's final pane, then a savepoint
    job.waitFor(120, TimeUnit.SECONDS);
    Thread.sleep(3_000); // the last rows reach the watchers
    watching = false;
    topicWatch.join();
    fileWatch.join();
    broker.destroy();
    broker.waitFor(60, TimeUnit.SECONDS);

    double steadySeconds = (steadyEnd - steadyStart) / 1000.0;
    System.out.printf(Locale.ROOT, "%nLive job with checkpoints (embedded Flink, checkpoints every 10 s, exactly-once"
        + " file and topic), producer at %,d events/s for %.0f s, 2 partitions, 10 s windows:%n%n", rate, steadySeconds);
    System.out.printf(Locale.ROOT, "  produced %,d events (%,.0f events/s); backlog at the end of the steady phase: %,d"
        + " events%n", producedSteady, producedSteady / steadySeconds, lagAtEnd);
    JsonNode summary = checkpoints.path("summary");
    System.out.printf(Locale.ROOT, "  checkpoints: %d completed, duration p50 %d ms, max %d ms; size p50 %,d bytes,"
            + " max %,d bytes%n", checkpoints.path("counts").path("completed").asLong(),
        summary.path("end_to_end_duration").path("p50").asLong(),
        summary.path("end_to_end_duration").path("max").asLong(),
        summary.path("checkpointed_size").path("p50").asLong(),
        summary.path("checkpointed_size").path("max").asLong());
    List<Double> fileLatency = latencies(sent, file, steadyStart, steadyEnd);
    List<Double> topicLatency = latencies(sent, topic, steadyStart, steadyEnd);
    System.out.printf(Locale.ROOT, "  event produced -> its row visible (events of the steady phase): file p50 %.2f s,"
            + " p95 %.2f s; topic (read_committed) p50 %.2f s, p95 %.2f s%n", percentile(fileLatency, 0.5),
        percentile(fileLatency, 0.95), percentile(topicLatency, 0.5), percentile(topicLatency, 0.95));
    System.out.printf(Locale.ROOT, "  kill -9 and restart: first checkpoint of the resumed job %.1f s after the"
        + " restart; caught up %.1f s after the restart%n", (firstCheckpoint - restarted) / 1000.0,
        (caughtUp - restarted) / 1000.0);
    System.out.printf(Locale.ROOT, "  SIGTERM (a deploy) with %,d events not yet read: the job stopped %.1f s after"
        + " SIGTERM, its open windows kept; first checkpoint of the resumed job %.1f s after the restart%n",
        backlogAtSigterm, (stopped - terminated) / 1000.0, (deployedCheckpoint - stopped) / 1000.0);
    Map<String, Long> expected = new HashMap<>();
    sent.forEach(event -> expected.merge(windowKey(event), 1L, Long::sum));
    System.out.printf(Locale.ROOT, "  exactly once after the crash, the deploy and a drain (%,d events): file %s, topic %s%n",
        producedAll, file.matches(expected), topic.matches(expected));
  }

  /** The rows an output showed, and when each user's window first had a row there. */
  private static final class RowWatch {
    private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    private final Map<String, Long> lastCount = new ConcurrentHashMap<>();
    private final Set<String> panes = ConcurrentHashMap.newKeySet();
    private final Set<String> firstPanes = ConcurrentHashMap.newKeySet();
    private volatile boolean duplicate;
    private volatile boolean secondFirst;

    void row(String line, long seenAt) {
      try {
        JsonNode row = JSON.readTree(line);
        String key = key(row.path("user_id").asText(), Instant.parse(row.path("window_start").asText()).toEpochMilli());
        if (!panes.add(key + "#" + row.path("pane_index").asLong())) {
          duplicate = true;
        }
        if (row.path("pane_is_first").asBoolean() && !firstPanes.add(key)) {
          secondFirst = true;
        }
        firstSeen.putIfAbsent(key, seenAt);
        lastCount.merge(key, row.path("count").asLong(), Math::max);
      } catch (IOException e) {
        throw new IllegalStateException("not a row: " + line, e);
      }
    }

    /** Accumulating panes: each window's last (largest) count is all of its events. */
    String matches(Map<String, Long> want) {
      if (duplicate) {
        return "NO (a pane twice)";
      }
      if (secondFirst) {
        return "NO (a window with a second first pane)";
      }
      return want.equals(lastCount) ? "yes" : "NO (" + difference(want, lastCount) + ")";
    }
  }

  private static String difference(Map<String, Long> want, Map<String, Long> got) {
    long missing = 0;
    long extra = 0;
    for (String key : want.keySet()) {
      long diff = want.get(key) - got.getOrDefault(key, 0L);
      missing += Math.max(0, diff);
      extra += Math.max(0, -diff);
    }
    for (String key : got.keySet()) {
      if (!want.containsKey(key)) {
        extra += got.get(key);
      }
    }
    return missing + " events missing, " + extra + " extra";
  }

  /**
   * Latency of every event of the steady phase (event time = send time): when its window's first row was seen, minus
   * when it was sent.
   */
  private static List<Double> latencies(List<LiveProducer.Sent> sent, RowWatch watch, long from, long to) {
    List<Double> latencies = new ArrayList<>();
    for (LiveProducer.Sent event : sent) {
      long at = event.eventTimeMillis();
      if (at >= from && at < to - WINDOW_MILLIS) {
        Long seen = watch.firstSeen.get(windowKey(event));
        latencies.add(seen == null ? Double.POSITIVE_INFINITY : (seen - at) / 1000.0);
      }
    }
    latencies.sort(Double::compare);
    return latencies;
  }

  private static String windowKey(LiveProducer.Sent event) {
    return key(event.user(), Math.floorDiv(event.eventTimeMillis(), WINDOW_MILLIS) * WINDOW_MILLIS);
  }

  private static double percentile(List<Double> sorted, double p) {
    return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * p));
  }

  private static void watchFile(Path file, RowWatch watch) {
    long position = 0;
    StringBuilder partial = new StringBuilder();
    while (watching) {
      try {
        if (Files.exists(file) && Files.size(file) > position) {
          try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(position);
            byte[] bytes = new byte[(int) (in.length() - position)];
            in.readFully(bytes);
            position += bytes.length;
            partial.append(new String(bytes, StandardCharsets.UTF_8));
            long now = System.currentTimeMillis();
            int newline;
            while ((newline = partial.indexOf("\n")) >= 0) {
              watch.row(partial.substring(0, newline), now);
              partial.delete(0, newline + 1);
            }
          }
        }
        Thread.sleep(20);
      } catch (IOException | InterruptedException e) {
        return;
      }
    }
  }

  private static void watchTopic(String bootstrap, RowWatch watch) {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
        "group.id", "bench-reader", "auto.offset.reset", "earliest", "isolation.level", "read_committed"),
        new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("out"));
      while (watching) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
          watch.row(record.value(), System.currentTimeMillis());
        }
      }
    } catch (RuntimeException e) {
      // the broker stopped
    }
  }

  /** Records in the input topic that the job has not committed yet (its group's lag). */
  private static long backlog(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      Map<TopicPartition, OffsetSpec> latest = Map.of(new TopicPartition("in", 0), OffsetSpec.latest(),
          new TopicPartition("in", 1), OffsetSpec.latest());
      long end = admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
      long committed = admin.listConsumerGroupOffsets("bench").partitionsToOffsetAndMetadata().get().values().stream()
          .filter(o -> o != null).mapToLong(o -> o.offset()).sum();
      return end - committed;
    }
  }

  private static long awaitCaughtUp(String bootstrap, int seconds) throws Exception {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      if (backlog(bootstrap) == 0) {
        return System.currentTimeMillis();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the job did not catch up within " + seconds + " s");
  }

  private static void awaitCheckpoint(String rest, long completed, int seconds) throws Exception {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      try {
        String job = runningJob(rest);
        if (job != null && get(rest, "/jobs/" + job + "/checkpoints").path("counts").path("completed").asLong()
            >= completed) {
          return;
        }
      } catch (IOException notYet) {
        // the cluster is starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no checkpoint within " + seconds + " s");
  }

  private static String runningJob(String rest) throws IOException, InterruptedException {
    for (JsonNode job : get(rest, "/jobs/overview").path("jobs")) {
      if ("RUNNING".equals(job.path("state").asText())) {
        return job.path("jid").asText();
      }
    }
    return null;
  }

  private static JsonNode get(String rest, String path) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(rest + path)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static Process start(List<String> command, Path dir, String log) throws IOException {
    return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve(log).toFile()).start();
  }

  private static void kill(Process job) throws Exception {
    new ProcessBuilder("kill", "-KILL", "--", "-" + job.pid()).inheritIO().start().waitFor();
    job.waitFor(30, TimeUnit.SECONDS);
    Thread.sleep(500);
  }

  private static String awaitLine(Path log, Pattern pattern, int seconds) throws Exception {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
          Matcher m = pattern.matcher(line);
          if (m.find()) {
            return m.group(1);
          }
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no '" + pattern + "' in " + log + " within " + seconds + " s");
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task);
    thread.setDaemon(true);
    return thread;
  }

  private static String key(String user, long windowStart) {
    return user + "@" + windowStart;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
