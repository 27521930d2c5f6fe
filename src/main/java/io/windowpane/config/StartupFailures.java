package io.windowpane.config;

import org.springframework.boot.context.properties.bind.BindException;

/** Maps a startup failure to the exit codes of SPEC section 8. */
public final class StartupFailures {

  /** Invalid configuration or input specification. */
  public static final int INVALID_CONFIGURATION = 2;

  /** Any other failure, including a failed pipeline. */
  public static final int FAILED = 1;

  /** The job finished, but aggregated nothing: every event it read was rejected (invalid or too late). */
  public static final int NOTHING_AGGREGATED = 3;

  private StartupFailures() {}

  public static int exitCode(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException || t instanceof InvalidJobSpecException) {
        return INVALID_CONFIGURATION;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return FAILED;
  }
}
