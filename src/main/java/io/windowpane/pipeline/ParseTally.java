package io.windowpane.pipeline;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;

/**
 * Counts what parsing made of the input ({@code events_read}, {@code events_invalid}, the event-time range for
 * freshness) and adds it to the Beam metrics in one update per {@link #flush()}: the figures are the same, the
 * metrics update far fewer times. Shared by every step that turns input into events, so all inputs count alike.
 */
public final class ParseTally {

  private final Counter read = PipelineMetrics.counter(PipelineMetrics.EVENTS_READ);
  private final Counter invalid = PipelineMetrics.counter(PipelineMetrics.EVENTS_INVALID);
  private final Counter filtered = PipelineMetrics.counter(PipelineMetrics.EVENTS_FILTERED);
  private final Distribution eventTimes = PipelineMetrics.distribution(PipelineMetrics.EVENT_TIME);
  private long events;
  private long rejected;
  private long skipped;
  private long newest = Long.MIN_VALUE;
  private long oldest = Long.MAX_VALUE;

  /** A valid event. */
  public void valid(Event event) {
    events++;
    newest = Math.max(newest, event.eventTimeMillis());
    oldest = Math.min(oldest, event.eventTimeMillis());
  }

  /** A line or record that is no event (dead-lettered). */
  public void invalid() {
    events++;
    rejected++;
  }

  /** An event the job's filter does not take (skipped, no dead letter). */
  public void filtered() {
    events++;
    skipped++;
  }

  /** Adds the counts so far to the metrics, from the thread that processes (where Beam takes metrics). */
  public void flush() {
    if (events == 0) {
      return;
    }
    read.inc(events);
    invalid.inc(rejected);
    if (skipped > 0) {
      filtered.inc(skipped);
    }
    if (newest != Long.MIN_VALUE) {
      // Only min and max matter (freshness); sum and count stand for the valid events.
      eventTimes.update(0, events - rejected - skipped, oldest, newest);
    }
    events = 0;
    rejected = 0;
    skipped = 0;
    newest = Long.MIN_VALUE;
    oldest = Long.MAX_VALUE;
  }
}
