package io.windowpane.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.windowpane.config.AggProperties;
import io.windowpane.config.InvalidJobSpecException;
import io.windowpane.testing.FlinkSnapshots;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.BigEndianIntegerCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.DelegateCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Where a live job starts: fresh, or from the newest complete checkpoint that fits its configuration. */
class CheckpointPlanTest {

  private static final Map<String, String> KAFKA = Map.of("spring.kafka.bootstrap-servers", "broker:9092");

  @TempDir Path dir;

  @Test
  void anEmptyFolderStartsAFreshRun() throws IOException {
    CheckpointPlan plan = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false);

    assertThat(plan.enabled()).isTrue();
    assertThat(plan.restoreFrom()).isNull();
    assertThat(Path.of(plan.storage())).isEqualTo(dir.resolve("run-" + plan.run()));
    assertThat(plan.savepoints().toString()).endsWith("run-" + plan.run() + "/savepoints/");
    assertThat(Files.readString(dir.resolve("windowpane-job.json"))).contains(plan.run())
        .contains("\"agg.window.size\" : \"1m\"").contains("broker:9092");
  }

  @Test
  void aRestartResumesFromTheNewestCompleteSnapshotAndRemovesOlderOnes() throws IOException {
    CheckpointPlan first = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false);
    Path run = dir.resolve("run-" + first.run());
    Path older = complete(run.resolve("job-a/chk-4"), 4, "2026-01-01T10:00:00Z");
    Path newest = complete(run.resolve("job-b/chk-9"), 9, "2026-01-01T10:05:00Z");
    Files.createDirectories(run.resolve("job-b/chk-10")); // under way when the job was killed: no _metadata
    Path savepoint = complete(run.resolve("savepoints/savepoint-1"), 5, "2026-01-01T10:01:00Z");
    Path otherRun = Files.createDirectories(dir.resolve("run-old/job/chk-1"));

    CheckpointPlan resumed = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false);

    assertThat(resumed.run()).isEqualTo(first.run());
    assertThat(Path.of(URI.create(resumed.restoreFrom()))).isEqualTo(newest);
    assertThat(newest).exists();
    assertThat(older).doesNotExist();
    assertThat(savepoint).doesNotExist();
    assertThat(otherRun).doesNotExist();
  }

  /**
   * Issue 34 item 5: the newest snapshot is the one with the highest checkpoint id, whatever the files' times say (a
   * clock stepped back between two checkpoints); one whose metadata cannot be read is not resumed from.
   */
  @Test
  void theNewestSnapshotIsChosenByCheckpointIdNotByFileTime() throws IOException {
    CheckpointPlan first = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false);
    Path run = dir.resolve("run-" + first.run());
    complete(run.resolve("job-a/chk-7"), 7, "2026-01-01T10:05:00Z");
    Path newer = complete(run.resolve("job-a/chk-8"), 8, "2026-01-01T09:00:00Z");
    Files.writeString(Files.createDirectories(run.resolve("job-a/chk-9")).resolve("_metadata"), "torn");

    CheckpointPlan resumed = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false);

    assertThat(Path.of(URI.create(resumed.restoreFrom()))).isEqualTo(newer);
  }

  @Test
  void aSavepointNewerThanEveryCheckpointIsWhereTheJobResumes() throws IOException {
    CheckpointPlan first = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false);
    Path run = dir.resolve("run-" + first.run());
    complete(run.resolve("job-a/chk-4"), 4, "2026-01-01T10:00:00Z");
    Path savepoint = complete(run.resolve("savepoints/savepoint-1"), 5, "2026-01-01T10:01:00Z");

    assertThat(Path.of(URI.create(CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false).restoreFrom())))
        .isEqualTo(savepoint);
  }

  @Test
  void aCheckpointTakenWithOtherWindowsIsRefusedNamingThePropertyAndTheFolder() throws IOException {
    CheckpointPlan first = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false);
    completeCheckpointOf(first);

    InvalidJobSpecException refused = catchThrowableOfType(InvalidJobSpecException.class,
        () -> CheckpointPlan.prepare(properties("30s", "latest"), KAFKA, false));

    assertThat(refused.property()).isEqualTo("agg.window.size");
    assertThat(refused.value()).isEqualTo("30s");
    assertThat(refused.problem()).contains(dir.toUri().toString()).contains("agg.window.size=1m")
        .contains("--agg.checkpoint.restore=never");
  }

  /** Each setting a live job's state depends on: another value than the checkpoints were taken with is refused. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "agg.window.type, session",
      "agg.window.allowed-lateness, 60s",
      "agg.trigger.early-delay, 0s",
      "agg.trigger.late-delay, 0s",
      "agg.trigger.accumulation, discarding",
      "agg.kafka.input-topic, other-events",
      "agg.kafka.output-topic, totals",
      "agg.kafka.dead-letter-topic, rejected",
      "agg.kafka.max-out-of-orderness, 1s",
      "agg.event.key, customer",
      "agg.event.time, ts",
      "agg.event.time-format, epoch-millis",
      "agg.event.time-zone, Europe/Berlin",
      "agg.event.value, total",
      "agg.event.filter, kind=order",
      "agg.aggregates, 'count,sum,max'"})
  void aCheckpointTakenWithAnotherValueOfAStateSettingIsRefused(String property, String value) throws IOException {
    CheckpointPlan first = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false);
    completeCheckpointOf(first);
    Map<String, Object> changed = new HashMap<>(Map.of(property, value));
    if (property.equals("agg.window.type")) {
      changed.put("agg.window.gap", "5m");
    }

    InvalidJobSpecException refused = catchThrowableOfType(InvalidJobSpecException.class,
        () -> CheckpointPlan.prepare(properties("60s", "latest", changed), KAFKA, false));

    assertThat(refused).as(property).isNotNull();
    assertThat(refused.property()).isEqualTo(property);
    assertThat(refused.problem()).contains("--agg.checkpoint.restore=never");
  }

  /** A job back at the tutorial's mapping does not fit checkpoints taken with another (SPEC section 14). */
  @Test
  void aCheckpointTakenWithAnotherMappingIsRefusedWhenTheDefaultsComeBack() throws IOException {
    CheckpointPlan first = CheckpointPlan.prepare(properties("60s", "latest", Map.of("agg.aggregates", "count,mean")),
        KAFKA, false);
    completeCheckpointOf(first);

    InvalidJobSpecException refused = catchThrowableOfType(InvalidJobSpecException.class,
        () -> CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false));

    assertThat(refused).isNotNull();
    assertThat(refused.property()).isEqualTo("agg.aggregates");
    assertThat(refused.problem()).contains("taken with agg.aggregates=count,mean");
  }

  /** What the state does not depend on may change across a stop, as docs/operations.md says for upgrades. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "agg.trigger.closing-behavior, fire-always",
      "agg.shutdown, drain",
      "agg.output.path, elsewhere.jsonl",
      "agg.checkpoint.interval, 30s"})
  void otherSettingsMayChangeAcrossARestart(String property, String value) throws IOException {
    CheckpointPlan first = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false);
    Path checkpoint = completeCheckpointOf(first);

    CheckpointPlan resumed = CheckpointPlan.prepare(properties("60s", "latest", Map.of(property, value)), KAFKA, false);

    assertThat(Path.of(URI.create(resumed.restoreFrom()))).isEqualTo(checkpoint);
  }

  @Test
  void anotherConsumerGroupIsRefused() throws IOException {
    Map<String, String> reader = Map.of("spring.kafka.bootstrap-servers", "broker:9092",
        "spring.kafka.consumer.group-id", "windowpane");
    CheckpointPlan first = CheckpointPlan.prepare(properties("60s", "latest"), reader, false);
    completeCheckpointOf(first);

    InvalidJobSpecException refused = catchThrowableOfType(InvalidJobSpecException.class, () -> CheckpointPlan.prepare(
        properties("60s", "latest"), Map.of("spring.kafka.bootstrap-servers", "broker:9092",
            "spring.kafka.consumer.group-id", "another"), false));

    assertThat(refused.property()).isEqualTo("spring.kafka.consumer.group-id");
  }

  @Test
  void anotherKafkaClusterIsRefusedToo() throws IOException {
    CheckpointPlan first = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false);
    completeCheckpointOf(first);

    InvalidJobSpecException refused = catchThrowableOfType(InvalidJobSpecException.class, () -> CheckpointPlan.prepare(
        properties("60s", "latest"), Map.of("spring.kafka.bootstrap-servers", "other:9092"), false));

    assertThat(refused.property()).isEqualTo("spring.kafka.bootstrap-servers");
  }

  /** After a drain whose rows were all committed, restore=never starts fresh and removes the old run. */
  @Test
  void restoreNeverAfterACommittedDrainStartsAFreshRunAndRemovesTheOldOne() throws IOException {
    CheckpointPlan first = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false);
    completeCheckpointOf(first);
    Path drained = complete(dir.resolve("run-" + first.run() + "/savepoints/savepoint-5e1f2a-0123456789ab"), 2,
        "2026-01-01T10:01:00Z");
    first.recordDrain(drained.toUri().toString().replaceFirst("^file:///", "file:/"));

    CheckpointPlan fresh = CheckpointPlan.prepare(properties("30s", "never"), KAFKA, false);

    assertThat(fresh.restoreFrom()).isNull();
    assertThat(fresh.run()).isNotEqualTo(first.run());
    assertThat(dir.resolve("run-" + first.run())).doesNotExist();
  }

  /**
   * Issue 34 item 2: restore=never on the state of a job that was stopped or crashed, not drained, would throw away
   * its open windows and the rows it staged while the source's offsets are committed past them: refused, and the
   * folder left as it is. So is a drain that was recorded for an older savepoint than the newest snapshot.
   */
  @Test
  void restoreNeverOnTheStateOfAJobThatWasNotDrainedIsRefusedAndTouchesNothing() throws IOException {
    CheckpointPlan first = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false);
    Path checkpoint = completeCheckpointOf(first);

    InvalidJobSpecException refused = catchThrowableOfType(InvalidJobSpecException.class,
        () -> CheckpointPlan.prepare(properties("30s", "never"), KAFKA, false));

    assertThat(refused.property()).isEqualTo("agg.checkpoint.restore");
    assertThat(refused.problem()).contains("not drained").contains(checkpoint.getFileName().toString())
        .contains("drain it").contains("remove the folder");
    assertThat(checkpoint).exists();

    first.recordDrain("file:/elsewhere/savepoints/savepoint-000000-older");
    complete(dir.resolve("run-" + first.run() + "/job/chk-2"), 2, "2026-01-01T10:02:00Z");
    assertThat(catchThrowableOfType(InvalidJobSpecException.class,
        () -> CheckpointPlan.prepare(properties("60s", "never"), KAFKA, false))).isNotNull();
  }

  @Test
  void anInputThatLivesOnlyAsLongAsTheApplicationAlwaysStartsFresh() throws IOException {
    CheckpointPlan first = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, true);
    completeCheckpointOf(first);

    CheckpointPlan next = CheckpointPlan.prepare(properties("30s", "latest"), Map.of(), true);

    assertThat(next.restoreFrom()).isNull();
    assertThat(next.run()).isNotEqualTo(first.run());
  }

  @Test
  void aResumedJobMustBeThePipelineItsCheckpointsWereTakenOf() throws IOException {
    CheckpointPlan first = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false);
    first.verifyPipeline(pipeline("Keep"));
    completeCheckpointOf(first);

    CheckpointPlan same = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false);
    same.verifyPipeline(pipeline("Keep"));

    InvalidJobSpecException refused = catchThrowableOfType(InvalidJobSpecException.class,
        () -> same.verifyPipeline(pipeline("Renamed")));
    assertThat(refused.property()).isEqualTo("agg.checkpoint.dir");
    assertThat(refused.problem()).contains("another pipeline");
  }

  @Test
  void aResumedJobMustEncodeItsElementsAsItsCheckpointsDo() throws IOException {
    CheckpointPlan first = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false);
    first.verifyPipeline(pipeline("Keep", BigEndianIntegerCoder.of()));
    completeCheckpointOf(first);

    CheckpointPlan same = CheckpointPlan.prepare(properties("60s", "latest"), KAFKA, false);
    InvalidJobSpecException refused = catchThrowableOfType(InvalidJobSpecException.class,
        () -> same.verifyPipeline(pipeline("Keep", VarIntCoder.of())));
    assertThat(refused.problem()).contains("its steps or their coders differ");
  }

  @Test
  void theDigestIsTheSameEveryTimeThePipelineIsBuilt() {
    // a coder holding functions (DelegateCoder) prints their identities; the digest must not depend on them
    assertThat(CheckpointPlan.digest(delegating())).isEqualTo(CheckpointPlan.digest(delegating()));
    assertThat(CheckpointPlan.describe(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
        .isEqualTo("KvCoder<org.apache.beam.sdk.values.KV<java.lang.String, java.lang.Long>>"
            + "(StringUtf8Coder<java.lang.String>, VarLongCoder<java.lang.Long>)");
  }

  private static Pipeline delegating() {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    Coder<String> asNumber = DelegateCoder.of(VarIntCoder.of(), Integer::parseInt, String::valueOf);
    pipeline.apply("Numbers", Create.of("1", "2").withCoder(asNumber));
    return pipeline;
  }

  @Test
  void jobsThatAreNotLiveHaveNoPlan() {
    assertThat(CheckpointPlan.NONE.enabled()).isFalse();
    CheckpointPlan.NONE.verifyPipeline(pipeline("Anything")); // nothing to check
  }

  private static Pipeline pipeline(String stepName) {
    return pipeline(stepName, VarIntCoder.of());
  }

  private static Pipeline pipeline(String stepName, Coder<Integer> coder) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    pipeline.apply("Numbers", Create.of(1, 2, 3).withCoder(coder)).apply(stepName, Filter.greaterThan(1));
    return pipeline;
  }

  /** A complete checkpoint of the run {@code plan} started. */
  private Path completeCheckpointOf(CheckpointPlan plan) throws IOException {
    return complete(dir.resolve("run-" + plan.run() + "/job/chk-1"), 1, "2026-01-01T10:00:00Z");
  }

  /** A checkpoint folder as Flink leaves a complete one: its _metadata, for checkpoint {@code id}, written at {@code when}. */
  private static Path complete(Path folder, long id, String when) throws IOException {
    Path metadata = FlinkSnapshots.complete(folder, id);
    Files.setLastModifiedTime(metadata, FileTime.from(Instant.parse(when)));
    return folder;
  }

  private AggProperties properties(String windowSize, String restore) {
    return properties(windowSize, restore, Map.of());
  }

  private AggProperties properties(String windowSize, String restore, Map<String, ?> overrides) {
    Map<String, Object> values = new HashMap<>();
    values.put("agg.mode", "stream");
    values.put("agg.window.type", "fixed");
    values.put("agg.window.size", windowSize);
    values.put("agg.window.allowed-lateness", "120s");
    values.put("agg.trigger.early-delay", "10s");
    values.put("agg.trigger.late-delay", "10s");
    values.put("agg.trigger.accumulation", "accumulating");
    values.put("agg.batch.input", "x");
    values.put("agg.stream.source", "kafka");
    values.put("agg.stream.scenario", "x");
    values.put("agg.kafka.input-topic", "events");
    values.put("agg.kafka.max-out-of-orderness", "10s");
    values.put("agg.kafka.replay-pacing", "auto");
    values.put("agg.kafka.stop-at", "never");
    values.put("agg.kafka.connect-timeout", "1s");
    values.put("agg.runner", "auto");
    values.put("agg.checkpoint.dir", dir.toString());
    values.put("agg.checkpoint.restore", restore);
    values.put("agg.progress-interval", "1s");
    values.putAll(overrides);
    return new Binder(new MapConfigurationPropertySource(values)).bind("agg", AggProperties.class).get();
  }
}
