package io.windowpane.metrics;

import io.windowpane.pipeline.EventParser;
import io.windowpane.pipeline.PipelineMetrics;
import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;

/**
 * The job's figures as Beam reports them: read from the {@link PipelineResult}'s metrics, so they are the same on
 * an embedded or a distributed runner. {@code watermarkMillis} is the aggregation's input watermark (epoch ms), or
 * null while there is none (before the first, or where the runner does not say). Events too late for their windows
 * are dead-lettered by the pipeline ({@code lateDeadLettered}); {@code runnerLateDropped} is the runner's own
 * late-drop counter, which stays at 0 when they are.
 */
public record JobFigures(long eventsRead, long eventsInvalid, long eventsFiltered, long lateDeadLettered, long runnerLateDropped,
    Map<PaneTiming, Long> panes, Long newestEventTimeMillis, Long watermarkMillis, long diagramRecordsDropped) {

  /** Pane timings as they appear in the {@code timing} tag of {@code agg.panes}. */
  public enum PaneTiming {
    EARLY,
    ON_TIME,
    LATE
  }

  public static final JobFigures NONE = new JobFigures(0, 0, 0, 0, 0, Map.of(), null, null, 0);

  public JobFigures {
    panes = Map.copyOf(panes);
  }

  public long panes(PaneTiming timing) {
    return panes.getOrDefault(timing, 0L);
  }

  /** Events too late for their windows ({@code agg.events.late.dropped}): dead-lettered, or dropped by the runner. */
  public long lateDropped() {
    return lateDeadLettered + runnerLateDropped;
  }

  /** Whether the watermark has passed every window: the input has ended, or a live job was drained. */
  public boolean watermarkPastEveryWindow() {
    return watermarkMillis != null && watermarkMillis >= EventParser.maxEventTimeMillis();
  }

  public long totalPanes() {
    return panes.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Events that reached the aggregation: neither rejected, filtered out nor too late. */
  public long eventsAggregated() {
    return eventsRead - eventsInvalid - eventsFiltered - lateDropped();
  }

  public static JobFigures of(PipelineResult result) {
    return of(result.metrics().queryMetrics(MetricsFilter.builder().build()));
  }

  /**
   * Sums the counters over all steps. Attempted values, since not every runner has committed ones (Flink does
   * not).
   */
  public static JobFigures of(MetricQueryResults results) {
    Sum sum = new Sum();
    for (MetricResult<Long> counter : results.getCounters()) {
      sum.counter(counter.getName().getNamespace(), counter.getName().getName(),
          counter.getAttempted() == null ? 0 : counter.getAttempted());
    }
    for (MetricResult<DistributionResult> distribution : results.getDistributions()) {
      if (distribution.getAttempted() != null && distribution.getAttempted().getCount() > 0) {
        sum.distributionMax(distribution.getName().getNamespace(), distribution.getName().getName(),
            distribution.getAttempted().getMax());
      }
    }
    for (MetricResult<GaugeResult> gauge : results.getGauges()) {
      if (gauge.getAttempted() != null && PipelineMetrics.NAMESPACE.equals(gauge.getName().getNamespace())
          && gauge.getName().getName().startsWith(PipelineMetrics.WATERMARK_PREFIX)) {
        sum.watermark(gauge.getAttempted().getValue());
      }
    }
    return sum.figures();
  }

  /**
   * Adds up Beam metrics, wherever they were read from (a {@link PipelineResult}, or a runner's own metrics while
   * its {@code run()} blocks). The runners' late-drop counter is matched ignoring case and namespace, as its spelling
   * differs between runners.
   */
  public static final class Sum {
    private long read;
    private long invalid;
    private long filtered;
    private long dropped;
    private long lateDeadLettered;
    private long diagramDropped;
    private final Map<PaneTiming, Long> panes = new EnumMap<>(PaneTiming.class);
    private Long newest;
    private Long watermark;
    private boolean watermarkAtMinimum;

    public void counter(String namespace, String name, long value) {
      if (name.equalsIgnoreCase(PipelineMetrics.DROPPED_DUE_TO_LATENESS)) {
        dropped += value;
      } else if (PipelineMetrics.NAMESPACE.equals(namespace)) {
        if (name.equals(PipelineMetrics.EVENTS_READ)) {
          read += value;
        } else if (name.equals(PipelineMetrics.EVENTS_INVALID)) {
          invalid += value;
        } else if (name.equals(PipelineMetrics.EVENTS_FILTERED)) {
          filtered += value;
        } else if (name.equals(PipelineMetrics.EVENTS_LATE)) {
          lateDeadLettered += value;
        } else if (name.equals(PipelineMetrics.DIAGRAM_RECORDS_DROPPED)) {
          diagramDropped += value;
        } else {
          for (PaneTiming timing : PaneTiming.values()) {
            if (name.equals(PipelineMetrics.panes(timing.name()))) {
              panes.merge(timing, value, Long::sum);
            }
          }
        }
      }
    }

    /** The largest value of a distribution (of one worker, or of all). */
    public void distributionMax(String namespace, String name, long max) {
      if (PipelineMetrics.NAMESPACE.equals(namespace) && PipelineMetrics.EVENT_TIME.equals(name)) {
        newest = newest == null ? max : Math.max(newest, max);
      }
    }

    /**
     * The input watermark of one part of the input (a partition, a subtask): the aggregation's is the minimum, and
     * none while any part has none (Beam's minimum timestamp).
     */
    public void watermark(long millis) {
      if (millis <= BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()) {
        watermarkAtMinimum = true;
      } else {
        watermark = watermark == null ? millis : Math.min(watermark, millis);
      }
    }

    public JobFigures figures() {
      return new JobFigures(read, invalid, filtered, lateDeadLettered, dropped, panes, newest,
          watermarkAtMinimum ? null : watermark,
          diagramDropped);
    }
  }

  /** One line for the logs. */
  public String summary() {
    return String.format(
        "%d events read, %d aggregated, %d filtered, %d invalid, %d too late%s; %d result rows (EARLY %d, ON_TIME %d,"
            + " LATE %d)",
        eventsRead, eventsAggregated(), eventsFiltered, eventsInvalid, lateDropped(),
        runnerLateDropped > 0 ? " (" + runnerLateDropped + " of them dropped by the runner)" : "", totalPanes(), panes(PaneTiming.EARLY),
        panes(PaneTiming.ON_TIME), panes(PaneTiming.LATE));
  }
}
