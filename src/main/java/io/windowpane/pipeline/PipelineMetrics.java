package io.windowpane.pipeline;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Names of the Beam metrics the pipeline reports. They travel with the runner (so they work on a cluster) and are
 * read back from the {@code PipelineResult} by the job runner.
 */
public final class PipelineMetrics {

  public static final String NAMESPACE = "windowpane";
  public static final String EVENTS_READ = "events_read";
  public static final String EVENTS_INVALID = "events_invalid";
  public static final String EVENTS_FILTERED = "events_filtered";
  /** Events too late for every window they belong to: dead-lettered, not aggregated ({@link SplitOffLateEvents}). */
  public static final String EVENTS_LATE = "events_late";
  public static final String PANES_PREFIX = "panes_";
  /** Records for the pane diagram that could not be posted (its queue was full, or the page did not answer). */
  public static final String DIAGRAM_RECORDS_DROPPED = "diagram_records_dropped";
  /** Distribution of event times read (epoch ms); its max is the newest event time, for freshness. */
  public static final String EVENT_TIME = "event_time";
  /**
   * Gauges of the aggregation's input watermark (epoch ms), one per source split that knows it (a Kafka partition's
   * watermark policy, a scenario's script): the watermark is the minimum of them.
   */
  public static final String WATERMARK_PREFIX = "input_watermark";

  /**
   * The counter Beam's runners keep for elements dropped beyond the allowed lateness ({@code DroppedDueToLateness}
   * on the DirectRunner, {@code droppedDueToLateness} on Flink): compare ignoring case.
   */
  public static final String DROPPED_DUE_TO_LATENESS = "droppedDueToLateness";

  private PipelineMetrics() {}

  public static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }

  static Distribution distribution(String name) {
    return Metrics.distribution(NAMESPACE, name);
  }

  /** The watermark gauge of one part of the input, such as a Kafka partition ({@code part} may be empty). */
  public static Gauge watermark(String part) {
    return Metrics.gauge(NAMESPACE, part.isEmpty() ? WATERMARK_PREFIX : WATERMARK_PREFIX + "/" + part);
  }

  /** Name of the counter of result rows emitted with the given pane timing (EARLY, ON_TIME, LATE, UNKNOWN). */
  public static String panes(String timing) {
    return PANES_PREFIX + timing;
  }
}
