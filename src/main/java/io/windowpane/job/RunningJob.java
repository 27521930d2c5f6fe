package io.windowpane.job;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.PipelineResult;
import org.springframework.stereotype.Component;

/**
 * What the job runner and the shutdown share about the job now running: its pipeline result (null while none, and
 * while Flink's {@code run()} blocks) and whether a shutdown asked it to stop.
 */
@Component
class RunningJob {

  private volatile PipelineResult result;
  private volatile boolean stopRequested;
  private final AtomicBoolean stopping = new AtomicBoolean();

  void started(PipelineResult result) {
    this.result = result;
  }

  void ended() {
    this.result = null;
  }

  /** The running pipeline's result; null when none runs, or while the runner's {@code run()} blocks (Flink). */
  PipelineResult result() {
    return result;
  }

  /** Marks the stop as asked for; false when it already was (the shutdown runs once). */
  boolean requestStop() {
    stopRequested = true;
    return !stopping.getAndSet(true);
  }

  boolean stopRequested() {
    return stopRequested;
  }

  /** Cancels a pipeline and waits briefly for it; one that has already finished or failed is left as it is. */
  static void cancelQuietly(PipelineResult result) {
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
}
