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
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record JobRecord(String run, String started, Map<String, String> configuration, String pipeline) {

  JobRecord withPipeline(String digest) {
    return new JobRecord(run, started, configuration, digest);
  }
}
