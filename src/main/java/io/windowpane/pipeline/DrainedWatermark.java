package io.windowpane.pipeline;

import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The watermark of a drained live input (an explicit drain ends a job for good, SPEC section 13): a day short of the
 * global window's end, so that every real window fires and closes, while the global window (in which windowpane's
 * exactly-once writers keep their staged rows, and {@link SplitOffLateEvents} its memory of the drain) stays open,
 * and the read does not end (Flink ends a source whose watermark reaches the end of time).
 */
public final class DrainedWatermark {

  public static final Instant VALUE = GlobalWindow.INSTANCE.maxTimestamp().minus(Duration.standardDays(1));

  private DrainedWatermark() {}
}
