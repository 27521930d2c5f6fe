package io.windowpane.job;

import io.windowpane.config.StartupFailures;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.stereotype.Component;

/**
 * Where the job is in its life cycle; read by the health endpoint and, when the application exits after the job
 * ({@code agg.exit-when-done}), by Spring Boot for the exit code.
 */
@Component
public class JobState implements ExitCodeGenerator {

  private volatile JobStatus status = JobStatus.STARTING;
  private volatile String failure;
  private volatile boolean nothingAggregated;
  private final CountDownLatch ended = new CountDownLatch(1);

  public JobStatus status() {
    return status;
  }

  /** Why the job failed, or {@code null}. */
  public String failure() {
    return failure;
  }

  void running() {
    status = JobStatus.RUNNING;
  }

  void done() {
    done(false);
  }

  /** @param nothingAggregated every event read was rejected: the run is done, but its exit code says so (3) */
  void done(boolean nothingAggregated) {
    this.nothingAggregated = nothingAggregated;
    status = JobStatus.DONE;
    ended.countDown();
  }

  void failed(String reason) {
    failure = reason;
    status = JobStatus.FAILED;
    ended.countDown();
  }

  /** Waits until the job is done or failed; false if it is still running after the timeout. */
  public boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
    return ended.await(timeout, unit);
  }

  @Override
  public int getExitCode() {
    if (status == JobStatus.FAILED) {
      return StartupFailures.FAILED;
    }
    return nothingAggregated ? StartupFailures.NOTHING_AGGREGATED : 0;
  }
}
