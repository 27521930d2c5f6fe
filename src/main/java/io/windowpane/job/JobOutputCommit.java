package io.windowpane.job;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The end of a job's outputs: a succeeded job's staged files are moved into place; a failed or stopped job's are
 * removed, so that the files at the output paths stay as they were.
 */
@Component
class JobOutputCommit {

  private static final Logger LOG = LoggerFactory.getLogger(JobOutputCommit.class);

  private final PipelineFactory factory;

  JobOutputCommit(PipelineFactory factory) {
    this.factory = factory;
  }

  /** Moves staged result files into place; the failure, or null. */
  String commit() {
    try {
      factory.outputs().commit();
      return null;
    } catch (IOException | RuntimeException e) {
      LOG.error("Job failed: the results could not be moved into place: {}", e.toString());
      discard();
      return "cannot move the results into place: " + e;
    }
  }

  /** A failed or stopped job leaves the previous files at the output paths as they were. */
  void discard() {
    try {
      factory.outputs().discard();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not remove the unfinished output: {}", e.toString());
    }
  }
}
