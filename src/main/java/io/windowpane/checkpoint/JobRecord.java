package io.windowpane.checkpoint;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * What {@code windowpane-job.json} in the checkpoint folder says: the run its checkpoints belong to, and what they
 * were taken with, so that a start with another configuration or pipeline is refused instead of restoring state
 * that does not fit.
 *
 * @param run the run's id
 * @param started when the run started fresh
 * @param configuration the settings the state depends on, by property name
 * @param pipeline a digest of the pipeline's transform names (Flink keys operator state by them); null until the
 *     run's pipeline was first built
 * @param drainedTo the name of the savepoint the run's last drain stopped with, once every row it fired was committed
 *     (by a checkpoint before that savepoint); null when the run's state may hold open windows or rows only staged
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record JobRecord(String run, String started, Map<String, String> configuration, String pipeline, String drainedTo) {

  JobRecord withPipeline(String digest) {
    return new JobRecord(run, started, configuration, digest, drainedTo);
  }

  JobRecord withDrainedTo(String savepoint) {
    return new JobRecord(run, started, configuration, pipeline, savepoint);
  }
}
