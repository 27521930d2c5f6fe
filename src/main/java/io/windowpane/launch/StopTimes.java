package io.windowpane.launch;

import java.time.Duration;

/**
 * How long each part of a shutdown may take, in one place, so that the launcher JVM waits for its child at least as
 * long as the child's job runner may take to end the job: a drain cut off midway would lose what it was writing.
 */
public final class StopTimes {

  /** A live job's drain: its source stops, its windows fire, and (on Flink) the savepoint completes. */
  public static final Duration DRAIN = Duration.ofSeconds(30);

  /** A job that did not drain, or cannot be drained, is cancelled and given this long to stop. */
  public static final Duration CANCEL = Duration.ofSeconds(10);

  /** How long the launcher waits for its child after passing on a SIGTERM, before killing it. */
  static final Duration CHILD = DRAIN.plus(CANCEL).plusSeconds(10);

  private StopTimes() {}
}
