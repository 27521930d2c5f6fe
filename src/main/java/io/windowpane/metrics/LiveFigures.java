package io.windowpane.metrics;

import java.util.Optional;

/**
 * Where a job's figures can be read while it runs, for runners whose {@code run()} returns only when the job has
 * ended (Flink), so that its {@code PipelineResult} cannot be asked before.
 */
public interface LiveFigures {

  /** The running job's figures now; empty while they cannot be read (the job is not running yet, or has ended). */
  Optional<JobFigures> read();
}
