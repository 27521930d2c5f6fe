package io.windowpane.job;

import io.windowpane.config.AggProperties;
import io.windowpane.metrics.JobFigures;
import io.windowpane.metrics.JobMetrics;
import io.windowpane.metrics.LiveFigures;
import io.windowpane.runner.RunnerChoice;
import io.windowpane.runner.RunnerOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A running job's figures: read from the pipeline (or, while Flink's {@code run()} blocks, from the runner) every
 * second at most, published as metrics, and logged as a progress line every {@code agg.progress-interval}.
 */
@Component
class JobProgress {

  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class); // the job's own log lines

  private final AggProperties properties;
  private final JobMetrics metrics;
  private final RunnerChoice runner;
  private final RunnerOptions runnerOptions;
  private final RunningJob job;

  JobProgress(AggProperties properties, JobMetrics metrics, RunnerChoice runner, RunnerOptions runnerOptions,
      RunningJob job) {
    this.properties = properties;
    this.metrics = metrics;
    this.runner = runner;
    this.runnerOptions = runnerOptions;
    this.job = job;
  }

  /**
   * Waits for a pipeline whose {@code run()} has returned, reading its figures every {@link #refreshInterval()};
   * fails when it did not end DONE (a cancelled live job that was asked to stop ends well).
   */
  void await(PipelineResult result, long started) {
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
    if (finalState == PipelineResult.State.CANCELLED && job.stopRequested()) {
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
  ScheduledExecutorService pollLiveFigures(long started) {
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
  static void stopPolling(ScheduledExecutorService polling) {
    if (polling != null) {
      polling.shutdownNow();
      try {
        polling.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
