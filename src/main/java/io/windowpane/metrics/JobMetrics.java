package io.windowpane.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToLongFunction;
import org.springframework.stereotype.Component;

/**
 * Publishes the job's figures as Micrometer meters (SPEC section 6). The pipeline counts with Beam metrics; this
 * bean only mirrors the latest figures read from the running or finished pipeline.
 */
@Component
public class JobMetrics {

  private final MeterRegistry registry;
  private final WatermarkTrail watermarks;
  private final Counter runsDone;
  private final Counter runsFailed;
  private volatile JobFigures figures = JobFigures.NONE;

  public JobMetrics(MeterRegistry registry, WatermarkTrail watermarks) {
    this.registry = registry;
    this.watermarks = watermarks;
    for (JobFigures.PaneTiming timing : JobFigures.PaneTiming.values()) {
      functionCounter("agg.panes", "result rows emitted, by pane timing", f -> f.panes(timing))
          .tag("timing", timing.name())
          .register(registry);
    }
    functionCounter("agg.events.read", "input events read", JobFigures::eventsRead).register(registry);
    functionCounter("agg.events.invalid", "input lines rejected to the dead-letter output",
        JobFigures::eventsInvalid).register(registry);
    functionCounter("agg.events.filtered", "input events agg.event.filter did not take (skipped, no dead letter)",
        JobFigures::eventsFiltered).register(registry);
    functionCounter("agg.events.late.dropped", "events dropped after the allowed lateness",
        JobFigures::lateDropped).register(registry);
    functionCounter("agg.diagram.records.dropped", "records the pane diagram did not get (the page did not keep up"
        + " or did not answer); the job's outputs are complete", JobFigures::diagramRecordsDropped).register(registry);
    Gauge.builder("agg.event-time.lag", this, JobMetrics::eventTimeLagSeconds)
        .description("seconds between now and the newest event time read (NaN before the first event)")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("agg.watermark.lag", this, JobMetrics::watermarkLagSeconds)
        .description("seconds between now and the aggregation's input watermark, which decides when ON_TIME panes"
            + " fire (NaN while there is none)")
        .baseUnit("seconds")
        .register(registry);
    this.runsDone = runsCounter("DONE");
    this.runsFailed = runsCounter("FAILED");
  }

  /** The latest figures from the pipeline (they only grow while a job runs); the watermark joins its trail. */
  public void update(JobFigures latest) {
    this.figures = latest;
    watermarks.record(Instant.now(), latest.watermarkMillis());
  }

  /**
   * NaN before the first watermark, and once it has passed every window (the input has ended, or a live job was
   * drained): there is nothing left for it to hold back then.
   */
  private double watermarkLagSeconds() {
    JobFigures now = figures;
    return now.watermarkMillis() == null || now.watermarkPastEveryWindow() ? Double.NaN
        : (System.currentTimeMillis() - now.watermarkMillis()) / 1000.0;
  }

  private double eventTimeLagSeconds() {
    Long newest = figures.newestEventTimeMillis();
    return newest == null ? Double.NaN : (System.currentTimeMillis() - newest) / 1000.0;
  }

  public JobFigures figures() {
    return figures;
  }

  /** Records a finished run: its status and wall time. */
  public void recordRun(boolean succeeded, String mode, Duration wallTime) {
    (succeeded ? runsDone : runsFailed).increment();
    Timer.builder("agg.job.duration")
        .description("wall time of the pipeline run")
        .tag("mode", mode)
        .register(registry)
        .record(wallTime);
  }

  private FunctionCounter.Builder<JobMetrics> functionCounter(
      String name, String description, ToLongFunction<JobFigures> value) {
    return FunctionCounter.builder(name, this, m -> value.applyAsLong(m.figures)).description(description);
  }

  /** {@code status} is the tag's value, as SPEC section 6 names it: DONE or FAILED. */
  private Counter runsCounter(String status) {
    return Counter.builder("agg.job.runs")
        .description("finished job runs")
        .tag("status", status)
        .register(registry);
  }
}
