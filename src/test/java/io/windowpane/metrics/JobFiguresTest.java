package io.windowpane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.windowpane.pipeline.EventParser;
import java.time.Instant;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.junit.jupiter.api.Test;

/** The input watermark from its parts, and the {@code agg.watermark.lag} gauge made of it. */
class JobFiguresTest {

  @Test
  void theWatermarkIsTheMinimumOfItsParts() {
    JobFigures.Sum sum = new JobFigures.Sum();
    sum.watermark(5_000);
    sum.watermark(3_000);
    sum.watermark(9_000);
    assertThat(sum.figures().watermarkMillis()).isEqualTo(3_000);
  }

  @Test
  void aPartWithoutAWatermarkHoldsTheWholeAtNone() {
    JobFigures.Sum sum = new JobFigures.Sum();
    sum.watermark(5_000);
    sum.watermark(BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis());
    assertThat(sum.figures().watermarkMillis()).isNull();
    assertThat(new JobFigures.Sum().figures().watermarkMillis()).isNull();
  }

  @Test
  void theLagGaugeIsNowMinusTheWatermarkAndNaNWithoutOneOrPastEveryWindow() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    WatermarkTrail trail = new WatermarkTrail();
    JobMetrics metrics = new JobMetrics(registry, trail);
    assertThat(lag(registry)).isNaN();

    long tenSecondsAgo = System.currentTimeMillis() - 10_000;
    metrics.update(withWatermark(tenSecondsAgo));
    assertThat(lag(registry)).isBetween(10.0, 15.0);

    metrics.update(withWatermark(EventParser.maxEventTimeMillis()));
    assertThat(lag(registry)).as("drained, or the input has ended").isNaN();

    assertThat(trail.samples()).extracting(WatermarkTrail.Sample::watermarkMillis)
        .containsExactly(tenSecondsAgo, EventParser.maxEventTimeMillis());
  }

  @Test
  void theTrailKeepsOneSamplePerMoveAndTheNewestOnly() {
    WatermarkTrail trail = new WatermarkTrail();
    Instant at = Instant.parse("2026-01-08T10:00:00Z");
    trail.record(at, null);
    trail.record(at, 1L);
    trail.record(at.plusSeconds(1), 1L);
    trail.record(at.plusSeconds(2), 2L);
    assertThat(trail.samples()).containsExactly(new WatermarkTrail.Sample(at, 1),
        new WatermarkTrail.Sample(at.plusSeconds(2), 2));
    for (int i = 0; i < WatermarkTrail.MAX_SAMPLES + 10; i++) {
      trail.record(at.plusSeconds(3 + i), 3L + i);
    }
    assertThat(trail.samples()).hasSize(WatermarkTrail.MAX_SAMPLES);
    assertThat(trail.samples().get(WatermarkTrail.MAX_SAMPLES - 1).watermarkMillis())
        .isEqualTo(3L + WatermarkTrail.MAX_SAMPLES + 9);
  }

  private static JobFigures withWatermark(long millis) {
    JobFigures.Sum sum = new JobFigures.Sum();
    sum.watermark(millis);
    return sum.figures();
  }

  private static double lag(SimpleMeterRegistry registry) {
    return registry.get("agg.watermark.lag").gauge().value();
  }
}
