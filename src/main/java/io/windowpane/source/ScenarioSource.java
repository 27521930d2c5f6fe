package io.windowpane.source;

import io.windowpane.pipeline.Coders;
import io.windowpane.pipeline.LineChunk;
import io.windowpane.pipeline.PipelineMetrics;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import io.windowpane.sink.ReportToPage;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unbounded source: a {@link TestStream} scripted by a {@link Scenario}. Elements are JSON event lines, one per
 * {@link LineChunk} named after the scenario step they came from and stamped with their event time, so they flow
 * through the same parsing as batch input. Each step is followed by a marker, reported to the pane diagram.
 */
public class ScenarioSource extends PTransform<PBegin, PCollection<LineChunk>> {

  private static final Logger LOG = LoggerFactory.getLogger(ScenarioSource.class);

  private final Scenario scenario;
  private final boolean skipProcessingTime;

  public ScenarioSource(Scenario scenario) {
    this(scenario, false);
  }

  /**
   * @param skipProcessingTime leave out the processing-time steps, for runners whose TestStream cannot advance
   *     processing time (Flink); each skipped step is logged as a warning
   */
  public ScenarioSource(Scenario scenario, boolean skipProcessingTime) {
    this.scenario = scenario;
    this.skipProcessingTime = skipProcessingTime;
  }

  @Override
  public PCollection<LineChunk> expand(PBegin begin) {
    PCollectionTuple split = begin.apply("Scenario", testStream(scenario, skipProcessingTime))
        .apply("SplitStepMarkers", ParDo.of(new SplitStepMarkersFn(scriptedWatermarks(scenario)))
            .withOutputTags(LINES, TupleTagList.of(STEPS)));
    split.get(STEPS).apply("ReportScenarioSteps", ReportToPage.scenarioSteps());
    return split.get(LINES);
  }

  private static final TupleTag<LineChunk> LINES = new TupleTag<>() {};
  private static final TupleTag<Integer> STEPS = new TupleTag<>() {};
  /** The origin of a step marker: an empty chunk scripted right after each step (see {@link #testStream}). */
  private static final String STEP_MARKER = "windowpane:step-done:";

  /** Step number -> the watermark a {@code watermark} step sets (epoch ms), for the steps that set a finite one. */
  static HashMap<Integer, Long> scriptedWatermarks(Scenario scenario) {
    HashMap<Integer, Long> watermarks = new HashMap<>();
    for (Scenario.Step step : scenario.steps()) {
      if (step instanceof Scenario.AdvanceWatermark watermark && !watermark.toEnd()) {
        watermarks.put(step.number(), watermark.toMillis());
      }
    }
    return watermarks;
  }

  /**
   * Separates the step markers from the lines. A marker is read once the runner has done everything its step
   * caused (the DirectRunner starts a TestStream's next event only when the pipeline is quiescent), so the wall
   * time it passes here tells the pane diagram which step each pane fired in. A watermark step's marker also
   * reports the watermark the script set, as the job's input watermark ({@code agg.watermark.lag}).
   */
  static class SplitStepMarkersFn extends DoFn<LineChunk, LineChunk> {

    private final HashMap<Integer, Long> scriptedWatermarks;
    private final Gauge watermark = PipelineMetrics.watermark("");

    SplitStepMarkersFn(HashMap<Integer, Long> scriptedWatermarks) {
      this.scriptedWatermarks = scriptedWatermarks;
    }

    @ProcessElement
    public void processElement(@Element LineChunk chunk, MultiOutputReceiver out) {
      if (chunk.lines().isEmpty() && chunk.origin().startsWith(STEP_MARKER)) {
        Integer step = Integer.valueOf(chunk.origin().substring(STEP_MARKER.length()));
        Long scripted = scriptedWatermarks.get(step);
        if (scripted != null) {
          watermark.set(scripted);
        }
        out.get(STEPS).output(step);
      } else {
        out.get(LINES).output(chunk);
      }
    }
  }

  private static TestStream.Builder<LineChunk> marked(TestStream.Builder<LineChunk> stream, Scenario.Step step,
      Instant at) {
    return stream.addElements(TimestampedValue.of(new LineChunk(STEP_MARKER + step.number(), List.of()), at));
  }

  static TestStream<LineChunk> testStream(Scenario scenario, boolean skipProcessingTime) {
    TestStream.Builder<LineChunk> stream = TestStream.create(Coders.LINE_CHUNK);
    Instant markerTime = new Instant(scenario.baseTime().toEpochMilli());
    for (Scenario.Step step : scenario.steps()) {
      if (step instanceof Scenario.AddElements add) {
        String origin = scenario.location() + " step " + add.number();
        @SuppressWarnings("unchecked")
        TimestampedValue<LineChunk>[] elements =
            add.lines().stream()
                .map(line -> TimestampedValue.of(LineChunk.of(origin, line.json()), new Instant(line.eventTimeMillis())))
                .toArray(TimestampedValue[]::new);
        stream = stream.addElements(elements[0], Arrays.copyOfRange(elements, 1, elements.length));
      } else if (step instanceof Scenario.AdvanceWatermark watermark) {
        if (watermark.toEnd()) {
          return stream.advanceWatermarkToInfinity();
        }
        stream = stream.advanceWatermarkTo(new Instant(watermark.toMillis()));
      } else if (step instanceof Scenario.AdvanceProcessingTime time) {
        if (skipProcessingTime) {
          LOG.warn("Scenario {} step {} (processing-time: {} s) skipped: this runner's TestStream cannot advance"
              + " processing time", scenario.location(), time.number(), time.millis() / 1000.0);
        } else {
          stream = stream.advanceProcessingTime(Duration.millis(time.millis()));
        }
      }
      // Markers never reach the windowing (split off above): their timestamp only has to be a valid one.
      stream = marked(stream, step, markerTime);
    }
    LOG.info("Scenario {} does not end with 'watermark: end': the stream ends after its last step", scenario.location());
    return stream.advanceWatermarkToInfinity();
  }
}
