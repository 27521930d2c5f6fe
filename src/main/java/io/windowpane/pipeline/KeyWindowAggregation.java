package io.windowpane.pipeline;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * The unified transform: per key (a user, in the tutorial's shape; the fields {@code agg.event.key} names) the count,
 * sum and, where asked, least and greatest value in event-time windows (fixed, sliding or sessions: see
 * {@link WindowShape}), fired by the watermark
 * (ON_TIME), optionally early by processing time (EARLY) and again for late data (LATE) until the allowed lateness
 * has passed. It does not know whether its input is bounded or unbounded.
 */
public class KeyWindowAggregation extends PTransform<PCollection<Event>, PCollection<KV<String, CountSum>>> {

  /** The grouping step, whose input watermark decides when panes fire (read from Flink by its name). */
  public static final String GROUPING_STEP = "CountAndSum";

  private final AggregationSpec spec;
  /** Whether the figures keep the least and greatest value ({@code agg.aggregates} with min or max). */
  private final boolean range;

  public KeyWindowAggregation(AggregationSpec spec) {
    this(spec, false);
  }

  /** @param range keep the least and greatest value too */
  public KeyWindowAggregation(AggregationSpec spec, boolean range) {
    this.spec = spec;
    this.range = range;
  }

  @Override
  public PCollection<KV<String, CountSum>> expand(PCollection<Event> events) {
    Window<Event> windowing =
        Window.<Event>into(windowFn(spec))
            .triggering(trigger(spec))
            .withAllowedLateness(millis(spec.allowedLateness()), spec.closingFiresAlways()
                ? Window.ClosingBehavior.FIRE_ALWAYS : Window.ClosingBehavior.FIRE_IF_NON_EMPTY);
    windowing = spec.accumulating() ? windowing.accumulatingFiredPanes() : windowing.discardingFiredPanes();

    PCollection<Event> windowed = events.apply("WindowsWithTriggers", windowing);
    // Not for sessions: partials combined per proto-session and re-emitted at the bundle's end did not always merge
    // with their neighbours in the grouping (seen: a batch run with 2 s gaps split sessions the reference merges).
    // With only the watermark firing, once per window, events can be combined within each bundle before the grouping:
    // far fewer elements reach it, with identical results.
    boolean combineWithinBundles = spec.boundedInput() && spec.window().windowFn().isNonMerging();
    PCollection<KV<String, CountSum>> figures = combineWithinBundles
        ? windowed.apply("KeyByUserCombiningWithinBundles", ParDo.of(new CombineWithinBundleFn(range)))
        : windowed.apply("KeyByUser", ParDo.of(new KeyByUserFn(range)));
    KvCoder<String, CountSum> coder = KvCoder.of(StringUtf8Coder.of(), Coders.countSum(range));
    return figures.setCoder(coder)
        .apply(GROUPING_STEP, Combine.perKey(new CountAndSumFn(range))).setCoder(coder)
        .apply("SkipStaleEmptyPanes", ParDo.of(new SkipStaleEmptyPaneFn())).setCoder(coder);
  }

  /**
   * Drops a first pane with no element, which only a runner's repeated firing of a finished window produces: when
   * the watermark leaps past a window's end and its allowed lateness in one step, Flink hands Beam the window's
   * end-of-window and garbage-collection timers one at a time; the first fires the final pane and clears the
   * window's state, the second finds no state and (Beam's on-time behaviour is FIRE_ALWAYS) fires an empty ON_TIME
   * pane numbered 0 again. The DirectRunner hands both timers over together, and Beam fires once. A real first pane
   * always holds at least the element that opened the window, so nothing else is dropped.
   */
  static class SkipStaleEmptyPaneFn extends DoFn<KV<String, CountSum>, KV<String, CountSum>> {
    @ProcessElement
    public void processElement(@Element KV<String, CountSum> figures, PaneInfo pane,
        OutputReceiver<KV<String, CountSum>> out) {
      if (pane.getIndex() == 0 && figures.getValue().count() == 0) {
        return;
      }
      out.output(figures);
    }
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

  /**
   * The configured windows; sliding windows of a live input less those an event missed by coming late, which
   * {@link SplitOffLateEvents} dead-lettered (fixed windows and sessions give an event one window: missed whole).
   */
  static WindowFn<Object, IntervalWindow> windowFn(AggregationSpec spec) {
    WindowFn<Object, IntervalWindow> windows = spec.window().windowFn();
    return spec.window().kind() == WindowShape.Kind.SLIDING && !spec.boundedInput()
        ? new OnTimeWindows(windows) : windows;
  }

  private static Duration millis(java.time.Duration duration) {
    return Duration.millis(duration.toMillis());
  }

  /**
   * The event's key -> its figures: count 1, its value. (Named for the tutorial's user: a DoFn's name is part of its
   * step's, which a checkpoint matches.)
   */
  static class KeyByUserFn extends DoFn<Event, KV<String, CountSum>> {
    private final boolean range;

    KeyByUserFn(boolean range) {
      this.range = range;
    }

    @ProcessElement
    public void processElement(@Element Event event, OutputReceiver<KV<String, CountSum>> out) {
      out.output(KV.of(event.key(), CountSum.of(event.amount(), range)));
    }
  }

  /**
   * Keys events by user like {@link KeyByUserFn}, but combines a bundle's figures per user and window and emits them
   * when the bundle finishes, stamped with the end of their window. The same partial combining Beam's runners call
   * combiner lifting; the DirectRunner does not do it on its own, and its grouping is by far the costliest step per
   * element. Memory is bounded by the distinct users and windows in one bundle.
   */
  static class CombineWithinBundleFn extends DoFn<Event, KV<String, CountSum>> {

    private transient Map<KV<String, BoundedWindow>, CountAndSumFn.Accumulator> partials;
    private final CountAndSumFn combine;
    private final boolean range;

    CombineWithinBundleFn(boolean range) {
      this.range = range;
      this.combine = new CountAndSumFn(range);
    }

    @StartBundle
    public void startBundle() {
      partials = new HashMap<>();
    }

    @ProcessElement
    public void processElement(@Element Event event, BoundedWindow window) {
      CountAndSumFn.Accumulator partial =
          partials.computeIfAbsent(KV.of(event.key(), window), k -> combine.createAccumulator());
      combine.addInput(partial, CountSum.of(event.amount(), range));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      partials.forEach((key, partial) -> context.output(
          KV.of(key.getKey(), combine.extractOutput(partial)), key.getValue().maxTimestamp(), key.getValue()));
      partials = null;
    }
  }
}
