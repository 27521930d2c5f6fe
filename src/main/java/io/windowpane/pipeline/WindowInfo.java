package io.windowpane.pipeline;

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

  @Override
  public PCollection<ResultRow> expand(PCollection<KV<String, CountSum>> aggregates) {
    return aggregates.apply("ToResultRow", ParDo.of(new ToResultRowFn())).setCoder(ResultRowCoder.of());
  }

  static class ToResultRowFn extends DoFn<KV<String, CountSum>, ResultRow> {

    private final Map<PaneInfo.Timing, Counter> panes = new EnumMap<>(PaneInfo.Timing.class);

    ToResultRowFn() {
      for (PaneInfo.Timing timing : PaneInfo.Timing.values()) {
        panes.put(timing, PipelineMetrics.counter(PipelineMetrics.panes(timing.name())));
      }
    }

    @ProcessElement
    public void processElement(
        @Element KV<String, CountSum> aggregate,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<ResultRow> out) {
      IntervalWindow interval = (IntervalWindow) window;
      CountSum figures = aggregate.getValue();
      panes.get(pane.getTiming()).inc();
      out.output(
          new ResultRow(
              aggregate.getKey(),
              figures.count(),
              figures.sum(),
              Instant.ofEpochMilli(interval.start().getMillis()).toString(),
              Instant.ofEpochMilli(interval.end().getMillis()).toString(),
              pane.getTiming().name(),
              pane.getIndex(),
              pane.isFirst(),
              pane.isLast()));
    }
  }
}
