package io.windowpane.source;

import io.windowpane.pipeline.LineChunk;
import io.windowpane.pipeline.LineChunkCoder;
import java.util.Arrays;
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
 * through the same parsing as batch input.
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
    return begin.apply("Scenario", testStream(scenario, skipProcessingTime));
  }

  static TestStream<LineChunk> testStream(Scenario scenario, boolean skipProcessingTime) {
    TestStream.Builder<LineChunk> stream = TestStream.create(LineChunkCoder.of());
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
    }
    LOG.info("Scenario {} does not end with 'watermark: end': the stream ends after its last step", scenario.location());
    return stream.advanceWatermarkToInfinity();
  }
}
