package io.windowpane.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Keeps what comes too late: a live input's events that the aggregation would drop for coming after their windows'
 * allowed lateness go to {@link #LATE} as dead letters ({@code reason} "late: ..."), instead of vanishing inside
 * Beam's grouping (DESIGN "Late records kept").
 *
 * <p>Beam's grouping drops an element for a window when the window's end plus the allowed lateness is before its
 * input watermark. This step applies the same rule, with the same windows, one step earlier, and its decision is
 * final: the events it passes on carry which windows they missed ({@link Event#onTimeFor}), and the aggregation
 * assigns only the others ({@link OnTimeWindows}). The grouping's watermark is never ahead of this step's when an
 * event it passed on arrives there (watermarks only advance, and travel behind the elements on each channel), so
 * the grouping drops nothing: per event, read = aggregated + invalid + late, on every runner.
 *
 * <p>How: a stateful DoFn in the global window (which never expires, so the runner drops nothing before user code
 * runs), keyed by a small hash of the user, reads its input watermark from an event-time timer it never sets. It
 * takes each bundle's events in one batch per key ({@link BatchByShardFn}), so it costs per bundle, not per event.
 */
public class SplitOffLateEvents extends PTransform<PCollection<Event>, PCollectionTuple> {

  public static final TupleTag<Event> ON_TIME = new TupleTag<>() {};
  public static final TupleTag<InvalidLine> LATE = new TupleTag<>() {};

  /**
   * Keys of the classifying step: enough to spread it over a cluster's workers, few enough that a bundle's batches
   * stay large.
   */
  static final int SHARDS = 8;

  private final WindowShape window;
  private final Duration allowedLateness;

  public SplitOffLateEvents(WindowShape window, Duration allowedLateness) {
    this.window = window;
    this.allowedLateness = allowedLateness;
  }

  @Override
  public PCollectionTuple expand(PCollection<Event> events) {
    PCollectionTuple split = events
        .apply("BatchByShard", ParDo.of(new BatchByShardFn()))
        .setCoder(KvCoder.of(VarIntCoder.of(), ListCoder.of(Coders.EVENT)))
        .apply("ClassifyLateness", ParDo.of(new ClassifyLatenessFn(window, allowedLateness.toMillis()))
            .withOutputTags(ON_TIME, TupleTagList.of(LATE)));
    split.get(ON_TIME).setCoder(Coders.EVENT);
    split.get(LATE).setCoder(Coders.INVALID_LINE);
    return split;
  }

  /**
   * A bundle's events as one batch per shard (a small hash of the user), stamped with the batch's earliest event
   * time. Why: a stateful step costs per element (keyed state and a cleanup timer, and the shuffle before it);
   * classified in batches, it costs per bundle. Safe for the watermark: runners hold a step's output watermark until
   * its bundle has finished, so the batches come before any watermark that follows their events.
   */
  static class BatchByShardFn extends DoFn<Event, KV<Integer, List<Event>>> {

    private transient Map<Integer, List<Event>> batches;
    private transient Map<Integer, Instant> earliest;

    @StartBundle
    public void startBundle() {
      batches = new HashMap<>();
      earliest = new HashMap<>();
    }

    @ProcessElement
    public void processElement(@Element Event event, @Timestamp Instant timestamp) {
      int shard = Math.floorMod(event.userId().hashCode(), SHARDS);
      batches.computeIfAbsent(shard, s -> new ArrayList<>()).add(event);
      earliest.merge(shard, timestamp, (a, b) -> a.isBefore(b) ? a : b);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      batches.forEach((shard, batch) ->
          context.output(KV.of(shard, batch), earliest.get(shard), GlobalWindow.INSTANCE));
      batches = new HashMap<>();
      earliest = new HashMap<>();
    }
  }

  /** Sorts each event by the windows it would be dropped from, at this step's input watermark. */
  static class ClassifyLatenessFn extends DoFn<KV<Integer, List<Event>>, Event> {

    private static final String WATERMARK = "inputWatermark";

    /** Never set: its current time is the step's input watermark. */
    @TimerId(WATERMARK)
    private final TimerSpec watermarkSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private final Counter late = PipelineMetrics.counter(PipelineMetrics.EVENTS_LATE);
    private final WindowShape window;
    private final long allowedLatenessMillis;
    private transient WindowFn<Object, IntervalWindow> windowFn;

    ClassifyLatenessFn(WindowShape window, long allowedLatenessMillis) {
      this.window = window;
      this.allowedLatenessMillis = allowedLatenessMillis;
    }

    @Setup
    public void setup() {
      windowFn = window.windowFn();
    }

    @ProcessElement
    public void processElement(@Element KV<Integer, List<Event>> batch, @TimerId(WATERMARK) Timer inputWatermark,
        MultiOutputReceiver out) throws Exception {
      Instant watermark = inputWatermark.getCurrentRelativeTime();
      for (Event event : batch.getValue()) {
        classify(event, new Instant(event.eventTimeMillis()), watermark, out);
      }
    }

    private void classify(Event event, Instant timestamp, Instant watermark, MultiOutputReceiver out)
        throws Exception {
      Collection<IntervalWindow> windows = windowFn.assignWindows(windowFn.new AssignContext() {
        @Override
        public Object element() {
          return event;
        }

        @Override
        public Instant timestamp() {
          return timestamp;
        }

        @Override
        public BoundedWindow window() {
          return GlobalWindow.INSTANCE;
        }
      });
      List<IntervalWindow> missed = new ArrayList<>();
      for (IntervalWindow candidate : windows) {
        if (closedAt(candidate).isBefore(watermark)) {
          missed.add(candidate);
        }
      }
      if (missed.isEmpty()) {
        out.get(ON_TIME).outputWithTimestamp(event.onTime(), timestamp);
        return;
      }
      if (missed.size() < windows.size()) {
        // sliding windows: on time for the later ones, which it is aggregated in; the dead letter names the others
        out.get(ON_TIME).outputWithTimestamp(event.onTimeFor(watermark.getMillis() - allowedLatenessMillis),
            timestamp);
      } else {
        late.inc();
      }
      out.get(LATE).outputWithTimestamp(deadLetter(event, reason(missed, windows.size(), watermark)), timestamp);
    }

    @OnTimer(WATERMARK)
    public void neverSet() {}

    /**
     * When the grouping closes a window: its last instant plus the allowed lateness (Beam's
     * {@code LateDataUtils.garbageCollectionTime}, which caps it at the end of the global window).
     */
    private Instant closedAt(IntervalWindow candidate) {
      Instant end = GlobalWindow.INSTANCE.maxTimestamp();
      return end.minus(org.joda.time.Duration.millis(allowedLatenessMillis)).isBefore(candidate.maxTimestamp())
          ? end : candidate.maxTimestamp().plus(org.joda.time.Duration.millis(allowedLatenessMillis));
    }

    private String reason(List<IntervalWindow> missed, int of, Instant watermark) {
      String windows = missed.stream().sorted(java.util.Comparator.comparing(IntervalWindow::start))
          .map(w -> "[" + w.start() + ", " + w.end() + ")")
          .collect(Collectors.joining(", "));
      String lateness = " (end + allowed lateness " + java.time.Duration.ofMillis(allowedLatenessMillis) + ")";
      if (missed.size() < of) {
        return "late: for " + missed.size() + " of its " + of + " windows, " + windows + ", closed before the"
            + " watermark " + watermark + lateness + "; counted in the other " + (of - missed.size());
      }
      return "late: " + (missed.size() == 1 ? "window " : "windows ") + windows + " closed before the watermark "
          + watermark + lateness;
    }

    private static InvalidLine deadLetter(Event event, String reason) {
      LineOrigin origin = event.origin();
      return origin != null ? origin.deadLetter(reason)
          : new InvalidLine("unknown", null, event.toString(), reason); // a live input keeps origins
    }
  }
}
