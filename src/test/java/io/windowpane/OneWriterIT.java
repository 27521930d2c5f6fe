package io.windowpane;

import static org.assertj.core.api.Assertions.assertThat;

import io.windowpane.testing.Await;
import io.windowpane.testing.JarProcess;
import io.windowpane.testing.KafkaTestBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per job (issue 34, item 1), with the packaged jar against a real broker: while a live job runs, a second
 * instance with its checkpoint folder, or with only its output file, refuses to start (exit code 2, naming the
 * holder's pid) and leaves the first one's checkpoints alone; once the first is killed (kill -9: the operating system
 * lets its locks go), the next start resumes its checkpoints; and after a stop that kept open windows, a fresh start
 * ({@code restore=never}) that would throw them away is refused.
 */
class OneWriterIT {

  private static final Pattern APPLICATION_PID = Pattern.compile("Starting WindowpaneApplication .* with PID (\\d+)");
  private static KafkaTestBroker kafka;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir; // a failed run keeps its logs
  private final List<JarProcess> apps = new ArrayList<>();

  @BeforeAll
  static void broker() {
    kafka = new KafkaTestBroker();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @AfterEach
  void killWhatIsLeft() {
    apps.forEach(JarProcess::destroyGroup);
  }

  @Test
  void aSecondInstanceRefusesToStartWhileTheFirstRunsAndTheNextStartAfterAKillResumes() throws Exception {
    kafka.createTopic("one-writer-in", 1);
    kafka.produce("one-writer-in", List.of(
        "{\"user_id\":\"u1\",\"amount\":5,\"event_time\":\"" + Instant.now() + "\"}"));
    List<String> args = List.of("--agg.stream.source=kafka", "--agg.kafka.input-topic=one-writer-in",
        "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(), "--spring.kafka.consumer.group-id=one-writer",
        "--agg.output.path=out/rows.jsonl", "--agg.checkpoint.interval=2s", "--server.port=0");
    Path checkpoints = dir.resolve("checkpoints");

    JarProcess first = start("first.log", args);
    Await.until("the first instance's first checkpoint", Duration.ofSeconds(90),
        () -> Await.checkpointCompletedAfter(checkpoints, Instant.EPOCH));
    Matcher started = APPLICATION_PID.matcher(first.log());
    assertThat(started.find()).as(first.log()).isTrue();
    String holder = "held by pid " + started.group(1) + " on ";

    JarProcess second = start("second.log", args);
    assertThat(second.awaitExit(Duration.ofSeconds(120))).as(second.log()).isEqualTo(2);
    assertThat(second.log()).contains("agg.checkpoint.dir").contains("in use by another running windowpane")
        .contains(holder);

    List<String> ownCheckpoints = new ArrayList<>(args);
    ownCheckpoints.add("--agg.checkpoint.dir=other-checkpoints");
    JarProcess third = start("third.log", ownCheckpoints);
    assertThat(third.awaitExit(Duration.ofSeconds(120))).as(third.log()).isEqualTo(2);
    assertThat(third.log()).contains("agg.output.path").contains("in use by another running windowpane")
        .contains(holder);

    Instant refused = Instant.now();
    Await.until("the first instance checkpoints on, its folder untouched", Duration.ofSeconds(60),
        () -> Await.checkpointCompletedAfter(checkpoints, refused));
    assertThat(first.isAlive()).isTrue();

    first.killGroup();
    Instant restarted = Instant.now();
    JarProcess fourth = start("fourth.log", args);
    Await.until("a checkpoint of the start after the kill", Duration.ofSeconds(90),
        () -> Await.checkpointCompletedAfter(checkpoints, restarted));
    assertThat(fourth.log()).contains("resuming from").contains("/chk-");
    fourth.terminate();
    assertThat(fourth.waitFor(Duration.ofSeconds(60))).as("stopped within 60 s").isTrue();
    assertThat(fourth.log()).contains("its open windows kept, stopped with savepoint");

    // issue 34 item 2: that savepoint keeps open windows, so a fresh start that would throw it away is refused
    List<String> fresh = new ArrayList<>(args);
    fresh.add("--agg.checkpoint.restore=never");
    JarProcess fifth = start("fresh.log", fresh);
    assertThat(fifth.awaitExit(Duration.ofSeconds(120))).as(fifth.log()).isEqualTo(2);
    assertThat(fifth.log()).contains("agg.checkpoint.restore").contains("of a job that was not drained")
        .contains("drain it");
    assertThat(Await.checkpointCompletedAfter(checkpoints, Instant.EPOCH)).as("the state is kept").isTrue();
  }

  private JarProcess start(String log, List<String> args) throws Exception {
    JarProcess app = JarProcess.start(dir, dir.resolve(log), args);
    apps.add(app);
    return app;
  }
}
