package io.windowpane.job;

/** Life cycle of the one job this application runs. */
public enum JobStatus {
  STARTING,
  RUNNING,
  DONE,
  FAILED
}
