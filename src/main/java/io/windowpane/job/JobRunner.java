package io.windowpane.job;

import io.windowpane.checkpoint.CheckpointPlan;
import io.windowpane.config.AggProperties;
import io.windowpane.launch.HeapCappedRelaunch;
import io.windowpane.metrics.JobFigures;
import io.windowpane.metrics.JobMetrics;
import io.windowpane.pipeline.AggregationSpec;
import io.windowpane.runner.RunnerChoice;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.CommandLineRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Runs the job once at startup: builds the pipeline, runs it (its figures meanwhile: {@link JobProgress}), publishes
 * the final figures, commits or discards its outputs ({@link JobOutputCommit}) and records the run's status and
 * duration. A shutdown ends it ({@link JobShutdown}). A failed pipeline does not stop the application (it keeps
 * serving /actuator with the failure in its health) unless {@code agg.exit-when-done} is set, in which case the exit
 * code is 1.
 */
@Component
class JobRunner implements CommandLineRunner {

  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final AggProperties properties;
  private final PipelineFactory factory;
  private final JobState state;
  private final JobMetrics metrics;
  private final ApplicationEventPublisher events;
  private final RunnerChoice runner;
  private final CheckpointPlan checkpoints;
  private final RunningJob job;
  private final JobProgress progress;
  private final JobOutputCommit outputs;
  private final JobShutdown shutdown;

  JobRunner(AggProperties properties, PipelineFactory factory, JobState state, JobMetrics metrics,
      ApplicationEventPublisher events, RunnerChoice runner, CheckpointPlan checkpoints, RunningJob job,
      JobProgress progress, JobOutputCommit outputs, JobShutdown shutdown) {
    this.properties = properties;
    this.factory = factory;
    this.state = state;
    this.metrics = metrics;
    this.events = events;
    this.runner = runner;
    this.checkpoints = checkpoints;
    this.job = job;
    this.progress = progress;
    this.outputs = outputs;
    this.shutdown = shutdown;
  }

  /**
   * Builds the pipeline at startup, so that what stops it from running (a checkpoint of another pipeline, a bad
   * runner option) stops the application with exit code 2, then runs it.
   */
  @Override
  public void run(String... args) {
    Pipeline pipeline = prepare();
    if (properties.runsUntilStopped()) {
      // A live job never finishes: running it here would hold the application in "starting" for good (readiness
      // OUT_OF_SERVICE, no ApplicationReadyEvent). It runs beside the application and stops with it.
      Thread job = new Thread(() -> runJob(pipeline), "windowpane-job");
      job.start();
      return;
    }
    runJob(pipeline);
  }

  private Pipeline prepare() {
    Pipeline pipeline = factory.create();
    checkpoints.verifyPipeline(pipeline);
    LOG.info("Runner: {} ({})", runner.name(), runner.reason());
    if (properties.runsUntilStopped() && !checkpoints.enabled()) {
      LOG.warn("This live job runs on the DirectRunner, which keeps its state in memory only: a crash (kill -9, out of"
          + " memory, a lost host) loses the windows still open, and the records read in the last second before it"
          + " are read and counted again after a restart. Leave agg.runner at auto (or set flink) for checkpoints"
          + " and exactly-once results.");
    }
    if (properties.runsUntilStopped()) {
      LOG.info("Stopping: {}", shutdown.onSigterm());
    }
    LOG.info("Starting {} job on the {} runner: {}; results to {}, rejected lines to {}",
        properties.mode().name().toLowerCase(), runner.name(),
        factory.inputDescription(), factory.outputs().resultsDescription(),
        factory.outputs().deadLetterDescription());
    AggregationSpec spec = factory.aggregationSpec();
    LOG.info("{}, allowed lateness {}, early firings {}, late firings {}, {} panes{}{}",
        capitalized(spec.window().describe()), spec.allowedLateness(),
        spec.earlyDelay().isZero() ? "off" : "after " + spec.earlyDelay(),
        spec.lateDelay().isZero() ? "on every late element" : "after " + spec.lateDelay(),
        spec.accumulating() ? "accumulating" : "discarding",
        spec.closingFiresAlways() ? ", every window ends with a last pane (closing behaviour fire-always)" : "",
        spec.boundedInput()
            ? " (bounded input: the whole input is read first, so no early firings and nothing late)" : "");
    return pipeline;
  }

  private void runJob(Pipeline pipeline) {
    String mode = properties.mode().name().toLowerCase();
    long started = System.nanoTime();
    state.running();
    JobStatus status;
    String failure = null;
    PipelineResult result = null;
    try {
      ScheduledExecutorService livePolling = progress.pollLiveFigures(started);
      try {
        result = pipeline.run();
      } finally {
        JobProgress.stopPolling(livePolling);
      }
      job.started(result);
      progress.await(result, started);
      metrics.update(JobFigures.of(result));
      status = JobStatus.DONE;
    } catch (RuntimeException e) {
      status = JobStatus.FAILED;
      if (job.stopRequested()) {
        // a cancelled Flink job's run() ends in an exception: the stop was asked for, nothing went wrong
        failure = "stopped by a shutdown before it finished";
        LOG.warn("Job stopped by a shutdown before it finished ({})", rootMessage(e));
      } else {
        failure = rootMessage(e);
        LOG.error("Job failed: {}{}", rootMessage(e), outOfMemoryAdvice(e), e);
      }
      publishFiguresOfFailedRun(result);
    } catch (OutOfMemoryError e) {
      // Stop the pipeline first: its workers still hold the heap, and reporting needs a little of it.
      RunningJob.cancelQuietly(result);
      status = JobStatus.FAILED;
      failure = rootMessage(e);
      LOG.error("Job failed: {}{}", rootMessage(e), outOfMemoryAdvice(e));
    }
    job.ended();
    if (status == JobStatus.DONE && !job.stopRequested()) {
      failure = outputs.commit();
      status = failure == null ? JobStatus.DONE : JobStatus.FAILED;
    } else {
      outputs.discard();
    }
    Duration wallTime = Duration.ofNanos(System.nanoTime() - started);
    metrics.recordRun(status == JobStatus.DONE, mode, wallTime);
    LOG.info("Job {}{} in {} ms: {}", status, job.stopRequested() ? " (stopped on shutdown)" : "", wallTime.toMillis(),
        metrics.figures().summary());
    publishEnd(failure == null ? JobStatus.DONE : JobStatus.FAILED, failure);
    if (failure == null) {
      JobFigures figures = metrics.figures();
      boolean nothingAggregated = figures.eventsAggregated() == 0
          && figures.eventsInvalid() + figures.lateDropped() > 0;
      if (nothingAggregated) {
        LOG.warn("Every event read was rejected ({} invalid, {} too late): nothing was aggregated. The dead letters"
            + " say why; with agg.exit-when-done the exit code is {}", figures.eventsInvalid(),
            figures.lateDropped(), io.windowpane.config.StartupFailures.NOTHING_AGGREGATED);
      }
      state.done(nothingAggregated);
    } else {
      state.failed(failure);
    }
  }

  /** Listeners (the pane diagram's file) must not fail the job: it has ended, with its results written. */
  private void publishEnd(JobStatus status, String failure) {
    try {
      events.publishEvent(new JobEndedEvent(status, failure));
    } catch (RuntimeException e) {
      LOG.warn("After the job: {}", rootMessage(e), e);
    }
  }

  /** What the failed pipeline got through is still worth seeing, if the runner can still tell. */
  private void publishFiguresOfFailedRun(PipelineResult result) {
    if (result == null) {
      return;
    }
    try {
      metrics.update(JobFigures.of(result));
    } catch (RuntimeException e) {
      LOG.debug("No metrics from the failed pipeline", e);
    }
  }

  /** What to do about a run that ran out of memory; empty for other failures. */
  private static String outOfMemoryAdvice(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return String.format(" (maximum heap %d MB). %s", Runtime.getRuntime().maxMemory() / (1024 * 1024),
            HeapCappedRelaunch.OUT_OF_MEMORY_ADVICE);
      }
    }
    return "";
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
