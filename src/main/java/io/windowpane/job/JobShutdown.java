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
 * Ends the running job when the application stops: drains a live job (to a savepoint when it is checkpointed),
 * cancels one that cannot be drained, and waits for it within {@link StopTimes}.
 */
@Component
class JobShutdown {

  private static final Logger LOG = LoggerFactory.getLogger(JobShutdown.class);

  private final AggProperties properties;
  private final JobState state;
  private final RunningJob job;
  private final ObjectProvider<InputDrain> drain;
  private final RunnerOptions runnerOptions;
  private final CheckpointPlan checkpoints;
  private final JobOutputCommit outputs;

  JobShutdown(AggProperties properties, JobState state, RunningJob job, ObjectProvider<InputDrain> drain,
      RunnerOptions runnerOptions, CheckpointPlan checkpoints, JobOutputCommit outputs) {
    this.properties = properties;
    this.state = state;
    this.job = job;
    this.drain = drain;
    this.runnerOptions = runnerOptions;
    this.checkpoints = checkpoints;
    this.outputs = outputs;
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
    PipelineResult result = job.result(); // null while Flink runs: its run() returns when the job has ended
    if ((result == null && state.status() != JobStatus.RUNNING) || !job.requestStop()) {
      return;
    }
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
    RunningJob.cancelQuietly(result);
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
    outputs.discard();
  }

  /**
   * Ends a drained, checkpointed job with a savepoint (SPEC section 13): once the drained watermark has reached every
   * operator, every open window has fired its final pane; a checkpoint then commits those rows while every task still
   * runs ({@link FlinkJobControl#checkpoint}), and the savepoint holds the source positions after the last record read
   * and no open windows. The next start resumes from it, so nothing read before the drain is read again. Where the
   * drain does not get through (a remote cluster's workers cannot see the drain signal), the savepoint keeps the open
   * windows instead, for the next start to carry on with.
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
    } else {
      try {
        long checkpoint = control.get().checkpoint(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()) / 2));
        LOG.info("Shutdown: the drained job's final panes are committed with checkpoint {}", checkpoint);
      } catch (IOException e) {
        LOG.warn("Shutdown: no checkpoint after the drain ({}); rows the savepoint does not commit are written by the"
            + " next start", e.getMessage());
      }
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
}
