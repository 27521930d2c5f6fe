package io.windowpane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import org.apache.beam.runners.core.metrics.DistributionData;
import org.apache.beam.runners.core.metrics.MetricsContainerImpl;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricsEnvironment;
import org.junit.jupiter.api.Test;

/** What parsing made of the input reaches the metrics, once per flush, exactly (SPEC section 7). */
class ParseTallyTest {

  private final MetricsContainerImpl container = new MetricsContainerImpl("Parse");

  private long counter(String name) {
    return container.getCounter(MetricName.named(PipelineMetrics.NAMESPACE, name)).getCumulative();
  }

  private DistributionData eventTimes() {
    return container.getDistribution(MetricName.named(PipelineMetrics.NAMESPACE, PipelineMetrics.EVENT_TIME))
        .getCumulative();
  }

  private static Event at(long millis) {
    return new Event("u1", null, BigDecimal.ONE, millis);
  }

  /**
   * Every line counts as read; the invalid and the filtered ones also as such; the valid ones' event times give the
   * distribution's count, minimum and maximum (newest event, for freshness). A flush with nothing new adds nothing,
   * and one without a valid event leaves the event times alone.
   */
  @Test
  void aFlushAddsWhatWasCountedSinceTheLastOne() throws IOException {
    try (Closeable scope = MetricsEnvironment.scopedMetricsContainer(container)) {
      ParseTally tally = new ParseTally();
      tally.valid(at(50));
      tally.invalid();
      tally.valid(at(10));
      tally.filtered();
      tally.invalid();
      tally.valid(at(30));
      assertThat(counter(PipelineMetrics.EVENTS_READ)).as("nothing before the flush").isZero();
      tally.flush();
      assertThat(counter(PipelineMetrics.EVENTS_READ)).isEqualTo(6);
      assertThat(counter(PipelineMetrics.EVENTS_INVALID)).isEqualTo(2);
      assertThat(counter(PipelineMetrics.EVENTS_FILTERED)).isEqualTo(1);
      assertThat(eventTimes()).isEqualTo(DistributionData.create(0, 3, 10, 50));

      tally.flush();
      tally.invalid();
      tally.flush();
      tally.valid(at(70));
      tally.flush();
      assertThat(counter(PipelineMetrics.EVENTS_READ)).isEqualTo(8);
      assertThat(counter(PipelineMetrics.EVENTS_INVALID)).isEqualTo(3);
      assertThat(counter(PipelineMetrics.EVENTS_FILTERED)).isEqualTo(1);
      assertThat(eventTimes()).isEqualTo(DistributionData.create(0, 4, 10, 70));
    }
  }
}
