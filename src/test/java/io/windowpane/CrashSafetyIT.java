package io.windowpane;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.pipeline.ResultRow;
import io.windowpane.testing.Await;
import io.windowpane.testing.JarProcess;
import io.windowpane.testing.JsonLines;
import io.windowpane.testing.KafkaTestBroker;
import io.windowpane.testing.LiveProducer;
import io.windowpane.testing.WindowTotals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC section 13, the hard way: neither a deploy nor a crash changes the results. The packaged jar reads a live topic
 * of a real broker while a producer writes to its two partitions. At random moments the job is stopped with SIGTERM
 * (a deploy: Kubernetes, systemd, {@code docker stop}), once just after a burst has left it behind, or its whole
 * process group is killed with SIGKILL (once losing what the outputs know of their last commit: the topic's commit
 * group, the results file's record), and each time it is started again with the same arguments; windows are open
 * at every stop (5 s windows, events of now). At the end it is drained ({@code agg.shutdown=drain}). The rows of the
 * output topic (read with {@code read_committed}) and of the results file must be those of one uninterrupted run:
 * per user and window one first pane, at most one ON_TIME pane, indexes 0..n, and totals that count every event the
 * broker acknowledged exactly once.
 */
class CrashSafetyIT {

  private static final long WINDOW_MILLIS = 5_000;
  /** Kubernetes' default grace period between SIGTERM and SIGKILL. */
  private static final Duration GRACE_PERIOD = Duration.ofSeconds(30);
  private static KafkaTestBroker kafka;

  /** How a run is ended before the next start. */
  private enum Stop {
    SIGTERM,
    /** SIGTERM right after a burst of events the job has not caught up with. */
    SIGTERM_BEHIND,
    SIGKILL,
    /** SIGKILL the moment a checkpoint's metadata is written: while its commits (file, transaction) are under way. */
    SIGKILL_AFTER_CHECKPOINT,
    /** SIGKILL just before the next checkpoint is due: rows staged since the last one are in no checkpoint. */
    SIGKILL_BEFORE_CHECKPOINT,
    /**
     * As {@link #SIGKILL_AFTER_CHECKPOINT}, and what each output knows of its last commit is gone before the next
     * start. The output topic's commit group (the broker expired its offsets while the job was stopped, or an
     * operator deleted it): the batches the checkpoint staged that the topic already has are told apart by the batch
     * header read back from the topic. The results file's commit record (a copy of {@code *.jsonl} only): the start
     * is refused (exit 2, naming the record) rather than write those batches twice; the next, with the record put
     * back, resumes.
     */
    SIGKILL_AFTER_CHECKPOINT_COMMITS_LOST
  }

  /** agg.checkpoint.interval of these runs. */
  private static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

  @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path dir; // a failed run keeps its logs
  private JarProcess app;
  private LiveProducer producer;

  @BeforeAll
  static void broker() {
    kafka = new KafkaTestBroker();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @AfterEach
  void cleanUp() {
    if (producer != null) {
      producer.close();
    }
    if (app != null) {
      app.destroyGroup();
    }
  }

  @Test
  void accumulatingPanesAreThoseOfOneRunAcrossTwoDeploysAndACrashThatLostWhatTheOutputsCommitted() throws Exception {
    // early panes every second: rows are staged in every checkpoint, so the one resumed after the kill holds batches
    // the topic may already have
    List<LiveProducer.Sent> sent = run("accumulating", List.of("--agg.trigger.accumulation=accumulating",
        "--agg.trigger.early-delay=1s"), List.of(Stop.SIGTERM, Stop.SIGKILL_AFTER_CHECKPOINT_COMMITS_LOST,
        Stop.SIGTERM_BEHIND));
    for (List<ResultRow> rows : outputs("accumulating")) {
      WindowTotals.assertPanesOfOneRun(rows);
      assertThat(WindowTotals.ofLastPanes(rows)).isEqualTo(WindowTotals.of(sent, WINDOW_MILLIS));
    }
  }

  /** With fire-always, every window also ends with exactly one row marked last, whatever came between. */
  @Test
  void discardingPanesAddUpToEachWindowAcrossTwoDeploysAndACrash() throws Exception {
    List<LiveProducer.Sent> sent = run("discarding", List.of("--agg.trigger.accumulation=discarding",
        "--agg.trigger.closing-behavior=fire-always"),
        List.of(Stop.SIGKILL_BEFORE_CHECKPOINT, Stop.SIGTERM_BEHIND, Stop.SIGTERM));
    for (List<ResultRow> rows : outputs("discarding")) {
      WindowTotals.assertPanesOfOneRun(rows);
      WindowTotals.assertOneLastPanePerWindow(rows);
      assertThat(WindowTotals.ofDiscardingPanes(rows)).isEqualTo(WindowTotals.of(sent, WINDOW_MILLIS));
    }
  }

  @Test
  void finalResultsOnlyGiveOneOnTimeRowPerWindowAcrossTwoDeploysAndACrash() throws Exception {
    List<LiveProducer.Sent> sent = run("final", List.of("--agg.trigger.early-delay=0s"),
        List.of(Stop.SIGTERM_BEHIND, Stop.SIGTERM, Stop.SIGKILL));
    for (List<ResultRow> rows : outputs("final")) {
      WindowTotals.assertPanesOfOneRun(rows);
      // the events come in order within each partition, so nothing is late: each window's only row is its ON_TIME one
      assertThat(rows).allSatisfy(row -> assertThat(row.paneTiming()).isEqualTo("ON_TIME"));
      assertThat(WindowTotals.ofLastPanes(rows)).isEqualTo(WindowTotals.of(sent, WINDOW_MILLIS));
    }
  }

  /**
   * Starts the job, starts the producer once the job has checkpointed, ends the job as {@code stops} says at random
   * moments and starts it again each time, stops the producer, waits until the job has committed every offset, then
   * drains it with SIGTERM (its last start has {@code agg.shutdown=drain}). Returns what the producer wrote.
   */
  private List<LiveProducer.Sent> run(String name, List<String> settings, List<Stop> stops) throws Exception {
    String in = name + "-in";
    kafka.createTopic(in, 2);
    kafka.createTopic(name + "-out", 2);
    List<String> args = new ArrayList<>(List.of("--agg.stream.source=kafka", "--agg.kafka.input-topic=" + in,
        "--agg.kafka.output-topic=" + name + "-out", "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
        "--spring.kafka.consumer.group-id=" + name, "--agg.window.size=5s", "--agg.output.path=out/rows.jsonl",
        "--agg.checkpoint.interval=" + CHECKPOINT_INTERVAL.toSeconds() + "s", "--server.port=0"));
    args.addAll(settings);
    long seed = System.nanoTime();
    Random random = new Random(seed);
    System.out.println("CrashSafetyIT " + name + ": random seed " + seed + ", stops " + stops);

    app = JarProcess.start(dir, dir.resolve("run-1.log"), args);
    Path checkpoints = dir.resolve("checkpoints");
    Await.until("the first checkpoint", Duration.ofSeconds(90),
        () -> Await.checkpointCompletedAfter(checkpoints, Instant.EPOCH));
    producer = new LiveProducer(kafka.bootstrapServers(), in, 2, 300, seed);
    producer.start();
    for (int n = 1; n <= stops.size(); n++) {
      Stop stop = stops.get(n - 1);
      Thread.sleep(2_000 + random.nextInt(6_000)); // a random moment across three checkpoint intervals
      String log = "run-" + n + ".log";
      switch (stop) {
        case SIGKILL -> app.killGroup();
        case SIGKILL_AFTER_CHECKPOINT, SIGKILL_AFTER_CHECKPOINT_COMMITS_LOST -> {
          Instant now = Instant.now();
          Await.until("a checkpoint to kill right after", Duration.ofSeconds(30),
              () -> Await.checkpointCompletedAfter(checkpoints, now));
          app.killGroup();
          if (stop == Stop.SIGKILL_AFTER_CHECKPOINT_COMMITS_LOST) {
            assertThat(kafka.deleteGroupsStartingWith("windowpane-" + name + "-out-")).as("the commit group")
                .hasSize(1);
            Path record = dir.resolve("out/.rows.jsonl.committed");
            Path saved = dir.resolve("rows.jsonl.committed.saved");
            Files.move(record, saved);
            String refusedLog = "run-" + n + "-refused.log";
            app = JarProcess.start(dir, dir.resolve(refusedLog), args);
            assertThat(app.awaitExit(Duration.ofSeconds(120))).as(refusedLog).isEqualTo(2);
            assertThat(app.log()).contains("its commit record .rows.jsonl.committed is missing")
                .contains("Put the record back");
            Files.move(saved, record);
          }
        }
        case SIGKILL_BEFORE_CHECKPOINT -> {
          Instant now = Instant.now();
          Await.until("a checkpoint to time the next one by", Duration.ofSeconds(30),
              () -> Await.checkpointCompletedAfter(checkpoints, now));
          Thread.sleep(CHECKPOINT_INTERVAL.toMillis() - 300);
          app.killGroup();
        }
        case SIGTERM, SIGTERM_BEHIND -> {
          if (stop == Stop.SIGTERM_BEHIND) {
            producer.burst(5_000);
            assertThat(kafka.committedTotal(name, in)).as("offsets the job has checkpointed at the stop")
                .isLessThan(kafka.endTotal(in));
          }
          long stopping = System.nanoTime();
          Instant terminated = Instant.now();
          app.terminate();
          // Behind, the savepoint's barriers wait behind the records in flight, and this machine runs another IT's
          // jobs besides: the launcher's own limit then. The stop at 20k events/s is measured by bench/kafka.sh.
          // The first start of a build writes the JVM's class archive when it exits, after the job has stopped
          // (FastStartCache: a few seconds, many more on a machine this busy; off on Kubernetes): the launcher's
          // limit then too, and the job's own stop is held to the grace period below.
          boolean archives = app.log().contains("first start of this build");
          Duration limit = stop == Stop.SIGTERM && !archives ? GRACE_PERIOD : Duration.ofSeconds(60);
          assertThat(app.waitFor(limit)).as("stopped within " + limit.toSeconds() + " s").isTrue();
          System.out.printf("CrashSafetyIT %s: %s stopped the job in %.1f s%n", name, stop,
              (System.nanoTime() - stopping) / 1e9);
          assertThat(Files.readString(dir.resolve(log))).as(log)
              .contains("its open windows kept, stopped with savepoint").doesNotContain("draining");
          if (stop == Stop.SIGTERM) {
            assertThat(Duration.between(terminated, app.loggedAt("its open windows kept, stopped with")))
                .as("the job's stop").isLessThan(GRACE_PERIOD);
          }
        }
      }
      Instant restarted = Instant.now();
      List<String> next = new ArrayList<>(args);
      if (n == stops.size()) {
        next.add("--agg.shutdown=drain"); // the last run ends the job for good
      }
      app = JarProcess.start(dir, dir.resolve("run-" + (n + 1) + ".log"), next);
      Await.until("a checkpoint after restart " + n, Duration.ofSeconds(90),
          () -> Await.checkpointCompletedAfter(checkpoints, restarted));
      boolean killed = stop != Stop.SIGTERM && stop != Stop.SIGTERM_BEHIND;
      assertThat(app.log()).contains(killed ? "resuming from" : "resuming from file:")
          .contains(killed ? "/chk-" : "/savepoint-");
      if (stop == Stop.SIGKILL_AFTER_CHECKPOINT_COMMITS_LOST) {
        JarProcess started = app;
        Await.until("the last batch read back from the output topic", Duration.ofSeconds(30),
            () -> started.log().contains("Topic " + name + "-out: the last batch of this run is"));
      }
    }
    Thread.sleep(3_000);
    List<LiveProducer.Sent> sent = producer.stop();
    Await.until("every offset committed with a checkpoint", Duration.ofSeconds(90),
        () -> kafka.committedTotal(name, in) == kafka.endTotal(in));
    app.terminate();
    assertThat(app.waitFor(Duration.ofSeconds(60))).as("drained within 60 s").isTrue();
    assertThat(app.log()).contains("draining the running job").contains("the drained job stopped with savepoint");
    assertThat(sent).hasSizeGreaterThan(10_000);
    // the killed processes' temporary files (Tomcat's folders, the embedded Flink cluster's, unpacked native
    // libraries) were removed by the next start, the last process's own by its exit
    try (Stream<Path> left = Files.list(dir.resolve("tmp"))) {
      assertThat(left.map(folder -> folder.getFileName().toString())).isEmpty();
    }
    return sent;
  }

  /** The rows of the output topic and of the results file, each checked to hold something. */
  private List<List<ResultRow>> outputs(String name) {
    List<ResultRow> topic = JsonLines.rows(String.join("\n", kafka.readCommitted(name + "-out")));
    List<ResultRow> file = JsonLines.rows(dir.resolve("out/rows.jsonl"));
    Map<String, Long> timings = file.stream().collect(Collectors.groupingBy(ResultRow::paneTiming,
        Collectors.counting()));
    System.out.println("CrashSafetyIT " + name + ": " + file.size() + " rows in the file " + timings + ", "
        + topic.size() + " in the topic");
    assertThat(topic).as("the topic's rows").isNotEmpty().containsExactlyInAnyOrderElementsOf(file);
    return List.of(topic, file);
  }
}
