package io.windowpane;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.pipeline.ResultRow;
import io.windowpane.testing.Actuator;
import io.windowpane.testing.Await;
import io.windowpane.testing.JarProcess;
import io.windowpane.testing.JsonLines;
import io.windowpane.testing.Processes;
import io.windowpane.testing.Rows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged executable jar, run as users run it ({@code java -jar target/app.jar}, no extra flags), on both
 * runners: Flink's embedded cluster must work from inside Spring Boot's nested jar and give the DirectRunner's
 * rows, and leave nothing in the temporary directory. Runs in the integration-test phase, after packaging.
 */
class PackagedJarIT {

  @TempDir Path dir;
  /** The jars this test started: their process groups are killed after it, whatever happened. */
  private final List<JarProcess> apps = new ArrayList<>();

  @AfterEach
  void killWhatIsLeft() {
    apps.forEach(JarProcess::destroyGroup);
  }

  /**
   * The seed scenario on the embedded Flink cluster from inside the nested jar gives the DirectRunner's rows (the
   * DirectRunner, a scenario's default, runs it from the jar in the fast-start cache's test below).
   */
  @Test
  void flinkRunsTheSeedScenarioFromTheJar() throws Exception {
    assertThat(runJar("--agg.runner=flink")).containsExactlyInAnyOrder(Rows.seedScenarioAccumulating());
  }

  /**
   * Both runners, and both ways the jar starts: the DirectRunner's run is given a heap (-Xmx), so it runs in the JVM
   * the user started, through Spring Boot's launcher ({@code JarEntryPoint} hands over to it); the Flink run starts
   * the heap-capped child JVM, as {@code java -jar app.jar} does by default.
   */
  @Test
  void bothRunnersGiveIdenticalBatchRowsFromTheJar() throws Exception {
    JarRun direct = runJar(List.of("-Xmx512m"), Map.of(), "--agg.mode=batch", "--agg.runner=direct");
    JarRun flink = runJar(List.of(), Map.of(), "--agg.mode=batch", "--agg.runner=flink");

    assertThat(flink.rows()).containsExactlyInAnyOrderElementsOf(direct.rows());
    assertThat(direct.rows()).hasSize(5).extracting(ResultRow::paneTiming).containsOnly("ON_TIME");
    assertThat(direct.applicationPid()).as("given a heap, the application runs in the JVM the user started")
        .isEqualTo(direct.pid());
    assertThat(flink.applicationPid()).as("by default, in a heap-capped child JVM").isNotEqualTo(flink.pid());
  }

  /**
   * A SIGKILL reaches only the process it is sent to: the heap-capped child JVM must notice that its launcher is gone
   * and end, instead of serving the port and holding the job's inputs and outputs for good.
   */
  @Test
  void theChildJvmEndsWithinSecondsWhenTheProcessTheUserStartedIsKilled() throws Exception {
    JarProcess app = started(JarProcess.start(dir, dir.resolve("orphan.log"), List.of("--server.port=0")));
    // the seed scenario ran; the application stays up serving
    Await.until("the seed scenario's job is done", Duration.ofSeconds(90), () -> app.log().contains("Job DONE"));
    List<ProcessHandle> children = app.children();
    assertThat(children).hasSize(1);

    ProcessHandle.of(app.pid()).orElseThrow().destroyForcibly(); // SIGKILL to the `java -jar` process only
    long killed = System.nanoTime();
    // it notices within half a second (README); the wait's bound only ends a child that never notices
    Processes.awaitEnded(children.get(0), Duration.ofSeconds(30));
    System.out.printf("PackagedJarIT: the orphaned child ended %d ms after its launcher was killed%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
    assertThat(app.log()).contains("the process that launched this JVM").contains("is gone; stopping now");
  }

  @Test
  void theFirstRunPreparesTheFastStartCacheAndLaterRunsUseIt() throws Exception {
    Path cache = dir.resolve("cache");
    JarRun firstRun = runJar(List.of(), Map.of("WINDOWPANE_CACHE", cache.toString()));
    List<ResultRow> first = firstRun.rows();
    assertThat(firstRun.log()).as("the first run says why it takes longer to exit")
        .contains("first start of this build: when it exits, the JVM saves the classes it loaded");
    List<Path> builds;
    try (var places = Files.list(cache)) {
      builds = places.flatMap(place -> {
        try {
          return Files.list(place).filter(Files::isDirectory).toList().stream();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
    assertThat(builds).singleElement().satisfies(build -> {
      assertThat(build.resolveSibling("jar-location")).as("the copy's jar, so that the copy goes when the jar goes")
          .hasContent(Path.of("target", "app.jar").toAbsolutePath().toString());
      assertThat(build.resolve("app.jar")).isRegularFile();
      assertThat(build.resolve("lib")).isDirectory();
      assertThat(build.resolve("app.jsa")).as("class-data archive written at the end of the first run").isRegularFile();
    });
    Path archive = builds.get(0).resolve("app.jsa");
    FileTime written = Files.getLastModifiedTime(archive);

    JarRun secondRun = runJar(List.of(), Map.of("WINDOWPANE_CACHE", cache.toString()));
    List<ResultRow> second = secondRun.rows();
    assertThat(secondRun.log()).doesNotContain("first start of this build");

    assertThat(second).containsExactlyInAnyOrderElementsOf(first).containsExactlyInAnyOrder(
        Rows.seedScenarioAccumulating());
    assertThat(Files.getLastModifiedTime(archive)).as("the second run mapped the archive, not wrote one")
        .isEqualTo(written);
    try (var files = Files.list(builds.get(0))) {
      assertThat(files.map(file -> file.getFileName().toString())).containsExactlyInAnyOrder("app.jar", "lib",
          "app.jsa");
    }
  }

  /** The README's CSV example (your own events), from the jar: a CSV export with local times, a filter, every aggregate. */
  @Test
  void theReadmesCsvExampleFromTheJar() throws Exception {
    Path csv = Path.of("examples", "orders.csv").toAbsolutePath();
    JarRun run = runJar(List.of(), Map.of(), "--agg.mode=batch", "--agg.batch.input=" + csv,
        "--agg.event.key=customer", "--agg.event.time=placed", "--agg.event.time-format=yyyy-MM-dd HH:mm:ss",
        "--agg.event.time-zone=America/New_York", "--agg.event.value=total", "--agg.event.filter=status!=cancelled",
        "--agg.aggregates=count,sum,min,max,mean");
    String window = "\"window_start\":\"2026-01-08T10:00:00Z\",\"window_end\":\"2026-01-08T10:01:00Z\","
        + "\"pane_timing\":\"ON_TIME\",\"pane_index\":0,\"pane_is_first\":true,\"pane_is_last\":true}";
    assertThat(run.lines()).containsExactlyInAnyOrder(
        "{\"customer\":\"Smith, J\",\"count\":3,\"sum_total\":36.90,\"min_total\":4.6,\"max_total\":20.0,"
            + "\"mean_total\":12.3," + window,
        "{\"customer\":\"Lee\",\"count\":1,\"sum_total\":7.0,\"min_total\":7.0,\"max_total\":7.0,"
            + "\"mean_total\":7.0," + window);
    assertThat(run.log()).contains("6 events read, 4 aggregated, 1 filtered, 1 invalid, 0 too late");
  }

  /**
   * A run that runs out of memory ends with exit code 1 (the pipeline failed) and says on stderr what to do, instead
   * of hanging with a dead worker thread: the heap-capped child JVM exits on the error, and the JVM the user started
   * turns that into windowpane's exit code. The input is one line of 150 MB, more than a 128 MB heap holds as text.
   */
  @Test
  void aRunThatRunsOutOfMemoryExitsWithOneAndSaysWhatToDo() throws Exception {
    Path input = dir.resolve("one-huge-line.jsonl");
    try (var out = Files.newBufferedWriter(input)) {
      out.write("{\"user_id\":\"u1\",\"amount\":1,\"event_time\":\"2026-01-08T10:00:05Z\",\"note\":\"");
      char[] chunk = new char[1 << 20];
      java.util.Arrays.fill(chunk, 'x');
      for (int i = 0; i < 150; i++) {
        out.write(chunk);
      }
      out.write("\"}\n");
    }
    JarProcess app = started(JarProcess.in(dir).log(dir.resolve("oom.log")).stdout(dir.resolve("oom.out"))
        .env(Map.of("WINDOWPANE_MAX_HEAP", "128m")).start(List.of("--agg.mode=batch", "--agg.runner=direct",
            "--agg.batch.input=" + input, "--agg.exit-when-done=true", "--server.port=0")));
    assertThat(app.awaitExit(Duration.ofSeconds(180))).as(app.log()).isEqualTo(1);
    assertThat(app.log()).contains("windowpane: the job ran out of memory (maximum heap 128m). "
        + io.windowpane.launch.HeapCappedRelaunch.OUT_OF_MEMORY_ADVICE);
    assertThat(dir.resolve("oom.out")).content().doesNotContain("\"user_id\"");
  }

  /**
   * Spring Boot's convention for a user who set no {@code spring.security.user.*}: a password generated at startup
   * and logged (to stderr, never to stdout with the rows), which then opens the page and the actuator.
   */
  @Test
  void withoutAConfiguredUserAGeneratedPasswordIsLoggedAndOpensTheDoor() throws Exception {
    Path stdout = dir.resolve("door.out");
    JarProcess app = started(JarProcess.in(dir).log(dir.resolve("door.log")).stdout(stdout).withoutTestUser()
        .jvmArgs(List.of("-Xmx512m")).start(List.of("--server.port=0")));
    int port = app.port(Duration.ofSeconds(120));
    Matcher generated = Pattern.compile("Using generated security password: (\\S+)").matcher(app.log());
    assertThat(generated.find()).as(app.log()).isTrue();
    String password = generated.group(1);

    assertThat(Actuator.anonymous(port).get("/actuator/metrics").statusCode()).isEqualTo(401);
    assertThat(new Actuator(port).get("/actuator/metrics").statusCode()).as("the tests' user is not this one's")
        .isEqualTo(401);
    assertThat(Actuator.as(port, "user", password).get("/actuator/metrics").statusCode()).isEqualTo(200);
    assertThat(stdout).content().doesNotContain(password);
  }

  private List<ResultRow> runJar(String... args) throws Exception {
    return runJar(List.of(), Map.of(), args).rows();
  }

  /** A finished run of the jar: the pid of the process started, the pid the application logged, its stdout. */
  private record JarRun(long pid, long applicationPid, Path stdout, String log) {
    List<ResultRow> rows() {
      return JsonLines.rows(stdout);
    }

    List<String> lines() throws IOException {
      return Files.readAllLines(stdout);
    }
  }

  private JarRun runJar(List<String> jvmArgs, Map<String, String> env, String... args) throws Exception {
    Path stdout = Files.createTempFile(dir, "out", ".jsonl");
    Path stderr = Files.createTempFile(dir, "err", ".log");
    List<String> command = new ArrayList<>(List.of("--agg.exit-when-done=true", "--server.port=0"));
    command.addAll(List.of(args));
    JarProcess run = started(JarProcess.in(dir).log(stderr).stdout(stdout).jvmArgs(jvmArgs).env(env).start(command));
    int exit = run.awaitExit(Duration.ofSeconds(180));
    String log = run.log();
    assertThat(exit).as(log).isZero();
    try (var left = Files.list(run.tmp())) {
      assertThat(left.toList()).as("temporary files left behind by " + List.of(args)).isEmpty();
    }
    Matcher started = Pattern.compile("Starting WindowpaneApplication .* with PID (\\d+)").matcher(log);
    assertThat(started.find()).as("the application's start in the log").isTrue();
    return new JarRun(run.pid(), Long.parseLong(started.group(1)), stdout, log);
  }

  /** Remembers a started jar, for {@link #killWhatIsLeft}. */
  private JarProcess started(JarProcess app) {
    apps.add(app);
    return app;
  }
}
