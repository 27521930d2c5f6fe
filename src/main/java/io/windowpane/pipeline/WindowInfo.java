package io.windowpane.pipeline;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Attaches the window bounds and the pane that produced each aggregate, making it a {@link ResultRow}; counts the
 * rows per pane timing ({@code panes_EARLY}, {@code panes_ON_TIME}, {@code panes_LATE}).
 */
public class WindowInfo extends PTransform<PCollection<KV<String, CountSum>>, PCollection<ResultRow>> {

  /** The pane of every result of bounded input: its window's single final pane (SPEC section 5). */
  static final PaneInfo FINAL_PANE = PaneInfo.createPane(true, true, PaneInfo.Timing.ON_TIME, 0, 0);

  private final boolean boundedInput;
  private final boolean range;

  /** Rows carry the pane the runner reports. */
  public WindowInfo() {
    this(false);
  }

  public WindowInfo(boolean boundedInput) {
    this(boundedInput, false);
  }

  /**
   * @param boundedInput every row is its window's single final pane (ON_TIME, index 0, first and last), as the
   *     aggregation of bounded input fires each window once ({@link AggregationSpec#forBoundedInput()}); stated
   *     here, since Flink's batch execution, which groups by sorting, reports no pane at all
   * @param range the figures keep the least and greatest value, and so do the rows
   */
  public WindowInfo(boolean boundedInput, boolean range) {
    this.boundedInput = boundedInput;
    this.range = range;
  }

  @Override
  public PCollection<ResultRow> expand(PCollection<KV<String, CountSum>> aggregates) {
    return aggregates.apply("ToResultRow", ParDo.of(new ToResultRowFn(boundedInput))).setCoder(Coders.resultRow(range));
  }

  /**
   * A sum with at least one decimal place, as SPEC section 5 writes it ({@code 11.0}) and as rows always read: whole
   * amounts ({@code 20}, {@code 15}) sum to {@code 35.0}; finer ones keep their scale ({@code 198.58}).
   */
  static BigDecimal withDecimalPoint(BigDecimal sum) {
    return sum == null || sum.scale() >= 1 ? sum : sum.setScale(1);
  }

  static class ToResultRowFn extends DoFn<KV<String, CountSum>, ResultRow> {

    private final Map<PaneInfo.Timing, Counter> panes = new EnumMap<>(PaneInfo.Timing.class);
    private final boolean boundedInput;

    ToResultRowFn(boolean boundedInput) {
      this.boundedInput = boundedInput;
      for (PaneInfo.Timing timing : PaneInfo.Timing.values()) {
        panes.put(timing, PipelineMetrics.counter(PipelineMetrics.panes(timing.name())));
      }
    }

    @ProcessElement
    public void processElement(
        @Element KV<String, CountSum> aggregate,
        BoundedWindow window,
        PaneInfo firing,
        OutputReceiver<ResultRow> out) {
      PaneInfo pane = boundedInput ? FINAL_PANE : firing;
      IntervalWindow interval = (IntervalWindow) window;
      CountSum figures = aggregate.getValue();
      panes.get(pane.getTiming()).inc();
      out.output(
          new ResultRow(
              aggregate.getKey(),
              figures.count(),
              withDecimalPoint(figures.sum()),
              Instant.ofEpochMilli(interval.start().getMillis()).toString(),
              Instant.ofEpochMilli(interval.end().getMillis()).toString(),
              pane.getTiming().name(),
              pane.getIndex(),
              pane.isFirst(),
              pane.isLast(),
              withDecimalPoint(figures.min()),
              withDecimalPoint(figures.max())));
    }
  }
}
