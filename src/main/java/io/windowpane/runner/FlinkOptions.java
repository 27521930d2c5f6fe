package io.windowpane.runner;

import io.windowpane.checkpoint.CheckpointPlan;
import io.windowpane.config.AggProperties;
import java.util.List;
import java.util.function.Supplier;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The FlinkRunner settings under which Flink gives the same panes as the DirectRunner. */
final class FlinkOptions {

  private static final Logger LOG = LoggerFactory.getLogger(FlinkOptions.class);

  /** Flink's own value for "start an embedded local cluster in this JVM". */
  static final String LOCAL_MASTER = "[local]";

  private FlinkOptions() {}

  /**
   * @param properties the job: a TestStream scenario (one ordered script) needs one slot and one element per bundle
   *     to keep its order on Flink; files run in Flink's batch execution; bounded input copies less
   * @param embeddedConf the configuration folder for an embedded cluster, written when first asked for
   * @param remoteFilesToStage what to stage to a remote cluster
   * @param checkpoints a live job's checkpoints and where it resumes from
   */
  static void apply(FlinkPipelineOptions options, AggProperties properties, Supplier<EmbeddedFlinkConf> embeddedConf,
      Supplier<List<String>> remoteFilesToStage, CheckpointPlan checkpoints) {
    List<String> runnerArgs = properties.runnerArgs();
    boolean scenario = properties.readsScenario();
    options.setRunner(FlinkRunner.class);
    if (!RunnerArgs.given(runnerArgs, "flinkMaster")) {
      options.setFlinkMaster(LOCAL_MASTER);
    }
    if (LOCAL_MASTER.equals(options.getFlinkMaster())) {
      if (!RunnerArgs.given(runnerArgs, "flinkConfDir")) {
        options.setFlinkConfDir(embeddedConf.get().path());
      }
    } else {
      if (!RunnerArgs.given(runnerArgs, "filesToStage")) {
        options.setFilesToStage(remoteFilesToStage.get());
      }
      if (checkpoints.restoreFrom() != null && !RunnerArgs.given(runnerArgs, "savepointPath")) {
        options.setSavepointPath(checkpoints.restoreFrom()); // an embedded cluster reads it from its configuration
      }
    }
    if (!RunnerArgs.given(runnerArgs, "streaming")) {
      // Files in Flink's batch execution: it groups by sorting, one key and window at a time, where streaming
      // execution keeps every window open until the input ends (1M events in session windows did not finish in 6
      // minutes). Its panes are all UNKNOWN; windowpane states them (WindowInfo). Kafka's reader is a stream even
      // when it stops at the end offsets: Flink would switch to streaming for it anyway.
      options.setStreaming(properties.mode() != AggProperties.Mode.BATCH);
    }
    if (properties.readsBoundedInput() && !checkpoints.enabled() && !RunnerArgs.given(runnerArgs, "fasterCopy")) {
      // Hands elements from one chained step to the next without copying them through their coder (a bounded Kafka
      // read of 1M events: 18 s instead of 30-35 s; no DoFn of windowpane's changes its input). Not for checkpointed
      // jobs: Flink's heap state copies a value before a change while a checkpoint is written, and the combine's
      // accumulator is changed in place.
      options.setFasterCopy(true);
    }
    if (scenario) {
      if (!RunnerArgs.given(runnerArgs, "parallelism")) {
        // A TestStream is one ordered script: at parallelism > 1 Flink's results varied between runs.
        options.setParallelism(1);
      } else if (options.getParallelism() > 1) {
        LOG.warn("Flink parallelism {} with a TestStream scenario: results may vary between runs; "
            + "parallelism 1 matches the DirectRunner", options.getParallelism());
      }
      if (!RunnerArgs.given(runnerArgs, "maxBundleSize")) {
        // Flink buffers elements in bundles and holds the watermark back until a bundle finishes, so a late
        // element scripted after a watermark step can overtake it and land in the ON_TIME pane (and stale,
        // empty panes follow). One element per bundle keeps the script's order, as the DirectRunner does.
        options.setMaxBundleSize(1L);
      }
    }
    if (checkpoints.enabled()) {
      checkpointed(options, runnerArgs, checkpoints);
    } else if (!RunnerArgs.given(runnerArgs, "shutdownSourcesAfterIdleMs")) {
      // Finish the job when its sources are done, as the DirectRunner does, instead of idling on.
      options.setShutdownSourcesAfterIdleMs(0L);
    }
  }

  /**
   * Exactly-once checkpoints of the job's state into the run's folder, kept when the job is cancelled or fails
   * (Flink keeps the newest; windowpane removes older runs), and sources that never shut down: a source task that
   * finished would take no part in later checkpoints.
   */
  private static void checkpointed(FlinkPipelineOptions options, List<String> runnerArgs, CheckpointPlan checkpoints) {
    if (!RunnerArgs.given(runnerArgs, "checkpointingInterval")) {
      options.setCheckpointingInterval(checkpoints.interval().toMillis());
    }
    options.setCheckpointingMode("EXACTLY_ONCE"); // the exactly-once sinks (@RequiresStableInput) need it
    if (!RunnerArgs.given(runnerArgs, "stateBackend")) {
      options.setStateBackend("filesystem"); // Flink's heap state, checkpointed as files
      options.setStateBackendStoragePath(checkpoints.storage().toString());
    }
    options.setExternalizedCheckpointsEnabled(true);
    options.setRetainExternalizedCheckpointsOnCancellation(true);
    if (!RunnerArgs.given(runnerArgs, "shutdownSourcesAfterIdleMs")) {
      options.setShutdownSourcesAfterIdleMs(Long.MAX_VALUE);
    }
  }
}
