package io.windowpane.launch;

import java.time.Duration;

/**
 * How long each part of a shutdown may take, in one place, so that the launcher JVM waits for its child at least as
 * long as the child's job runner may take to end the job: a drain cut off midway would lose what it was writing.
 *
 * @param drain a live job's drain or stop: its source stops, its windows fire, and (on Flink) the savepoint completes
 * @param cancel how long a job that did not drain or stop in time, or cannot, is given to stop once cancelled
 */
public record StopTimes(Duration drain, Duration cancel) {

  /** The application's: a test may shorten them to reach what happens when they run out. */
  public static final StopTimes DEFAULT = new StopTimes(Duration.ofSeconds(30), Duration.ofSeconds(10));

  /** How long the launcher waits for its child after passing on a SIGTERM, before killing it. */
  static final Duration CHILD = DEFAULT.drain().plus(DEFAULT.cancel()).plusSeconds(10);
}
