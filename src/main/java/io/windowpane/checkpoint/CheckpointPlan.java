package io.windowpane.checkpoint;

import io.windowpane.config.AggProperties;
import io.windowpane.config.DurationText;
import io.windowpane.config.InvalidJobSpecException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a live job's checkpoints go and what it resumes from (SPEC section 13), decided once at startup.
 *
 * <p>{@link #prepare} looks into {@code agg.checkpoint.dir}: with {@code agg.checkpoint.restore=latest} and a
 * complete checkpoint of a run taken with the same configuration, the job resumes that run from its newest
 * checkpoint (or the savepoint of its last clean stop); a checkpoint taken with other settings is refused, naming the
 * property and the folder (exit code 2). Otherwise a fresh run starts. Older checkpoints and runs are removed.
 *
 * <p>The run id also names what must stay the same across a resume and change with a fresh start: the exactly-once
 * Kafka sink's group and the commit record of the result files.
 *
 * @param enabled false for jobs that are not checkpointed (everything but live jobs on Flink)
 * @param run the run's id
 * @param storage where Flink writes the run's checkpoints
 * @param savepoints where a clean stop writes its savepoint
 * @param restoreFrom the checkpoint or savepoint the job resumes from; null for a fresh start
 * @param interval how often a checkpoint is taken
 * @param folder the checkpoint folder, for messages
 */
public record CheckpointPlan(boolean enabled, String run, URI storage, URI savepoints, String restoreFrom,
    Duration interval, String folder) {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointPlan.class);

  /** The plan of a job that is not checkpointed. */
  public static final CheckpointPlan NONE = new CheckpointPlan(false, null, null, null, null, null, null);

  /**
   * Decides where the job starts, and tidies the folder.
   *
   * @param sourceSettings settings outside {@code agg.*} that the restored state depends on (the Kafka reader's
   *     cluster and group), by property name
   * @param temporaryInput the job's input lives only as long as the application (the embedded broker's): its
   *     positions mean nothing to the next start, which therefore starts fresh
   */
  public static CheckpointPlan prepare(AggProperties properties, Map<String, String> sourceSettings,
      boolean temporaryInput) {
    AggProperties.Checkpoint settings = properties.checkpoint();
    CheckpointFolder folder;
    try {
      folder = CheckpointFolder.of(settings.dir());
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidJobSpecException("agg.checkpoint.dir", settings.dir(), "cannot be used: " + e.getMessage(), e);
    }
    String where = folder.uri().toString();
    try {
      Map<String, String> configuration = stateSettings(properties);
      if (!temporaryInput) {
        configuration.putAll(sourceSettings);
      }
      Optional<JobRecord> previous = folder.readJob();
      Optional<CheckpointFolder.Snapshot> newest =
          previous.isPresent() ? folder.newestComplete(previous.get().run()) : Optional.empty();
      String freshReason = null;
      if (settings.restore() == AggProperties.Restore.NEVER) {
        freshReason = "agg.checkpoint.restore=never";
      } else if (temporaryInput) {
        freshReason = "the embedded broker's topic lives only as long as the application";
      } else if (newest.isEmpty()) {
        freshReason = "no complete checkpoint in " + where;
      }
      if (settings.restore() == AggProperties.Restore.NEVER && newest.isPresent() && !temporaryInput
          && !newest.get().name().equals(previous.get().drainedTo())) {
        throw new InvalidJobSpecException("agg.checkpoint.restore", "never", "would throw away the state in " + where
            + " of a job that was not drained (" + newest.get().location() + "): its open windows, and rows it"
            + " staged that are not written yet, while the source's committed offsets are past their events. Start"
            + " it once with agg.checkpoint.restore=latest and the settings it was taken with, drain it (POST"
            + " /actuator/drain, or --agg.shutdown=drain and SIGTERM), then start fresh; or, to throw the state away"
            + " knowingly, remove the folder first");
      }
      if (freshReason != null) {
        String run = UUID.randomUUID().toString();
        folder.writeJob(new JobRecord(run, Instant.now().toString(), configuration, null, null));
        folder.removeAllBut(run, null);
        LOG.info("Checkpoints every {} into {}; starting fresh ({})", DurationText.of(settings.interval()), where,
            freshReason);
        return plan(folder, run, null, settings);
      }
      JobRecord job = previous.get();
      refuseMismatch(configuration, job.configuration(), where);
      folder.removeAllBut(job.run(), newest.get());
      LOG.info("Checkpoints every {} into {}; resuming from {} (completed {})", DurationText.of(settings.interval()),
          where, newest.get().location(), Instant.ofEpochMilli(newest.get().completedAt()));
      return plan(folder, job.run(), newest.get().location(), settings);
    } catch (IOException e) {
      throw new InvalidJobSpecException("agg.checkpoint.dir", settings.dir(), "cannot be used: " + e.getMessage(), e);
    }
  }

  /**
   * Takes this instance's {@link WriterLock} on {@code agg.checkpoint.dir} (before {@link #prepare}, which tidies the
   * folder). Empty for a folder on a file system without such locks (an object store): there, running one instance
   * is the operator's care (docs/operations.md).
   */
  public static Optional<WriterLock> lockFolder(AggProperties properties) {
    String dir = properties.checkpoint().dir();
    URI uri = folderUri(dir);
    if (!"file".equals(uri.getScheme())) {
      LOG.warn("agg.checkpoint.dir={} is not a local or mounted folder: nothing stops a second instance from"
          + " writing the same job there, run one", dir);
      return Optional.empty();
    }
    return Optional.of(WriterLock.take(java.nio.file.Path.of(uri).resolve(LOCK_FILE), "agg.checkpoint.dir", dir));
  }

  /** {@code agg.checkpoint.dir} as the URI it names (a relative folder resolved against the working directory). */
  public static URI folderUri(String dir) {
    try {
      return CheckpointFolder.of(dir).uri();
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidJobSpecException("agg.checkpoint.dir", dir, "cannot be used: " + e.getMessage(), e);
    }
  }

  /** The lock file in the checkpoint folder. */
  static final String LOCK_FILE = ".windowpane.lock";

  private static CheckpointPlan plan(CheckpointFolder folder, String run, String restoreFrom,
      AggProperties.Checkpoint settings) {
    return new CheckpointPlan(true, run, folder.runFolder(run), folder.savepointFolder(run), restoreFrom,
        settings.interval(), folder.uri().toString());
  }

  /**
   * Checks that the pipeline about to run is the one the checkpoints were taken of, and records it for a fresh run.
   * Flink matches operator state by the transforms' names: with other names, a restore fails or silently loses state.
   */
  public void verifyPipeline(Pipeline pipeline) {
    if (!enabled) {
      return;
    }
    String digest = digest(pipeline);
    try {
      CheckpointFolder checkpoints = CheckpointFolder.of(folder);
      JobRecord job = checkpoints.readJob().orElseThrow(() -> new IOException(CheckpointFolder.JOB_FILE + " is gone"));
      if (job.pipeline() == null || restoreFrom == null) {
        checkpoints.writeJob(job.withPipeline(digest));
      } else if (!job.pipeline().equals(digest)) {
        throw new InvalidJobSpecException("agg.checkpoint.dir", folder, "holds checkpoints of another pipeline"
            + " (its steps or their coders differ from this version's): " + HOW_TO_START_FRESH);
      }
    } catch (IOException e) {
      throw new InvalidJobSpecException("agg.checkpoint.dir", folder, "cannot be used: " + e.getMessage(), e);
    }
  }

  private static final String HOW_TO_START_FRESH = "start the job with the settings it was taken with and drain"
      + " it, then start with --agg.checkpoint.restore=never to start fresh (the folder's checkpoints are then"
      + " removed), or give another agg.checkpoint.dir";

  /**
   * Records that the run's drain stopped with {@code savepoint} after every row it fired was committed: a later
   * {@code restore=never} may then start fresh without losing anything ({@link #prepare} refuses it otherwise).
   */
  public void recordDrain(String savepoint) throws IOException {
    if (!enabled) {
      return;
    }
    CheckpointFolder checkpoints = CheckpointFolder.of(folder);
    JobRecord job = checkpoints.readJob().orElseThrow(() -> new IOException(CheckpointFolder.JOB_FILE + " is gone"));
    checkpoints.writeJob(job.withDrainedTo(CheckpointFolder.Snapshot.nameOf(savepoint)));
  }

  /**
   * The event mapping and the aggregates (SPEC section 14): what the state's keys and figures are made of. A
   * checkpoint of a version before them records none: it was taken with their defaults ({@link #refuseMismatch}).
   */
  static Map<String, String> mappingSettings(AggProperties properties) {
    AggProperties.EventShape event = properties.event();
    Map<String, String> all = new LinkedHashMap<>();
    all.put("agg.event.key", String.join(",", event.key()));
    all.put("agg.event.time", event.time());
    all.put("agg.event.time-format", event.timeFormat());
    all.put("agg.event.time-zone", event.timeZone());
    all.put("agg.event.value", event.value());
    all.put("agg.event.filter", String.join(",", event.filter()));
    all.put("agg.aggregates", String.join(",", properties.aggregates()));
    return all;
  }

  private static final Map<String, String> MAPPING_DEFAULTS = Map.of("agg.event.key", "user_id", "agg.event.time",
      "event_time", "agg.event.time-format", "auto", "agg.event.time-zone", "UTC", "agg.event.value", "amount",
      "agg.event.filter", "", "agg.aggregates", "count,sum");

  /** A setting missing from {@code then} is unset there, or, for a mapping setting, at its default. */
  private static void refuseMismatch(Map<String, String> now, Map<String, String> then, String folder) {
    for (Map.Entry<String, String> setting : now.entrySet()) {
      String before = then == null ? null
          : then.getOrDefault(setting.getKey(), MAPPING_DEFAULTS.get(setting.getKey()));
      if (!Objects.equals(setting.getValue(), before)) {
        throw new InvalidJobSpecException(setting.getKey(), setting.getValue(), "does not fit the checkpoints in "
            + folder + ", which were taken with " + setting.getKey() + "=" + (before == null ? "(not set)" : before)
            + ": " + HOW_TO_START_FRESH);
      }
    }
  }

  /**
   * The settings a live job's state depends on: the windows and triggers its open panes were built with, the topics
   * its source positions and exactly-once outputs belong to, and the reader's watermark policy, which is restored
   * with the job.
   */
  static Map<String, String> stateSettings(AggProperties properties) {
    AggProperties.Window window = properties.window();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("agg.window.type", window.type().name().toLowerCase());
    switch (window.type()) {
      case FIXED -> settings.put("agg.window.size", DurationText.of(window.size()));
      case SLIDING -> {
        settings.put("agg.window.size", DurationText.of(window.size()));
        settings.put("agg.window.period", DurationText.of(window.period()));
      }
      case SESSION -> settings.put("agg.window.gap", DurationText.of(window.gap()));
    }
    settings.put("agg.window.allowed-lateness", DurationText.of(window.allowedLateness()));
    settings.put("agg.trigger.early-delay", DurationText.of(properties.trigger().earlyDelay()));
    settings.put("agg.trigger.late-delay", DurationText.of(properties.trigger().lateDelay()));
    settings.put("agg.trigger.accumulation", properties.trigger().accumulation().name().toLowerCase());
    settings.put("agg.kafka.input-topic", properties.kafka().inputTopic());
    // the reader's watermark policy is restored with the delay it was built with
    settings.put("agg.kafka.max-out-of-orderness", DurationText.of(properties.kafka().maxOutOfOrderness()));
    settings.put("agg.kafka.output-topic", properties.kafka().outputTopic());
    settings.put("agg.kafka.dead-letter-topic", properties.kafka().deadLetterTopic());
    settings.putAll(mappingSettings(properties));
    return settings;
  }

  /**
   * A digest of the full names of the pipeline's transforms, in the order Beam visits them, and of the coders of what
   * each step puts out: a checkpoint holds elements and state in those coders' bytes, so a version whose coders
   * differ cannot read it.
   */
  static String digest(Pipeline pipeline) {
    StringBuilder names = new StringBuilder();
    pipeline.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        names.append(node.getFullName()).append('\n');
        return CompositeBehavior.ENTER_TRANSFORM;
      }

      @Override
      public void visitPrimitiveTransform(TransformHierarchy.Node node) {
        names.append(node.getFullName()).append('\n');
        for (PCollection<?> output : node.getOutputs().values().stream()
            .filter(PCollection.class::isInstance).map(PCollection.class::cast).toList()) {
          names.append("  ").append(describe(output.getCoder())).append('\n');
        }
      }
    });
    LOG.debug("The pipeline's steps and coders, as its checkpoints must match them:\n{}", names);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(names.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A coder's class, the type it encodes and its component coders, for example
   * {@code KvCoder<KV<String, CountSum>>(StringUtf8Coder<String>, RecordCoder<CountSum>(...))}. Not the coders' own
   * {@code toString}: some print the identity of the functions they hold, which differs from run to run.
   */
  static String describe(Coder<?> coder) {
    String components = coder.getCoderArguments().stream().map(CheckpointPlan::describe)
        .collect(Collectors.joining(", "));
    return coder.getClass().getSimpleName() + "<" + coder.getEncodedTypeDescriptor() + ">"
        + (components.isEmpty() ? "" : "(" + components + ")");
  }
}
