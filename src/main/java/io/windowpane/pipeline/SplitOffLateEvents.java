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
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
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
      int shard = Math.floorMod(event.key().hashCode(), SHARDS);
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

  /**
   * Sorts each event by the windows it would be dropped from, at this step's input watermark, and by the windows a
   * drain of this job closed for good (SPEC section 13).
   *
   * <p>The watermark it judges by is kept in the job's state too, as it was at the last batch: after a restart (a stop
   * or a crash) a runner starts every step's watermark again from its minimum until the source's first one arrives,
   * and an event read in that moment for a window the grouping had already closed would open it again, with a second
   * first pane. (Not kept between batches: a timer that followed the watermark made the DirectRunner's scenario
   * results depend on timing, the grouping seeing some watermark steps and not others.)
   *
   * <p>A drain moves the watermark past every window, so each window that had events fires its final pane. Such a
   * window must stay closed: an event for it that comes after the drain (a start resumed from the drain's savepoint)
   * would otherwise open it again. Each shard therefore keeps the newest event time it passed on; when the drained
   * watermark arrives ({@link DrainedWatermark}), that becomes its drain horizon, kept in the state: every window of
   * this shard's users that started at or before it was closed by the drain (a window of theirs that starts later had
   * no event), and an event for one is a dead letter whose reason names the drain.
   */
  static class ClassifyLatenessFn extends DoFn<KV<Integer, List<Event>>, Event> {

    /**
     * Its current time is the step's input watermark; set at {@link #DRAIN_SEEN}, it fires when a drain moves the
     * watermark past every window. (Earlier versions declared it without setting it: restored by one of them, it
     * fires into an empty callback, harmlessly.)
     */
    private static final String WATERMARK = "inputWatermark";
    /** A timer fires once the watermark has passed its time: at this one, when the drained watermark arrives. */
    private static final Instant DRAIN_SEEN = DrainedWatermark.VALUE.minus(org.joda.time.Duration.millis(1));

    @TimerId(WATERMARK)
    private final TimerSpec watermarkSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    /** The newest event time this shard passed on (epoch millis). */
    @StateId("newest")
    private final StateSpec<ValueState<Long>> newestSpec = StateSpecs.value(VarLongCoder.of());

    /** The newest input watermark seen short of a drain's (epoch millis): a restarted step's floor. */
    @StateId("watermark")
    private final StateSpec<ValueState<Long>> storedWatermarkSpec = StateSpecs.value(VarLongCoder.of());

    /** Set by a drain: the newest event time passed on before it; this shard's windows up to there are closed. */
    @StateId("drainedThrough")
    private final StateSpec<ValueState<Long>> drainedThroughSpec = StateSpecs.value(VarLongCoder.of());

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
        @StateId("newest") ValueState<Long> newest, @StateId("watermark") ValueState<Long> storedWatermark,
        @StateId("drainedThrough") ValueState<Long> drainedThrough, MultiOutputReceiver out) throws Exception {
      Instant watermark = follow(inputWatermark, storedWatermark);
      Long drainHorizon = drainedThrough.read();
      Long newestBefore = newest.read();
      long newestPassed = newestBefore == null ? Long.MIN_VALUE : newestBefore;
      for (Event event : batch.getValue()) {
        if (classify(event, new Instant(event.eventTimeMillis()), watermark, drainHorizon, out)) {
          newestPassed = Math.max(newestPassed, event.eventTimeMillis());
        }
      }
      if (newestPassed > Long.MIN_VALUE && (newestBefore == null || newestPassed > newestBefore)) {
        newest.write(newestPassed);
      }
    }

    /** A drain moved the watermark past every window: this shard's windows that started by then close for good. */
    @OnTimer(WATERMARK)
    public void onDrained(@TimerId(WATERMARK) Timer inputWatermark, @StateId("newest") ValueState<Long> newest,
        @StateId("drainedThrough") ValueState<Long> drainedThrough) {
      if (inputWatermark.getCurrentRelativeTime().isBefore(DRAIN_SEEN)) {
        inputWatermark.set(DRAIN_SEEN); // a timer set elsewhere (a checkpoint of another build): no drain yet
        return;
      }
      Long newestPassed = newest.read();
      if (newestPassed != null) {
        drainedThrough.write(newestPassed);
      }
    }

    /**
     * The watermark to judge by: the step's input watermark, or the stored one where that is later (a restarted
     * step's). Stores the input watermark, and sets the timer that sees a drain.
     */
    private static Instant follow(Timer inputWatermark, ValueState<Long> storedWatermark) {
      Instant current = inputWatermark.getCurrentRelativeTime();
      if (current.isBefore(DRAIN_SEEN)) {
        inputWatermark.set(DRAIN_SEEN);
      }
      Long stored = storedWatermark.read();
      if (stored != null && stored >= current.getMillis()) {
        return new Instant(stored);
      }
      if (current.isBefore(DRAIN_SEEN)) {
        storedWatermark.write(current.getMillis());
      }
      return current;
    }

    /** Sends the event on (for the windows it is on time for) and to the dead letters; true when it went on. */
    private boolean classify(Event event, Instant timestamp, Instant watermark, Long drainHorizon,
        MultiOutputReceiver out) throws Exception {
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
      List<IntervalWindow> drained = new ArrayList<>();
      for (IntervalWindow candidate : windows) {
        if (drainHorizon != null && candidate.start().getMillis() <= drainHorizon) {
          missed.add(candidate);
          drained.add(candidate);
        } else if (closedAt(candidate).isBefore(watermark)) {
          missed.add(candidate);
        }
      }
      if (missed.isEmpty()) {
        out.get(ON_TIME).outputWithTimestamp(event.onTime(), timestamp);
        return true;
      }
      String reason = drained.isEmpty() ? reason(missed, windows.size(), watermark)
          : drainReason(missed, drained, windows.size(), drainHorizon, watermark);
      boolean passedOn = missed.size() < windows.size();
      if (passedOn) {
        // sliding windows: on time for the later ones, which it is aggregated in; the dead letter names the others.
        // Both rules close a window by its position, so the missed windows are the event's earliest ones.
        long laterWindows = missed.stream().mapToLong(w -> w.maxTimestamp().getMillis()).max().getAsLong() + 1;
        out.get(ON_TIME).outputWithTimestamp(event.onTimeFor(laterWindows), timestamp);
      } else {
        late.inc();
      }
      out.get(LATE).outputWithTimestamp(deadLetter(event, reason), timestamp);
      return passedOn;
    }

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
      String closed = " closed before the watermark " + watermark + latenessNote();
      if (missed.size() < of) {
        return "late: for " + missed.size() + " of its " + of + " windows, " + describe(missed) + "," + closed
            + "; counted in the other " + (of - missed.size());
      }
      return "late: " + named(missed) + closed;
    }

    /** Why an event missed windows a drain closed, and maybe others the watermark closed. */
    private String drainReason(List<IntervalWindow> missed, List<IntervalWindow> drained, int of, long horizon,
        Instant watermark) {
      List<IntervalWindow> expired = missed.stream().filter(w -> !drained.contains(w)).toList();
      String why = named(drained) + " closed for good by a drain of this job (it closed the windows that started by "
          + new Instant(horizon) + ")";
      if (!expired.isEmpty()) {
        why += "; " + named(expired) + " closed before the watermark " + watermark + latenessNote();
      }
      return missed.size() < of
          ? "late: for " + missed.size() + " of its " + of + " windows: " + why + "; counted in the other "
              + (of - missed.size())
          : "late: " + why;
    }

    private String latenessNote() {
      return " (end + allowed lateness " + java.time.Duration.ofMillis(allowedLatenessMillis) + ")";
    }

    /** "window [a, b)" or "windows [a, b), [c, d)". */
    private static String named(List<IntervalWindow> windows) {
      return (windows.size() == 1 ? "window " : "windows ") + describe(windows);
    }

    private static String describe(List<IntervalWindow> windows) {
      return windows.stream().sorted(java.util.Comparator.comparing(IntervalWindow::start))
          .map(w -> "[" + w.start() + ", " + w.end() + ")")
          .collect(Collectors.joining(", "));
    }

    private static InvalidLine deadLetter(Event event, String reason) {
      LineOrigin origin = event.origin();
      return origin != null ? origin.deadLetter(reason)
          : new InvalidLine("unknown", null, event.toString(), reason); // a live input keeps origins
    }
  }
}
