package io.windowpane.job;

import io.windowpane.checkpoint.CheckpointPlan;
import io.windowpane.config.AggProperties;
import io.windowpane.launch.StopTimes;
import io.windowpane.runner.FlinkJobControl;
import io.windowpane.runner.RunnerOptions;
import io.windowpane.source.InputDrain;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Ends the running job when the application stops (SPEC section 13: stopping is not ending). A checkpointed live job
 * stops with a savepoint that keeps its open windows, for the next start to resume ({@link #stopKeepingState}); a
 * drain, which fires every open window's final pane and so ends the job for good, is an explicit choice
 * ({@code agg.shutdown=drain}, or {@link JobDrainEndpoint}), and what a job that cannot keep state does on SIGTERM
 * (the DirectRunner, the embedded broker's demo). A job that did neither in time is cancelled, within
 * {@link StopTimes}. One ending at a time: a SIGTERM during a drain asked for over HTTP waits for it, then stops what
 * it left running.
 */
@Component
class JobShutdown {

  private static final Logger LOG = LoggerFactory.getLogger(JobShutdown.class);
  /** A little more than the exactly-once sinks' recovery timer period ({@code ExactlyOnceLines}). */
  private static final Duration SECOND_COMMIT_AFTER = Duration.ofMillis(1_500);

  /** How an ending went. */
  enum Outcome {
    /** Every open window fired its final pane and the job ended (on Flink: with a savepoint after it). */
    DRAINED("drained: every open window fired its final pane and the job ended"),
    /** The job stopped with a savepoint that keeps its open windows for the next start. */
    KEPT("not drained: the job stopped with a savepoint that keeps its open windows (see the log)"),
    /** The job was cancelled; a checkpointed one resumes from its newest checkpoint. */
    CANCELLED("not drained: the job was cancelled (see the log)"),
    /** Neither: the job still runs (it stops with this JVM; a checkpointed one resumes from its newest checkpoint). */
    LEFT_RUNNING("not drained: no savepoint could be taken and the job still runs (see the log)"),
    /** No job was running. */
    NOT_RUNNING("nothing to drain: no live job is running");

    private final String description;

    Outcome(String description) {
      this.description = description;
    }
  }

  private final AggProperties properties;
  private final JobState state;
  private final RunningJob job;
  private final ObjectProvider<InputDrain> drain;
  private final RunnerOptions runnerOptions;
  private final CheckpointPlan checkpoints;
  private final JobOutputCommit outputs;
  private final StopTimes stopTimes;
  /** The application's shutdown has ended the job, or tried to: it does so once. */
  private boolean shutdownDone;

  JobShutdown(AggProperties properties, JobState state, RunningJob job, ObjectProvider<InputDrain> drain,
      RunnerOptions runnerOptions, CheckpointPlan checkpoints, JobOutputCommit outputs,
      ObjectProvider<StopTimes> stopTimes) {
    this.properties = properties;
    this.state = state;
    this.job = job;
    this.drain = drain;
    this.runnerOptions = runnerOptions;
    this.checkpoints = checkpoints;
    this.outputs = outputs;
    // no bean but in a test that reaches what happens when they run out
    this.stopTimes = stopTimes.getIfAvailable(() -> StopTimes.DEFAULT);
  }

  /** What SIGTERM does to this job, for the startup log. */
  String onSigterm() {
    if (!properties.runsUntilStopped()) {
      return "SIGTERM cancels the job";
    }
    if (drainsOnSigterm()) {
      return "SIGTERM drains this job: every open window fires its final pane now and the job ends, "
          + (properties.shutdown() == AggProperties.Shutdown.DRAIN ? "as agg.shutdown=drain asks"
              : "because " + whyStateIsNotKept() + " (a deploy therefore closes the open windows early)");
    }
    return "SIGTERM stops this job with a savepoint that keeps its open windows, timers and positions; the next"
        + " start resumes them, so a deploy changes no result. To end the job for good (every open window fires its"
        + " final pane now): POST /actuator/drain, or agg.shutdown=drain";
  }

  /**
   * On shutdown (SIGTERM, Ctrl-C, the context closing) a job that still runs, such as a live Kafka job, is stopped:
   * with a savepoint that keeps its state where it can be kept, else drained, else cancelled. Runs when the context
   * starts closing, while the web server still serves the pane diagram (and again, doing nothing, before the beans are
   * destroyed).
   */
  @EventListener(ContextClosedEvent.class)
  @PreDestroy
  synchronized void stop() throws InterruptedException {
    if (shutdownDone || !running()) {
      return;
    }
    shutdownDone = true;
    job.requestStop();
    end(drainsOnSigterm());
  }

  /**
   * The explicit drain (SPEC section 13): every open window fires its final pane, the rows are committed, and the
   * job ends for good; windows it closed stay closed on a later start. Returns what happened, for the caller.
   */
  synchronized String drainForGood() throws InterruptedException {
    if (!properties.runsUntilStopped() || drain.getIfAvailable() == null || !running()) {
      return Outcome.NOT_RUNNING.description + " (job " + state.status() + ")";
    }
    LOG.info("Drain asked for: the job ends for good");
    job.requestStop();
    return end(true).description;
  }

  private boolean running() {
    // the result is null while Flink runs: its run() returns when the job has ended
    return job.result() != null || state.status() == JobStatus.RUNNING;
  }

  /** SIGTERM drains a job that cannot keep its state for the next start, or one configured to drain. */
  private boolean drainsOnSigterm() {
    return properties.shutdown() == AggProperties.Shutdown.DRAIN || whyStateIsNotKept() != null;
  }

  /** Why a stop cannot keep this live job's state for the next start; null when it can. */
  private String whyStateIsNotKept() {
    if (!checkpoints.enabled()) {
      return "the DirectRunner keeps its state in memory only";
    }
    if (properties.kafka().embedded()) {
      return "the embedded broker's topic lives only as long as the application";
    }
    return null;
  }

  private Outcome end(boolean drainIt) throws InterruptedException {
    PipelineResult result = job.result();
    InputDrain jobDrain = drain.getIfAvailable();
    if (properties.runsUntilStopped()) {
      if (!drainIt && checkpoints.enabled()) {
        if (stopKeepingState()) {
          return Outcome.KEPT;
        }
      } else if (jobDrain != null) {
        LOG.info("Shutdown: draining the running job (its source stops reading, open windows fire their final"
            + " panes{})", drainIt && whyStateIsNotKept() != null ? ": " + whyStateIsNotKept() : "");
        jobDrain.request();
        if (checkpoints.enabled()) {
          Optional<Outcome> ended = drainedToSavepoint(jobDrain);
          if (ended.isPresent()) {
            return ended.get();
          }
        } else if (state.awaitEnd(stopTimes.drain().toMillis(), TimeUnit.MILLISECONDS)) {
          return Outcome.DRAINED;
        } else {
          LOG.warn("The job did not drain within {} s", stopTimes.drain().toSeconds());
        }
      }
    }
    Optional<FlinkJobControl> control = result == null ? runnerOptions.jobControl() : Optional.empty();
    if (control.isPresent() && !checkpoints.enabled()) {
      cancelOnFlink(control.get());
      return Outcome.CANCELLED;
    }
    if (result == null) {
      LOG.info("Shutdown: the job stops with this JVM{}", checkpoints.enabled()
          ? "; the next start resumes from its newest checkpoint" : "");
      return Outcome.LEFT_RUNNING;
    }
    LOG.info("Shutdown: stopping the running job");
    RunningJob.cancelQuietly(result);
    if (!state.awaitEnd(stopTimes.cancel().toMillis(), TimeUnit.MILLISECONDS)) {
      LOG.warn("The job did not stop within {} s", stopTimes.cancel().toSeconds());
    }
    return Outcome.CANCELLED;
  }

  /**
   * Stops a checkpointed job and keeps its state, as Flink's plain {@code flink stop} does: nothing fires early. The
   * job stops with a savepoint that holds its open windows, timers, pane indexes, staged rows and source positions;
   * the next start resumes from it and commits the rows staged since the last checkpoint first (Flink usually has them
   * committed already, when it tells the tasks the savepoint is complete). No checkpoint before it, unlike a drain's:
   * the stop of a deploy stays one barrier's pass through the job (measured at 20,000 events/s and 700,000 behind:
   * 0.7-1.2 s from SIGTERM to the savepoint). False when no savepoint could be taken: the job then stops with this
   * JVM, and the next start resumes from its newest checkpoint, as after a crash.
   */
  private boolean stopKeepingState() throws InterruptedException {
    Optional<FlinkJobControl> control = runnerOptions.jobControl();
    if (control.isEmpty()) {
      return false;
    }
    LOG.info("Shutdown: stopping the job with a savepoint that keeps its open windows (nothing fires early)");
    long deadline = System.nanoTime() + stopTimes.drain().toNanos();
    return toSavepoint(control.get(), deadline, "running job, its open windows kept,").isPresent();
  }

  /**
   * Cancels a Flink job without checkpoints (a batch job, a scenario) over the cluster's REST API, so that its run
   * ends here and its unfinished outputs are removed, as on the DirectRunner, instead of stopping with the JVM. The
   * embedded cluster may still be starting (no REST API yet, or no job): asked again until the run has ended. If it
   * has not within {@link StopTimes#cancel}, the unfinished outputs are removed here, since the run will not get to it.
   */
  private void cancelOnFlink(FlinkJobControl control) throws InterruptedException {
    LOG.info("Shutdown: cancelling the running Flink job");
    long deadline = System.nanoTime() + stopTimes.cancel().toNanos();
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
    LOG.warn("The job did not stop within {} s; removing its unfinished output", stopTimes.cancel().toSeconds());
    outputs.discard();
  }

  /**
   * Ends a drained, checkpointed job with a savepoint (SPEC section 13): once the drained watermark has reached every
   * operator, every open window has fired its final pane; a checkpoint then commits those rows while every task still
   * runs, and the savepoint holds the source positions after the last record read and no open windows. The next start
   * resumes from it, so nothing read before the drain is read again. Where the drain does not get through (a remote
   * cluster's workers cannot see the drain signal), the savepoint keeps the open windows instead.
   */
  private Optional<Outcome> drainedToSavepoint(InputDrain jobDrain) throws InterruptedException {
    Optional<FlinkJobControl> control = runnerOptions.jobControl();
    if (control.isEmpty()) {
      return Optional.empty();
    }
    long deadline = System.nanoTime() + stopTimes.drain().toNanos();
    boolean drained = control.get().awaitWatermark(jobDrain.drainedWatermark(), stopTimes.drain().dividedBy(2));
    if (!drained) {
      LOG.warn("Shutdown: the drain did not reach every operator within {} s; stopping with a savepoint that keeps"
          + " the open windows for the next start", stopTimes.drain().dividedBy(2).toSeconds());
    }
    boolean committed = commitFiredRows(control.get(), deadline);
    if (drained && committed) {
      // Flink does not promise a checkpoint's notice to every task: a second checkpoint, once the sinks' recovery
      // timer (every second) has asked for one, commits what the first one's lost notice left staged, and the
      // source's offsets with it; only then is the drain recorded as one a fresh start may follow
      Thread.sleep(SECOND_COMMIT_AFTER.toMillis());
      committed = commitFiredRows(control.get(), deadline);
    }
    Optional<String> savepoint = toSavepoint(control.get(), deadline, drained ? "drained job" : "running job");
    if (savepoint.isEmpty()) {
      return Optional.empty();
    }
    if (drained && committed) {
      try {
        checkpoints.recordDrain(savepoint.get()); // restore=never may now start fresh without losing a row
      } catch (IOException e) {
        LOG.warn("Shutdown: the drain could not be recorded in the checkpoint folder ({}); a start with"
            + " agg.checkpoint.restore=never will ask for another drain", e.getMessage());
      }
    }
    return Optional.of(drained ? Outcome.DRAINED : Outcome.KEPT);
  }

  /**
   * A checkpoint that commits the rows fired so far while every task still runs ({@link FlinkJobControl#checkpoint}),
   * taken before the drain's savepoint: Flink does not promise to notify the tasks of a stop-with-savepoint, and
   * relying on it, a drain's final rows were now and then written only by the next start. Asked again while half the
   * time left allows, since a checkpoint can fail once (a busy disk, a task restarting); false when none completed:
   * the rows then stay staged in the savepoint, for the next start to write.
   */
  private boolean commitFiredRows(FlinkJobControl control, long deadline) throws InterruptedException {
    long until = System.nanoTime() + Math.max(0, deadline - System.nanoTime()) / 2;
    String failure = "no time left";
    for (int attempt = 1; System.nanoTime() < until; attempt++) {
      try {
        long checkpoint = control.checkpoint(Duration.ofNanos(Math.max(0, until - System.nanoTime())));
        LOG.info("Shutdown: the rows fired so far are committed with checkpoint {}", checkpoint);
        return true;
      } catch (IOException e) {
        failure = e.getMessage();
        LOG.warn("Shutdown: checkpoint attempt {} before the savepoint failed ({})", attempt, failure);
        Thread.sleep(200);
      }
    }
    LOG.warn("Shutdown: no checkpoint before the savepoint ({}); the rows it holds are written by the next start,"
        + " which must resume it (agg.checkpoint.restore=latest)", failure);
    return false;
  }

  /**
   * Stops the job with a savepoint the next start resumes from, within {@code deadline}: its location, once the job
   * has ended; empty when none was taken.
   */
  private Optional<String> toSavepoint(FlinkJobControl control, long deadline, String what)
      throws InterruptedException {
    String savepoint = null;
    IOException failure = null;
    // asked again while the job is not running yet (just submitted, or restarting after a failed task)
    while (savepoint == null && System.nanoTime() < deadline) {
      try {
        savepoint = control.stopWithSavepoint(checkpoints.savepoints(),
            Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      } catch (IOException e) {
        failure = e;
        if (state.awaitEnd(500, TimeUnit.MILLISECONDS)) {
          break;
        }
      }
    }
    if (savepoint == null) {
      LOG.warn("Shutdown: no savepoint ({}); the next start resumes from the newest checkpoint",
          failure == null ? "no time left" : failure.getMessage());
      return Optional.empty();
    }
    LOG.info("Shutdown: the {} stopped with savepoint {}; the next start resumes from it", what, savepoint);
    return state.awaitEnd(Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000), TimeUnit.SECONDS)
        ? Optional.of(savepoint) : Optional.empty();
  }
}
