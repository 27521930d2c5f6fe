package io.windowpane.job;

/**
 * A way to end a job that runs until stopped with its results complete: its source stops reading, the watermark
 * goes to the end, and every window still open fires its final pane, as a runner's "drain" does. Offered by inputs
 * that can do it (a live Kafka read); the job runner asks for it on shutdown before it falls back to cancelling.
 */
public interface JobDrain {

  /** Asks the running job's source to stop reading. Returns at once; the job then ends on its own. */
  void request();
}
