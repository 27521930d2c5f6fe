package io.windowpane.job;

import io.windowpane.checkpoint.CheckpointPlan;
import io.windowpane.config.AggProperties;
import io.windowpane.launch.HeapCappedRelaunch;
import io.windowpane.launch.StopTimes;
import io.windowpane.metrics.JobFigures;
import io.windowpane.metrics.JobMetrics;
import io.windowpane.metrics.LiveFigures;
import io.windowpane.pipeline.AggregationSpec;
import io.windowpane.runner.FlinkJobControl;
import io.windowpane.runner.RunnerChoice;
import io.windowpane.runner.RunnerOptions;
import io.windowpane.source.InputDrain;
import java.io.IOException;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.CommandLineRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs the job once at startup: builds the pipeline, runs it, reports progress and publishes Beam's figures to
 * Micrometer every {@code agg.progress-interval} while it runs and once more at the end, then records the run's
 * status and duration. A failed pipeline does not stop the application (it keeps serving /actuator with the
 * failure in its health) unless {@code agg.exit-when-done} is set, in which case the exit code is 1.
 */
@Component
class JobRunner implements CommandLineRunner {

  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final AggProperties properties;
  private final PipelineFactory factory;
  private final JobState state;
  private final JobMetrics metrics;
  private final ApplicationEventPublisher events;
  private final ObjectProvider<InputDrain> drain;
  private final RunnerOptions runnerOptions;
  private final RunnerChoice runner;
  private final CheckpointPlan checkpoints;
  /** The running pipeline, so that a shutdown (SIGTERM) can stop it; null when none runs. */
  private volatile PipelineResult running;
  private volatile boolean stopRequested;
  private final AtomicBoolean stopping = new AtomicBoolean();

  JobRunner(AggProperties properties, PipelineFactory factory, JobState state, JobMetrics metrics,
      ApplicationEventPublisher events, ObjectProvider<InputDrain> drain, RunnerOptions runnerOptions,
      RunnerChoice runner, CheckpointPlan checkpoints) {
    this.runner = runner;
    this.properties = properties;
    this.checkpoints = checkpoints;
    this.runnerOptions = runnerOptions;
    this.drain = drain;
    this.events = events;
    this.factory = factory;
    this.state = state;
    this.metrics = metrics;
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
    LOG.info("Starting {} job on the {} runner: {}; results to {}, rejected lines to {}",
        properties.mode().name().toLowerCase(), runner.name(),
        factory.inputDescription(), factory.outputs().resultsDescription(),
        factory.outputs().deadLetterDescription());
    AggregationSpec spec = factory.aggregationSpec();
    LOG.info("{}, allowed lateness {}, early firings {}, late firings {}, {} panes{}",
        capitalized(spec.window().describe()), spec.allowedLateness(),
        spec.earlyDelay().isZero() ? "off" : "after " + spec.earlyDelay(),
        spec.lateDelay().isZero() ? "on every late element" : "after " + spec.lateDelay(),
        spec.accumulating() ? "accumulating" : "discarding",
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
      ScheduledExecutorService livePolling = pollLiveFigures(started);
      try {
        result = pipeline.run();
      } finally {
        stopPolling(livePolling);
      }
      running = result;
      awaitWithProgress(result, started);
      metrics.update(JobFigures.of(result));
      status = JobStatus.DONE;
    } catch (RuntimeException e) {
      status = JobStatus.FAILED;
      if (stopRequested) {
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
      cancelQuietly(result);
      status = JobStatus.FAILED;
      failure = rootMessage(e);
      LOG.error("Job failed: {}{}", rootMessage(e), outOfMemoryAdvice(e));
    }
    running = null;
    if (status == JobStatus.DONE && !stopRequested) {
      failure = commitOutputs();
      status = failure == null ? JobStatus.DONE : JobStatus.FAILED;
    } else {
      discardOutputs();
    }
    Duration wallTime = Duration.ofNanos(System.nanoTime() - started);
    metrics.recordRun(status == JobStatus.DONE, mode, wallTime);
    LOG.info("Job {}{} in {} ms: {}", status, stopRequested ? " (stopped on shutdown)" : "", wallTime.toMillis(),
        metrics.figures().summary());
    publishEnd(failure == null ? JobStatus.DONE : JobStatus.FAILED, failure);
    if (failure == null) {
      state.done();
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

  /**
   * On shutdown (SIGTERM, Ctrl-C, the context closing) a job that still runs, such as a live Kafka job, is ended.
   * If its input can be drained, it is first asked to stop reading, so that its open windows fire their final panes
   * and every record read is in the results; a checkpointed job then stops with a savepoint. A job that has not ended
   * within {@link StopTimes#DRAIN} (or cannot be drained) is cancelled: its readers stop, and the rows fired so far
   * are written (a checkpointed job's committed ones; the next start resumes from its newest checkpoint). Runs when
   * the context starts closing, while the web server still serves the pane diagram (and again, doing nothing, before
   * the beans are destroyed).
   */
  @EventListener(ContextClosedEvent.class)
  @PreDestroy
  void stop() throws InterruptedException {
    PipelineResult result = running; // null while Flink runs: its run() returns when the job has ended
    if ((result == null && state.status() != JobStatus.RUNNING) || stopping.getAndSet(true)) {
      return;
    }
    stopRequested = true;
    InputDrain jobDrain = drain.getIfAvailable();
    if (jobDrain != null && properties.runsUntilStopped()) {
      LOG.info("Shutdown: draining the running job (its source stops reading, open windows fire their final panes)");
      jobDrain.request();
      if (checkpoints.enabled() ? drainedToSavepoint(jobDrain)
          : state.awaitEnd(StopTimes.DRAIN.toSeconds(), TimeUnit.SECONDS)) {
        return;
      }
      LOG.warn("The job did not drain within {} s", StopTimes.DRAIN.toSeconds());
    }
    Optional<FlinkJobControl> control = result == null ? runnerOptions.jobControl() : Optional.empty();
    if (control.isPresent() && !checkpoints.enabled()) {
      cancelOnFlink(control.get());
      return;
    }
    if (result == null) {
      LOG.info("Shutdown: the job stops with this JVM{}", checkpoints.enabled()
          ? "; the next start resumes from its newest checkpoint" : "");
      return;
    }
    LOG.info("Shutdown: stopping the running job");
    cancelQuietly(result);
    if (!state.awaitEnd(StopTimes.CANCEL.toSeconds(), TimeUnit.SECONDS)) {
      LOG.warn("The job did not stop within {} s", StopTimes.CANCEL.toSeconds());
    }
  }

  /**
   * Cancels a Flink job without checkpoints (a batch job, a scenario) over the cluster's REST API, so that its run
   * ends here and its unfinished outputs are removed, as on the DirectRunner, instead of stopping with the JVM. The
   * embedded cluster may still be starting (no REST API yet, or no job): asked again until the run has ended. If it
   * has not within {@link StopTimes#CANCEL}, the unfinished outputs are removed here, since the run will not get to it.
   */
  private void cancelOnFlink(FlinkJobControl control) throws InterruptedException {
    LOG.info("Shutdown: cancelling the running Flink job");
    long deadline = System.nanoTime() + StopTimes.CANCEL.toNanos();
    boolean asked = false;
    while (System.nanoTime() < deadline) {
      if (!asked) {
        try {
          asked = control.cancel();
        } catch (IOException notUpYet) {
          // the embedded cluster is still starting
        }
      }
      if (state.awaitEnd(200, TimeUnit.MILLISECONDS)) {
        return;
      }
    }
    LOG.warn("The job did not stop within {} s; removing its unfinished output", StopTimes.CANCEL.toSeconds());
    discardOutputs();
  }

  /**
   * Ends a drained, checkpointed job with a savepoint (SPEC section 13): once the drained watermark has reached every
   * operator, every open window has fired its final pane; the savepoint then holds the source positions after the
   * last record read and no open windows, and the rows it covers are committed when it completes. The next start
   * resumes from it, so nothing read before the drain is read again. Where the drain does not get through (a remote
   * cluster's workers cannot see the drain signal), the savepoint keeps the open windows instead, for the next start
   * to carry on with.
   */
  private boolean drainedToSavepoint(InputDrain jobDrain) throws InterruptedException {
    Optional<FlinkJobControl> control = runnerOptions.jobControl();
    if (control.isEmpty()) {
      return false;
    }
    long deadline = System.nanoTime() + StopTimes.DRAIN.toNanos();
    boolean drained = control.get().awaitWatermark(jobDrain.drainedWatermark(), StopTimes.DRAIN.dividedBy(2));
    if (!drained) {
      LOG.warn("Shutdown: the drain did not reach every operator within {} s; stopping with a savepoint that keeps"
          + " the open windows for the next start", StopTimes.DRAIN.dividedBy(2).toSeconds());
    }
    try {
      String savepoint = control.get().stopWithSavepoint(checkpoints.savepoints(),
          Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      LOG.info("Shutdown: the {} job stopped with savepoint {}; the next start resumes from it",
          drained ? "drained" : "running", savepoint);
    } catch (IOException e) {
      LOG.warn("Shutdown: no savepoint ({}); the next start resumes from the newest checkpoint", e.getMessage());
      return false;
    }
    return state.awaitEnd(Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000), TimeUnit.SECONDS);
  }

  /** Moves staged result files into place; the failure, or null. */
  private String commitOutputs() {
    try {
      factory.outputs().commit();
      return null;
    } catch (IOException | RuntimeException e) {
      LOG.error("Job failed: the results could not be moved into place: {}", e.toString());
      discardOutputs();
      return "cannot move the results into place: " + e;
    }
  }

  /** A failed or stopped job leaves the previous files at the output paths as they were. */
  private void discardOutputs() {
    try {
      factory.outputs().discard();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not remove the unfinished output: {}", e.toString());
    }
  }

  private void awaitWithProgress(PipelineResult result, long started) {
    org.joda.time.Duration interval = org.joda.time.Duration.millis(refreshInterval().toMillis());
    ProgressLog progress = new ProgressLog(started);
    PipelineResult.State finalState = null;
    while (finalState == null || !finalState.isTerminal()) {
      finalState = result.waitUntilFinish(interval);
      JobFigures figures = JobFigures.of(result);
      metrics.update(figures);
      if (finalState == null || !finalState.isTerminal()) {
        progress.maybeLog(figures);
      }
    }
    if (finalState == PipelineResult.State.CANCELLED && stopRequested) {
      if (properties.runsUntilStopped()) {
        return; // a live job ends this way
      }
      throw new IllegalStateException("stopped by a shutdown before it finished");
    }
    if (finalState != PipelineResult.State.DONE) {
      throw new IllegalStateException("pipeline ended in state " + finalState);
    }
  }

  /**
   * How often the figures are read while the job runs: the progress interval, but at least every second, so that
   * the metrics and the pane diagram's watermark follow the job closely; the progress line keeps its interval.
   */
  private Duration refreshInterval() {
    Duration progress = properties.progressInterval();
    return progress.compareTo(MAX_REFRESH) < 0 ? progress : MAX_REFRESH;
  }

  private static final Duration MAX_REFRESH = Duration.ofSeconds(1);

  /** Logs the progress line once per {@code agg.progress-interval}, however often the figures are read. */
  private final class ProgressLog {
    private final long started;
    private long logged;

    ProgressLog(long started) {
      this.started = started;
      this.logged = started;
    }

    void maybeLog(JobFigures figures) {
      long now = System.nanoTime();
      // a little early is on time: reads come every refresh interval, not exactly on the progress interval
      if (now - logged >= properties.progressInterval().toNanos() - refreshInterval().toNanos() / 2) {
        logged = now;
        logProgress(figures, started);
      }
    }
  }

  private void logProgress(JobFigures figures, long started) {
    double seconds = (System.nanoTime() - started) / 1e9;
    if (runner.flink() && properties.mode() == AggProperties.Mode.BATCH && figures.eventsRead() == 0) {
      // Beam's batch operators on Flink publish their counters when their one bundle (the whole input) ends
      LOG.info("Progress: running for {} s in Flink's batch execution, which reports the job's figures as its"
          + " steps end", Math.round(seconds));
      return;
    }
    LOG.info("Progress: {} events read ({} events/s), {} result rows so far", figures.eventsRead(),
        Math.round(figures.eventsRead() / seconds), figures.totalPanes());
  }

  /**
   * Where the runner's {@code run()} blocks until the job ends (Flink), reads its figures from the runner every
   * {@link #refreshInterval()} meanwhile, for the metrics and the progress lines; null where the result is polled.
   */
  private ScheduledExecutorService pollLiveFigures(long started) {
    Optional<LiveFigures> live = runnerOptions.liveFigures();
    if (live.isEmpty()) {
      return null;
    }
    ScheduledExecutorService polling = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "windowpane-live-figures");
      thread.setDaemon(true);
      return thread;
    });
    long interval = refreshInterval().toMillis();
    ProgressLog progress = new ProgressLog(started);
    polling.scheduleWithFixedDelay(() -> live.get().read().ifPresent(figures -> {
      metrics.update(figures);
      progress.maybeLog(figures);
    }), interval, interval, TimeUnit.MILLISECONDS);
    return polling;
  }

  /** Stops the polling before the final figures are published, so that none of its reads comes after them. */
  private static void stopPolling(ScheduledExecutorService polling) {
    if (polling != null) {
      polling.shutdownNow();
      try {
        polling.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void cancelQuietly(PipelineResult result) {
    if (result == null) {
      return;
    }
    try {
      result.cancel();
      result.waitUntilFinish(org.joda.time.Duration.standardSeconds(10));
    } catch (IOException | RuntimeException e) {
      // already finished or failed: nothing to stop
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
