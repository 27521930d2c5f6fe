package io.windowpane.job;

/** Life cycle of the one job this application runs. */
public enum JobStatus {
  STARTING,
  RUNNING,
  DONE,
  FAILED;

  /** Whether the job has ended. */
  public boolean isTerminal() {
    return this == DONE || this == FAILED;
  }
}
