package io.windowpane.runner;

import io.windowpane.checkpoint.CheckpointPlan;
import io.windowpane.config.AggProperties;
import io.windowpane.config.InvalidJobSpecException;
import io.windowpane.metrics.LiveFigures;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.common.ReflectHelpers;
import org.apache.beam.sdk.util.construction.resources.PipelineResources;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

/**
 * The Beam runner's options for the job: {@code agg.runner-args} parsed by Beam, then windowpane's defaults for the
 * chosen runner wherever the user did not set the option. Bad runner arguments stop the application at startup.
 */
@Component
public class RunnerOptions {

  private final AggProperties properties;
  private final RunnerChoice runner;
  private final CheckpointPlan checkpoints;
  /** The job's name on a Flink cluster ({@link FlinkJobName}): an unchecked job's names this instance. */
  private final String jobName;
  /** Written at most once, and only if an embedded Flink cluster runs the job. */
  private final Supplier<EmbeddedFlinkConf> embeddedFlinkConf;
  /** Found (or unpacked) at most once, and only if a remote Flink cluster needs them. */
  private final Supplier<List<String>> remoteFilesToStage = SingletonSupplier.of(RunnerOptions::remoteFilesToStage);

  public RunnerOptions(AggProperties properties, RunnerChoice runner, CheckpointPlan checkpoints) {
    this.properties = properties;
    this.runner = runner;
    this.checkpoints = checkpoints;
    this.jobName = FlinkJobName.of(properties, UUID.randomUUID().toString().substring(0, 8));
    this.embeddedFlinkConf = SingletonSupplier.of(() -> EmbeddedFlinkConf.create(checkpoints.restoreFrom()));
    create(); // reject bad agg.runner-args at startup, not when the job runs
  }

  /** New options for one pipeline. */
  public PipelineOptions create() {
    PipelineOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(properties.runnerArgs().toArray(String[]::new))
          .withValidation()
          .create();
    } catch (IllegalArgumentException e) {
      throw new InvalidJobSpecException(
          "agg.runner-args", String.join(" ", properties.runnerArgs()), e.getMessage(), e);
    }
    options.setJobName(jobName);
    switch (runner.kind()) {
      case DIRECT -> {
        options.setRunner(DirectRunner.class);
        DirectOptions direct = options.as(DirectOptions.class);
        // The job runner polls the result for progress and metrics instead of blocking in run().
        direct.setBlockOnRun(false);
        // The DirectRunner's immutability and encodability checks re-encode every element at every step: a
        // development aid for catching DoFn bugs, which the unit tests keep on (TestPipeline), and more than half
        // of a batch run's time. Off for the product unless asked for in agg.runner-args.
        if (!RunnerArgs.given(properties.runnerArgs(), "enforceImmutability")) {
          direct.setEnforceImmutability(false);
        }
        if (!RunnerArgs.given(properties.runnerArgs(), "enforceEncodability")) {
          direct.setEnforceEncodability(false);
        }
      }
      case FLINK -> FlinkOptions.apply(options.as(FlinkPipelineOptions.class), properties, embeddedFlinkConf,
          remoteFilesToStage, checkpoints);
      case AUTO -> throw new IllegalStateException("agg.runner=auto is resolved by RunnerChoice");
    }
    return options;
  }

  /**
   * Where the job's figures can be read while it runs, when the runner's {@code run()} returns only at the end: the
   * REST API of the embedded Flink cluster, or of the remote one ({@code --flinkMaster}). Empty for the DirectRunner
   * (its result is polled instead), and when a Flink configuration of the user's own hides the embedded REST port.
   */
  public Optional<LiveFigures> liveFigures() {
    return flinkRestAddress().map(rest -> new FlinkRestFigures(rest, jobName));
  }

  /** Ends a running Flink job with a savepoint; empty where {@link #liveFigures()} is. */
  public Optional<FlinkJobControl> jobControl() {
    return flinkRestAddress().map(rest -> new FlinkJobControl(rest, jobName));
  }

  /** The REST API of the Flink cluster that runs the job, when Flink runs it and windowpane knows where. */
  private Optional<URI> flinkRestAddress() {
    if (!runner.flink()) {
      return Optional.empty();
    }
    Optional<URI> remote = RunnerArgs.remoteFlinkRest(properties.runnerArgs());
    if (remote.isPresent()) {
      return remote;
    }
    if (RunnerArgs.given(properties.runnerArgs(), "flinkConfDir")) {
      return Optional.empty();
    }
    return Optional.of(embeddedFlinkConf.get().restAddress());
  }

  /**
   * Whether the pipeline's workers run in this JVM; a remote cluster's task managers do not (they cannot reach the
   * application's loopback address, nor its temporary files).
   */
  public boolean workersInThisJvm() {
    return !(runner.flink() && RunnerArgs.remoteFlinkMaster(properties.runnerArgs()));
  }

  /**
   * What a remote cluster's workers need: the executable jar's classes and libraries, unpacked, or of the class path
   * Beam would stage.
   */
  private static List<String> remoteFilesToStage() {
    return ExecutableJarStaging.filesToStage().orElseGet(() -> WorkerFiles.of(PipelineResources
        .detectClassPathResourcesToStage(ReflectHelpers.findClassLoader(), PipelineOptionsFactory.create())));
  }
}
