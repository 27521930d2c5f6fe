package io.windowpane.pipeline;

import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * The unified transform: per-user count and sum of amounts in fixed event-time windows, fired by the watermark
 * (ON_TIME), optionally early by processing time (EARLY) and again for late data (LATE) until the allowed lateness
 * has passed. It does not know whether its input is bounded or unbounded.
 */
public class UserWindowAggregation extends PTransform<PCollection<Event>, PCollection<KV<String, CountSum>>> {

  private final AggregationSpec spec;

  public UserWindowAggregation(AggregationSpec spec) {
    this.spec = spec;
  }

  @Override
  public PCollection<KV<String, CountSum>> expand(PCollection<Event> events) {
    Window<KV<String, Double>> windowing =
        Window.<KV<String, Double>>into(FixedWindows.of(millis(spec.windowSize())))
            .triggering(trigger(spec))
            .withAllowedLateness(millis(spec.allowedLateness()));
    windowing = spec.accumulating() ? windowing.accumulatingFiredPanes() : windowing.discardingFiredPanes();

    return events
        .apply("KeyByUser", ParDo.of(new KeyByUserFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), DoubleCoder.of()))
        .apply("FixedWindowsWithTriggers", windowing)
        .apply("CountAndSum", Combine.perKey(new CountAndSumFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), CountSumCoder.of()));
  }

  /** Watermark trigger with the configured early and late firings. */
  static Trigger trigger(AggregationSpec spec) {
    AfterWatermark.AfterWatermarkEarlyAndLate trigger =
        AfterWatermark.pastEndOfWindow()
            .withLateFirings(
                spec.lateDelay().isZero()
                    ? AfterPane.elementCountAtLeast(1)
                    : AfterProcessingTime.pastFirstElementInPane().plusDelayOf(millis(spec.lateDelay())));
    if (!spec.earlyDelay().isZero()) {
      trigger =
          trigger.withEarlyFirings(
              AfterProcessingTime.pastFirstElementInPane().plusDelayOf(millis(spec.earlyDelay())));
    }
    return trigger;
  }

  private static Duration millis(java.time.Duration duration) {
    return Duration.millis(duration.toMillis());
  }

  /** user_id -> amount. */
  static class KeyByUserFn extends DoFn<Event, KV<String, Double>> {
    @ProcessElement
    public void processElement(@Element Event event, OutputReceiver<KV<String, Double>> out) {
      out.output(KV.of(event.userId(), event.amount()));
    }
  }
}
