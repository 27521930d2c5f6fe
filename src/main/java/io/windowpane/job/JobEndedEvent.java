package io.windowpane.job;

/**
 * Published when the job has ended and its outputs are committed or discarded, before its final status is set
 * (so that an application waiting for that status, {@code agg.exit-when-done}, exits only after the listeners ran).
 *
 * @param failure why it failed, or {@code null}
 */
public record JobEndedEvent(JobStatus status, String failure) {}
