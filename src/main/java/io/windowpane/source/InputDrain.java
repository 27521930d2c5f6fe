package io.windowpane.source;

import org.joda.time.Instant;

/**
 * A way to end a job that runs until stopped with its results complete: its source stops reading, the watermark
 * goes to the end, and every window still open fires its final pane, as a runner's "drain" does. Offered by inputs
 * that can do it (a live Kafka read), as a bean; the job runner asks for it on shutdown before it falls back to
 * cancelling. Declared here, beside the inputs, so that the job depends on the inputs and not the other way.
 */
public interface InputDrain {

  /** Asks the running job's source to stop reading. Returns at once. */
  void request();

  /**
   * The watermark a drained source ends with: past every real window, so that every window fires its final pane,
   * yet short of the end of time, so that the source does not end and the job can still be checkpointed (SPEC
   * section 13: a drained job's state is kept, and the next start resumes from it).
   */
  Instant drainedWatermark();
}
